/**
 * A channel's send pace: at most `perSecond` sends a second, spaced evenly, for every recipient together
 * (WhatsApp: a business number's throughput, 80 messages a second by default, past which Meta answers 130429
 * "until you are within your allowed level again"). Without it, a backlog — the worker after an outage, a
 * burst of turns — goes out all at once, half of it is refused, and each refused row waits its own backoff
 * while the next batch is refused in turn.
 * Written by hand: the limiters on npm count tokens per interval (bursts at each interval's start, which is
 * what a per-second limit refuses) or bring a Redis dependency; this is a dozen lines with the one property
 * needed: two sends are never closer than 1/perSecond apart by the clock when the send is granted, however
 * late a timer fires (a late timer delays the next send, it never lets two go together).
 */
export class Pacer {
  private nextAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly interval: number;

  /** `now`: the real clock by default (the platform counts real time, whatever clock a test gives the worker). */
  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.interval = 1000 / perSecond;
  }

  /** Resolves when the next send may go (in the order asked). */
  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      // again after each wait: a hold() may have come meanwhile
      for (let wait = this.nextAt - this.now(); wait > 0; wait = this.nextAt - this.now()) await new Promise((r) => setTimeout(r, wait));
      this.nextAt = this.now() + this.interval;
    });
    this.chain = turn;
    return turn;
  }

  /** The platform said the channel's limit was reached: nothing goes for `ms`. */
  hold(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}

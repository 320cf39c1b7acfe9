/**
 * Delivers the channel outbox (./queue.ts). The worker claims the heads of recipients' lines that are due —
 * a row is a head when no earlier row of its recipient is pending, sending or held — so each recipient's
 * rows go out in order, one at a time, while up to `concurrency` recipients are served at once: one
 * recipient's retries (rate limits, backoff) never delay another's messages.
 *
 * Claims: PostgreSQL `FOR UPDATE SKIP LOCKED` (two instances never claim the same row; an earlier row locked
 * by another instance still counts as "pending" in the NOT EXISTS, so a line's next row is not taken either);
 * SQLite: one UPDATE … RETURNING, atomic in the single writer. A claim is a lease: a row left "sending" by a
 * crashed instance is claimed again once the lease is over, and every update after a delivery names the
 * claim's token, so an instance that lost its lease cannot overwrite the new owner's outcome. A worker never
 * claims a row it is still delivering itself, however long the platform takes (seen in CI: a 1.5 s lease
 * outlived by a loaded machine's send gave the same row twice).
 * Exactly once: a row is marked sent with the platform's message id as soon as the platform answers; the
 * one window left — killed after the platform took the message and before the row was updated — is closed
 * where the platform echoes our row id (WhatsApp's biz_opaque_callback_data in the status webhook confirms
 * the row before the lease ends); elsewhere that message may go twice, never zero times.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB, Engine } from '../../db/schema';
import type { Logger } from '../../logging';
import { Pacer } from './pacer';
import { type DeliveryOutcome, type OutboundQueue, type OutboundRow, type OutboundSender, claimToken } from './queue';

export interface OutboundWorkerOptions {
  db: Kysely<DB>;
  queue: OutboundQueue;
  log: Logger;
  engine?: Engine;
  /** Polling interval for rows that became due (retries); new rows wake the worker at once. Default 1000. */
  pollMs?: number;
  /** Recipients served at once in this instance. Default 16. */
  concurrency?: number;
  /** Attempts before a retryable failure is recorded as failed. Default 12. */
  maxAttempts?: number;
  /** First retry delay, doubled each attempt (default 1000 ms), capped at maxBackoffMs (default 5 min). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** How long a claim lasts (default 60 s): longer than one delivery's timeouts. */
  leaseMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface OutcomeEvent {
  row: OutboundRow;
  outcome: DeliveryOutcome;
  /** The row's status after this outcome. */
  status: 'sent' | 'failed' | 'held' | 'pending';
}

export class OutboundWorker {
  private readonly senders = new Map<string, OutboundSender>();
  /** The channels with a limit of sends a second (./pacer.ts): their claimed rows wait for a slot. */
  private readonly pacers = new Map<string, Pacer>();
  private readonly listeners = new Set<(event: OutcomeEvent) => void | Promise<void>>();
  private readonly engine: Engine;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * The rows this worker is delivering now: never claimed again by it, even when a slow delivery outlives its
   * lease (a lease guards against a crashed instance, not against the live one sending the same row twice).
   */
  private readonly delivering = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private pumping: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: OutboundWorkerOptions) {
    this.engine = options.engine ?? (options.db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  register(sender: OutboundSender): this {
    this.senders.set(sender.channel, sender);
    if (sender.perSecond && sender.perSecond > 0) this.pacers.set(sender.channel, new Pacer(sender.perSecond));
    else this.pacers.delete(sender.channel);
    return this;
  }

  /** Told of every outcome (e.g. a ticket records whether its reply arrived). Errors are logged, not thrown. */
  onOutcome(listener: (event: OutcomeEvent) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.options.queue.onEnqueued(() => this.nudge());
    const tick = () => {
      if (this.stopped) return;
      this.nudge();
      this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
      this.timer.unref?.();
    };
    tick();
    this.options.log.info({ channels: [...this.senders.keys()], pollMs: this.options.pollMs ?? 1000 }, 'channel outbox worker started');
  }

  /** Stops claiming and waits for the deliveries in flight (their rows are recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pumping?.catch(() => undefined);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due rows now. */
  nudge(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    });
  }

  private async pump(): Promise<void> {
    const cap = this.options.concurrency ?? 16;
    try {
      for (;;) {
        if (this.stopped) return;
        const room = cap - this.inFlight.size;
        if (room <= 0) return;
        const rows = await this.claim(room);
        if (rows.length === 0) return;
        for (const row of rows) {
          const p: Promise<void> = this.deliver(row).finally(() => {
            this.inFlight.delete(p);
            this.nudge();
          });
          this.inFlight.add(p);
        }
      }
    } catch (err) {
      // the database may be down for a moment: the next poll tries again
      this.options.log.warn({ err }, 'channel outbox claim failed');
    }
  }

  /** Claims the due heads of up to `limit` recipients' lines. */
  async claim(limit: number): Promise<OutboundRow[]> {
    const channels = [...this.senders.keys()];
    if (channels.length === 0) return [];
    const { db } = this.options;
    const now = this.now();
    const token = claimToken();
    const due = db
      .selectFrom('channel_outbox as o')
      .select('o.id')
      .where('o.channel', 'in', channels)
      .where((eb) =>
        eb.or([
          eb.and([eb('o.status', '=', 'pending'), eb('o.next_attempt_at', '<=', now)]),
          eb.and([eb('o.status', '=', 'sending'), eb('o.lease_until', '<', now)]),
        ]),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('channel_outbox as p')
              .select(sql`1`.as('one'))
              .whereRef('p.recipient_key', '=', 'o.recipient_key')
              .whereRef('p.id', '<', 'o.id')
              .where('p.status', 'in', ['pending', 'sending', 'held']),
          ),
        ),
      )
      .$if(this.delivering.size > 0, (q) => q.where('o.id', 'not in', [...this.delivering]))
      .orderBy('o.id')
      .limit(limit);
    const rows = await db
      .updateTable('channel_outbox')
      .set((eb) => ({ status: 'sending', lease_until: now + (this.options.leaseMs ?? 60_000), claim_token: token, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returningAll()
      .execute();
    return rows.map((r) => normalise(r));
  }

  /** Claims and delivers until nothing is due (tests and the CLI; the running worker does this by itself). */
  async drainOnce(): Promise<number> {
    const rows = await this.claim(this.options.concurrency ?? 16);
    await Promise.all(rows.map((r) => this.deliver(r)));
    return rows.length;
  }

  private async deliver(row: OutboundRow): Promise<void> {
    this.delivering.add(row.id);
    try {
      await this.deliverClaimed(row);
    } finally {
      this.delivering.delete(row.id);
    }
  }

  private async deliverClaimed(row: OutboundRow): Promise<void> {
    const { log } = this.options;
    const sender = this.senders.get(row.channel);
    let outcome: DeliveryOutcome;
    const pacer = this.pacers.get(row.channel);
    try {
      if (pacer) await pacer.take();
      outcome = sender ? await sender.deliver(row) : { kind: 'retry', code: 'no-sender', reason: `no sender for channel ${row.channel}` };
    } catch (err) {
      // a sender's own bug or a database hiccup: the row stays, tried again later
      outcome = { kind: 'retry', code: 'exception', reason: String((err as Error)?.message ?? err) };
    }
    const wait = outcome.kind === 'retry' ? this.retryWait(row, outcome) : 0;
    // the channel's own limit: its other rows wait as long as this one (none is sent only to be refused)
    if (outcome.kind === 'retry' && outcome.channelLimit) pacer?.hold(wait);
    let status: OutcomeEvent['status'];
    try {
      status = await this.record(row, outcome, wait);
    } catch (err) {
      // not recorded: the lease runs out and the row is claimed again (the status webhook may confirm it first)
      log.error({ err, id: row.id, channel: row.channel }, 'channel outbox outcome not recorded');
      return;
    }
    const base = { id: row.id, channel: row.channel, attempts: row.attempts, stage: row.stage, waitedMs: this.now() - row.created_at };
    if (outcome.kind === 'sent') log.info(base, 'outbound message delivered');
    else if (status === 'failed') log.error({ ...base, code: outcome.code, problem: outcome.reason }, 'outbound message failed for good');
    else if (status === 'held') log.info({ ...base, code: outcome.code }, 'outbound message held until the customer writes again');
    else log.warn({ ...base, code: outcome.code, problem: outcome.reason }, 'outbound message not delivered yet; will retry');
    await this.report({ row, outcome, status });
  }

  /** Tells the outcome listeners (also used for what a platform reports later, e.g. a "failed" status webhook). */
  async report(event: OutcomeEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event);
      } catch (err) {
        this.options.log.warn({ err, id: event.row.id }, 'outbound outcome listener failed');
      }
    }
  }

  private async record(row: OutboundRow, outcome: DeliveryOutcome, wait: number): Promise<OutcomeEvent['status']> {
    const { db } = this.options;
    const now = this.now();
    const mine = db.updateTable('channel_outbox').where('id', '=', row.id).where('claim_token', '=', row.claim_token);
    const released = { lease_until: null, claim_token: null };
    switch (outcome.kind) {
      case 'sent':
        await mine.set({ ...released, status: 'sent', sent_at: now, platform_id: outcome.platformId?.slice(0, 256) ?? null }).execute();
        return 'sent';
      case 'failed':
        await mine.set({ ...released, status: 'failed', error_code: outcome.code.slice(0, 32), last_error: outcome.reason.slice(0, 500) }).execute();
        return 'failed';
      case 'hold':
        await mine
          .set({ ...released, status: 'held', error_code: outcome.code.slice(0, 32), last_error: outcome.reason.slice(0, 500), ...(outcome.platformId ? { platform_id: outcome.platformId.slice(0, 256) } : {}) })
          .execute();
        return 'held';
      case 'restage':
        // a change of stage is not a failed attempt
        await mine
          .set((eb) => ({ ...released, status: 'pending', stage: outcome.stage, next_attempt_at: now, attempts: eb('attempts', '-', 1), error_code: outcome.code.slice(0, 32), last_error: outcome.reason.slice(0, 500) }))
          .execute();
        return 'pending';
      case 'retry': {
        if (row.attempts >= (this.options.maxAttempts ?? 12)) {
          await mine.set({ ...released, status: 'failed', error_code: outcome.code.slice(0, 32), last_error: `gave up after ${row.attempts} attempts: ${outcome.reason}`.slice(0, 500) }).execute();
          return 'failed';
        }
        await mine
          .set({ ...released, status: 'pending', next_attempt_at: now + wait, error_code: outcome.code.slice(0, 32), last_error: outcome.reason.slice(0, 500) })
          .execute();
        return 'pending';
      }
    }
  }

  /**
   * The wait before a row's next attempt: the platform's hint (Retry-After, Meta's documented pace) or our
   * backoff, whichever is longer, capped.
   */
  private retryWait(row: OutboundRow, outcome: Extract<DeliveryOutcome, { kind: 'retry' }>): number {
    return Math.min(this.options.maxBackoffMs ?? 300_000, Math.max(outcome.retryAfterMs ?? 0, this.backoff(row.attempts)));
  }

  /** Exponential backoff with up to +25 % jitter: base · 2^(attempt-1), capped. */
  backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 1000;
    const cap = this.options.maxBackoffMs ?? 300_000;
    const raw = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (1 + 0.25 * this.random()));
  }

  /**
   * Resolves when no row of this worker's channels is pending or sending (held rows wait for the customer),
   * or after `timeoutMs`. For tests and graceful waits.
   */
  async settled(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const channels = [...this.senders.keys()];
    if (channels.length === 0) return true;
    for (;;) {
      this.nudge();
      await this.pumping?.catch(() => undefined);
      if (this.inFlight.size === 0) {
        // rows still to go, apart from those waiting behind a held row of their recipient
        const open = await this.options.db
          .selectFrom('channel_outbox as o')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('o.channel', 'in', channels)
          .where('o.status', 'in', ['pending', 'sending'])
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('channel_outbox as h')
                  .select(sql`1`.as('one'))
                  .whereRef('h.recipient_key', '=', 'o.recipient_key')
                  .whereRef('h.id', '<', 'o.id')
                  .where('h.status', '=', 'held'),
              ),
            ),
          )
          .executeTakeFirst();
        if (Number(open?.n ?? 0) === 0 && this.inFlight.size === 0) return true;
      }
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

function normalise(r: OutboundRow): OutboundRow {
  return {
    ...r,
    id: Number(r.id),
    attempts: Number(r.attempts),
    next_attempt_at: Number(r.next_attempt_at),
    lease_until: r.lease_until === null ? null : Number(r.lease_until),
    created_at: Number(r.created_at),
    sent_at: r.sent_at === null ? null : Number(r.sent_at),
  };
}

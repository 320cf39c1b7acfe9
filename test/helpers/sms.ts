/** A test phone for the whole bot: the SMS the outbox worker delivers, and the one-time code of the last one. */
import type { OutboundSms, SmsSender } from '../../src/services/ports';

/** The phone: SMS arrive from the outbox worker shortly after the turn that committed them. */
export class RecordingSms implements SmsSender {
  sent: OutboundSms[] = [];
  private read = 0;
  async send(m: OutboundSms) {
    this.sent.push(m);
  }
  /** The code of the next SMS not read yet (waits for the outbox to deliver it). */
  async nextCode(): Promise<string> {
    const until = Date.now() + 3000;
    while (this.sent.length <= this.read && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    if (this.sent.length <= this.read) throw new Error('no code sent');
    this.read = this.sent.length;
    const m = /\b(\d{6})\b/.exec(this.sent[this.sent.length - 1]!.text);
    if (!m) throw new Error('no code in the SMS');
    return m[1]!;
  }
  /** Waits long enough for the outbox to have delivered whatever was committed. */
  async settle(): Promise<void> {
    await new Promise((r) => setTimeout(r, 150));
  }
}

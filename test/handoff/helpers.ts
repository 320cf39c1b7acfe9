/** Shared by the handoff tests: a proactive messenger that records what it was asked to send. */
import type { ConversationReference } from 'botbuilder';
import type { Lang } from '../../src/knowledge/types';
import type { ProactiveMessenger } from '../../src/services/ports';

export class RecordingMessenger implements ProactiveMessenger {
  readonly sent: Array<{ conversation: string; text: string; lang: Lang }> = [];
  fail = false;
  async send(reference: Partial<ConversationReference>, message: { text: string; lang: Lang }): Promise<void> {
    if (this.fail) throw new Error('unreachable');
    this.sent.push({ conversation: reference.conversation?.id ?? '', ...message });
  }
  texts(): string[] {
    return this.sent.map((s) => s.text);
  }
}

/** Staff on duty at any hour, every day (the tests do not depend on the clock). */
export const ALWAYS_OPEN = { HANDOFF_DAYS: '1-7', HANDOFF_OPEN: '00:00', HANDOFF_CLOSE: '24:00' };

/** Today in Malaysia as YYYY-MM-DD (a public holiday in the closed-hours tests). */
export const todayInMalaysia = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

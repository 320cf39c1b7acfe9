/**
 * Shared pieces of the ticket tests: a chat with the ticket feature and the real mail outbox, and a
 * recording proactive messenger.
 */
import type { ConversationReference } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { createTicketFeature } from '../../src/features/tickets';
import type { Feature, FeatureDeps } from '../../src/features/types';
import type { Lang } from '../../src/knowledge/types';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import type { ProactiveMessenger } from '../../src/services/ports';
import { createTestChat, type TestChat } from '../helpers/bot';

export class RecordingProactive implements ProactiveMessenger {
  sent: Array<{ reference: Partial<ConversationReference>; text: string; lang: Lang }> = [];
  fail = false;
  async send(reference: Partial<ConversationReference>, message: { text: string; lang: Lang }): Promise<void> {
    if (this.fail) throw new Error('connector unreachable');
    this.sent.push({ reference, ...message });
  }
}

export function ticketFeatures(extra: (deps: FeatureDeps) => Dialog[] = () => []) {
  return (deps: FeatureDeps): Feature[] => {
    const withMail: FeatureDeps = { ...deps, mail: new SqlMailOutbox(deps.db, { from: 'Bot <bot@example.com>' }) };
    return [createTicketFeature(withMail), { name: 'test-extra', dialogs: extra(deps) }];
  };
}

export async function ticketChat(
  options: { env?: Record<string, string>; userId?: string; proactive?: ProactiveMessenger; extra?: (deps: FeatureDeps) => Dialog[] } = {},
): Promise<TestChat> {
  return createTestChat({
    features: ticketFeatures(options.extra),
    proactive: options.proactive ?? new RecordingProactive(),
    env: { SUPPORT_EMAIL: 'support@example.com', ...(options.env ?? {}) },
    userId: options.userId,
  });
}

export async function outboxRows(chat: TestChat) {
  return chat.runtime.database.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
}

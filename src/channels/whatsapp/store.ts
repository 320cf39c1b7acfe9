/**
 * What the WhatsApp edge keeps in the database, shared by every bot instance:
 * - the ids of messages already taken in (Meta delivers a webhook again when it saw no 200 in time);
 * - per sender: the time of the last inbound message (the 24-hour customer-service window) and the choices
 *   last offered, so a button id or a typed "2" maps back to the choice's value.
 * Senders are keyed by a hash of their number: the number itself is not stored here.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

interface WhatsAppInboundTable {
  message_id: string;
  received_at: number;
}

interface WhatsAppContactsTable {
  contact_key: string;
  last_inbound_at: number;
  /** JSON array of choice values, or null. */
  choices: string | null;
  /** 'buttons' | 'list' | 'numbered' */
  choices_mode: string | null;
  updated_at: number;
  /** When the re-engagement template last went out (migration 1000); null: never. */
  template_sent_at?: number | null;
}

declare module '../../db/schema' {
  interface DB {
    whatsapp_inbound: WhatsAppInboundTable;
    whatsapp_contacts: WhatsAppContactsTable;
  }
}

export type ChoiceMode = 'buttons' | 'list' | 'numbered';

export interface OfferedChoices {
  mode: ChoiceMode;
  values: string[];
}

export function contactKey(waId: string): string {
  return createHash('sha256').update(`whatsapp:${waId}`).digest('base64url').slice(0, 43);
}

export class WhatsAppStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a message id; false when it was already taken in (by this or another instance). */
  async claimMessage(messageId: string): Promise<boolean> {
    const rows = await this.db
      .insertInto('whatsapp_inbound')
      .values({ message_id: messageId, received_at: this.now() })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning(['message_id'])
      .execute();
    return rows.length > 0;
  }

  /** The customer wrote at `at` (ms): the 24-hour window runs from the latest such time. */
  async recordInbound(waId: string, at: number): Promise<void> {
    const now = this.now();
    await this.db
      .insertInto('whatsapp_contacts')
      .values({ contact_key: contactKey(waId), last_inbound_at: at, choices: null, choices_mode: null, updated_at: now })
      .onConflict((oc) =>
        oc.column('contact_key').doUpdateSet((eb) => ({
          last_inbound_at: eb
            .case()
            .when('whatsapp_contacts.last_inbound_at', '<', at)
            .then(at)
            .else(eb.ref('whatsapp_contacts.last_inbound_at'))
            .end(),
          updated_at: now,
        })),
      )
      .execute();
  }

  async lastInbound(waId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('whatsapp_contacts')
      .select(['last_inbound_at'])
      .where('contact_key', '=', contactKey(waId))
      .executeTakeFirst();
    return row ? Number(row.last_inbound_at) : undefined;
  }

  /** The last inbound time and the last template time of a sender (ms; undefined: never). */
  async windowOf(waId: string): Promise<{ lastInbound?: number; templateSentAt?: number }> {
    const row = await this.db
      .selectFrom('whatsapp_contacts')
      .select(['last_inbound_at', 'template_sent_at'])
      .where('contact_key', '=', contactKey(waId))
      .executeTakeFirst();
    if (!row) return {};
    const last = Number(row.last_inbound_at);
    return {
      ...(last > 0 ? { lastInbound: last } : {}),
      ...(row.template_sent_at != null ? { templateSentAt: Number(row.template_sent_at) } : {}),
    };
  }

  async markTemplateSent(waId: string): Promise<void> {
    const now = this.now();
    await this.db
      .insertInto('whatsapp_contacts')
      .values({ contact_key: contactKey(waId), last_inbound_at: 0, choices: null, choices_mode: null, updated_at: now, template_sent_at: now })
      .onConflict((oc) => oc.column('contact_key').doUpdateSet({ template_sent_at: now, updated_at: now }))
      .execute();
  }

  async offeredChoices(waId: string): Promise<OfferedChoices | undefined> {
    const row = await this.db
      .selectFrom('whatsapp_contacts')
      .select(['choices', 'choices_mode'])
      .where('contact_key', '=', contactKey(waId))
      .executeTakeFirst();
    if (!row?.choices || !row.choices_mode) return undefined;
    try {
      const values = JSON.parse(row.choices) as unknown;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return undefined;
      return { mode: row.choices_mode as ChoiceMode, values };
    } catch {
      return undefined;
    }
  }

  /** The choices of the bot's last message with choices (undefined: the turn offered none). */
  async setOfferedChoices(waId: string, offered: OfferedChoices | undefined): Promise<void> {
    const now = this.now();
    const choices = offered ? JSON.stringify(offered.values) : null;
    const mode = offered?.mode ?? null;
    await this.db
      .insertInto('whatsapp_contacts')
      .values({ contact_key: contactKey(waId), last_inbound_at: 0, choices, choices_mode: mode, updated_at: now })
      .onConflict((oc) => oc.column('contact_key').doUpdateSet({ choices, choices_mode: mode, updated_at: now }))
      .execute();
  }
}

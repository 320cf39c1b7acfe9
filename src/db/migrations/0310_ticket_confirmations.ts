import type { Kysely } from 'kysely';

/**
 * Tickets remember the promise the bot made about them (services/tickets.ts):
 * - conversation_key: sha256 of channel + conversation id, so "my tickets" finds the tickets raised in the
 *   conversation asking (never the conversation id itself);
 * - confirmation_text: the confirmation reply (the reference, in the customer's language), written in the
 *   ticket's own transaction; cleared once delivered;
 * - confirmation_delivered_at: when that reply went out (null: the customer has not had it yet, e.g. the
 *   process stopped between the commit and the reply); it is delivered on the customer's next message or
 *   proactively;
 * - confirmation_attempts: proactive delivery attempts, bounded.
 * Older tickets keep confirmation_text null: nothing is pending for them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('conversation_key', 'varchar(64)').execute();
  await db.schema.alterTable('tickets').addColumn('confirmation_text', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('confirmation_delivered_at', 'varchar(32)').execute();
  await db.schema.alterTable('tickets').addColumn('confirmation_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('tickets_conversation_key').on('tickets').column('conversation_key').execute();
  await db.schema.createIndex('tickets_owner_key').on('tickets').column('owner_key').execute();
}

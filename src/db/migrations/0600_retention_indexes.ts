import type { Kysely } from 'kysely';

/**
 * Indexes for the retention job (src/features/retention.ts): each purge selects its old rows by a time
 * column; without an index every batch would scan the whole table. (rate_limit_counters and otp_events
 * have theirs from their own migrations.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('bot_state_updated_at').on('bot_state').column('updated_at').execute();
  await db.schema.createIndex('mail_outbox_status_sent_at').on('mail_outbox').columns(['status', 'sent_at']).execute();
  await db.schema.createIndex('migration_tokens_expires_at').on('migration_tokens').column('expires_at').execute();
  await db.schema.createIndex('whatsapp_contacts_updated_at').on('whatsapp_contacts').column('updated_at').execute();
  await db.schema.createIndex('tickets_status_updated').on('tickets').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('sms_outbox_status_created').on('sms_outbox').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('migration_decoy_mail_created_at').on('migration_decoy_mail').column('created_at').execute();
}

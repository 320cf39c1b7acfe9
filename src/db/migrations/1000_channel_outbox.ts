import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/**
 * The outbound queue of the channels (src/services/outbound): every reply to WhatsApp and to the Bot Framework
 * connector, and every proactive message, is a row here first; the OutboundWorker delivers each recipient's
 * rows in id order. Times are ms since the epoch.
 * whatsapp_contacts.template_sent_at: when the 24-hour window's template last went to the customer (so a closed
 * window costs one template, and the replies behind it wait for the customer's answer).
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('channel_outbox')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('recipient_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('dedupe_key', 'varchar(200)', (c) => c.unique())
    .addColumn('origin', 'varchar(200)')
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('stage', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('claim_token', 'varchar(40)')
    .addColumn('platform_id', 'varchar(256)')
    .addColumn('error_code', 'varchar(32)')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  // the worker's claim: heads of each recipient's line that are due
  await db.schema.createIndex('channel_outbox_due').on('channel_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('channel_outbox_recipient').on('channel_outbox').columns(['recipient_key', 'id']).execute();
  // status webhooks find the row of a platform message id
  await db.schema.createIndex('channel_outbox_platform_id').on('channel_outbox').column('platform_id').execute();
  await db.schema.alterTable('whatsapp_contacts').addColumn('template_sent_at', 'bigint').execute();
}

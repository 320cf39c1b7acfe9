import type { Kysely } from 'kysely';

/**
 * WhatsApp channel (src/channels/whatsapp/store.ts):
 * - whatsapp_inbound: message ids already taken in (Meta retries a webhook; every instance sees the same ids);
 * - whatsapp_contacts: per sender (keyed by a hash of the number, never the number itself) the time of the last
 *   inbound message (the 24-hour customer-service window) and the choices last offered (button ids, "reply 2").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('whatsapp_inbound')
    .addColumn('message_id', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('whatsapp_inbound_received_at').on('whatsapp_inbound').column('received_at').execute();
  await db.schema
    .createTable('whatsapp_contacts')
    .addColumn('contact_key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('last_inbound_at', 'bigint', (c) => c.notNull())
    .addColumn('choices', 'text')
    .addColumn('choices_mode', 'varchar(16)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

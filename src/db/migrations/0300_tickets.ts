import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/** Support tickets and the staff replies on them (services/tickets.ts). */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('tickets')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('reference', 'varchar(32)', (c) => c.notNull().unique())
    /** The procedure's draft id: a retried turn finds the ticket it already created. */
    .addColumn('request_key', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('category', 'varchar(32)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('phone', 'varchar(20)')
    .addColumn('consent_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('lang', 'varchar(2)', (c) => c.notNull())
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    /** sha256 of channel + channel user id: who may see the ticket without verifying a contact. */
    .addColumn('owner_key', 'varchar(64)', (c) => c.notNull())
    /** The Bot Framework conversation reference (JSON) to reach the customer again. */
    .addColumn('conversation_ref', 'text')
    /** The last customer messages, personal data masked. */
    .addColumn('excerpt', 'text')
    /** Where the ticket came from: a knowledge entry or a procedure handing over. */
    .addColumn('source', 'varchar(200)')
    .addColumn('assignee', 'varchar(200)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_status_created').on('tickets').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('tickets_created').on('tickets').column('created_at').execute();

  await db.schema
    .createTable('ticket_replies')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('author', 'varchar(200)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    /** pending | bot | email | none (no way to reach the customer) */
    .addColumn('delivery', 'varchar(16)', (c) => c.notNull())
    .addColumn('delivery_error', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('delivered_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('ticket_replies_ticket').on('ticket_replies').column('ticket_id').execute();
}

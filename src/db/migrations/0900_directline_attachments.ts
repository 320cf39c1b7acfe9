import type { Kysely } from 'kysely';

/**
 * Files a web chat customer attaches (a photo or a PDF, src/channels/directline/uploads.ts): kept in the
 * database (base64 text, the same on both engines), never on the local disk, so every instance can show
 * them to staff. A conversation's files go with it (on delete cascade) and are purged with the transcripts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directline_attachments')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('conversation_id', 'varchar(100)', (c) => c.notNull().references('directline_conversations.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directline_attachments_conversation').on('directline_attachments').column('conversation_id').execute();
  await db.schema.createIndex('directline_attachments_created_at').on('directline_attachments').column('created_at').execute();
}

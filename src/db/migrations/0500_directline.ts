import type { Kysely } from 'kysely';

/**
 * The bot's own Direct Line 3.0 connection (src/channels/directline): conversations, their activities with a
 * per-conversation sequence number (the watermark), and the key that signs conversation tokens. Everything
 * is in the database so any bot instance can answer any poll.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directline_conversations')
    .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('directline_activities')
    .addColumn('conversation_id', 'varchar(100)', (c) => c.notNull().references('directline_conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('directline_activities_pk', ['conversation_id', 'seq'])
    .execute();
  await db.schema.createIndex('directline_conversations_updated').on('directline_conversations').column('updated_at').execute();
  await db.schema
    .createTable('directline_keys')
    .addColumn('name', 'varchar(50)', (c) => c.primaryKey())
    .addColumn('secret', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

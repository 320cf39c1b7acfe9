import type { Kysely } from 'kysely';

/** Bot Framework conversation and user state (SqlStorage). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bot_state')
    .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('etag', 'varchar(64)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

/**
 * Schema migrations, applied in name order at start-up on both engines. Never edit a migration that has
 * shipped: add a new one.
 */
import type { Kysely, Migration } from 'kysely';
import type { Engine } from './schema';

export function migrations(engine: Engine): Record<string, Migration> {
  const isPg = engine === 'postgres';
  return {
  '0001_bot_state': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bot_state')
        .addColumn('key', 'varchar(512)', (c) => c.primaryKey())
        .addColumn('doc', 'text', (c) => c.notNull())
        .addColumn('etag', 'varchar(64)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  },
  '0002_unanswered': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('unanswered')
        .addColumn('id', isPg ? 'serial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('lang', 'varchar(8)', (c) => c.notNull())
        .addColumn('decision', 'varchar(16)', (c) => c.notNull())
        .addColumn('top_entry', 'varchar(128)')
        .addColumn('top_score', 'real')
        .addColumn('channel', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('unanswered_created_at').on('unanswered').column('created_at').execute();
    },
  },
  };
}

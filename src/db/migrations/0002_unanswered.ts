import type { Kysely } from 'kysely';
import type { Engine } from '../schema';
import { autoId } from '../migrate';

/** Questions the bot declined or had to clarify (personal data masked). */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('unanswered')
    .addColumn('id', autoId(engine), (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('top_entry', 'varchar(128)')
    .addColumn('top_score', 'real')
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unanswered_created_at').on('unanswered').column('created_at').execute();
}

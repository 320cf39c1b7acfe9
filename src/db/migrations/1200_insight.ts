import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/**
 * Service insight (src/services/insight.ts, src/knowledge/overlay.ts): what each message turn did, customers'
 * votes on answers, and the reviewed knowledge overlay with its version counter.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const id = (c: any) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema
    .createTable('insight_turns')
    .addColumn('id', autoId(engine), id)
    /** Calendar day in Asia/Kuala_Lumpur (YYYY-MM-DD): the dashboard's day. */
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(32)', (c) => c.notNull())
    .addColumn('entry_id', 'varchar(128)')
    .addColumn('procedure', 'varchar(32)')
    /** sha256 of channel + conversation id (first 24 hex): counts conversations, names none. */
    .addColumn('conversation', 'varchar(24)', (c) => c.notNull())
    /** An answer's reference, carried by its "did this help?" buttons. */
    .addColumn('ref', 'varchar(24)')
    /** The customer's question, personal data masked (answered turns only). */
    .addColumn('question', 'text')
    .execute();
  await db.schema.createIndex('insight_turns_day').on('insight_turns').columns(['day', 'lang']).execute();
  await db.schema.createIndex('insight_turns_ref').on('insight_turns').column('ref').execute();
  await db.schema.createIndex('insight_turns_created_at').on('insight_turns').column('created_at').execute();

  await db.schema
    .createTable('answer_feedback')
    .addColumn('id', autoId(engine), id)
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('entry_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('vote', 'varchar(16)', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('conversation', 'varchar(24)', (c) => c.notNull())
    /** The answer's reference: one vote per answer (a second press changes nothing). */
    .addColumn('ref', 'varchar(24)', (c) => c.notNull().unique())
    /** The question that was answered, personal data masked. */
    .addColumn('question', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answer_feedback_created_at').on('answer_feedback').column('created_at').execute();

  await db.schema
    .createTable('knowledge_changes')
    .addColumn('id', autoId(engine), id)
    /** paraphrase (text added to an entry's examples) | entry (a new entry, doc holds it) */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('entry_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('pack', 'varchar(32)', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)')
    .addColumn('text', 'text')
    .addColumn('doc', 'text')
    /** active | reverted | exported */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('author', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('reverted_by', 'varchar(200)')
    .addColumn('reverted_at', 'varchar(32)')
    .execute();

  /** One row (id 1): bumped with every change of the overlay; every instance polls it and rebuilds when it moves. */
  await db.schema
    .createTable('knowledge_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('knowledge_version').values({ id: 1, version: 0 }).execute();
}

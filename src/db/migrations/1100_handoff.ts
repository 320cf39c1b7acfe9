import { type Kysely, sql } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/** Live handoff to a person (services/handoff.ts): the queue and held conversations, and their messages. */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('handoff_sessions')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    /** sha256 of channel + conversation id (services/tickets.ts conversationKey). */
    .addColumn('conversation_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    .addColumn('lang', 'varchar(2)', (c) => c.notNull())
    /** The Bot Framework conversation reference (JSON): how staff messages reach the customer. */
    .addColumn('conversation_ref', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'varchar(200)')
    /** queued | held | offered (a ticket was offered: after closing hours or a pick-up timeout) | ended */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    /** asked | failures */
    .addColumn('reason', 'varchar(16)', (c) => c.notNull())
    .addColumn('agent_id', 'integer')
    .addColumn('agent_name', 'varchar(200)')
    .addColumn('queued_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('taken_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    /** handed-back | cancelled | timeout | closed | ticket | declined */
    .addColumn('end_reason', 'varchar(16)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // one open session (queued or held) per conversation, whatever the instance: the second insert fails
  await sql`create unique index handoff_sessions_open on handoff_sessions (conversation_key) where status in ('queued', 'held')`.execute(db);
  await db.schema.createIndex('handoff_sessions_status').on('handoff_sessions').columns(['status', 'queued_at']).execute();
  await db.schema.createIndex('handoff_sessions_conversation').on('handoff_sessions').columns(['conversation_key', 'id']).execute();

  await db.schema
    .createTable('handoff_messages')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('conversation_key', 'varchar(64)', (c) => c.notNull())
    /** null: a line of the conversation with the bot before any handoff (kept masked, for "what the bot tried"). */
    .addColumn('session_id', 'integer')
    /** customer | bot | staff | system */
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    /** bot lines: answer | fallback; staff lines: the staff member's name; system lines: the event */
    .addColumn('kind', 'varchar(200)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handoff_messages_conversation').on('handoff_messages').columns(['conversation_key', 'id']).execute();
  await db.schema.createIndex('handoff_messages_session').on('handoff_messages').columns(['session_id', 'id']).execute();
  await db.schema.createIndex('handoff_messages_created').on('handoff_messages').column('created_at').execute();
}

import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/** Staff accounts, their console sessions, the audit of staff actions and internal ticket notes (src/console). */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('staff_members')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(100)', (c) => c.notNull())
    /** agent | supervisor | admin */
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    /** scrypt$N$r$p$salt$hash */
    .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_sessions')
    /** sha256 of the session cookie's value (the value itself is never stored). */
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('staff_id', 'integer', (c) => c.notNull())
    /** The session's CSRF token, sent back in every form and in X-CSRF-Token. */
    .addColumn('csrf', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_sessions_expires').on('staff_sessions').column('expires_at').execute();

  await db.schema
    .createTable('staff_audit')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('staff_id', 'integer')
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    /** sign-in, sign-in-failed, sign-out, take, send, hand-back, reveal, ticket-reply, ticket-status, ... */
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('target', 'varchar(100)')
    .addColumn('detail', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_audit_created').on('staff_audit').column('created_at').execute();

  await db.schema
    .createTable('ticket_notes')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('reference', 'varchar(32)', (c) => c.notNull())
    .addColumn('author', 'varchar(100)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_notes_reference').on('ticket_notes').columns(['reference', 'id']).execute();
}

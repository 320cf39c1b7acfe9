import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/**
 * Hardening of the eBiz login migration (issue 13):
 * - `migration_tokens.completion_hash`: the SHA-256 of the form nonce (CSRF value) of the browser whose submit
 *   completed the migration, written in the migration's own transaction, so that the same browser's resubmit
 *   after a crash gets the success page again and any other use the honest "already used" page;
 * - `migration_decoy_mail`: where the request of an identifier no account has writes its decoy e-mail. It
 *   has the columns and indexes of `mail_outbox`, so the unknown path costs what the known path's outbox
 *   write costs (no timing difference tells an attacker which identifiers are real); nothing reads it, no
 *   row holds personal data, and rows are purged with the expired migration tokens.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('migration_tokens').addColumn('completion_hash', 'varchar(64)').execute();
  await db.schema
    .createTable('migration_decoy_mail')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('dedupe_key', 'varchar(200)', (c) => c.unique())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('from_addr', 'varchar(320)', (c) => c.notNull())
    .addColumn('to_addr', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(500)', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('claimed_at', 'varchar(32)')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('migration_decoy_mail_due').on('migration_decoy_mail').columns(['status', 'next_attempt_at']).execute();
}

import type { Kysely } from 'kysely';

/**
 * The legacy-account directory of the old eBiz system (services/legacyAccounts.ts, SQL adapter), and the
 * single-use migration tokens (services/migrationTokens.ts), stored only as SHA-256 hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legacy_accounts')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('mykad', 'varchar(12)', (c) => c.unique())
    .addColumn('passport', 'varchar(16)', (c) => c.unique())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('email_lc', 'varchar(320)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('phone', 'varchar(20)')
    .addColumn('migrated_at', 'varchar(32)')
    .addColumn('password_hash', 'varchar(300)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legacy_accounts_email').on('legacy_accounts').column('email_lc').execute();

  await db.schema
    .createTable('migration_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('migration_tokens_account').on('migration_tokens').column('account_id').execute();

  // server-side secrets shared by every instance (CSRF and decoy keys), created on first use
  await db.schema
    .createTable('migration_secrets')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(128)', (c) => c.notNull())
    .execute();
}

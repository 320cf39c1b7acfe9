import type { Kysely } from 'kysely';

/**
 * Plan switching: the subscriber directory's SQL adapter (services/subscribers.ts) and the one-time codes
 * that prove a customer owns a line (services/otp.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriber_lines')
    .addColumn('msisdn', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('line_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('plan_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('outstanding_sen', 'bigint', (c) => c.notNull())
    .addColumn('prepaid_balance_sen', 'bigint', (c) => c.notNull())
    .addColumn('under_contract', 'integer', (c) => c.notNull())
    .addColumn('contract_penalty_sen', 'bigint')
    // ISO dates of earlier plan changes, JSON array ("["2026-04-02"]")
    .addColumn('plan_changes', 'text', (c) => c.notNull())
    .addColumn('demo', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('otp_codes')
    // sha-256 of purpose + conversation + line: one live code per line and conversation
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('salt', 'varchar(64)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('tries_left', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('otp_codes_expires_at').on('otp_codes').column('expires_at').execute();
}

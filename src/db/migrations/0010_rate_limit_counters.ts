import type { Kysely } from 'kysely';

/**
 * Rate-limit counters of rate-limiter-flexible (services/rateLimit.ts): the columns its SQLite and
 * PostgreSQL limiters read and write (key, points, expire in ms since the epoch), created here so the
 * library never creates tables itself. They replace the hand-written fixed-window table of 0003.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counters')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  await db.schema.createIndex('rate_limit_counters_expire').on('rate_limit_counters').column('expire').execute();
  await db.schema.dropTable('rate_limits').ifExists().execute();
}

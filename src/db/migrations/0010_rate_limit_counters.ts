import { type Kysely, sql } from 'kysely';
import type { Engine } from '../schema';

/**
 * Rate-limit counters of rate-limiter-flexible (services/rateLimit.ts): the columns its SQLite and
 * PostgreSQL limiters read and write (key, points, expire in ms since the epoch), created here so the
 * library never creates tables itself. They replace the hand-written fixed-window table of 0003.
 * On PostgreSQL the table is UNLOGGED: a counter write then waits for no WAL flush at commit (a logged
 * table cost one fsync, about 10 ms, per counted request), at the price of counters starting empty after
 * a server crash or a failover, which a rate limit can afford.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  let create = db.schema.createTable('rate_limit_counters');
  if (engine === 'postgres') create = create.modifyFront(sql`unlogged`);
  await create
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  await db.schema.createIndex('rate_limit_counters_expire').on('rate_limit_counters').column('expire').execute();
  await db.schema.dropTable('rate_limits').ifExists().execute();
}

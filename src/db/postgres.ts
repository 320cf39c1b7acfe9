/**
 * The PostgreSQL side of openDatabase (src/db/index.ts): node-postgres's pool behind the guard, the schema
 * brought up to date first. A module of its own so that node-postgres is loaded only when DATABASE_URL names a
 * PostgreSQL database (index.ts imports it on demand).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool, type PoolConfig, types as pgTypes } from 'pg';
import { GuardedPool } from './guardedPool';
import { DEFAULT_POSTGRES_LIMITS, type PostgresLimits } from './limits';
import { migrate } from './migrate';
import type { DB } from './schema';
import { type DatabaseTarget, type OpenDatabaseOptions, queryErrorLog } from './index';

// PostgreSQL returns int8 as strings by default; our counters fit in a JS number.
pgTypes.setTypeParser(20, (v) => Number(v));

/** The node-postgres settings every connection gets (pool, migrations and probes alike). */
function connectionSettings(url: string, limits: PostgresLimits, schema?: string): PoolConfig {
  return {
    connectionString: url,
    application_name: 'support-bot',
    // bounds both the wait for a free pooled connection and the opening of a new one (TCP, TLS, auth)
    connectionTimeoutMillis: limits.connectTimeoutMs,
    // a quiet connection is probed, so one whose peer vanished is found out even with no query on it
    keepAlive: true,
    keepAliveInitialDelayMillis: limits.keepAliveInitialDelayMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    // a schema of its own lets tests run side by side on one database
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
}

export async function openPostgres(
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  options: OpenDatabaseOptions,
): Promise<{ db: Kysely<DB>; guard: GuardedPool }> {
  const limits: PostgresLimits = { ...DEFAULT_POSTGRES_LIMITS, ...target.limits };
  const settings = connectionSettings(target.url, limits, options.schema);
  // The schema is brought up to date first, on a connection of its own: a migration (or waiting for another
  // instance's migration lock) may take far longer than a turn's statement may, so it has its own bound.
  const setupPool = new Pool({ ...settings, max: 1, query_timeout: limits.migrationTimeoutMs });
  // a connection lost between two queries emits 'error'; unheard, that would end the process
  setupPool.on('error', () => undefined).on('connect', (client) => client.on('error', () => undefined));
  const setup = new Kysely<DB>({ dialect: new PostgresDialect({ pool: setupPool }) });
  try {
    if (options.schema) await sql.raw(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`).execute(setup);
    await migrate(setup, 'postgres');
  } finally {
    await setup.destroy();
  }
  const pool = new Pool({
    ...settings,
    max: limits.poolMax,
    query_timeout: limits.queryTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idleTimeoutMillis: limits.poolIdleTimeoutMs,
    maxLifetimeSeconds: limits.poolMaxLifetimeSeconds,
  });
  const guard = new GuardedPool(pool, {
    retryIntervalMs: limits.retryIntervalMs,
    log: options.log,
    async probe() {
      const client = new Client({ ...settings, query_timeout: limits.queryTimeoutMs, statement_timeout: limits.statementTimeoutMs });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        client.end().catch(() => undefined);
      }
    },
  });
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool: guard }), log: queryErrorLog(options) }), guard };
}


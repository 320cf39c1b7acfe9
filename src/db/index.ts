/**
 * One SQL database, two engines: an embedded SQLite file (default) or PostgreSQL (DATABASE_URL).
 * Every query goes through Kysely, so the rest of the program has one code path for both.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type KyselyConfig, type LogEvent, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Client, Pool, type PoolConfig, types as pgTypes } from 'pg';
import type { Logger } from '../logging';
import { GuardedPool } from './guardedPool';
import { DEFAULT_POSTGRES_LIMITS, DEFAULT_SQLITE_BUSY_TIMEOUT_MS, type PostgresLimits } from './limits';
import { migrate } from './migrate';
import type { DB, Engine } from './schema';

export type { DB, Engine } from './schema';
export type { PostgresLimits } from './limits';
export { DatabaseUnavailableError, isConnectionFault } from './guardedPool';
export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; busyTimeoutMs?: number }
  | { kind: 'postgres'; url: string; limits?: Partial<PostgresLimits> };

export interface DatabaseStats {
  /** false while the database is known to be unreachable (queries fail at once meanwhile). */
  available: boolean;
  /** PostgreSQL pool: connections open, idle, and callers waiting for one (SQLite: its one connection). */
  total: number;
  idle: number;
  waiting: number;
}

/**
 * The driver under Kysely, for libraries that speak to it directly (rate-limiter-flexible's SQLite and
 * PostgreSQL limiters): the same better-sqlite3 handle or pg Pool, never a second connection.
 */
/** What a library that needs the driver itself (the rate limiter) gets: the SQLite handle, or a guarded pool.query. */
export type NativeConnection =
  | { kind: 'sqlite'; sqlite: BetterSqlite3.Database }
  | { kind: 'postgres'; pool: { query(config: { text: string; values?: unknown[] }): Promise<unknown> } };

const natives = new WeakMap<Kysely<DB>, NativeConnection>();

/** The driver under a Kysely instance opened by openDatabase (undefined for any other instance). */
export function nativeConnection(db: Kysely<DB>): NativeConnection | undefined {
  return natives.get(db);
}

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  /** true when a trivial query answers within the timeout (false at once while known to be unreachable). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** false while the database is known to be unreachable. */
  available(): boolean;
  stats(): DatabaseStats;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings by default; our counters fit in a JS number.
pgTypes.setTypeParser(20, (v) => Number(v));

/**
 * better-sqlite3 with its prepared statements reused: Kysely prepares every query it runs, and preparing
 * (parsing and planning the SQL) was the largest single cost of a turn's storage read and write. Kysely runs
 * one query at a time on its one SQLite connection, so a cached statement is never in use twice at once;
 * SQLite re-prepares a statement by itself when the schema changes.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        // the oldest goes first (a Map keeps insertion order); SQL texts vary only with list lengths
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

export interface OpenDatabaseOptions {
  /** PostgreSQL: a schema of its own (tests run side by side on one database). */
  schema?: string;
  /** Where the database's outages and recoveries are reported. */
  log?: Logger;
  /** Called for every query that fails (Kysely's log hook): the bot_database_errors_total metric. */
  onQueryError?: () => void;
}

/** Kysely's log option reporting failed queries only (https://kysely.dev: "log" in KyselyConfig). */
function queryErrorLog(options: OpenDatabaseOptions): KyselyConfig['log'] {
  const report = options.onQueryError;
  return report ? (event: LogEvent) => (event.level === 'error' ? report() : undefined) : undefined;
}

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

async function openPostgres(
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

/** Opens the database and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  let db: Kysely<DB>;
  let guard: GuardedPool | undefined;
  let native: NativeConnection;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new BetterSqlite3(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // better-sqlite3 is synchronous: a write waiting for another process's lock (the staff CLI, a second
    // instance on the same file) blocks the event loop, so the wait is short and bounded
    sqlite.pragma(`busy_timeout = ${Math.trunc(target.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS)}`);
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: queryErrorLog(options) });
    try {
      await migrate(db, 'sqlite');
    } catch (err) {
      await db.destroy();
      throw err;
    }
    native = { kind: 'sqlite', sqlite };
  } else {
    ({ db, guard } = await openPostgres(target, options));
    // the rate limiter counts through the guard too: it fails at once while the database is unreachable
    native = { kind: 'postgres', pool: guard };
  }
  natives.set(db, native);
  const engine: Engine = target.kind;
  let closed = false;
  return {
    db,
    engine,
    available: () => !closed && (guard?.available ?? true),
    stats() {
      const pool = guard?.pool;
      return {
        available: !closed && (guard?.available ?? true),
        total: pool?.totalCount ?? 1,
        idle: pool?.idleCount ?? 0,
        waiting: guard?.waiting ?? 0,
      };
    },
    async ping(timeoutMs = 2000) {
      // known to be unreachable: say so at once rather than wait on the network again
      if (closed || (guard && !guard.available)) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          sql`select 1`.execute(db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
          }),
        ]);
        return true;
      } catch {
        return false;
      } finally {
        if (timer) clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      // Kysely ends the pool only if a query ever went through it; the rate limiter uses the pool directly
      await guard?.end();
    },
  };
}

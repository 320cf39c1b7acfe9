/**
 * One SQL database, two engines: an embedded SQLite file (default) or PostgreSQL (DATABASE_URL).
 * Every query goes through Kysely, so the rest of the program has one code path for both.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type KyselyConfig, type LogEvent, SqliteDialect, sql } from 'kysely';
import type { Logger } from '../logging';
import type { GuardedPool } from './guardedPool';
import { DEFAULT_SQLITE_BUSY_TIMEOUT_MS, type PostgresLimits } from './limits';
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
export function queryErrorLog(options: OpenDatabaseOptions): KyselyConfig['log'] {
  const report = options.onQueryError;
  return report ? (event: LogEvent) => (event.level === 'error' ? report() : undefined) : undefined;
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
    // node-postgres is loaded only for a PostgreSQL database: a SQLite process (and every CLI on one) skips it
    const { openPostgres } = await import('./postgres');
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

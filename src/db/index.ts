/**
 * One SQL database, two engines: an embedded SQLite file (default) or PostgreSQL (DATABASE_URL).
 * Every query goes through Kysely, so the rest of the program has one code path for both.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import { migrate } from './migrate';
import type { DB, Engine } from './schema';

export type { DB, Engine } from './schema';
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/**
 * The driver under Kysely, for libraries that speak to it directly (rate-limiter-flexible's SQLite and
 * PostgreSQL limiters): the same better-sqlite3 handle or pg Pool, never a second connection.
 */
export type NativeConnection = { kind: 'sqlite'; sqlite: BetterSqlite3.Database } | { kind: 'postgres'; pool: Pool };

const natives = new WeakMap<Kysely<DB>, NativeConnection>();

/** The driver under a Kysely instance opened by openDatabase (undefined for any other instance). */
export function nativeConnection(db: Kysely<DB>): NativeConnection | undefined {
  return natives.get(db);
}

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  /** true when a trivial query answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
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

/** Opens the database and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget, options: { schema?: string } = {}): Promise<Database> {
  let db: Kysely<DB>;
  let native: NativeConnection;
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new BetterSqlite3(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    native = { kind: 'sqlite', sqlite };
  } else {
    const pool = new Pool({
      connectionString: target.url,
      max: 10,
      connectionTimeoutMillis: 5000,
      // a schema of its own lets tests run side by side on one database
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // an idle client that loses its server must not crash the process
    pool.on('error', () => undefined);
    // nor a checked-out one between two queries (a transaction, a turn's state load): node-postgres emits
    // 'error' on such a client, and an 'error' event without a listener ends the process. The query in
    // flight, if any, still fails with the error, and the pool discards the broken client on release.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
      } finally {
        client.release();
      }
    }
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    native = { kind: 'postgres', pool };
  }
  natives.set(db, native);
  const engine: Engine = target.kind;
  try {
    await migrate(db, target.kind);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let closed = false;
  return {
    db,
    engine,
    async ping(timeoutMs = 2000) {
      if (closed) return false;
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
    },
  };
}

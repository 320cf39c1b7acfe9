/**
 * Issue 13, item 7, at the level of the database module: every wait for PostgreSQL is bounded, a client
 * whose query went unanswered is discarded (never handed out again), the database is reported unavailable
 * at once while it is unreachable, and it comes back by itself. SQLite waits a bounded time for a lock.
 * PostgreSQL cases run when TEST_DATABASE_URL is set (through a TCP proxy that can blackhole traffic).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { DatabaseError } from 'pg';
import { type Database, type PostgresLimits, DatabaseUnavailableError, isConnectionFault, openDatabase } from '../../src/db';
import { pgUrl } from '../helpers/databases';
import { type TcpProxy, startTcpProxy } from './proxy';

const maybe = pgUrl ? describe : describe.skip;

const LIMITS: Partial<PostgresLimits> = {
  connectTimeoutMs: 800,
  queryTimeoutMs: 1000,
  statementTimeoutMs: 600,
  idleInTransactionTimeoutMs: 2000,
  retryIntervalMs: 200,
  keepAliveInitialDelayMs: 7000,
  poolMax: 1,
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await work();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

const pid = async (database: Database): Promise<number> =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;

async function until(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${withinMs} ms`);
}

maybe('PostgreSQL: bounded waits, broken clients discarded, fail fast, recovery', () => {
  let proxy: TcpProxy;
  let url: string;
  const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}${randomBytes(6).toString('hex')}`;
  const opened: Database[] = [];
  const open = async (limits: Partial<PostgresLimits> = LIMITS): Promise<Database> => {
    const d = await openDatabase({ kind: 'postgres', url, limits }, { schema });
    opened.push(d);
    return d;
  };

  beforeAll(async () => {
    const target = new URL(pgUrl!);
    proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    target.host = `127.0.0.1:${proxy.port}`;
    url = target.toString();
  });

  afterEach(async () => {
    proxy.restore();
    for (const d of opened.splice(0)) await d.close();
  });

  afterAll(async () => {
    await proxy?.close();
  });

  test('the timeouts reach the server, and the connection keeps TCP keepalive', async () => {
    const keepAlive = jest.spyOn(net.Socket.prototype, 'setKeepAlive');
    const database = await open();
    expect(keepAlive).toHaveBeenCalledWith(true, 7000);
    keepAlive.mockRestore();
    const show = async (name: string) => (await sql<Record<string, string>>`${sql.raw(`show ${name}`)}`.execute(database.db)).rows[0]![name];
    expect(await show('statement_timeout')).toBe('600ms');
    expect(await show('idle_in_transaction_session_timeout')).toBe('2s');
    expect(await show('application_name')).toBe('support-bot');
  });

  test('a statement the server cancels is an ordinary error: the connection is kept, nothing is marked down', async () => {
    const database = await open();
    const before = await pid(database);
    const slow = await timed(() => sql`select pg_sleep(3)`.execute(database.db));
    expect((slow.error as { code?: string }).code).toBe('57014'); // query_canceled by statement_timeout
    expect(slow.ms).toBeLessThan(2000);
    expect(isConnectionFault(slow.error)).toBe(false);
    expect(database.available()).toBe(true);
    expect(await pid(database)).toBe(before);
  });

  test('a client whose query went unanswered is discarded, not handed out again', async () => {
    // the server-side bound off, so that only the client's query_timeout ends the wait (as on a silent network)
    const database = await open({ ...LIMITS, statementTimeoutMs: 60_000 });
    const before = await pid(database);
    const hung = await timed(() => sql`select pg_sleep(5)`.execute(database.db));
    expect((hung.error as Error).message).toMatch(/Query read timeout/);
    expect(hung.ms).toBeLessThan(2500);
    // the pool has one connection: had the timed-out client gone back to it, this would wait behind pg_sleep
    await until(async () => database.available(), 3000);
    const after = await timed(() => pid(database));
    expect(after.error).toBeUndefined();
    expect(after.ms).toBeLessThan(1000);
    expect(after.value).not.toBe(before);
  });

  test('blackholed: the first query fails within its timeout, the rest at once; back by itself on new connections', async () => {
    const database = await open({ ...LIMITS, poolMax: 3 });
    const before = await pid(database);
    proxy.blackhole();

    const first = await timed(() => pid(database));
    expect(isConnectionFault(first.error)).toBe(true);
    expect(first.ms).toBeLessThan(2500);
    expect(database.available()).toBe(false);

    // meanwhile: no waiting on the network at all, and no queue of callers
    const burst = await Promise.all(Array.from({ length: 20 }, () => timed(() => pid(database))));
    for (const r of burst) {
      expect(r.error).toBeInstanceOf(DatabaseUnavailableError);
      expect(r.ms).toBeLessThan(500);
    }
    const ping = await timed(() => database.ping(1500));
    expect(ping.value).toBe(false);
    expect(ping.ms).toBeLessThan(300);
    expect(database.stats()).toMatchObject({ available: false, waiting: 0 });
    // a transaction fails as fast: its rollback does not wait on the dead connection again
    const trx = await timed(() => database.db.transaction().execute(async (t) => sql`select 1`.execute(t)));
    expect(trx.error).toBeInstanceOf(DatabaseUnavailableError);
    expect(trx.ms).toBeLessThan(300);

    // still down after a while: the probes keep failing, nothing piles up
    await new Promise((r) => setTimeout(r, 1500));
    expect(database.available()).toBe(false);
    expect(database.stats().waiting).toBe(0);

    proxy.restore();
    const recoveredMs = await until(async () => database.available(), 10_000);
    expect(recoveredMs).toBeLessThan(5000);
    // the connection from before the partition is still silent (the proxy never revives it): not reused
    const after = await timed(() => pid(database));
    expect(after.error).toBeUndefined();
    expect(after.ms).toBeLessThan(1000);
    expect(after.value).not.toBe(before);
    expect(await database.ping(1500)).toBe(true);
  });

  test('closing during the partition does not wait on the silent network', async () => {
    const database = await open({ ...LIMITS, poolMax: 2 });
    await pid(database);
    proxy.blackhole();
    const inFlight = pid(database).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));
    const closed = await timed(() => database.close());
    expect(closed.error).toBeUndefined();
    expect(closed.ms).toBeLessThan(2500);
    expect(isConnectionFault(await inFlight)).toBe(true);
  });

  test('a transaction caught by the partition ends within the query timeout, not twice it', async () => {
    const database = await open({ ...LIMITS, queryTimeoutMs: 1500, poolMax: 2 });
    const started = Date.now();
    const work = database.db.transaction().execute(async (t) => {
      await sql`select 1`.execute(t);
      proxy.blackhole();
      await sql`select 2`.execute(t);
    });
    await expect(work).rejects.toThrow(/Query read timeout/);
    expect(Date.now() - started).toBeLessThan(2700);
  });
});

describe('what counts as the database being unreachable', () => {
  const server = (code: string) => Object.assign(new DatabaseError('from the server', 0, 'error'), { code });
  test.each([
    ['a statement cancelled by statement_timeout', server('57014'), false],
    ['a unique violation', server('23505'), false],
    ['a NUL byte refused', server('22021'), false],
    ['a connection exception from the server', server('08006'), true],
    ['the server shutting down', server('57P01'), true],
    ['the server starting up', server('57P03'), true],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ["node-postgres's query_timeout", new Error('Query read timeout'), true],
    ['a connection that timed out opening', new Error('Connection terminated due to connection timeout'), true],
    ['a connection lost', new Error('Connection terminated unexpectedly'), true],
    ['every pooled connection busy (load, not an outage)', new Error('timeout exceeded when trying to connect'), false],
    ['a bug in a query', new TypeError("Cannot read properties of undefined (reading 'x')"), false],
  ])('%s', (_what, err, fault) => {
    expect(isConnectionFault(err)).toBe(fault);
  });
});

describe('SQLite: a write waits a bounded time for another process’s lock', () => {
  test('DB_SQLITE_BUSY_TIMEOUT_MS bounds the wait', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-busy-'));
    const file = path.join(dir, 'bot.sqlite');
    const database = await openDatabase({ kind: 'sqlite', file, busyTimeoutMs: 300 });
    const other = new BetterSqlite3(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const write = await timed(() =>
        database.db.insertInto('bot_state').values({ key: 'k', doc: '{}', etag: 'e', updated_at: new Date().toISOString() }).execute(),
      );
      expect((write.error as { code?: string }).code).toBe('SQLITE_BUSY');
      expect(write.ms).toBeGreaterThanOrEqual(250);
      expect(write.ms).toBeLessThan(1500);
      other.exec('ROLLBACK');
      await database.db.insertInto('bot_state').values({ key: 'k', doc: '{}', etag: 'e', updated_at: new Date().toISOString() }).execute();
      expect(database.available()).toBe(true);
    } finally {
      other.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

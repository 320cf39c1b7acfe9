import { sql } from 'kysely';
import { Metrics } from '../../src/services/metrics';
import type { Database } from '../../src/db';
import { SqlRateLimiter } from '../../src/services/rateLimit';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

async function refusals(metrics: Metrics, limit: string): Promise<number> {
  const metric = await metrics.values('bot_rate_limit_refusals_total');
  return metric.filter((v) => v.labels.limit === limit).reduce((n, v) => n + v.value, 0);
}

describe.each(engines())('SqlRateLimiter on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => t.dispose());

  test('allows up to the limit within a window, then refuses with Retry-After', async () => {
    const limiter = new SqlRateLimiter(t.database.db);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.hit('otp', '+60123456789', 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results[4]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(results[4]!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  test('a new window starts over; buckets and keys are separate', async () => {
    const limiter = new SqlRateLimiter(t.database.db);
    for (let i = 0; i < 3; i++) await limiter.hit('a', 'k', 2, 1);
    expect((await limiter.hit('a', 'k', 2, 1)).allowed).toBe(false);
    expect((await limiter.hit('a', 'other', 2, 1)).allowed).toBe(true);
    expect((await limiter.hit('b', 'k', 2, 1)).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await limiter.hit('a', 'k', 2, 1)).toMatchObject({ allowed: true, count: 1 });
  });

  test('two instances (two connections to one database) enforce ONE limit, even hitting at once', async () => {
    const limiter = new SqlRateLimiter(t.database.db);
    // another process's connection: a second better-sqlite3 handle on the same file, or a second pg pool
    const other = new SqlRateLimiter((await t.reopen()).db);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : limiter).hit('c', 'k', 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(Math.max(...results.map((r) => r.count))).toBe(20);
    expect(await other.hit('c', 'k', 10, 60)).toMatchObject({ allowed: false, count: 21 });
  });

  test('the key is stored hashed, never in clear text', async () => {
    const limiter = new SqlRateLimiter(t.database.db);
    await limiter.hit('lookup', '900101-14-5678', 3, 60);
    const rows = await t.database.db.selectFrom('rate_limit_counters').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('5678');
    expect(JSON.stringify(rows)).not.toContain('900101');
  });

  if (engine === 'postgres') {
    test('the counters table is UNLOGGED on PostgreSQL (no WAL flush per counted request)', async () => {
      const { rows } = await sql<{ relpersistence: string }>`
        select relpersistence from pg_class where relname = 'rate_limit_counters' and relnamespace = current_schema()::regnamespace`.execute(t.database.db);
      expect(rows).toEqual([{ relpersistence: 'u' }]);
    });
  }

  test('refusals are counted in bot_rate_limit_refusals_total by limit', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const limiter = new SqlRateLimiter(t.database.db, { metrics });
    for (let i = 0; i < 4; i++) await limiter.hit(`metric-${engine}`, 'k', 1, 60);
    expect(await refusals(metrics, `metric_${engine}`)).toBe(3);
  });

  test('blockInMemory: a key over its limit is refused without touching the database', async () => {
    const limiter = new SqlRateLimiter(t.database.db, { blockInMemory: true });
    for (let i = 0; i < 3; i++) await limiter.hit('flood', 'k', 2, 60);
    const stored = async () => (await t.database.db.selectFrom('rate_limit_counters').select('points').executeTakeFirstOrThrow()).points;
    expect(await stored()).toBe(3);
    for (let i = 0; i < 50; i++) expect((await limiter.hit('flood', 'k', 2, 60)).allowed).toBe(false);
    expect(await stored()).toBe(3);
  });

  if (engine === 'postgres') {
    test('a database that does not answer in time: local limits count in memory, others fail after the timeout', async () => {
      // another session holds the table locked: every counter write waits, as on a silent partition
      const { Client } = await import('pg');
      const blocker = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await blocker.connect();
      try {
        await blocker.query(`set search_path to "${t.schema}"`);
        await blocker.query('begin');
        await blocker.query('lock table rate_limit_counters in access exclusive mode');
        const local = new SqlRateLimiter(t.database.db, { onDatabaseError: 'local', timeoutMs: 300 });
        const started = Date.now();
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await local.hit('ip', '203.0.113.1', 2, 60));
        expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
        expect(Date.now() - started).toBeLessThan(3 * 300 + 1500);
        const closed = new SqlRateLimiter(t.database.db, { timeoutMs: 300 });
        await expect(closed.hit('otp-line', '+60123456789', 3, 60)).rejects.toThrow(/timed out/);
      } finally {
        await blocker.query('rollback');
        await blocker.end();
      }
    });
  }

  describe('when the database cannot count', () => {
    let broken: Database;
    beforeEach(async () => {
      broken = await t.reopen();
      await broken.close(); // every query on it now fails, as during an outage
    });

    test("fail closed (the default, procedures' limits): the hit rejects", async () => {
      const limiter = new SqlRateLimiter(broken.db);
      await expect(limiter.hit('otp-line', '+60123456789', 3, 60)).rejects.toThrow();
    });

    test('fail open to memory (hot-path limits): the limit still holds in this process', async () => {
      const limiter = new SqlRateLimiter(broken.db, { onDatabaseError: 'local' });
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await limiter.hit('ip', '203.0.113.9', 3, 60));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
      expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });
  });
});

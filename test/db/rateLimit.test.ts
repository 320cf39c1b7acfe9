import { SqlRateLimiter } from '../../src/services/rateLimit';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

describe.each(engines())('SqlRateLimiter on %s', (engine) => {
  let t: TestDatabase;
  let now = 1_700_000_000_000;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => t.dispose());

  test('allows up to the limit within a window, then refuses with Retry-After', async () => {
    const limiter = new SqlRateLimiter(t.database.db, () => now);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.hit('otp', '+60123456789', 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results[4]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(results[4]!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  test('a new window starts over; buckets and keys are separate', async () => {
    const limiter = new SqlRateLimiter(t.database.db, () => now);
    for (let i = 0; i < 3; i++) await limiter.hit('a', 'k', 2, 60);
    expect((await limiter.hit('a', 'other', 2, 60)).allowed).toBe(true);
    expect((await limiter.hit('b', 'k', 2, 60)).allowed).toBe(true);
    now += 60_000;
    expect(await limiter.hit('a', 'k', 2, 60)).toMatchObject({ allowed: true, count: 1 });
  });

  test('concurrent hits are all counted', async () => {
    const limiter = new SqlRateLimiter(t.database.db, () => now);
    const other = new SqlRateLimiter(engine === 'postgres' ? (await t.reopen()).db : t.database.db, () => now);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : limiter).hit('c', 'k', 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(Math.max(...results.map((r) => r.count))).toBe(20);
  });

  test('the key is stored hashed, never in clear text', async () => {
    const limiter = new SqlRateLimiter(t.database.db, () => now);
    await limiter.hit('lookup', '900101-14-5678', 3, 60);
    const rows = await t.database.db.selectFrom('rate_limits').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('5678');
  });
});

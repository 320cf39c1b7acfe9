/**
 * The Storage contract, run against botbuilder's MemoryStorage (the reference) and our SqlStorage on
 * SQLite and PostgreSQL: the same expectations on every engine.
 */
import { MemoryStorage, type Storage } from 'botbuilder';
import { SqlStorage, isETagConflict } from '../../src/db/storage';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

type Kind = 'memory' | 'sqlite' | 'postgres';
const kinds: Array<[Kind]> = [['memory'], ...engines()];

describe.each(kinds)('Storage contract on %s', (kind) => {
  let storage: Storage;
  let testDb: TestDatabase | undefined;

  beforeEach(async () => {
    if (kind === 'memory') {
      storage = new MemoryStorage();
    } else {
      testDb = await openTestDatabase(kind);
      storage = new SqlStorage(testDb.database.db);
    }
  });
  afterEach(async () => {
    await testDb?.dispose();
    testDb = undefined;
  });

  test('reads nothing for unknown keys', async () => {
    expect(await storage.read(['nope'])).toEqual({});
    expect(await storage.read([])).toEqual({});
  });

  test('writes, reads back with an eTag, and deletes', async () => {
    await storage.write({ a: { count: 1, nested: { list: [1, 'two', null] } }, b: { name: 'Siti' } });
    const items = await storage.read(['a', 'b', 'c']);
    expect(Object.keys(items).sort()).toEqual(['a', 'b']);
    expect(items.a).toMatchObject({ count: 1, nested: { list: [1, 'two', null] } });
    expect(typeof items.a!.eTag).toBe('string');
    expect(items.a!.eTag).not.toBe('*');
    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });

  test('each write gives a new eTag', async () => {
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k!.eTag;
    await storage.write({ k: { v: 2 } });
    const second = (await storage.read(['k'])).k!.eTag;
    expect(second).not.toBe(first);
  });

  test('a write with the current eTag succeeds', async () => {
    await storage.write({ k: { v: 1 } });
    const item = (await storage.read(['k'])).k!;
    await storage.write({ k: { ...item, v: 2 } });
    expect((await storage.read(['k'])).k).toMatchObject({ v: 2 });
  });

  test('a write with a stale eTag fails with the standard conflict error and changes nothing', async () => {
    await storage.write({ k: { v: 1 } });
    const stale = (await storage.read(['k'])).k!;
    await storage.write({ k: { ...stale, v: 2 } });
    let error: unknown;
    try {
      await storage.write({ k: { ...stale, v: 3 } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Storage: error writing "k" due to eTag conflict.');
    expect(isETagConflict(error)).toBe(true);
    expect((await storage.read(['k'])).k).toMatchObject({ v: 2 });
  });

  test('eTag "*" and no eTag write unconditionally', async () => {
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    expect((await storage.read(['k'])).k).toMatchObject({ v: 2 });
    await storage.write({ k: { v: 3 } });
    expect((await storage.read(['k'])).k).toMatchObject({ v: 3 });
  });

  test('a specific eTag on a new key is written', async () => {
    await storage.write({ fresh: { v: 1, eTag: 'whatever' } });
    expect((await storage.read(['fresh'])).fresh).toMatchObject({ v: 1 });
  });

  // MemoryStorage writes key by key, so it is not atomic; the SQL storage is.
  (kind === 'memory' ? test.skip : test)('a multi-key write is atomic: one conflict writes nothing', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    const stale = await storage.read(['a', 'b']);
    await storage.write({ b: { ...stale.b, v: 2 } });
    await expect(
      storage.write({ a: { ...stale.a, v: 'new' }, c: { v: 'new' }, b: { ...stale.b, v: 'lost' } }),
    ).rejects.toThrow('eTag conflict');
    const after = await storage.read(['a', 'b', 'c']);
    expect(after.a).toMatchObject({ v: 1 });
    expect(after.b).toMatchObject({ v: 2 });
    expect(after.c).toBeUndefined();
  });

  (kind === 'memory' ? test.skip : test)('concurrent writers with the same eTag: exactly one wins', async () => {
    await storage.write({ k: { v: 0 } });
    const base = (await storage.read(['k'])).k!;
    // PostgreSQL: a second connection pool, as a second bot instance would have. SQLite: one connection
    // per process (better-sqlite3 is synchronous; a second connection in the same thread would block it).
    const other = kind === 'postgres' ? new SqlStorage((await testDb!.reopen()).db) : storage;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? other : storage).write({ k: { ...base, v: i + 1 } })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(1);
    for (const r of results) if (r.status === 'rejected') expect(isETagConflict(r.reason)).toBe(true);
  });

  (kind === 'memory' ? test.skip : test)('the state survives a reopen of the database', async () => {
    await storage.write({ k: { lang: 'ms' } });
    const again = new SqlStorage((await testDb!.reopen()).db);
    expect((await again.read(['k'])).k).toMatchObject({ lang: 'ms' });
  });

  test('keys with odd characters round-trip', async () => {
    const key = 'webchat/conversations/a:b/c?d=e&f#g ✓ "quoted"';
    await storage.write({ [key]: { ok: true } });
    expect((await storage.read([key]))[key]).toMatchObject({ ok: true });
  });
});

/**
 * The legacy-account directory (SQL adapter on both engines, demo seed; HTTP adapter against a local
 * service) and the migration tokens (hash only, single use under concurrency, expiry).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMyKad, parsePassport } from '../../src/domain';
import { DEMO_ACCOUNTS, HttpLegacyAccounts, SqlLegacyAccounts, seedDemoAccounts } from '../../src/services/legacyAccounts';
import { MigrationTokens, hashToken, sharedSecret } from '../../src/services/migrationTokens';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';

test('the demo accounts have valid identifiers', () => {
  for (const a of DEMO_ACCOUNTS) {
    if (a.mykad) expect(parseMyKad(a.mykad).ok).toBe(true);
    if (a.passport) expect(parsePassport(a.passport).ok).toBe(true);
  }
});

describe.each(engines())('legacy accounts and tokens on %s', (engine) => {
  let tdb: TestDatabase;
  let clock: number;
  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
    clock = Date.parse('2026-05-01T00:00:00Z');
  });
  afterEach(async () => tdb.dispose());

  test('seeding is idempotent; lookups by e-mail (any case), MyKad and passport', async () => {
    const db = tdb.database.db;
    expect(await seedDemoAccounts(db)).toBe(DEMO_ACCOUNTS.length);
    expect(await seedDemoAccounts(db)).toBe(0);
    const dir = new SqlLegacyAccounts(db);
    expect((await dir.find({ kind: 'email', value: 'Aminah.Abdullah@EXAMPLE.com' }))?.id).toBe('demo-1');
    expect((await dir.find({ kind: 'mykad', value: '900101105431' }))?.email).toBe('tan.weiming@example.com.my');
    expect((await dir.find({ kind: 'passport', value: 'a12345678' }))?.name).toBe('John Smith');
    expect(await dir.find({ kind: 'mykad', value: '880808088888' })).toBeUndefined();
    await db.transaction().execute((trx) => dir.markMigrated('demo-2', { name: 'Tan W M', phone: '+60190000000', email: 'new@example.com', passwordHash: 'scrypt$x' }, trx));
    expect(await dir.get('demo-2')).toMatchObject({ migrated: true, email: 'new@example.com', name: 'Tan W M' });
    await expect(dir.markMigrated('nope', { name: 'a', phone: 'b', email: 'c', passwordHash: 'd' })).rejects.toThrow('not found');
  });

  test('tokens: only the hash is stored, single use even when two submits race, expiry honoured', async () => {
    const db = tdb.database.db;
    const tokens = new MigrationTokens(db, { ttlMinutes: 30, now: () => clock });
    const { token, tokenHash } = await tokens.issue('demo-1', 'en');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash).toBe(hashToken(token));
    const rows = await db.selectFrom('migration_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await tokens.inspect(token)).toMatchObject({ status: 'valid', accountId: 'demo-1', lang: 'en' });
    const other = await tdb.reopen();
    const results = await Promise.all([tokens.consume(token), new MigrationTokens(other.db, { ttlMinutes: 30, now: () => clock }).consume(token)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await tokens.inspect(token)).toEqual({ status: 'used', lang: 'en', accountId: 'demo-1', tokenHash });

    const second = await tokens.issue('demo-2', 'ms');
    clock += 30 * 60_000;
    expect(await tokens.inspect(second.token)).toEqual({ status: 'expired', lang: 'ms' });
    expect(await tokens.consume(second.token)).toBe(false);
    expect(await tokens.inspect('x'.repeat(43))).toEqual({ status: 'unknown' });
  });

  test('a shared secret is created once and the same for every instance', async () => {
    const a = await sharedSecret(tdb.database.db, 'k');
    const b = await sharedSecret((await tdb.reopen()).db, 'k');
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBe(32);
  });
});

describe('HTTP legacy-account adapter', () => {
  let server: http.Server;
  let base: string;
  const calls: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push(`${req.method} ${req.url} ${body}`);
        const send = (status: number, json?: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(json === undefined ? '' : JSON.stringify(json));
        };
        if (req.url === '/api/lookup') {
          const q = JSON.parse(body) as { kind: string; value: string };
          if (q.value === '850312145672') return send(200, { id: 'L-1', email: 'a@example.com', name: 'A', phone: '+60123456789', mykad: q.value });
          if (q.value === 'boom@example.com') return send(503, { error: 'down' });
          return send(404);
        }
        if (req.url === '/api/accounts/L-1') return send(200, { id: 'L-1', email: 'a@example.com', name: 'A', migrated: true });
        if (req.url === '/api/accounts/L-1/migrate') return send(204);
        send(404);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('finds, gets and migrates through the service; a 5xx is an error, a 404 is "no account"', async () => {
    const dir = new HttpLegacyAccounts(base);
    expect(await dir.find({ kind: 'mykad', value: '850312145672' })).toEqual({
      id: 'L-1', email: 'a@example.com', name: 'A', phone: '+60123456789', mykad: '850312145672', migrated: false,
    });
    expect(await dir.find({ kind: 'mykad', value: '900101105431' })).toBeUndefined();
    await expect(dir.find({ kind: 'email', value: 'boom@example.com' })).rejects.toThrow('503');
    expect((await dir.get('L-1'))?.migrated).toBe(true);
    expect(await dir.get('L-2')).toBeUndefined();
    await dir.markMigrated('L-1', { name: 'A', phone: '+60123456789', email: 'a@example.com', passwordHash: 'scrypt$1' });
    expect(calls).toContain('POST /api/accounts/L-1/migrate {"name":"A","phone":"+60123456789","email":"a@example.com","passwordHash":"scrypt$1"}');
  });
});

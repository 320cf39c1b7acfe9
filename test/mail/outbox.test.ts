/**
 * The mail outbox on both engines: enqueue and dedupe, a real SMTP round trip (smtp-server on 127.0.0.1),
 * an SMTP outage (nothing lost, retried with backoff once the server is back), the last attempt, the
 * `.eml` fallback with its links logged, retention, and two workers never sending one mail twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { createMailTransport, FileMailTransport, SmtpMailTransport } from '../../src/services/mail/transport';
import { OutboxWorker, outboxCounts } from '../../src/services/mail/worker';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { startSmtp, type TestSmtp } from './smtp';
import { memoryLogger } from '../helpers/log';

const capture = () => memoryLogger('debug');

const mail = (n: number, extra: Record<string, unknown> = {}) => ({
  to: `customer${n}@example.com`,
  subject: `Subject ${n}`,
  text: `Hello ${n}, open https://bot.example.my/migrate/abc${n} now.`,
  html: `<p>Hello ${n}</p>`,
  lang: 'en' as const,
  kind: 'test',
  ...extra,
});

describe.each(engines())('mail outbox on %s', (engine) => {
  let tdb: TestDatabase;
  let dataDir: string;
  let clock: number;
  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    clock = Date.parse('2026-03-01T02:00:00Z');
  });
  afterEach(async () => {
    await tdb.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = () => new SqlMailOutbox(tdb.database.db, { from: 'Bot <bot@example.com>', now: () => clock });

  test('enqueue stores a pending row; the same dedupe key is one mail', async () => {
    const a = await outbox().enqueue(mail(1, { dedupeKey: 'k-1' }));
    const b = await outbox().enqueue(mail(1, { dedupeKey: 'k-1', subject: 'again' }));
    const c = await outbox().enqueue(mail(2));
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ id: a.id, duplicate: true });
    expect(c.duplicate).toBe(false);
    const rows = await tdb.database.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, subject: 'Subject 1', from_addr: 'Bot <bot@example.com>' });
    expect(rows[0]!.next_attempt_at).toBe(new Date(clock).toISOString());
  });

  test('enqueue inside a transaction is rolled back with it', async () => {
    await expect(
      tdb.database.db.transaction().execute(async (trx) => {
        await outbox().enqueue(mail(3, { dedupeKey: 'tx' }), trx);
        // a duplicate inside the same transaction does not abort it (PostgreSQL)
        expect((await outbox().enqueue(mail(3, { dedupeKey: 'tx' }), trx)).duplicate).toBe(true);
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await outboxCounts(tdb.database.db)).toEqual({});
  });

  test('a real SMTP round trip, then an outage: retried with backoff and nothing lost', async () => {
    const smtp = await startSmtp();
    const { log, lines } = capture();
    const worker = new OutboxWorker({
      db: tdb.database.db,
      transport: new SmtpMailTransport(`smtp://127.0.0.1:${smtp.port}`, { timeoutMs: 2000 }),
      log,
      maxAttempts: 5,
      pollMs: 50,
      dataDir,
      backoffBaseMs: 60_000,
      now: () => clock,
      random: () => 0.5,
    });
    try {
      await outbox().enqueue(mail(1));
      expect(await worker.drainOnce()).toBe(1);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.to).toEqual(['customer1@example.com']);
      expect(smtp.messages[0]!.raw).toContain('Subject: Subject 1');
      expect(await outboxCounts(tdb.database.db)).toEqual({ sent: 1 });

      // the server goes away: connection refused
      const port = smtp.port;
      await smtp.close();
      await outbox().enqueue(mail(2));
      expect(await worker.drainOnce()).toBe(1);
      let row = await tdb.database.db.selectFrom('mail_outbox').selectAll().where('to_addr', '=', 'customer2@example.com').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      // 60 s · 2^0 · (1 + 0.25 · 0.5)
      expect(Date.parse(row.next_attempt_at) - clock).toBe(67_500);
      expect(lines.join('')).toContain('c••••@e••••.com');
      expect(lines.join('')).not.toContain('customer2@example.com');

      // not due yet: nothing claimed
      expect(await worker.drainOnce()).toBe(0);
      clock += 30_000;
      expect(await worker.drainOnce()).toBe(0);

      // due again, still down: the next delay doubles
      clock += 40_000;
      expect(await worker.drainOnce()).toBe(1);
      row = await tdb.database.db.selectFrom('mail_outbox').selectAll().where('to_addr', '=', 'customer2@example.com').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'pending', attempts: 2 });
      expect(Date.parse(row.next_attempt_at) - clock).toBe(135_000);

      // the server is back on the same port
      const back = await startSmtp(port);
      try {
        clock += 135_000;
        expect(await worker.drainOnce()).toBe(1);
        expect(back.messages).toHaveLength(1);
        expect(back.messages[0]!.to).toEqual(['customer2@example.com']);
        expect(await outboxCounts(tdb.database.db)).toEqual({ sent: 2 });
      } finally {
        await back.close();
      }
    } finally {
      await worker.stop();
      await smtp.close().catch(() => undefined);
    }
  });

  test('after maxAttempts a mail is marked failed, not retried forever', async () => {
    const { log } = capture();
    let calls = 0;
    const worker = new OutboxWorker({
      db: tdb.database.db,
      transport: { name: 'smtp', close: () => undefined, send: async () => { calls++; throw new Error('550 mailbox unavailable'); } },
      log,
      maxAttempts: 3,
      pollMs: 50,
      dataDir,
      backoffBaseMs: 1000,
      now: () => clock,
      random: () => 0,
    });
    await outbox().enqueue(mail(1));
    for (let i = 0; i < 5; i++) {
      await worker.drainOnce();
      clock += 60_000;
    }
    expect(calls).toBe(3);
    const row = await tdb.database.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: '550 mailbox unavailable' });
  });

  test('a row abandoned mid-send by a crashed instance is claimed again after the lease', async () => {
    const { log } = capture();
    const sent: string[] = [];
    const make = () =>
      new OutboxWorker({
        db: tdb.database.db,
        transport: { name: 'smtp', close: () => undefined, send: async (m) => { sent.push(m.to); return {}; } },
        log,
        maxAttempts: 5,
        pollMs: 50,
        dataDir,
        leaseMs: 60_000,
        now: () => clock,
      });
    await outbox().enqueue(mail(1));
    await tdb.database.db.updateTable('mail_outbox').set({ status: 'sending', claimed_at: new Date(clock).toISOString(), attempts: 1 }).execute();
    expect(await make().drainOnce()).toBe(0);
    clock += 61_000;
    expect(await make().drainOnce()).toBe(1);
    expect(sent).toEqual(['customer1@example.com']);
  });

  test('two workers draining at once send every mail exactly once', async () => {
    const { log } = capture();
    const sent: string[] = [];
    const second = await tdb.reopen();
    const make = (db: typeof tdb.database.db) =>
      new OutboxWorker({
        db,
        transport: {
          name: 'smtp',
          close: () => undefined,
          send: async (m) => {
            await new Promise((r) => setTimeout(r, 2));
            sent.push(m.to);
            return {};
          },
        },
        log,
        maxAttempts: 5,
        pollMs: 50,
        dataDir,
        batchSize: 5,
        now: () => clock,
      });
    for (let i = 0; i < 40; i++) await outbox().enqueue(mail(i));
    const a = make(tdb.database.db);
    const b = make(second.db);
    const drain = async (w: OutboxWorker) => {
      let n = 0;
      for (let k; (k = await w.drainOnce()) > 0; ) n += k;
      return n;
    };
    const [na, nb] = await Promise.all([drain(a), drain(b)]);
    expect(na + nb).toBe(40);
    expect(sent).toHaveLength(40);
    expect(new Set(sent).size).toBe(40);
    expect(await outboxCounts(tdb.database.db)).toEqual({ sent: 40 });
  });

  test('without SMTP: an .eml file under DATA_DIR/outbox, the links logged with their tokens hidden', async () => {
    const { log, lines } = capture();
    const transport = createMailTransport({ SMTP_URL: undefined, dataDir, DEV_LOG_SECRETS: false }, log);
    expect(transport).toBeInstanceOf(FileMailTransport);
    const worker = new OutboxWorker({ db: tdb.database.db, transport, log, maxAttempts: 3, pollMs: 50, dataDir, now: () => clock });
    await outbox().enqueue(mail(7));
    expect(await worker.drainOnce()).toBe(1);
    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = fs.readFileSync(path.join(dataDir, 'outbox', files[0]!), 'utf8');
    expect(eml).toContain('To: customer7@example.com');
    expect(eml).toContain('Subject: Subject 7');
    expect(eml).toContain('https://bot.example.my/migrate/abc7');
    // the log names the file; the link's token is a key to an account and stays out of it (issue 13, item 9)
    const logged = lines.find((l) => l.includes('outbox folder'))!;
    expect(JSON.parse(logged).links).toEqual(['https://bot.example.my/migrate/[redacted]']);
    expect(JSON.parse(logged).file).toContain(files[0]);
    expect(lines.join('\n')).not.toContain('abc7');
    expect(logged).not.toContain('customer7@');

  });

  test('DEV_LOG_SECRETS (local development only): the links are logged whole', async () => {
    const { log, lines } = memoryLogger('debug', { showSecrets: true });
    const transport = createMailTransport({ SMTP_URL: undefined, dataDir, DEV_LOG_SECRETS: true }, log);
    const worker = new OutboxWorker({ db: tdb.database.db, transport, log, maxAttempts: 3, pollMs: 50, dataDir, now: () => clock });
    await outbox().enqueue(mail(8));
    expect(await worker.drainOnce()).toBe(1);
    const logged = lines.find((l) => l.includes('outbox folder'))!;
    expect(JSON.parse(logged).links).toEqual(['https://bot.example.my/migrate/abc8']);
  });

  test('start() delivers in the background and stop() waits for it', async () => {
    const { log } = capture();
    const sent: string[] = [];
    const worker = new OutboxWorker({
      db: tdb.database.db,
      transport: { name: 'smtp', close: () => undefined, send: async (m) => { sent.push(m.to); return {}; } },
      log,
      maxAttempts: 3,
      pollMs: 50,
      dataDir,
    });
    await new SqlMailOutbox(tdb.database.db, { from: 'x@example.com' }).enqueue(mail(1));
    worker.start();
    for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(sent).toEqual(['customer1@example.com']);
  });
});

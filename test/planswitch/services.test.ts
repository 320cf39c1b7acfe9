/**
 * The plan-switch services: the SMS outbox file and the HTTP sender's retries, the subscriber directory
 * (SQL on SQLite and PostgreSQL, HTTP on a real local server), and the one-time codes.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { OtpService } from '../../src/services/otp';
import type { OutboundSms } from '../../src/services/ports';
import { FileSmsSender, HttpSmsSender, createSmsSender } from '../../src/services/sms';
import { SmsOutbox } from '../../src/services/smsOutbox';
import { HttpSubscriberDirectory, SqlSubscriberDirectory, demoLines } from '../../src/services/subscribers';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';

function memoryLog() {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', destination: new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }) });
  return { log, lines };
}

describe('SMS senders', () => {
  test('without SMS_URL: a file under the outbox, a log line with the masked number and no code', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-'));
    const { log, lines } = memoryLog();
    await new FileSmsSender(path.join(dir, 'outbox', 'sms'), log, false).send({ to: '+60121000001', text: 'Your code: 123456', kind: 'otp' });
    const files = fs.readdirSync(path.join(dir, 'outbox', 'sms'));
    expect(files).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'outbox', 'sms', files[0]!), 'utf8'))).toMatchObject({ to: '+60121000001', text: 'Your code: 123456' });
    const logged = lines.join('');
    expect(logged).toContain('+6012•••••01');
    expect(logged).not.toContain('123456');
    expect(logged).not.toContain('+60121000001');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the local stand-in logs the text (the code) only with DEV_LOG_SECRETS, whatever NODE_ENV', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-'));
    try {
      for (const [secrets, logged] of [[false, false], [true, true]] as const) {
        const { log, lines } = memoryLog();
        const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, DEV_LOG_SECRETS: String(secrets) });
        await createSmsSender(config, log).send({ to: '+60121000001', text: 'Your code: 654321', kind: 'otp' });
        expect(lines.join('').includes('654321')).toBe(logged);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with SMS_URL: POSTs, retries a 5xx, and gives up on a 4xx', async () => {
    const got: OutboundSms[] = [];
    let fail = 1;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // (restify, loaded by other tests in this worker, patches writeHead so it no longer returns res)
        res.statusCode = req.url === '/bad' ? 400 : fail-- > 0 ? 503 : 202;
        if (res.statusCode === 202) got.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { log } = memoryLog();
    try {
      await new HttpSmsSender(`${base}/sms`, log, { backoffMs: 5 }).send({ to: '+60121000001', text: 'hi', kind: 'otp' });
      expect(got).toEqual([{ to: '+60121000001', text: 'hi', kind: 'otp' }]);
      await expect(new HttpSmsSender(`${base}/bad`, log, { backoffMs: 5 }).send({ to: '+60121000001', text: 'x', kind: 'otp' })).rejects.toThrow('HTTP 400');
    } finally {
      server.close();
    }
  });
});

describe.each(engines())('subscriber directory and one-time codes on %s', (engine) => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
  });
  afterEach(async () => tdb.dispose());

  test('demo lines are seeded and read back exactly; unknown numbers are undefined', async () => {
    const today = { y: 2026, m: 4, d: 20 };
    const dir = new SqlSubscriberDirectory(tdb.database.db, { seedDemo: true, today: () => today });
    const line = await dir.findLine('+60121000004');
    expect(line).toMatchObject({ type: 'postpaid', status: 'active', planId: 'digi-postpaid-80', outstandingSen: 0 });
    expect(line!.planChanges).toEqual([{ y: 2026, m: 3, d: 31 }, { y: 2026, m: 4, d: 17 }]);
    expect(await dir.findLine('+60121000005')).toMatchObject({ underContract: true, contractPenaltySen: 30000 });
    expect(await dir.findLine('+60199999999')).toBeUndefined();
    expect(demoLines(today).every((l) => l.shows.length > 0)).toBe(true);
    const unseeded = new SqlSubscriberDirectory((await tdb.reopen()).db, {});
    expect(await unseeded.findLine('+60121000001')).toMatchObject({ planId: 'digi-postpaid-58' });
  });

  test('codes: right code once, wrong codes counted, expiry, rate limit', async () => {
    const sent: OutboundSms[] = [];
    let now = 1_000_000;
    const { log } = memoryLog();
    const db = tdb.database.db;
    const outbox = new SmsOutbox({ db, sender: { send: async (m: OutboundSms) => void sent.push(m) }, log, now: () => now });
    const directory = new SqlSubscriberDirectory(db, { seedDemo: true });
    const otp = new OtpService({ db, engine: tdb.database.engine, directory, outbox, log }, { ttlSeconds: 300, maxTries: 3, now: () => now });
    const msg = (code: string, minutes: number) => `code ${code} for ${minutes} min`;
    const input = { msisdn: '+60121000001', conversationId: 'c1' };
    expect(await otp.issue({ ...input, message: msg })).toEqual({ ok: true, expiresInSeconds: 300 });
    await outbox.drain();
    const code = /code (\d{6}) for 5 min/.exec(sent[0]!.text)![1]!;
    const rows = await db.selectFrom('otp_codes').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(code);
    // the outbox keeps no code once the SMS is sent
    expect(JSON.stringify(await db.selectFrom('sms_outbox').selectAll().execute())).not.toContain(code);
    const wrong = code === '999999' ? '000000' : '999999';
    expect(await otp.verify({ ...input, code: wrong })).toEqual({ ok: false, reason: 'wrong', triesLeft: 2 });
    expect(await otp.verify({ ...input, conversationId: 'other', code })).toEqual({ ok: false, reason: 'none' });
    expect(await otp.verify({ ...input, code })).toEqual({ ok: true });
    expect(await otp.verify({ ...input, code })).toEqual({ ok: false, reason: 'none' });

    await otp.issue({ ...input, message: msg });
    await outbox.drain();
    const second = /code (\d{6})/.exec(sent[1]!.text)![1]!;
    now += 300_000;
    expect(await otp.verify({ ...input, code: second })).toEqual({ ok: false, reason: 'expired' });

    await otp.issue({ ...input, resend: true, message: msg });
    const limited = await otp.issue({ ...input, resend: true, message: msg });
    expect(limited).toMatchObject({ ok: false, reason: 'rate-limited' });
    await outbox.drain();
    expect(sent).toHaveLength(3);
  });
});

describe('HTTP subscriber directory', () => {
  test('reads a line, 404 is undefined, 5xx throws', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/lines/%2B60121000001') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ msisdn: '+60121000001', type: 'prepaid', status: 'active', planId: 'demo-prepaid-30', outstandingSen: 0, prepaidBalanceSen: 1234, underContract: false, planChanges: ['2026-04-02'] }),
        );
      } else {
        res.statusCode = req.url === '/lines/%2B60121000009' ? 500 : 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = new HttpSubscriberDirectory(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    try {
      expect(await dir.findLine('+60121000001')).toEqual({
        msisdn: '+60121000001', type: 'prepaid', status: 'active', planId: 'demo-prepaid-30', outstandingSen: 0, prepaidBalanceSen: 1234, underContract: false, planChanges: [{ y: 2026, m: 4, d: 2 }],
      });
      expect(await dir.findLine('+60121000002')).toBeUndefined();
      await expect(dir.findLine('+60121000009')).rejects.toThrow('HTTP 500');
    } finally {
      server.close();
    }
  });
});

/**
 * The migration link end to end through the real HTTP server on 127.0.0.1: the dialog over /api/messages,
 * the outbox delivering by real SMTP (smtp-server), the link from the received message opening the form,
 * the submit (CSRF, zod validation, scrypt), token replay and expiry, unknown links, security headers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createMigrationFeature } from '../../src/features/migration';
import { createLogger } from '../../src/logging';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createHttpServer, type HttpServer } from '../../src/server';
import { SmtpMailTransport } from '../../src/services/mail/transport';
import { OutboxWorker } from '../../src/services/mail/worker';
import { MigrationTokens } from '../../src/services/migrationTokens';
import { verifyPassword } from '../../src/web/migration/form';
import { activity, post, texts } from '../helpers/app';
import { decodeQuotedPrintable, startSmtp } from '../mail/smtp';
import { LateOutbox, linkIn, migrationKnowledgeDir } from './helpers';

describe('migration pages over HTTP', () => {
  let runtime: Runtime;
  let http: HttpServer;
  let url: string;
  let dataDir: string;
  let kb: string;
  let clock: number;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-web-'));
    kb = migrationKnowledgeDir();
    clock = Date.now();
    const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: kb, PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:1' }, path.join(__dirname, '../..'));
    const log = createLogger({ level: 'info', format: 'json', destination: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }) });
    const outbox = new LateOutbox();
    runtime = await createRuntime(config, log, {
      mail: outbox,
      features: (deps) => {
        outbox.bind(deps);
        return [createMigrationFeature(deps, { now: () => clock })];
      },
    });
    http = createHttpServer(runtime, log);
    await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.server.close();
    http.server.server.closeAllConnections?.();
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(kb, { recursive: true, force: true });
  });

  const tokens = () => new MigrationTokens(runtime.database.db, { ttlMinutes: 30, now: () => clock });
  const get = (p: string) => fetch(`${url}${p}`, { redirect: 'manual' });
  const csrfOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)![1]!;
  const nonceOf = (html: string) => html.match(/name="_nonce" value="([^"]+)"/)![1]!;
  const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
  const submit = (p: string, fields: Record<string, string>, cookie?: string) =>
    fetch(`${url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
    });
  const good = { name: 'Aminah Abdullah', phone: '012-999 8877', email: 'aminah.new@example.com', password: 'kuih lapis 2026', password_confirm: 'kuih lapis 2026' };

  function expectSecurityHeaders(res: Response) {
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  }

  test('the whole procedure: chat over /api/messages, SMTP delivery, the link, the form, the submit, a replay', async () => {
    const smtp = await startSmtp();
    const worker = new OutboxWorker({
      db: runtime.database.db,
      transport: new SmtpMailTransport(`smtp://127.0.0.1:${smtp.port}`, { timeoutMs: 2000 }),
      log: runtime.log,
      maxAttempts: 3,
      pollMs: 50,
      dataDir,
    });
    try {
      const conv = { conversation: { id: 'web-conv-1' } };
      const first = await post(url, activity('x boleh login guna ID lama', conv));
      expect(texts(first).join('\n')).toContain('Sila taip emel atau nombor kad pengenalan');
      const confirm = await post(url, activity('ic saya 850312-14-5672', conv));
      expect(texts(confirm).join('\n')).toContain('a••••@e••••.com');
      const sent = await post(url, activity('ya', conv));
      expect(texts(sent).join('\n')).toContain('telah dihantar');

      expect(await worker.drainOnce()).toBe(1);
      expect(smtp.messages).toHaveLength(1);
      const received = smtp.messages[0]!;
      expect(received.to).toEqual(['aminah.abdullah@example.com']);
      expect(received.raw).toMatch(/^Subject: eBiz v2\.0: pautan migrasi akaun anda/m);
      expect(received.raw).toMatch(/multipart\/alternative/);
      expect(received.raw).toMatch(/Content-Language: ms/);
      const body = decodeQuotedPrintable(received.raw);
      expect(body).toContain('Salam sejahtera Aminah binti Abdullah');
      expect(body).toContain('<a href="http://127.0.0.1:1/migrate/');
      const { link, token } = linkIn(body)!;
      expect(link).toBe(`http://127.0.0.1:1/migrate/${token}`);

      const form = await get(`/migrate/${token}`);
      expect(form.status).toBe(200);
      expectSecurityHeaders(form);
      expect(form.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
      expect(form.headers.get('set-cookie')).toMatch(/HttpOnly/);
      const html = await form.text();
      expect(html).toContain('<html lang="ms">');
      expect(html).toContain('value="Aminah binti Abdullah"');
      expect(html).toContain('value="aminah.abdullah@example.com"');
      expect(html).toContain('value="+60123456789"');
      expect(html).toContain('sekurang-kurangnya 10 aksara');
      expect(html).toContain('<label for="password">');
      expect(html).not.toContain('<script');
      expect(html).toContain('••••••-••-5672');
      const english = await (await get(`/migrate/${token}?lang=en`)).text();
      expect(english).toContain('<html lang="en">');
      expect(english).toContain('at least 10 characters');

      const cookie = cookieOf(form);
      const csrf = csrfOf(html);
      const _nonce = nonceOf(html);
      // no CSRF cookie, or a wrong field: refused
      expect((await submit(`/migrate/${token}`, { ...good, _csrf: csrf, _nonce })).status).toBe(403);
      expect((await submit(`/migrate/${token}`, { ...good, _csrf: 'x'.repeat(43), _nonce }, cookie)).status).toBe(403);

      // invalid values: the form again with the errors, announced and tied to their fields
      const bad = await submit(`/migrate/${token}`, { ...good, phone: '12345', password: 'short1', password_confirm: 'short2', _csrf: csrf, _nonce, lang: 'en' }, cookie);
      expect(bad.status).toBe(422);
      const badHtml = await bad.text();
      expect(badHtml).toContain('role="alert"');
      expect(badHtml).toMatch(/id="phone"[^>]*aria-describedby="phone-hint phone-error"[^>]*aria-invalid="true"/);
      expect(badHtml).toContain('Enter a valid Malaysian mobile number');
      expect(badHtml).toContain('The password must be at least 10 characters');
      expect(badHtml).not.toContain('short1');
      const weak = await submit(`/migrate/${token}`, { ...good, password: 'onlyletters', password_confirm: 'onlyletters', _csrf: csrf, _nonce }, cookie);
      expect(weak.status).toBe(422);

      const done = await submit(`/migrate/${token}`, { ...good, _csrf: csrf, _nonce }, cookie);
      expect(done.status).toBe(200);
      expectSecurityHeaders(done);
      expect(await done.text()).toContain('Akaun anda telah dipindahkan');
      const account = await runtime.database.db.selectFrom('legacy_accounts').selectAll().where('id', '=', 'demo-1').executeTakeFirstOrThrow();
      expect(account).toMatchObject({ name: 'Aminah Abdullah', phone: '+60129998877', email: 'aminah.new@example.com' });
      expect(account.migrated_at).not.toBeNull();
      expect(account.password_hash).toMatch(/^scrypt\$/);
      expect(await verifyPassword('kuih lapis 2026', account.password_hash!)).toBe(true);
      expect(await verifyPassword('kuih lapis 2027', account.password_hash!)).toBe(false);

      // the token is burned: a GET or POST from elsewhere gets 410 (the resubmit of this very form: below)
      const replay = await get(`/migrate/${token}`);
      expect(replay.status).toBe(410);
      expectSecurityHeaders(replay);
      expect(await replay.text()).toContain('Pautan ini sudah digunakan');
      expect((await submit(`/migrate/${token}`, { ...good, _csrf: csrf, _nonce })).status).toBe(410);
      expect(logs.join('')).not.toContain('kuih lapis');
      expect(logs.join('')).not.toContain(token);
    } finally {
      await worker.stop();
      await smtp.close();
    }
  });

  /** A fresh link for an account and its form as one browser loaded it. */
  async function openForm(accountId: string, lang: 'ms' | 'en') {
    const { token } = await tokens().issue(accountId, lang);
    const form = await get(`/migrate/${token}`);
    expect(form.status).toBe(200);
    const html = await form.text();
    return { token, cookie: cookieOf(form), fields: { _csrf: csrfOf(html), _nonce: nonceOf(html) } };
  }

  test('completion is idempotent: the same form resubmitted (answer lost) gets the success page again, any other use "already used"', async () => {
    const a = await openForm('demo-4', 'en');
    const first = await submit(`/migrate/${a.token}`, { ...good, name: 'John Smith', email: 'john.new@example.net', ...a.fields }, a.cookie);
    expect(first.status).toBe(200);
    // the browser never saw that answer (crash, lost connection) and posts the same form again
    const again = await submit(`/migrate/${a.token}`, { ...good, name: 'John Smith', email: 'john.new@example.net', ...a.fields }, a.cookie);
    expect(again.status).toBe(200);
    expectSecurityHeaders(again);
    const againHtml = await again.text();
    expect(againHtml).toContain('Your account has been migrated');
    expect(againHtml).not.toContain('already been used');
    // ...or reloads the link with its form's cookie
    const reload = await fetch(`${url}/migrate/${a.token}`, { headers: { cookie: a.cookie } });
    expect(reload.status).toBe(200);
    expect(await reload.text()).toContain('Your account has been migrated');
    // another browser, a forged nonce, or the right nonce without its cookie: the honest page, in both languages
    const other = await submit(`/migrate/${a.token}`, { ...good, ...a.fields, _nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }, a.cookie);
    expect(other.status).toBe(410);
    expect(await other.text()).toContain('this one has been used to migrate the account');
    const noCookie = await submit(`/migrate/${a.token}`, { ...good, ...a.fields, lang: 'ms' });
    expect(noCookie.status).toBe(410);
    expect(await noCookie.text()).toContain('pautan ini telah digunakan untuk memindahkan akaun');
    const stranger = await get(`/migrate/${a.token}?lang=en`);
    expect(stranger.status).toBe(410);
    expect(await stranger.text()).toContain('This link has already been used');
    // the completion is recorded with the migration, in the token row
    const row = await runtime.database.db.selectFrom('migration_tokens').selectAll().where('account_id', '=', 'demo-4').where('used_at', 'is not', null).executeTakeFirstOrThrow();
    expect(row.completion_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['password12', 'en', 'too common'],
    ['aaaaaaaaa1', 'en', 'easily guessed pattern'],
    ['Password2024!', 'ms', 'terlalu biasa'],
    ['P@ssw0rd123', 'en', 'too common'],
    ['qwertyuiop1', 'en', 'too common'],
    ['2345678901b', 'en', 'easily guessed pattern'],
    ['abcabcabc1', 'ms', 'corak yang mudah diteka'],
    ['zxcvbnm,./9', 'en', 'too common'],
    ['mnbvcxz-lkjh7', 'en', 'easily guessed pattern'],
    ['tanweiming88', 'en', 'must not contain your name'],
    ['Tan123456789', 'en', 'easily guessed pattern'],
    ['Tan.Ming.2024', 'en', 'must not contain your name'],
    ['tan!!!2024!!', 'en', 'must not contain your name'],
    ['xx900101105431', 'ms', 'tidak boleh mengandungi nama'],
    ['lahir900101x', 'en', 'must not contain your name'],
    ['weiming.tan99', 'en', 'must not contain your name'],
    ['ebiz2.0portal', 'en', 'must not contain your name'],
  ])('the form refuses the weak password %s (%s)', async (password, lang, message) => {
    const f = await openForm('demo-2', lang as 'ms' | 'en');
    const res = await submit(`/migrate/${f.token}`, { ...good, name: 'Tan Wei Ming', email: 'tan.weiming@example.com.my', password, password_confirm: password, lang, ...f.fields }, f.cookie);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toMatch(/id="password"[^>]*aria-invalid="true"/);
    expect(html).not.toContain(password);
  });

  test('an expired link gets 410, an unknown or malformed one 404 — HTML, never a stack trace', async () => {
    // account demo-2 (seeded on start)
    await runtime.database.db.selectFrom('legacy_accounts').select('id').where('id', '=', 'demo-2').executeTakeFirstOrThrow();
    const { token } = await tokens().issue('demo-2', 'en');
    expect((await get(`/migrate/${token}`)).status).toBe(200);
    clock += 31 * 60_000;
    const expired = await get(`/migrate/${token}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');
    expect((await submit(`/migrate/${token}`, { ...good, _csrf: 'x' })).status).toBe(410);

    for (const p of [`/migrate/${'A'.repeat(43)}`, '/migrate/abc', "/migrate/'%3Cscript%3E"]) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expectSecurityHeaders(res);
      const text = await res.text();
      expect(text).toContain('Pautan tidak sah');
      expect(text).not.toMatch(/Error|at .*\.ts/);
    }
  });

  test('a newer link replaces an older one for the same account', async () => {
    const t = tokens();
    const older = await t.issue('demo-3', 'ms');
    const newer = await t.issue('demo-3', 'ms');
    expect((await get(`/migrate/${older.token}`)).status).toBe(410);
    expect((await get(`/migrate/${newer.token}`)).status).toBe(200);
  });
});

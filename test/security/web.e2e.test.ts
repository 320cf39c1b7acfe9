/**
 * Issue 10, items 3 and 6 on the real server: every web page (chat page, Web Chat assets, migration form and
 * its message pages) carries a Content-Security-Policy and the usual security headers; the admin API is
 * unreachable without the right token (and refuses everything when none is configured); and the per-IP rate
 * limit answers 429 with Retry-After on every HTTP endpoint, not only /api/messages, while health probes stay
 * reachable.
 */
import { MigrationTokens } from '../../src/services/migrationTokens';
import { type RunningBot, activity, post, startBot } from '../helpers/app';

const ADMIN_TOKEN = 'k'.repeat(40);

function expectSecurityHeaders(res: Response, what: string): void {
  const h = (n: string) => res.headers.get(n) ?? '';
  expect({ what, nosniff: h('x-content-type-options') }).toEqual({ what, nosniff: 'nosniff' });
  expect({ what, referrer: h('referrer-policy') }).toEqual({ what, referrer: 'no-referrer' });
  expect({ what, framing: h('x-frame-options') }).toMatchObject({ what, framing: expect.stringMatching(/^(DENY|SAMEORIGIN)$/) });
}

function expectCsp(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect({ what, csp }).toEqual({ what, csp: expect.stringMatching(/default-src 'none'|default-src 'self'/) });
  expect(csp).toMatch(/frame-ancestors '(none|self)'/);
  expect(csp).toMatch(/base-uri 'none'/);
  // no script from anywhere else, and no inline script
  const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
  expect(script).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
}

describe('web pages and admin endpoints', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ ADMIN_TOKEN, RATE_LIMIT_PER_IP: '100000' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  test('chat page (both languages) and its assets: CSP and security headers', async () => {
    for (const q of ['', '?lang=en', '?lang=ms']) {
      const res = await fetch(`${bot.url}/${q}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expectCsp(res, `/${q}`);
      expectSecurityHeaders(res, `/${q}`);
      const html = await res.text();
      // scripts come from this server only
      for (const m of html.matchAll(/<script[^>]*src="([^"]+)"/g)) {
        expect(m[1]).toMatch(/^\/?webchat\//);
        const asset = await fetch(new URL(m[1]!, `${bot.url}/`));
        expect(asset.status).toBe(200);
        expectSecurityHeaders(asset, m[1]!);
      }
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  test('migration pages (form, unknown, expired, used, refused posts): CSP and security headers', async () => {
    const tokens = new MigrationTokens(bot.app.runtime.database.db as never, { ttlMinutes: 30 });
    const valid = await tokens.issue('demo-1', 'ms');
    const used = await tokens.issue('demo-2', 'en');
    expect(await tokens.consume(used.token)).toBe(true);
    const pastTokens = new MigrationTokens(bot.app.runtime.database.db as never, { ttlMinutes: 1, now: () => Date.now() - 3_600_000 });
    const expired = await pastTokens.issue('demo-3', 'en');
    const pages: Array<[string, RequestInit | undefined, number]> = [
      [`/migrate/${valid.token}`, undefined, 200],
      [`/migrate/${valid.token}?lang=en`, undefined, 200],
      ['/migrate/not-a-real-token', undefined, 404],
      [`/migrate/${expired.token}`, undefined, 410],
      [`/migrate/${used.token}`, undefined, 410],
      // no CSRF cookie/field
      [`/migrate/${valid.token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' }, 403],
      // wrong content type
      [`/migrate/${valid.token}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 415],
    ];
    for (const [url, init, status] of pages) {
      const res = await fetch(`${bot.url}${url}`, init);
      const what = `${init?.method ?? 'GET'} ${url.replace(/[A-Za-z0-9_-]{20,}/, '<token>')}`;
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expectCsp(res, what);
      expectSecurityHeaders(res, what);
      expect(res.headers.get('cache-control') ?? '').toMatch(/no-store/);
    }
  });

  test('admin API: no token, a wrong token, a token in the wrong scheme → 401; the right token → 200', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/admin/tickets'],
      ['GET', '/api/admin/tickets/T-000001'],
      ['GET', '/api/admin/openapi.json'],
      ['PATCH', '/api/admin/tickets/T-000001'],
      ['POST', '/api/admin/tickets/T-000001/replies'],
    ];
    const bad = [undefined, `Bearer ${'x'.repeat(40)}`, `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, ADMIN_TOKEN, `Bearer ${ADMIN_TOKEN}x`, 'Bearer '];
    for (const [method, path] of routes) {
      for (const authorization of bad) {
        const res = await fetch(`${bot.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: method === 'GET' ? undefined : JSON.stringify({ status: 'closed', text: 'x', author: 'y' }),
        });
        expect({ method, path, authorization, status: res.status }).toEqual({ method, path, authorization, status: 401 });
        expect(JSON.stringify(await res.json())).not.toMatch(/ticket|T-0/i);
      }
    }
    const ok = await fetch(`${bot.url}/api/admin/tickets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  test('without ADMIN_TOKEN configured the admin API refuses every request, whatever is sent', async () => {
    const other = await startBot({});
    try {
      for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', 'Bearer null']) {
        const res = await fetch(`${other.url}/api/admin/tickets`, { headers: authorization ? { authorization } : {} });
        expect(res.status).toBe(401);
      }
    } finally {
      await other.stop();
    }
  });
});

describe('the per-IP rate limit covers every HTTP endpoint', () => {
  test.each([
    ['GET', '/', undefined],
    ['GET', '/api/admin/tickets', undefined],
    ['GET', '/migrate/some-token', undefined],
    ['GET', '/api/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', undefined],
    ['POST', '/directline/tokens/generate', '{}'],
    ['POST', '/directline/conversations', '{}'],
    ['POST', '/api/messages', JSON.stringify(activity('hai'))],
  ])('%s %s: 429 with Retry-After past the limit; health probes still answer', async (method, path, body) => {
    const bot = await startBot({ RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_SECONDS: '60', ADMIN_TOKEN });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 7; i++) {
        last = await fetch(`${bot.url}${path}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
        statuses.push(last.status);
        await last.arrayBuffer();
      }
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // the limit is per client address across endpoints: another endpoint is limited too
      const elsewhere = await post(bot.url, activity('hai'));
      expect(elsewhere.status).toBe(429);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});

describe('channel platforms that relay every customer from a few addresses are limited per conversation, not per IP', () => {
  test.each([
    ['signed WhatsApp webhooks', {}, '/api/whatsapp', '{}', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, 401],
    [
      '/api/messages with Bot Framework authentication on',
      { MicrosoftAppId: 'a1b2c3d4-0000-4000-8000-000000000000', MicrosoftAppPassword: 'x' },
      '/api/messages',
      JSON.stringify(activity('hai')),
      { authorization: 'Bearer not-a-valid-jwt' },
      401,
    ],
  ])('%s', async (_name, env, path, body, credentials, status) => {
    const bot = await startBot({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '60', ...env });
    try {
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${bot.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...credentials } });
        await res.arrayBuffer();
        // a request carrying the platform's credentials is refused for a bad one, never throttled as one client
        expect(res.status).toBe(status);
      }
      // one without any signature or token is not the platform's: it counts per IP like any other request
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${bot.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses).toEqual([status, status, status, 429]);
    } finally {
      await bot.stop();
    }
  });
});

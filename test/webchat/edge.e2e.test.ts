/**
 * Issue 13, items 2 and 12, at the web chat's edge of the real server: an upgrade to the Direct Line stream
 * path is refused as the Direct Line 3.0 reference says (401 without a token, 403 for a bad one, 404 for a
 * conversation that does not exist; the accepted stream is tested in stream.e2e.test.ts); a conversation cannot be kept alive for ever by refreshing its token
 * (DIRECT_LINE_CONVERSATION_MAX_HOURS); /webchat/constructor and friends are 404, not 500; and while the
 * database is unreachable, every route that needs it answers 503 with Retry-After instead of 500/502
 * (SQLite: the database closed under the server; PostgreSQL, when TEST_DATABASE_URL is set: a proxy cut).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TokenSigner } from '../../src/channels/directline/tokens';
import type { WebChatFeature } from '../../src/channels/directline/feature';
import { MigrationTokens } from '../../src/services/migrationTokens';
import { type RunningBot, startBot } from '../helpers/app';
import { pgUrl } from '../helpers/databases';
import { upgrade } from '../helpers/raw';
import { type TcpProxy, startTcpProxy } from '../faults/proxy';
import { connect } from './helpers';

const ADMIN_TOKEN = 'e'.repeat(40);

function webchat(bot: RunningBot): WebChatFeature {
  return bot.app.runtime.features.find((f) => f.name === 'webchat') as WebChatFeature;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('the Direct Line edge', () => {
  let bot: RunningBot;
  let port: number;
  beforeAll(async () => {
    bot = await startBot({ ADMIN_TOKEN, RATE_LIMIT_PER_IP: '100000' });
    port = Number(new URL(bot.url).port);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  test('a refused upgrade to the stream path: 401 without a token, 403 for a bad or foreign one, 404 for no conversation; always closed', async () => {
    const a = await connect(bot.url);
    const b = await connect(bot.url);
    const key = await webchat(bot).store.signingKey();
    const ghost = new TokenSigner(key).sign({ conv: 'no-such-conversation', user: 'dl_x' });
    const stream = (conv: string) => `/directline/conversations/${conv}/stream`;
    const cases: Array<[string, string, Record<string, string>, number, string | undefined]> = [
      ['no token', stream(a.conversationId), {}, 401, 'BadArgument'],
      ['an empty t=', `${stream(a.conversationId)}?t=`, {}, 401, 'BadArgument'],
      ['a Basic header', stream(a.conversationId), { Authorization: 'Basic eDp5' }, 401, 'BadArgument'],
      ['a bad t=', `${stream(a.conversationId)}?t=nonsense`, {}, 403, 'TokenExpired'],
      ['a bad bearer', stream(a.conversationId), { Authorization: 'Bearer nonsense' }, 403, 'TokenExpired'],
      ["another conversation's token", `${stream(b.conversationId)}?t=${a.token}`, {}, 403, 'BadArgument'],
      ['a conversation that does not exist', `${stream('no-such-conversation')}?t=${ghost}`, {}, 404, 'BadArgument'],
      ['a malformed watermark', `${stream(a.conversationId)}?watermark=x&t=${a.token}`, {}, 400, 'BadArgument'],
      ['a path under the stream', `${stream(a.conversationId)}/x?t=${a.token}`, {}, 404, undefined],
    ];
    for (const [what, path, headers, status, code] of cases) {
      const answer = await upgrade(port, path, headers);
      expect({ what, status: answer.status, closed: answer.closedByServer }).toEqual({ what, status, closed: true });
      if (code) expect({ what, code: JSON.parse(answer.body).error.code }).toEqual({ what, code });
      if (status === 401) expect(answer.headers['www-authenticate']).toBe('Bearer');
    }
  });

  test('a token is not refreshed past the conversation lifetime (24 h by default), and is refused when past it', async () => {
    const dl = await connect(bot.url);
    const key = await webchat(bot).store.signingKey();
    const now = Math.floor(Date.now() / 1000);
    // what a client refreshing every 15 minutes for 25 hours would hold: a fresh token of a 25-hour-old conversation
    const old = new TokenSigner(key).sign({ conv: dl.conversationId, user: dl.userId, start: now - 25 * 3600 });
    const refused = await fetch(`${bot.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${old}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('TokenExpired');
    const poll = await fetch(`${bot.url}/directline/conversations/${dl.conversationId}/activities`, { headers: { authorization: `Bearer ${old}` } });
    expect(poll.status).toBe(403);

    // 30 minutes before the end: the refreshed token lasts until the end, no longer, and keeps the start
    const late = new TokenSigner(key).sign({ conv: dl.conversationId, user: dl.userId, start: now - 23.5 * 3600 });
    const refreshed = await fetch(`${bot.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${late}` } });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { token: string; expires_in: number; conversationId: string };
    expect(body.conversationId).toBe(dl.conversationId);
    expect(body.expires_in).toBeLessThanOrEqual(1800);
    expect(body.expires_in).toBeGreaterThan(1700);
    expect(claimsOf(body.token).start).toBe(now - 23.5 * 3600);
    expect(Number(claimsOf(body.token).exp)).toBe(now - 23.5 * 3600 + 24 * 3600);

    // a young conversation: a refresh gives the full hour, and the conversation's start is carried over
    const young = await fetch(`${bot.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${dl.token}` } });
    const youngBody = (await young.json()) as { token: string; expires_in: number };
    expect(youngBody.expires_in).toBe(3600);
    expect(claimsOf(youngBody.token).start).toBe(claimsOf(dl.token).start);
  });

  test('the lifetime is configurable', async () => {
    const short = await startBot({ DIRECT_LINE_CONVERSATION_MAX_HOURS: '2' });
    try {
      const dl = await connect(short.url);
      const key = await webchat(short).store.signingKey();
      const now = Math.floor(Date.now() / 1000);
      const threeHours = new TokenSigner(key).sign({ conv: dl.conversationId, user: dl.userId, start: now - 3 * 3600 });
      expect((await fetch(`${short.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${threeHours}` } })).status).toBe(403);
      const oneHour = new TokenSigner(key).sign({ conv: dl.conversationId, user: dl.userId, start: now - 3600 });
      expect((await fetch(`${short.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${oneHour}` } })).status).toBe(200);
    } finally {
      await short.stop();
    }
  });

  test('names inherited from Object.prototype are not files: 404, never 500', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
      const res = await fetch(`${bot.url}/webchat/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
      expect(await res.json()).toEqual({ error: 'not found' });
    }
    for (const path of ['/__proto__', '/constructor', '/migrate/constructor', '/migrate/__proto__', '/directline/conversations/__proto__/activities']) {
      const res = await fetch(`${bot.url}${path}`);
      await res.arrayBuffer();
      expect({ path, server: res.status >= 500 }).toEqual({ path, server: false });
    }
    const admin = await fetch(`${bot.url}/api/admin/tickets/constructor`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(404);
    expect((await fetch(`${bot.url}/webchat/app.js`)).status).toBe(200);
  });
});

/** Every route that needs the database, once it is unreachable: 503 with Retry-After (never 500/502). */
async function expectUnavailable(bot: RunningBot, before: { token: string; conversationId: string; fresh: string; migration: string }): Promise<void> {
  const checks: Array<[string, Promise<Response>, 'json' | 'html']> = [
    ['generate a token', fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' }), 'json'],
    ['start a conversation', fetch(`${bot.url}/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${before.fresh}` } }), 'json'],
    ['poll', fetch(`${bot.url}/directline/conversations/${before.conversationId}/activities`, { headers: { authorization: `Bearer ${before.token}` } }), 'json'],
    [
      'post',
      fetch(`${bot.url}/directline/conversations/${before.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${before.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'hai' }),
      }),
      'json',
    ],
    ['reconnect', fetch(`${bot.url}/directline/conversations/${before.conversationId}`, { headers: { authorization: `Bearer ${before.token}` } }), 'json'],
    ['the Azure token endpoint', fetch(`${bot.url}/api/directline/token`, { method: 'POST' }), 'json'],
    ['the admin API', fetch(`${bot.url}/api/admin/tickets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }), 'json'],
    ['the migration form', fetch(`${bot.url}/migrate/${before.migration}`), 'html'],
  ];
  for (const [what, pending, kind] of checks) {
    const res = await pending;
    const text = await res.text();
    expect({ what, status: res.status }).toEqual({ what, status: 503 });
    expect({ what, retryAfter: Number(res.headers.get('retry-after')) > 0 }).toEqual({ what, retryAfter: true });
    if (kind === 'json') expect(text).not.toMatch(/stack|Error:|SQLITE|ECONN|postgres/i);
    else expect(res.headers.get('content-type')).toMatch(/text\/html/);
  }
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);
}

async function prepare(bot: RunningBot) {
  const dl = await connect(bot.url);
  const fresh = (await (await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
  const migration = await new MigrationTokens(bot.app.runtime.database.db as never, { ttlMinutes: 30 }).issue('demo-1', 'ms');
  return { token: dl.token, conversationId: dl.conversationId, fresh: fresh.token, migration: migration.token };
}

describe('a database outage is a 503 with Retry-After on every route that needs it (SQLite)', () => {
  test('routes answer 503 while the database is gone; a fresh instance cannot even refresh or check a stream token', async () => {
    const env = { ADMIN_TOKEN, DIRECT_LINE_SECRET: 'not-a-real-secret', RATE_LIMIT_PER_IP: '100000' };
    const bot = await startBot(env);
    const second = await startBot(env, bot.dataDir);
    try {
      const before = await prepare(bot);
      await bot.app.runtime.database.close();
      await expectUnavailable(bot, before);

      // another instance that has not loaded the signing key yet: a refresh and a stream upgrade need the database
      await second.app.runtime.database.close();
      const refresh = await fetch(`${second.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${before.token}` } });
      expect(refresh.status).toBe(503);
      expect(Number(refresh.headers.get('retry-after'))).toBeGreaterThan(0);
      const stream = await upgrade(Number(new URL(second.url).port), `/directline/conversations/${before.conversationId}/stream?t=${before.token}`);
      expect(stream.status).toBe(503);
      expect(Number(stream.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await second.stop();
      await bot.stop();
    }
  }, 60_000);
});

(pgUrl ? describe : describe.skip)('a database outage is a 503 with Retry-After on every route that needs it (PostgreSQL behind a cut proxy)', () => {
  const dbName = `k_edge_${randomBytes(4).toString('hex')}`;
  let proxy: TcpProxy;
  let bot: RunningBot;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin(`create database ${dbName}`);
    const url = new URL(pgUrl!);
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = `/${dbName}`;
    bot = await startBot({ DATABASE_URL: url.toString(), ADMIN_TOKEN, DIRECT_LINE_SECRET: 'not-a-real-secret', RATE_LIMIT_PER_IP: '100000' });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await proxy?.close();
    await admin(`drop database if exists ${dbName} with (force)`);
  });

  test('503 while cut, normal answers once the database is back', async () => {
    const before = await prepare(bot);
    proxy.cut();
    await expectUnavailable(bot, before);
    proxy.restore();
    let ok = false;
    for (let i = 0; i < 40 && !ok; i++) {
      ok = (await fetch(`${bot.url}/readyz`)).status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    expect(ok).toBe(true);
    expect((await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(200);
  }, 60_000);
});

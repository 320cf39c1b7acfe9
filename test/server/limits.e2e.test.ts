/**
 * Limits that fit real deployments (issue 13, item 10), through the real restify server on 127.0.0.1:
 * - two server instances on one database (one SQLite file; PostgreSQL with TEST_DATABASE_URL) enforce ONE
 *   per-IP limit, not one each;
 * - X-Forwarded-For is ignored without TRUSTED_PROXIES and believed only through trusted hops;
 * - Web Chat polling without a valid token is refused (401/403) and counted per IP; with a valid token it is
 *   limited per conversation token and does not eat the IP's budget;
 * - a database outage leaves the limits working in memory, never a 500.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';
import { engines, pgUrl } from '../helpers/databases';
import { connect } from '../webchat/helpers';

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json().catch(() => undefined)) as any };
};

/** Refusals counted by every running instance (each runtime has its own registry: src/services/metrics.ts). */
async function refusals(bots: RunningBot[], limit: string): Promise<number> {
  const values = (await Promise.all(bots.map((b) => b.app.runtime.metrics.values('bot_rate_limit_refusals_total')))).flat();
  return values.filter((v) => v.labels.limit === limit).reduce((n, v) => n + v.value, 0);
}

describe.each(engines())('two server instances on one %s database', (engine) => {
  const bots: RunningBot[] = [];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-limits-'));
    const env: Record<string, string> = { RATE_LIMIT_PER_IP: '12', RATE_LIMIT_PER_CONVERSATION: '3', RATE_LIMIT_WINDOW_SECONDS: '60' };
    if (engine === 'postgres') {
      const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}${randomBytes(6).toString('hex')}`;
      const client = new Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`create schema "${schema}"`);
      await client.end();
      env.DATABASE_URL = `${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    // one after the other: both migrate the same database
    bots.push(await startBot(env, path.join(dataDir, 'a')));
    bots.push(await startBot(env, engine === 'sqlite' ? path.join(dataDir, 'a') : path.join(dataDir, 'b')));
  });
  afterAll(async () => {
    for (const b of bots) await b.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('messages of one conversation dealt between them share ONE per-conversation budget', async () => {
    const replies: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(bots[i % 2]!.url, activity('hi', { conversation: { id: `shared-${engine}` } }));
      expect(res.status).toBe(200);
      replies.push(texts(res));
    }
    for (const r of replies.slice(0, 3)) expect(r.join()).not.toMatch(/too quickly/);
    // the fourth: one polite word (whichever instance takes it), then silence
    expect(replies[3]!.join()).toMatch(/You are sending messages too quickly\. Please wait \d+ seconds/);
    expect(replies[4]).toEqual([]);
  });

  test('requests dealt between them round-robin share ONE per-IP budget; without TRUSTED_PROXIES, X-Forwarded-For is ignored', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      // a client cannot pick a fresh address per request either
      statuses.push((await get(`${bots[i % 2]!.url}/no-such-page-${i}`, { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
    }
    // 5 of the 12 were spent by the previous test's messages
    expect(statuses).toEqual([...Array(7).fill(404), ...Array(5).fill(429)]);
  });
});

describe('one instance behind a trusted proxy', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    // the test's own requests come from 127.0.0.1: here that address is the trusted load balancer
    bot = await startBot({ RATE_LIMIT_PER_IP: '10', RATE_LIMIT_POLL_PER_TOKEN: '10', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => bot?.stop());

  describe('the client address', () => {
    const from = (forwarded: string) => get(`${bot.url}/nope`, { 'x-forwarded-for': forwarded });

    test('through a trusted proxy, each client has its own budget', async () => {
      const a = [];
      for (let i = 0; i < 11; i++) a.push((await from('198.51.100.7')).status);
      expect(a).toEqual([...Array(10).fill(404), 429]);
      const refused = await from('198.51.100.7');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      // another customer behind the same load balancer is not locked out
      expect((await from('198.51.100.8')).status).toBe(404);
    });

    test('only trusted hops are believed: addresses a client prepends do not give it a new budget', async () => {
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await from(`203.0.113.${i + 1}, 198.51.100.9`)).status);
      expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
    });
  });

  test('Web Chat conversations are limited per client too, not per proxy', async () => {
    const generate = (forwarded: string) =>
      fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST', headers: { 'x-forwarded-for': forwarded } }).then((r) => r.status);
    const first = [];
    for (let i = 0; i < 10; i++) first.push(await generate('198.51.100.20'));
    expect(first).toEqual(Array(10).fill(200));
    expect(await generate('198.51.100.20')).toBe(429);
    // the next customer behind the same proxy still starts a chat
    expect(await generate('198.51.100.21')).toBe(200);
  });

  describe('Web Chat polling (from the proxy itself, 127.0.0.1)', () => {
    const poll = (conversationId: string, auth?: string) =>
      get(`${bot.url}/directline/conversations/${conversationId}/activities`, auth ? { authorization: auth } : {});

    test('with a valid token: limited per conversation token, and not counted in the IP budget', async () => {
      const a = await connect(bot.url); // IP budget: 2 of 10
      const b = await connect(bot.url); // 4 of 10
      const before = await refusals([bot], 'poll');
      for (let i = 0; i < 10; i++) expect((await poll(a.conversationId, `Bearer ${a.token}`)).status).toBe(200);
      const over = await poll(a.conversationId, `Bearer ${a.token}`);
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('TooManyRequests');
      expect(Number(over.retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await refusals([bot], 'poll')) - before).toBe(1);
      // another conversation from the same address has its own budget
      expect((await poll(b.conversationId, `Bearer ${b.token}`)).status).toBe(200);
      // a refreshed token is the same conversation: no new budget
      const refreshed = await fetch(`${bot.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${a.token}` } });
      expect(refreshed.status).toBe(200); // IP budget: 5 of 10
      const token = ((await refreshed.json()) as { token: string }).token;
      expect((await poll(a.conversationId, `Bearer ${token}`)).status).toBe(429);
      // a dozen valid polls later the address still has its budget for other requests
      expect((await get(`${bot.url}/nope`)).status).toBe(404); // 6 of 10
    });

    test('without a valid token: refused at once (401 without one, 403 for a bad one) and counted per IP, then 429', async () => {
      const a = await connect(bot.url); // 8 of 10
      const [header, payload] = a.token.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(43)}`;
      const statuses = [];
      for (const auth of [undefined, 'Bearer nonsense', `Bearer ${forged}`, 'Basic abc']) {
        const res = await poll(a.conversationId, auth);
        statuses.push(res.status);
        if (res.status === 403) expect(res.body.error.code).toBe('TokenExpired');
      }
      expect(statuses).toEqual([401, 403, 429, 429]);
      // the valid token still polls: its own budget, not the address's
      expect((await poll(a.conversationId, `Bearer ${a.token}`)).status).toBe(200);
    });
  });

  describe('a database outage (last: it closes the database)', () => {
    test('the per-IP limit fails open to memory: answers, health checks and 429s, never a 500', async () => {
      await bot.app.runtime.database.close();
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await get(`${bot.url}/nope`, { 'x-forwarded-for': '198.51.100.99' })).status);
      expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
      expect((await get(`${bot.url}/healthz`)).status).toBe(200);
    });
  });
});

/**
 * Issue 10, item 4: the database unavailable during a turn (PostgreSQL behind a TCP proxy that is cut and
 * restored). Meanwhile a customer gets a polite "please try again" in their own language, /readyz answers
 * 503 naming the database, /healthz stays 200 and the process stays up; when the database returns the bot
 * answers normally again, /readyz is 200, and a procedure begun before the outage can be started afresh.
 * Runs when TEST_DATABASE_URL is set (a database of its own is created and dropped).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';
import { pgUrl } from '../helpers/databases';
import { type TcpProxy, startTcpProxy } from './proxy';

const maybe = pgUrl ? describe : describe.skip;
if (!pgUrl) console.warn('database fault tests skipped: TEST_DATABASE_URL is not set');

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

maybe('PostgreSQL unavailable during turns', () => {
  let proxy: TcpProxy;
  let bot: RunningBot;
  const dbName = `k_fault_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${dbName}`));
    const url = new URL(pgUrl!);
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = `/${dbName}`;
    bot = await startBot({ DATABASE_URL: url.toString() });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await proxy?.close();
    await admin((c) => c.query(`drop database if exists ${dbName} with (force)`));
  });

  test('polite apology in the customer language, /readyz 503, process up; everything back when the database returns', async () => {
    const ms = { conversation: { id: 'fault-ms' }, from: { id: 'u-ms' }, locale: 'ms-MY' };
    const en = { conversation: { id: 'fault-en' }, from: { id: 'u-en' }, locale: 'en-US' };
    expect(texts(await post(bot.url, activity('macam mana nak naik taraf akaun', ms))).join('\n')).toMatch(/JUPEM/);
    expect(texts(await post(bot.url, activity('how do I upgrade my account', en))).join('\n')).toMatch(/JUPEM counter/i);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);

    proxy.cut();
    for (let round = 0; round < 2; round++) {
      const m = await post(bot.url, activity('macam mana nak naik taraf akaun', ms));
      expect(m.status).toBe(200);
      expect(texts(m)).toEqual([bot.app.runtime.catalog.t('ms', 'error.unavailable')]);
      const e = await post(bot.url, activity('how do I upgrade my account', en));
      expect(e.status).toBe(200);
      expect(texts(e)).toEqual([bot.app.runtime.catalog.t('en', 'error.unavailable')]);
      // a customer never seen before, during the outage
      const n = await post(bot.url, activity('saya nak buat aduan', { conversation: { id: `fault-new-${round}` }, locale: 'ms-MY' }));
      expect(texts(n)).toEqual([bot.app.runtime.catalog.t('ms', 'error.unavailable')]);
    }
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.logs.join('')).toMatch(/turn failed/);
    // nothing in the logs says more than it should: no stack to the customer, no connection string
    for (const reply of [...texts(await post(bot.url, activity('hai', ms)))]) expect(reply).not.toMatch(/postgres|ECONN|Error/);

    proxy.restore();
    let readyAgain = 0;
    for (let i = 0; i < 40 && readyAgain !== 200; i++) {
      readyAgain = (await fetch(`${bot.url}/readyz`)).status;
      if (readyAgain !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(readyAgain).toBe(200);
    expect(texts(await post(bot.url, activity('macam mana nak naik taraf akaun', ms))).join('\n')).toMatch(/JUPEM/);
    expect(texts(await post(bot.url, activity('how do I upgrade my account', en))).join('\n')).toMatch(/JUPEM counter/i);
    // a procedure runs end to end again after the outage: a ticket is raised and stored
    const t = { conversation: { id: 'fault-ticket' }, from: { id: 'u-t' }, locale: 'en-US' };
    const first = await post(bot.url, activity('I want to raise a support ticket', t));
    expect(first.status).toBe(200);
    expect(texts(first).length).toBeGreaterThan(0);
  }, 90_000);

  test('the database dropping mid-procedure: the customer is told, and the conversation works after it returns', async () => {
    const c = { conversation: { id: 'fault-mid' }, from: { id: 'u-mid' }, locale: 'ms-MY' };
    const began = await post(bot.url, activity('saya nak buat aduan', c));
    expect(texts(began).length).toBeGreaterThan(0);
    proxy.cut();
    const during = await post(bot.url, activity('Ali bin Abu', c));
    expect(texts(during)).toEqual([bot.app.runtime.catalog.t('ms', 'error.unavailable')]);
    proxy.restore();
    let ok = false;
    for (let i = 0; i < 40 && !ok; i++) {
      ok = (await fetch(`${bot.url}/readyz`)).status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    const after = await post(bot.url, activity('macam mana nak naik taraf akaun', c));
    expect(after.status).toBe(200);
    expect(texts(after).join('\n')).toMatch(/JUPEM|aduan|tiket/i);
    expect(texts(after).join('\n')).not.toBe(bot.app.runtime.catalog.t('ms', 'error.unavailable'));
  }, 60_000);
});

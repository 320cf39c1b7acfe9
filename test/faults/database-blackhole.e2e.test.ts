/**
 * Issue 13, item 7: a silent network partition between the bot and PostgreSQL (the proxy blackholes every
 * packet: open connections go quiet, new ones are accepted and never answered). Before, nothing bounded a
 * query or a connection and there was no keepalive, so every turn hung until the kernel gave up (~15 min).
 *
 * The real server runs in-process on PostgreSQL through the proxy, with short database timeouts set through
 * the settings (production defaults are longer, see .env.example). Meanwhile every message — a known
 * customer in Malay, one in English, one in the middle of a procedure, a stranger, and a burst larger than
 * the pool — gets the polite "try again" in its own language within 5 s; /readyz answers 503 within its
 * deadline; /healthz stays 200; the background work (mail outbox, retention) neither piles up nor throws.
 * After the network returns the bot answers normally again by itself, within 30 s, with no restart — even
 * though the connections it had before the partition stay silent for good.
 * Runs when TEST_DATABASE_URL is set (a database of its own is created and dropped).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type RunningBot, activity, startBot } from '../helpers/app';
import { pgUrl } from '../helpers/databases';
import { type TcpProxy, startTcpProxy } from './proxy';

const maybe = pgUrl ? describe : describe.skip;
if (!pgUrl) console.warn('database blackhole test skipped: TEST_DATABASE_URL is not set');

const REPLY_DEADLINE_MS = 5000;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface Timed {
  status: number;
  texts: string[];
  ms: number;
}

/** POSTs an activity and gives up after the deadline (status 0): a hung turn fails the test, not the run. */
async function say(url: string, body: Record<string, unknown>, deadlineMs = REPLY_DEADLINE_MS): Promise<Timed> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(deadlineMs),
    });
    const parsed = (await res.json()) as { activities?: Array<{ text?: string }> };
    return { status: res.status, texts: (parsed.activities ?? []).map((a) => a.text ?? ''), ms: Date.now() - started };
  } catch {
    return { status: 0, texts: [], ms: Date.now() - started };
  }
}

async function probe(url: string, path: string, deadlineMs: number): Promise<{ status: number; ms: number; body?: unknown }> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(deadlineMs) });
    return { status: res.status, ms: Date.now() - started, body: await res.json() };
  } catch {
    return { status: 0, ms: Date.now() - started };
  }
}

maybe('PostgreSQL behind a silent network partition', () => {
  let proxy: TcpProxy;
  let bot: RunningBot;
  const dbName = `k_blackhole_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${dbName}`));
    const url = new URL(pgUrl!);
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = `/${dbName}`;
    bot = await startBot({
      DATABASE_URL: url.toString(),
      // short bounds so the test runs in seconds; the defaults are sized for production
      // (not much shorter: on a loaded machine a busy event loop alone can hold a reply for a second)
      DB_CONNECT_TIMEOUT_MS: '1500',
      DB_STATEMENT_TIMEOUT_MS: '1500',
      DB_QUERY_TIMEOUT_MS: '2000',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000',
      DB_RETRY_INTERVAL_MS: '300',
      DB_POOL_MAX: '4',
      OUTBOX_POLL_MS: '100',
      SHUTDOWN_GRACE_MS: '500',
    });
  }, 60_000);

  afterAll(async () => {
    // the proxy first: on a broken build the bot's connections would otherwise keep its pool from closing
    await proxy?.close();
    await bot?.stop();
    await admin((c) => c.query(`drop database if exists ${dbName} with (force)`));
  }, 30_000);

  test('polite answers within 5 s during the partition, /readyz 503, no pile-up; back by itself after it', async () => {
    const { catalog } = bot.app.runtime;
    const unavailable = { ms: catalog.t('ms', 'error.unavailable'), en: catalog.t('en', 'error.unavailable') };
    const ms = { conversation: { id: 'bh-ms' }, from: { id: 'u-ms' }, locale: 'ms-MY' };
    const en = { conversation: { id: 'bh-en' }, from: { id: 'u-en' }, locale: 'en-US' };
    const mid = { conversation: { id: 'bh-mid' }, from: { id: 'u-mid' }, locale: 'ms-MY' };

    // a normal conversation first (after a first turn that warms the process up); one customer is in the
    // middle of raising a ticket when the network goes
    await say(bot.url, activity('hai', { conversation: { id: 'bh-warm' }, locale: 'ms-MY' }), 20_000);
    expect((await say(bot.url, activity('macam mana nak naik taraf akaun', ms))).texts.join('\n')).toMatch(/JUPEM/);
    expect((await say(bot.url, activity('how do I upgrade my account', en))).texts.join('\n')).toMatch(/JUPEM counter/i);
    const began = await say(bot.url, activity('saya nak buat aduan', mid));
    expect(began.texts.length).toBeGreaterThan(0);
    expect(began.texts).not.toContain(unavailable.ms);
    expect((await probe(bot.url, '/readyz', 3000)).status).toBe(200);

    proxy.blackhole();
    const retention = bot.app.runtime.features.find((f) => f.name === 'retention') as unknown as {
      runOnce(): Promise<Record<string, number>>;
    };
    const retentionStarted = Date.now();
    const retentionRound = retention.runOnce();

    for (let round = 0; round < 2; round++) {
      const [m, e, p, n] = await Promise.all([
        say(bot.url, activity('macam mana nak naik taraf akaun', ms)),
        say(bot.url, activity('how do I upgrade my account', en)),
        say(bot.url, activity('Ali bin Abu', mid)),
        say(bot.url, activity('saya nak semak status tiket', { conversation: { id: `bh-new-${round}` }, locale: 'ms-MY' })),
      ]);
      for (const r of [m, e, p, n]) {
        expect(r.status).toBe(200);
        expect(r.ms).toBeLessThan(REPLY_DEADLINE_MS);
      }
      expect(m.texts).toEqual([unavailable.ms]);
      expect(e.texts).toEqual([unavailable.en]);
      expect(p.texts).toEqual([unavailable.ms]);
      expect(n.texts).toEqual([unavailable.ms]);
    }
    // more customers at once than the pool has connections
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        say(bot.url, activity(i % 2 ? 'what are your opening hours' : 'bila kaunter buka', {
          conversation: { id: `bh-burst-${i}` },
          locale: i % 2 ? 'en-US' : 'ms-MY',
        })),
      ),
    );
    burst.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(REPLY_DEADLINE_MS);
      expect(r.texts).toEqual([i % 2 ? unavailable.en : unavailable.ms]);
    });

    const ready = await probe(bot.url, '/readyz', 3000);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(2000);
    expect(ready.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    const health = await probe(bot.url, '/healthz', 1000);
    expect(health.status).toBe(200);

    // the background work went on failing quietly: a retention round ends (each purge reported as failed)
    // instead of waiting on the network, and the pool holds no queue of waiters
    const report = await Promise.race([retentionRound, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    expect(report).toBeDefined();
    expect(Object.values(report!).every((n) => n === -1)).toBe(true);
    expect(Date.now() - retentionStarted).toBeLessThan(REPLY_DEADLINE_MS + 8000);
    const stats = bot.app.runtime.database.stats();
    expect(stats.waiting).toBe(0);
    expect(stats.total).toBeLessThanOrEqual(4);
    expect(bot.logs.join('')).toMatch(/database unreachable/);

    // the network returns; the connections opened before it stay silent, the bot must not wait on them
    proxy.restore();
    const restored = Date.now();
    let answer: Timed | undefined;
    while (Date.now() - restored < 30_000) {
      const r = await say(bot.url, activity('how do I upgrade my account', en));
      if (r.status === 200 && /JUPEM counter/i.test(r.texts.join('\n'))) {
        answer = r;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(answer).toBeDefined();
    const recoveredInMs = Date.now() - restored;
    expect(recoveredInMs).toBeLessThan(30_000);
    expect((await probe(bot.url, '/readyz', 3000)).status).toBe(200);
    expect((await say(bot.url, activity('macam mana nak naik taraf akaun', ms))).texts.join('\n')).toMatch(/JUPEM/);
    // the customer caught mid-procedure carries on: a ticket can be raised from the start
    const again = await say(bot.url, activity('saya nak buat aduan', mid), 10_000);
    expect(again.status).toBe(200);
    expect(again.texts.join('\n')).not.toBe(unavailable.ms);
    expect(again.texts.length).toBeGreaterThan(0);
    expect(bot.logs.join('')).toMatch(/database reachable again/);
    // eslint-disable-next-line no-console
    console.log(`blackhole: answered again ${recoveredInMs} ms after the network returned`);
  }, 90_000);
});

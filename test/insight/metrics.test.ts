/**
 * Metrics (issue 19, item 1) through the real server: scripted traffic moves the turn, recognition and latency
 * metrics; /metrics needs METRICS_TOKEN on the bot's port (404 without one configured) and is served without a
 * token on METRICS_PORT; label values stay bounded under fuzz (random text through the bot, random channel and
 * reason strings into the counter API).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';
import { MAX_FREE_VALUES, Metrics, TURN_OUTCOMES, metricChannels } from '../../src/services/metrics';

const TOKEN = 'metrics-token-0123456789';

function sample(body: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries((m[3] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')).map(([k, v]) => [k, v!.replace(/^"|"$/g, '')]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[4]);
  }
  return total;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('/metrics with scripted traffic', () => {
  let bot: RunningBot;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    bot = await startBot({ METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort), RATE_LIMIT_PER_CONVERSATION: '4' });
  });
  afterAll(async () => bot.stop());

  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const res = await fetch(`${bot.url}/metrics`, { headers });
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };

  test('refused without the token; text format with it; process metrics included', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0.0.4/);
    expect(ok.body).toMatch(/^process_cpu_user_seconds_total /m);
    expect(ok.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(ok.body).toMatch(/^# TYPE bot_turns_total counter/m);
    expect(ok.body).toMatch(/^bot_outbound_queue_depth\{channel="email"\} 0$/m);
    expect(ok.body).toMatch(/^bot_outbound_queue_depth\{channel="sms"\} 0$/m);
    // a WhatsApp reply held for the customer's 24-hour window waits in the channel outbox
    const now = Date.now();
    await bot.app.runtime.database.db
      .insertInto('channel_outbox')
      .values({
        channel: 'whatsapp', recipient_key: 'rk-held', dedupe_key: null, origin: null, lang: 'ms', payload: '{}', stage: 'message', status: 'held',
        attempts: 0, next_attempt_at: now, lease_until: null, claim_token: null, platform_id: null, error_code: null, last_error: null, created_at: now,
      } as never)
      .execute();
    expect((await scrape()).body).toMatch(/^bot_outbound_queue_depth\{channel="whatsapp"\} 1$/m);
  });

  test('turns by outcome, recognition and turn latency move with traffic', async () => {
    const before = (await scrape()).body;
    const answered = await post(bot.url, activity('How do I upgrade my user account?', { conversation: { id: 'm-1' } }));
    expect(texts(answered).join(' ')).toMatch(/upgrade|naik/i);
    await post(bot.url, activity('qwzx plorf vindaloo submarine', { conversation: { id: 'm-2' } }));
    await post(bot.url, activity('help', { conversation: { id: 'm-3' } }));
    const after = (await scrape()).body;
    const d = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(d('bot_turns_total', { channel: 'test', lang: 'en', outcome: 'answered' })).toBe(1);
    expect(d('bot_turns_total', { channel: 'test', outcome: 'declined' })).toBe(1);
    expect(d('bot_turns_total', { channel: 'test', outcome: 'other' })).toBe(1);
    expect(d('bot_turn_duration_seconds_count', { channel: 'test' })).toBe(3);
    expect(d('bot_recognition_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(d('bot_recognition_confidence_count', { decision: 'fallback' })).toBeGreaterThanOrEqual(1);
  });

  test('rate-limit refusals are in the same registry', async () => {
    const before = sample((await scrape()).body, 'bot_rate_limit_refusals_total', { limit: 'conversation' });
    for (let i = 0; i < 6; i++) await post(bot.url, activity('hi', { conversation: { id: 'flood' } }));
    expect(sample((await scrape()).body, 'bot_rate_limit_refusals_total', { limit: 'conversation' }) - before).toBe(2);
  });

  test('METRICS_PORT serves /metrics without a token, and nothing else', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^bot_turns_total\{/m);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/messages`)).status).toBe(404);
  });

  test('fuzz: random text through the bot adds no label values', async () => {
    const fuzz = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const text = randomBytes(8 + (i % 40)).toString('base64') + ' ' + 'é漢🙂'.repeat(i % 3) + (i % 4 === 0 ? ' ebiz akaun?' : '');
        await post(bot.url, activity(text, { conversation: { id: `fuzz-${randomBytes(6).toString('hex')}` }, locale: i % 2 ? 'ms-MY' : 'en-US' }));
      }
    };
    await fuzz(30); // every outcome and language this kind of text reaches, once
    const warm = await bot.app.runtime.metrics.seriesCount();
    await fuzz(150); // 150 distinct texts and conversations: a label carrying either would add 150 series
    expect((await bot.app.runtime.metrics.seriesCount()) - warm).toBeLessThanOrEqual(30);
  }, 120_000);
});

test('/metrics is not served on the bot port without METRICS_TOKEN', async () => {
  const bot = await startBot();
  try {
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
  } finally {
    await bot.stop();
  }
});

test('the counter API bounds every label whatever it is given', async () => {
  const m = new Metrics({ processMetrics: false });
  for (let i = 0; i < 2000; i++) {
    const junk = randomBytes(1 + (i % 30)).toString(i % 2 ? 'hex' : 'latin1');
    m.outbound(junk, (['sent', 'retried', 'failed'] as const)[i % 3], junk);
    m.rateLimitRefusal(junk);
    m.turn(junk, junk, junk as never);
  }
  const values = async (name: string, label: string) => new Set((await m.values(name)).map((v) => String(v.labels[label])));
  const channels = new Set([...metricChannels(), 'other']);
  for (const c of await values('bot_outbound_messages_total', 'channel')) expect(channels.has(c)).toBe(true);
  expect((await values('bot_outbound_messages_total', 'reason')).size).toBeLessThanOrEqual(MAX_FREE_VALUES + 2);
  expect((await values('bot_rate_limit_refusals_total', 'limit')).size).toBeLessThanOrEqual(MAX_FREE_VALUES + 1);
  expect([...(await values('bot_turns_total', 'outcome'))]).toEqual(['other']);
  expect([...(await values('bot_turns_total', 'lang'))]).toEqual(['other']);
  for (const r of await values('bot_outbound_messages_total', 'reason')) expect(r).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
});

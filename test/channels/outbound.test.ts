/**
 * The channel outbox (src/services/outbound) on each engine: per-recipient order while other recipients go
 * on, leases and claim tokens across two instances, hold/release, dedupe; and the WhatsApp sender against a
 * fake Graph API on 127.0.0.1 answering each documented error code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundQueue, type OutboundRow, type OutboundSender, type DeliveryOutcome } from '../../src/services/outbound';
import { OutboundWorker } from '../../src/services/outbound/worker';
import { GraphClient } from '../../src/channels/whatsapp/graph';
import { WhatsAppSender } from '../../src/channels/whatsapp/sender';
import { WhatsAppStore } from '../../src/channels/whatsapp/store';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { eventually } from '../helpers/eventually';
import { memoryLogger } from '../helpers/log';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sender that records what it delivered and answers from a per-recipient script. */
class ScriptedSender implements OutboundSender {
  readonly channel = 'fake';
  delivered: Array<{ id: number; to: string; n: number; by: string; at: number }> = [];
  attempts = new Map<number, number>();
  constructor(
    private readonly name: string,
    private readonly script: (row: OutboundRow, payload: { to: string; n: number }, attempt: number) => DeliveryOutcome | Promise<DeliveryOutcome>,
    private readonly shared?: ScriptedSender['delivered'],
  ) {}
  async deliver(row: OutboundRow): Promise<DeliveryOutcome> {
    const payload = JSON.parse(row.payload) as { to: string; n: number };
    const attempt = (this.attempts.get(row.id) ?? 0) + 1;
    this.attempts.set(row.id, attempt);
    const outcome = await this.script(row, payload, attempt);
    if (outcome.kind === 'sent') (this.shared ?? this.delivered).push({ id: row.id, to: payload.to, n: payload.n, by: this.name, at: Date.now() });
    return outcome;
  }
}

const items = (to: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => ({ channel: 'fake', recipient: to, payload: { to, n: from + i }, lang: 'ms' as const }));

describe.each(engines())('channel outbox on %s', (engine) => {
  let t: TestDatabase;
  const { log } = memoryLogger('warn');
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('each recipient in order; one recipient backing off does not hold the others', async () => {
    const queue = new OutboundQueue(t.database.db);
    const sender = new ScriptedSender('w', (_row, p, attempt) =>
      // A is rate-limited on its first message three times over (200 ms each)
      p.to === 'A' && p.n === 1 && attempt <= 3 ? { kind: 'retry', code: '131056', reason: 'pair rate limit', retryAfterMs: 200 } : { kind: 'sent', platformId: `m-${p.to}-${p.n}` },
    );
    const worker = new OutboundWorker({ db: t.database.db, queue, log, pollMs: 20, backoffBaseMs: 10, maxBackoffMs: 500 }).register(sender);
    await queue.enqueue([...items('A', 3), ...items('B', 3), ...items('C', 3)]);
    const started = Date.now();
    worker.start();
    try {
      expect(await worker.settled(10_000)).toBe(true);
    } finally {
      await worker.stop();
    }
    for (const to of ['A', 'B', 'C']) expect(sender.delivered.filter((d) => d.to === to).map((d) => d.n)).toEqual([1, 2, 3]);
    // B and C were done long before A's retries were over
    const lastOf = (to: string) => Math.max(...sender.delivered.filter((d) => d.to === to).map((d) => d.at)) - started;
    expect(lastOf('B')).toBeLessThan(300);
    expect(lastOf('C')).toBeLessThan(300);
    expect(lastOf('A')).toBeGreaterThanOrEqual(600);
    const rows = await t.database.db.selectFrom('channel_outbox').selectAll().orderBy('id').execute();
    expect(rows.every((r) => r.status === 'sent' && r.platform_id)).toBe(true);
    expect(rows.find((r) => JSON.parse(r.payload).to === 'A' && JSON.parse(r.payload).n === 1)!.attempts).toBe(4);
  });

  test('a channel with a limit of sends a second: every recipient\'s sends spaced to it; a refusal for that limit holds them all', async () => {
    const queue = new OutboundQueue(t.database.db);
    let refusedAt = 0;
    // 20 a second (50 ms apart); A's first send is refused for the channel's throughput with a 400 ms hint
    const sender = Object.assign(
      new ScriptedSender('w', (_row, p, attempt) => {
        if (p.to === 'A' && attempt === 1) {
          refusedAt = Date.now();
          return { kind: 'retry', code: '130429', reason: 'Rate limit hit', retryAfterMs: 400, channelLimit: true };
        }
        return { kind: 'sent', platformId: `m-${p.to}-${p.n}` };
      }),
      { perSecond: 20 },
    );
    const worker = new OutboundWorker({ db: t.database.db, queue, log, pollMs: 20, backoffBaseMs: 10, maxBackoffMs: 1000 }).register(sender);
    await queue.enqueue(['A', 'B', 'C', 'D', 'E', 'F'].flatMap((to) => items(to, 1)));
    worker.start();
    try {
      expect(await worker.settled(10_000)).toBe(true);
    } finally {
      await worker.stop();
    }
    const at = sender.delivered.map((d) => d.at).sort((a, b) => a - b);
    expect(sender.delivered.map((d) => d.to).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    // nothing went between the refusal and the end of the hold (the store decides which row is claimed first:
    // sends granted before A's refusal went out, a pace apart, before it)
    const after = at.filter((x) => x >= refusedAt);
    expect(after.length).toBeGreaterThanOrEqual(1); // A's retry at least
    for (const x of after) expect(x - refusedAt).toBeGreaterThanOrEqual(390);
    expect(refusedAt).toBeGreaterThan(0);
    // and never two closer than the pace allows (a few ms of slack for the clock read after the grant)
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(45);
  });

  test('two instances on one database: every row delivered exactly once, each recipient in order', async () => {
    const other = await t.reopen();
    const shared: ScriptedSender['delivered'] = [];
    const slow = async (): Promise<DeliveryOutcome> => {
      await sleep(2 + Math.random() * 8);
      return { kind: 'sent' };
    };
    const q1 = new OutboundQueue(t.database.db);
    const q2 = new OutboundQueue(other.db);
    const w1 = new OutboundWorker({ db: t.database.db, queue: q1, log, pollMs: 10, concurrency: 4 }).register(new ScriptedSender('one', slow, shared));
    const w2 = new OutboundWorker({ db: other.db, queue: q2, log, pollMs: 10, concurrency: 4 }).register(new ScriptedSender('two', slow, shared));
    for (let i = 0; i < 6; i++) await q1.enqueue(['A', 'B', 'C', 'D', 'E'].flatMap((to) => items(to, 2, 1 + i * 2)));
    w1.start();
    w2.start();
    try {
      expect(await w1.settled(20_000)).toBe(true);
      expect(await w2.settled(20_000)).toBe(true);
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
    }
    expect(shared).toHaveLength(60);
    expect(new Set(shared.map((d) => d.id)).size).toBe(60);
    for (const to of ['A', 'B', 'C', 'D', 'E']) expect(shared.filter((d) => d.to === to).map((d) => d.n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // both instances took part
    expect(new Set(shared.map((d) => d.by)).size).toBe(2);
  });

  test('a claim abandoned by a dead instance is taken over after its lease; the dead one cannot overwrite the outcome', async () => {
    let clock = 1_000_000;
    const queue = new OutboundQueue(t.database.db, () => clock);
    const dead = new OutboundWorker({ db: t.database.db, queue, log, leaseMs: 60_000, now: () => clock }).register(new ScriptedSender('dead', () => ({ kind: 'sent' })));
    await queue.enqueue(items('A', 2));
    const [claimed] = await dead.claim(10);
    expect(claimed).toMatchObject({ status: 'sending' });
    // the next row of A waits behind the claimed one, and nobody else takes the claimed one within its lease
    const alive = new OutboundWorker({ db: t.database.db, queue, log, leaseMs: 60_000, now: () => clock }).register(new ScriptedSender('alive', () => ({ kind: 'sent', platformId: 'p' })));
    expect(await alive.claim(10)).toEqual([]);
    clock += 61_000;
    const [taken] = await alive.claim(10);
    expect(taken!.id).toBe(claimed!.id);
    expect(taken!.attempts).toBe(2);
    // the dead instance's late write names its old claim token: it changes nothing
    await (dead as any).record(claimed, { kind: 'failed', code: 'x', reason: 'late' });
    expect((await queue.get(claimed!.id))!.status).toBe('sending');
    await (alive as any).record(taken, { kind: 'sent', platformId: 'p' });
    expect((await queue.get(claimed!.id))!.status).toBe('sent');
  });

  test('a delivery slower than its lease is not claimed again by the worker still sending it (no second send)', async () => {
    let clock = 1_000_000;
    const queue = new OutboundQueue(t.database.db, () => clock);
    let release: () => void = () => undefined;
    const platform = new Promise<void>((r) => (release = r));
    const sender = new ScriptedSender('slow', async () => {
      await platform;
      return { kind: 'sent', platformId: 'p' };
    });
    const worker = new OutboundWorker({ db: t.database.db, queue, log, leaseMs: 1_000, now: () => clock }).register(sender);
    await queue.enqueue(items('A', 1));
    const drained = worker.drainOnce();
    await eventually(async () => expect(sender.attempts.size).toBe(1));
    clock += 5_000; // the lease is over while the platform still has the request
    expect(await worker.claim(10)).toEqual([]);
    release();
    await drained;
    expect(sender.delivered).toHaveLength(1);
    expect((await t.database.db.selectFrom('channel_outbox').select('status').executeTakeFirstOrThrow()).status).toBe('sent');
  });

  test('held rows wait (and hold their line) until released; a dedupe key enqueues once', async () => {
    const queue = new OutboundQueue(t.database.db);
    let holdFirst = true;
    const sender = new ScriptedSender('w', (_row, p) => {
      if (p.n === 1 && holdFirst) {
        holdFirst = false;
        return { kind: 'hold', code: '131047', reason: 'window closed' };
      }
      return { kind: 'sent' };
    });
    const worker = new OutboundWorker({ db: t.database.db, queue, log, pollMs: 10 }).register(sender);
    const ids = await queue.enqueue(items('A', 2).map((it, i) => ({ ...it, dedupeKey: `turn-1:${i}` })));
    expect(await queue.enqueue(items('A', 2).map((it, i) => ({ ...it, dedupeKey: `turn-1:${i}` })))).toEqual(ids);
    worker.start();
    try {
      await worker.settled();
      expect(await queue.counts('fake')).toEqual({ held: 1, pending: 1 });
      expect(sender.delivered).toEqual([]);
      expect(await queue.release('fake', 'A')).toBe(1);
      await worker.settled();
    } finally {
      await worker.stop();
    }
    expect(sender.delivered.map((d) => d.n)).toEqual([1, 2]);
    expect(await queue.counts('fake')).toEqual({ sent: 2 });
  });
});

/** The Graph API stand-in: answers each call from a script, or 200 with a message id. */
class FakeGraph {
  calls: any[] = [];
  script: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      this.calls.push(JSON.parse(data));
      const next = this.script.shift() ?? { status: 200, body: { messages: [{ id: `wamid.${this.calls.length}` }] } };
      res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
      res.end(JSON.stringify(next.body ?? {}));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Meta's error body (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/). */
const metaError = (code: number, message: string, details = '') => ({
  error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' },
});

describe('WhatsApp sender against a fake Graph API', () => {
  const graph = new FakeGraph();
  let t: TestDatabase;
  let store: WhatsAppStore;
  let sender: WhatsAppSender;
  let queue: OutboundQueue;
  const { log } = memoryLogger('warn');
  let clock = Date.now();
  beforeAll(async () => {
    await graph.start();
    t = await openTestDatabase('sqlite');
    store = new WhatsAppStore(t.database.db, () => clock);
    queue = new OutboundQueue(t.database.db);
    const client = new GraphClient({ graphUrl: graph.url, apiVersion: 'v26.0', phoneNumberId: '111', accessToken: 'tok', timeoutMs: 2000 });
    sender = new WhatsAppSender({ graph: client, store, templates: { en: 'support_update:en_US' }, now: () => clock });
  });
  afterAll(async () => {
    await graph.stop();
    await t.dispose();
  });
  beforeEach(() => {
    graph.calls = [];
    graph.script = [];
    clock = Date.now();
  });

  async function row(to: string, message: Record<string, unknown>, text: string, lang: 'ms' | 'en' = 'en', stage: 'message' | 'template' = 'message'): Promise<OutboundRow> {
    const [id] = await queue.enqueue([{ channel: 'whatsapp', recipient: to, payload: { to, message, text }, lang, stage }]);
    return (await queue.get(id!))!;
  }
  const textMsg = (body: string) => ({ type: 'text', text: { body, preview_url: false } });

  test.each([
    [400, 130429, 'Rate limit hit', 'retry', 1_000],
    [400, 131056, '(Business Account, Consumer Account) pair rate limit hit', 'retry', 6_000],
    [500, 131000, 'Something went wrong', 'retry', 0],
    [503, 131016, 'Service unavailable', 'retry', 0],
    [400, 80007, 'Rate limit issues', 'retry', 60_000],
    [400, 100, 'Invalid parameter', 'failed', 0],
    [400, 131026, 'Message undeliverable', 'failed', 0],
    [401, 190, 'Access token has expired', 'failed', 0],
    [400, 131062, 'Business-scoped User ID recipients are not supported for this message', 'failed', 0],
  ])('HTTP %i with code %i (%s) → %s', async (status, code, message, kind, hint) => {
    await store.recordInbound('60123000001', clock);
    graph.script = [{ status, body: metaError(code, message, 'details from Meta') }];
    const outcome = await sender.deliver(await row('60123000001', textMsg('hello'), 'hello'));
    expect(outcome.kind).toBe(kind);
    expect(outcome).toMatchObject({ code: String(code) });
    expect((outcome as { reason: string }).reason).toContain(message);
    if (hint) expect((outcome as { retryAfterMs?: number }).retryAfterMs).toBe(hint);
    // only the number's throughput holds the other customers' messages too
    expect((outcome as { channelLimit?: boolean }).channelLimit === true).toBe(code === 130429);
  });

  test('a 5xx without Meta\'s body, and a 429 with Retry-After, are retried by the HTTP status', async () => {
    await store.recordInbound('60123000001', clock);
    graph.script = [{ status: 502, body: 'Bad Gateway' }];
    expect(await sender.deliver(await row('60123000001', textMsg('x'), 'x'))).toMatchObject({ kind: 'retry', code: 'http-502' });
    graph.script = [{ status: 429, headers: { 'retry-after': '7' } }];
    expect(await sender.deliver(await row('60123000001', textMsg('x'), 'x'))).toMatchObject({ kind: 'retry', code: 'http-429', retryAfterMs: 7000 });
  });

  test('success records the wamid and names the row in biz_opaque_callback_data; a username is addressed by `recipient`', async () => {
    await store.recordInbound('MY.8f3k2j1h0g9f8e7d', clock);
    const r = await row('MY.8f3k2j1h0g9f8e7d', textMsg('hi'), 'hi');
    expect(await sender.deliver(r)).toEqual({ kind: 'sent', platformId: 'wamid.1' });
    expect(graph.calls[0]).toMatchObject({ recipient: 'MY.8f3k2j1h0g9f8e7d', biz_opaque_callback_data: `ob:${r.id}`, type: 'text' });
    expect(graph.calls[0].to).toBeUndefined();
  });

  test('131047: the template in the customer\'s language, then the reply is held; one template per closed window', async () => {
    await store.recordInbound('60123000002', clock - 25 * 3600_000);
    const long = 'A'.repeat(700) + ' ' + 'B'.repeat(700);
    // our clock says closed: the template goes at once, carrying as much as fits; the whole reply is held
    const first = await row('60123000002', textMsg(long), long);
    expect(await sender.deliver(first)).toMatchObject({ kind: 'hold', code: 'template-sent', platformId: 'wamid.1' });
    expect(graph.calls[0]).toMatchObject({ to: '60123000002', type: 'template', template: { name: 'support_update', language: { code: 'en_US' } } });
    const param = graph.calls[0].template.components[0].parameters[0].text as string;
    expect(param.length).toBeLessThanOrEqual(1024);
    expect(param.endsWith('…')).toBe(true);
    // the next reply to the same customer waits without another template
    expect(await sender.deliver(await row('60123000002', textMsg('second'), 'second'))).toMatchObject({ kind: 'hold', code: '131047' });
    expect(graph.calls).toHaveLength(1);
    // Meta says 131047 where our clock thought the window open: restage to the template
    await store.recordInbound('60123000003', clock);
    graph.script = [{ status: 400, body: metaError(131047, 'Re-engagement message', 'More than 24 hours have passed since the recipient last replied') }];
    expect(await sender.deliver(await row('60123000003', textMsg('hello'), 'hello'))).toMatchObject({ kind: 'restage', stage: 'template', code: '131047' });
    // no template for Malay: recorded as failed with the reason (the ticket falls back to e-mail)
    await store.recordInbound('60123000004', clock - 25 * 3600_000);
    expect(await sender.deliver(await row('60123000004', textMsg('hai'), 'hai', 'ms'))).toMatchObject({ kind: 'failed', code: '131047' });
  });
});

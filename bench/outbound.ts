/**
 * `npm run bench:outbound` (node dist/bench/outbound.js): a burst of WhatsApp messages through the whole bot
 * (in-process server on 127.0.0.1, SQLite) while a fake Graph API rate-limits like Meta does, scaled down in
 * time: a throughput limit (130429 past `perWindow` messages per 100 ms: 80 per second, Meta's default) and
 * a pair rate limit (131056 when one customer gets two messages within `pairGapMs`; Meta's is about 6 s).
 * Optionally some "noisy" customers' messages are refused twice with 131000 before they go.
 * Measures, per reply, the time from the customer's webhook POST to the Graph API accepting the reply (p50,
 * p99, max), checks that nothing is lost (every committed row accepted, every message answered) and that each
 * customer's replies arrive in order, and compares the calm customers' latency with and without the noisy
 * ones (their retries must not delay anyone else). Writes bench/results/outbound.json.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../src/app';
import { signBody } from '../src/channels/whatsapp/webhook';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logging';

const ROOT = path.join(__dirname, fs.existsSync(path.join(__dirname, '../package.json')) ? '..' : '../..');
const SECRET = 'bench-app-secret';
const PNID = '1098765432';

export interface BurstOptions {
  senders: number;
  perSender: number;
  /** Customers whose every message is refused twice (131000) before it goes. */
  noisy: number;
  perWindow: number;
  pairGapMs: number;
  /**
   * Deliver from a backlog: the outbox worker waits until every turn has committed its replies, then starts,
   * and a reply's queue latency counts from then. The delivery then does not depend on how fast the turns ran:
   * on a busy machine, slow turns space one customer's replies out past the pair rate limit by themselves,
   * and a live run's latencies say more about the machine's load than about the queue (seen in CI: 15 ms for
   * a run without noisy customers against 961 ms for the run with them, the load having changed between).
   */
  backlog?: boolean;
}

export interface BurstResult {
  options: BurstOptions;
  messages: number;
  replies: number;
  lost: number;
  unanswered: number;
  outOfOrder: number;
  refused: Record<string, number>;
  /** Customer's POST → the Graph API accepting the reply (the turn included). */
  latencyMs: { p50: number; p99: number; max: number };
  calmLatencyMs: { p50: number; p99: number; max: number };
  /** The reply committed to the outbox (or, from a backlog, the delivery's start) → the Graph API accepting it. */
  queueLatencyMs: { p50: number; p99: number; max: number };
  calmQueueLatencyMs: { p50: number; p99: number; max: number };
  seconds: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: Math.round(pct(s, 50)), p99: Math.round(pct(s, 99)), max: Math.round(s[s.length - 1] ?? 0) };
};

class RateLimitingGraph {
  accepted: Array<{ row: number; to: string; at: number }> = [];
  refused: Record<string, number> = {};
  private window = { start: 0, n: 0 };
  private lastTo = new Map<string, number>();
  private noisyTries = new Map<string, number>();
  constructor(
    private readonly options: BurstOptions,
    private readonly noisy: Set<string>,
  ) {}
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (body.status === 'read') return answer(200, { success: true });
      const refuse = (status: number, code: number, message: string) => {
        this.refused[code] = (this.refused[code] ?? 0) + 1;
        answer(status, { error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details: message } } });
      };
      const now = Date.now();
      const key = body.biz_opaque_callback_data as string;
      if (this.noisy.has(body.to)) {
        const tries = (this.noisyTries.get(key) ?? 0) + 1;
        this.noisyTries.set(key, tries);
        if (tries <= 2) return refuse(500, 131000, 'Something went wrong');
      }
      if (now - this.window.start >= 100) this.window = { start: now, n: 0 };
      if (this.window.n >= this.options.perWindow) return refuse(400, 130429, 'Rate limit hit');
      const last = this.lastTo.get(body.to);
      if (last !== undefined && now - last < this.options.pairGapMs) return refuse(400, 131056, '(Business Account, Consumer Account) pair rate limit hit');
      this.window.n++;
      this.lastTo.set(body.to, now);
      this.accepted.push({ row: Number(/^ob:(\d+)/.exec(key ?? '')?.[1] ?? -1), to: body.to, at: now });
      answer(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${this.accepted.length}` }] });
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

export async function runOutboundBurst(options: BurstOptions): Promise<BurstResult> {
  const customers = Array.from({ length: options.senders }, (_, i) => `601240${String(10000 + i)}`);
  const noisy = new Set(customers.slice(0, options.noisy));
  const graph = new RateLimitingGraph(options, noisy);
  await graph.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outbound-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_ACCESS_TOKEN: 'token',
      WHATSAPP_PHONE_NUMBER_ID: PNID,
      WHATSAPP_GRAPH_URL: graph.url,
      // paced to three quarters of the fake's throughput, as the default (60 a second) is of Meta's 80: Meta
      // counts the customers' messages too, the fake does not
      WHATSAPP_MESSAGES_PER_SECOND: String(Math.round(options.perWindow * 7.5)),
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_CONVERSATION: '100000',
      OUTBOUND_POLL_MS: '20',
      OUTBOUND_BACKOFF_MS: '25',
      // Meta's 6 s pair-rate hint, scaled like the fake's pair gap
      OUTBOUND_MAX_BACKOFF_MS: String(Math.max(200, options.pairGapMs * 2)),
      OUTBOUND_MAX_ATTEMPTS: '50',
    },
    ROOT,
  );
  const log = createLogger({ level: 'warn', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) });
  const app = await createApp(config, { log });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  const posted = new Map<string, number>();
  const started = Date.now();
  const worker = app.runtime.deps.outbound.worker;
  if (options.backlog) await worker.stop();
  let deliveryStart = 0;
  try {
    const words = ['hai', 'camne nk upgrade akaun ebiz', 'terima kasih', 'nak tukar pelan', 'hello'];
    const posts: Array<Promise<unknown>> = [];
    for (let k = 0; k < options.perSender; k++) {
      for (const from of customers) {
        const id = `wamid.bench-${from}-${k}`;
        const raw = JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: 'W', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PNID }, messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: words[k % words.length] } }] } }] }],
        });
        posted.set(id, Date.now());
        posts.push(fetch(`${url}/api/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, SECRET) }, body: raw }).then((r) => r.text()));
      }
    }
    await Promise.all(posts);
    const whatsapp = app.runtime.features.find((f) => f.name === 'whatsapp') as unknown as { adapter: { idle(): Promise<void>; turnsDone(): Promise<void> } };
    if (options.backlog) {
      await whatsapp.adapter.turnsDone();
      deliveryStart = Date.now();
      worker.start();
    }
    await whatsapp.adapter.idle();
    await worker.settled(120_000);
    const rows = await app.runtime.database.db.selectFrom('channel_outbox').select(['id', 'dedupe_key', 'status', 'payload', 'created_at']).orderBy('id').execute();
    const acceptedAt = new Map(graph.accepted.map((a) => [a.row, a.at]));
    const latencies: number[] = [];
    const calm: number[] = [];
    const queued: number[] = [];
    const calmQueued: number[] = [];
    const answered = new Set<string>();
    for (const row of rows) {
      const inbound = /^wa:(.+):\d+$/.exec(row.dedupe_key ?? '')?.[1];
      const at = acceptedAt.get(Number(row.id));
      if (!inbound || at === undefined) continue;
      answered.add(inbound);
      const ms = at - posted.get(inbound)!;
      latencies.push(ms);
      const waited = at - Math.max(Number(row.created_at), deliveryStart);
      queued.push(waited);
      if (!noisy.has((JSON.parse(row.payload) as { to: string }).to)) {
        calm.push(ms);
        calmQueued.push(waited);
      }
    }
    let outOfOrder = 0;
    for (const to of customers) {
      const ids = graph.accepted.filter((a) => a.to === to).map((a) => a.row);
      for (let i = 1; i < ids.length; i++) if (ids[i]! < ids[i - 1]!) outOfOrder++;
    }
    return {
      options,
      messages: posted.size,
      replies: rows.length,
      lost: rows.filter((r) => !acceptedAt.has(Number(r.id))).length,
      unanswered: [...posted.keys()].filter((id) => !answered.has(id)).length,
      outOfOrder,
      refused: graph.refused,
      latencyMs: stats(latencies),
      calmLatencyMs: stats(calm),
      queueLatencyMs: stats(queued),
      calmQueueLatencyMs: stats(calmQueued),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await app.close();
    await graph.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // 30 messages a second in all, and one message per customer per 300 ms (time scaled down from Meta's)
  const base = { senders: 20, perSender: 5, perWindow: 3, pairGapMs: 300 };
  const out: Record<string, BurstResult> = {};
  const runs = [
    ['rate-limited', 0, false],
    ['rate-limited + 5 noisy customers', 5, false],
    // the same from a backlog (the worker starts once every turn has committed): the queue's own latencies
    ['from a backlog, rate-limited', 0, true],
    ['from a backlog, rate-limited + 5 noisy customers', 5, true],
  ] as const;
  for (const [name, noisy, backlog] of runs) {
    const r = await runOutboundBurst({ ...base, noisy, backlog });
    out[name] = r;
    process.stdout.write(
      `${name}: ${r.messages} messages, ${r.replies} replies in ${r.seconds} s; lost ${r.lost}, unanswered ${r.unanswered}, out of order ${r.outOfOrder}; ` +
        `refused ${JSON.stringify(r.refused)}; latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; ` +
        `calm customers p50 ${r.calmLatencyMs.p50} ms, p99 ${r.calmLatencyMs.p99} ms; ` +
        `${backlog ? 'delivery start' : 'commit'} → accepted p50 ${r.queueLatencyMs.p50} ms, p99 ${r.queueLatencyMs.p99} ms (calm customers p50 ${r.calmQueueLatencyMs.p50} ms, p99 ${r.calmQueueLatencyMs.p99} ms)\n`,
    );
  }
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/outbound.json'), JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, runs: out }, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}

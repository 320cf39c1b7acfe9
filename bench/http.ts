/**
 * End-to-end turns over HTTP: POST /api/messages with deliveryMode expectReplies, loaded by autocannon
 * against 127.0.0.1, the conversation of each request drawn at random from a pool of 1,000.
 *
 * Three targets run side by side, each in a process of its own (so each one's RSS is its own):
 * - `echo`: the ceiling (bench/echo-bot.ts: CloudAdapter + restify + MemoryStorage);
 * - `faq`:  our bot (dist/src/index.js, SQLite state) answering an FAQ question;
 * - `dialog`: our bot mid-dialog: every pooled conversation is first brought to the ticket procedure's
 *   "describe the problem" prompt; the loaded turn is "help", which shows the help text and re-prompts for
 *   the description, so the conversation stays at that step for the whole run (state read, dialog stack
 *   resumed, state written on every turn).
 * Every run verifies the reply's text (a wrong answer counts as a mismatch, reported).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'knowledge', 'lexicon.yaml'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();

export const POOL_SIZE = 1000;

export interface Target {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  dataDir?: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident set size now and at its peak (VmHWM), in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: round(kb('VmRSS') / 1024, 1), peakRssMb: round(kb('VmHWM') / 1024, 1) };
}

export const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

let activityCounter = 0;

export function activityBody(text: string, conversationId: string, locale = 'en-US'): string {
  activityCounter++;
  return JSON.stringify({
    type: 'message',
    id: `bench-${process.pid}-${activityCounter}`,
    text,
    channelId: 'test', // a local channel: /api/messages without authentication takes no other
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Customer' },
    recipient: { id: 'bot', name: 'Bot' },
    locale,
  });
}

/** One expectReplies turn; resolves with the reply texts. */
export async function postTurn(url: string, text: string, conversationId: string): Promise<string[]> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: activityBody(text, conversationId),
  });
  const body = (await res.json().catch(() => undefined)) as { activities?: Array<{ text?: string }> } | undefined;
  if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}`);
  return (body?.activities ?? []).map((a) => a.text ?? '');
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function spawnServer(name: string, script: string, env: Record<string, string>, dataDir?: string, nodeArgs: string[] = []): Promise<Target> {
  return (async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...nodeArgs, script], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready: ${stderr}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitUntil(async () => (await fetch(`${url}/healthz`)).ok, 30_000, `${name} to listen`), exited]);
    return {
      name,
      url,
      pid: child.pid!,
      child,
      dataDir,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    };
  })();
}

/** The environment our bot runs with under load: SQLite in a fresh DATA_DIR, the rate limits raised. */
export function botEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ALLOW_UNAUTHENTICATED_IN_PRODUCTION: 'true',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    RATE_LIMIT_PER_CONVERSATION: '100000',
    RATE_LIMIT_PER_IP: '1000000',
    SUPPORT_EMAIL: 'support@example.com',
    OUTBOX_POLL_MS: '60000',
  };
}

/**
 * The node flags `npm start` runs the bot with (package.json's start script: `node <flags> dist/src/index.js`),
 * so the bench measures the bot as it is started in production.
 */
export function startNodeFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const m = /\bnode\s+((?:--?[\w-]+(?:=\S+)?\s+)*)dist\/src\/index\.js/.exec(start);
  // not the build check the script preloads (--require=./scripts/build.js): the bench runs a built dist/
  return m ? m[1]!.trim().split(/\s+/).filter((f) => f && !f.startsWith('--require=') && !f.startsWith('-r=')) : [];
}

export function startOurBot(name = 'bot', extraEnv: Record<string, string> = {}, entry = path.join(ROOT, 'dist/src/index.js')): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  return spawnServer(name, entry, { ...botEnv(dataDir), ...extraEnv }, dataDir, startNodeFlags());
}

export function startEchoBot(): Promise<Target> {
  return spawnServer('echo', path.join(ROOT, 'dist/bench/echo-bot.js'), {});
}

export interface Scenario {
  /** echo | faq | dialog */
  name: string;
  describe: string;
  text: string;
  /** Conversation ids are `${prefix}${0..POOL_SIZE-1}`. */
  prefix: string;
  /** A correct reply contains this. */
  expect: RegExp;
  /** Brings every pooled conversation to the state the load runs in. */
  prepare?: (url: string, prefix: string) => Promise<void>;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'echo',
    describe: 'echo bot ceiling (CloudAdapter + restify + MemoryStorage), "hello"',
    text: 'hello',
    prefix: 'echo-',
    expect: /echo: hello/,
  },
  {
    name: 'faq',
    describe: 'FAQ answer turn, SQLite state: "how do I upgrade my ebiz account"',
    text: 'how do I upgrade my ebiz account',
    prefix: 'faq-',
    expect: /JUPEM counter/,
    async prepare(url, prefix) {
      // each conversation has spoken before, as in a real FAQ turn (state exists, language known)
      await forPool(prefix, 8, async (id) => {
        const replies = await postTurn(url, 'hello', id);
        if (replies.length === 0) throw new Error('no greeting');
      });
    },
  },
  {
    name: 'dialog',
    describe: 'mid-dialog turn, SQLite state: the ticket procedure waits for a description; "help" re-prompts (stays at that step)',
    text: 'help',
    prefix: 'dlg-',
    expect: /describe the problem/,
    async prepare(url, prefix) {
      await forPool(prefix, 8, async (id) => {
        await postTurn(url, 'can I talk to customer service', id);
        const replies = (await postTurn(url, 'Bills and charges', id)).join('\n');
        if (!/describe the problem/.test(replies)) throw new Error(`conversation ${id} did not reach the description step: ${replies}`);
      });
    },
  },
];

async function forPool(prefix: string, parallel: number, task: (conversationId: string) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < POOL_SIZE) await task(`${prefix}${next++}`);
    }),
  );
}

export interface LoadResult {
  scenario: string;
  connections: number;
  durationSec: number;
  requests: number;
  /** turns per second (completed requests / duration) */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}

export async function runLoad(url: string, scenario: Scenario, connections: number, durationSec: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/api/messages`,
    connections,
    duration: durationSec,
    timeout: 10,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest(request) {
          const conversation = `${scenario.prefix}${Math.floor(Math.random() * POOL_SIZE)}`;
          return { ...request, body: activityBody(scenario.text, conversation) };
        },
      },
    ],
    verifyBody: (body) => scenario.expect.test(body),
  });
  const completed = result['2xx'] + result.non2xx;
  return {
    scenario: scenario.name,
    connections,
    durationSec: result.duration,
    requests: completed,
    rps: round(completed / result.duration, 1),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
  };
}

export interface HttpBenchOptions {
  concurrency: number[];
  durationSec: number;
  repeats: number;
  log?: (line: string) => void;
}

export interface MedianRow {
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  /** rps / echo rps at the same concurrency, from the medians */
  ratioToEcho?: number;
  errors: number;
  mismatches: number;
  non2xx: number;
}

export interface MemoryRow {
  target: string;
  idleRssMb: number;
  afterLoadRssMb: number;
  peakRssMb: number;
}

export interface HttpBenchResult {
  scenarios: Array<{ name: string; describe: string }>;
  runs: LoadResult[];
  medians: MedianRow[];
  memory: MemoryRow[];
}

/**
 * Starts the echo bot and two instances of ours (FAQ, dialog), prepares the pools, then for each concurrency
 * and each repeat runs echo, faq and dialog one after another (interleaved, so a noisy moment of the
 * machine touches all three alike); quotes the median of the repeats.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpBenchResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const targets = new Map<string, Target>();
  try {
    targets.set('echo', await startEchoBot());
    targets.set('faq', await startOurBot('faq'));
    targets.set('dialog', await startOurBot('dialog'));
    for (const scenario of SCENARIOS) {
      const target = targets.get(scenario.name)!;
      if (scenario.prepare) {
        const t0 = Date.now();
        await scenario.prepare(target.url, scenario.prefix);
        log(`  prepared ${POOL_SIZE} conversations for ${scenario.name} in ${Date.now() - t0} ms`);
      }
      // warm-up: a few seconds of light load so every target is measured with its JIT warm
      await runLoad(target.url, scenario, 4, 2);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const idle = new Map([...targets].map(([name, t]) => [name, memoryOf(t.pid).rssMb]));

    const runs: LoadResult[] = [];
    for (const connections of options.concurrency) {
      for (let repeat = 1; repeat <= options.repeats; repeat++) {
        for (const scenario of SCENARIOS) {
          const r = await runLoad(targets.get(scenario.name)!.url, scenario, connections, options.durationSec);
          runs.push(r);
          log(
            `  ${scenario.name.padEnd(6)} c=${String(connections).padEnd(3)} #${repeat}: ${r.rps} turns/s, p50 ${r.p50} ms, p99 ${r.p99} ms` +
              (r.errors + r.non2xx + r.mismatches + r.timeouts > 0
                ? ` (errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, wrong replies ${r.mismatches})`
                : ''),
          );
        }
      }
    }
    const memory: MemoryRow[] = [...targets].map(([name, t]) => {
      const m = memoryOf(t.pid);
      return { target: name, idleRssMb: idle.get(name)!, afterLoadRssMb: m.rssMb, peakRssMb: m.peakRssMb };
    });

    const medians: MedianRow[] = [];
    for (const connections of options.concurrency) {
      const echoRps = median(runs.filter((r) => r.scenario === 'echo' && r.connections === connections).map((r) => r.rps));
      for (const scenario of SCENARIOS) {
        const rs = runs.filter((r) => r.scenario === scenario.name && r.connections === connections);
        const rps = median(rs.map((r) => r.rps));
        const sum = (f: (r: LoadResult) => number) => rs.reduce((a, r) => a + f(r), 0);
        medians.push({
          scenario: scenario.name,
          connections,
          rps: round(rps, 1),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          ...(scenario.name === 'echo' ? {} : { ratioToEcho: round(rps / echoRps, 3) }),
          errors: sum((r) => r.errors + r.timeouts),
          non2xx: sum((r) => r.non2xx),
          mismatches: sum((r) => r.mismatches),
        });
      }
    }
    return { scenarios: SCENARIOS.map((s) => ({ name: s.name, describe: s.describe })), runs, medians, memory };
  } finally {
    for (const t of targets.values()) {
      await t.stop();
      if (t.dataDir) fs.rmSync(t.dataDir, { recursive: true, force: true });
    }
  }
}

/**
 * Issue 13, item 2: every HTTP Upgrade request is answered at once with a status and its socket closed.
 * Before, restify left them unanswered with the socket open for ever (20,000 of them used every file
 * descriptor and /healthz stayed dead). The compiled server (dist/, built by `npm test`) is spawned so its
 * open file descriptors can be counted in /proc.
 */
import fs from 'node:fs';
import http from 'node:http';
import { activity, post, startBot } from '../helpers/app';
import { pool, rawRequest, upgrade } from '../helpers/raw';
import { type SpawnedBot, spawnBot } from '../helpers/spawned';

const linux = fs.existsSync('/proc/self/fd');

function openFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** GET /healthz on a fresh connection (no keep-alive: the server's descriptor count stays honest). */
function health(port: number, timeoutMs = 2000): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: Date.now() - started }));
  });
}

async function settle(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

(linux ? describe : describe.skip)('1,000 upgrade requests against the spawned server', () => {
  let bot: SpawnedBot;
  let port: number;

  beforeAll(async () => {
    bot = await spawnBot({ RATE_LIMIT_PER_IP: '1000000' });
    port = bot.port;
  }, 40_000);

  afterAll(async () => {
    await bot?.stop();
  });

  test('every upgrade gets a status line and a closed socket; descriptors return to baseline; /healthz answers throughout', async () => {
    expect((await health(port)).status).toBe(200);
    // warm-up: the first upgrade and health check open whatever is opened lazily
    expect((await upgrade(port, '/warm-up')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    const baseline = openFds(bot.pid);

    const paths = ['/', '/api/messages', '/healthz', '/directline/conversations/abc/stream', '/no/such/path', '/webchat/app.js'];
    let running = true;
    const probes: Array<{ status: number; ms: number }> = [];
    const prober = (async () => {
      while (running) {
        probes.push(await health(port));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let peak = 0;
    const answers = await pool(1000, 100, async (i) => {
      const answer = await upgrade(port, `${paths[i % paths.length]}${i % 7 === 0 ? `?n=${i}` : ''}`, {}, 4000);
      if (i % 50 === 0) peak = Math.max(peak, openFds(bot.pid));
      return answer;
    });
    running = false;
    await prober;

    const unanswered = answers.filter((a) => !/^HTTP\/1\.1 [1-5]\d\d /.test(a.statusLine));
    expect(unanswered.length).toBe(0);
    const open = answers.filter((a) => !a.closedByServer);
    expect(open.length).toBe(0);
    for (const a of answers) {
      expect([401, 404]).toContain(a.status);
      expect(a.headers.connection).toBe('close');
    }
    // the stream path needs a token: 401, as the Direct Line reference says; every other path has no endpoint
    const streams = answers.filter((_a, i) => paths[i % paths.length]!.endsWith('/stream'));
    expect(streams.length).toBeGreaterThan(100);
    for (const a of streams) expect(a.status).toBe(401);

    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
    expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(2000);

    const back = await settle(() => openFds(bot.pid) <= baseline + 2, 5000);
    expect({ back, baseline, now: openFds(bot.pid), peak }).toMatchObject({ back: true });
    expect((await health(port)).status).toBe(200);
  }, 60_000);

  test('the server closes the socket itself: the client never closes it', async () => {
    const answer = await upgrade(port, '/api/messages', {}, 8000);
    expect(answer.status).toBe(404);
    expect(answer.closedByServer).toBe(true);
    expect(answer.ms).toBeLessThan(2000);
  });

  test('an upgrade to another protocol (h2c) is answered and closed too', async () => {
    const answer = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(answer.closedByServer).toBe(true);
  });
});

describe('upgrades count toward the per-IP limit', () => {
  test('past the limit an upgrade is answered 429 with Retry-After, and the same client is limited over HTTP too', async () => {
    const bot = await startBot({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const port = Number(new URL(bot.url).port);
      const statuses = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await upgrade(port, '/nowhere');
        expect(last.closedByServer).toBe(true);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(last!.body)).toMatchObject({ error: 'too many requests' });
      // one budget per client address, whatever the kind of request
      expect((await post(bot.url, activity('hai'))).status).toBe(429);
    } finally {
      await bot.stop();
    }
  });
});

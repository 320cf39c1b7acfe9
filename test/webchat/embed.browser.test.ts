/**
 * docs/embed.md as a website owner follows it, in Chromium: a website on its own origin (http://127.0.0.1:W)
 * embeds the widget served by the bot on another origin (http://localhost:B), with the page and script of the
 * doc's snippets taken from docs/embed.md as written (only https://bot.example.com replaced by the bot's
 * address):
 * - the bot's own Direct Line from another origin, allowed by WEBCHAT_ALLOWED_ORIGINS; a second website that is
 *   not listed is refused (no CORS headers, 403, and its WebSocket upgrade too);
 * - Azure Bot Service: the page gets a token from the bot's /api/directline/token (the bot exchanges
 *   DIRECT_LINE_SECRET for it) and Web Chat connects to https://directline.botframework.com, which Chromium
 *   resolves (--host-resolver-rules) to a local stand-in for Azure's Direct Line 3.0 (TLS, self-signed, hence
 *   --ignore-certificate-errors): tokens/generate only with the secret, everything else passed to the bot's
 *   own Direct Line 3.0 implementation, as Azure's documented operations (base /v3/directline, streamUrl on
 *   wss://directline.botframework.com). What it cannot show is Azure relaying to /api/messages (that needs
 *   Azure's signed requests).
 * Screenshots in test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { type WebChatBot, startWebChatBot } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const DOC = path.join(__dirname, '../../docs/embed.md');
const AZURE_HOST = 'directline.botframework.com';

jest.setTimeout(120_000);

/** The ```html block and the ```js block whose first line starts with `marker` (the html block just before it). */
function snippet(marker: string, botUrl: string): { html: string; js: string } {
  const doc = fs.readFileSync(DOC, 'utf8');
  const blocks = [...doc.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2]!, at: m.index! }));
  const js = blocks.find((b) => b.lang === 'js' && b.code.startsWith(marker));
  if (!js) throw new Error(`docs/embed.md has no js snippet starting with ${marker}`);
  const html = blocks.filter((b) => b.lang === 'html' && b.at < js.at).pop();
  if (!html) throw new Error(`docs/embed.md has no html snippet before ${marker}`);
  const local = (code: string) => code.replaceAll('https://bot.example.com', botUrl);
  return { html: local(html.code), js: local(js.code) };
}

interface Site {
  origin: string;
  close(): Promise<void>;
}

/** A website: its page (the doc's html) and /js/support-chat.js (the doc's script). */
async function startSite(content: () => { html: string; js: string }): Promise<Site> {
  const server = http.createServer((req, res) => {
    const { html, js } = content();
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="ms"><head><meta charset="utf-8"><title>Kedai Contoh</title></head><body><h1>Kedai Contoh</h1>\n${html}</body></html>`);
    } else if (req.url === '/js/support-chat.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      res.end(js);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

interface StandIn {
  /** Plain HTTP, for the bot's server-side token request. */
  httpUrl: string;
  tlsPort: number;
  /** What tokens/generate was asked: the Authorization header and the user id of the body. */
  generated: Array<{ authorization: string; userId: string }>;
  close(): Promise<void>;
}

/**
 * Azure's Direct Line 3.0 (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference),
 * base /v3/directline: POST tokens/generate takes the SECRET (Bearer) and a { user: { id } } and answers
 * { conversationId, token, expires_in }; the other operations (conversations, activities, the stream) are
 * the bot's own Direct Line behind it. Answers browsers of any origin (CORS), as Azure's service does.
 */
async function startStandIn(botUrl: string, secret: string, dir: string): Promise<StandIn> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', `/CN=${AZURE_HOST}`], { stdio: 'ignore' });
  const generated: StandIn['generated'] = [];
  const bot = new URL(botUrl);
  const botPath = (p: string) => p.replace(/^\/v3\/directline\//, '/directline/');
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? ''), 'access-control-max-age': '600' });
      return res.end();
    }
    const url = req.url ?? '/';
    if (!url.startsWith('/v3/directline/')) {
      res.writeHead(404);
      return res.end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (url === '/v3/directline/tokens/generate') {
        if (req.headers.authorization !== `Bearer ${secret}`) {
          res.writeHead(403, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'invalid secret' } }));
        }
        const userId = (JSON.parse(body.toString() || '{}') as { user?: { id?: string } }).user?.id ?? '';
        generated.push({ authorization: req.headers.authorization, userId });
      }
      // the rest of Direct Line: the bot's own implementation, reached as Azure's host over TLS (its
      // streamUrl then points at wss://directline.botframework.com)
      const forward = http.request(
        {
          host: bot.hostname,
          port: bot.port,
          method: req.method,
          path: url === '/v3/directline/tokens/generate' ? '/directline/tokens/generate' : botPath(url),
          headers: {
            host: AZURE_HOST,
            'x-forwarded-proto': 'https',
            ...(req.headers.authorization && url !== '/v3/directline/tokens/generate' ? { authorization: req.headers.authorization } : {}),
            ...(body.length > 0 ? { 'content-type': String(req.headers['content-type'] ?? 'application/json'), 'content-length': String(body.length) } : {}),
          },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts).toString();
            if (url === '/v3/directline/tokens/generate' && answer.statusCode === 200) {
              const t = JSON.parse(text) as { conversationId: string; token: string; expires_in: number };
              text = JSON.stringify({ conversationId: t.conversationId, token: t.token, expires_in: t.expires_in });
            }
            text = text.replaceAll(`wss://${AZURE_HOST}/directline/`, `wss://${AZURE_HOST}/v3/directline/`);
            res.writeHead(answer.statusCode ?? 502, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
            res.end(text);
          });
        },
      );
      forward.on('error', () => (res.writeHead(502), res.end()));
      forward.end(body);
    });
  };
  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const headers = { ...req.headers, host: AZURE_HOST };
    delete headers.origin; // Azure's service talks to the bot, not the page
    const forward = http.request({ host: bot.hostname, port: bot.port, path: botPath(req.url ?? '/'), headers });
    forward.on('upgrade', (answer, upstream, upstreamHead) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\n${Object.entries(answer.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    forward.on('response', (answer) => {
      socket.end(`HTTP/1.1 ${answer.statusCode} Refused\r\nconnection: close\r\n\r\n`);
    });
    forward.on('error', () => socket.destroy());
    forward.end();
  };
  const plain = http.createServer(handler);
  const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, handler);
  tls.on('upgrade', upgrade);
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const close = (s: http.Server) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())));
  return {
    httpUrl: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`,
    tlsPort: (tls.address() as AddressInfo).port,
    generated,
    close: async () => {
      await close(plain);
      await close(tls);
    },
  };
}

(haveChromium || process.env.CI ? describe : describe.skip)('docs/embed.md in Chromium: a website on another origin', () => {
  const SECRET = 'azure-direct-line-secret-for-the-test-0123456789';
  let bot: WebChatBot;
  let botUrl: string;
  let standIn: StandIn;
  let site: Site;
  let stranger: Site;
  let context: BrowserContext;
  let dir: string;
  let content: { html: string; js: string } = { html: '', js: '' };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-'));
    site = await startSite(() => content);
    stranger = await startSite(() => content);
    // the stand-in needs the bot's address and the bot the stand-in's: the bot's port is chosen first
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    botUrl = `http://localhost:${port}`;
    standIn = await startStandIn(`http://127.0.0.1:${port}`, SECRET, dir);
    bot = await startWebChatBot(
      { RATE_LIMIT_PER_IP: '100000', DIRECT_LINE_SECRET: SECRET, WEBCHAT_ALLOWED_ORIGINS: site.origin },
      { azureDirectLineUrl: `${standIn.httpUrl}/v3/directline` },
      { port },
    );
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 800, height: 760 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--host-resolver-rules=MAP ${AZURE_HOST} 127.0.0.1:${standIn.tlsPort}`,
        '--ignore-certificate-errors',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    await bot?.stop();
    await standIn?.close();
    await site?.close();
    await stranger?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Visit {
    page: Page;
    log: string[];
    sockets: string[];
    responses: Array<{ url: string; status: number; allowOrigin?: string }>;
    requestHeaders: string[];
    failed: string[];
  }

  async function visit(origin: string): Promise<Visit> {
    const page = await context.newPage();
    const v: Visit = { page, log: [], sockets: [], responses: [], requestHeaders: [], failed: [] };
    page.on('requestfailed', (r) => v.failed.push(r.url()));
    page.on('console', (m) => v.log.push(`console ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => v.log.push(`page error: ${e.message}`));
    page.on('websocket', (ws) => v.sockets.push(ws.url()));
    page.on('request', (r) => v.requestHeaders.push(`${r.url()} ${JSON.stringify(r.headers())}`));
    page.on('response', (r) => v.responses.push({ url: r.url(), status: r.status(), allowOrigin: r.headers()['access-control-allow-origin'] }));
    await page.goto(`${origin}/`);
    return v;
  }

  const botBubbles = (page: Page) =>
    page.$$eval('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content', (nodes) =>
      nodes.map((n) => (n as unknown as { innerText: string }).innerText),
    );

  /** The welcome, then a question typed into the send box and the bot's answer: all live in the page. */
  async function converse(v: Visit, shot: string): Promise<void> {
    const { page } = v;
    const fail = (err: Error) => {
      throw new Error(`${err.message}\n${v.log.join('\n')}\nsockets: ${v.sockets.join(' ')}\n${v.responses.map((r) => `${r.status} ${r.url}`).join('\n')}`);
    };
    await page.waitForFunction(() => (globalThis as any).document.querySelector('.webchat__bubble__content')?.innerText.includes('Hai!'), undefined, { timeout: 30_000 }).catch(fail);
    const before = (await botBubbles(page)).length;
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('Macam mana nak bayar bil?');
    await input.press('Enter');
    await page.waitForSelector('.webchat__stacked-layout--from-user >> text=Macam mana nak bayar bil?');
    await page
      .waitForFunction((n) => (globalThis as any).document.querySelectorAll('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content').length > n, before, { timeout: 20_000 })
      .catch(fail);
    const answers = await botBubbles(page);
    expect(answers[answers.length - 1]!.length).toBeGreaterThan(10);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, shot) });
  }

  test("the bot's own Direct Line from a listed origin: the doc's snippet, over CORS and the WebSocket stream", async () => {
    content = snippet('// /js/support-chat.js: the bot\'s own Direct Line, called from another origin', botUrl);
    expect(content.js).toContain(`const bot = '${botUrl}';`);
    const v = await visit(site.origin);
    await converse(v, 'embed-own-direct-line-cross-origin.png');
    // every answer of the bot's Direct Line carried the CORS header for the website
    const own = v.responses.filter((r) => r.url.startsWith(`${botUrl}/directline/`));
    expect(own.length).toBeGreaterThanOrEqual(3);
    for (const r of own) expect(r.allowOrigin).toBe(site.origin);
    expect(v.sockets).toHaveLength(1);
    expect(v.sockets[0]).toMatch(new RegExp(`^ws://localhost:\\d+/directline/conversations/[^/]+/stream\\?watermark=0&t=`));
    await v.page.close();
  });

  test('a website that is not listed gets nothing: no token, no CORS header, no stream', async () => {
    content = snippet('// /js/support-chat.js: the bot\'s own Direct Line, called from another origin', botUrl);
    const v = await visit(stranger.origin);
    // the page's fetch fails (the browser reports the missing CORS header)
    for (let i = 0; i < 100 && !v.log.some((l) => /CORS|Failed to fetch/.test(l)); i++) await v.page.waitForTimeout(100);
    expect(v.log.filter((l) => /CORS|Failed to fetch/.test(l)).length).toBeGreaterThan(0);
    expect(v.failed).toContain(`${botUrl}/directline/tokens/generate`);
    expect(await v.page.locator('.webchat__basic-transcript').count()).toBe(0);
    await v.page.close();
    // what the browser hid from the page: the bot refused the request (no token was made)
    const token = await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST', headers: { origin: stranger.origin } });
    expect(token.status).toBe(403);
    expect(token.headers.get('access-control-allow-origin')).toBeNull();
    expect(await token.json()).toEqual({ error: { code: 'BadArgument', message: expect.stringContaining('not allowed') } });
    const azure = await fetch(`${bot.url}/api/directline/token`, { method: 'POST', headers: { origin: stranger.origin } });
    expect(azure.status).toBe(403);
    expect(await azure.json()).toEqual({ error: expect.stringContaining('not allowed') });
    expect(standIn.generated).toHaveLength(0); // Azure was not asked
    // the bot's own origin needs no listing, and a server (no Origin) is not affected
    expect((await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST', headers: { origin: bot.url } })).status).toBe(200);
    expect((await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(200);

    // the preflight Web Chat sends before a POST with a token: answered for the listed origin only
    const preflight = (origin: string) =>
      fetch(`${bot.url}/directline/conversations`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-ms-bot-agent,x-requested-with' },
      });
    const allowed = await preflight(site.origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(site.origin);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization.*content-type.*x-ms-bot-agent.*x-requested-with/);
    const refused = await preflight(stranger.origin);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    // the stream: a token is not enough from another site's page
    const generated = (await (await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
    const started = (await (
      await fetch(`${bot.url}/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { streamUrl: string };
    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(started.streamUrl, { origin });
        ws.once('open', () => (ws.close(), resolve(101)));
        ws.once('unexpected-response', (_req, res) => (resolve(res.statusCode ?? 0), ws.terminate()));
        ws.once('error', () => resolve(-1));
      });
    expect(await upgrade(stranger.origin)).toBe(403);
    expect(await upgrade(site.origin)).toBe(101);
  });

  test('Azure Bot Service: the doc\'s snippet gets a token from the bot and talks to directline.botframework.com; the secret never reaches the page', async () => {
    content = snippet('// /js/support-chat.js: Azure Bot Service', botUrl);
    expect(content.js).toContain('createDirectLine({ token })');
    const v = await visit(site.origin);
    await converse(v, 'embed-azure-direct-line.png');
    // the bot asked the stand-in with the secret, for a dl_ user
    expect(standIn.generated).toHaveLength(1);
    expect(standIn.generated[0]!.userId).toMatch(/^dl_[0-9a-f]{24}$/);
    const token = v.responses.find((r) => r.url === `${botUrl}/api/directline/token`);
    expect(token).toMatchObject({ status: 200, allowOrigin: site.origin });
    // Web Chat's own calls and its stream went to Azure's host
    expect(v.responses.some((r) => r.url === `https://${AZURE_HOST}/v3/directline/conversations` && r.status === 201)).toBe(true);
    expect(v.sockets).toHaveLength(1);
    expect(v.sockets[0]).toMatch(new RegExp(`^wss://${AZURE_HOST.replace(/\./g, '\\.')}/v3/directline/conversations/[^/]+/stream\\?`));
    // nothing the page sent or holds contains the secret
    expect(v.requestHeaders.filter((r) => r.includes(SECRET))).toEqual([]);
    expect(await v.page.content()).not.toContain(SECRET);
    await v.page.close();
  });
});

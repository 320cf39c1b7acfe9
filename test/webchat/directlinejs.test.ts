/**
 * Microsoft's own Direct Line client, botframework-directlinejs as installed (its browser build,
 * node_modules/botframework-directlinejs/dist/directline.js), with its DEFAULT settings — WebSocket on, no
 * polling interval given — in a real browser (Debian's Chromium, since the client needs the browser's
 * WebSocket and XMLHttpRequest) against the real server: it starts the conversation, opens the stream from the
 * streamUrl, receives the welcome and the reply to a message over the WebSocket (never polling), and after
 * refreshes its token. (A restart under an open page: browser.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type WebChatBot, startWebChatBot } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLIENT = path.join(path.dirname(require.resolve('botframework-directlinejs/package.json')), 'dist/directline.js');
const haveChromium = fs.existsSync(CHROMIUM);

jest.setTimeout(120_000);

(haveChromium || process.env.CI ? describe : describe.skip)('botframework-directlinejs with default settings', () => {
  let bot: WebChatBot;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const requests: string[] = [];
  const sockets: string[] = [];

  beforeAll(async () => {
    bot = await startWebChatBot({ RATE_LIMIT_PER_IP: '100000' });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // the installed client as a script of the bot's origin; the document is a real response of the bot
    // (/healthz: no page script, no CSP), since Chromium's local network access checks treat a document
    // made up by the test as public and would refuse its WebSocket to 127.0.0.1
    await page.route(`${bot.url}/__test/directline.js`, (route) => route.fulfill({ contentType: 'application/javascript', body: fs.readFileSync(CLIENT) }));
    page.on('request', (req) => requests.push(`${req.method()} ${new URL(req.url()).pathname}${new URL(req.url()).search}`));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('console', (msg) => requests.push(`console ${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => requests.push(`page error: ${err.message}`));
    await page.goto(`${bot.url}/healthz`);
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const d = (globalThis as any).document;
          const script = d.createElement('script');
          script.src = '/__test/directline.js';
          script.onload = resolve;
          script.onerror = reject;
          d.head.appendChild(script);
        }),
    );
  });

  afterAll(async () => {
    await context?.close();
    await bot?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('start, stream, reply: every activity over the WebSocket', async () => {
    const token = ((await (await fetch(`${bot.url}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string }).token;
    await page.evaluate(
      ({ domain, token }) => {
        const w = globalThis as any;
        w.received = [];
        w.statuses = [];
        // the defaults: no webSocket, pollingInterval or timeout option
        const dl = new w.DirectLine.DirectLine({ domain, token });
        w.dl = dl;
        dl.connectionStatus$.subscribe((s: number) => w.statuses.push(s));
        dl.activity$.subscribe((a: any) => w.received.push({ type: a.type, text: a.text, role: a.from?.role, id: a.id }));
      },
      { domain: `${bot.url}/directline`, token },
    );
    const botMessages = () => page.evaluate(() => (globalThis as any).received.filter((a: any) => a.type === 'message' && a.role === 'bot').length as number);
    await page
      .waitForFunction(() => (globalThis as any).received.some((a: any) => a.role === 'bot'), undefined, { timeout: 20_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}\nrequests: ${requests.join('\n')}\nsockets: ${sockets.join('\n')}`);
      });
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/directline/conversations/[^/]+/stream\\?watermark=0&t=`));

    const welcome = await botMessages();
    const id = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) =>
          (globalThis as any).dl
            .postActivity({ type: 'message', text: 'How do I pay my bill?', from: { id: 'ignored', role: 'user' }, locale: 'en-US' })
            .subscribe(resolve, reject),
        ),
    );
    expect(id).toMatch(/\|\d{7}$/);
    await page.waitForFunction((n) => (globalThis as any).received.filter((a: any) => a.type === 'message' && a.role === 'bot').length > n, welcome, { timeout: 10_000 });
    // nothing was polled: every activity came over the WebSocket
    expect(requests.filter((r) => /\/activities(\?|$)/.test(r) && r.startsWith('GET'))).toEqual([]);
    const refreshed = await page.evaluate(
      () => new Promise<string>((resolve, reject) => (globalThis as any).dl.refreshToken().subscribe(resolve, reject)),
    );
    expect(refreshed.split('.')).toHaveLength(3);

    const statuses = await page.evaluate(() => (globalThis as any).statuses as number[]);
    // 2 = Online (botframework-directlinejs ConnectionStatus); never 4 (FailedToConnect) or 5 (Ended)
    expect(statuses).toContain(2);
    expect(statuses).not.toContain(4);
    expect(statuses).not.toContain(5);
  });
});

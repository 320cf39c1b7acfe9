/**
 * The chat page in a real browser (Debian's Chromium driven by playwright-core): the real bot on 127.0.0.1,
 * Web Chat from the bot itself over the Direct Line WebSocket stream:
 * - a Malay question answered in Malay, the follow-up buttons with their short labels, one clicked and answered;
 * - the page chrome follows the language the customer writes in (title, placeholder, toggle, lang), and the toggle;
 * - a reload keeps the conversation (same id, the transcript back); a server restart under the open page shows
 *   "reconnecting", then the page goes on in the same conversation;
 * - a staff reply appended by another process (as the CLI does) arrives live;
 * - the send box stops at MAX_MESSAGE_CHARS with a counter; on a phone the buttons wrap and show in full;
 * - axe-core finds no serious or critical accessibility violation; no CSP violation or script error.
 * Screenshots in test-artifacts/: webchat.png, webchat-en.png, webchat-reconnecting.png, webchat-phone.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { DirectLineStore } from '../../src/channels/directline/store';
import { AttachmentStore } from '../../src/channels/directline/uploads';
import { type Database, openDatabase } from '../../src/db';
import { loadKnowledge } from '../../src/knowledge';
import { type WebChatBot, startWebChatBot } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const AXE = require.resolve('axe-core/axe.min.js');
const MAX_CHARS = 300;

jest.setTimeout(180_000);

// In CI (.ci/run installs Debian's chromium) a missing browser is a failure; on a laptop without it the
// browser test is skipped with the reason, as the PostgreSQL tests are without TEST_DATABASE_URL.
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.warn(`browser test skipped: Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

(haveChromium || process.env.CI ? describe : describe.skip)('the chat page in Chromium', () => {
  let bot: WebChatBot;
  let port: number;
  let dataDir: string;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const problems: string[] = [];
  const requests: string[] = [];
  const sockets: string[] = [];
  /** Problems expected while the server is down (the restart test). */
  let restarting = false;
  const env = { RATE_LIMIT_PER_IP: '100000', MAX_MESSAGE_CHARS: String(MAX_CHARS), DIRECT_LINE_STREAM_POLL_MS: '200' };

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
    }
    // a DATA_DIR of the test's own, kept across the restart below (same database, same signing key)
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-webchat-browser-'));
    bot = await startWebChatBot(env, {}, { dataDir });
    port = Number(new URL(bot.url).port);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 900, height: 900 },
      locale: 'ms-MY',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-quic',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      const text = msg.text();
      if (restarting) return;
      if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(text)) problems.push(`console ${msg.type()}: ${text}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (!restarting) problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !restarting) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('request', (req) => {
      requests.push(`${req.method()} ${req.url()}`);
      if (!req.url().startsWith(bot.url) && !/^(data|blob):/.test(req.url())) problems.push(`request to another origin: ${req.url()}`);
    });
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // axe-core as a script of the bot's origin (the page's CSP allows only 'self' scripts)
    await context.route(`${bot.url}/__test/axe.js`, (route) => route.fulfill({ contentType: 'application/javascript', body: fs.readFileSync(AXE) }));
  });

  afterAll(async () => {
    await context?.close();
    await bot?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  const botTexts = (): Promise<string[]> =>
    page.$$eval('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content', (nodes) =>
      nodes.map((n) => (n as unknown as { innerText: string }).innerText),
    );
  const waitForBotText = (needle: string, timeout = 20_000) =>
    page.waitForFunction(
      (n) =>
        // (runs in the page)
        Array.from(
          (globalThis as any).document.querySelectorAll('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content') as ArrayLike<{ innerText: string }>,
        ).some((e) => e.innerText.includes(n)),
      needle,
      { timeout },
    );
  const session = (): Promise<{ conversationId: string; token: string; watermark: string } | null> =>
    page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-chat.conversation') ?? 'null'));
  const input = () => page.locator('[data-id="webchat-sendbox-input"]');
  const send = async (text: string) => {
    await input().fill(text);
    await input().press('Enter');
  };

  /** Waits until the transcript has scrolled to its end (Web Chat scrolls smoothly), for a screenshot that shows the last messages. */
  const settle = async (): Promise<void> => {
    await page.waitForFunction(
      () => {
        const el = (globalThis as any).document.querySelector('.webchat__basic-transcript__scrollable') as
          | { scrollTop: number; clientHeight: number; scrollHeight: number }
          | null;
        return !!el && el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
      },
      undefined,
      { timeout: 5_000 },
    );
    await page.waitForTimeout(300);
  };
  const shot = async (name: string) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await settle().catch(() => undefined);
    await page.screenshot({ path: path.join(ARTIFACTS, name) });
  };

  it('asks in Malay over the stream, gets the Malay answer, clicks a short-labelled follow-up and gets its answer', async () => {
    await page.goto(`${bot.url}/`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Khidmat Pelanggan');
    // the welcome arrives as soon as the conversation starts
    await waitForBotText('Hai!');
    // the page's assets are content-hashed and compressed
    expect(requests.some((r) => /\/webchat\/webchat\.[\w-]{12}\.js$/.test(r))).toBe(true);

    await expect(input().getAttribute('placeholder')).resolves.toBe('Taip soalan anda');
    await send('camne nk upgrade akaun ebiz');
    await waitForBotText('kaunter JUPEM');
    // the customer's own message shows as theirs (right side), not as the bot's
    await page.waitForSelector('.webchat__stacked-layout--from-user >> text=camne nk upgrade akaun ebiz');

    // the answer's suggested actions: the follow-up entries, by their short labels, in full
    const knowledge = loadKnowledge(path.join(__dirname, '../../knowledge'));
    const upgrade = knowledge.entries.find((e) => e.answer?.ms.includes('kaunter JUPEM') && e.id.includes('upgrade'))!;
    const followups = upgrade.followups.map((id) => knowledge.byId.get(id)!);
    const buttons = page.locator('.webchat__suggested-actions .webchat__suggested-action');
    await buttons.first().waitFor({ timeout: 10_000 });
    const titles = await buttons.allInnerTexts();
    expect(titles.map((t) => t.trim())).toEqual(followups.map((e) => e.label.ms));

    const before = (await botTexts()).length;
    await buttons.first().click();
    const expected = followups[0]!.answer!.ms.split('\n')[0]!.trim();
    await waitForBotText(expected);
    expect((await botTexts()).length).toBeGreaterThan(before);

    // one WebSocket stream, no polling
    expect(sockets.length).toBe(1);
    expect(sockets[0]).toContain('/directline/conversations/');
    expect(requests.filter((r) => /^GET .*\/activities(\?|$)/.test(r))).toEqual([]);
    await shot('webchat.png');
  });

  it('the page follows the language the customer writes in; the toggle switches it back', async () => {
    await send('How do I pay my Digi bill online?');
    await page.waitForFunction(() => (globalThis as any).document.documentElement.lang === 'en', undefined, { timeout: 20_000 });
    await expect(page.locator('h1').innerText()).resolves.toBe('Customer Support');
    await expect(page.locator('.lang-button[data-lang="en"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.locator('.lang-button[data-lang="ms"]').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(input().getAttribute('placeholder')).resolves.toBe('Type your question');
    await expect(page.locator('.chat-footer').innerText()).resolves.toBe('Never share your password or TAC code in this chat.');
    await shot('webchat-en.png');

    await page.locator('.lang-button[data-lang="ms"]').click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Khidmat Pelanggan');
    await waitForBotText('Baik, saya akan menjawab dalam Bahasa Melayu.');
    await expect(page.locator('.lang-button[data-lang="ms"]').getAttribute('aria-pressed')).resolves.toBe('true');
  });

  it('a reload keeps the conversation and its transcript', async () => {
    const kept = await session();
    expect(kept?.conversationId).toEqual(expect.any(String));
    const before = await botTexts();
    expect(before.length).toBeGreaterThan(3);
    await page.reload();
    await waitForBotText(before[before.length - 1]!.slice(0, 40));
    expect((await session())?.conversationId).toBe(kept!.conversationId);
    const after = await botTexts();
    expect(after).toEqual(before);
    // the conversation goes on
    await send('terima kasih');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content').length > n, after.length, {
      timeout: 20_000,
    });
  });

  it('a staff reply appended by another process arrives live', async () => {
    const kept = (await session())!;
    const file = bot.runtime.config.database.kind === 'sqlite' ? bot.runtime.config.database.file : '';
    const other: Database = await openDatabase({ kind: 'sqlite', file });
    try {
      await new DirectLineStore(other.db).append(kept.conversationId, {
        type: 'message',
        text: 'Balasan daripada khidmat pelanggan: bayaran balik anda telah diproses.',
        locale: 'ms-MY',
        from: { id: 'support-bot', name: 'Support Bot', role: 'bot' } as any,
        conversation: { id: kept.conversationId } as any,
      });
    } finally {
      await other.close();
    }
    await waitForBotText('bayaran balik anda telah diproses', 10_000);
  });

  it('a server restart under the open page: "reconnecting", then the same conversation goes on', async () => {
    const kept = (await session())!;
    const count = (await botTexts()).length;
    restarting = true;
    await bot.stop();
    await page.locator('.chat-reconnecting').waitFor({ state: 'visible', timeout: 10_000 });
    await expect(page.locator('.chat-reconnecting').innerText()).resolves.toContain('Menyambung semula');
    await shot('webchat-reconnecting.png');
    bot = await startWebChatBot(env, {}, { port, dataDir });
    // botframework-directlinejs retries after 3-15 s, then every `timeout` (10 s)
    await page.locator('.chat-reconnecting').waitFor({ state: 'hidden', timeout: 60_000 });
    restarting = false;
    await send('terima kasih sekali lagi');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content').length > n, count, {
      timeout: 20_000,
    });
    expect((await session())?.conversationId).toBe(kept.conversationId);
    await expect(page.locator('.chat-error').isHidden()).resolves.toBe(true);
  });

  it('a photo attached with the paperclip button is kept for the ticket and acknowledged in Malay', async () => {
    const kept = (await session())!;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 1)]);
    await page.locator('input[type="file"]').setInputFiles({ name: 'resit.png', mimeType: 'image/png', buffer: png });
    // Web Chat 4.18 sends a chosen file at once, or stages it in the send box until the customer sends
    await page.waitForTimeout(500);
    if (!requests.some((r) => r.includes('/upload'))) await page.locator('.webchat__send-button').click();
    await waitForBotText('Terima kasih, saya telah menerima "resit.png"').catch(async (err: Error) => {
      throw new Error(`${err.message}\nbot: ${(await botTexts()).slice(-3).join(' | ')}\nuploads: ${requests.filter((r) => r.includes('/upload')).join(', ')}`);
    });
    const stored = await new AttachmentStore(bot.runtime.database.db).list(kept.conversationId);
    expect(stored.map((f) => [f.name, f.contentType, f.size])).toEqual([['resit.png', 'image/png', png.length]]);
  });

  it('the send box stops at the message limit, with a counter', async () => {
    await input().fill('');
    await input().pressSequentially('a'.repeat(10));
    await expect(page.locator('.chat-counter').isHidden()).resolves.toBe(true);
    await input().fill('x'.repeat(MAX_CHARS + 50));
    // fill() sets the value directly: maxlength stops typing and pasting, so type one more character
    await input().fill('x'.repeat(MAX_CHARS - 1));
    await input().pressSequentially('yz');
    await expect(input().inputValue()).resolves.toHaveLength(MAX_CHARS);
    await expect(page.locator('.chat-counter').isVisible()).resolves.toBe(true);
    await expect(page.locator('.chat-counter').innerText()).resolves.toContain(String(MAX_CHARS));
    await input().fill('');
  });

  it('on a phone the follow-up buttons wrap and show their labels in full', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await send('camne nk upgrade akaun ebiz');
    const buttons = page.locator('.webchat__suggested-actions .webchat__suggested-action');
    await buttons.first().waitFor({ timeout: 15_000 });
    await settle().catch(() => undefined);
    const boxes = await buttons.evaluateAll((nodes) =>
      nodes.map((n: any) => ({ scroll: n.scrollWidth, client: n.clientWidth, right: n.getBoundingClientRect().right, text: n.innerText })),
    );
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) {
      // nothing cut off, nothing off screen
      expect(b.scroll).toBeLessThanOrEqual(b.client + 1);
      expect(b.right).toBeLessThanOrEqual(360);
      expect(b.text).not.toContain('…');
    }
    await shot('webchat-phone.png');
    // the upload button is there on a phone too
    await expect(page.locator('.webchat__upload-button').count()).resolves.toBe(1);
    await page.setViewportSize({ width: 900, height: 900 });
  });

  it('axe-core finds no serious or critical accessibility violation', async () => {
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const d = (globalThis as any).document;
          const script = d.createElement('script');
          script.src = '/__test/axe.js';
          script.onload = resolve;
          script.onerror = reject;
          d.head.appendChild(script);
        }),
    );
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return (result.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>).map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    fs.writeFileSync(path.join(ARTIFACTS, 'axe.json'), JSON.stringify(violations, null, 2));
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('loaded everything from the bot, with no CSP violation or script error', () => {
    expect(problems).toEqual([]);
  });
});

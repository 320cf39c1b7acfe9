/**
 * The insight pages in real Chromium (Debian's, through playwright-core): the dashboard draws its charts with
 * the locally served uPlot under the page's CSP (no console error, no request to another origin), in English
 * and Malay, on a desktop and a phone-sized viewport; the CSV export; the knowledge page adds a paraphrase from
 * its form. Screenshots go to test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type RunningBot, activity, post, startBot } from '../helpers/app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const ADMIN = 'admin-token-0123456789abcdef';
jest.setTimeout(120_000);

const haveChromium = fs.existsSync(CHROMIUM);
(haveChromium || process.env.CI ? describe : describe.skip)('insight pages in Chromium', () => {
  let bot: RunningBot;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    bot = await startBot({ ADMIN_TOKEN: ADMIN, KNOWLEDGE_POLL_MS: '500' });
    // earlier days (the turn log as the bot writes it), then real traffic today
    const db = bot.app.runtime.database.db;
    const day = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);
    for (let n = 6; n >= 1; n--) {
      const rows = [];
      for (let i = 0; i < 10 + n * 3; i++) {
        const outcome = i % 5 === 0 ? 'declined' : i % 7 === 0 ? 'clarified' : 'answered';
        rows.push({ day: day(n), created_at: new Date(Date.now() - n * 86_400_000).toISOString(), channel: 'webchat', lang: i % 2 ? 'ms' : 'en', outcome, entry_id: outcome === 'answered' ? 'ebiz.upgrade-account' : null, procedure: null, conversation: `c${n}-${i % 6}`, ref: null, question: null });
      }
      await db.insertInto('insight_turns').values(rows).execute();
    }
    for (const [i, text] of ['How do I upgrade my user account?', 'qwzx plorf vindaloo', 'Bagaimana tatacara untuk naiktaraf akaun pengguna?', 'nak buat tiket'].entries()) {
      const res = await post(bot.url, activity(text, { conversation: { id: `dash-${i}` } }));
      const card = (res.body.activities as any[]).find((a) => a.attachments?.length);
      if (card) await post(bot.url, activity('x', { conversation: { id: `dash-${i}` }, value: card.attachments[0].content.buttons[i % 2].value }));
    }
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 1000 },
      extraHTTPHeaders: { authorization: `Bearer ${ADMIN}` },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('request', (req) => {
      if (!req.url().startsWith(bot.url)) problems.push(`request to another origin: ${req.url()}`);
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await bot?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('without the staff check: 401', async () => {
    const res = await fetch(`${bot.url}/console/dashboard`);
    expect(res.status).toBe(401);
  });

  test('the dashboard (English): charts drawn, figures in tables, CSV export', async () => {
    const res = await page.goto(`${bot.url}/console/dashboard?ui=en`);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('#chart-conversations canvas');
    await page.waitForSelector('#chart-rates canvas');
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    expect(await page.locator('h2', { hasText: 'Top answered entries' }).count()).toBe(1);
    expect(await page.locator('td', { hasText: 'ebiz.upgrade-account' }).count()).toBeGreaterThan(0);
    expect(await page.locator('h2', { hasText: 'Feedback by entry' }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'insight-dashboard-en.png'), fullPage: true });
    const csv = await page.evaluate(async () => (await fetch('/console/dashboard.csv')).text());
    expect(csv.split('\r\n')[0]).toBe('day,lang,conversations,turns,answered,clarified,declined,answered_rate,clarified_rate,declined_rate,handed_off');
    expect(csv.split('\r\n').length).toBeGreaterThan(8);
    expect(problems).toEqual([]);
  });

  test('the dashboard in Malay on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${bot.url}/console/dashboard?ui=ms&lang=ms`);
    await page.waitForSelector('#chart-rates canvas');
    expect(await page.locator('h1').textContent()).toBe('Papan pemuka');
    expect(await page.locator('html').getAttribute('lang')).toBe('ms');
    const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'insight-dashboard-ms-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.setViewportSize({ width: 1200, height: 1000 });
  });

  test('the knowledge page: an unanswered question added as a paraphrase from its form', async () => {
    await page.goto(`${bot.url}/console/knowledge?ui=en`);
    const item = page.locator('li', { hasText: 'qwzx plorf vindaloo' });
    await item.locator('select').selectOption('ebiz.upgrade-account');
    await item.locator('button').click();
    await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll("output")].some((o: any) => /Saved/.test(o.textContent ?? '')));
    await page.screenshot({ path: path.join(ARTIFACTS, 'insight-knowledge-en.png'), fullPage: true });
    const changes = await bot.app.runtime.database.db.selectFrom('knowledge_changes').selectAll().execute();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ entry_id: 'ebiz.upgrade-account', text: 'qwzx plorf vindaloo', lang: 'en', author: 'admin-token' });
    expect(problems).toEqual([]);
  });
});

/**
 * The handoff in real Chromium (Debian's, driven by playwright-core), two browser contexts on one real bot:
 * a customer in the web chat page and a staff member in the console. Sign-in, the live queue (short
 * polling), taking the conversation, messages both ways, handing back, then a ticket reply from the console
 * reaching the same web chat. No CSP violation or script error on either side.
 * Screenshots: test-artifacts/console-*.png (desktop and phone-sized) and test-artifacts/handoff-webchat.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser as Chromium, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { TicketService } from '../../src/services/tickets';
import { startBot, type RunningBot } from '../helpers/app';
import { ALWAYS_OPEN } from './helpers';
import { PASSWORD, addStaff } from './http';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
jest.setTimeout(180_000);

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) console.warn(`browser test skipped: Chromium is not installed at ${CHROMIUM}`);

(haveChromium || process.env.CI ? describe : describe.skip)('handoff in Chromium: web chat customer and console agent', () => {
  let bot: RunningBot;
  let browser: Chromium;
  let customerContext: BrowserContext;
  let agentContext: BrowserContext;
  let customer: Page;
  let agent: Page;
  const problems: string[] = [];

  const watch = (page: Page, who: string) => {
    page.on('console', (msg) => {
      // failed loads are judged by their response below (a refused sign-in is a 401 on purpose)
      if (/^Failed to load resource/.test(msg.text())) return;
      if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`${who} console ${msg.type()}: ${msg.text()}`);
    });
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (res.status() >= 400 && url.pathname !== '/favicon.ico' && !(url.pathname === '/console/sign-in' && res.status() === 401)) problems.push(`${who} HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('pageerror', (err) => problems.push(`${who} page error: ${err.message}`));
  };

  beforeAll(async () => {
    bot = await startBot({ ...ALWAYS_OPEN, LOG_LEVEL: 'warn' });
    await addStaff(bot.app, 'siti', 'agent', 'Siti Aminah');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    customerContext = await browser.newContext({ viewport: { width: 800, height: 900 }, locale: 'en-MY' });
    agentContext = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-MY' });
    customer = await customerContext.newPage();
    agent = await agentContext.newPage();
    watch(customer, 'customer');
    watch(agent, 'agent');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await customerContext?.close();
    await agentContext?.close();
    await browser?.close();
    await bot?.stop();
  });

  const waitForBotText = (needle: string, timeout = 20_000) =>
    customer.waitForFunction(
      (n) =>
        Array.from(
          (globalThis as any).document.querySelectorAll('.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content') as ArrayLike<{ innerText: string }>,
        ).some((e) => e.innerText.includes(n)),
      needle,
      { timeout },
    );
  const customerSays = async (text: string) => {
    const input = customer.locator('[data-id="webchat-sendbox-input"]');
    await input.fill(text);
    await input.press('Enter');
  };

  it('signs in, sees the customer in the live queue, takes the conversation, talks, hands back', async () => {
    await customer.goto(`${bot.url}/?lang=en`);
    await waitForBotText('Hi!');
    await customerSays('talk to an agent');
    await waitForBotText('number 1 in the queue');

    // the agent signs in (the console redirects there first)
    await agent.goto(`${bot.url}/console?lang=en`);
    expect(agent.url()).toContain('/console/sign-in');
    await agent.fill('#username', 'siti');
    await agent.fill('#password', 'wrong-password-123');
    await agent.click('main button[type=submit]');
    await expect(agent.locator('[role=alert]').innerText()).resolves.toContain('Wrong user name or password.');
    await agent.fill('#password', PASSWORD);
    await agent.click('main button[type=submit]');
    await agent.waitForURL(/\/console$/);
    await agent.locator('button[data-take]').first().waitFor({ timeout: 10_000 });
    await agent.screenshot({ path: path.join(ARTIFACTS, 'console-queue.png'), fullPage: true });

    // a second customer joins while the agent looks at the queue: the polling shows them without a reload
    const second = await customerContext.newPage();
    watch(second, 'second customer');
    await second.goto(`${bot.url}/?lang=ms`);
    const input2 = second.locator('[data-id="webchat-sendbox-input"]');
    await input2.waitFor();
    await input2.fill('nak cakap dengan orang');
    await input2.press('Enter');
    await agent.waitForFunction(() => (globalThis as any).document.querySelectorAll('button[data-take]').length === 2, undefined, { timeout: 15_000 });
    await second.close();

    await agent.locator('button[data-take]').first().click();
    await agent.waitForURL(/\/console\/conversations\/\d+$/);
    await waitForBotText('Siti Aminah from customer service is now with you.');
    await expect(agent.locator('main').innerText()).resolves.toContain('What the bot tried');

    await agent.fill('#text', 'Hello, I am Siti. How can I help?');
    await agent.click('form[action$="/send"] button');
    await waitForBotText('Siti Aminah: Hello, I am Siti. How can I help?');

    await customerSays('My invoice for March is wrong');
    await agent.waitForFunction(
      (n) => ((globalThis as any).document.querySelector('#transcript')?.innerText ?? '').includes(n),
      'My invoice for March is wrong',
      { timeout: 15_000 },
    );
    await agent.screenshot({ path: path.join(ARTIFACTS, 'console-conversation.png'), fullPage: true });
    await agent.setViewportSize({ width: 390, height: 844 });
    await agent.screenshot({ path: path.join(ARTIFACTS, 'console-conversation-phone.png'), fullPage: true });
    await agent.setViewportSize({ width: 1100, height: 900 });

    await agent.click('form[action$="/hand-back"] button');
    await agent.waitForURL(/\/console$/);
    await waitForBotText('back with the automated assistant');
    await customerSays('hello');
    await waitForBotText('How can I help you today?');
    await customer.screenshot({ path: path.join(ARTIFACTS, 'handoff-webchat.png') });
  });

  it('replies to a ticket from the console; the reply reaches the customer in the web chat', async () => {
    const db = bot.app.runtime.database.db;
    const session = await db.selectFrom('handoff_sessions').select(['conversation_ref']).where('lang', '=', 'en').orderBy('id').executeTakeFirstOrThrow();
    const tickets = (bot.app.runtime.features.find((f) => f.name === 'tickets')!.dialogs![0] as unknown as { deps: { tickets: TicketService } }).deps.tickets;
    const { ticket } = await tickets.create({
      requestKey: 'browser-ticket', category: 'billing', description: 'My invoice for March is wrong', name: 'Nur Aisyah', email: 'nur@example.com',
      lang: 'en', channel: 'webchat', channelUserId: 'u', conversationRef: JSON.parse(session.conversation_ref),
    });
    await agent.goto(`${bot.url}/console/tickets?lang=en`);
    await agent.click(`a[href="/console/tickets/${ticket.reference}"]`);
    await expect(agent.locator('main').innerText()).resolves.not.toContain('nur@example.com');
    await agent.fill('#reply', 'We have corrected your March invoice.');
    await agent.click('form[action$="/reply"] button');
    await agent.waitForURL(/notice=replied/);
    await waitForBotText('We have corrected your March invoice.');
    await agent.screenshot({ path: path.join(ARTIFACTS, 'console-ticket.png'), fullPage: true });
    await agent.setViewportSize({ width: 390, height: 844 });
    await agent.goto(`${bot.url}/console/tickets?lang=ms`);
    await agent.screenshot({ path: path.join(ARTIFACTS, 'console-inbox-phone.png'), fullPage: true });
  });

  it('no CSP violation or script error on either side', () => {
    expect(problems).toEqual([]);
  });
});

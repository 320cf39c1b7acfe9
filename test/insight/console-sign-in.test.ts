/**
 * The insight pages (dashboard, knowledge loop) behind the staff console's sign-in: a browser without a session is
 * sent to sign in; a signed-in agent reads them but cannot change the knowledge; a supervisor changes it only with
 * the session's CSRF token (X-CSRF-Token, as the page's script sends it); the admin bearer token still serves
 * machine clients.
 */
import { startBot, type RunningBot } from '../helpers/app';
import { Browser, addStaff } from '../handoff/http';

describe('insight pages behind the console sign-in', () => {
  let bot: RunningBot;
  const ADMIN_TOKEN = 'insight-admin-token-0123456789';
  beforeAll(async () => {
    bot = await startBot({ ADMIN_TOKEN, LOG_LEVEL: 'warn' });
    await addStaff(bot.app, 'agen', 'agent', 'Agen Satu');
    await addStaff(bot.app, 'penyelia', 'supervisor', 'Penyelia Dua');
  }, 60_000);
  afterAll(async () => bot.stop());

  const paraphrase = { entryId: 'ebiz.upgrade-account', lang: 'ms', text: 'bos suruh naik taraf akaun syarikat, prosesnya macam mana' };
  const postJson = (b: Browser, headers: Record<string, string> = {}) =>
    fetch(`${bot.url}/console/knowledge/paraphrases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
      body: JSON.stringify(paraphrase),
    });

  test('signed out: the pages send a browser to sign in; JSON answers 401', async () => {
    const b = new Browser(bot.url);
    const page = await b.request('GET', '/console/dashboard', undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Fdashboard');
    expect((await b.get('/console/dashboard.json')).status).toBe(401);
  });

  test('an agent reads the knowledge page but not the dashboard (the supervisors\'), and cannot change knowledge', async () => {
    const b = new Browser(bot.url);
    expect((await b.signIn('agen')).status).toBe(303);
    const queue = await b.get('/console?lang=ms');
    expect(queue.text).toContain('href="/console/knowledge?ui=ms"');
    expect(queue.text).not.toContain('href="/console/dashboard');
    expect((await b.get('/console/dashboard?ui=en')).status).toBe(403);
    const knowledge = await b.get('/console/knowledge?ui=en');
    expect(knowledge.status).toBe(200);
    const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(knowledge.text);
    expect(meta).not.toBeNull();
    expect((await postJson(b, { 'x-csrf-token': meta![1]! })).status).toBe(403);
  });

  test('a supervisor changes knowledge only with the session CSRF token; the admin token still works', async () => {
    const b = new Browser(bot.url);
    await b.signIn('penyelia');
    const home = await b.get('/console?lang=en');
    expect(home.text).toContain('href="/console/dashboard?ui=en"');
    expect((await b.get('/console/dashboard?ui=en')).status).toBe(200);
    const page = await b.get('/console/knowledge?ui=en');
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)![1]!;
    expect((await postJson(b)).status).toBe(401);
    expect((await postJson(b, { 'x-csrf-token': 'forged' })).status).toBe(401);
    const ok = await postJson(b, { 'x-csrf-token': csrf });
    expect(ok.status).toBe(201);
    const changes = (await (await fetch(`${bot.url}/console/knowledge/changes`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
      changes: Array<{ author: string }>;
    };
    expect(changes.changes.map((c) => c.author)).toContain('penyelia');
  });
});

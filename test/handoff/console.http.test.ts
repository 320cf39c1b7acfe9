/**
 * The handoff over /api/messages and the staff console over HTTP (a real server on 127.0.0.1): sign-in with
 * CSRF, cookie flags and lockout; the queue; taking a conversation, messages both ways (the staff side's
 * reach the customer through the stand-in connector), personal data masked with an audited reveal, hand
 * back; the ticket inbox with filters and search, a ticket's reply, status, assignment and notes.
 */
import { eventually } from '../helpers/eventually';
import { activity, post, startBot, texts, type RunningBot } from '../helpers/app';
import { ALWAYS_OPEN } from './helpers';
import { Browser, addStaff, fakeConnector } from './http';

describe('staff console over HTTP, handoff over /api/messages', () => {
  let bot: RunningBot;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  beforeAll(async () => {
    connector = await fakeConnector();
    bot = await startBot({ ...ALWAYS_OPEN, STAFF_LOCKOUT_ATTEMPTS: '3', LOG_LEVEL: 'warn' });
    await addStaff(bot.app, 'siti', 'agent', 'Siti Aminah');
  });
  afterAll(async () => {
    await bot.stop();
    await connector.close();
  });
  const say = (text: string, conversation = 'conv-h1', locale = 'en-US') =>
    post(bot.url, activity(text, { serviceUrl: connector.url, conversation: { id: conversation }, from: { id: `u-${conversation}`, name: 'Nur Aisyah' }, locale }));

  test('sign-in: redirect when signed out, CSRF required, cookie flags, wrong password, lockout', async () => {
    const b = new Browser(bot.url);
    const first = await b.get('/console');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole');
    const page = await b.get('/console/sign-in?lang=en');
    expect(page.text).toContain('Staff sign-in');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await b.post('/console/sign-in', { username: 'siti', password: 'x' }, false)).status).toBe(403);
    const wrong = await b.post('/console/sign-in', { username: 'siti', password: 'not-the-password-1' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong user name or password.');
    const ok = await b.post('/console/sign-in', { username: 'siti', password: 'Kelapa-Sawit-Hijau-88', next: '/console/tickets' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/console/tickets');
    const sessionCookie = ok.setCookies.find((c) => c.startsWith('console_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Strict/);
    expect(sessionCookie).toMatch(/Path=\/console/);
    expect(sessionCookie).not.toMatch(/Secure/); // http://127.0.0.1: Secure only when PUBLIC_URL is https
    expect((await b.get('/console')).status).toBe(200);
    const cookieValue = b.cookies.get('console_session')!;
    expect((await b.post('/console/sign-out')).headers.get('location')).toBe('/console/sign-in');
    // the old cookie is worthless after sign-out, even replayed
    b.cookies.set('console_session', cookieValue);
    expect((await b.get('/console')).status).toBe(303);
    // a form posted after the session ended: 401 with a page that says so, in the console's language
    const expiredEn = await b.request('POST', '/console/conversations/1/take?lang=en', { _csrf: 'x' });
    expect([expiredEn.status, expiredEn.headers.get('content-type')]).toEqual([401, 'text/html; charset=utf-8']);
    expect(expiredEn.text).toContain('Your session has ended, so this was not done.');
    const expiredMs = await b.request('POST', '/console/conversations/1/take?lang=ms', { _csrf: 'x' });
    expect(expiredMs.status).toBe(401);
    expect(expiredMs.text).toContain('Sesi anda telah tamat, jadi tindakan ini tidak dibuat.');

    // another account: three wrong passwords lock it, then even the right one is refused
    await addStaff(bot.app, 'locky', 'agent', 'Lock Y');
    const c = new Browser(bot.url);
    await c.signIn('locky', 'wrong-password-aa1');
    await c.signIn('locky', 'wrong-password-aa2');
    const third = await c.signIn('locky', 'wrong-password-aa3');
    expect(third.status).toBe(429);
    const right = await c.signIn('locky');
    expect(right.status).toBe(429);
    expect(right.text).toContain('Terlalu banyak cubaan gagal');
  });

  test('handoff over /api/messages: queue, take, both ways, masked with audited reveal, hand back', async () => {
    const queued = await say('talk to an agent');
    expect(texts(queued).join('\n')).toMatch(/number 1 in the queue/);
    // a way to reach the customer left while waiting: relayed, and a ticket offered (they stay in the queue)
    const offered = await say('my email is nur.aisyah@example.com and my order failed');
    expect(texts(offered).join('\n')).toMatch(/still in the queue[\s\S]*raise a ticket/);

    const b = new Browser(bot.url);
    expect((await b.signIn('siti')).status).toBe(303);
    const home = await b.get('/console?lang=en');
    expect(home.text).toContain('Waiting for a person (1)');
    expect(home.text).toContain('N••• A•••');
    expect(home.text).not.toContain('Nur Aisyah');
    const id = /\/console\/conversations\/(\d+)\/take/.exec(home.text)![1]!;

    expect((await b.post(`/console/conversations/${id}/take`, { _csrf: 'forged' }, false)).status).toBe(403);
    const take = await b.post(`/console/conversations/${id}/take`);
    expect(take.status).toBe(303);
    await eventually(() => expect(connector.texts('conv-h1').at(-1)).toBe('Siti Aminah from customer service is now with you.'));

    const page = await b.get(`/console/conversations/${id}`);
    expect(page.text).toContain('What the bot tried');
    expect(page.text).toContain('English');
    expect(page.text).not.toContain('nur.aisyah@example.com');
    expect(page.text).toMatch(/my email is .*•.* and my order failed/);
    expect(page.text).toContain('a ticket was offered while they wait');

    await b.post(`/console/conversations/${id}/send`, { text: 'Sorry about that. Which order?' });
    await eventually(() => expect(connector.texts('conv-h1').at(-1)).toBe('Siti Aminah: Sorry about that. Which order?'));
    expect(texts(await say('order 5521'))).toEqual([]);
    const fragment = await b.get(`/console/conversations/${id}/fragment`);
    expect(fragment.text).toContain('order 5521');
    expect(fragment.text).toContain('Sorry about that. Which order?');

    const revealed = await b.post(`/console/conversations/${id}/reveal`);
    expect(revealed.text).toContain('nur.aisyah@example.com');
    expect(revealed.text).toContain('Nur Aisyah');

    const back = await b.post(`/console/conversations/${id}/hand-back`);
    expect(back.status).toBe(303);
    await eventually(() => expect(connector.texts('conv-h1').at(-1)).toMatch(/back with the automated assistant/));
    expect(texts(await say('hello')).join('\n')).toMatch(/How can I help/);

    const audit = await bot.app.runtime.database.db.selectFrom('staff_audit').select(['username', 'action', 'target']).where('username', '=', 'siti').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['sign-in', 'take', 'send', 'reveal', 'hand-back']));
    expect(audit.find((a) => a.action === 'reveal')!.target).toBe(`conversation:${id}`);
  });

  test('Malay customer: the console shows Malay, the staff line reaches the customer; "batal" while held ends it', async () => {
    expect(texts(await say('nak cakap dengan orang', 'conv-h2', 'ms-MY')).join('\n')).toMatch(/kedudukan 1 dalam giliran/);
    const b = new Browser(bot.url);
    await b.signIn('siti');
    const home = await b.get('/console?lang=ms');
    expect(home.text).toContain('Menunggu pegawai (1)');
    expect(home.text).toContain('Bahasa Melayu');
    const id = /\/console\/conversations\/(\d+)\/take/.exec(home.text)![1]!;
    await b.post(`/console/conversations/${id}/take`);
    await eventually(() => expect(connector.texts('conv-h2').at(-1)).toBe('Siti Aminah dari khidmat pelanggan kini bersama anda.'));
    await b.post(`/console/conversations/${id}/send`, { text: 'Selamat petang, boleh saya bantu?' });
    await eventually(() => expect(connector.texts('conv-h2').at(-1)).toBe('Siti Aminah: Selamat petang, boleh saya bantu?'));
    expect(texts(await say('batal', 'conv-h2', 'ms-MY')).join('\n')).toMatch(/sesi dengan pegawai telah ditamatkan/);
    const after = await b.post(`/console/conversations/${id}/send`, { text: 'helo?' });
    expect(after.status).toBe(409);
    expect(after.text).toContain('Anda tidak memegang perbualan ini.');
  });

  test('ticket inbox: filters and search; detail masked; reply through the tickets service, status, assignment, note', async () => {
    const tickets = (bot.app.runtime.features.find((f) => f.name === 'tickets')!.dialogs![0] as unknown as { deps: { tickets: import('../../src/services/tickets').TicketService } }).deps.tickets;
    const mk = (lang: 'ms' | 'en', description: string, conversation: string) =>
      tickets.create({
        requestKey: `rk-${conversation}`, category: 'billing', description, name: 'Tan Wei Ming', email: 'tan.weiming@example.com.my', lang, channel: 'test', channelUserId: 'u',
        conversationRef: { channelId: 'test', serviceUrl: connector.url, conversation: { id: conversation } as any, bot: { id: 'bot', name: 'Bot' }, user: { id: 'u', name: 'Tan' } },
      });
    const en = (await mk('en', 'Charged twice for the plan in March', 'conv-t1')).ticket;
    await mk('ms', 'Bil saya salah bulan ini', 'conv-t2');
    const b = new Browser(bot.url);
    await b.signIn('siti');
    const all = await b.get('/console/tickets?lang=en');
    expect(all.text).toContain('Ticket inbox');
    expect(all.text).toContain('2 tickets');
    const onlyEn = await b.get('/console/tickets?language=en&q=twice');
    expect(onlyEn.text).toContain('1 tickets');
    expect(onlyEn.text).toContain(en.reference);
    expect((await b.get('/console/tickets?q=100%25_')).text).toContain('0 tickets');
    expect((await b.get(`/console/tickets?q=${en.reference.toLowerCase()}`)).text).toContain('1 tickets');

    const detail = await b.get(`/console/tickets/${en.reference}?lang=en`);
    expect(detail.text).not.toContain('tan.weiming@example.com.my');
    expect(detail.text).toContain('T••• W••• M•••');
    const reply = await b.post(`/console/tickets/${en.reference}/reply`, { text: 'We have refunded the second charge.' });
    expect(reply.status).toBe(303);
    await eventually(() => expect(connector.texts('conv-t1').at(-1)).toContain('We have refunded the second charge.'));
    await b.post(`/console/tickets/${en.reference}/status`, { status: 'resolved' });
    await b.post(`/console/tickets/${en.reference}/assign`, { assignee: 'siti' });
    await b.post(`/console/tickets/${en.reference}/note`, { text: 'Refund approved by finance.' });
    const after = await b.get(`/console/tickets/${en.reference}`);
    expect(after.text).toContain('resolved');
    expect(after.text).toContain('Refund approved by finance.');
    expect(after.text).toContain('delivered in the chat');
    expect((await b.get('/console/tickets?assignee=siti&status=resolved')).text).toContain('1 tickets');
    const revealed = await b.post(`/console/tickets/${en.reference}/reveal`);
    expect(revealed.text).toContain('tan.weiming@example.com.my');
    // the audit page: supervisors and admins only
    expect((await b.get('/console/audit')).status).toBe(403);
    await addStaff(bot.app, 'sup', 'supervisor', 'Supervisor Ong');
    const sup = new Browser(bot.url);
    await sup.signIn('sup');
    const audit = await sup.get('/console/audit?lang=en');
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('Staff audit');
    expect(audit.text).toMatch(new RegExp(`siti</td><td>reveal</td><td>${en.reference}`));
    const actions = (await bot.app.runtime.database.db.selectFrom('staff_audit').select(['action', 'target']).where('target', '=', en.reference).execute()).map((a) => a.action);
    expect(actions).toEqual(['ticket-reply', 'ticket-status', 'ticket-assign', 'ticket-note', 'reveal']);
  });
});

describe('console sign-in throttled per client address', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ STAFF_SIGN_IN_PER_ADDRESS: '2', LOG_LEVEL: 'warn' });
    await addStaff(bot.app, 'siti', 'agent', 'Siti Aminah');
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('attempts on different accounts from one address are counted together; past the limit even a right password waits', async () => {
    const b = new Browser(bot.url);
    expect((await b.signIn('alice', 'wrong-password-xx1')).status).toBe(401);
    expect((await b.signIn('bob', 'wrong-password-xx2')).status).toBe(401);
    const third = await b.signIn('siti');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    const audit = await bot.app.runtime.database.db.selectFrom('staff_audit').select('action').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['sign-in-failed', 'sign-in-failed', 'sign-in-throttled']);
  });
});

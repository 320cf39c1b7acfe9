/**
 * Two bot instances on one PostgreSQL database (in-process servers, as behind a load balancer without sticky
 * sessions): the customer talks to instance A over /api/messages, the staff member works on instance B's
 * console. The queue, the take, messages both ways and the hand back all go through the database; the
 * staff member's lines reach the customer through the connector from B. Runs only with TEST_DATABASE_URL.
 */
import { eventually } from '../helpers/eventually';
import { activity, post, startBot, texts, type RunningBot } from '../helpers/app';
import { engines, openTestDatabase, pgUrl, type TestDatabase } from '../helpers/databases';
import { ALWAYS_OPEN } from './helpers';
import { Browser, addStaff, fakeConnector } from './http';

const onPostgres = engines().some(([e]) => e === 'postgres');
const maybe = onPostgres ? describe : describe.skip;

function urlWithSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

maybe('handoff across two instances on PostgreSQL', () => {
  let db: TestDatabase;
  let a: RunningBot;
  let b: RunningBot;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    connector = await fakeConnector();
    const env = { ...ALWAYS_OPEN, DATABASE_URL: urlWithSchema(pgUrl!, db.schema!), LOG_LEVEL: 'warn' };
    a = await startBot(env);
    b = await startBot(env);
    await addStaff(b.app, 'ravi', 'agent', 'Ravi Kumar');
    // two whole bots built and started (knowledge, model, migrations): on a loaded 2-core machine this took more
    // than jest's 30 s default once; the bound is on startup, the test's own steps keep theirs
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await connector?.close();
    await db?.dispose();
  });

  test('customer on A, agent on B: queue, take, both ways, hand back', async () => {
    const say = (text: string) => post(a.url, activity(text, { serviceUrl: connector.url, conversation: { id: 'conv-2i' }, from: { id: 'u-2i', name: 'Lim Mei Ling' } }));
    expect(texts(await say('human please')).join('\n')).toMatch(/number 1 in the queue/);
    expect(texts(await say('I was charged twice'))).toEqual([]);

    const agent = new Browser(b.url);
    expect((await agent.signIn('ravi')).status).toBe(303);
    const home = await agent.get('/console?lang=en');
    expect(home.text).toContain('Waiting for a person (1)');
    const id = /\/console\/conversations\/(\d+)\/take/.exec(home.text)![1]!;
    expect((await agent.post(`/console/conversations/${id}/take`)).status).toBe(303);
    expect((await agent.get(`/console/conversations/${id}/fragment`)).text).toContain('I was charged twice');

    await agent.post(`/console/conversations/${id}/send`, { text: 'Let me check your bill.' });
    await eventually(() => expect(connector.texts('conv-2i')).toEqual(['Ravi Kumar from customer service is now with you.', 'Ravi Kumar: Let me check your bill.']));
    // the customer's answer on A is silent there and visible on B
    expect(texts(await say('thanks, it is the March bill'))).toEqual([]);
    expect((await agent.get(`/console/conversations/${id}/fragment`)).text).toContain('thanks, it is the March bill');

    // the same conversation cannot be taken twice, even from the other instance
    const other = new Browser(a.url);
    await addStaff(a.app, 'nora', 'agent', 'Nora Lee');
    await other.signIn('nora');
    const lost = await other.post(`/console/conversations/${id}/take`);
    expect(lost.headers.get('location')).toBe('/console?notice=taken-by-other');

    await agent.post(`/console/conversations/${id}/hand-back`);
    await eventually(() => expect(connector.texts('conv-2i').at(-1)).toMatch(/back with the automated assistant/));
    expect(texts(await say('hello')).join('\n')).toMatch(/How can I help/);
  });
});

/**
 * The live handoff over WhatsApp (the whole bot, real HTTP, a local stand-in for the Graph API, as in
 * test/channels/whatsapp.test.ts): a Malay customer asks for a person, the agent takes the conversation in
 * the console, the messages go both ways (the agent's through the WhatsApp adapter, the one delivery path),
 * the bot stays silent, and the hand back returns the customer to the bot.
 */
import { eventually } from '../helpers/eventually';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody } from '../../src/channels/whatsapp/webhook';
import type { WhatsAppFeature } from '../../src/channels/whatsapp/feature';
import { startBot, type RunningBot } from '../helpers/app';
import { ALWAYS_OPEN } from './helpers';
import { Browser, addStaff } from './http';

const SECRET = 'app-secret-for-tests';
const PNID = '1098765432';
const CUSTOMER = '60123000777';

describe('handoff over WhatsApp', () => {
  const sent: any[] = [];
  const graph = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      sent.push(JSON.parse(data || 'null'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messages: [{ id: `wamid.out${sent.length}` }] }));
    });
  });
  let bot: RunningBot;
  let counter = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => graph.listen(0, '127.0.0.1', () => r()));
    bot = await startBot({
      ...ALWAYS_OPEN,
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-token-for-tests',
      WHATSAPP_ACCESS_TOKEN: 'graph-access-token',
      WHATSAPP_PHONE_NUMBER_ID: PNID,
      WHATSAPP_GRAPH_URL: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`,
    });
    await addStaff(bot.app, 'aminah', 'agent', 'Aminah Yusof');
  });
  afterAll(async () => {
    await bot?.stop();
    graph.closeAllConnections();
    await new Promise<void>((r) => graph.close(() => r()));
  });

  const bodyText = (m: any): string => m.text?.body ?? m.interactive?.body?.text ?? '';
  const toCustomer = () => sent.filter((m) => m?.to === CUSTOMER).map(bodyText);
  async function say(body: string): Promise<string[]> {
    const before = toCustomer().length;
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA-1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '60300000000', phone_number_id: PNID },
        contacts: [{ wa_id: CUSTOMER, profile: { name: 'Hafiz' } }],
        messages: [{ from: CUSTOMER, id: `wamid.in-h${++counter}-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
      } }] }],
    };
    const raw = JSON.stringify(payload);
    const res = await fetch(`${bot.url}/api/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, SECRET) }, body: raw });
    expect(res.status).toBe(200);
    await (bot.app.runtime.features.find((f) => f.name === 'whatsapp') as WhatsAppFeature).adapter.idle();
    return toCustomer().slice(before);
  }

  test('Malay customer on WhatsApp ↔ agent in the console; hand back', async () => {
    expect((await say('nak cakap dengan orang')).join('\n')).toMatch(/kedudukan 1 dalam giliran/);
    expect(await say('bil saya terlebih caj')).toEqual([]);

    const agent = new Browser(bot.url);
    await agent.signIn('aminah');
    const home = await agent.get('/console?lang=ms');
    expect(home.text).toContain('whatsapp');
    const id = /\/console\/conversations\/(\d+)\/take/.exec(home.text)![1]!;
    await agent.post(`/console/conversations/${id}/take`);
    await agent.post(`/console/conversations/${id}/send`, { text: 'Boleh saya tahu bulan bil itu?' });
    await eventually(() => expect(toCustomer().slice(-2)).toEqual(['Aminah Yusof dari khidmat pelanggan kini bersama anda.', 'Aminah Yusof: Boleh saya tahu bulan bil itu?']));

    expect(await say('Mac 2026')).toEqual([]);
    expect((await agent.get(`/console/conversations/${id}/fragment`)).text).toContain('Mac 2026');

    await agent.post(`/console/conversations/${id}/hand-back`);
    await eventually(() => expect(toCustomer().at(-1)).toMatch(/pembantu automatik/));
    expect((await say('terima kasih')).join('\n')).toMatch(/Sama-sama/);
  });
});

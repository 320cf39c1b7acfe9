/**
 * Channel identity only from the channel (issue 13, item 6). With Bot Framework authentication off (the
 * default outside production), /api/messages takes only local channels with a loopback serviceUrl: a POST
 * claiming channel "whatsapp" and a victim's number must not continue the victim's WhatsApp conversation
 * (whose line WhatsApp's signed webhook verified) and read their eligibility checklist without a code.
 * The same steps through the signed webhook still need no code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { clientAddress } from '../../src/bot/context';
import { signBody } from '../../src/channels/whatsapp/webhook';
import type { WhatsAppFeature } from '../../src/channels/whatsapp/feature';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';

const SECRET = 'app-secret-for-identity-tests';
const PNID = '1098765432';
const VICTIM = '60121000001'; // a demo line: postpaid, every condition met

/** The Graph API stand-in: records what the bot sends to each number. */
class FakeGraph {
  sent: Array<{ to: string; text: string }> = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      this.sent.push({ to: body?.to, text: JSON.stringify(body) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messages: [{ id: `wamid.out${this.sent.length}` }] }));
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
  textTo(number: string): string {
    return this.sent
      .filter((s) => s.to === number)
      .map((s) => s.text)
      .join('\n');
  }
}

let n = 0;
function webhookBody(from: string, body: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '60300000000', phone_number_id: PNID },
              contacts: [{ wa_id: from, profile: { name: 'Customer' } }],
              messages: [{ from, id: `wamid.id-${++n}-${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
            },
          },
        ],
      },
    ],
  });
}

describe('channel identity only from the channel (authentication off)', () => {
  const graph = new FakeGraph();
  let bot: RunningBot;
  let feature: WhatsAppFeature;

  beforeAll(async () => {
    await graph.start();
    bot = await startBot({
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_ACCESS_TOKEN: 'graph-token',
      WHATSAPP_PHONE_NUMBER_ID: PNID,
      WHATSAPP_GRAPH_URL: graph.url,
      RATE_LIMIT_PER_IP: '100000',
    });
    feature = bot.app.runtime.features.find((f) => f.name === 'whatsapp') as WhatsAppFeature;
  });
  afterAll(async () => {
    await bot?.stop();
    await graph.stop();
  });

  const whatsapp = async (from: string, text: string): Promise<void> => {
    const body = webhookBody(from, text);
    const res = await fetch(`${bot.url}/api/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
      body,
    });
    expect(res.status).toBe(200);
    await feature.adapter.idle();
  };

  test('the attack: "whatsapp" and the victim’s number on /api/messages get 403 and no checklist', async () => {
    // the victim starts the check on WhatsApp: their line is verified by the signed webhook, no code
    await whatsapp(VICTIM, "Check my line's eligibility");
    // the line is the verified sender's: the switches it can make are offered (the plan is asked only when the
    // verdict depends on it)
    expect(graph.textTo(VICTIM)).toContain('Which kind of switch');

    // the attacker continues the victim's conversation through the Bot Framework endpoint
    const claim = { channelId: 'whatsapp', conversation: { id: VICTIM }, from: { id: VICTIM, name: 'x' } };
    const attack = await post(bot.url, activity('Postpaid to Postpaid Digi Postpaid 80', claim));
    expect(attack.status).toBe(403);
    expect(attack.body).toEqual({ error: 'forbidden' });
    expect(JSON.stringify(attack.body)).not.toMatch(/✓|can make|6012/);
    // and with every other way of spelling a remote sender
    for (const over of [
      { ...claim, serviceUrl: 'https://evil.example/' },
      { ...claim, channelId: 'WhatsApp' },
      { channelId: 'webchat' },
      { channelId: 'msteams' },
      { channelId: 'directline' },
      { channelId: 'test', serviceUrl: 'https://evil.example/' },
      { channelId: 'test', serviceUrl: 'http://127.0.0.1.evil.example/' },
      { channelId: 'emulator', serviceUrl: 'http://10.0.0.5:3978/' },
      { channelId: 'test', serviceUrl: undefined },
    ]) {
      const res = await post(bot.url, activity('Postpaid to Postpaid Digi Postpaid 80', over));
      expect([over, res.status]).toEqual([over, 403]);
      expect(res.body).toEqual({ error: 'forbidden' });
    }

    // the victim's own next message on WhatsApp still completes their check, without a code
    await whatsapp(VICTIM, 'Postpaid to Postpaid Digi Postpaid 80');
    const told = graph.textTo(VICTIM);
    expect(told).toContain('can make');
    expect(told).not.toMatch(/6-digit code/);
  });

  test('local channels with a loopback serviceUrl are answered, and the turn knows the caller’s address', async () => {
    const seen: Array<string | undefined> = [];
    const runtime = bot.app.runtime;
    const run = runtime.runTurn;
    runtime.runTurn = async (context: TurnContext) => {
      seen.push(clientAddress(context));
      return run(context);
    };
    try {
      for (const over of [
        { channelId: 'test', serviceUrl: 'http://127.0.0.1:9' },
        { channelId: 'emulator', serviceUrl: 'http://localhost:56789' },
        { channelId: 'emulator', serviceUrl: 'http://[::1]:56789' },
        { channelId: 'test', serviceUrl: 'http://127.8.9.10:9/' },
      ]) {
        const res = await post(bot.url, activity('hai', { ...over, conversation: { id: `local-${Math.random()}` } }));
        expect([over, res.status]).toEqual([over, 200]);
        expect(texts(res).length).toBeGreaterThan(0);
      }
    } finally {
      runtime.runTurn = run;
    }
    expect(seen).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });
});

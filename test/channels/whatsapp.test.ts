/**
 * The WhatsApp channel end to end: the whole bot behind the real restify server on 127.0.0.1, with a real
 * local HTTP server standing in for the Graph API. Handshake, signatures, de-duplication, status callbacks,
 * button and list mapping, numbered choices, retries on 429/5xx, the 24-hour window and templates.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { WaterfallDialog } from 'botbuilder-dialogs';
import { loadConfig } from '../../src/config';
import { type Runtime, createRuntime } from '../../src/runtime';
import { type HttpServer, createHttpServer } from '../../src/server';
import { WhatsAppWindowClosedError } from '../../src/channels/whatsapp/adapter';
import { signBody } from '../../src/channels/whatsapp/webhook';
import { type WhatsAppFeature, createWhatsAppFeature } from '../../src/channels/whatsapp/feature';
import { verifiedPhone } from '../../src/bot/context';
import { memoryLogger } from '../helpers/log';

const SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const TOKEN = 'graph-access-token';
const PNID = '1098765432';

interface GraphCall {
  path: string;
  auth: string | undefined;
  body: any;
}

/** The Graph API stand-in: records every call and answers from a script (default 200). */
class FakeGraph {
  calls: GraphCall[] = [];
  /** Read receipts (with the typing indicator), apart from the messages. */
  reads: GraphCall[] = [];
  script: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      if (body?.status === 'read') {
        this.reads.push({ path: req.url ?? '', auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"success":true}');
        return;
      }
      this.calls.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const next = this.script.shift() ?? { status: 200 };
      res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
      res.end(JSON.stringify(next.body ?? (next.status === 200 ? { messages: [{ id: `wamid.out${this.calls.length}` }] } : { error: { message: 'boom', code: 1 } })));
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
  /** Messages sent to a number, in order. */
  to(number: string): any[] {
    return this.calls.filter((c) => c.body?.to === number).map((c) => c.body);
  }
  reset(): void {
    this.calls = [];
    this.reads = [];
    this.script = [];
  }
}

let msgCounter = 0;
function message(from: string, content: Record<string, unknown>, id = `wamid.in${++msgCounter}-${Date.now()}`): Record<string, unknown> {
  return { from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...content };
}
function payload(messages: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
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
              contacts: (messages as Array<{ from: string }>).map((m) => ({ wa_id: m.from, profile: { name: 'Customer' } })),
              messages,
              ...extra,
            },
          },
        ],
      },
    ],
  };
}
const text = (from: string, body: string, id?: string) => message(from, { type: 'text', text: { body } }, id);

describe('WhatsApp channel (whole bot, real HTTP, fake Graph API)', () => {
  const graph = new FakeGraph();
  let runtime: Runtime;
  let server: HttpServer;
  let feature: WhatsAppFeature;
  let url: string;
  let dataDir: string;
  let clock = Date.now();
  let logs: string[] = [];
  const seenPhones: Array<string | undefined> = [];

  beforeAll(async () => {
    await graph.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-wa-'));
    // the knowledge with only the core catalog and this channel's own words (other areas' files are not needed)
    const knowledgeDir = path.join(dataDir, 'knowledge');
    fs.cpSync(path.join(__dirname, '../../knowledge'), knowledgeDir, { recursive: true });
    for (const f of fs.readdirSync(path.join(knowledgeDir, 'messages'))) {
      if (f !== 'core.yaml' && f !== 'channels.yaml') fs.rmSync(path.join(knowledgeDir, 'messages', f));
    }
    const config = loadConfig(
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY,
        WHATSAPP_ACCESS_TOKEN: TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: PNID,
        WHATSAPP_GRAPH_URL: graph.url,
        WHATSAPP_API_VERSION: 'v21.0',
        WHATSAPP_TEMPLATE_EN: 'support_update:en_US',
        KNOWLEDGE_DIR: knowledgeDir,
        OUTBOUND_BACKOFF_MS: '5',
        OUTBOUND_POLL_MS: '20',
      },
      path.join(__dirname, '../..'),
    );
    const captured = memoryLogger('debug');
    const log = captured.log;
    logs = captured.lines;
    runtime = await createRuntime(config, log, {
      features: (deps) => {
        feature = createWhatsAppFeature(deps, { now: () => clock });
        // a procedure the answers can offer (its own behaviour is not under test here), so they carry 4+ choices
        const eligibility = { name: 'eligibility-stand-in', dialogs: [new WaterfallDialog('eligibility', [async (step) => step.endDialog()])] };
        return [feature, eligibility];
      },
    });
    server = createHttpServer(runtime, log);
    // records the phone number the channel vouched for, on every turn
    feature.adapter.use({
      onTurn: async (context: TurnContext, next) => {
        await next();
        seenPhones.push(verifiedPhone(context));
      },
    });
    await new Promise<void>((r) => server.server.listen(0, '127.0.0.1', () => r()));
    runtime.deps.outbound.worker.start();
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (server) {
      await new Promise<void>((r) => server.server.close(() => r()));
      server.server.server.closeAllConnections?.();
    }
    await runtime?.close();
    await graph.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    graph.reset();
    clock = Date.now();
  });

  async function deliver(body: unknown, signature: string | null = 'good'): Promise<Response> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature === 'good') headers['x-hub-signature-256'] = signBody(raw, SECRET);
    else if (signature !== null) headers['x-hub-signature-256'] = signature;
    return fetch(`${url}/api/whatsapp`, { method: 'POST', headers, body: raw });
  }
  async function say(from: string, msg: Record<string, unknown>): Promise<any[]> {
    const before = graph.to(from).length;
    const res = await deliver(payload([msg]));
    expect(res.status).toBe(200);
    await feature.adapter.idle();
    return graph.to(from).slice(before);
  }
  const bodyText = (m: any): string => m.text?.body ?? m.interactive?.body?.text ?? '';

  test('verification handshake: the right token gets the challenge back, anything else 403', async () => {
    const ok = await fetch(`${url}/api/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${url}/api/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
    const noMode = await fetch(`${url}/api/whatsapp?hub.verify_token=${VERIFY}&hub.challenge=1`);
    expect(noMode.status).toBe(403);
  });

  test('a missing or wrong signature is refused with 401 and nothing is processed', async () => {
    const body = payload([text('60123000001', 'hai')]);
    expect((await deliver(body, null)).status).toBe(401);
    expect((await deliver(body, 'sha256=' + '0'.repeat(64))).status).toBe(401);
    expect((await deliver(body, signBody(JSON.stringify(body), 'another-secret'))).status).toBe(401);
    expect((await deliver(body, 'garbage')).status).toBe(401);
    await feature.adapter.idle();
    expect(graph.calls).toHaveLength(0);
    // the refused message id was not consumed: the genuine delivery still gets an answer
    expect(await say('60123000001', (body.entry as any)[0].changes[0].value.messages[0])).not.toHaveLength(0);
  });

  test('malformed payloads are refused, never a crash', async () => {
    expect((await deliver('{not json')).status).toBe(400);
    expect((await deliver({ object: 'page', entry: [] })).status).toBe(400);
    expect((await deliver({ object: 'whatsapp_business_account', entry: 'x' })).status).toBe(400);
    // a well-formed envelope with a broken message: 200, the broken one skipped, the good one answered
    const res = await deliver(payload([{ from: 'x', id: 1 }, text('60123000002', 'hai')]));
    expect(res.status).toBe(200);
    await feature.adapter.idle();
    expect(graph.to('60123000002').length).toBeGreaterThan(0);
  });

  test('a text becomes an activity from the sender, answered in Malay, posted with the bearer token', async () => {
    const replies = await say('60123000003', text('60123000003', 'camne nk upgrade akaun ebiz'));
    expect(replies.map(bodyText).join('\n')).toContain('kaunter JUPEM');
    const call = graph.calls.find((c) => c.body.to === '60123000003')!;
    expect(call.path).toBe(`/v21.0/${PNID}/messages`);
    expect(call.auth).toBe(`Bearer ${TOKEN}`);
    expect(call.body.messaging_product).toBe('whatsapp');
    expect(seenPhones[seenPhones.length - 1]).toBe('+60123000003');
  });

  test('a retried message id is processed once; status callbacks are ignored', async () => {
    const msg = text('60123000004', 'hai', 'wamid.retried-once');
    await say('60123000004', msg);
    const after = graph.calls.length;
    expect(after).toBeGreaterThan(0);
    await say('60123000004', msg);
    expect(graph.calls.length).toBe(after);
    const statuses = payload([], { statuses: [{ id: 'wamid.out1', status: 'delivered', recipient_id: '60123000004', timestamp: '1' }] });
    expect((await deliver(statuses)).status).toBe(200);
    await feature.adapter.idle();
    expect(graph.calls.length).toBe(after);
  });

  test('up to 3 choices become reply buttons; a pressed button sends its value', async () => {
    const greet = await say('60123000005', text('60123000005', 'hai'));
    const interactive = greet.find((m) => m.type === 'interactive')!;
    expect(interactive.interactive.type).toBe('button');
    const buttons = interactive.interactive.action.buttons as Array<{ reply: { id: string; title: string } }>;
    expect(buttons.length).toBeGreaterThanOrEqual(1);
    expect(buttons.length).toBeLessThanOrEqual(3);
    for (const b of buttons) expect(b.reply.title.length).toBeLessThanOrEqual(20);
    const pressed = buttons[1]!.reply;
    const reply = await say(
      '60123000005',
      message('60123000005', { type: 'interactive', interactive: { type: 'button_reply', button_reply: pressed } }),
    );
    // the same as typing the choice's value
    const value = pressed.id.startsWith('v:') ? pressed.id.slice(2) : '';
    expect(value).not.toBe('');
    const typed = await say('60123000105', text('60123000105', value));
    expect(reply.map(bodyText)).toEqual(typed.map(bodyText));
    expect(reply.map(bodyText).join('').length).toBeGreaterThan(20);
  });

  test('4 to 10 choices become a list; a chosen row sends its value', async () => {
    // an answer with its offer and follow-ups carries more than 3 choices
    const entry = runtime.knowledge.byId.get('planswitch.conditions-postpaid-prepaid')!;
    const answer = await say('60123000006', text('60123000006', entry.question.en));
    const list = answer.find((m) => m.type === 'interactive')!;
    expect(list.interactive.type).toBe('list');
    const rows = list.interactive.action.sections[0].rows as Array<{ id: string; title: string; description?: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.length).toBeLessThanOrEqual(10);
    for (const r of rows) {
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect((r.description ?? '').length).toBeLessThanOrEqual(72);
    }
    expect(list.interactive.action.button.length).toBeLessThanOrEqual(20);
    const row = rows[rows.length - 1]!;
    const chosen = await say(
      '60123000006',
      message('60123000006', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: row.id, title: row.title } } }),
    );
    const typed = await say('60123000106', text('60123000106', row.id.slice(2)));
    expect(chosen.map(bodyText)).toEqual(typed.map(bodyText));
  });

  test('pictures, stickers and places get the polite "text only" answer', async () => {
    for (const [i, m] of [
      { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } },
      { type: 'sticker', sticker: { id: 'media-2' } },
      { type: 'location', location: { latitude: 3.1, longitude: 101.6 } },
      { type: 'audio', audio: { id: 'media-3' } },
    ].entries()) {
      const from = `6012300002${i}`;
      const replies = await say(from, message(from, m));
      const said = replies.map(bodyText).join('\n');
      expect([runtime.catalog.t('ms', 'error.textOnly'), runtime.catalog.t('en', 'error.textOnly')]).toContain(said);
    }
  });

  test('429 (honouring Retry-After) and 5xx are retried; other 4xx are dropped without breaking the chat', async () => {
    graph.script = [{ status: 429, headers: { 'retry-after': '0' } }, { status: 500 }, { status: 200 }];
    const replies = await say('60123000007', text('60123000007', 'terima kasih'));
    expect(replies).toHaveLength(3); // the same message, attempted three times
    expect(replies[0]).toEqual(replies[2]);
    graph.script = [{ status: 400, body: { error: { message: 'bad parameter', code: 100 } } }];
    const dropped = await say('60123000007', text('60123000007', 'terima kasih'));
    expect(dropped).toHaveLength(1);
    // the conversation goes on
    expect((await say('60123000007', text('60123000007', 'hai'))).length).toBeGreaterThan(0);
    // the outbox's outcomes in the metrics, by the platform's code
    const { body } = await runtime.metrics.render();
    // (the fake answers both failures with Meta's code 1, "API Unknown")
    expect(body).toMatch(/^bot_outbound_messages_total\{channel="whatsapp",outcome="retried",reason="code_1"\} 2$/m);
    expect(body).toMatch(/^bot_outbound_messages_total\{channel="whatsapp",outcome="failed",reason="code_100"\} [1-9]/m);
    expect(body).toMatch(/^bot_outbound_messages_total\{channel="whatsapp",outcome="sent",reason="none"\} [1-9]/m);
  });

  test('serialised turns: several messages of one sender in one webhook are answered in order', async () => {
    const from = '60123000008';
    const res = await deliver(payload([text(from, 'hai'), text(from, 'terima kasih'), text(from, 'hai')]));
    expect(res.status).toBe(200);
    await feature.adapter.idle();
    const said = graph.to(from).map(bodyText);
    expect(said[0]).toBe(said[2]);
    expect(said[1]).not.toBe(said[0]);
  });

  test('proactive sends: within 24 hours free text, after that the template of the customer language, or an error', async () => {
    const from = '60123000009';
    await say(from, text(from, 'hi there'));
    const reference = { channelId: 'whatsapp', conversation: { id: from, isGroup: false, conversationType: 'personal', name: '' }, user: { id: from, name: '' }, bot: { id: PNID, name: 'bot' }, serviceUrl: graph.url };
    graph.reset();
    await feature.adapter.continueConversation(reference, async (c) => {
      await c.sendActivity({ type: 'message', text: 'Your ticket was answered.', locale: 'en-MY' });
    });
    await feature.adapter.idle();
    expect(graph.calls[0]!.body).toMatchObject({ to: from, type: 'text', text: { body: 'Your ticket was answered.' } });

    clock = Date.now() + 25 * 60 * 60 * 1000;
    graph.reset();
    await feature.adapter.continueConversation(reference, async (c) => {
      await c.sendActivity({ type: 'message', text: 'Your ticket was answered.\nSee details.', locale: 'en-MY' });
    });
    await feature.adapter.idle();
    expect(graph.calls[0]!.body).toMatchObject({
      to: from,
      type: 'template',
      template: { name: 'support_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your ticket was answered. See details.' }] }] },
    });
    // no Malay template configured: the caller is told at once, so it can e-mail instead
    await expect(
      feature.adapter.continueConversation(reference, async (c) => {
        await c.sendActivity({ type: 'message', text: 'Tiket anda telah dijawab.', locale: 'ms-MY' });
      }),
    ).rejects.toBeInstanceOf(WhatsAppWindowClosedError);
    // a Graph refusal after queuing is recorded on the row with Meta's code and reason
    clock = Date.now();
    graph.reset();
    graph.script = [{ status: 400, body: { error: { message: 'Invalid parameter', code: 100 } } }];
    const [response] = await new Promise<any[]>((resolve, reject) =>
      feature.adapter
        .continueConversationAsync('app-id', reference, async (c: TurnContext) => {
          resolve([await c.sendActivity({ type: 'message', text: 'x', locale: 'en-MY' })]);
        })
        .catch(reject),
    );
    await feature.adapter.idle();
    const row = await runtime.deps.outbound.queue.get(Number(String(response.id).slice(3)));
    expect(row).toMatchObject({ status: 'failed', error_code: '100' });
    expect(row!.last_error).toMatch(/Invalid parameter/);
  });

  test('a read receipt with the typing indicator for each message; a caption is read as text; a username-only sender is answered', async () => {
    const from = '60123000030';
    await say(from, text(from, 'hai', 'wamid.read-me'));
    expect(graph.reads.map((r) => r.body)).toContainEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.read-me', typing_indicator: { type: 'text' } });
    const captioned = await say(from, message(from, { type: 'image', image: { id: 'media-9', mime_type: 'image/jpeg', caption: 'camne nk upgrade akaun ebiz' } }));
    expect(captioned.map(bodyText).join('\n')).toContain('kaunter JUPEM');
    // a sender with a username: no `from`, only the business-scoped user id; answered through `recipient`
    const bsuid = 'MY.1502576394655843';
    const before = graph.calls.length;
    const res = await deliver(payload([{ from_user_id: bsuid, id: 'wamid.username-1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hai' } }]));
    expect(res.status).toBe(200);
    await feature.adapter.idle();
    const answered = graph.calls.slice(before).filter((c) => c.body.recipient === bsuid);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((c) => c.body.to === undefined)).toBe(true);
  });

  test('131047 on a reply: the template, the reply held, then delivered before the answer to the customer\'s next message', async () => {
    const from = '60123000031';
    await say(from, text(from, 'hi there'));
    graph.reset();
    graph.script = [{ status: 400, body: { error: { message: '(#131047) Re-engagement message', code: 131047, error_data: { details: 'More than 24 hours have passed' } } } }];
    // the greeting carries buttons: a template cannot carry them, so the reply is held ("hello": English, like
    // the conversation so far — "hai" is Malay and would ask for the Malay template)
    await say(from, text(from, 'hello'));
    const sent = graph.to(from);
    expect(sent[0].type).toBe('interactive'); // refused with 131047
    expect(sent[1]).toMatchObject({ type: 'template', template: { name: 'support_update' } });
    const counts = await runtime.deps.outbound.queue.counts('whatsapp');
    expect(counts.held).toBeGreaterThanOrEqual(1);
    // the customer writes: the held reply goes first, then the new answer
    graph.reset();
    const next = await say(from, text(from, 'hi there'));
    expect(bodyText(next[0])).toBe(bodyText(sent[0]));
    expect(next.length).toBeGreaterThan(1);
    expect((await runtime.deps.outbound.queue.counts('whatsapp')).held ?? 0).toBe(0);
  });

  test('a "failed" status webhook with 131047 sends the template; other failures are recorded on the row', async () => {
    const from = '60123000032';
    await say(from, text(from, 'hi there'));
    const rows = await runtime.database.db.selectFrom('channel_outbox').selectAll().where('status', '=', 'sent').orderBy('id', 'desc').limit(2).execute();
    const [last, earlier] = rows;
    graph.reset();
    // Meta echoes what the message was sent with in biz_opaque_callback_data
    const failed = (row: { id: number; platform_id: string | null }, code: number, title: string) => ({
      id: row.platform_id, status: 'failed', timestamp: '1', recipient_id: from, biz_opaque_callback_data: `ob:${row.id}`, errors: [{ code, title, error_data: { details: title } }],
    });
    const statuses = payload([], { statuses: [failed(last!, 131047, 'Re-engagement message'), failed(earlier!, 131026, 'Message undeliverable')] });
    expect((await deliver(statuses)).status).toBe(200);
    await feature.adapter.idle();
    expect(graph.to(from)[0]).toMatchObject({ type: 'template' });
    const after = await runtime.deps.outbound.queue.get(Number(earlier!.id));
    expect(after).toMatchObject({ status: 'failed', error_code: '131026' });
    expect(after!.last_error).toMatch(/undeliverable/);
  });

  test('the webhook answers at once while the Graph API does not answer at all', async () => {
    const stalled = http.createServer(() => undefined); // accepts and never answers
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', () => r()));
    const original = (feature.adapter.graph as any).settings.graphUrl;
    (feature.adapter.graph as any).settings.graphUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
    try {
      const from = '60123000033';
      const started = Date.now();
      const res = await deliver(payload([text(from, 'hai')]));
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      await feature.adapter.turnsDone();
      // the reply is committed, waiting for the platform
      const waiting = await runtime.database.db.selectFrom('channel_outbox').select(['status']).where('status', 'in', ['pending', 'sending']).execute();
      expect(waiting.length).toBeGreaterThan(0);
    } finally {
      (feature.adapter.graph as any).settings.graphUrl = original;
      stalled.closeAllConnections();
      stalled.close();
    }
    await feature.adapter.idle();
  });

  test('no phone number or token is written to the logs in clear', () => {
    const all = logs.join('\n');
    expect(all).not.toContain('60123000003');
    expect(all).not.toContain(TOKEN);
  });
});

/**
 * CONTRIBUTING.md, "Adding a channel", step by step: a minimal channel that speaks JSON over HTTP
 * (POST /api/json-channel { user, text } → { replies: [{ text, buttons, attachments }] }) built as the document
 * says — an adapter (a BotAdapter writing replies in sendActivities, continueConversationAsync for proactive
 * sends), a renderer (textAlone), a feature whose routes run each message with http.runTurn inside
 * http.serialise, a descriptor registered with registerChannel and nothing else — answers an FAQ question in
 * Malay and English through the real runtime and HTTP server, shows a card reply as its text, and a staff
 * message reaches it outside a turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Activity, ActivityTypes, BotAdapter, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import { registerChannel } from '../../src/channels';
import { textAlone } from '../../src/channels/render';
import type { Channel, ChannelFeature } from '../../src/channels/types';
import { loadConfig } from '../../src/config';
import type { HttpContext } from '../../src/features/types';
import { createRuntime, type Runtime } from '../../src/runtime';
import { createHttpServer, type HttpServer } from '../../src/server';
import { readBody } from '../../src/server/body';
import { memoryLogger } from '../helpers/log';

const CHANNEL = 'json-channel';

interface Rendered {
  text: string;
  buttons: string[];
  /** attachments the reply carried (this channel shows none) */
  attachments: number;
}

/** Step 1: the adapter. Replies of a turn are collected per conversation and answered in the HTTP response. */
class JsonChannelAdapter extends BotAdapter {
  /** replies not yet handed to the platform, by conversation */
  readonly pending = new Map<string, Rendered[]>();

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const id = context.activity.conversation?.id ?? '';
    const list = this.pending.get(id) ?? [];
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      list.push({ text: a.text ?? '', buttons: (a.suggestedActions?.actions ?? []).map((x) => x.title), attachments: a.attachments?.length ?? 0 });
    }
    this.pending.set(id, list);
    return activities.map((_, i) => ({ id: `${id}-${Date.now()}-${i}` }));
  }

  override async updateActivity(): Promise<void> {
    throw new Error('this channel cannot update a message');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('this channel cannot delete a message');
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true));
    await this.runMiddleware(context, logic);
  }

  /** What the proactive messenger calls (botbuilder's overloads: an app id or claims, then the logic or an audience and the logic). */
  override async continueConversationAsync(
    _botAppIdOrClaims: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: unknown,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? (logicOrAudience as (c: TurnContext) => Promise<void>) : maybeLogic;
    if (!logic) throw new TypeError('continueConversationAsync: logic is required');
    await this.continueConversation(reference, logic);
  }

  /** One inbound message as an activity of this channel, run through the bot. */
  async receive(http: HttpContext, user: string, text: string): Promise<Rendered[]> {
    const conversation = `json-${user}`;
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      channelId: CHANNEL,
      serviceUrl: 'json-channel://local',
      id: `${conversation}-${Date.now()}`,
      timestamp: new Date(),
      text,
      from: { id: user, name: user },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: conversation },
    };
    // Step 3: turns of one conversation one after another
    return http.serialise(conversation, async () => {
      await this.runMiddleware(new TurnContext(this, activity), (context) => http.runTurn(context));
      const replies = this.pending.get(conversation) ?? [];
      this.pending.delete(conversation);
      return replies;
    });
  }
}

/** Step 3: the feature, its adapter and its route. */
function createJsonChannelFeature(adapter: JsonChannelAdapter): ChannelFeature {
  return {
    name: CHANNEL,
    adapter,
    routes(http) {
      const json = readBody({ accept: ['json'], maxBodySize: 16 * 1024 });
      http.server.post(`/api/${CHANNEL}`, json, async (req: Request, res: Response) => {
        const body = req.body as { user?: unknown; text?: unknown } | undefined;
        if (typeof body?.user !== 'string' || typeof body.text !== 'string') {
          res.send(400, { error: 'user and text are required' });
          return;
        }
        res.send(200, { replies: await adapter.receive(http, body.user, body.text) });
      });
    },
  };
}

const adapter = new JsonChannelAdapter();

/** Steps 2 and 4: the descriptor, with its renderer (this channel shows no card: a reply is its text). */
const jsonChannel: Channel = {
  name: CHANNEL,
  ids: [CHANNEL],
  cards: false,
  feedback: false,
  render: (activity) => textAlone(activity),
  feature: () => createJsonChannelFeature(adapter),
  reach: 'adapter',
  viaConnector: false,
};

// Step 4: registered, as src/channels/index.ts registers the bot's own
registerChannel(jsonChannel);

describe('CONTRIBUTING.md: adding a channel', () => {
  let runtime: Runtime;
  let http: HttpServer;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrib-channel-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, path.join(__dirname, '../..'));
    const { log } = memoryLogger('warn');
    // the default features: the registry builds the channel's feature and attaches its adapter
    runtime = await createRuntime(config, log);
    http = createHttpServer(runtime, log);
    await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => http.server.close(() => resolve()));
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (user: string, text: string): Promise<Rendered[]> => {
    const res = await fetch(`${url}/api/${CHANNEL}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Rendered[] }).replies;
  };

  it('answers an FAQ question in the language it is asked in', async () => {
    const entry = runtime.knowledge.byId.get('ebiz.upgrade-account')!;
    const ms = await send('siti', 'camne nk naik taraf akaun ebiz saya');
    expect(ms.map((r) => r.text).join('\n')).toContain(entry.answer!.ms.split('\n')[0]);
    const en = await send('john', 'how do I upgrade my ebiz account');
    expect(en.map((r) => r.text).join('\n')).toContain(entry.answer!.en.split('\n')[0]);
  });

  it('shows a reply with a card as its text (the pro-rata result)', async () => {
    await send('aminah', 'Kira bil pro-rata');
    const said = await send('aminah', 'Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026');
    expect(said.map((r) => r.text).join('\n')).toContain('RM19.33 + RM53.33 = RM72.66');
    expect(said.every((r) => r.attachments === 0)).toBe(true);
  });

  it('refuses a message without a user or text', async () => {
    const res = await fetch(`${url}/api/${CHANNEL}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(res.status).toBe(400);
  });

  it('is reached outside a turn through the proactive messenger', async () => {
    await runtime.deps.proactive.send(
      { channelId: CHANNEL, serviceUrl: 'json-channel://local', conversation: { id: 'json-siti' } as ConversationReference['conversation'], user: { id: 'siti', name: 'siti' }, bot: { id: 'bot', name: 'bot' } },
      { text: 'Your ticket has a reply.', lang: 'en' },
    );
    expect(adapter.pending.get('json-siti')?.map((r) => r.text)).toEqual(['Your ticket has a reply.']);
  });
});

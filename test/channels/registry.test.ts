/**
 * "Adding a channel is adding one folder, registered in one place" (issue 17, item 5): a channel defined only
 * here — a descriptor with its renderer (plain text), its feature (a route taking messages over HTTP on
 * 127.0.0.1, answered in the HTTP response as plain text) and its adapter (its proactive reach) — is registered
 * with registerChannel, the call src/channels/index.ts makes for the bot's own channels, and nothing else is
 * touched: the real app then answers over it, reaches it outside a turn, labels its metrics and keeps
 * /api/messages closed to its id. And the bot itself names no channel: src/bot has no channel id literal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Activity, ActivityTypes, BotAdapter, Channels, type ConversationReference, type ResourceResponse, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import ts from 'typescript';
import { toActivity } from '../../src/bot/reply';
import { channelOf, namedChannelIds, registerChannel, renderForChannel } from '../../src/channels';
import { textAlone } from '../../src/channels/render';
import type { Channel, ChannelFeature } from '../../src/channels/types';
import type { FeatureDeps, HttpContext } from '../../src/features/types';
import { readBody } from '../../src/server/body';
import { activity, post, type RunningBot, startBot } from '../helpers/app';

const ID = 'plain-text';

/** The channel's adapter: a turn's replies are kept per conversation and written into the HTTP response. */
class PlainTextAdapter extends BotAdapter {
  readonly pending = new Map<string, string[]>();

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const id = context.activity.conversation?.id ?? '';
    const lines = this.pending.get(id) ?? [];
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      // the wire format: the text, then each choice on its own line
      lines.push([a.text ?? '', ...(a.suggestedActions?.actions ?? []).map((x, i) => `${i + 1}. ${x.title}`)].filter(Boolean).join('\n'));
      if (a.attachments?.length) lines.push('[attachment]');
    }
    this.pending.set(id, lines);
    return activities.map((_, i) => ({ id: `${id}-${i}` }));
  }

  override async updateActivity(): Promise<void> {
    throw new Error('plain text cannot be updated');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('plain text cannot be deleted');
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.runMiddleware(new TurnContext(this, TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true)), logic);
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

  async receive(http: HttpContext, user: string, text: string): Promise<string[]> {
    const conversation = `plain-${user}`;
    const inbound: Partial<Activity> = {
      type: ActivityTypes.Message,
      channelId: ID,
      serviceUrl: 'plain-text://local',
      id: `${conversation}-${Date.now()}`,
      timestamp: new Date(),
      text,
      from: { id: user, name: user },
      recipient: { id: 'bot', name: 'bot' },
      conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: conversation },
    };
    return http.serialise(conversation, async () => {
      await this.runMiddleware(new TurnContext(this, inbound), (context) => http.runTurn(context));
      const lines = this.pending.get(conversation) ?? [];
      this.pending.delete(conversation);
      return lines;
    });
  }
}

const adapter = new PlainTextAdapter();
let rendered = 0;

/** The folder's descriptor, as src/channels/<name>/index.ts exports one. */
const plainText: Channel = {
  name: 'plain-text',
  ids: [ID],
  cards: false,
  feedback: false,
  render(a) {
    rendered++;
    return textAlone(a, 'all');
  },
  feature(_deps: FeatureDeps): ChannelFeature {
    return {
      name: 'plain-text',
      adapter,
      routes(http) {
        http.server.post('/api/plain-text', readBody({ accept: ['json'], maxBodySize: 4096 }), async (req: Request, res: Response) => {
          const body = req.body as { user?: unknown; text?: unknown } | undefined;
          if (typeof body?.user !== 'string' || typeof body.text !== 'string') {
            res.send(400, { error: 'user and text are required' });
            return;
          }
          const lines = await adapter.receive(http, body.user, body.text);
          res.setHeader('content-type', 'text/plain; charset=utf-8');
          res.status(200);
          res.end(lines.join('\n\n'));
        });
      },
    };
  },
  reach: 'adapter',
  viaConnector: false,
};

registerChannel(plainText);

describe('a channel added as one registered descriptor', () => {
  let bot: RunningBot;

  beforeAll(async () => {
    bot = await startBot({ LOG_LEVEL: 'warn' });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
  });

  const say = async (user: string, text: string): Promise<{ status: number; type: string | null; body: string }> => {
    const res = await fetch(`${bot.url}/api/plain-text`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  it('answers a message over its own HTTP route, in plain text, in the language asked', async () => {
    const entry = bot.app.runtime.knowledge.byId.get('ebiz.upgrade-account')!;
    const before = rendered;
    const ms = await say('aminah', 'camne nk naik taraf akaun ebiz saya');
    expect(ms.status).toBe(200);
    expect(ms.type).toMatch(/^text\/plain/);
    expect(ms.body).toContain(entry.answer!.ms.split('\n')[0]);
    expect(ms.body).not.toContain('[attachment]');
    const en = await say('john', 'how do I upgrade my ebiz account');
    expect(en.body).toContain(entry.answer!.en.split('\n')[0]);
    // its replies went through its own renderer
    expect(rendered).toBeGreaterThan(before);
  });

  it('labels its turns with its own channel id in the metrics', async () => {
    await say('metrics-user', 'how do I upgrade my ebiz account');
    const turns = await bot.app.runtime.metrics.values('bot_turns_total');
    expect(turns.some((v) => v.labels.channel === ID && v.value > 0)).toBe(true);
  });

  it('reaches a customer outside a turn through its adapter, counted under its id', async () => {
    await bot.app.runtime.deps.proactive.send(
      { channelId: ID, serviceUrl: 'plain-text://local', conversation: { id: 'plain-aminah' } as ConversationReference['conversation'], user: { id: 'aminah', name: 'aminah' }, bot: { id: 'bot', name: 'bot' } },
      { text: 'Tiket anda telah dibalas.', lang: 'ms' },
    );
    expect(adapter.pending.get('plain-aminah')).toEqual(['Tiket anda telah dibalas.']);
    const outbound = await bot.app.runtime.metrics.values('bot_outbound_messages_total');
    expect(outbound.some((v) => v.labels.channel === ID && v.labels.outcome === 'sent' && v.value === 1)).toBe(true);
  });

  it('is not taken on /api/messages: only its own route carries its id', async () => {
    const refused = await post(bot.url, activity('hello', { channelId: ID }));
    expect(refused.status).toBe(403);
    // the same request as the tests' channel is answered (the refusal is the channel's, not the request's)
    const taken = await post(bot.url, activity('hello'));
    expect(taken.status).toBe(200);
  });

  it('refuses a second channel claiming an id already served', () => {
    expect(() => registerChannel({ ...plainText, name: 'plain-text-2' })).toThrow(/already served by plain-text/);
  });
});

describe('renderers: one neutral reply, shown as each channel shows it', () => {
  const reply = () => toActivity({ text: 'Layak: ya', card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Layak' }] }, choices: [{ title: 'Menu', value: 'menu' }] });

  it('names no channel: the card and its text together', () => {
    const a = reply();
    expect(a.text).toBe('Layak: ya');
    expect(a.attachments).toHaveLength(1);
    expect(a.channelId).toBeUndefined();
  });

  it.each([
    ['webchat', 'directline'],
    ['msteams', 'teams'],
    ['emulator', 'botframework'],
  ])('%s (%s) shows the card alone', (id, folder) => {
    expect(channelOf(id)?.name).toBe(folder);
    const a = renderForChannel(reply(), id);
    expect(a.text).toBeUndefined();
    expect((a.attachments![0]!.content as { fallbackText: string }).fallbackText).toBe('Layak: ya');
  });

  it.each([
    ['whatsapp', 'whatsapp'],
    ['slack', 'botframework'],
    [ID, 'plain-text'],
  ])('%s (%s) shows the text alone', (id, folder) => {
    expect(channelOf(id)?.name).toBe(folder);
    const a = renderForChannel(reply(), id);
    expect(a.text).toBe('Layak: ya');
    expect(a.attachments).toBeUndefined();
    expect(a.summary).toBeUndefined();
    expect(a.suggestedActions?.actions.map((x) => x.title)).toEqual(['Menu']);
  });

  it('renders twice as once (the Bot Framework adapter renders again what a turn rendered)', () => {
    for (const id of ['webchat', 'whatsapp', 'slack']) {
      const once = JSON.stringify(renderForChannel(reply(), id));
      expect(JSON.stringify(renderForChannel(renderForChannel(reply(), id), id))).toBe(once);
    }
  });
});

describe('the bot names no channel', () => {
  /** String literals (plain and template without substitutions) of every .ts file under dir. */
  function literals(dir: string): Array<{ file: string; line: number; text: string }> {
    const out: Array<{ file: string; line: number; text: string }> = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
          out.push({ file: path.relative(path.join(__dirname, '../..'), file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    return out;
  }

  const srcBot = path.join(__dirname, '../../src/bot');

  it('src/bot has no channel id literal (the registry\'s, or any Bot Framework channel\'s)', () => {
    const ids = new Set([...namedChannelIds(), ...Object.values(Channels)]);
    expect(ids).toContain('msteams');
    expect(ids).toContain(ID);
    const found = literals(srcBot).filter((l) => ids.has(l.text));
    expect(found).toEqual([]);
  });

  it('the scan sees the literals it looks for (a channel id written in src/bot would be found)', () => {
    // the reply module's own literals are read: the scan is not blind
    expect(literals(srcBot).some((l) => l.file.endsWith(path.join('bot', 'reply.ts')) && l.text === 'botbuilder')).toBe(true);
  });
});

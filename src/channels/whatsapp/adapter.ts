/**
 * WhatsAppAdapter: the WhatsApp Cloud API as a Bot Framework BotAdapter. Inbound webhook messages become
 * activities (channelId "whatsapp", the sender's number as user and conversation id) run through the bot by
 * the HTTP layer's runTurn, one sender's turns one after another; the bot's replies are rendered as WhatsApp
 * messages (buttons, lists, numbered text) and posted to the Graph API. Proactive sends (continueConversation)
 * outside the 24-hour customer-service window go out as the configured template message, or fail with
 * WhatsAppWindowClosedError so the caller can fall back to e-mail.
 */
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { maskPhone, parsePhone } from '../../domain';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import type { Logger } from '../../logging';
import { setVerifiedPhone, turnLangIfSet } from '../../bot/context';
import { GraphClient, GraphError, type GraphSettings } from './graph';
import { type RenderWords, renderActivity, resolveChoiceId, resolveNumberedReply, templateParameter } from './render';
import { type OfferedChoices, WhatsAppStore } from './store';
import { type InboundMessage, type ParsedWebhook, parseWebhook, verifySignature } from './webhook';

export const WHATSAPP_CHANNEL = 'whatsapp';
/** The customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WhatsAppSettings {
  appSecret?: string;
  phoneNumberId?: string;
  accessToken?: string;
  graphUrl: string;
  apiVersion: string;
  /** Template names per language ("name" or "name:language_code"); the template has one body variable {{1}}. */
  templates: Partial<Record<Lang, string>>;
}

export interface WhatsAppAdapterOptions {
  settings: WhatsAppSettings;
  db: Kysely<DB>;
  catalog: MessageCatalog;
  log: Logger;
  /** Retry/backoff tuning of the Graph client (tests use short delays). */
  graph?: Pick<GraphSettings, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'metrics'>;
  now?: () => number;
}

/** What the HTTP layer lends the adapter: the bot's turn and the per-sender queue. */
export interface TurnRunner {
  runTurn(context: TurnContext): Promise<void>;
  serialise<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** A proactive message could not go out: the window is closed and no template is configured for the language. */
export class WhatsAppWindowClosedError extends Error {
  constructor(readonly lang: Lang) {
    super(`WhatsApp 24-hour window closed and no template configured for "${lang}" (WHATSAPP_TEMPLATE_${lang.toUpperCase()})`);
    this.name = 'WhatsAppWindowClosedError';
  }
}

export type ReceiveResult = { status: 200 } | { status: 400 | 401; reason: string };

const PROACTIVE = Symbol('whatsappProactive');
const OFFERED = Symbol('whatsappOffered');
const WINDOW = Symbol('whatsappWindow');

export class WhatsAppAdapter extends BotAdapter {
  readonly store: WhatsAppStore;
  readonly graph: GraphClient;
  private runner?: TurnRunner;
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: WhatsAppAdapterOptions) {
    super();
    const { settings } = options;
    this.now = options.now ?? Date.now;
    this.store = new WhatsAppStore(options.db, this.now);
    this.graph = new GraphClient(
      {
        graphUrl: settings.graphUrl,
        apiVersion: settings.apiVersion,
        phoneNumberId: settings.phoneNumberId ?? '',
        accessToken: settings.accessToken ?? '',
        ...(options.graph ?? {}),
      },
      options.log,
    );
  }

  /** Connects the adapter to the bot (done by the feature's routes). */
  attach(runner: TurnRunner): void {
    this.runner = runner;
  }

  /**
   * A webhook POST: checks the signature over the raw body, reads the payload and schedules its messages.
   * Returns at once (Meta wants its 200 quickly); `idle()` resolves when the scheduled work is done.
   */
  receive(raw: Buffer, signature: string | undefined): ReceiveResult {
    const log = this.options.log;
    const secret = this.options.settings.appSecret;
    if (!secret) {
      log.error('WhatsApp webhook refused: WHATSAPP_APP_SECRET is not configured, so no signature can be checked');
      return { status: 401, reason: 'signature cannot be checked' };
    }
    if (!verifySignature(raw, signature, secret)) {
      log.warn({ hasSignature: !!signature }, 'WhatsApp webhook refused: missing or wrong X-Hub-Signature-256');
      return { status: 401, reason: 'invalid signature' };
    }
    let parsed: ParsedWebhook;
    try {
      parsed = parseWebhook(JSON.parse(raw.toString('utf8')), this.now());
    } catch (err) {
      log.info({ problem: (err as Error).message.slice(0, 200) }, 'WhatsApp webhook refused: not a WhatsApp Business Account payload');
      return { status: 400, reason: 'malformed payload' };
    }
    if (parsed.malformed > 0) log.warn({ malformed: parsed.malformed }, 'WhatsApp webhook: skipped malformed entries');
    if (parsed.statuses > 0) log.debug({ statuses: parsed.statuses }, 'WhatsApp status callbacks ignored');
    for (const message of parsed.messages) this.track(this.take(message));
    return { status: 200 };
  }

  /** Resolves when every message received so far has been processed. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(task: Promise<void>): void {
    const p = task.catch((err: unknown) => this.options.log.error({ err }, 'WhatsApp message processing failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async take(message: InboundMessage): Promise<void> {
    const log = this.options.log;
    const own = this.options.settings.phoneNumberId;
    if (own && message.phoneNumberId && message.phoneNumberId !== own) {
      log.info('WhatsApp message for another business number ignored');
      return;
    }
    const runner = this.runner;
    if (!runner) throw new Error('WhatsApp adapter is not attached to the bot');
    // queued at once, so one sender's messages keep their order; the id is claimed inside the queue
    await runner.serialise(`${WHATSAPP_CHANNEL}|${message.from}`, async () => {
      if (!(await this.store.claimMessage(message.id))) {
        log.info('WhatsApp message delivered again; already taken in');
        return;
      }
      if (message.kind === 'ignored') return;
      await this.store.recordInbound(message.from, message.at);
      const activity = await this.toActivity(message);
      const context = new TurnContext(this, activity);
      setVerifiedPhone(context, e164(message.from));
      context.turnState.set(WINDOW, this.now() - message.at < SERVICE_WINDOW_MS);
      await this.runMiddleware(context, (c) => runner.runTurn(c));
      const offered = context.turnState.get(OFFERED) as OfferedChoices | undefined;
      await this.store.setOfferedChoices(message.from, offered);
    });
  }

  private async toActivity(message: InboundMessage): Promise<Partial<Activity>> {
    const base: Partial<Activity> = {
      id: message.id,
      channelId: WHATSAPP_CHANNEL,
      serviceUrl: this.graph.messagesUrl,
      timestamp: new Date(message.at),
      from: { id: message.from, name: message.name ?? '', role: 'user' },
      recipient: { id: message.phoneNumberId ?? this.options.settings.phoneNumberId ?? 'whatsapp-bot', name: 'bot', role: 'bot' },
      conversation: { id: message.from, isGroup: false, conversationType: 'personal', name: '' },
      channelData: { whatsapp: { type: message.type } },
    };
    if (message.kind === 'welcome') {
      return { ...base, type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: message.from, name: message.name ?? '' }] };
    }
    let text = '';
    if (message.kind === 'text') {
      text = message.text ?? '';
      const numbered = resolveNumberedReply(text, await this.store.offeredChoices(message.from));
      if (numbered !== undefined) text = numbered;
    } else if (message.kind === 'choice') {
      const offered = await this.store.offeredChoices(message.from);
      text = resolveChoiceId(message.choiceId ?? '', offered) ?? message.title ?? '';
    } else if (message.kind === 'templateButton') {
      text = message.text ?? '';
    }
    // unreadable messages (pictures, stickers, places, voice) arrive with no text: the bot says it reads text only
    return { ...base, type: ActivityTypes.Message, text, textFormat: 'plain' };
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    const proactive = context.turnState.get(PROACTIVE) === true;
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((r) => setTimeout(r, Math.min(Number(activity.value) || 0, 5000)));
        responses.push({ id: '' });
        continue;
      }
      if (activity.type !== ActivityTypes.Message) {
        responses.push({ id: '' });
        continue;
      }
      const to = activity.conversation?.id ?? activity.recipient?.id ?? context.activity.from?.id;
      if (!to || !/^\d{6,20}$/.test(to)) {
        this.options.log.warn('WhatsApp reply without a recipient number dropped');
        responses.push({ id: '' });
        continue;
      }
      try {
        responses.push({ id: (await this.deliver(context, activity, to)) ?? '' });
      } catch (err) {
        if (proactive) throw err;
        // within a turn a failed send is logged and dropped: the conversation's state must survive it
        this.options.log.error({ err, to: maskPhone(`+${to}`) }, 'WhatsApp reply not delivered');
        responses.push({ id: '' });
      }
    }
    return responses;
  }

  private async deliver(context: TurnContext, activity: Partial<Activity>, to: string): Promise<string | undefined> {
    const lang = langOf(context, activity);
    if (!(await this.windowOpen(context, to))) return this.sendTemplate(activity, to, lang);
    const rendered = renderActivity(activity, this.words(lang));
    if (rendered.offered) context.turnState.set(OFFERED, rendered.offered);
    let last: string | undefined;
    for (const message of rendered.messages) last = (await this.graph.send({ ...message, to })).messageId;
    return last;
  }

  private async windowOpen(context: TurnContext, to: string): Promise<boolean> {
    const known = context.turnState.get(WINDOW) as boolean | undefined;
    if (known !== undefined) return known;
    const last = await this.store.lastInbound(to);
    const open = last !== undefined && this.now() - last < SERVICE_WINDOW_MS;
    context.turnState.set(WINDOW, open);
    return open;
  }

  private async sendTemplate(activity: Partial<Activity>, to: string, lang: Lang): Promise<string | undefined> {
    const configured = this.options.settings.templates[lang];
    if (!configured) throw new WhatsAppWindowClosedError(lang);
    const [name, code] = configured.split(':');
    const rendered = renderActivity({ ...activity, suggestedActions: undefined }, this.words(lang));
    const text = rendered.messages
      .map((m) => ((m as { text?: { body?: string } }).text?.body ?? ''))
      .filter(Boolean)
      .join(' ');
    const result = await this.graph.send({
      to,
      type: 'template',
      template: {
        name,
        language: { code: code || lang },
        components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text || '-') }] }],
      },
    });
    return result.messageId;
  }

  private words(lang: Lang): RenderWords {
    const t = (key: string) => this.options.catalog.t(lang, key);
    return {
      listButton: t('channels.whatsapp.list-button'),
      chooseOne: t('channels.whatsapp.choose-one'),
      numberedHint: t('channels.whatsapp.numbered-hint'),
    };
  }

  override async updateActivity(): Promise<void> {
    throw new Error('WhatsApp messages cannot be edited');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('WhatsApp messages cannot be deleted');
  }

  /** Reaches a customer outside a turn (a staff reply). Errors (window closed, Graph failure) reach the caller. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation', channelId: WHATSAPP_CHANNEL },
      reference,
      true,
    );
    const context = new TurnContext(this, activity);
    context.turnState.set(PROACTIVE, true);
    await this.runMiddleware(context, logic);
  }

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
}

function e164(waId: string): string {
  const parsed = parsePhone(`+${waId}`);
  return parsed.ok ? parsed.value : `+${waId}`;
}

function langOf(context: TurnContext, activity: Partial<Activity>): Lang {
  const locale = activity.locale?.toLowerCase();
  if (locale?.startsWith('en')) return 'en';
  if (locale?.startsWith('ms')) return 'ms';
  return turnLangIfSet(context) ?? 'ms';
}

export { GraphError };

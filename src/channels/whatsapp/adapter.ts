/**
 * WhatsAppAdapter: the WhatsApp Cloud API as a Bot Framework BotAdapter. Inbound webhook messages become
 * activities (channelId "whatsapp", the sender's number — or business-scoped user id — as user and
 * conversation id) run through the bot by the HTTP layer's runTurn, one sender's turns one after another; each
 * is acknowledged with a read receipt and the typing indicator. The bot's replies are rendered as WhatsApp
 * messages (buttons, lists, numbered text) and committed to the channel outbox, one row per Graph message;
 * the outbound worker delivers them (./sender.ts: retries by Meta's error code, the 24-hour window and its
 * template, held replies). The customer's next message releases replies held for them. Proactive sends
 * (continueConversation) are queued the same way; outside the window with no template for the customer's
 * language they fail at once with WhatsAppWindowClosedError so the caller can fall back to e-mail.
 * Status webhooks confirm rows (a row whose instance died mid-send is not sent twice) and report late
 * failures (131047 → the template; anything else recorded on the row).
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
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { maskPhone, parsePhone } from '../../domain';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import type { Logger } from '../../logging';
import { setVerifiedPhone, turnLangIfSet } from '../../bot/context';
import { OUTBOX_ORIGIN, type OutboundItem, type OutboundQueue, type OutboundRow } from '../../services/outbound/queue';
import { GraphClient, type GraphSettings, maskAddress } from './graph';
import { type RenderWords, type WaMessage, renderActivity, resolveChoiceId, resolveNumberedReply } from './render';
import { SERVICE_WINDOW_MS, type WaPayload, WHATSAPP_OUTBOX_CHANNEL, windowOpen } from './sender';
import { type OfferedChoices, WhatsAppStore } from './store';
import { type InboundMessage, type ParsedWebhook, type StatusUpdate, WA_ADDRESS, parseWebhook, verifySignature } from './webhook';

export const WHATSAPP_CHANNEL = 'whatsapp';
export { SERVICE_WINDOW_MS };

export interface WhatsAppSettings {
  appSecret?: string;
  phoneNumberId?: string;
  accessToken?: string;
  graphUrl: string;
  apiVersion: string;
  /** Template names per language ("name" or "name:language_code"); the template has one body variable {{1}}. */
  templates: Partial<Record<Lang, string>>;
}

/** The adapter's settings from the configuration (the bot's feature and the staff CLI build the adapter alike). */
export function whatsappSettings(config: Pick<Config, 'WHATSAPP_APP_SECRET' | 'WHATSAPP_PHONE_NUMBER_ID' | 'WHATSAPP_ACCESS_TOKEN' | 'WHATSAPP_GRAPH_URL' | 'WHATSAPP_API_VERSION' | 'WHATSAPP_TEMPLATE_MS' | 'WHATSAPP_TEMPLATE_EN'>): WhatsAppSettings {
  return {
    appSecret: config.WHATSAPP_APP_SECRET,
    phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
    accessToken: config.WHATSAPP_ACCESS_TOKEN,
    graphUrl: config.WHATSAPP_GRAPH_URL,
    apiVersion: config.WHATSAPP_API_VERSION,
    templates: { ms: config.WHATSAPP_TEMPLATE_MS, en: config.WHATSAPP_TEMPLATE_EN },
  };
}

export interface WhatsAppAdapterOptions {
  settings: WhatsAppSettings;
  db: Kysely<DB>;
  catalog: MessageCatalog;
  log: Logger;
  /** Retry/backoff tuning of the Graph client (tests use short delays). */
  graph?: Pick<GraphSettings, 'timeoutMs'>;
  /** The channel outbox every reply is committed to. */
  outbox: OutboundQueue;
  /** Resolves when the outbox has nothing pending for WhatsApp (idle() waits for it). */
  settled?: () => Promise<unknown>;
  /** A row the platform failed after accepting it (a "failed" status webhook): told to the outcome listeners. */
  failedLater?: (row: OutboundRow, code: string, reason: string) => Promise<void>;
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
const SEQUENCE = Symbol('whatsappSequence');

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
    if (parsed.statusUpdates.length > 0) this.track(this.onStatuses(parsed.statusUpdates));
    for (const message of parsed.messages) this.track(this.take(message));
    return { status: 200 };
  }

  /** Resolves when every message received so far has been processed (its replies committed). */
  async turnsDone(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Resolves when every message received so far has been processed and its replies delivered (or held). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.options.settled?.();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Status callbacks (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/):
   * "sent"/"delivered"/"read" confirm the outbox row named in biz_opaque_callback_data; "failed" with 131047
   * sends the row again through the template, any other failure is recorded on the row with Meta's reason.
   */
  private async onStatuses(updates: StatusUpdate[]): Promise<void> {
    const log = this.options.log;
    const outbox = this.options.outbox;
    for (const update of updates) {
      const m = /^ob:(\d{1,15})(:template)?$/.exec(update.callback ?? '');
      const row = m ? await outbox.get(Number(m[1])) : await outbox.byPlatformId(WHATSAPP_OUTBOX_CHANNEL, update.id);
      if (!row || row.channel !== WHATSAPP_OUTBOX_CHANNEL) continue;
      const viaTemplate = m ? m[2] !== undefined : row.stage === 'template';
      if (update.status === 'failed') {
        const code = update.errorCode !== undefined ? String(update.errorCode) : 'failed';
        const reason = `WhatsApp status "failed"${update.errorCode !== undefined ? ` (code ${update.errorCode})` : ''}: ${update.reason ?? 'no reason given'}`;
        if (update.errorCode === 131047 && !viaTemplate) {
          await outbox.restage(row.id, 'template', code, reason);
          log.info({ id: row.id, code }, 'WhatsApp message failed after sending: the window closed; the template goes instead');
        } else {
          await outbox.markFailedLater(row.id, code, reason);
          log.warn({ id: row.id, code, problem: update.reason }, 'WhatsApp message failed after sending');
          await this.options.failedLater?.(row, code, reason);
        }
      } else if (update.status === 'sent' || update.status === 'delivered' || update.status === 'read') {
        if (await outbox.confirmSent(row.id, update.id)) log.info({ id: row.id }, 'WhatsApp status confirmed a message its sender did not record');
      }
    }
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
      // seen, and the bot is typing: best effort, alongside the turn
      if (message.kind !== 'welcome') this.track(this.graph.markRead(message.id).then(() => undefined));
      await this.store.recordInbound(message.from, message.at);
      // the customer wrote: replies held by the closed window go first (their rows come before this turn's)
      const released = await this.options.outbox.release(WHATSAPP_OUTBOX_CHANNEL, message.from);
      if (released > 0) log.info({ released }, 'WhatsApp replies held by the 24-hour window released');
      const activity = await this.toActivity(message);
      const context = new TurnContext(this, activity);
      // a business-scoped user id is no phone number: nothing to vouch for
      if (/^\d+$/.test(message.from)) setVerifiedPhone(context, e164(message.from));
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

  /**
   * Renders the activities and commits their Graph messages to the outbox, in order, in one transaction; the
   * worker sends them. Within a turn the ids returned are the rows' ("ob:<id>"); the platform's ids come later.
   */
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    const proactive = context.turnState.get(PROACTIVE) === true;
    const items: OutboundItem[] = [];
    const slots: number[] = [];
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) {
        // typing and delay activities: WhatsApp's typing indicator went with the read receipt
        responses.push({ id: '' });
        continue;
      }
      const to = activity.conversation?.id ?? activity.recipient?.id ?? context.activity.from?.id;
      if (!to || !WA_ADDRESS.test(to)) {
        this.options.log.warn('WhatsApp reply without a recipient address dropped');
        responses.push({ id: '' });
        continue;
      }
      const lang = langOf(context, activity);
      if (proactive && !(await this.windowOpen(context, to)) && !this.options.settings.templates[lang]) {
        // nothing could reach the customer before they write again: the caller falls back to e-mail
        throw new WhatsAppWindowClosedError(lang);
      }
      const rendered = renderActivity(activity, this.words(lang));
      if (rendered.offered) context.turnState.set(OFFERED, rendered.offered);
      const turnId = proactive ? undefined : context.activity.id;
      const origin = context.turnState.get(OUTBOX_ORIGIN) as string | undefined;
      responses.push({ id: '' });
      for (const message of rendered.messages) {
        const seq = ((context.turnState.get(SEQUENCE) as number | undefined) ?? 0) + 1;
        context.turnState.set(SEQUENCE, seq);
        const payload: WaPayload = { to, message, text: plainText(message) };
        items.push({
          channel: WHATSAPP_OUTBOX_CHANNEL,
          recipient: to,
          payload,
          lang,
          // a turn's replies are committed once even if its release runs again
          ...(turnId ? { dedupeKey: `wa:${turnId}:${seq}` } : {}),
          ...(origin ? { origin, dedupeKey: `${origin}:${seq}` } : {}),
        });
        slots.push(responses.length - 1);
      }
    }
    if (items.length > 0) {
      const ids = await this.options.outbox.enqueue(items);
      // the response of an activity is its last row
      ids.forEach((id, i) => (responses[slots[i]!] = { id: `ob:${id}` }));
      this.options.log.debug({ rows: ids.length, to: maskAddress(items[0]!.recipient) }, 'WhatsApp replies queued');
    }
    return responses;
  }

  private async windowOpen(context: TurnContext, to: string): Promise<boolean> {
    const known = context.turnState.get(WINDOW) as boolean | undefined;
    if (known !== undefined) return known;
    const open = windowOpen((await this.store.windowOf(to)).lastInbound, this.now());
    context.turnState.set(WINDOW, open);
    return open;
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

  /**
   * Reaches a customer outside a turn (a staff reply): the message is committed to the outbox and delivered by
   * the worker. A closed window with no template for the language throws WhatsAppWindowClosedError at once.
   */
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

/** A Graph message's words as plain text: what a template parameter can carry in its place. */
function plainText(message: WaMessage): string {
  const m = message as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
  return m.text?.body ?? m.interactive?.body?.text ?? '';
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


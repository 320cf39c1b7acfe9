/**
 * Live handoff to a person as a feature (the rules are in src/services/handoff.ts). It takes part in every
 * message turn through Feature.interceptMessage:
 * - a customer in the queue or with a staff member: "batal"/"cancel" leaves; any other message is stored for
 *   the staff side and the bot stays silent (a second request for a person in the queue is told its place; a
 *   question the bot answers outright, asked while still in the queue, is answered with the place);
 * - a ticket offer pending (outside office hours, or nobody picked up in time): "yes"/the ticket button starts
 *   the ticket procedure with the conversation attached; "no" declines;
 * - a request for a person (src/language/handoff.ts, or the offer's button) joins the queue with the position
 *   and the expected wait, in the customer's language (outside office hours: the ticket offer);
 * - a question of how to reach customer service ("macam mana nak hubungi khidmat pelanggan?") is answered with the
 *   two ways (a person, with the office hours; a ticket) as buttons;
 * - otherwise the bot answers; the feature keeps the last lines of the conversation (masked) as "what the bot
 *   tried", and after the bot's second failure in a row adds an offer to talk to a person.
 * Its background job turns queued sessions nobody picked up in HANDOFF_PICKUP_TIMEOUT_SECONDS into ticket
 * offers (on every instance; each session is claimed by one of them).
 */
import { type Activity, TurnContext } from 'botbuilder';
import type { MessageInterception } from '../bot/supportBot';
import { recordOutcome, textLang, turnLang, turnOutcomes, turnText, verifiedPhone } from '../bot/context';
import { toActivity } from '../bot/reply';
import { type OfficeHours, formatHours, parseOfficeHours } from '../domain/officeHours';
import { givesContact } from '../domain/phone';
import type { Lang } from '../knowledge/types';
import { cancelClauseIn, detectCommand, withoutCancelClauses } from '../language/commands';
import { analyseText } from '../language/normalize';
import { isHumanRequest } from '../language/handoff';
import { noteOutcome } from '../bot/outcome';
import { type HandoffSession, HandoffService } from '../services/handoff';
import { conversationKey } from '../services/tickets';
import type { Feature, FeatureDeps } from './types';

/** The longest account of the problem a ticket offered in the queue takes from what the customer wrote. */
const QUEUE_TICKET_CHARS = 900;

export interface HandoffFeature extends Feature {
  service: HandoffService;
}

/** "Isnin–Jumaat" / "Monday–Friday" (consecutive days as ranges). */
export function formatDays(hours: OfficeHours, t: (key: string) => string): string {
  const days = [...hours.days].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    parts.push(j > i ? `${t(`handoff.day.${days[i]}`)}–${t(`handoff.day.${days[j]}`)}` : t(`handoff.day.${days[i]}`));
    i = j + 1;
  }
  return parts.join(', ');
}

export function officeHoursFrom(config: FeatureDeps['config']): OfficeHours {
  return parseOfficeHours(config.HANDOFF_DAYS, config.HANDOFF_OPEN, config.HANDOFF_CLOSE, config.HANDOFF_HOLIDAYS);
}

export function createHandoffFeature(deps: FeatureDeps, options: { now?: () => Date; everyMs?: number } = {}): HandoffFeature {
  const log = deps.log.child({ feature: 'handoff' });
  const { catalog } = deps;
  const hours = officeHoursFrom(deps.config);
  const service = new HandoffService({
    db: deps.db,
    catalog,
    log,
    proactive: deps.proactive,
    hours,
    pickupTimeoutMs: deps.config.HANDOFF_PICKUP_TIMEOUT_SECONDS * 1000,
    minutesPerCustomer: deps.config.HANDOFF_MINUTES_PER_CUSTOMER,
    now: options.now,
  });
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const isButton = (text: string, key: string) => same(text, catalog.t('ms', key)) || same(text, catalog.t('en', key));
  // (a decline that suggests the nearest topic is still one: two in a row offer a person)
  const fallbacks = new Set(['fallback.text', 'fallback.suggest'].flatMap((key) => [catalog.t('ms', key), catalog.t('en', key)]));
  const menuChoice = (lang: Lang) => ({ title: catalog.t(lang, 'button.menu'), value: 'menu' });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;

  const send = async (context: TurnContext, lang: Lang, key: string, vars: Record<string, string | number> = {}, choices?: Array<{ title: string; value: string }>) => {
    await context.sendActivity(toActivity({ text: catalog.t(lang, key, vars), lang, choices }));
  };

  /** After a turn's replies: record them, and after the second failure in a row offer a person. */
  const watchReplies = (context: TurnContext, key: string, lang: Lang) => {
    context.onSendActivities(async (ctx, activities, next) => {
      let failed = false;
      try {
        for (const a of activities) {
          if (a.type !== 'message' || !a.text) continue;
          const fallback = fallbacks.has(a.text);
          failed ||= fallback;
          await service.recordRecent(key, 'bot', a.text, fallback ? 'fallback' : 'answer');
        }
        if (failed && (await service.consecutiveFailures(key)) >= 2) {
          const offer = toActivity({ text: catalog.t(lang, 'handoff.offer'), lang, choices: [{ title: catalog.t(lang, 'handoff.button.human'), value: catalog.t(lang, 'handoff.button.human') }] });
          activities.push(offer as Activity);
        }
      } catch (err) {
        log.warn({ err }, 'could not record the bot\'s replies for a possible handoff');
      }
      return next();
    });
  };

  /**
   * Whether a message asks for a ticket in its first clause ("ok buat tiket la. pasal tukar pelan …", "just open a
   * ticket instead"): the entry that opens a ticket recognised, on the words for a ticket or a complaint.
   */
  const asksForTicket = (text: string): boolean => {
    // (after an "ok la." or "hmm tq." of its own: "ok la. tolong buat tiket: wakil syarikat kami dah berhenti …")
    for (const sentence of text.slice(0, 500).split(/[.!?;:\n]+/, 3)) {
      if (sentence.trim() === '') continue;
      const r = deps.recognizer.match(sentence);
      if (r.decision === 'answer' && r.candidates[0]?.entry.procedure?.dialog === 'ticket' && r.features.includes('#ticket')) return true;
      if (sentence.trim().split(/\s+/).length > 2 && detectCommand(sentence, deps.recognizer.lexicon) === null) return false;
    }
    return false;
  };

  /**
   * Whether a message asks how to reach customer service ("macam mana nak hubungi khidmat pelanggan?", "where can I
   * contact customer service?"): the entry that opens a ticket recognised on the words for contacting, in a question of
   * how or where, and no ticket or complaint named ("how do I make a complaint?" asks for one: the ticket starts).
   */
  const howToReach = (context: TurnContext, text: string): string | undefined => {
    // (the turn's text in the language it is written in: the bot reads it the same way, and reuses this recognition)
    const r = deps.recognizer.match(turnText(context) ?? text, textLang(context));
    const entry = r.decision === 'answer' ? r.candidates[0]?.entry : undefined;
    if (entry?.kind !== 'procedure' || entry.procedure?.dialog !== 'ticket') return undefined;
    const asksHow = r.features.includes('#contact') && (r.features.includes('#how') || r.features.includes('#where')) && !r.features.includes('#ticket');
    return asksHow ? entry.id : undefined;
  };

  /**
   * What a customer waiting in the queue told, for a ticket: their messages since they joined it (three words or
   * more), else the ones before (what they asked the bot), masked; the latest that fit a ticket's description.
   */
  const toldInQueue = (account: { before: string[]; since: string[] }): string | undefined => {
    const told = (lines: string[]) => lines.filter((l) => l.split(/\s+/).length >= 3);
    const lines = told(account.since).length > 0 ? told(account.since) : told(account.before);
    const kept: string[] = [];
    let size = 0;
    for (let i = lines.length - 1; i >= 0 && kept.length < 3; i--) {
      if (size + lines[i]!.length + 1 > QUEUE_TICKET_CHARS) break;
      kept.unshift(lines[i]!);
      size += lines[i]!.length + 1;
    }
    return kept.length > 0 ? kept.join(' ') : undefined;
  };

  /** Once this turn has submitted the ticket offered in the queue: out of the queue, and the customer told so. */
  const leaveQueueOnTicket = (context: TurnContext, session: HandoffSession, lang: Lang) => {
    let left = false;
    context.onSendActivities(async (ctx, activities, next) => {
      const ticket = left ? undefined : turnOutcomes(ctx).find((o) => o.procedure === 'ticket');
      if (ticket && ticket.procedure === 'ticket') {
        left = true;
        try {
          if (await service.leftForTicket(session, ticket.reference)) activities.push(toActivity({ text: catalog.t(lang, 'handoff.left-for-ticket'), lang }) as Activity);
        } catch (err) {
          log.warn({ err, session: session.id }, 'could not take the customer out of the queue after their ticket');
        }
      }
      return next();
    });
  };

  const interceptMessage = async (context: TurnContext): Promise<MessageInterception | undefined> => {
    const { activity } = context;
    const conversationId = activity.conversation?.id;
    if (!conversationId) return undefined;
    const key = conversationKey(activity.channelId, conversationId);
    const text = (activity.text ?? '').trim();
    const lang = turnLang(context);

    const { open, offer } = await service.current(key);
    if (open) {
      // a ticket offered while waiting (below) and not declined: the customer's messages are its answers ("setuju",
      // "Edit"), copied for the staff side; submitted, it takes them out of the queue; "no" or "batal" to it keeps them
      // waiting (a second "batal" leaves the queue)
      const ticketPending = await service.queueTicketPending(open.id);
      if (ticketPending && open.status === 'queued') {
        const command = detectCommand(text, deps.recognizer.lexicon);
        await service.customerMessage(open, text === '' ? '[attachment]' : text, lang);
        if (command === 'cancel' || command === 'no' || isButton(text, 'handoff.button.no-ticket')) {
          await service.noteQueueTicket(open, 'declined');
          const place = await service.place(open);
          await send(context, lang, 'handoff.queue-ticket-declined', { position: place.position, minutes: place.waitMinutes });
          return { endProcedures: true };
        }
        leaveQueueOnTicket(context, open, lang);
        return undefined;
      }
      if (detectCommand(text) === 'cancel') {
        await service.cancel(open);
        await send(context, lang, open.status === 'held' ? 'handoff.cancelled-held' : 'handoff.cancelled', {}, [menuChoice(lang)]);
        return { endProcedures: true };
      }
      // "nvm, cancel that. just tell me where I can switch my postpaid to prepaid" while still waiting: out of the queue,
      // and the rest is read as a message of its own (said to a person who holds the conversation, it is relayed)
      const input = turnText(context) ?? analyseText(text, deps.recognizer.lexicon);
      const rest = open.status === 'queued' && cancelClauseIn(input) ? withoutCancelClauses(input) : '';
      if (rest !== '') {
        await service.cancel(open);
        await send(context, lang, 'handoff.cancelled');
        return { endProcedures: true, rest };
      }
      if (open.status === 'queued' && (isHumanRequest(text, deps.recognizer.lexicon) || isButton(text, 'handoff.button.human'))) {
        const place = await service.place(open);
        await send(context, lang, 'handoff.still-queued', { position: place.position, minutes: place.waitMinutes });
        return {};
      }
      if (open.status === 'queued' && asksForTicket(text)) {
        // "ok buat tiket la. pasal tukar pelan …" while still waiting: out of the queue, into a ticket with what was said
        const summary = await service.transcript(open.id);
        await service.cancel(open);
        return { procedure: { id: 'ticket', options: { handover: { from: 'handoff', summary }, text } } };
      }
      if (open.status === 'queued' && givesContact(text, !!verifiedPhone(context))) {
        // a way to reach them left while waiting ("pasal bil la …", then "call me at 013-…, after 5pm is best"): the
        // message goes to the staff side, and a ticket about what they told is offered, so they need not wait; they
        // stay in the queue until they submit it
        const account = await service.customerAccount(open.id);
        await service.customerMessage(open, text, lang);
        await service.noteQueueTicket(open, 'offered');
        await send(context, lang, 'handoff.queue-ticket');
        leaveQueueOnTicket(context, open, lang);
        const summary = toldInQueue(account);
        return { procedure: { id: 'ticket', options: { handover: { from: 'handoff', ...(summary ? { summary } : {}) }, text } } };
      }
      // relayed to the staff side; the bot stays silent, but while nobody has taken the conversation yet, a question
      // it answers outright is answered ("jap, sblm tu. dokumen apa kena bawa kalau nak daftar kat kaunter?")
      await service.customerMessage(open, text === '' ? '[attachment]' : text, lang);
      // (a ticket offered while waiting and left pending when a person took over: the person handles it now)
      if (open.status !== 'queued') return ticketPending ? { endProcedures: true } : {};
      if (text === '') return {};
      const place = await service.place(open);
      return { answerIfAsked: { note: { text: catalog.t(lang, 'handoff.still-queued-answered', { position: place.position }), lang } } };
    }

    if (offer) {
      const command = detectCommand(text);
      if (await service.queueTicketPending(offer.id)) {
        // nobody picked up while the ticket offered in the queue was being checked: the customer's message is that
        // ticket's ("setuju"), not an answer to the later offer
        await service.closeOffer(offer, 'ticket');
        return undefined;
      }
      if (isButton(text, 'handoff.button.ticket') || command === 'yes') {
        const summary = await service.transcript(offer.id);
        await service.closeOffer(offer, 'ticket');
        return { procedure: { id: 'ticket', options: { handover: { from: 'handoff', summary } } } };
      }
      if (isButton(text, 'handoff.button.no-ticket') || command === 'no' || command === 'cancel') {
        await service.closeOffer(offer, 'declined');
        await send(context, lang, 'handoff.offer-declined', {}, [menuChoice(lang)]);
        return {};
      }
      // anything else: the offer lapses and the message goes on as usual
      await service.closeOffer(offer, 'declined');
    }

    // "yes" typed to the offer of a person that follows the bot's second failure in a row (the offer is sent exactly then)
    const yesToOffer = text !== '' && detectCommand(text, deps.recognizer.lexicon) === 'yes' && (await service.consecutiveFailures(key)) >= 2;
    if (text !== '' && (isHumanRequest(text, deps.recognizer.lexicon) || isButton(text, 'handoff.button.human') || yesToOffer)) {
      const { session } = await service.request({
        conversationKey: key,
        channel: activity.channelId,
        lang,
        reference: TurnContext.getConversationReference(activity),
        customerName: activity.from?.name,
        // the offer's button after the bot failed twice: the bot could not answer; anything else: they asked
        reason: yesToOffer || (isButton(text, 'handoff.button.human') && (await service.consecutiveFailures(key)) >= 2) ? 'failures' : 'asked',
      });
      if (session.status === 'offered') {
        recordOutcome(context, { procedure: 'handoff', status: 'offered' });
        const t = (k: string) => catalog.t(lang, k);
        await send(context, lang, 'handoff.closed', { days: formatDays(hours, t), hours: formatHours(hours) }, [
          { title: t('handoff.button.ticket'), value: t('handoff.button.ticket') },
          { title: t('handoff.button.no-ticket'), value: t('handoff.button.no-ticket') },
        ]);
        return { endProcedures: true };
      }
      const place = await service.place(session);
      noteOutcome(context, 'handed_off');
      recordOutcome(context, { procedure: 'handoff', status: 'queued' });
      await send(context, lang, 'handoff.queued', { position: place.position, minutes: place.waitMinutes });
      return { endProcedures: true };
    }

    const reachEntry = text !== '' ? howToReach(context, text) : undefined;
    if (reachEntry) {
      // asked how, not asked for: the two ways this chat offers (a person, in office hours; a ticket), as buttons
      const t = (k: string) => catalog.t(lang, k);
      recordOutcome(context, { procedure: 'faq', entryId: reachEntry });
      // (an answer of that entry, for the metrics and the insight log as any other)
      noteOutcome(context, 'answered', { entryId: reachEntry });
      await send(context, lang, 'handoff.how-to-reach', { days: formatDays(hours, t), hours: formatHours(hours) }, [
        { title: t('handoff.button.human'), value: t('handoff.button.human') },
        { title: t('handoff.button.ticket'), value: t('handoff.button.ticket') },
      ]);
      return { endProcedures: true };
    }

    if (text !== '') {
      await service.recordRecent(key, 'customer', text);
      watchReplies(context, key, lang);
    }
    return undefined;
  };

  return {
    name: 'handoff',
    service,
    interceptMessage: async (context) => {
      try {
        return await interceptMessage(context);
      } catch (err) {
        // the handoff's tables unreachable: the turn fails politely like any database outage
        log.error({ err }, 'handoff could not handle the message');
        throw err;
      }
    },
    start() {
      const every = options.everyMs ?? Math.min(15_000, Math.max(1000, (deps.config.HANDOFF_PICKUP_TIMEOUT_SECONDS * 1000) / 4));
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = service
          .expireUnpicked()
          .catch((err: unknown) => log.warn({ err }, 'could not offer tickets to customers nobody picked up'))
          .finally(() => (sweeping = undefined));
      }, every);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await sweeping;
    },
  };
}


/**
 * TicketStatusDialog ('ticketStatus'): "status TKT-20261122-7QF3" / "semak tiket". Shows a ticket's status
 * and the latest staff reply, to the same channel user who raised it; anyone else (and any unknown
 * reference, with the same words) must first type the e-mail address or mobile number given on the
 * ticket. Lookups and verification attempts are rate-limited per channel user and per reference.
 *
 * The same dialog, registered as 'myTickets' ("tiket saya", "my tickets"), lists the customer's tickets with
 * their references and statuses: those raised in this conversation or by this channel user at once; when there
 * are none, after the same verification (a reference and the contact given on it), every ticket that carries
 * the verified contact. A contact alone is not enough: anyone can type someone else's e-mail address.
 */
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { recordOutcome, turnInput, turnLexicon } from '../src/bot/context';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { findEmails, findPhones, formatDate, todayInKualaLumpur } from '../src/domain';
import type { MessageCatalog } from '../src/language/catalog';
import { type Lexicon, lexicon } from '../src/language/lexicon';
import { analyseText, asAnalysedText } from '../src/language/normalize';
import type { Logger } from '../src/logging';
import type { RateLimiter } from '../src/services/ports';
import { type CustomerTicketLine, type Ticket, type TicketService, findReference, namesReference, normaliseReference, otherReference, ownerKey } from '../src/services/tickets';
import { GAVE_UP, ProcedureDialog, slotPrompt } from './base';

const FLOW = 'ticketStatus.flow';
const P_REFERENCE = 'ticketStatus.reference';
const P_CONTACT = 'ticketStatus.contact';
/** Key, in the dialog's own state, of the flag set when "my tickets" found none and only offers a look-up. */
const OFFER_ONLY = 'offerOnly';

/** Lookups of references per channel user, and contact checks per user and per reference. */
export const STATUS_LIMITS = {
  lookupsPerUser: { limit: 20, windowSeconds: 3600 },
  verifyPerUser: { limit: 5, windowSeconds: 3600 },
  verifyPerReference: { limit: 5, windowSeconds: 3600 },
};

export interface TicketStatusDialogDeps {
  catalog: MessageCatalog;
  tickets: TicketService;
  rateLimiter: RateLimiter;
  log: Logger;
}

/** How much of a message is read for a request of a new ticket (a bounded cost on any text). */
const NEW_TICKET_SEARCH_CHARS = 300;

/** A word of acting ("open", "buat", "raise") and a word of the concept "new" ("new", "baru") among the first words. */
function asksForNewOne(text: string, lex: Lexicon): boolean {
  const words = analyseText(text, lex).expanded.slice(0, 12);
  return words.some((w) => lex.requestActions.has(w)) && words.some((w) => lex.conceptTerms.get(w) === 'new');
}

interface StatusState {
  reference?: string;
}

export class TicketStatusDialog extends ProcedureDialog {
  /** 'status': one ticket's status and latest reply; 'list': the customer's tickets ("my tickets"). */
  private readonly mode: 'status' | 'list';

  constructor(
    private readonly deps: TicketStatusDialogDeps,
    id: 'ticketStatus' | 'myTickets' = 'ticketStatus',
  ) {
    super(id, deps.catalog);
    this.mode = id === 'myTickets' ? 'list' : 'status';
    const { catalog } = deps;
    this.addDialog(
      slotPrompt<string>(P_REFERENCE, catalog, (text) => {
        const found = findReference(text);
        const ref = found.reference ?? normaliseReference(text);
        return ref ? { ok: true, value: ref } : { ok: false, reason: 'tickets.status.malformed' };
      }),
    );
    this.addDialog(
      slotPrompt<string>(P_CONTACT, catalog, (text) =>
        findEmails(text).length > 0 || findPhones(text).length > 0 ? { ok: true, value: text } : { ok: false, reason: 'tickets.status.verify-retry' },
      2,
      ),
    );
    this.addDialog(
      new WaterfallDialog(FLOW, [(step) => this.askReference(step), (step) => this.lookUp(step), (step) => this.verify(step)]),
    );
    this.initialDialogId = FLOW;
  }

  /**
   * Whether the message gives what this procedure takes: a ticket's reference, well formed or not (then it says so); the
   * list of one's tickets takes none.
   * "Tolong semak status tiket TKT-88213, aduan pasal email eBiz hari tu" is a request for this check, not a number
   * another procedure would take.
   */
  givesAnyValue(text: string, context?: TurnContext): boolean {
    // (the list of one's tickets takes no value: a reference given is for one ticket's status; one in another form than
    // ours is named as none of ours)
    if (this.mode !== 'status') return false;
    return namesReference(asAnalysedText(context ? turnInput(context, text) : text, (context && turnLexicon(context)) || lexicon()));
  }

  protected override async onBeginDialog(inner: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    const found = findReference(options?.text ?? '');
    if (found.found && !found.reference) {
      // "status TKT-123": a reference was meant, but it is malformed
      await this.say(inner.context, 'tickets.status.malformed');
    }
    const state: StatusState = { reference: found.reference };
    if (!found.found) {
      const context = inner.context;
      // a reference in another form ("ref 88213", "Reference CS-5567": lexicon ticketReferenceWords), not one of ours: say
      // so, with where ours are found, before the tickets raised here or the question for one
      const other = this.mode === 'status' ? otherReference(asAnalysedText(turnInput(context, options?.text ?? ''), turnLexicon(context) ?? lexicon())) : undefined;
      if (other) await this.say(context, 'tickets.status.other-form', { vars: { given: other } });
      try {
        const mine = await this.deps.tickets.listForCustomer({
          channel: context.activity.channelId,
          channelUserId: context.activity.from?.id ?? context.activity.conversation.id,
          conversationId: context.activity.conversation?.id,
        });
        if (mine.length === 1 && this.mode === 'status') {
          // "what's the status of my ticket?" with one ticket raised here: that one
          const ticket = await this.deps.tickets.getForOwner(mine[0]!.reference, context.activity.channelId, context.activity.from?.id ?? context.activity.conversation.id);
          if (ticket) {
            await this.show(context, ticket);
            return inner.endDialog({ reference: ticket.reference });
          }
        }
        if (mine.length > 0) {
          await this.showList(context, mine);
          // "my tickets": that is the answer; "check my ticket": the list helps pick the reference asked next
          if (this.mode === 'list') return inner.endDialog({ references: mine.map((t) => t.reference) });
          // the reference asked next is an offer: another message is read as new
          const outer = inner.parent?.activeDialog;
          if (outer) outer.state[OFFER_ONLY] = true;
        } else {
          // (after a reference in another form, the question for one says the rest)
          if (!other) await this.say(context, this.mode === 'list' ? 'tickets.mine.none-here' : 'tickets.status.none-here');
          // nothing here to show ("my tickets", or "any update on my complaint?" without a reference): the
          // reference asked next is an offer, not a step left undone — another message is read as new
          const outer = inner.parent?.activeDialog;
          if (outer) outer.state[OFFER_ONLY] = true;
        }
      } catch (err) {
        this.deps.log.error({ err }, 'my tickets: lookup failed');
        await this.say(context, 'tickets.status.error');
        return inner.endDialog();
      }
    }
    return inner.beginDialog(FLOW, state);
  }

  /**
   * Asked for a reference, the customer asks for a new ticket instead ("ok then please open a new one: I paid for the
   * map data but the download link never arrived", "takpe, buat aduan baru je"): the ticket is raised with what the
   * message tells, in place of this look-up (a word of acting, lexicon requestActions, and a word of the concept "new").
   */
  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    const text = (outerDc.context.activity.text ?? '').slice(0, NEW_TICKET_SEARCH_CHARS);
    if (this.mode === 'status' && outerDc.findDialog('ticket') && !findReference(text).found && asksForNewOne(text, turnLexicon(outerDc.context) ?? lexicon())) {
      return outerDc.replaceDialog('ticket', { text: outerDc.context.activity.text ?? '' } satisfies ProcedureOptions);
    }
    return super.continueDialog(outerDc);
  }

  /** Nothing found here: it only offers to look a ticket up by its reference (reported as no open procedure). */
  finished(outerDc: DialogContext): boolean {
    return outerDc.activeDialog?.state[OFFER_ONLY] === true;
  }

  private async askReference(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.options as StatusState).reference) return step.next();
    return this.ask(step, P_REFERENCE, 'tickets.status.ask-reference');
  }

  private owner(context: TurnContext): string {
    return ownerKey(context.activity.channelId, context.activity.from?.id ?? context.activity.conversation.id);
  }

  private async limited(context: TurnContext, bucket: keyof typeof STATUS_LIMITS, key: string): Promise<boolean> {
    const { limit, windowSeconds } = STATUS_LIMITS[bucket];
    const hit = await this.deps.rateLimiter.hit(`ticket-status.${bucket}`, key, limit, windowSeconds);
    if (hit.allowed) return false;
    await this.say(context, 'tickets.status.rate-limited', { vars: { minutes: Math.max(1, Math.ceil(hit.retryAfterSeconds / 60)) } });
    return true;
  }

  private async lookUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if (step.result === GAVE_UP) {
      // three answers without a reference: say so and how to go on, never end in silence
      await this.say(context, 'tickets.status.gave-up');
      return step.endDialog();
    }
    const state = step.options as StatusState;
    if (typeof step.result === 'string') state.reference = findReference(step.result).reference ?? normaliseReference(step.result);
    const reference = state.reference!;
    try {
      if (await this.limited(context, 'lookupsPerUser', this.owner(context))) return step.endDialog();
      const ticket = await this.deps.tickets.getForOwner(reference, context.activity.channelId, context.activity.from?.id ?? context.activity.conversation.id);
      if (ticket) {
        await this.show(context, ticket);
        return step.endDialog({ reference });
      }
    } catch (err) {
      this.deps.log.error({ err }, 'ticket status lookup failed');
      await this.say(context, 'tickets.status.error');
      return step.endDialog();
    }
    // unknown and someone else's reference: the same words
    return this.ask(step, P_CONTACT, 'tickets.status.verify', { vars: { reference } });
  }

  private async verify(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if (step.result === GAVE_UP) {
      await this.say(context, 'tickets.status.not-verified');
      return step.endDialog();
    }
    const reference = (step.options as StatusState).reference!;
    try {
      if (await this.limited(context, 'verifyPerUser', this.owner(context))) return step.endDialog();
      if (await this.limited(context, 'verifyPerReference', reference)) return step.endDialog();
      const ticket = await this.deps.tickets.get(reference);
      const text = String(step.result);
      const candidates = [...findEmails(text).map((e) => e.value), ...findPhones(text).map((p) => p.value)];
      if (ticket && candidates.some((c) => this.deps.tickets.contactMatches(ticket, c))) {
        await this.show(context, ticket);
        return step.endDialog({ reference });
      }
      this.deps.log.info({ reference }, 'ticket status: contact not verified');
      await this.say(context, 'tickets.status.not-verified');
      return step.endDialog();
    } catch (err) {
      this.deps.log.error({ err }, 'ticket status verification failed');
      await this.say(context, 'tickets.status.error');
      return step.endDialog();
    }
  }

  private async showList(context: TurnContext, tickets: CustomerTicketLine[]): Promise<void> {
    const lang = this.lang(context);
    const date = (iso: string) => formatDate(todayInKualaLumpur(new Date(iso)), lang);
    const lines = tickets.map((t) =>
      this.t(context, 'tickets.mine.line', {
        reference: t.reference,
        status: this.t(context, `tickets.status.name.${t.status}`),
        category: this.t(context, `tickets.category.${t.category}`),
        created: date(t.createdAt),
      }),
    );
    await this.send(context, { text: this.t(context, 'tickets.mine.list', { count: tickets.length, lines: lines.join('\n') }) });
    recordOutcome(context, { procedure: 'myTickets', shown: tickets.length });
  }

  private async show(context: TurnContext, ticket: Ticket): Promise<void> {
    if (this.mode === 'list') {
      // the verified contact's tickets (the verified one among them)
      return this.showList(context, await this.deps.tickets.listByContact(ticket));
    }
    const lang = this.lang(context);
    const date = (iso: string) => formatDate(todayInKualaLumpur(new Date(iso)), lang);
    const lines = [
      this.t(context, 'tickets.status.show', {
        reference: ticket.reference,
        category: this.t(context, `tickets.category.${ticket.category}`),
        status: this.t(context, `tickets.status.name.${ticket.status}`),
        created: date(ticket.createdAt),
        updated: date(ticket.updatedAt),
      }),
    ];
    const latest = ticket.replies[ticket.replies.length - 1];
    lines.push(latest ? this.t(context, 'tickets.status.latest-reply', { date: date(latest.createdAt), text: latest.text }) : this.t(context, 'tickets.status.no-reply'));
    await this.send(context, { text: lines.join('\n\n') });
    recordOutcome(context, { procedure: 'ticketStatus', shown: 1 });
  }
}

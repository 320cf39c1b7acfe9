/**
 * TicketDialog ('ticket'): raises a support ticket. Started by a request ("nak buat aduan"), from the
 * fallback's "Raise a ticket" button, or handed over by another procedure with its context. It asks only
 * for what is missing (category, description, name, contact), asks for PDPA consent, shows a summary to
 * submit or edit, and stores the ticket (with the notification to customer service and the confirmation reply)
 * in one transaction. The confirmation is marked delivered once the turn's replies have gone out; a turn cut
 * off after the commit leaves it pending, and the customer's next message gets it (see deliverConfirmation).
 */
import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, DialogTurnStatus, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { toActivity } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { turnLexicon } from '../src/bot/context';
import { afterRepliesSent } from '../src/bot/turn';
import type { Lang } from '../src/knowledge/types';
import { findCorrection, findEmails, findPhones, fuzzyPick, maskEmail, maskPhone, normaliseText, redactPersonalData } from '../src/domain';
import type { MessageCatalog } from '../src/language/catalog';
import { detectCommand } from '../src/language/commands';
import { type Lexicon, lexicon } from '../src/language/lexicon';
import type { Logger } from '../src/logging';
import {
  DESCRIPTION_MAX,
  DESCRIPTION_MIN,
  NAME_MAX,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketService,
  isCategory,
} from '../src/services/tickets';
import { GAVE_UP, ProcedureDialog, type SlotParser, slotPrompt, yesNoPrompt } from './base';

const FLOW = 'ticket.flow';
const P_CATEGORY = 'ticket.category';
const P_DESCRIPTION = 'ticket.description';
const P_NAME = 'ticket.name';
const P_CONTACT = 'ticket.contact';
const P_CONSENT = 'ticket.consent';
const P_CONFIRM = 'ticket.confirm';
const P_EDIT = 'ticket.edit';

/** A SlotParser that needs only the text. */
type Parse<T> = (text: string) => ReturnType<SlotParser<T>>;

const FIELDS = ['category', 'description', 'name', 'contact'] as const;
type Field = (typeof FIELDS)[number];

/** What the procedure has gathered so far (kept in the dialog's state between turns). */
export interface TicketDraft {
  /** The ticket's idempotency key: a retried turn finds the ticket it already created. */
  requestKey: string;
  category?: TicketCategory;
  description?: string;
  name?: string;
  email?: string;
  phone?: string;
  consent?: boolean;
  /** Masked context from a handover (what went wrong). */
  excerpt?: string;
  source?: string;
}

export interface TicketDialogDeps {
  catalog: MessageCatalog;
  tickets: TicketService;
  log: Logger;
}

const SHOWN = Symbol('ticketConfirmationsShown');

/**
 * Sends a ticket's confirmation (its reference) in this turn, at most once per turn, and records it delivered
 * once the turn's replies have gone out. Used by the procedure itself and by the tickets feature's
 * start-of-turn hook (a confirmation left pending by a crash).
 */
export async function deliverConfirmation(
  context: TurnContext,
  tickets: TicketService,
  log: Logger,
  confirmation: { reference: string; text: string; lang: Lang },
): Promise<void> {
  let shown = context.turnState.get(SHOWN) as Set<string> | undefined;
  if (!shown) context.turnState.set(SHOWN, (shown = new Set()));
  if (shown.has(confirmation.reference)) return;
  shown.add(confirmation.reference);
  await context.sendActivity(toActivity({ text: confirmation.text, lang: confirmation.lang }));
  const { reference } = confirmation;
  afterRepliesSent(context, () =>
    tickets.confirmationDelivered(reference).catch((err: unknown) => log.warn({ err, reference }, 'could not record a ticket confirmation as delivered')),
  );
}

/** Procedures and knowledge packs to the category a ticket about them most likely has. */
const CATEGORY_BY_SOURCE: Array<[RegExp, TicketCategory]> = [
  [/^(migration|ebiz\.(account|login|register|upgrade|migrat))/i, 'ebiz-account'],
  [/^ebiz\.(purchase|pay|order|buy|product|refund)/i, 'ebiz-purchase'],
  [/^(eligibility|prorata|planswitch)/i, 'plan-switch'],
];

export function categoryFromContext(options: ProcedureOptions): TicketCategory | undefined {
  const given = options.handover?.category;
  if (given && isCategory(given)) return given;
  for (const source of [options.handover?.from, options.entryId]) {
    if (!source) continue;
    for (const [re, category] of CATEGORY_BY_SOURCE) if (re.test(source)) return category;
  }
  return undefined;
}

/**
 * The category a sentence names ("raise a ticket about billing", "saya dicaj dua kali", "tak boleh log masuk
 * ebiz"), in this order of precedence (a bill about a plan is a billing matter). Undefined when none does.
 */
const CATEGORY_WORDS: Array<[TicketCategory, RegExp]> = [
  ['billing', /\b(bil|bill|billing|caj|charge[ds]?|dicaj|overcharged?|invois|invoice)\b/i],
  ['ebiz-purchase', /\b(beli|pembelian|purchases?|orders?|pesanan|refund|bayaran|payments?|resit|receipt|top-?ups?|tambah\s*nilai|reload)\b/i],
  ['ebiz-account', /\b(ebiz|akaun|account|login|log\s*masuk|daftar|register|password|kata\s*laluan|migrat\w*|naik\s*taraf|upgrade)\b/i],
  ['plan-switch', /\b(tukar\s*(pelan|plan)|switch\w*\s*plan|change\s*(my\s*)?plan|pelan|plan|prepaid|postpaid)\b/i],
  ['other', /\b(lain-lain|something else|other)\b/i],
];

export function categoryFromText(text: string): TicketCategory | undefined {
  const t = text.slice(0, 500);
  return CATEGORY_WORDS.find(([, re]) => re.test(t))?.[0];
}

/** A message long enough to be the problem's description (typed where the category was asked). */
const isDescriptionLike = (text: string) => text.trim().split(/\s+/).length >= 4 && text.trim().length >= DESCRIPTION_MIN;

/**
 * The problem told in the message that asked for the ticket, kept as its description: what follows a colon
 * ("nak buat aduan: sy beli peta …", "I want to raise a ticket: my top-up …"), or the whole message when it
 * tells a story (12 words or more). A bare request ("nak buat aduan", "I'd like to lodge a complaint") has none.
 */
function describedIn(text: string): string | undefined {
  const t = text.trim();
  const afterColon = /^[^:]{1,80}:\s+([\s\S]+)$/.exec(t)?.[1];
  const told = afterColon && afterColon.split(/\s+/).length >= 4 ? afterColon : t.split(/\s+/).length >= 12 ? t : undefined;
  return told && told.length >= DESCRIPTION_MIN && told.length <= DESCRIPTION_MAX ? told : undefined;
}

/** A button's text as clicked or typed: lower case, single spaces, no trailing "?", "." or "!" (normaliseText). */
const normal = (s: string) => normaliseText(s, { trimQuestionEnd: true });

export function parseContact(text: string): { ok: true; value: { email?: string; phone?: string } } | { ok: false; reason: string } {
  const emails = findEmails(text);
  const phones = findPhones(text);
  if (emails.length === 0 && phones.length === 0) {
    if (text.includes('@')) return { ok: false, reason: 'tickets.contact.invalid-email' };
    if ((text.match(/\d/g) ?? []).length >= 7) return { ok: false, reason: 'tickets.contact.invalid-phone' };
    return { ok: false, reason: 'tickets.contact.missing' };
  }
  // an address typed wrongly beside a good number is still a mistake worth pointing out
  if (emails.length === 0 && text.includes('@')) return { ok: false, reason: 'tickets.contact.invalid-email' };
  return { ok: true, value: { email: emails[0]?.value, phone: phones[0]?.value } };
}

/** "nama saya …", "my name is …", "I'm …" before the name itself. */
const NAME_INTRO = /^(?:(?:nama\s+(?:saya|sy|aku)|my\s+name(?:'s)?)(?:\s+(?:ialah|adalah|is))?|i\s*['’]?\s*a?m|saya|sy)\b\s*[:,-]?\s*/i;

/**
 * A person's name as typed where it was asked: letters (and ' . - / of "a/l"), at most 8 words, after an
 * introduction ("nama saya", "my name is") if any. A sentence is not a name: a command ("yes", "batal"), or
 * two or more of the lexicon's function words ("yes please submit it", "what is the status") are refused,
 * while one ("Encik Ali", "Puan Siti") is allowed.
 */
export function parseName(text: string, lex: Lexicon = lexicon()): string | undefined {
  const name = text.trim().replace(/\s+/g, ' ').replace(NAME_INTRO, '');
  if (name.length < 2 || name.length > NAME_MAX) return undefined;
  if (!/^[\p{L}\p{M}][\p{L}\p{M}\s'’.@/-]*$/u.test(name)) return undefined;
  const words = name.toLowerCase().split(' ');
  if (words.length > 8 || detectCommand(name, lex) !== null) return undefined;
  if (words.filter((w) => lex.stopwords.en.has(w) || lex.stopwords.ms.has(w)).length >= 2) return undefined;
  return name;
}

export class TicketDialog extends ProcedureDialog {
  constructor(private readonly deps: TicketDialogDeps) {
    super('ticket', deps.catalog);
    const { catalog } = deps;

    // a description typed where the category was asked is kept (askDescription reads it), not a wrong answer
    this.addDialog(
      slotPrompt<TicketCategory | 'described'>(P_CATEGORY, catalog, (text) => {
        const parsed = this.parseCategory(text);
        return parsed.ok || !isDescriptionLike(text) ? parsed : { ok: true, value: 'described' };
      }),
    );
    this.addDialog(
      slotPrompt<string>(P_DESCRIPTION, catalog, (text) => {
        const t = text.trim();
        if (t.length > DESCRIPTION_MAX) return { ok: false, reason: 'tickets.description.too-long', vars: { length: t.length, max: DESCRIPTION_MAX } };
        if (t.length < DESCRIPTION_MIN) return { ok: false, reason: 'tickets.description.too-short' };
        return { ok: true, value: t };
      }),
    );
    this.addDialog(
      slotPrompt<string>(P_NAME, catalog, (text, context) => {
        const name = parseName(text, turnLexicon(context));
        return name ? { ok: true, value: name } : { ok: false, reason: 'tickets.name.invalid' };
      }),
    );
    this.addDialog(slotPrompt(P_CONTACT, catalog, (text) => parseContact(text)));
    this.addDialog(yesNoPrompt(P_CONSENT, catalog, 'tickets.consent.retry'));
    this.addDialog(slotPrompt<'submit' | 'edit' | 'correct'>(P_CONFIRM, catalog, (text) => this.parseConfirm(text)));
    this.addDialog(slotPrompt<Field>(P_EDIT, catalog, (text) => this.parseField(text)));

    this.addDialog(
      new WaterfallDialog(FLOW, [
        (step) => this.askCategory(step),
        (step) => this.askDescription(step),
        (step) => this.askName(step),
        (step) => this.askContact(step),
        (step) => this.askConsent(step),
        (step) => this.askConfirm(step),
        (step) => this.submitOrEdit(step),
        (step) => this.edit(step),
      ]),
    );
    this.initialDialogId = FLOW;
  }

  protected override async onBeginDialog(inner: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    const opts = options ?? {};
    const context = inner.context;
    const text = opts.text ?? '';
    const draft: TicketDraft = { requestKey: randomUUID() };
    draft.category = categoryFromContext(opts) ?? (text ? categoryFromText(text) : undefined);
    const email = findEmails(text)[0];
    const phone = findPhones(text)[0];
    if (email) draft.email = email.value;
    if (phone) draft.phone = phone.value;
    const summary = opts.handover?.summary?.trim();
    if (summary) {
      const masked = redactPersonalData(summary);
      draft.excerpt = masked;
      if (masked.length >= DESCRIPTION_MIN && masked.length <= DESCRIPTION_MAX) draft.description = masked;
    }
    if (!draft.description) draft.description = describedIn(text);
    draft.source = opts.handover?.from ? `procedure:${opts.handover.from}` : opts.entryId ? `entry:${opts.entryId}` : undefined;
    await this.say(context, opts.handover ? 'tickets.intro.handover' : 'tickets.intro');
    return inner.beginDialog(FLOW, draft);
  }

  /**
   * At the summary, the ticket may already exist: the turn that stored it was cut off (a crash) before its
   * state was saved. Any message but "Submit" is then not an answer to the summary (the customer may have had
   * the confirmation meanwhile, from the start-of-turn hook or the background delivery, and moved on): the
   * router closes this procedure and handles the message as a new one (src/bot/procedure.ts isStale).
   */
  async stale(outerDc: DialogContext, text: string): Promise<boolean> {
    const inner = this.createChildContext(outerDc);
    if (inner?.activeDialog?.id !== P_CONFIRM) return false;
    const decision = this.parseConfirm(text);
    if (decision.ok && decision.value === 'submit') return false;
    const draft = inner.stack.find((d) => d.id === FLOW)?.state?.options as TicketDraft | undefined;
    return !!draft?.requestKey && !!(await this.deps.tickets.findByRequestKey(draft.requestKey));
  }

  /** "Submit" at a summary whose ticket already exists (see stale): the procedure ends with the confirmation, once. */
  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    if (inner.activeDialog?.id === P_CONFIRM) {
      const draft = inner.stack.find((d) => d.id === FLOW)?.state?.options as TicketDraft | undefined;
      const existing = draft?.requestKey ? await this.deps.tickets.findByRequestKey(draft.requestKey) : undefined;
      if (existing) {
        const lang = this.lang(inner.context);
        await deliverConfirmation(inner.context, this.deps.tickets, this.deps.log, {
          reference: existing.reference,
          text: this.deps.tickets.confirmationText(existing.reference, lang),
          lang,
        });
        return { status: DialogTurnStatus.complete, result: { reference: existing.reference } };
      }
    }
    return super.onContinueDialog(inner);
  }

  private draft(step: WaterfallStepContext): TicketDraft {
    return step.options as TicketDraft;
  }

  /** The previous step's prompt ended without a usable value: stop, nothing stored. */
  private async gaveUp(step: WaterfallStepContext): Promise<DialogTurnResult | undefined> {
    if (step.result === GAVE_UP) {
      await this.say(step.context, 'tickets.gave-up');
      return step.endDialog();
    }
    return undefined;
  }

  private async askCategory(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.draft(step).category) return step.next();
    return this.ask(step, P_CATEGORY, 'tickets.ask-category', (lang) => ({ choices: this.choicesIn(lang, TICKET_CATEGORIES.map((c) => `tickets.category.${c}`)) }));
  }

  private async askDescription(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    if (typeof step.result === 'string') {
      const parsed = this.parseCategory(step.result);
      if (parsed.ok) draft.category = parsed.value;
      else if (isDescriptionLike(step.result) && step.result.trim().length <= DESCRIPTION_MAX) {
        draft.description = step.result.trim();
        draft.category = categoryFromText(step.result);
        if (!draft.category) return step.replaceDialog(FLOW, draft);
      }
    }
    if (draft.description) return step.next();
    return this.ask(step, P_DESCRIPTION, 'tickets.ask-description', { vars: { max: DESCRIPTION_MAX }, freeText: true });
  }

  private async askName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    if (typeof step.result === 'string') draft.description = step.result.trim();
    if (draft.name) return step.next();
    return this.ask(step, P_NAME, 'tickets.ask-name', { freeText: true });
  }

  private async askContact(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    if (typeof step.result === 'string') draft.name = parseName(step.result, turnLexicon(step.context));
    if (draft.email || draft.phone) return step.next();
    return this.ask(step, P_CONTACT, 'tickets.ask-contact', { freeText: true });
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    if (typeof step.result === 'string') {
      const parsed = parseContact(step.result);
      if (parsed.ok) {
        draft.email = parsed.value.email;
        draft.phone = parsed.value.phone;
      }
    }
    if (draft.consent) return step.next();
    return this.ask(step, P_CONSENT, 'tickets.ask-consent', (lang) => ({ choices: this.yesNoChoices(lang) }));
  }

  private async askConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    if (typeof step.result === 'string') {
      if (detectCommand(step.result) !== 'yes') {
        await this.say(step.context, 'tickets.consent.declined');
        return step.endDialog();
      }
      draft.consent = true;
    }
    const contact = [draft.email ? maskEmail(draft.email) : '', draft.phone ? maskPhone(draft.phone) : ''].filter(Boolean).join(', ');
    return this.ask(step, P_CONFIRM, 'tickets.summary', (lang) => ({
      vars: {
        category: this.catalog.t(lang, `tickets.category.${draft.category!}`),
        description: redactPersonalData(draft.description!),
        name: draft.name!,
        contact,
      },
      choices: this.choicesIn(lang, ['tickets.button.submit', 'tickets.button.edit', 'tickets.button.cancel']),
    }));
  }

  private async submitOrEdit(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    const decision = this.parseConfirm(String(step.result));
    if (decision.ok && decision.value === 'correct') {
      // "the correct email is …", "eh salah, nombor saya 012…", "sorry I meant my name is …": the summary again
      this.applyCorrection(draft, String(step.result));
      return step.replaceDialog(FLOW, draft);
    }
    if (decision.ok && decision.value === 'edit') {
      return this.ask(step, P_EDIT, 'tickets.ask-edit', (lang) => ({ choices: this.choicesIn(lang, FIELDS.map((f) => `tickets.field.${f}`)) }));
    }
    const context = step.context;
    try {
      const { ticket, duplicate, confirmation } = await this.deps.tickets.create({
        requestKey: draft.requestKey,
        category: draft.category!,
        description: draft.description!,
        name: draft.name!,
        email: draft.email,
        phone: draft.phone,
        lang: this.lang(context),
        channel: context.activity.channelId,
        channelUserId: context.activity.from?.id ?? context.activity.conversation.id,
        conversationRef: TurnContext.getConversationReference(context.activity),
        excerpt: draft.excerpt,
        source: draft.source,
      });
      const lang = this.lang(context);
      await deliverConfirmation(context, this.deps.tickets, this.deps.log, {
        reference: ticket.reference,
        text: duplicate ? this.deps.tickets.confirmationText(ticket.reference, lang) : confirmation,
        lang,
      });
      return step.endDialog({ reference: ticket.reference });
    } catch (err) {
      this.deps.log.error({ err }, 'ticket could not be stored');
      await this.say(context, 'tickets.error.save');
      // back to the summary: everything gathered is kept
      return step.replaceDialog(FLOW, draft);
    }
  }

  private async edit(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const stop = await this.gaveUp(step);
    if (stop) return stop;
    const draft = this.draft(step);
    const field = this.parseField(String(step.result));
    if (field.ok) {
      if (field.value === 'contact') {
        draft.email = undefined;
        draft.phone = undefined;
      } else {
        draft[field.value] = undefined;
      }
    }
    return step.replaceDialog(FLOW, draft);
  }

  private yesNoChoices(lang: Lang) {
    return lang === 'ms'
      ? [
          { title: 'Ya', value: 'ya' },
          { title: 'Tidak', value: 'tidak' },
        ]
      : [
          { title: 'Yes', value: 'yes' },
          { title: 'No', value: 'no' },
        ];
  }

  private parseCategory: Parse<TicketCategory> = (text) => {
    const t = normal(text);
    const n = Number(t);
    if (Number.isInteger(n) && n >= 1 && n <= TICKET_CATEGORIES.length) return { ok: true, value: TICKET_CATEGORIES[n - 1]! };
    for (const c of TICKET_CATEGORIES) {
      if (t === c) return { ok: true, value: c };
      for (const lang of ['ms', 'en'] as const) if (normal(this.catalog.t(lang, `tickets.category.${c}`)) === t) return { ok: true, value: c };
    }
    // a label typed with typos or in other words ("billing", "akaun ebiz"), then a category named in a short answer
    const fuzzy = fuzzyPick(
      text,
      TICKET_CATEGORIES.map((c) => ({ value: c, labels: [this.catalog.t('ms', `tickets.category.${c}`), this.catalog.t('en', `tickets.category.${c}`)] })),
    );
    if (fuzzy) return { ok: true, value: fuzzy };
    const named = t.split(' ').length <= 6 ? categoryFromText(t) : undefined;
    if (named) return { ok: true, value: named };
    return { ok: false, reason: 'tickets.category.retry' };
  };

  /** A correction typed at the summary: a new e-mail or phone number replaces the old one; else the field it names is asked again. */
  private applyCorrection(draft: TicketDraft, text: string): void {
    const contact = parseContact(text);
    if (contact.ok) {
      if (contact.value.email) draft.email = contact.value.email;
      if (contact.value.phone) draft.phone = contact.value.phone;
      return;
    }
    const after = findCorrection(text)?.after ?? text;
    const name = /\b(?:nama|name)\b(?:\s+(?:saya|sy|is|ialah|adalah))?\s*[:,-]?\s*(.+)$/i.exec(after)?.[1];
    if (name && parseName(name)) {
      draft.name = parseName(name);
      return;
    }
    const field = this.parseField(after);
    if (field.ok) {
      if (field.value === 'contact') {
        draft.email = undefined;
        draft.phone = undefined;
      } else draft[field.value] = undefined;
    }
  }

  private parseConfirm: Parse<'submit' | 'edit' | 'correct'> = (text) => {
    const t = normal(text);
    if (findCorrection(text) || findEmails(text).length > 0 || findPhones(text).length > 0) return { ok: true, value: 'correct' };
    for (const lang of ['ms', 'en'] as const) {
      if (t === normal(this.catalog.t(lang, 'tickets.button.submit'))) return { ok: true, value: 'submit' };
      if (t === normal(this.catalog.t(lang, 'tickets.button.edit'))) return { ok: true, value: 'edit' };
    }
    const command = detectCommand(text);
    if (command === 'yes') return { ok: true, value: 'submit' };
    if (command === 'no' || /^(edit|ubah|betulkan|tukar|change|correct)\b/.test(t)) return { ok: true, value: 'edit' };
    return { ok: false, reason: 'tickets.confirm.retry' };
  };

  private parseField: Parse<Field> = (text) => {
    const t = normal(text);
    for (const f of FIELDS) {
      if (t === f) return { ok: true, value: f };
      for (const lang of ['ms', 'en'] as const) if (normal(this.catalog.t(lang, `tickets.field.${f}`)) === t) return { ok: true, value: f };
    }
    if (/e-?mel|e-?mail|phone|telefon|nombor|number|hubung|contact/.test(t)) return { ok: true, value: 'contact' };
    if (/nama|name/.test(t)) return { ok: true, value: 'name' };
    if (/kategori|category/.test(t)) return { ok: true, value: 'category' };
    if (/terang|descri|masalah|problem/.test(t)) return { ok: true, value: 'description' };
    return { ok: false, reason: 'tickets.edit.retry' };
  };
}

/**
 * MigrationDialog (issue 5): moves an old eBiz login to eBiz v2.0 by e-mail verification, as the eBiz FAQ
 * describes it. The customer gives the e-mail, MyKad or passport number used before (also already in the
 * first message); the masked registered e-mail is shown and the customer confirms it is still active; a
 * single-use link `{PUBLIC_URL}/migrate/{token}` goes out through the mail outbox; the link opens the form
 * (src/web/migration). If the e-mail is no longer active, the FAQ's answer and a ticket offer follow.
 *
 * No enumeration (issue 13): an unknown identifier gets replies of the same shape — a decoy masked address
 * drawn from the directory's own mix, keyed per identifier (src/services/migrationDecoys.ts) — and the
 * known and unknown paths do the same work: the same directory queries, the same keyed hashes, the same
 * token write and an e-mail write of the same cost (the decoy's goes to a table nothing delivers from).
 * Lookups are limited per conversation and per client address, never per identifier (a stranger must not
 * lock the owner out); what is capped per account is the number of links e-mailed, and past the cap the
 * customer is told a link was sent recently — in the same words for an unknown identifier.
 */
import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { clientAddress, recordOutcome } from '../src/bot/context';
import type { Reply } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { MAX_SLOT_TEXT, findEmails, findMyKads, findPassports, maskEmail, maskMyKad, maskPassport, parseEmail, parseMyKad, todayInKualaLumpur } from '../src/domain';
import type { KnowledgeBase } from '../src/knowledge/types';
import type { MessageCatalog } from '../src/language/catalog';
import type { Logger } from '../src/logging';
import type { LegacyIdentifier } from '../src/services/legacyAccounts';
import type { LookupResult, MigrationRequests } from '../src/services/migrationRequests';
import type { RateLimiter } from '../src/services/ports';
import { asksWhatIf, detectCommand, doesItThemselves } from '../src/language/commands';
import { lexicon } from '../src/language/lexicon';
import { analyseText } from '../src/language/normalize';
import { type Extracted, type Outcome, type Slot, SlotProcedure, yesNoIn } from './engine';

export const MIGRATION_DIALOG_ID = 'migration';
export const TICKET_CATEGORY = 'ebiz-account';

export interface MigrationLimits {
  /** Lookups per conversation per window. */
  perConversation: number;
  /** Lookups per client address per window (when the channel knows the customer's address). */
  perAddress: number;
  windowSeconds: number;
  /** Links e-mailed per account (or unknown identifier) per mail window (src/services/migrationRequests.ts). */
  mailsPerAccount: number;
  /** Default: the link lifetime, so that past the cap the latest link sent still works. */
  mailWindowSeconds?: number;
}

export const DEFAULT_MIGRATION_LIMITS: MigrationLimits = { perConversation: 5, perAddress: 20, windowSeconds: 3600, mailsPerAccount: 3 };

export interface MigrationDialogDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  /** The lookups and the link requests (the same work for known and unknown identifiers). */
  requests: MigrationRequests;
  rateLimiter: RateLimiter;
  log: Logger;
  ttlMinutes: number;
  limits?: MigrationLimits;
  now?: () => number;
}

type IdentifierParse = { ok: true; value: LegacyIdentifier } | { ok: false; reason: string };

/** Words asking for a ticket: at the ticket offer, that yes ("ok la sy nk buat aduan", "then open a complaint please"). */
const ASKS_FOR_TICKET = /\b(?:aduan|adu|complain|complaint|tiket|ticket|lapor|report)\b/i;
/** …unless the ticket is refused ("x payah buat aduan", "no need for a ticket", "don't open a complaint"). */
const NO_TICKET = /\b(?:no need|don'?t|do not|never mind|tak|x|tidak|bukan|tak payah|x payah|tak perlu|x perlu)\s+(?:\w+\s+){0,2}(?:aduan|adu|complain|complaint|tiket|ticket|lapor|report)\b/i;
/** The FAQ entry whose answer is given when the old account's e-mail can no longer be opened. */
const INACTIVE_EMAIL_ENTRY = 'ebiz.old-email-invalid';
const MYKAD_REASON: Record<string, string> = {
  length: 'migration.invalid.mykad-length',
  date: 'migration.invalid.mykad-date',
  place: 'migration.invalid.mykad-place',
  format: 'migration.invalid.unknown',
  empty: 'migration.invalid.unknown',
};

/**
 * An e-mail, MyKad or passport number in what the customer typed (alone or in a sentence). An invalid value
 * gets the catalog key of the message that says what is wrong.
 */
export function parseIdentifier(text: string, now: Date = new Date()): IdentifierParse {
  const t = (text ?? '').trim();
  const reference = todayInKualaLumpur(now);
  if (t.includes('@')) {
    const found = findEmails(t)[0];
    if (found) return { ok: true, value: { kind: 'email', value: found.value } };
    const direct = parseEmail(t);
    return direct.ok ? { ok: true, value: { kind: 'email', value: direct.value } } : { ok: false, reason: 'migration.invalid.email' };
  }
  const mykads = findMyKads(t, { reference });
  const valid = mykads.find((m) => m.result.ok);
  if (valid && valid.result.ok) return { ok: true, value: { kind: 'mykad', value: valid.result.value.value } };
  if (mykads.length > 0 && !mykads[0]!.result.ok) return { ok: false, reason: MYKAD_REASON[mykads[0]!.result.reason]! };
  // a passport number: 1–2 letters and 6–9 digits, spaces or dashes allowed ("A1234 5678"); the same finder
  // the masker of logs and transcripts uses (src/domain/pii.ts)
  const passport = findPassports(t)[0];
  if (passport) return { ok: true, value: { kind: 'passport', value: passport.value } };
  // a number that is not 12 digits, or a 12-digit number with a wrong date or place
  const digits = t.match(/\d[\d\s-]{4,}\d/);
  if (digits) {
    const r = parseMyKad(digits[0], { reference });
    return r.ok ? { ok: true, value: { kind: 'mykad', value: r.value.value } } : { ok: false, reason: MYKAD_REASON[r.reason]! };
  }
  return { ok: false, reason: 'migration.invalid.unknown' };
}

/** Words around a MyKad or passport number given alone ("Baiklah. Nombor kad pengenalan saya ialah …"): at most these. */
const MAX_WORDS_AROUND_ID = 8;

const NO_RE =
  /^(no|nope|nah|not|tidak|tak|x|bukan|dah tak|sudah tidak|tiada|takde|xde|x ada)\b|\b(not active|no longer|not working|inactive|can'?t (access|open)|cannot (access|open)|no access|tak aktif|tidak aktif|x aktif|dah mati|tak boleh (buka|akses)|tidak boleh (buka|akses)|x boleh (buka|akses)|tak guna|tidak digunakan|(?:was |been |is |got |dah |dh |sudah )?(?:closed|deleted|terminated|dead|ditutup|dipadam)|can'?t (?:receive|get|log ?in)|cannot (?:receive|get|log ?in)|no more|(?:dah|dh|sudah)(?: lama)? (?:tak|x|tidak) (?:guna|pakai|aktif|boleh)|(?:tak|x|tidak) (?:boleh|dapat|dpt|blh) (?:terima|bukak|masuk|login)|(?:tak|x|tidak) (?:guna|pakai) (?:lagi|dah))\b/i;
const YES_RE =
  /^(?:(?:ha+|haah|a'ah|oh|ok|okay|ye+s*)[\s,.!]+)?(yes|yeah|yep|yup|ya|yer|ye|betul|masih|boleh|ok|okay|sure|correct|still)\b|\b(still active|masih aktif|masih guna|still use|(?:yg|yang|ni|ini|itu|tu|that'?s|that is) (?:\w+ )?(?:betul|correct|right|mine|sy punya|saya punya))\b/i;
/** "tak betul", "not mine", "bukan sy punya": a negated yes is a no. */
const NEGATED_YES_RE = /\b(?:tak|x|tidak|bukan|not|isn'?t|is not)\s+(?:\w+\s+)?(?:betul|correct|right|mine|sy punya|saya punya|aktif|active)\b/i;

/** Yes or no, also in a sentence ("no, it's not active anymore", "ya masih aktif"); a negation wins. */
/** The tag that ends a yes-no question in Malaysian English and Malay: "… or not", "… ke tak", "… ke x". */
const QUESTION_TAG = /\b(?:or not|or no|ke tak|ke x|ke tidak|atau tidak|ke idak)\s*\?*\s*$/;

/**
 * A question of its own that opens with "boleh" / "can" ("boleh guna emel lain tak?", "can I use another one?"), or asks
 * for another address ("boleh tukar ke emel lain"): no yes, unless it asks to send ("boleh hantar sekarang?").
 */
const ASKS_BACK = /^(?:boleh|bolehkah|blh|can|could)\s+\S+\s+\S+[\s\S]*(?:\?|\b(?:tak|x|tidak|ke|kah|tk)\s*)$/;
const ANOTHER = /^(?:boleh|bolehkah|blh|can|could)\b.*\b(?:lain|another|different|other|tukar|change)\b/;
const SEND = /\b(?:hantar|send|teruskan|proceed|go ahead)\b/;

export function understandYesNo(text: string): boolean | undefined {
  const command = detectCommand(text);
  if (command === 'yes') return true;
  if (command === 'no') return false;
  const asked = text.trim().toLowerCase().slice(0, 200);
  if ((ASKS_BACK.test(asked) || ANOTHER.test(asked)) && !SEND.test(asked)) return undefined;
  // a question's tag is no answer ("can check my line 012-100 0001 switch to prepaid or not", "boleh ke tak")
  const t = text.trim().toLowerCase().replace(QUESTION_TAG, '');
  if (NO_RE.test(t) || NEGATED_YES_RE.test(t)) return false;
  if (YES_RE.test(t)) return true;
  return undefined;
}


export function maskIdentifier(id: LegacyIdentifier): string {
  return id.kind === 'email' ? maskEmail(id.value) : id.kind === 'mykad' ? maskMyKad(id.value) : maskPassport(id.value);
}

interface Found extends LookupResult {
  kind: LegacyIdentifier['kind'];
  /** Masked identifier (for the ticket summary). */
  idMasked: string;
}

interface MigrationValues {
  identifier?: LegacyIdentifier;
  /** The account looked up for the identifier (forgotten when the identifier is corrected). */
  found?: Found;
  /** The customer said the registered e-mail is no longer active. */
  inactive?: boolean;
  /** After that: whether they want a ticket. */
  wantsTicket?: boolean;
}

export class MigrationDialog extends SlotProcedure<MigrationValues> {
  private readonly limits: MigrationLimits;
  protected readonly gaveUpKey = 'migration.gave-up';
  protected override readonly confirmRetryKey = 'migration.confirm-retry';
  protected readonly slots: Slot<MigrationValues>[] = [
    {
      name: 'identifier',
      missing: (v) => !v.identifier,
      ask: (c) => ({ text: this.t(c, 'migration.ask-identifier') }),
      answer: (text) => {
        const r = parseIdentifier(text, this.now());
        return r.ok ? { ok: true, apply: (v) => (v.identifier = r.value) } : { ok: false, key: r.reason };
      },
    },
    {
      name: 'wantsTicket',
      missing: (v) => v.inactive === true && v.wantsTicket === undefined,
      ask: (c) => ({ text: this.t(c, 'migration.offer-ticket'), choices: this.yesNoChoices(c) }),
      // "ok la sy nk buat aduan", "then open a complaint please": asking for the ticket offered is the yes
      offers: 'ticket',
      answer: (text) => {
        // (before the words of a no, which there are about the e-mail: "sy nak buat aduan: emel lama dah tak aktif")
        const t = text.slice(0, 300);
        // ("ok nanti sy hubungi khidmat pelanggan sendiri": the customer will do it, the offer is declined)
        const yes = doesItThemselves(analyseText(t, lexicon())) ? false : ASKS_FOR_TICKET.test(t) && !NO_TICKET.test(t) ? true : understandYesNo(text);
        return yes === undefined ? { ok: false, key: 'migration.offer-ticket-retry' } : { ok: true, apply: (v) => (v.wantsTicket = yes) };
      },
    },
  ];

  constructor(private readonly deps: MigrationDialogDeps) {
    super(MIGRATION_DIALOG_ID, deps.catalog);
    this.limits = deps.limits ?? DEFAULT_MIGRATION_LIMITS;
  }

  private now(): Date {
    return new Date((this.deps.now ?? Date.now)());
  }

  private yesNoChoices(context: TurnContext) {
    return ['migration.button.yes', 'migration.button.no'].map((k) => ({ title: this.t(context, k), value: this.t(context, k) }));
  }

  protected initial(options: ProcedureOptions): MigrationValues {
    // reopened by a correction: the identifier is kept until the message replaces it (then looked up again)
    const prefill = (options.prefill ?? {}) as MigrationValues;
    return prefill.identifier ? { identifier: prefill.identifier } : {};
  }

  /**
   * A request for the migration by its value: a MyKad or passport number (only the migration takes one: "Nombor kad
   * pengenalan saya ialah 850312-14-5672" after an answer that did not start it). An e-mail address alone is no such
   * request (a ticket takes one too).
   */
  override givesValues(text: string): boolean {
    const t = text.slice(0, MAX_SLOT_TEXT);
    // (a number given with a question or a story of its own is no such request: "what is the weather in Ipoh? … IC …")
    const words = t.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !/\d|@/.test(w));
    if (t.includes('?') || words.length > MAX_WORDS_AROUND_ID) return false;
    return findMyKads(t, { reference: todayInKualaLumpur(this.now()) }).some((m) => m.result.ok) || findPassports(t).length > 0;
  }

  protected extract(text: string): Extracted<MigrationValues> {
    const given = parseIdentifier(text, this.now());
    if (given.ok) return { values: { identifier: given.value } };
    // a number or address was typed but is wrong: say what is wrong
    if (given.reason !== 'migration.invalid.unknown' && /\d{6,}|@/.test(text)) return { values: {}, problem: { key: given.reason } };
    return { values: {} };
  }

  protected override readYesNo(text: string): 'yes' | 'no' | null {
    const t = text.slice(0, MAX_SLOT_TEXT);
    // a question about what would happen, asked before answering ("jap sebelum sy sahkan, kalau emel lama tu dah x aktif
    // mcm mana?"): no answer yet (the router answers the question, then this one is asked again), unless a sentence
    // that is no question answers ("alamak bukan, emel tu dh lama mati, sy x boleh buka dah. kalau emel lama rosak mcm ni
    // sy kena buat apa?": a no, whose answer is that question's)
    if (t.includes('?') && yesNoIn(t) === null && asksWhatIf(analyseText(t, lexicon()))) {
      const told = (t.match(/(?<![^.!?\n])[^.!?\n]+[.!\n]+(?=\s|$)/g) ?? []).join(' ');
      const v = told.trim() ? understandYesNo(told) : undefined;
      return v === undefined ? null : v ? 'yes' : 'no';
    }
    const v = understandYesNo(t);
    // a ticket asked for is no yes ("ok tolong buat tiket terus la"): the e-mail is not confirmed, the request is read
    // as one (a no that comes with it stays a no: "emel tu dah mati, buat aduan la")
    if (v === true && ASKS_FOR_TICKET.test(t) && !NO_TICKET.test(t)) return null;
    return v === undefined ? null : v ? 'yes' : 'no';
  }

  protected override invalidate(values: MigrationValues, changed: (keyof MigrationValues)[]): void {
    if (changed.includes('identifier')) {
      delete values.found;
      delete values.inactive;
      delete values.wantsTicket;
    }
  }

  /** Looks the identifier up (once per identifier) and asks whether the registered e-mail is still active. */
  protected override async confirmation(context: TurnContext, values: MigrationValues): Promise<Reply | Outcome | undefined> {
    if (values.inactive) return undefined;
    if (!values.found) {
      const found = await this.lookup(context, values.identifier!);
      if (!found) return { done: true };
      values.found = found;
    }
    return { text: this.t(context, 'migration.confirm', { email: values.found.emailMasked }), choices: this.yesNoChoices(context) };
  }

  /** The e-mail is no longer active: the FAQ's answer (ebiz.old-email-invalid), then a ticket offer. */
  protected override async declined(context: TurnContext, values: MigrationValues): Promise<Outcome> {
    const faq = this.deps.knowledge.byId.get(INACTIVE_EMAIL_ENTRY)?.answer?.[this.lang(context)];
    await this.send(context, { text: faq ?? this.t(context, 'migration.contact-support') });
    // the entry's answer was given: counted as that FAQ answered
    if (faq) recordOutcome(context, { procedure: 'faq', entryId: INACTIVE_EMAIL_ENTRY });
    values.inactive = true;
    return { done: false };
  }

  protected async act(context: TurnContext, values: MigrationValues, dc: DialogContext): Promise<Outcome> {
    const found = values.found!;
    if (!values.inactive) {
      await this.sendLink(context, found);
      return { done: true };
    }
    if (values.wantsTicket && dc.findDialog('ticket')) {
      const options: ProcedureOptions = {
        // the message that took the offer may hold the contact ("… kindly update it to rajesh.new@example.org")
        text: SlotProcedure.textOf(context),
        handover: {
          from: MIGRATION_DIALOG_ID,
          category: TICKET_CATEGORY,
          summary: this.t(context, 'migration.ticket-summary', { email: found.emailMasked, id: found.idMasked }),
        },
      };
      await dc.replaceDialog('ticket', options);
      return { done: true };
    }
    if (values.wantsTicket) await this.say(context, 'migration.contact-support');
    else await this.send(context, { text: this.t(context, 'migration.ticket-declined'), choices: [{ title: this.t(context, 'button.menu'), value: 'menu' }] });
    return { done: true };
  }

  /** The rate limits, then the look-up (the same work for known and unknown identifiers). */
  private async lookup(context: TurnContext, id: LegacyIdentifier): Promise<Found | undefined> {
    const conversation = `${context.activity.channelId}:${context.activity.conversation?.id ?? 'unknown'}`;
    const address = clientAddress(context);
    const { perConversation, perAddress, windowSeconds } = this.limits;
    const byConversation = await this.deps.rateLimiter.hit('migration-lookup-conv', conversation, perConversation, windowSeconds);
    // a lookup the conversation's limit already refused does not use up the address's budget as well
    const byAddress =
      address && byConversation.allowed ? await this.deps.rateLimiter.hit('migration-lookup-addr', address, perAddress, windowSeconds) : undefined;
    const refused = [byConversation, byAddress].filter((r) => r && !r.allowed);
    if (refused.length > 0) {
      const minutes = Math.max(1, Math.ceil(Math.max(...refused.map((r) => r!.retryAfterSeconds)) / 60));
      this.deps.log.warn({ kind: id.kind, conversationLimited: !byConversation.allowed, addressLimited: !!byAddress && !byAddress.allowed }, 'migration lookups rate-limited');
      await this.say(context, 'migration.rate-limited', { minutes });
      return undefined;
    }
    try {
      const found: Found = { kind: id.kind, idMasked: maskIdentifier(id), ...(await this.deps.requests.lookup(id)) };
      this.deps.log.info({ kind: id.kind, identifier: found.idMasked }, 'migration lookup');
      return found;
    } catch (err) {
      this.deps.log.error({ err, kind: id.kind, identifier: maskIdentifier(id) }, 'legacy account lookup failed');
      await this.say(context, 'migration.lookup-failed');
      return undefined;
    }
  }

  /**
   * The link (or, for an unknown identifier, the same work and no mail), named by the turn's activity so a
   * turn that runs again cannot send a second one; past the mail cap, "sent recently" — the same for both.
   */
  private async sendLink(context: TurnContext, found: Found): Promise<void> {
    const { deps } = this;
    const { activity } = context;
    try {
      const outcome = await deps.requests.requestLink(found, this.lang(context), `${activity.channelId}|${activity.conversation?.id}|${activity.id ?? ''}`);
      const key = outcome === 'capped' ? 'migration.already-sent' : 'migration.sent';
      await this.say(context, key, { email: found.emailMasked, minutes: deps.ttlMinutes });
      recordOutcome(context, { procedure: 'migration', linkRequested: true });
    } catch (err) {
      deps.log.error({ err }, 'could not queue the migration e-mail');
      await this.say(context, 'migration.send-failed');
    }
  }
}

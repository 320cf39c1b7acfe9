/**
 * TicketDialog ('ticket'): raises a support ticket, on the slot-filling engine (dialogs/engine.ts). Started by a
 * request ("nak buat aduan"), from the fallback's "Raise a ticket" button, or handed over by another procedure
 * with its context. Its values — the category, the description, the customer's name (optional) and a way to
 * reach them (an e-mail and/or a mobile number; on WhatsApp the verified sender's number), and PDPA consent —
 * come from any message in any order ("Sy dah beli data digital kt eBiz …, duit dah tolak tp link x sampai.
 * Nama sy Tan Wei Ming, email tan@…" leaves only consent to ask). The name and the contact are asked in one
 * question; a contact alone is enough, a name alone asks again for the contact only. A summary (personal data
 * masked) is then submitted, edited or cancelled; a message giving new values, there or anywhere, is a
 * correction and the summary is shown again. The ticket is stored (with the notification to customer service
 * and the confirmation reply) in one transaction, under the draft's requestKey: a retried turn finds the ticket
 * it already created. The confirmation is marked delivered once the turn's replies have gone out; a turn cut
 * off after the commit leaves it pending, and the customer's next message gets it (see deliverConfirmation).
 * Words and buttons: dialogs/views/ticket.ts.
 */
import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { toActivity } from '../src/bot/reply';
import type { Reply } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { answeredBefore, declinedBefore, recordOutcome, turnLexicon, verifiedPhone } from '../src/bot/context';
import { afterRepliesSent } from '../src/bot/turn';
import type { Lang } from '../src/knowledge/types';
import { CONTACT_ME, MAX_SLOT_TEXT, findCorrection, findEmails, findPhones, fuzzyPick, givesContact, normaliseText, redactPersonalData } from '../src/domain';
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
import { type EngineState, type Extracted, type Outcome, type Problem, type Slot, type SlotAnswer, SlotProcedure, yesNoIn } from './engine';
import {
  EDIT_ID,
  NO_ID,
  SUBMIT_ID,
  TICKET_FIELDS,
  type TicketField,
  YES_ID,
  categoryChoices,
  consentReply,
  fieldChoices,
  fieldId,
  summaryReply,
} from './views/ticket';

/** What the procedure has gathered so far (the engine's values, kept in the dialog's state between turns). */
export interface TicketDraft {
  /** The ticket's idempotency key: a retried turn finds the ticket it already created. */
  requestKey: string;
  category?: TicketCategory;
  description?: string;
  /** Optional: a contact alone is enough. */
  name?: string;
  email?: string;
  phone?: string;
  /** PDPA consent: true given, false refused (nothing is stored), undefined not asked yet. */
  consent?: boolean;
  /** Masked context from a handover (what went wrong). */
  excerpt?: string;
  source?: string;
  /** "Edit" at the summary: 'pick' while the customer chooses what to change, 'name' while the name is asked. */
  edit?: 'pick' | 'name';
  /** Consent came with "submit" ("ya, hantar"): the ticket is stored without the summary, unless a value changes. */
  submitNow?: boolean;
}

/** What a ticket set aside for another procedure takes back when it is asked for again (not its consent or request key). */
const KEPT_WHEN_SET_ASIDE = ['category', 'description', 'name', 'email', 'phone', 'excerpt', 'source'] as const;

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

/** Words of a request that point back to the question just asked ("open a ticket for this", "buat aduan pasal tu"). */
const POINTS_BACK = /\b(?:this|that|it|the same|ini|ni|itu|tu|tadi|td|tersebut)\b/i;

/** Procedures and knowledge packs to the category a ticket about them most likely has. */
// (an eBiz entry about buying, paying or what is sold is a purchase; the survey data's tests are something else; any
// other eBiz entry is about the account)
const CATEGORY_BY_SOURCE: Array<[RegExp, TicketCategory]> = [
  [/^ebiz\.chi-square/i, 'other'],
  [/^ebiz\.\S*(purchase|pay|order|buy|product|refund|remit|runner|restricted|digital|prepaid|top-?up)/i, 'ebiz-purchase'],
  [/^(migration|ebiz\.)/i, 'ebiz-account'],
  [/^(eligibility|prorata|planswitch)/i, 'plan-switch'],
];

/** The category of a ticket about a procedure or a knowledge entry (its id), if one fits. */
function categoryOfSource(source: string | undefined): TicketCategory | undefined {
  if (!source) return undefined;
  for (const [re, category] of CATEGORY_BY_SOURCE) if (re.test(source)) return category;
  return undefined;
}

/**
 * A result handed over with a request in words that names another matter ("nak buat aduan pasal bil eBiz" after a line's
 * verdict): the ticket is about that matter, not the result; one that tells its own story about the result ("RM300
 * penalty is too much la. I want to appeal the contract penalty, can raise a ticket?") is described by that story.
 */
function withOwnMatter(options: ProcedureOptions): ProcedureOptions {
  const handover = options.handover;
  if (!handover || options.text === undefined) return options;
  const named = handover.category !== undefined ? categoryFromText(options.text) : undefined;
  if (named !== undefined && named !== handover.category) return { ...options, handover: undefined };
  return describedIn(options.text) !== undefined ? { ...options, handover: { from: handover.from, ...(handover.category ? { category: handover.category } : {}) } } : options;
}

export function categoryFromContext(options: ProcedureOptions): TicketCategory | undefined {
  const given = options.handover?.category;
  if (given && isCategory(given)) return given;
  return categoryOfSource(options.handover?.from) ?? categoryOfSource(options.entryId);
}

/**
 * The category a ticket is filed under: the one chosen or named, else the one its description's words name, else
 * "other" (asked only while nothing is known of the problem: one told is filed, and the summary shows where).
 */
export function categoryOf(values: TicketDraft): TicketCategory {
  return values.category ?? categoryFromText(values.description ?? '') ?? 'other';
}

/**
 * The category a sentence names ("raise a ticket about billing", "saya dicaj dua kali", "tak boleh log masuk
 * ebiz"), in this order of precedence (a bill about a plan is a billing matter). Undefined when none does.
 */
const CATEGORY_WORDS: Array<[TicketCategory, RegExp]> = [
  ['billing', /\b(bil|bill|bills|billed|billing|caj|charge[ds]?|dicaj|overcharged?|invois|invoice|tertunggak|tunggakan|outstanding|arrears?)\b/i],
  ['ebiz-purchase', /\b(beli|membeli|dibeli|bought|buy|paid|pay|bayar|dibayar|pembelian|purchase[ds]?|orders?|pesanan|refund|bayaran|payments?|resit|receipt|top[-\s]?ups?|tambah\s*nilai|reload)\b/i],
  ['ebiz-account', /\b(ebiz|akaun|account|login|log\s*masuk|log\s*in|daftar|register|password|kata\s*laluan|migrat\w*|naik\s*taraf|upgrade)\b/i],
  ['plan-switch', /\b(tukar\s*(pelan|plan)|switch\w*|change\s*(my\s*)?plan|pelan|plan|prepaid|postpaid|prabayar|pascabayar|penalti|penalty|kontrak|contract)\b/i],
  ['other', /\b(lain-lain|something else|other)\b/i],
];

/** The word "category" and what introduces the category after it ("Category:", "kategori ialah"). */
const CATEGORY_WORD = '(?:category|kategori)\\s*(?::|-|is|ialah|adalah)?';
/** A category named as such ("Category: other, …", "kategori bil"), or as what a complaint is about ("buat aduan pasal penukaran pelan ni"). */
const NAMED_CATEGORY = new RegExp(
  `\\b(?:${CATEGORY_WORD}|(?:aduan|complaint|ticket|tiket)\\s+(?:pasal|tentang|mengenai|berkenaan|about|regarding|under|di\\s+bawah|bawah|for|untuk))\\s*([^,.;!?\\n]{1,40})`,
  'i',
);
/** A topic set aside ("not billing", "bukan pasal bil", "not about an account or a purchase"): no category of the ticket. */
const NOT_TOPIC_WORD = '(?:the\\s+|my\\s+|an?\\s+)?(?:bil|bill|bills|billing|akaun|account|plan|pelan|purchase|pembelian|ebiz|login)\\b';
const NOT_TOPIC = new RegExp(
  `\\b(?:not|bukan)\\s+(?:about\\s+|related\\s+to\\s+|pasal\\s+|tentang\\s+)?${NOT_TOPIC_WORD}(?:\\s*(?:,|or|nor|and|atau|dan)\\s+(?:about\\s+|pasal\\s+)?${NOT_TOPIC_WORD})*`,
  'gi',
);

/** Words that name a category and nothing else ("eBiz purchase", "billing", "plan switch", "kategori lain-lain"). */
const CATEGORY_ONLY_WORDS = new Set([
  'ebiz', 'e-biz', 'purchase', 'purchases', 'payment', 'payments', 'pembelian', 'bayaran', 'account', 'akaun', 'billing', 'bill',
  'bills', 'bil', 'plan', 'pelan', 'switch', 'switching', 'tukar', 'penukaran', 'other', 'lain-lain', 'lain', 'category', 'kategori',
  'digi', 'and', 'dan',
]);

/** A message of at most four words, all of them a category's words: the category named, not a person's name. */
function namesCategoryOnly(text: string): boolean {
  const ws = words(text.toLowerCase().replace(/[^\p{L}\s-]+/gu, ' '));
  return ws.length > 0 && ws.length <= 4 && ws.every((w) => CATEGORY_ONLY_WORDS.has(w)) && categoryIn(text) !== undefined;
}

/** The first category whose words the text holds. */
const categoryIn = (text: string): TicketCategory | undefined => CATEGORY_WORDS.find(([, re]) => re.test(text))?.[0];

/** A category named with the word itself ("category other", "kategori: bil"): it replaces one inferred before. */
const CATEGORY_NAMED_AS_SUCH = new RegExp(`\\b${CATEGORY_WORD}\\s*([^,.;!?\\n]{1,40})`, 'i');

export function explicitCategory(text: string): { category: TicketCategory; text: string } | undefined {
  const m = CATEGORY_NAMED_AS_SUCH.exec(text.slice(0, 500));
  const category = m ? categoryIn(m[1]!) : undefined;
  return m && category ? { category, text: m[0] } : undefined;
}

export function categoryFromText(text: string): TicketCategory | undefined {
  const t = text.slice(0, 500).replace(NOT_TOPIC, ' ');
  // named as such, or as the opening words alone ("Plan switch. My line shows suspended …", "Bil, sy dicaj …")
  const opening = /^\s*([^,.;:!?\n]{2,40})[,.;:!?\n]/.exec(t)?.[1];
  const named = NAMED_CATEGORY.exec(t)?.[1] ?? (opening && opening.trim().split(/\s+/).length <= 3 ? opening : undefined);
  const category = (named ? categoryIn(named) : undefined) ?? categoryIn(t);
  // "eBiz" alone names the portal, an account's or a purchase's: the rest of the story says which ("nak buat aduan
  // pasal eBiz. sy dah beli data digital tp fail x blh download" is about a purchase)
  if (category === 'ebiz-account' && named && /^\s*(?:(?:the|my|sistem|portal)\s+)?e-?biz(?:\s+(?:v?2(?:\.0)?|portal|system|sistem))?\s*$/i.test(named)) {
    return categoryIn(t.replace(/\be-?biz\b/gi, ' ')) ?? category;
  }
  // a payment to the mobile operator is a matter of its bills, not an eBiz purchase ("I already paid that RM45.20 last
  // week at the Digi store")
  if (category === 'ebiz-purchase' && !named && DIGI_WORDS.test(t) && !EBIZ_WORDS.test(t)) return 'billing';
  return category;
}

/** Words that place a story with the mobile operator, and with the eBiz portal (categoryFromText). */
const DIGI_WORDS = /\b(?:digi|line|talian|pre-?paid|post-?paid|prabayar|pascabayar|pelan|plan)\b/i;
const EBIZ_WORDS = /\b(?:e-?biz|jupem|peta|maps?|data|lesen|licen[cs]e|remit|kaunter|counter)\b/i;

/** A button's text as clicked or typed: lower case, single spaces, no trailing "?", "." or "!" (normaliseText). */
const normal = (s: string) => normaliseText(s, { trimQuestionEnd: true });

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);

/** The text without its e-mail addresses and mobile numbers (what is left tells the problem, or a name). */
function withoutContacts(text: string): string {
  let t = text;
  for (const e of findEmails(t)) t = t.replace(e.text, ' ');
  for (const p of findPhones(t)) t = t.replace(p.text, ' ');
  return t;
}

/** Words that label a contact anywhere in a message ("no tel sy", "my email", "no. hp"): no answer of their own. */
const CONTACT_LABELS = /\b(?:no\.?\s*(?:tel|telefon|hp|handphone|phone|fon)|nombor\s*(?:tel|telefon|hp)?|e-?mails?|e-?mels?|emel|phone|tel|hp|contact)\b/gi;

/**
 * One of them at the end of a story once the contact is taken out ("… around RM76. email", "… my email is", "… Contact
 * me at", "… hubungi sy di").
 */
const CONTACT_LABEL_AT_END = new RegExp(
  `(?<![\\s,;:-])[\\s,;:-]*(?:\\b(?:and|dan|my|sy|saya|you can|u can|boleh)\\s+)?(?:${CONTACT_ME.source}|${CONTACT_LABELS.source})(?:\\s+(?:is|ialah|sy|saya|me|us))?(?:\\s+(?:at|on|di|kat|via))?(?:\\s+(?:atau|or|dan|and))?[\\s:,-]*$`,
  'i',
);

/** The words of a text that carry content: not the lexicon's function words ("I", "want", "to", "nak", "saya"). */
function contentWords(text: string, lex: Lexicon): number {
  return words(text.toLowerCase().replace(/[^\p{L}\d\s'’-]+/gu, ' ')).filter((w) => !lex.stopwords.en.has(w) && !lex.stopwords.ms.has(w)).length;
}

/**
 * The problem told in a message, kept as the description: what follows a colon ("nak buat aduan: sy beli peta
 * …", "I want to raise a ticket: my top-up …"), or the whole message when it tells a story (12 words or more
 * besides an e-mail address or phone number, 7 of them not function words). A bare request ("nak buat aduan",
 * "hold on, let me start over. I want to make a complaint", "raise a ticket, my email is …") has none.
 */
function describedIn(text: string, lex: Lexicon = lexicon()): string | undefined {
  const t = text.trim();
  const afterColon = /^[^:]{1,80}:\s+([\s\S]+)$/.exec(t)?.[1];
  const story = (s: string) => words(withoutContacts(s)).length >= 12 && contentWords(withoutContacts(s), lex) >= 7;
  const afterRequest = afterTicketRequest(t);
  const beforeRequest = beforeTicketRequest(t);
  const told =
    afterColon && words(withoutContacts(afterColon)).length >= 4
      ? afterColon
      : afterRequest && contentWords(withoutContacts(afterRequest), lex) >= 3
        ? afterRequest
        : beforeRequest && contentWords(withoutContacts(beforeRequest), lex) >= 4
          ? beforeRequest
          : story(t)
            ? t
            : undefined;
  return told && told.length >= DESCRIPTION_MIN && told.length <= DESCRIPTION_MAX ? told : undefined;
}

/** The most words of a message's opening that asks for a ticket (with the short clauses before it: "oh wait, cancel that, …"). */
const TICKET_REQUEST_WORDS = 14;

/** The words of a short clause that asks for a ticket. */
const TICKET_WORD = '\\b(?:aduan|complaint|complain|ticket|tiket|laporan|report)\\b';

/** A clause that asks for a ticket in a few words ("I want to make a complaint", "tlg buatkan aduan la", "pls raise a ticket"). */
// (after at most two short clauses before it: "eh tak jadi, sy nk buat aduan sebenarnya. bulan lepas …")
const TICKET_REQUEST_CLAUSE = new RegExp(`^(?:[^,.;!?:\\s]+(?:[^\\S\\n]+[^,.;!?:\\s]+){0,2}[^\\S\\n]*[,.;!?]+\\s*){0,2}[^,.;!?\\n]{0,60}${TICKET_WORD}[^,.;!?\\n]{0,30}[,.;!?\\n]+\\s*`, 'i');

/**
 * What a message tells after the clause that asks for a ticket ("I want to make a complaint, the eBiz website keeps
 * logging me out" → "the eBiz website keeps logging me out"): four words or more besides a contact, else undefined.
 */
function afterTicketRequest(text: string): string | undefined {
  const m = TICKET_REQUEST_CLAUSE.exec(text.slice(0, DESCRIPTION_MAX));
  if (!m || m[0].trim().split(/\s+/).length > TICKET_REQUEST_WORDS) return undefined;
  const rest = text.slice(m[0].length).trim();
  return words(withoutContacts(rest)).length >= 4 ? rest : undefined;
}

/** Every "call me", "hubungi sy" of a text (CONTACT_ME). */
const CONTACT_ME_ALL = new RegExp(CONTACT_ME.source, 'gi');

/** Whether a message gives a contact and at most two other words ("hubungi sy di 012-…", "email me at ali@…"). */
function contactOnly(text: string): boolean {
  const t = text.slice(0, 200);
  if (findEmails(t).length + findPhones(t).length === 0) return false;
  return words(withoutContacts(t).replace(CONTACT_ME_ALL, ' ').replace(CONTACT_LABELS, ' ').replace(/[^\p{L}\s]/gu, ' ')).length <= 2;
}

/** A last clause that asks for a ticket in a few words ("…, can raise a ticket?", "… tolong buat aduan ya"). */
const TICKET_REQUEST_LAST_CLAUSE = new RegExp(`[,.;!?\\n]+\\s*([^,.;!?\\n]{0,60}${TICKET_WORD}[^,.;!?\\n]{0,30})[,.;!?\\s]*$`, 'i');

/**
 * What a message tells before the clause that asks for a ticket at its end ("RM300 penalty is too much la. I want to
 * appeal the contract penalty, can raise a ticket?" → "RM300 penalty is too much la. I want to appeal the contract
 * penalty"): six words or more besides a contact, else undefined.
 */
function beforeTicketRequest(text: string): string | undefined {
  const t = text.slice(0, DESCRIPTION_MAX);
  const m = TICKET_REQUEST_LAST_CLAUSE.exec(t);
  if (!m || m[1]!.trim().split(/\s+/).length > 10) return undefined;
  const before = t.slice(0, m.index).trim();
  return words(withoutContacts(before)).length >= 6 ? before : undefined;
}

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
  // ("Mohd Ali @ Abu Bakar" holds an alias; "… emel sy aminah.abdullah@example.com" an address, no name)
  if (/\S@|@\S/.test(name)) return undefined;
  const ws = name.toLowerCase().split(' ');
  if (ws.length > 8 || detectCommand(name, lex) !== null) return undefined;
  const functionWords = ws.filter((w) => lex.stopwords.en.has(w) || lex.stopwords.ms.has(w)).length;
  // (nor is a function word alone: "call me at 012-…" leaves "me")
  if (functionWords >= 2 || functionWords === ws.length) return undefined;
  return name;
}

/** "Nama sy …", "my name is …", "Name: …": what follows is a name, in any case. */
const STRONG_INTRO = /(?:\bnama\s+(?:penuh\s+)?(?:saya|sy|aku)(?:\s+(?:ialah|adalah|ni|is))?|\bmy\s+(?:full\s+)?name(?:'s|\s+is)?|\bname\s*[:=]|\bnama\s*[:=])\s*[:,-]?\s*/giu;
/** "I'm …", "saya …", "this is …": what follows is a name only when it is written as one (capitals). */
const WEAK_INTRO = /(?:\bi\s*['’]?\s*a?m|\bthis\s+is|\bini|\bsaya|\bsy)\s+/giu;
/** Where a name typed inside a sentence ends: punctuation, a digit or an address, or the next part of the sentence. */
const NAME_END =
  /[,;.!?()\n\d@]|\s(?:and|dan|&|email|e-?mail|e-?mel|emel|mel|no|nombor|number|phone|tel|telefon|hp|my|saya|sy|boleh|can|contact|hubungi|from|dari|here|sini|nak|want|would|just)\b/iu;
/** Words around a contact that are not part of a name ("email sy …", "no tel …", "contact me at …"). */
const CONTACT_WORDS =
  /\b(?:e-?mails?|e-?mels?|emel|mel|no\.?|nombor|number|phone|telefon|tel|hp|handphone|mobile|whatsapp|wa|contact|hubungi|reach|call|at|di|or|atau|and|dan|ok|okay|ya|yes|eh|hi|hello|salam|sorry|maaf|please|pls|tolong|sila|thanks|terima kasih|tq)\b/giu;
/** Lower-case words that belong in a written name ("bin", "a/l"). */
const NAME_PARTICLES = new Set(['bin', 'binti', 'bt', 'bte', 'b.', 'a/l', 'a/p', 's/o', 'd/o', 'al', 'van', 'de', 'da', 'ak', 'anak']);

/** Every word of the name begins with a capital letter (but for particles such as "bin" and "a/l"). */
function writtenAsName(name: string): boolean {
  return words(name).every((w) => NAME_PARTICLES.has(w.toLowerCase()) || /^\p{Lu}/u.test(w));
}

/** The name after an introduction inside a sentence ("…, nama sy Tan Wei Ming, email …"). */
function introducedName(text: string, lex?: Lexicon): string | undefined {
  const t = text.slice(0, MAX_SLOT_TEXT);
  const after = (re: RegExp, strong: boolean): string | undefined => {
    let tried = 0;
    for (const m of t.matchAll(re)) {
      // bounded: a name is short, and only the first few introductions are read
      if (++tried > 20) break;
      const rest = t.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2 * NAME_MAX);
      const end = NAME_END.exec(rest);
      const candidate = (end ? rest.slice(0, end.index) : rest).trim();
      if (words(candidate).length === 0 || words(candidate).length > 6) continue;
      if (!strong && !writtenAsName(candidate)) continue;
      const name = parseName(candidate, lex);
      if (name) return name;
    }
    return undefined;
  };
  return after(STRONG_INTRO, true) ?? after(WEAK_INTRO, false);
}

/**
 * A name written beside a contact in a short message ("Aminah binti Abdullah, aminah@example.com", "John Smith,
 * 012-345 6789"): what is left without the contact and the words around it. `anyCase`: the name was asked for
 * (then "aminah binti abdullah" is a name too); otherwise it must be written as one.
 */
function nameBesideContact(text: string, anyCase: boolean, lex?: Lexicon): string | undefined {
  const correction = findCorrection(text);
  // valid contacts, then what was meant as one ("ali@example", "012-34")
  const rest = withoutContacts(correction ? correction.after : text)
    .replace(/(?<!\S)\S*@\S*/g, ' ')
    .replace(/[+\d][\d\s-]*\d|\d/g, ' ')
    .replace(CONTACT_WORDS, ' ')
    .replace(/[,;:!?()]+/g, ' ')
    .replace(/(?<!\s)\s+\.|\.\s*$/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (words(rest).length === 0 || words(rest).length > 6) return undefined;
  // (a sentence and then the contact, "wakil lama dah berhenti kerja. emel sy …", tells something: a name written in
  // small letters is never two sentences; "Dr. Tan Wei Ming" written as a name is one)
  const told = /[.!?]\s+\S/.test(rest);
  if ((!anyCase || told) && !writtenAsName(rest.replace(NAME_INTRO, ''))) return undefined;
  return parseName(rest, lex);
}

/**
 * A name typed alone where it was asked ("Rajesh a/l Kumar", "aminah binti abdullah", "Ali"): one word only when
 * written as a name, so that "hantar" or "ok" is not taken for one.
 */
function bareName(text: string, lex?: Lexicon): string | undefined {
  const name = parseName(text, lex);
  if (!name || yesNoIn(name) !== null) return undefined;
  return writtenAsName(name) || words(name).length >= 2 ? name : undefined;
}

/**
 * A question mark at the end, or a first word (or two) of the last sentence in the lexicon's questionStarts ("apa",
 * "macam mana", "how").
 */
function isQuestion(text: string, lex: Lexicon = lexicon()): boolean {
  if (/\?\s*$/.test(text.trim())) return true;
  // (the last sentence asks: "what? I only changed once lah. I want to complain … email me at …" tells, after a "what?")
  const sentences = text.trim().split(/(?<=[.!?])\s+/);
  const last = sentences[sentences.length - 1] ?? '';
  const [first = '', second] = last.toLowerCase().split(/[^\p{L}\d'’-]+/u).filter(Boolean);
  return lex.questionStarts.has(first) || (second !== undefined && lex.questionStarts.has(`${first} ${second}`));
}

/** A phone-shaped number that is not a valid Malaysian mobile number ("012-345", "+60 3 1234"). */
const PHONE_ATTEMPT = /(?<![\d])(?:\+?60|0)1[\d\s-]{5,14}\d(?![\d])/;
/** An address-shaped word that is not a valid e-mail ("ali@example"). */
// (a match starts only where a run of address characters starts: tried from every character of a long run with no "@",
// it scanned the rest of the run each time, quadratic time)
const EMAIL_ATTEMPT = /(?<![\p{L}\d._%+-])[\p{L}\d._%+-]+@[\p{L}\d.-]*/u;

/** Consent in a sentence: "ya sy setuju", "yes I agree", "I consent"; a refusal wins ("tak setuju", "I don't agree"). */
const CONSENT_NO = /\b(?:tak|tidak|x|not|don'?t|do not|dont|never|bukan)\s+(?:\w+\s+)?(?:setuju|bersetuju|agree|consent|izin|benarkan)\b|\b(?:disagree|refuse)\b/i;
const CONSENT_YES = /\b(?:setuju|bersetuju|agree[ds]?|consent|izinkan|benarkan|i do)\b/i;

const SUBMIT_WORDS = /^(?:(?:ok|okay|ya|yes|boleh|baik|sure)[\s,.!]*)?(?:submit|hantar|send|proceed|teruskan)\b/i;
// "Ubah", "nak ubah sikit", "I want to change something": the whole message asks to edit ("tukar pelan" is a
// category's words, not an edit)
const EDIT_WORDS =
  /^(?:(?:saya|sy|i|nak|nk|mahu|want to|would like to|let me|can i|boleh)\s+){0,2}(?:edit|ubah|betulkan|tukar|change|correct)(?:\s+(?:sikit|sedikit|something|it|this|details?|maklumat|sesuatu|dulu|please|pls|la|lah))*$/;

/**
 * A field named with its new value: "change the description to: …", "update my email to ali@example.com", "tukar nama
 * kepada Ali bin Abu", "ubah keterangan jadi …" (the field's words, at most two, read by parseField).
 */
const FIELD_VALUE_RE =
  /^\s*(?:(?:please|pls|tolong|nak|nk|can you|could you|boleh|i want to|i'd like to|let me)\s+)*(?:change|update|edit|set|replace|correct|make|tukar|tukarkan|ubah|ubahkan|kemaskini|betulkan)\s+(?:the\s+|my\s+)?(\S+(?:\s+\S+)?)\s+(?:to|into|as|kepada|kpd|jadi|ke)(?:\s*[:\-–]\s*|\s+)(\S[\s\S]*)$/i;

/** The fields of a ticket the customer can change at its summary (a value given for one of them is the edit). */
const EDITABLE = new Set<keyof TicketDraft>(['category', 'description', 'name', 'email', 'phone']);

export class TicketDialog extends SlotProcedure<TicketDraft> {
  protected readonly gaveUpKey = 'tickets.gave-up';
  protected override readonly confirmRetryKey = 'tickets.confirm.retry';
  /** A ticket once stored is not raised again by a correction right after it. */
  protected override readonly reopenable = false;

  protected readonly slots: Slot<TicketDraft>[] = [
    {
      name: 'edit',
      missing: (v) => v.edit === 'pick',
      ask: (c) => ({ text: this.t(c, 'tickets.ask-edit'), choices: fieldChoices(this.catalog, this.lang(c)) }),
      answer: (text, c, values) => {
        const edited = this.editWithValue(text, c, values);
        if (edited) return edited;
        const field = this.parseField(text);
        if (!field) return { ok: false, key: 'tickets.edit.retry' };
        // the new contact in the same message ("change the contact email to kevin@…"): taken, not asked for
        const given = field === 'contact' ? this.extract(text, c, values).values : {};
        return {
          ok: true,
          apply: (v) => {
            this.clearField(v, field);
            if (given.email) v.email = given.email;
            if (given.phone) v.phone = given.phone;
          },
        };
      },
    },
    {
      name: 'category',
      // (asked while nothing is known of the problem: a problem told is filed under the category its words name,
      // categoryOf, and the summary shows it, to change if wrong)
      missing: (v) => v.category === undefined && v.description === undefined,
      ask: (c) => ({ text: this.t(c, 'tickets.ask-category'), choices: categoryChoices(this.catalog, this.lang(c)) }),
      answer: (text, _c, values) => this.answerCategory(text, values),
    },
    {
      name: 'description',
      missing: (v) => v.description === undefined,
      ask: (c) => ({ text: this.t(c, 'tickets.ask-description', { max: DESCRIPTION_MAX }) }),
      answer: (text, c, values) => this.answerDescription(text, c, values),
      freeText: true,
    },
    {
      name: 'name',
      missing: (v) => v.edit === 'name',
      ask: (c) => ({ text: this.t(c, 'tickets.ask-name') }),
      answer: (text, c) => {
        const name = introducedName(text, turnLexicon(c)) ?? parseName(text, turnLexicon(c));
        return name
          ? {
              ok: true,
              apply: (v) => {
                v.name = name;
                delete v.edit;
              },
            }
          : { ok: false, key: 'tickets.name.invalid' };
      },
      freeText: true,
    },
    {
      name: 'contact',
      missing: (v) => !v.email && !v.phone,
      // one question for the name and the contact; once the name is known, for the contact only
      ask: (c, v) => ({ text: this.t(c, v.name ? 'tickets.ask-contact' : 'tickets.ask-reach') }),
      answer: (text, c) => this.answerContact(text, c),
    },
    {
      name: 'consent',
      missing: (v) => v.consent === undefined,
      // the ticket to check with the consent: agreeing submits it
      ask: (c, v) => consentReply(this.catalog, this.lang(c), { ...v, category: categoryOf(v) }),
      answer: (text, c, values) => {
        const edited = this.editWithValue(text, c, values);
        if (edited) return edited;
        const added = this.contactAdded(text);
        if (added) return added;
        const consent = this.readConsent(text);
        if (consent === 'edit') return { ok: true, apply: (v) => void (v.edit = 'pick') };
        if (consent === undefined) return { ok: false, key: 'tickets.consent.retry' };
        return {
          ok: true,
          apply: (v) => {
            v.consent = consent;
            if (consent) v.submitNow = true;
          },
        };
      },
    },
  ];

  constructor(private readonly deps: TicketDialogDeps) {
    super('ticket', deps.catalog);
  }

  /** What is known before any message: a handover's category, what went wrong (masked), the WhatsApp sender. */
  protected initial(options: ProcedureOptions, context: TurnContext): TicketDraft {
    const draft: TicketDraft = { requestKey: randomUUID() };
    const category = categoryFromContext(options);
    if (category) draft.category = category;
    // (the FAQ answered on the previous turn, if any: a ticket asked for right after it is most likely about it)
    const answered = answeredBefore(context);
    const summary = options.handover?.summary?.trim();
    if (summary) {
      const masked = redactPersonalData(summary);
      draft.excerpt = masked;
      if (masked.length >= DESCRIPTION_MIN && masked.length <= DESCRIPTION_MAX) draft.description = masked;
    } else {
      // asked for right after a message the bot could not answer: that message is what the ticket is about; right
      // after a question it answered, when the request points back to it ("yes pls open a ticket for this")
      const declined = declinedBefore(context)?.trim();
      // (or gives only a way to reach the customer: "hubungi sy di 012-…" right after "tolong waive penalti tu boleh?")
      const request = options.text ?? '';
      // (or a way to reach them with no story of its own: "my email is …, or call this same number 012-…")
      const reachOnly = contactOnly(request) || (givesContact(request, !!verifiedPhone(context)) && describedIn(request) === undefined);
      const before = declined ?? (answered && (POINTS_BACK.test(request) || reachOnly) ? answered.text.trim() : undefined);
      const masked = before ? redactPersonalData(before) : '';
      if (masked.length >= DESCRIPTION_MIN && masked.length <= DESCRIPTION_MAX && words(masked).length >= 4) {
        draft.description = masked;
        // (the request's own words first: "nak buat aduan la pasal bil ni"; then the entry that answered the question,
        // then the question's words)
        const named = draft.category ?? categoryFromText(options.text ?? '') ?? (declined ? undefined : categoryOfSource(answered?.entryId)) ?? categoryFromText(masked);
        if (named) draft.category = named;
      }
    }
    // a ticket asked for right after an answer is most likely about that question ("ok tlg buatkan aduan la. wakil lama
    // … dah resign" after how to change the company representative): its category, unless the words name one
    if (draft.category === undefined && !categoryFromText(options.text ?? '')) {
      const category = categoryOfSource(answered?.entryId);
      if (category) draft.category = category;
    }
    const source = options.handover?.from ? `procedure:${options.handover.from}` : options.entryId ? `entry:${options.entryId}` : undefined;
    if (source) draft.source = source;
    // WhatsApp vouches for the sender's number: it is how customer service can reach them
    const phone = verifiedPhone(context);
    if (phone) draft.phone = phone;
    // asked for again after it was set aside for another midway ("ok sambung aduan tadi …" once the line is checked):
    // what it had been told (SlotProcedure.beginDialog hands the values over as the prefill)
    const kept = (options as ProcedureOptions & { prefill?: Partial<TicketDraft> }).prefill;
    for (const key of KEPT_WHEN_SET_ASIDE) if (kept?.[key] !== undefined) draft[key] = kept[key] as never;
    return draft;
  }

  override async beginDialog(dc: DialogContext, given?: ProcedureOptions): Promise<DialogTurnResult> {
    const options = given && withOwnMatter(given);
    await this.say(dc.context, options?.handover ? 'tickets.intro.handover' : 'tickets.intro');
    return super.beginDialog(dc, options);
  }

  /**
   * Every value a message gives: the category its words name (while none is chosen, or in a correction), the
   * problem it tells (while none is told), a name introduced ("nama sy …", "my name is …") or written beside a
   * contact, e-mail addresses and mobile numbers; an address or number typed wrongly is a problem to say.
   */
  protected extract(text: string, context: TurnContext, values: TicketDraft): Extracted<TicketDraft> {
    const t = text.slice(0, MAX_SLOT_TEXT);
    const lex = turnLexicon(context);
    const found: Partial<TicketDraft> = {};
    let problem: Problem | undefined;
    const correction = findCorrection(t);
    // a new description given as such ("change the description to: … on line 0121000005 …") is the edit's, read by the
    // question's answer (editWithValue): the numbers and words in it are no values of their own
    if (this.fieldWithValue(t)?.field === 'description') return { values: {} };

    const emails = findEmails(t);
    const phones = findPhones(t);
    if (emails[0]) found.email = emails[0].value;
    if (phones[0]) found.phone = phones[0].value;
    if (emails.length === 0 && EMAIL_ATTEMPT.test(t)) problem = { key: 'tickets.contact.invalid-email' };
    else if (phones.length === 0 && emails.length === 0 && PHONE_ATTEMPT.test(t)) problem = { key: 'tickets.contact.invalid-phone' };

    // ("category other, email me at …": the category's words are no name)
    const explicit = explicitCategory(t);
    const named = explicit ? t.replace(explicit.text, ' ') : t;
    const name = introducedName(named, lex) ?? (emails.length + phones.length > 0 ? nameBesideContact(named, false, lex) : undefined);
    if (name) found.name = name;

    // a question asked midway ("macam mana nak naik taraf akaun?") is the router's to answer: its words name no
    // category and tell no problem
    const question = isQuestion(t, lex);
    const byId = this.categoryById(t);
    if (byId) found.category = byId;
    else if (explicit && !question) found.category = explicit.category;
    else if (!question && (values.category === undefined || (correction && Object.keys(found).length === 0))) {
      const category = categoryFromText(correction && values.category !== undefined ? correction.after : t);
      if (category) found.category = category;
    } else if (!question && emails.length + phones.length === 0 && words(t).length <= 2 && detectCommand(t, lex) === null && !this.parseField(t)) {
      // a category's name alone ("purchase", "bil") where something else is asked: the category, chosen (one inferred
      // from the problem's words, categoryOf, is replaced); its words only, not a label's likeness ("Edit" is a button)
      const category = this.categoryById(t) ?? categoryFromText(t);
      if (category && category !== values.category) found.category = category;
    }

    // (a question that is the ticket's request, after the story, "… appeal the contract penalty, can raise a ticket?",
    // tells it)
    if (values.description === undefined && (!question || beforeTicketRequest(t))) {
      const description = describedIn(t, lex);
      if (description) found.description = description;
    } else if (values.description !== undefined && !question && !explicit && emails.length + phones.length > 0) {
      // more of the story told with the contact ("my January bill charged the full RM58 plus the full RM80, pro-rata
      // should be around RM76. email …"): added to the description, not lost
      const told = describedIn(t, lex);
      const more = told ? withoutContacts(told).replace(/\s+/g, ' ').replace(CONTACT_LABEL_AT_END, '').trim() : '';
      const joined = more && !values.description.includes(more) ? `${values.description.replace(/([^.!?])$/, '$1.')} ${more}` : undefined;
      if (joined && joined.length <= DESCRIPTION_MAX) found.description = joined;
    }
    return { values: found, problem };
  }

  /** The procedure that handed this ticket over (src/bot/procedure.ts handedOverFrom). */
  cameFrom(dc: DialogContext): string | undefined {
    const source = (dc.activeDialog?.state.engine as EngineState<TicketDraft> | undefined)?.values.source;
    return source?.startsWith('procedure:') ? source.slice('procedure:'.length) : undefined;
  }

  /**
   * A ticket hears the customer's account of a problem: a message that only tells (src/bot/procedure.ts
   * hearsAccount) is part of it, whatever procedure its values or words would fit.
   */
  hearsAccount(): boolean {
    return true;
  }

  /** A ticket is asked for, never inferred from the values a message gives (an e-mail and a category are no request). */
  override givesValues(): boolean {
    return false;
  }

  /** Whether the message gives a value of the ticket, or answers the question asked (a name alone, consent). */
  override absorbs(dc: DialogContext, text: string): boolean {
    if (super.absorbs(dc, text)) return true;
    const state = dc.activeDialog?.state.engine as EngineState<TicketDraft> | undefined;
    if (!state || state.confirming) return false;
    const lex = turnLexicon(dc.context);
    switch (state.asking) {
      case 'contact':
        return !!bareName(text, lex);
      case 'consent':
        return this.readConsent(text) !== undefined || !!this.fieldWithValue(text);
      case 'edit':
        return this.parseField(text) !== undefined || !!this.fieldWithValue(text);
      case 'category':
        // "apa itu ebiz?" names a category's words, but is a question for the router
        return !isQuestion(text, lex) && this.parseCategory(text) !== undefined;
      default:
        return false;
    }
  }

  /**
   * At the summary (with the consent, or again after a failure), the ticket may already exist: the turn that
   * stored it was cut off (a crash) before its state was saved. Any message but "Submit" (or "yes") is then not an
   * answer to the summary (the customer may have had the confirmation meanwhile, from the start-of-turn hook or the
   * background delivery, and moved on): the router closes this procedure and handles the message as a new one
   * (src/bot/procedure.ts isStale). "Submit" finds the stored ticket by its requestKey and gives its confirmation,
   * once (act).
   */
  async stale(dc: DialogContext, text: string): Promise<boolean> {
    const state = dc.activeDialog?.state.engine as EngineState<TicketDraft> | undefined;
    // the summary: with the consent (agreeing submits), or again after a failure to store
    const atSummary = state?.confirming || state?.asking === 'consent';
    if (!state || !atSummary || this.readYesNo(text) === 'yes') return false;
    return !!(await this.deps.tickets.findByRequestKey(state.values.requestKey));
  }

  /** Submit (yes) or Edit (no) at the summary: its buttons, their words in either language, yes and no. */
  protected override readYesNo(text: string): 'yes' | 'no' | null {
    if (text === SUBMIT_ID) return 'yes';
    if (text === EDIT_ID) return 'no';
    const t = normal(text);
    for (const lang of ['ms', 'en'] as const) {
      if (t === normal(this.catalog.t(lang, 'tickets.button.submit'))) return 'yes';
      if (t === normal(this.catalog.t(lang, 'tickets.button.edit'))) return 'no';
    }
    if (SUBMIT_WORDS.test(t)) return 'yes';
    if (EDIT_WORDS.test(t)) return 'no';
    const command = detectCommand(text);
    if (command === 'yes' || command === 'no') return command;
    return yesNoIn(text);
  }

  /** The summary; after consent was refused, nothing more (the procedure ends, nothing stored). */
  protected override async confirmation(context: TurnContext, values: TicketDraft): Promise<Reply | Outcome | undefined> {
    if (values.consent === false) {
      await this.say(context, 'tickets.consent.declined');
      return { done: true };
    }
    if (values.submitNow) return undefined;
    return summaryReply(this.catalog, this.lang(context), { ...values, category: categoryOf(values) });
  }

  /**
   * A value changed by a correction: the summary is shown again before anything is stored. Asked what to edit, a
   * message that gives the new value itself ("emel yang betul azman@…") is that edit: nothing more to pick.
   */
  protected override invalidate(values: TicketDraft, changed: (keyof TicketDraft)[]): void {
    delete values.submitNow;
    if (values.edit === 'pick' && changed.some((k) => EDITABLE.has(k))) delete values.edit;
  }

  /** "Edit" at the summary: what to change is asked. */
  protected override async declined(_context: TurnContext, values: TicketDraft): Promise<Outcome> {
    values.edit = 'pick';
    return { done: false };
  }

  /** Stores the ticket (idempotent by requestKey) and gives its reference; a failure keeps the summary. */
  protected async act(context: TurnContext, values: TicketDraft): Promise<Outcome> {
    const lang = this.lang(context);
    try {
      const { ticket, duplicate, confirmation } = await this.deps.tickets.create({
        requestKey: values.requestKey,
        category: categoryOf(values),
        description: values.description!,
        name: values.name,
        email: values.email,
        phone: values.phone,
        lang,
        channel: context.activity.channelId,
        channelUserId: context.activity.from?.id ?? context.activity.conversation.id,
        conversationRef: TurnContext.getConversationReference(context.activity),
        excerpt: values.excerpt,
        source: values.source,
      });
      // (recorded before the confirmation is sent: what watches this turn's replies, the queue a ticket offered there
      // takes the customer out of, sees it with the confirmation)
      recordOutcome(context, { procedure: 'ticket', reference: ticket.reference, category: categoryOf(values) });
      await deliverConfirmation(context, this.deps.tickets, this.deps.log, {
        reference: ticket.reference,
        text: duplicate ? this.deps.tickets.confirmationText(ticket.reference, lang) : confirmation,
        lang,
      });
      return { done: true, result: { reference: ticket.reference } };
    } catch (err) {
      this.deps.log.error({ err }, 'ticket could not be stored');
      // back to the summary: everything gathered is kept
      delete values.submitNow;
      return { done: false, problem: { key: 'tickets.error.save' } };
    }
  }

  private answerCategory(text: string, values: TicketDraft): SlotAnswer<TicketDraft> {
    const category = this.parseCategory(text);
    if (category) return { ok: true, apply: (v) => (v.category = category) };
    // a description typed where the category was asked is kept, with the category its words name (if any)
    const t = text.trim();
    if (values.description === undefined && words(t).length >= 4 && t.length >= DESCRIPTION_MIN && t.length <= DESCRIPTION_MAX) {
      const named = categoryFromText(t);
      return {
        ok: true,
        apply: (v) => {
          v.description = t;
          if (named) v.category = named;
        },
      };
    }
    return { ok: false, key: 'tickets.category.retry' };
  }

  private answerDescription(text: string, context: TurnContext, values: TicketDraft): SlotAnswer<TicketDraft> {
    const t = text.trim();
    // a way to reach the customer or their name told with the problem ("…, call me on 012-345 6789") is kept too
    const found = this.extract(t, context, values).values;
    if (t.length > DESCRIPTION_MAX) return { ok: false, key: 'tickets.description.too-long', vars: { length: t.length, max: DESCRIPTION_MAX } };
    // an e-mail address or a number alone tells no problem (it is a contact: taken as such by the engine)
    // (nor with its label: "my email is …", "no tel sy …")
    if (t.length < DESCRIPTION_MIN || withoutContacts(t).replace(/[^\p{L}]/gu, '').length < DESCRIPTION_MIN || contactOnly(t)) return { ok: false, key: 'tickets.description.too-short' };
    // a yes, a no or thanks alone ("ok setuju") tells no problem either
    if (words(t).length <= 3 && detectCommand(t, turnLexicon(context)) !== null) return { ok: false, key: 'tickets.description.too-short' };
    return {
      ok: true,
      apply: (v) => {
        v.description = t;
        for (const key of ['email', 'phone', 'name'] as const) if (found[key] && !v[key]) v[key] = found[key];
      },
    };
  }

  /** The answer to "your name and an e-mail or phone number": both, the contact alone, or the name alone. */
  private answerContact(text: string, context: TurnContext): SlotAnswer<TicketDraft> {
    const lex = turnLexicon(context);
    const contact = parseContact(text);
    // a name beside a contact, also one typed wrongly ("Ali bin Abu, ali@example"), or alone
    const attempted = contact.ok || text.includes('@') || /\d/.test(text);
    // (a category's words alone, "eBiz purchase", are the category: no name)
    const bare = namesCategoryOnly(text) ? undefined : bareName(text, lex);
    const name = introducedName(text, lex) ?? bare ?? (attempted ? nameBesideContact(text, true, lex) : undefined);
    if (contact.ok) {
      return {
        ok: true,
        apply: (v) => {
          if (contact.value.email) v.email = contact.value.email;
          if (contact.value.phone) v.phone = contact.value.phone;
          if (name) v.name = name;
        },
      };
    }
    // the name alone (the contact is asked again, for itself), or with a contact typed wrongly (said)
    const said = contact.reason !== 'tickets.contact.missing' || attempted;
    if (name) return { ok: true, apply: (v) => (v.name = name), problem: said ? { key: contact.reason } : undefined };
    return { ok: false, key: contact.reason };
  }

  /**
   * A contact given where the consent is asked ("no tel sy 013-5567788": "no" is "nombor", no refusal): added to the
   * ticket (an address replaces the address, a number the number), which is shown again; with an agreement beside it
   * ("ya setuju, emel sy …"), submitted.
   */
  private contactAdded(text: string): SlotAnswer<TicketDraft> | undefined {
    const t = text.slice(0, MAX_SLOT_TEXT);
    const email = findEmails(t)[0]?.value;
    const phone = findPhones(t)[0]?.value;
    if (!email && !phone) return undefined;
    const rest = withoutContacts(t).replace(CONTACT_LABELS, ' ');
    const agreed = this.readConsent(rest) === true;
    return {
      ok: true,
      apply: (v) => {
        if (email) v.email = email;
        if (phone) v.phone = phone;
        if (agreed) {
          v.consent = true;
          v.submitNow = true;
        }
      },
    };
  }

  /**
   * The answer to the summary with the consent: agreed (also "hantar", "submit": it asks to agree and submit),
   * refused, or edit first.
   */
  private readConsent(text: string): boolean | 'edit' | undefined {
    if (text === EDIT_ID || EDIT_WORDS.test(normal(text))) return 'edit';
    if (text === SUBMIT_ID || SUBMIT_WORDS.test(normal(text))) return true;
    if (text === YES_ID) return true;
    if (text === NO_ID) return false;
    const t = text.slice(0, 200);
    if (CONSENT_NO.test(t)) return false;
    const command = detectCommand(t);
    if (command === 'yes') return true;
    if (command === 'no') return false;
    if (CONSENT_YES.test(t)) return true;
    const yesNo = yesNoIn(t);
    return yesNo === 'yes' ? true : yesNo === 'no' ? false : undefined;
  }

  /** A category button's id ("billing"). */
  private categoryById(text: string): TicketCategory | undefined {
    const t = text.trim();
    return isCategory(t) ? t : undefined;
  }

  /** A category chosen: its id (a button), its number, its label typed (typos too), or named in a short answer. */
  private parseCategory(text: string): TicketCategory | undefined {
    const byId = this.categoryById(text);
    if (byId) return byId;
    const t = normal(text);
    const n = Number(t);
    if (Number.isInteger(n) && n >= 1 && n <= TICKET_CATEGORIES.length) return TICKET_CATEGORIES[n - 1]!;
    if (t.split(' ').length > 6) return undefined;
    const fuzzy = fuzzyPick(
      text,
      TICKET_CATEGORIES.map((c) => ({ value: c, labels: [this.catalog.t('ms', `tickets.category.${c}`), this.catalog.t('en', `tickets.category.${c}`)] })),
    );
    return fuzzy ?? categoryFromText(t);
  }

  /** What to change: a field button's id, its label in either language, or words naming it. */
  private parseField(text: string): TicketField | undefined {
    for (const f of TICKET_FIELDS) if (text === fieldId(f)) return f;
    const t = normal(text);
    for (const f of TICKET_FIELDS) {
      if (t === f) return f;
      for (const lang of ['ms', 'en'] as const) if (normal(this.catalog.t(lang, `tickets.field.${f}`)) === t) return f;
    }
    if (t.split(' ').length > 6) return undefined;
    if (/e-?mel|e-?mail|phone|telefon|nombor|number|hubung|contact/.test(t)) return 'contact';
    if (/nama|name/.test(t)) return 'name';
    if (/kategori|category/.test(t)) return 'category';
    if (/terang|descri|masalah|problem/.test(t)) return 'description';
    return undefined;
  }

  /** "change the description to: …", "tukar nama kepada Ali bin Abu": the field and its new value in one message. */
  private fieldWithValue(text: string): { field: TicketField; value: string } | undefined {
    const m = FIELD_VALUE_RE.exec(text.slice(0, MAX_SLOT_TEXT));
    const field = m ? this.parseField(m[1]!) : undefined;
    const value = m?.[2]!.trim();
    return field && value ? { field, value } : undefined;
  }

  /**
   * At the summary or at "what would you like to change?", a field named with its new value is that edit, read by the
   * field's own parser; a value it refuses is said as at its question (undefined: no field with a value).
   */
  private editWithValue(text: string, context: TurnContext, values: TicketDraft): SlotAnswer<TicketDraft> | undefined {
    const edit = this.fieldWithValue(text);
    if (!edit) return undefined;
    const { field, value } = edit;
    let answer: SlotAnswer<TicketDraft>;
    if (field === 'description') answer = this.answerDescription(value, context, { ...values, description: undefined });
    else if (field === 'contact') answer = this.answerContact(value, context);
    else if (field === 'category') {
      const category = this.parseCategory(value);
      answer = category ? { ok: true, apply: (v) => void (v.category = category) } : { ok: false, key: 'tickets.category.retry' };
    } else {
      const name = introducedName(value, turnLexicon(context)) ?? parseName(value, turnLexicon(context));
      answer = name ? { ok: true, apply: (v) => void (v.name = name) } : { ok: false, key: 'tickets.name.invalid' };
    }
    if (!answer.ok) return answer;
    return {
      ...answer,
      apply: (v) => {
        this.clearField(v, field);
        delete v.edit;
        answer.apply(v);
      },
    };
  }

  /** The field chosen at "what would you like to change?" is forgotten, so that it is asked again. */
  private clearField(values: TicketDraft, field: TicketField): void {
    delete values.edit;
    if (field === 'contact') {
      delete values.email;
      delete values.phone;
    } else if (field === 'name') {
      values.edit = 'name';
    } else {
      delete values[field];
    }
  }
}

/**
 * Parsers of the values a procedure collects, as Malaysian customers type them inside sentences: one-time
 * codes ("kod dia 415764"), fee pairs ("58 ke 80", "plan 98 ke 128", "RM40 to RM98"), the markers of a
 * correction ("eh salah", "bukan, yang betul", "sorry I meant", "the correct email is") and a fuzzy pick
 * among a short list of choices. Dates, MyKad, phone numbers, e-mails and RM amounts have their own modules
 * (dates.ts, mykad.ts, phone.ts, email.ts, money.ts); these complete them. Pure; every function reads at most
 * MAX_SLOT_TEXT characters, so its cost is bounded whatever the text.
 */
import Fuse from 'fuse.js';
import { MYKAD_SHAPE_RE } from './mykad';
import { PHONE_SHAPE_RE } from './phone';

/** Longest text these parsers read; a longer message is cut to this many characters first. */
export const MAX_SLOT_TEXT = 2000;

const cap = (text: string): string => (text.length > MAX_SLOT_TEXT ? text.slice(0, MAX_SLOT_TEXT) : text);

/** Spans of the text taken by phone numbers and MyKad numbers (their digits are not codes or fees). */
function personalNumberSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const re of [PHONE_SHAPE_RE, MYKAD_SHAPE_RE]) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  return spans;
}

const inside = (spans: Array<[number, number]>, index: number) => spans.some(([a, b]) => index >= a && index < b);

// six digits, optionally written 3+3 ("415 764", "415-764"), not part of a longer number
const CODE_RE = /(?<![\d.,/-])(\d{3})[\s-]?(\d{3})(?!\d|[.,/-]\d)/g;

/**
 * The 6-digit one-time code in a message ("415764", "kod dia 415764", "code is 415 764"). The last one
 * written wins ("bukan 111111, 222222"); digits of a phone or MyKad number are not a code.
 */
export function findCode(input: string): string | undefined {
  const text = cap(input);
  const spans = personalNumberSpans(text);
  let found: string | undefined;
  for (const m of text.matchAll(CODE_RE)) {
    if (inside(spans, m.index ?? 0)) continue;
    found = m[1] + m[2];
  }
  return found;
}

// A verb of wanting or going to just before: the words that follow are the wish, not a correction.
const NOT_WANTED = '(?<!\\b(?:want|wants|wanted|wanna|to|going|gonna|plan|planning|like|nak|nk|mahu|mau|ingin|hendak|hndak|akan|nak\\s+la|mahu\\s+la)\\s+)';

// Words that say the customer is correcting what they said before. Matched on whole words, anywhere.
const CORRECTION_RE = new RegExp(
  [
    'eh\\s+salah',
    'salah\\s+(?:taip|tulis|nombor|number|emel|email)',
    '(?:alamak\\s+)?(?:silap|tersilap|tersalah)(?:\\s+(?:taip|tulis|bagi))?',
    'bukan(?:\\s*,)?\\s+(?:yang|yg)\\s+betul(?:nya)?',
    '(?:yang|yg)\\s+betul(?:nya)?',
    'sebenarnya',
    'sbnrnya',
    'sepatutnya',
    'sorry\\s*,?\\s*i\\s+meant?',
    'i\\s+meant?',
    'i\\s+mean',
    '(?:sy|saya|aku)\\s+maksud(?:kan)?',
    'maksud\\s+(?:sy|saya|aku)',
    'my\\s+bad',
    'typo',
    'wrong\\s+(?:one|number|email|e-mail|ic|plan|date)',
    'the\\s+(?:correct|right)\\s+(?:one|email|e-mail|number|ic|mykad|plan|date)\\s+is',
    'correction',
    'actually',
    'oops',
    'ralat',
    // (not a switch asked for: "nak tukar kepada pelan RM80", "want to change to the RM80 one")
    // (the word first, then the lookbehind: tried at every space of a run, its "\\s+" read the run back each time)
    `(?=tukar)${NOT_WANTED}tukar\\s+(?:kepada|jadi)`,
    `(?=change)${NOT_WANTED}change\\s+(?:it\\s+)?to`,
  ].join('|'),
  'i',
);

export interface Correction {
  /** The words that mark the correction. */
  marker: string;
  /** The text after the marker (where the new value usually is). */
  after: string;
  /** Where the marker starts in the (capped) text. */
  index: number;
  /** The value said not to be meant, when the correction is one ("bukan 80, 98": "80"). */
  negated?: string;
}

/** The correction marker of a message ("eh salah, 0123456789"), if it has one. */
export function findCorrection(input: string): Correction | undefined {
  const text = cap(input);
  const m = new RegExp(`(?<![\\p{L}\\d])(?:${CORRECTION_RE.source})(?![\\p{L}\\d])`, 'iu').exec(text);
  // a value said not to be meant is a correction in itself ("sy tukar 20hb Mac bkn 18hb", "RM98, not 80"): the new
  // value stands anywhere around it (not "tak": "tak 2 kali" tells; not a share: "not 100% sure")
  let negated: { text: string; index: number; value: string } | undefined;
  for (const n of text.matchAll(NEGATED_VALUE_RE)) {
    if (/^tak\s/i.test(n[0]) || text[(n.index ?? 0) + n[0].length] === '%') continue;
    negated = { text: n[0], index: n.index ?? 0, value: n[1]!.replace(/[.,/-]+$/, '') };
    break;
  }
  // (with a marker too, "sorry not 58, it was 48 actually": the value said not to be meant is known as well)
  if (m) return { marker: m[0], after: text.slice(m.index + m[0].length), index: m.index, ...(negated ? { negated: negated.value } : {}) };
  if (negated) return { marker: negated.text, after: text, index: negated.index, negated: negated.value };
  return undefined;
}

// A value the customer says is NOT meant ("RM98 bukan 80", "to postpaid, not prepaid", "the 9th, not the 19th",
// "instead of ali@x.com"): the negation and the value right after it. Values: an amount or date (digits with an
// optional RM, day suffix and month word), a line type, an e-mail address. "bukan," (a comma after it) is the
// correction marker "bukan, yang betul …", not a negated value.
const NEGATED_VALUE_RE =
  /(?<![\p{L}\d])(?:bukan(?:nya)?|bkn|bukn|not|and not|instead of|rather than|tak)\s+(?:the\s+)?((?:rm\s*)?\d[\d.,/-]*(?:\s*(?:hb|haribulan|th|st|nd|rd)\b)?(?:\s+(?:jan|feb|mac|mar|apr|mei|may|jun|jul|ogo|aug|sep|okt|oct|nov|dis|dec)[a-z]*)?|pre-?paid|post-?paid|prabayar|pasca\s*bayar|[^\s@]+@[^\s@]+\.[a-z.]+)(?![\p{L}\d])/giu;

/**
 * The text without the values it negates (blanked with spaces, so positions stay): "pelan baru RM98 bukan 80"
 * reads as "pelan baru RM98", "switch to postpaid, not prepaid" as "switch to postpaid". A negated value is the
 * one the customer corrects away: no parser may take it.
 */
export function withoutNegatedValues(input: string): string {
  const text = cap(input);
  return text.replace(NEGATED_VALUE_RE, (m) => ' '.repeat(m.length));
}

export interface FeePair {
  oldSen: number;
  newSen: number;
  index: number;
  text: string;
}

const NUM = '(\\d{1,4}(?:\\.\\d{1,2})?)';
// "58 ke 80", "RM40 to RM98", "plan 98 ke 128", "dari pelan 58 kepada pelan 80", "58 -> 80", "from 29.90 plan to
// 49.90 plan", "from the 48 plan to the 68 one", "58 ke yg 80"; not a date range
// ("1 to 30 April", "5hb ke 20hb") and not a number with a unit ("3 ke 4 hari")
const PAIR_RE = new RegExp(
  `(?<![\\w.,/])(?:rm\\s*)?${NUM}(?:\\s*ringgit)?(?:\\s*(?:pelan|plan|pakej|package))?\\s*(?:ke|kepada|to|->|\u2192|jadi)\\s*(?:(?:the|yg|yang)\\s+)?(?:(?:pelan|plan|pakej|package)\\s*)?(?:rm\\s*)?${NUM}(?:\\s*ringgit)?(?![\\w/]|[.,]\\d|\\s*(?:(?:hb|haribulan|hari|bulan|days?|months?|st|nd|rd|th|of)\\b|jan|feb|mac|mar|apr|mei|may|jun|jul|ogo|aug|sep|okt|oct|nov|dis|dec))`,
  'gi',
);

const toSen = (s: string): number => {
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
};

/** Two monthly fees in the order old → new, however they are written; undefined when none or a fee is 0. */
export function findFeePair(input: string): FeePair | undefined {
  const text = cap(input);
  const spans = personalNumberSpans(text);
  for (const m of text.matchAll(PAIR_RE)) {
    if (inside(spans, m.index ?? 0)) continue;
    const oldSen = toSen(m[1]!);
    const newSen = toSen(m[2]!);
    if (oldSen === 0 || newSen === 0) continue;
    return { oldSen, newSen, index: m.index ?? 0, text: m[0] };
  }
  return undefined;
}

export interface FuzzyOption<T> {
  value: T;
  /** The names the option goes by (labels in both languages, synonyms). */
  labels: string[];
}

/** Longest answer a fuzzy pick compares (a choice is a few words). */
export const MAX_FUZZY_CHARS = 80;

/**
 * The option a short answer names, allowing typos ("postpaid ke prepiad", "Teknikal"): fuse.js's Bitap score
 * over the options' labels, best match under `threshold` (0 = exact, 1 = anything). Undefined when the text is
 * long (not a choice) or when two options are about as good (ambiguous).
 */
export function fuzzyPick<T>(text: string, options: readonly FuzzyOption<T>[], threshold = 0.34): T | undefined {
  const t = text.trim().toLowerCase();
  if (t.length === 0 || t.length > MAX_FUZZY_CHARS) return undefined;
  const items = options.flatMap((o, i) => o.labels.map((label) => ({ i, label: label.toLowerCase() })));
  const fuse = new Fuse(items, { keys: ['label'], includeScore: true, threshold, ignoreLocation: true });
  const hits = fuse.search(t);
  const best = hits[0];
  if (!best) return undefined;
  const rival = hits.find((h) => h.item.i !== best.item.i);
  if (rival && (rival.score ?? 1) - (best.score ?? 0) < 0.05 && (best.score ?? 0) > 0.001) return undefined;
  return options[best.item.i]!.value;
}

/**
 * Redaction of personal data in free text, for logs, stored web chat transcripts, ticket excerpts and the
 * unanswered-question log. One masker for all of them.
 *
 * It agrees with the parsers by construction: it finds candidate spans and asks the parsers themselves.
 * - Numbers: every run of digit groups joined by the separators the parsers allow (src/domain/separators.ts:
 *   spaces, dashes, dots, brackets, at most three in a row), with a "+" or "(" just before it. Each window of
 *   consecutive groups (at most 15 digits) is tried, longest first, against parsePhone (every form the bot
 *   accepts: "012-345 6789", "12 100 0001", "+60 12.345.6789", "(012) 345-6789") and parseMyKad
 *   ("8503 1214 5672", "850312 - 14 - 5672"). Also masked: 12-digit numbers in a MyKad grouping that are not a
 *   valid MyKad (a mistyped MyKad is still personal data) and other international numbers written with "+"
 *   and 8–15 digits.
 * - Passports: the shape parsePassport and findPassports (the migration procedure's finder) share, found
 *   wherever a number above did not claim the digits ("A12345678", "a1234 5678", "passport: k123456").
 * - E-mail addresses: around each "@", the longest run of address characters, Unicode included (IDN
 *   "siti@kedai.my" written in any script, "+tags", sub-domains); masked when parseEmail accepts it or when it
 *   has an address's shape (a dotted domain with a top-level label of letters).
 * - With `codes` (stored transcripts): standalone numbers of 5–8 digits, one-time codes (6 digits) and their
 *   near misses.
 * Left alone: amounts ("RM58", "RM1,234.50", "RM 100000"), dates ("11 April 2026", "2026-03-11",
 * "11/3/2026"), ticket references ("TKT-20261122-7QF3"), short numbers.
 *
 * Cost: linear in the text's length (one pass for digits with a bounded window per group, one bounded scan
 * around each "@", one regular expression with bounded repetitions for passports); no backtracking blow-up on
 * 100,000-character inputs (test/domain/pii.test.ts measures it).
 *
 * Written by hand rather than with a library (libphonenumber-js, linkify-it, a generic PII scrubber): what
 * must be masked is exactly what this bot's own parsers accept, so the masker asks those parsers; a library
 * would recognise its own idea of a phone number or an address and drift from them.
 */
import { maskEmail, parseEmail } from './email';
import { RINGGIT_WORD } from './money';
import { PASSPORT_IN_TEXT_RE, PASSPORT_SHAPE_RE, maskMyKad, maskPassport, parseMyKad, parsePassport } from './mykad';
import { maskPhone, parsePhone } from './phone';
import { MASK_CHAR, bullets } from './result';
import { MAX_SEPARATOR_RUN, isSeparatorChar } from './separators';

export interface RedactOptions {
  /**
   * Also hide standalone numbers of 5–8 digits (a one-time code has 6; a mistyped one 5 or 7): for stored
   * transcripts, where the customer types the code. Logs do not need it (codes are never logged).
   */
  codes?: boolean;
  /**
   * Exact texts left as they are: the example values the bot itself shows ("012-345 6789" in "for example
   * 012-345 6789"), found in its message catalog. Only for the bot's own words, never for a customer's.
   */
  keep?: ReadonlySet<string>;
}

interface Span {
  start: number;
  end: number;
  /** undefined: keep the text as it is (an example value), but let no other rule touch it. */
  replacement?: string;
}

const TICKET_RE = /\bTKT-?\d{8}-?[A-Z0-9]{4}\b/gi;
/** The most digits a number may have: E.164 allows 15. */
const MAX_DIGITS = 15;
const LETTER = /\p{L}/u;
const WORD = /[\p{L}\p{N}_]/u;

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * A number's edge is clean when the next character is not part of a word, or is a run of letters glued to
 * it ("ic900101145678", "no0123456789") that does not itself touch a digit (which would make the whole
 * token an identifier like a hash or a UUID part). Masked text ("•") is never clean: it was masked already.
 */
function cleanEdge(text: string, pos: number, step: -1 | 1): boolean {
  const ch = text[pos];
  if (ch === undefined) return true;
  if (ch === MASK_CHAR) return false;
  if (!WORD.test(ch)) return true;
  if (!LETTER.test(ch)) return false;
  let p = pos;
  let n = 0;
  // letters of a glued word; the scan is bounded so the whole masker stays linear
  while (n < 64 && text[p] !== undefined && LETTER.test(text[p]!)) {
    p += step;
    n++;
  }
  const beyond = text[p];
  return beyond === undefined || (!WORD.test(beyond) && beyond !== MASK_CHAR);
}

/** Whether any character of [start, end) is taken: bounded by the length of the range, not the number of spans. */
function overlaps(taken: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (taken[i]) return true;
  return false;
}

function take(taken: Uint8Array, span: { start: number; end: number }): void {
  taken.fill(1, span.start, span.end);
}

/** The loose shape of an address whose domain parseEmail does not take (IDN in Unicode). */
function looksLikeEmail(local: string, domain: string): boolean {
  if (local.length === 0 || local.length > 64 || domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || l.startsWith('-') || l.endsWith('-'))) return false;
  return /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu.test(labels[labels.length - 1]!);
}

const LOCAL_CHAR = /[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~.-]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}\p{M}.-]/u;

function emailSpans(text: string, spans: Span[], options: RedactOptions): void {
  let floor = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    // each scan stops at the previous "@" (not an address character): every character is read at most twice
    let s = at;
    while (s > floor && LOCAL_CHAR.test(text[s - 1]!)) s--;
    let e = at + 1;
    while (e < text.length && DOMAIN_CHAR.test(text[e]!)) e++;
    floor = at + 1;
    while (s < at && text[s] === '.') s++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    const local = text.slice(s, at);
    const domain = text.slice(at + 1, e);
    if (!local || !domain) continue;
    const address = `${local}@${domain}`;
    if (parseEmail(address).ok || looksLikeEmail(local, domain)) {
      spans.push(options.keep?.has(address) ? { start: s, end: e } : { start: s, end: e, replacement: maskEmail(address) });
      floor = e;
    }
  }
}

interface Group {
  start: number;
  end: number;
}

/** Digit groups joined by separators, between protected spans (e-mails, passports, ticket references). */
function numberRuns(text: string, protectedSpans: Span[]): Group[][] {
  const sorted = [...protectedSpans].sort((a, b) => a.start - b.start);
  const runs: Group[][] = [];
  let run: Group[] = [];
  let k = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (k < sorted.length && sorted[k]!.end <= i) k++;
    if (k < sorted.length && sorted[k]!.start <= i) {
      if (run.length) runs.push(run);
      run = [];
      i = sorted[k]!.end;
      continue;
    }
    if (!isDigit(text[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isDigit(text[j]) && !(k < sorted.length && sorted[k]!.start <= j)) j++;
    const prev = run[run.length - 1];
    if (prev) {
      // joined to the previous group only across a short run of separator characters
      const gap = i - prev.end;
      let joined = gap >= 1 && gap <= MAX_SEPARATOR_RUN;
      for (let p = prev.end; joined && p < i; p++) joined = isSeparatorChar(text[p]!);
      if (!joined) {
        runs.push(run);
        run = [];
      }
    }
    run.push({ start: i, end: j });
    i = j;
  }
  if (run.length) runs.push(run);
  return runs;
}

// A mistyped MyKad (invalid date or place) is still masked when written as one: 12 digits, or 6-2-4. Other
// groupings of 12 digits are masked only when valid ("8503 1214 5672"), so the digit parts of a UUID are not.
const MYKAD_GROUPINGS = new Set(['12', '6,2,4']);

/** A window a parser accepts (a phone or MyKad number), or a 12-digit number in a MyKad grouping. */
function parsedNumber(candidate: string, core: string, start: number, coreStart: number, coreEnd: number, count: number, options: RedactOptions): Span | undefined {
  if (options.keep && (options.keep.has(candidate) || options.keep.has(core))) return { start, end: coreEnd };
  if (count >= 9 && count <= 13 && parsePhone(candidate).ok) return { start, end: coreEnd, replacement: maskPhone(candidate) };
  if (count === 12 && /^[\d\s-]+$/.test(core)) {
    const grouping = core.split(/[\s-]+/).map((g) => g.length).join(',');
    if (parseMyKad(core).ok || MYKAD_GROUPINGS.has(grouping)) return { start: coreStart, end: coreEnd, replacement: maskMyKad(core) };
  }
  return undefined;
}

/**
 * A standalone number of 5–8 digits (spaces allowed: "123 456"), not an amount ("RM 100000", "100000 ringgit"):
 * what a one-time code looks like, typed right or one digit off.
 */
function isCode(text: string, core: string, coreStart: number, coreEnd: number, count: number): boolean {
  return (
    count >= 5 &&
    count <= 8 &&
    /^[\d\s]+$/.test(core) &&
    !WORD.test(text[coreStart - 1] ?? ' ') &&
    !WORD.test(text[coreEnd] ?? ' ') &&
    !/(?:\brm|[$€£¥])\s?$/i.test(text.slice(Math.max(0, coreStart - 4), coreStart)) &&
    !AMOUNT_AFTER_RE.test(text.slice(coreEnd, coreEnd + 9))
  );
}

const AMOUNT_AFTER_RE = new RegExp(`^\\s?(?:${RINGGIT_WORD}|sen)\\b`, 'i');

function numberSpans(text: string, run: Group[], options: RedactOptions, spans: Span[]): void {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const runCleanLeft = cleanEdge(text, first.start - 1, -1);
  const runCleanRight = cleanEdge(text, last.end, 1);
  let i = 0;
  while (i < run.length) {
    if (i === 0 && !runCleanLeft) {
      i++;
      continue;
    }
    // a "+" (international) or "(" (trunk prefix in brackets) just before the first group
    const gStart = run[i]!.start;
    let p = gStart;
    while (p > 0 && gStart - p < MAX_SEPARATOR_RUN && /[\s(+]/.test(text[p - 1]!)) p--;
    const lead = text.slice(p, gStart);
    const plusAt = lead.lastIndexOf('+');
    const parenAt = lead.lastIndexOf('(');
    const plus = plusAt >= 0 && !WORD.test(text[p + plusAt - 1] ?? ' ');
    // the windows starting here, longest first
    let digits = 0;
    let j = i;
    const ends: Array<{ j: number; digits: number }> = [];
    while (j < run.length && digits + (run[j]!.end - run[j]!.start) <= MAX_DIGITS) {
      digits += run[j]!.end - run[j]!.start;
      ends.push({ j, digits });
      j++;
    }
    let matched: Span | undefined;
    let matchedJ = -1;
    // first what a parser accepts (longest first), then the looser shapes
    for (let pass = 0; pass < 2 && !matched; pass++) {
      for (let e = ends.length - 1; e >= 0 && !matched; e--) {
        const { j: end, digits: count } = ends[e]!;
        if (end === run.length - 1 && !runCleanRight) continue;
        const coreStart = run[i]!.start;
        const coreEnd = run[end]!.end;
        const core = text.slice(coreStart, coreEnd);
        const opens = (core.match(/\(/g) ?? []).length;
        const closes = (core.match(/\)/g) ?? []).length;
        const start = plus ? p + plusAt : parenAt >= 0 && closes > opens ? p + parenAt : coreStart;
        const candidate = text.slice(start, coreEnd);
        matched = pass === 0 ? parsedNumber(candidate, core, start, coreStart, coreEnd, count, options) : undefined;
        if (pass === 1 && plus && count >= 8) {
          const d = candidate.replace(/\D/g, '');
          matched = { start, end: coreEnd, replacement: `+${bullets(d.length - 2)}${d.slice(-2)}` };
        } else if (pass === 1 && options.codes && i === 0 && end === run.length - 1 && isCode(text, core, coreStart, coreEnd, count)) {
          matched = { start: coreStart, end: coreEnd, replacement: core.replace(/\d/g, MASK_CHAR) };
        }
        if (matched) matchedJ = end;
      }
    }
    if (matched) {
      spans.push(matched);
      i = matchedJ + 1;
    } else i++;
  }
}

/** Where personal data is in a text, and what replaces it. */
function findSpans(text: string, options: RedactOptions): Span[] {
  const spans: Span[] = [];
  if (text.includes('@')) emailSpans(text, spans, options);
  const tickets: Span[] = [];
  for (const m of text.matchAll(TICKET_RE)) tickets.push({ start: m.index, end: m.index + m[0].length });
  const taken = new Uint8Array(text.length);
  for (const span of [...spans, ...tickets]) take(taken, span);
  const passport = (m: { index: number; 0: string }): void => {
    const end = m.index + m[0].length;
    if (/^rm/i.test(m[0]) || !parsePassport(m[0]).ok || overlaps(taken, m.index, end)) return;
    const span = options.keep?.has(m[0]) ? { start: m.index, end } : { start: m.index, end, replacement: maskPassport(m[0]) };
    spans.push(span);
    take(taken, span);
  };
  // passports as the migration procedure finds them ("AB123456789": not a phone number glued to letters) ...
  for (const m of text.matchAll(PASSPORT_IN_TEXT_RE)) passport(m);
  const before = spans.length;
  for (const run of numberRuns(text, [...spans, ...tickets])) numberSpans(text, run, options, spans);
  for (let k = before; k < spans.length; k++) take(taken, spans[k]!);
  // ... then any passport shape left where no number took the digits ("A12345678. 0123")
  for (const m of text.matchAll(PASSPORT_SHAPE_RE)) passport(m);
  return spans.sort((a, b) => a.start - b.start);
}

/** The text with every piece of personal data masked. Idempotent: redacting twice changes nothing more. */
export function redactPersonalData(text: string, options: RedactOptions = {}): string {
  if (!text) return text;
  // nothing to find without a digit or an "@" (most log messages): skip the scans
  if (!/[\d@]/.test(text)) return text;
  const spans = findSpans(text, options);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + (s.replacement ?? text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}

/** true when the text contains personal data that redactPersonalData would mask. */
export function containsPersonalData(text: string, options: RedactOptions = {}): boolean {
  return redactPersonalData(text, options) !== text;
}

/**
 * The values the masker would hide in texts that are public by nature (the bot's own message catalog:
 * "for example 012-345 6789"), to pass as `keep` when masking the bot's own replies.
 */
export function personalDataExamples(texts: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    if (!/[\d@]/.test(text)) continue;
    for (const s of findSpans(text, {})) if (s.replacement !== undefined) out.add(text.slice(s.start, s.end));
  }
  return out;
}

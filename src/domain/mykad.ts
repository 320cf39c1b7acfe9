/**
 * MyKad (Malaysian identity card) numbers and passport numbers: validation, search in text, masking.
 *
 * Format YYMMDD-PB-###G: birth date, place-of-birth code, serial number whose last digit is odd for men and
 * even for women. Dashes and spaces are optional.
 *
 * Place-of-birth codes (Jabatan Pendaftaran Negara, "Kod Negeri" and "Kod Negara" lists):
 *   01–16  states and federal territories: 01 Johor, 02 Kedah, 03 Kelantan, 04 Melaka, 05 Negeri Sembilan,
 *          06 Pahang, 07 Pulau Pinang, 08 Perak, 09 Perlis, 10 Selangor, 11 Terengganu, 12 Sabah,
 *          13 Sarawak, 14 W.P. Kuala Lumpur, 15 W.P. Labuan, 16 W.P. Putrajaya
 *   21–59  further state codes: 21–24 Johor, 25–27 Kedah, 28–29 Kelantan, 30 Melaka, 31 and 59 Negeri
 *          Sembilan, 32–33 Pahang, 34–35 Pulau Pinang, 36–39 Perak, 40 Perlis, 41–44 Selangor,
 *          45–46 Terengganu, 47–49 Sabah, 50–53 Sarawak, 54–57 Kuala Lumpur, 58 Labuan
 *   60–99  born outside Malaysia: 60 Brunei, 61 Indonesia, 62 Cambodia, 63 Laos, 64 Myanmar,
 *          65 Philippines, 66 Singapore, 67 Thailand, 68 Vietnam, 71–72 born abroad (older records),
 *          74 China, 75 India, 76 Pakistan, 77 Saudi Arabia, 78 Sri Lanka, 79 Bangladesh, 82 unknown state,
 *          83 Asia-Pacific, 84 South America, 85 Africa, 86 Europe, 87 Britain and Ireland, 88 Middle East,
 *          89 Far East, 90 Caribbean, 91 North America, 92 Central Asia / former Soviet Union,
 *          93 other countries, 98 stateless, 99 Mecca / refugees / no information
 *   Not issued: 00, 17–20, 69, 70, 73, 80, 81, 94–97.
 *
 * Masking (the one style used for all personal data, see MASK_CHAR): hidden characters become "•",
 * separators stay, and only the least identifying part is shown. For a MyKad number that is the last four
 * digits; the birth date and place of birth are hidden: "••••••-••-5678".
 */
import { addMonths, compareDates, isValidDate, type CalendarDate } from './dates';
import { bullets } from './result';
import { MAX_SEPARATOR_RUN, hasLongSeparatorRun } from './separators';

export type PlaceKind = 'state' | 'foreign';

const NOT_ISSUED = new Set([0, 17, 18, 19, 20, 69, 70, 73, 80, 81, 94, 95, 96, 97]);

/** Whether a two-digit place-of-birth code is issued, and what kind of place it is. */
export function placeOfBirthKind(code: number): PlaceKind | undefined {
  if (!Number.isInteger(code) || code < 0 || code > 99 || NOT_ISSUED.has(code)) return undefined;
  return code <= 59 ? 'state' : 'foreign';
}

export type MyKadError =
  /** Nothing typed. */
  | 'empty'
  /** Characters other than digits, dashes and spaces. */
  | 'format'
  /** Not 12 digits. */
  | 'length'
  /** The first six digits are not a real date (or the person would be born after the reference date). */
  | 'date'
  /** The 7th–8th digits are not an issued place-of-birth code. */
  | 'place';

export interface MyKad {
  /** 12 digits, no separators: "900101145678". */
  value: string;
  /** The birth date, when a reference date fixed the century. */
  birthDate?: CalendarDate;
  placeCode: string;
  placeKind: PlaceKind;
  /** Last digit odd: male; even: female. */
  sex: 'male' | 'female';
}

export type MyKadResult = { ok: true; value: MyKad } | { ok: false; reason: MyKadError };

export interface MyKadOptions {
  /**
   * Normally today. Fixes the century: 20YY unless that date is after the reference, then 19YY. Without a
   * reference the date must be real in 19YY or 20YY (only 29 February of YY = 00 differs) and birthDate is
   * absent.
   */
  reference?: CalendarDate;
}

function birthDateOf(yy: number, mm: number, dd: number, reference?: CalendarDate): CalendarDate | undefined | null {
  if (reference) {
    const d20 = { y: 2000 + yy, m: mm, d: dd };
    if (isValidDate(d20.y, mm, dd) && compareDates(d20, reference) <= 0) return d20;
    const d19 = { y: 1900 + yy, m: mm, d: dd };
    // A 19YY date is in the past; reject one more than 150 years old.
    if (isValidDate(d19.y, mm, dd) && compareDates(d19, addMonths(reference, -150 * 12)) >= 0) return d19;
    return null;
  }
  return isValidDate(1900 + yy, mm, dd) || isValidDate(2000 + yy, mm, dd) ? undefined : null;
}

/**
 * Validate a MyKad number: "900101-14-5678", "900101 14 5678", "900101145678". Says which part is wrong:
 * length, date or place code.
 */
export function parseMyKad(text: string, options: MyKadOptions = {}): MyKadResult {
  const t = (text ?? '').trim();
  if (t === '') return { ok: false, reason: 'empty' };
  if (!/^[\d\s-]+$/.test(t) || hasLongSeparatorRun(t)) return { ok: false, reason: 'format' };
  const digits = t.replace(/[\s-]/g, '');
  if (digits.length !== 12) return { ok: false, reason: 'length' };
  const yy = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  const dd = Number(digits.slice(4, 6));
  const birth = birthDateOf(yy, mm, dd, options.reference);
  if (birth === null) return { ok: false, reason: 'date' };
  const placeCode = digits.slice(6, 8);
  const placeKind = placeOfBirthKind(Number(placeCode));
  if (!placeKind) return { ok: false, reason: 'place' };
  const value: MyKad = {
    value: digits,
    placeCode,
    placeKind,
    sex: Number(digits[11]) % 2 === 1 ? 'male' : 'female',
  };
  if (birth) value.birthDate = birth;
  return { ok: true, value };
}

/** "900101145678" → "900101-14-5678". */
export function formatMyKad(digits: string): string {
  const d = digits.replace(/[\s-]/g, '');
  return d.length === 12 ? `${d.slice(0, 6)}-${d.slice(6, 8)}-${d.slice(8)}` : d;
}

/** A 12-digit group in MyKad shape (6-2-4 with optional dashes/spaces), not inside a longer number. */
export const MYKAD_SHAPE_RE = /(?<![\w-])\d{6}(?:[-\s]?)\d{2}(?:[-\s]?)\d{4}(?![\w]|-\d)/g;

export interface FoundMyKad {
  index: number;
  text: string;
  result: MyKadResult;
}

/** Every MyKad-shaped number in a sentence, in order, each with its validation result. */
export function findMyKads(text: string, options: MyKadOptions = {}): FoundMyKad[] {
  return [...text.matchAll(MYKAD_SHAPE_RE)].map((m) => ({ index: m.index ?? 0, text: m[0], result: parseMyKad(m[0], options) }));
}

/** The first MyKad-shaped number in a sentence (valid or not), or undefined. */
export function findMyKad(text: string, options: MyKadOptions = {}): FoundMyKad | undefined {
  return findMyKads(text, options)[0];
}

/** "900101-14-5678" / "900101145678" → "••••••-••-5678". Anything else: all hidden but the last 4 characters. */
export function maskMyKad(text: string): string {
  const d = text.replace(/[\s-]/g, '');
  if (/^\d{12}$/.test(d)) return `${bullets(6)}-${bullets(2)}-${d.slice(8)}`;
  return maskTail(d, 4);
}

/** Hide all but the last `keep` characters, and never more than half of them. */
export function maskTail(s: string, keep: number): string {
  const shown = Math.min(keep, Math.floor(s.length / 2));
  return bullets(s.length - shown) + s.slice(s.length - shown);
}

// ---------------------------------------------------------------------------------------------------------
// Passports (non-citizens whose account has one).

export type PassportError = 'empty' | 'format';

// One shape for a passport number, whole or in a sentence: 1–2 letters and 6–9 digits, a single space or dash
// allowed after the letters and once among the digits ("A12345678", "a1234 5678", "EK-1234567"). Bounded
// repetitions only: linear in the text's length.
// Two lower-case letters and a space are a word ("is 123456789"), not a passport: a separator after the letters
// is taken after one letter or two capitals only.
const PASSPORT_BODY = '(?:(?:[A-Za-z]|[A-Z]{2})[\\s-]?|[A-Za-z]{2})\\d{1,9}(?:[\\s-]\\d{1,8})?';
const PASSPORT_RE = new RegExp(`^${PASSPORT_BODY}$`);
/**
 * A passport number in free text: not glued to other letters or digits, not the start of a longer number
 * ("IC 8503 1214 5672"), and not a ringgit amount ("RM 100000").
 */
export const PASSPORT_IN_TEXT_RE = new RegExp(`(?<![\\p{L}\\p{N}_])${PASSPORT_BODY}(?![\\p{L}\\p{N}_]|[\\s\\-.()]{1,${MAX_SEPARATOR_RUN}}\\d)`, 'gu');

/**
 * A passport number: 1–2 letters followed by 6–9 digits (covers the Malaysian "A12345678", a letter and
 * 8 digits), a single space or dash allowed after the letters and once among the digits; letters
 * upper-cased: " a1234 5678 " → "A12345678".
 */
export function parsePassport(text: string): { ok: true; value: string } | { ok: false; reason: PassportError } {
  const t = (text ?? '').trim();
  if (t === '') return { ok: false, reason: 'empty' };
  const v = t.replace(/[\s-]/g, '').toUpperCase();
  if (!PASSPORT_RE.test(t) || !/^[A-Z]{1,2}\d{6,9}$/.test(v)) return { ok: false, reason: 'format' };
  return { ok: true, value: v };
}

/**
 * Every passport-shaped token, even one followed by more digits ("A12345678. 0123"), but not a date
 * ("on 2026-11-22"): a superset of what PASSPORT_IN_TEXT_RE finds, for the masker (src/domain/pii.ts), which
 * uses it only where no number took the digits.
 */
export const PASSPORT_SHAPE_RE = new RegExp(`(?<![\\p{L}\\p{N}_])${PASSPORT_BODY}(?![\\p{L}\\p{N}_]|[-/]\\d)`, 'gu');

export interface FoundPassport {
  index: number;
  text: string;
  /** Upper case, no separators. */
  value: string;
}

/** Every passport number in a sentence, in order ("RM" followed by digits is money, not a passport). */
export function findPassports(text: string): FoundPassport[] {
  const out: FoundPassport[] = [];
  for (const m of text.matchAll(PASSPORT_IN_TEXT_RE)) {
    if (/^rm/i.test(m[0])) continue;
    const r = parsePassport(m[0]);
    if (r.ok) out.push({ index: m.index ?? 0, text: m[0], value: r.value });
  }
  return out;
}

/** "A12345678" → "•••••5678" (the last 4 characters, never more than half). */
export function maskPassport(text: string): string {
  return maskTail(text.replace(/[\s-]/g, '').toUpperCase(), 4);
}

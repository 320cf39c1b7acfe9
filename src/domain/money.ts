/**
 * Money as integer sen (RM1 = 100 sen). Parsing of typed amounts, formatting, and exact integer
 * arithmetic for the pro-rata formula. No floating point touches an amount.
 */
import { err, ok, type Result } from './result';

/** Default upper bound for a plan fee: RM100,000 (per month). Callers may pass another cap. */
export const DEFAULT_MAX_FEE_SEN = 100_000_00;

export type MoneyError =
  | 'empty'
  | 'not-a-number'
  | 'too-many-decimals'
  | 'negative'
  | 'zero'
  | 'too-large';

export interface ParseRinggitOptions {
  /** Largest accepted amount in sen (inclusive). Default DEFAULT_MAX_FEE_SEN. */
  maxSen?: number;
  /** Accept RM0. Default false (a plan fee of zero is an error). */
  allowZero?: boolean;
}

/** The word ringgit as customers write it: "ringgit", "ringit", and the colloquial "hengget" / "hinggit". */
export const RINGGIT_WORD = '(?:ringgit|ringit|hengget|henggit|hinggit)';

// One amount: optional sign, optional "RM", the number (plain or 1,234,567 grouped), optional decimals,
// optional "ringgit". Whitespace allowed between the parts.
// (read with its white space collapsed to single spaces, parseRinggit: "\s*" runs side by side split a long run of
// spaces in quadratic time)
const AMOUNT_RE = new RegExp(`^([-\u2212])? ?(?:rm ?([-\u2212])? ?)?(\\d+(?:,\\d{3})*|\\d+)?(?:\\.(\\d*))? ?(?:${RINGGIT_WORD}|rm)?$`, 'i');

/**
 * Parse a typed ringgit amount to integer sen.
 * Accepts "RM58", "rm 58.00", "58", "58.5", "RM1,234.50", "58 ringgit", "RM 0.50".
 * Rejects more than two decimals ("RM58.005"), negative amounts, zero (unless allowZero), amounts above
 * the cap, and anything that is not an amount. Never returns NaN.
 */
export function parseRinggit(text: string, options: ParseRinggitOptions = {}): Result<number, MoneyError> {
  const maxSen = options.maxSen ?? DEFAULT_MAX_FEE_SEN;
  const t = (text ?? '').trim().replace(/\s+/g, ' ');
  if (t === '') return err('empty');
  const m = AMOUNT_RE.exec(t);
  if (!m) return err('not-a-number');
  const [, sign1, sign2, intPart, frac] = m;
  if (intPart === undefined && (frac === undefined || frac === '')) return err('not-a-number');
  if (frac !== undefined && frac.length > 2) return err('too-many-decimals');
  if (sign1 || sign2) return err('negative');
  const digits = (intPart ?? '0').replace(/,/g, '');
  // Compare lengths before converting, so a 40-digit amount never becomes an unsafe number.
  const stripped = digits.replace(/^0+(?=\d)/, '');
  if (stripped.length > 13) return err('too-large');
  const sen = Number(stripped) * 100 + Number((frac ?? '').padEnd(2, '0') || '0');
  if (sen === 0 && !options.allowZero) return err('zero');
  if (sen > maxSen) return err('too-large');
  return ok(sen);
}

export interface FoundAmount {
  /** Index of the match in the text. */
  index: number;
  /** The matched text. */
  text: string;
  /** The parsed amount, or why it is not acceptable. */
  result: Result<number, MoneyError>;
}

// In free text an amount needs a currency mark: "RM58", "RM 1,234.50", "58 ringgit", "58.00 ringgit".
const FIND_RE = new RegExp(
  `(?<![\\w.])(?:[-\u2212]?rm\\s*[-\u2212]?\\s*\\d+(?:,\\d{3})*(?:\\.\\d+)?|\\d+(?:,\\d{3})*(?:\\.\\d+)?\\s*${RINGGIT_WORD})\\b`,
  'gi',
);

/** Every ringgit amount written with "RM" or "ringgit" in a sentence, in order. */
export function findRinggit(text: string, options: ParseRinggitOptions = {}): FoundAmount[] {
  const out: FoundAmount[] = [];
  for (const m of text.matchAll(FIND_RE)) {
    const raw = m[0];
    out.push({ index: m.index ?? 0, text: raw, result: parseRinggit(raw, options) });
  }
  return out;
}

function groupThousands(n: bigint): string {
  // (ICU's grouping: the lookahead pattern for it, "\B(?=(\d{3})+(?!\d))", reads the rest of the digits at each one)
  return n.toLocaleString('en-US');
}

/**
 * 1933 → "RM19.33"; 123450 → "RM1,234.50"; -500 → "-RM5.00". With `dropZeroCents`, a whole amount is written
 * as prose writes it: 10000 → "RM100" (knowledge answers quoting the source's "RM100").
 */
export function formatRinggit(sen: number, options: { dropZeroCents?: boolean } = {}): string {
  if (!Number.isSafeInteger(sen)) throw new RangeError(`formatRinggit: not an integer amount of sen: ${sen}`);
  const neg = sen < 0;
  const abs = BigInt(Math.abs(sen));
  const whole = abs / 100n;
  const cents = abs % 100n;
  const fraction = options.dropZeroCents && cents === 0n ? '' : `.${cents.toString().padStart(2, '0')}`;
  return `${neg ? '-' : ''}RM${groupThousands(whole)}${fraction}`;
}

/** 1933 → "19.33" (no currency mark, no grouping): for formulas such as "10 × 58.00 / 30". */
export function formatSenPlain(sen: number): string {
  if (!Number.isSafeInteger(sen)) throw new RangeError(`formatSenPlain: not an integer amount of sen: ${sen}`);
  const neg = sen < 0;
  const abs = Math.abs(sen);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * a × b / c, computed exactly with BigInt and rounded half-up (halves away from zero, so the rounding is
 * symmetric for negative values). Arguments must be safe integers and c must not be 0; the result must be a
 * safe integer. Violations are programming errors and throw RangeError (user input is checked earlier).
 */
export function mulDivRoundHalfUp(a: number, b: number, c: number): number {
  for (const [name, v] of [['a', a], ['b', b], ['c', c]] as const) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`mulDivRoundHalfUp: ${name} is not a safe integer: ${v}`);
  }
  if (c === 0) throw new RangeError('mulDivRoundHalfUp: division by zero');
  let num = BigInt(a) * BigInt(b);
  let den = BigInt(c);
  if (den < 0n) {
    den = -den;
    num = -num;
  }
  const neg = num < 0n;
  const absNum = neg ? -num : num;
  const q = absNum / den;
  const r = absNum % den;
  const rounded = r * 2n >= den ? q + 1n : q;
  const result = neg ? -rounded : rounded;
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('mulDivRoundHalfUp: result is not a safe integer');
  }
  return Number(result);
}

/**
 * Calendar dates (no time, no zone) and the Malay/English date parser.
 *
 * A CalendarDate is a day in Malaysia's calendar. "Today" is never read from a clock here: callers pass an
 * instant to `todayInKualaLumpur` or a `reference` date to the parser.
 */
import type { Lang } from '../knowledge/types';
import { trimSentenceEnd } from './text';

export interface CalendarDate {
  /** Year, e.g. 2026. */
  y: number;
  /** Month 1..12. */
  m: number;
  /** Day of the month 1..31. */
  d: number;
}

export type DateError =
  /** Nothing was typed. */
  | 'empty'
  /** No date could be read from the text. */
  | 'unrecognised'
  /** The text names more than one date where one was expected. */
  | 'several-dates'
  /** The parts do not form a real date (31 February, 29 February 2026, month 13). */
  | 'invalid-date'
  /** The year is outside 1900..2199. */
  | 'year-out-of-range';

export type DateResult =
  | { ok: true; value: CalendarDate }
  /** `parts` carries what was read, so a re-prompt can repeat it ("31 Februari 2026 tidak wujud"). */
  | { ok: false; reason: DateError; parts?: { y: number; m: number; d: number } };

const MS_PER_DAY = 86_400_000;
/** Malaysia has kept UTC+08:00 without daylight saving since 1982. */
const KL_OFFSET_MS = 8 * 3_600_000;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** true when y/m/d are integers naming a real day (31 February and 29 February 2026 are not). */
export function isValidDate(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/** Build a CalendarDate, or say why the parts are not a real date. Never rolls over. */
export function makeDate(y: number, m: number, d: number): DateResult {
  if (!Number.isInteger(y) || y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'year-out-of-range', parts: { y, m, d } };
  if (!isValidDate(y, m, d)) return { ok: false, reason: 'invalid-date', parts: { y, m, d } };
  return { ok: true, value: { y, m, d } };
}

/** "2026-04-11". */
export function toIsoDate(date: CalendarDate): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

/** Parse exactly "YYYY-MM-DD" (e.g. from storage). */
export function fromIsoDate(iso: string): DateResult {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return { ok: false, reason: 'unrecognised' };
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Days since 1970-01-01 (proleptic Gregorian). */
export function toEpochDay(date: CalendarDate): number {
  return Math.round(Date.UTC(date.y, date.m - 1, date.d) / MS_PER_DAY);
}

export function fromEpochDay(day: number): CalendarDate {
  const t = new Date(day * MS_PER_DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** b − a in days: daysBetween(1 Apr, 11 Apr) = 10. */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  return fromEpochDay(toEpochDay(date) + n);
}

/**
 * Add whole months; a day beyond the target month's end is clamped to its last day
 * (31 January + 1 month = 28 February 2026 / 29 February 2028; 31 March − 1 month = 28 February 2026).
 */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  const index = date.y * 12 + (date.m - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return { y, m, d: Math.min(date.d, daysInMonth(y, m)) };
}

/** −1, 0 or 1. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.y !== b.y ? Math.sign(a.y - b.y) : a.m !== b.m ? Math.sign(a.m - b.m) : Math.sign(a.d - b.d);
}

/** The instant (ms since the epoch) at which a Kuala Lumpur calendar date begins. */
export function startOfDayInKualaLumpur(date: CalendarDate): number {
  return Date.UTC(date.y, date.m - 1, date.d) - KL_OFFSET_MS;
}

/** The calendar date in Asia/Kuala_Lumpur (UTC+08:00, no daylight saving) at the given instant. */
export function todayInKualaLumpur(instant: Date): CalendarDate {
  const t = new Date(instant.getTime() + KL_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const MONTH_NAMES: Record<Lang, readonly string[]> = {
  ms: ['Januari', 'Februari', 'Mac', 'April', 'Mei', 'Jun', 'Julai', 'Ogos', 'September', 'Oktober', 'November', 'Disember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "11 April 2026" (en) / "11 Mac 2026" (ms). */
export function formatDate(date: CalendarDate, lang: Lang): string {
  return `${date.d} ${MONTH_NAMES[lang][date.m - 1]} ${date.y}`;
}

/**
 * Month name → number, English and Malay, full and short forms (lower case): the default of a parser given no
 * month names. The bot gives the lexicon's (knowledge/lexicon.yaml `months`, DateParseOptions.months); a test
 * keeps the two lists equal (test/language/analysed-text.test.ts).
 */
export const DEFAULT_MONTH_WORDS: Readonly<Record<string, number>> = {
  // English
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11,
  nov: 11, december: 12, dec: 12,
  // Malay (Jan, Feb, Apr, Jun, Jul, Sep, Nov are shared with English)
  januari: 1, februari: 2, mac: 3, mei: 5, julai: 7, ogos: 8, ogs: 8, oktober: 10, okt: 10, disember: 12, dis: 12,
};


/** Words that introduce a bare ordinal ("on the 11th"), so "my 2nd switch" is not read as a date. */
const ORDINAL_LEAD = '(?:the|on|from|since|until|till|by|before|after)';
const HB = '(?:hb|haribulan|hari\\s+bulan)';

export interface FoundDate {
  /** Index of the match in the text. */
  index: number;
  /** The matched text. */
  text: string;
  result: DateResult;
  /** Which parts the text named; the others came from the reference date. */
  named: { day: boolean; month: boolean; year: boolean };
  /** Set for the two ends of a range such as "1–30 April 2026" or "1 hingga 30 April". */
  range?: 'start' | 'end';
}

export interface DateParseOptions {
  /**
   * The date the text is read against (normally today in Kuala Lumpur). Rule: a day written without a
   * month ("11hb", "the 11th") takes the month and year of the reference; a day and month without a year
   * ("11 Mac", "March 11") take the year of the reference. No "nearest occurrence" guessing: the caller
   * checks the range it needs (e.g. the switch date must lie inside the billing period). "hari ini"/"today",
   * "semalam"/"yesterday" and "esok"/"tomorrow" are the reference, one day before, one day after.
   */
  reference: CalendarDate;
  /** month names → 1..12 (lower case; default DEFAULT_MONTH_WORDS): the lexicon's, where the bot reads a turn */
  months?: ReadonlyMap<string, number>;
}

type Builder = (m: RegExpExecArray, ref: CalendarDate) => { result: DateResult; named: FoundDate['named'] };

function yearOf(text: string | undefined, ref: CalendarDate): number {
  if (text === undefined) return ref.y;
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

function build(y: number, m: number, d: number, named: FoundDate['named']) {
  return { result: makeDate(y, m, d), named };
}

interface Patterns {
  list: { re: RegExp; build: Builder }[];
  range: RegExp;
}

const DEFAULT_MONTHS: ReadonlyMap<string, number> = new Map(Object.entries(DEFAULT_MONTH_WORDS));
const patternsCache = new WeakMap<ReadonlyMap<string, number>, Patterns>();

/** The patterns of dates for a map of month names (built once per map). */
function patternsFor(months: ReadonlyMap<string, number>): Patterns {
  const cached = patternsCache.get(months);
  if (cached) return cached;
  const MONTH_ALT = [...months.keys()]
    .filter((k) => /^[a-z]+$/.test(k))
    .sort((a, b) => b.length - a.length)
    .join('|');
  const monthOf = (w: string): number => months.get(w.toLowerCase()) ?? NaN;
  const PATTERNS: { re: RegExp; build: Builder }[] = [
  // 2026-03-11
  {
    re: /(?<![\w/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/-]|\.\d)/g,
    build: (m) => build(Number(m[1]), Number(m[2]), Number(m[3]), { day: true, month: true, year: true }),
  },
  // 11/3/2026, 11-03-2026, 11.03.2026, 11/3/26: day/month/year (Malaysian order)
  {
    re: /(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)/g,
    build: (m, ref) => build(yearOf(m[4], ref), Number(m[3]), Number(m[1]), { day: true, month: true, year: true }),
  },
  // 11/3: day/month without a year (only with "/", so "1-3" and "5.5" are not dates)
  {
    re: /(?<![\w/.\-])(\d{1,2})\/(\d{1,2})(?![\w/\-]|[.,]\d)/g,
    build: (m, ref) => build(ref.y, Number(m[2]), Number(m[1]), { day: true, month: true, year: false }),
  },
  // 11 April 2026, 11 Apr, 11hb April, 11 hb Mac 2026, 11th of March, 11 April, 2026
  {
    re: new RegExp(
      `(?<![\\w.,])(\\d{1,2})(?:\\s*${HB}\\.?|st|nd|rd|th)?\\s*(?:of\\s+)?(${MONTH_ALT})\\b\\.?(?:,?\\s*(\\d{4})(?!\\d))?`,
      'gi',
    ),
    build: (m, ref) =>
      build(yearOf(m[3], ref), monthOf(m[2]), Number(m[1]), { day: true, month: true, year: m[3] !== undefined }),
  },
  // March 11, March 11th, 2026, Mac 11
  {
    re: new RegExp(`\\b(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d.,]\\d|\\w)(?:,?\\s*(\\d{4})(?!\\d))?`, 'gi'),
    build: (m, ref) =>
      build(yearOf(m[3], ref), monthOf(m[1]), Number(m[2]), { day: true, month: true, year: m[3] !== undefined }),
  },
  // 11hb, 1 hb, 11 haribulan
  {
    re: new RegExp(`(?<![\\w.,])(\\d{1,2})\\s*${HB}\\b\\.?`, 'gi'),
    build: (m, ref) => build(ref.y, ref.m, Number(m[1]), { day: true, month: false, year: false }),
  },
  // the 11th, on the 1st, from the 2nd (a lead word is required). "(?=\d)" first: the lookbehind's "\s*" is
  // then only tried before a digit, not at every position of a long run of spaces (quadratic time).
  {
    re: new RegExp(`(?=\\d)(?<=(?:^|\\b${ORDINAL_LEAD})\\s*)(\\d{1,2})(?:st|nd|rd|th)\\b`, 'gi'),
    build: (m, ref) => build(ref.y, ref.m, Number(m[1]), { day: true, month: false, year: false }),
  },
  // hari ini / harini / today, semalam / yesterday, esok / tomorrow
  {
    re: /\b(hari\s+ini|hari\s+ni|harini|today|semalam|yesterday|esok|tomorrow)\b/gi,
    build: (m, ref) => {
      const w = m[1].toLowerCase().replace(/\s+/g, ' ');
      const shift = w === 'semalam' || w === 'yesterday' ? -1 : w === 'esok' || w === 'tomorrow' ? 1 : 0;
      return { result: { ok: true, value: addDays(ref, shift) }, named: { day: true, month: true, year: true } };
    },
  },
];

  // 1–30 April 2026, 1 - 30 Apr, 1 hingga 30 April, 1 to 30 April: the start takes the end's month and year.
  const RANGE_RE = new RegExp(
  `(?<![\\w.,])(\\d{1,2})(?:\\s*${HB}|st|nd|rd|th)?(\\s*(?:-|\u2013|\u2014|hingga|sehingga|sampai|to|until|till)\\s*)(?=\\d{1,2}(?:\\s*${HB}|st|nd|rd|th)?\\s*(?:of\\s+)?(?:${MONTH_ALT})\\b)`,
  'gi',
);
  const patterns = { list: PATTERNS, range: RANGE_RE };
  patternsCache.set(months, patterns);
  return patterns;
}

/**
 * Every date in a longer text, in order of appearance (overlaps resolved in favour of the earlier, then the
 * longer match). Impossible dates are returned with their error, not dropped and not rolled over.
 */
export function findDates(text: string, options: DateParseOptions): FoundDate[] {
  const candidates: FoundDate[] = [];
  const { list: PATTERNS, range: RANGE_RE } = patternsFor(options.months ?? DEFAULT_MONTHS);
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      const { result, named } = p.build(m as RegExpExecArray, options.reference);
      candidates.push({ index: m.index ?? 0, text: m[0], result, named });
    }
  }
  // Range starts: the end is matched by the day-month pattern above; the start borrows its month and year.
  // the candidates by index (the first of each, as a search in order would find): a text of many dates costs
  // linear time, not a search of every candidate for every range
  const byIndex = new Map<number, FoundDate>();
  for (const c of candidates) if (c.result.ok && c.named.month && !byIndex.has(c.index)) byIndex.set(c.index, c);
  for (const m of text.matchAll(RANGE_RE)) {
    const index = m.index ?? 0;
    const endIndex = index + m[0].length;
    const end = byIndex.get(endIndex);
    if (!end || !end.result.ok) continue;
    const e = end.result.value;
    const dayText = m[1];
    if (Number(dayText) < 1 || Number(dayText) > e.d) continue; // "80 to 11 April" is not a range
    candidates.push({
      index,
      // the start as written ("1hb" of "1hb-30hb Jun 2026"), which the bare day pattern also matches: the range's wins
      text: m[0].slice(0, m[0].length - m[2].length),
      result: makeDate(e.y, e.m, Number(dayText)),
      named: { day: true, month: false, year: false },
      range: 'start',
    });
    end.range = 'end';
  }
  candidates.sort((a, b) => a.index - b.index || b.text.length - a.text.length || Number(b.range === 'start') - Number(a.range === 'start'));
  const out: FoundDate[] = [];
  let end = -1;
  for (const c of candidates) {
    if (c.index < end) continue;
    out.push(c);
    end = c.index + c.text.length;
  }
  return out;
}

/**
 * Longest text the parsers of values typed in a conversation read (a date, a pro-rata request giving its
 * values): a longer one is not a date or a request, and is not searched (it could hold thousands of dates).
 */
export const MAX_PARSED_CHARS = 2000;

const LEAD_WORDS =
  /^(?:on\s+the|on|the|pada\s+tarikh|pada|tarikh|bermula|mulai|starts?\s+on|starting|from|dari|sejak|since)\s+/i;

/**
 * Read one date typed as an answer: "11 April 2026", "11 Apr 2026", "11hb", "11 hb April", "11 Mac",
 * "11 Mac 2026", "March 11", "March 11, 2026", "11/3/2026" (day/month/year, Malaysian order), "11/3",
 * "11-03-2026", "2026-03-11", "the 11th", "on the 11th", "1hb", "hari ini"/"today", "semalam"/"yesterday",
 * "esok"/"tomorrow", or a bare day "11". Leading words such as "pada", "on the", "tarikh" are ignored.
 * See DateParseOptions for how missing parts are filled. Impossible dates are an 'invalid-date' error.
 */
export function parseDate(text: string, options: DateParseOptions): DateResult {
  let t = trimSentenceEnd((text ?? '').trim()).trim();
  if (t === '') return { ok: false, reason: 'empty' };
  if (t.length > MAX_PARSED_CHARS) return { ok: false, reason: 'unrecognised' };
  for (let i = 0; i < 3 && LEAD_WORDS.test(t); i++) t = t.replace(LEAD_WORDS, '');
  if (/^\d{1,2}$/.test(t)) {
    return makeDate(options.reference.y, options.reference.m, Number(t));
  }
  const found = findDates(t, options);
  if (found.length === 0) return { ok: false, reason: 'unrecognised' };
  if (found.length > 1) return { ok: false, reason: 'several-dates' };
  return found[0].result;
}

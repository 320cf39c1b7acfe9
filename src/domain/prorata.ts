/**
 * The pro-rata monthly fee of a plan switch (the operator's guide):
 *
 *   days subscribed × monthly fee / days in the billing period
 *
 * Conventions (quote them to the customer):
 * - The billing period runs from its first day to the day before the next period starts; its length comes
 *   from the real dates (28 to 31 days).
 * - A billing cycle day (1..31) beyond a month's end falls on that month's last day: with cycle day 31 the
 *   periods start 31 Jan, 28 Feb (29 Feb in a leap year), 31 Mar, 30 Apr, ...
 * - Days on the old plan run from the period's first day to the day before the switch; days on the new plan
 *   from the switch day to the period's last day (the switch day is billed on the new plan).
 * - Each line is rounded half-up to the sen; the total is the sum of the rounded lines.
 * - both-plans (postpaid → postpaid): old line + new line. first-bill (prepaid → postpaid): only the new
 *   plan from the switch day. final-bill (postpaid → prepaid): only the old plan up to the day before.
 */
import type { Plan, ProRataKind } from '../knowledge/types';
import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  daysInMonth,
  MAX_PARSED_CHARS,
  findDates,
  isValidDate,
  type CalendarDate,
  type DateError,
} from './dates';
import { DEFAULT_MAX_FEE_SEN, findRinggit, mulDivRoundHalfUp, parseRinggit, type MoneyError } from './money';
import { findFeePair } from './slots';
import { findPhones } from './phone';
import { normaliseText } from './text';

export interface BillingPeriod {
  /** First day (inclusive). */
  start: CalendarDate;
  /** Last day (inclusive). */
  end: CalendarDate;
  /** end − start + 1: 28..31. */
  days: number;
  /** The cycle day the period was built from (1..31). */
  cycleDay: number;
}

/** The day a period with this cycle day starts in year y, month m (clamped to the month's last day). */
function cycleStart(cycleDay: number, y: number, m: number): CalendarDate {
  return { y, m, d: Math.min(cycleDay, daysInMonth(y, m)) };
}

function periodFrom(cycleDay: number, start: CalendarDate): BillingPeriod {
  const nextMonth = addMonths({ y: start.y, m: start.m, d: 1 }, 1);
  const end = addDays(cycleStart(cycleDay, nextMonth.y, nextMonth.m), -1);
  return { start, end, days: daysBetween(start, end) + 1, cycleDay };
}

export type PeriodError = 'invalid-cycle-day' | 'invalid-date' | 'start-not-on-cycle-day';

export type PeriodResult = { ok: true; value: BillingPeriod } | { ok: false; reason: PeriodError };

/**
 * The billing period that starts on `start`. The cycle day is start.d unless given (needed only for a
 * period starting on a clamped day, e.g. 28 Feb with cycle day 31).
 */
export function billingPeriodFromStart(start: CalendarDate, cycleDay: number = start.d): PeriodResult {
  if (!isValidDate(start.y, start.m, start.d)) return { ok: false, reason: 'invalid-date' };
  if (!Number.isInteger(cycleDay) || cycleDay < 1 || cycleDay > 31) return { ok: false, reason: 'invalid-cycle-day' };
  if (start.d !== Math.min(cycleDay, daysInMonth(start.y, start.m))) return { ok: false, reason: 'start-not-on-cycle-day' };
  return { ok: true, value: periodFrom(cycleDay, start) };
}

/** The billing period with this cycle day (1..31) that contains `date`. */
export function billingPeriodContaining(cycleDay: number, date: CalendarDate): PeriodResult {
  if (!Number.isInteger(cycleDay) || cycleDay < 1 || cycleDay > 31) return { ok: false, reason: 'invalid-cycle-day' };
  if (!isValidDate(date.y, date.m, date.d)) return { ok: false, reason: 'invalid-date' };
  const thisMonth = cycleStart(cycleDay, date.y, date.m);
  let start = thisMonth;
  if (compareDates(date, thisMonth) < 0) {
    const prev = addMonths({ y: date.y, m: date.m, d: 1 }, -1);
    start = cycleStart(cycleDay, prev.y, prev.m);
  }
  return { ok: true, value: periodFrom(cycleDay, start) };
}

export interface ProRataLine {
  plan: 'old' | 'new';
  /** Monthly fee of the plan, sen. */
  feeSen: number;
  /** Days billed on this plan (may be 0). */
  days: number;
  /** Days in the billing period. */
  periodDays: number;
  /** First and last day billed; absent when days = 0. */
  from?: CalendarDate;
  to?: CalendarDate;
  /** days × feeSen / periodDays, rounded half-up to the sen. */
  amountSen: number;
}

export interface ProRataBill {
  kind: ProRataKind;
  period: BillingPeriod;
  switchDate: CalendarDate;
  /** both-plans: [old, new]; final-bill: [old]; first-bill: [new]. */
  lines: ProRataLine[];
  /** Sum of the rounded lines. */
  totalSen: number;
}

export type ProRataError =
  | 'missing-old-fee'
  | 'missing-new-fee'
  | 'invalid-fee'
  | 'fee-too-large'
  | 'switch-outside-period'
  | 'invalid-date';

export interface ProRataInput {
  kind: ProRataKind;
  /** Monthly fee of the old plan (both-plans, final-bill), sen > 0. */
  oldFeeSen?: number;
  /** Monthly fee of the new plan (both-plans, first-bill), sen > 0. */
  newFeeSen?: number;
  period: BillingPeriod;
  switchDate: CalendarDate;
  /** Largest accepted fee, sen. Default DEFAULT_MAX_FEE_SEN (RM100,000). */
  maxFeeSen?: number;
}

export type ProRataResult = { ok: true; value: ProRataBill } | { ok: false; reason: ProRataError };

function line(plan: 'old' | 'new', feeSen: number, from: CalendarDate, to: CalendarDate, periodDays: number): ProRataLine {
  const days = Math.max(0, daysBetween(from, to) + 1);
  const base: ProRataLine = { plan, feeSen, days, periodDays, amountSen: mulDivRoundHalfUp(days, feeSen, periodDays) };
  return days > 0 ? { ...base, from, to } : base;
}

/** Compute the pro-rata bill. See the module comment for the conventions. */
export function computeProRata(input: ProRataInput): ProRataResult {
  const { kind, period, switchDate } = input;
  const maxFee = input.maxFeeSen ?? DEFAULT_MAX_FEE_SEN;
  const needsOld = kind !== 'first-bill';
  const needsNew = kind !== 'final-bill';
  if (needsOld && input.oldFeeSen === undefined) return { ok: false, reason: 'missing-old-fee' };
  if (needsNew && input.newFeeSen === undefined) return { ok: false, reason: 'missing-new-fee' };
  for (const fee of [needsOld ? input.oldFeeSen : undefined, needsNew ? input.newFeeSen : undefined]) {
    if (fee === undefined) continue;
    if (!Number.isSafeInteger(fee) || fee <= 0) return { ok: false, reason: 'invalid-fee' };
    if (fee > maxFee) return { ok: false, reason: 'fee-too-large' };
  }
  for (const d of [period.start, period.end, switchDate]) {
    if (!isValidDate(d.y, d.m, d.d)) return { ok: false, reason: 'invalid-date' };
  }
  const periodDays = daysBetween(period.start, period.end) + 1;
  if (periodDays < 1) return { ok: false, reason: 'invalid-date' };
  if (compareDates(switchDate, period.start) < 0 || compareDates(switchDate, period.end) > 0) {
    return { ok: false, reason: 'switch-outside-period' };
  }
  const lines: ProRataLine[] = [];
  if (needsOld) lines.push(line('old', input.oldFeeSen as number, period.start, addDays(switchDate, -1), periodDays));
  if (needsNew) lines.push(line('new', input.newFeeSen as number, switchDate, period.end, periodDays));
  const totalSen = lines.reduce((s, l) => s + l.amountSen, 0);
  return { ok: true, value: { kind, period: { ...period, days: periodDays }, switchDate, lines, totalSen } };
}

// ---------------------------------------------------------------------------------------------------------
// One-message requests: "Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil
// bermula 1 April 2026", "prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st".

export type ProRataSlot = 'oldFee' | 'newFee' | 'switchDate' | 'period';

export interface FeeMention {
  feeSen: number;
  /** Set when the fee came from a plan of the catalogue. */
  planId?: string;
  /** Set when words beside it say whose fee it is ("old plan RM58", "I'm on Postpaid 58"), not only its place. */
  labelled?: boolean;
  /** Index in the text. */
  index: number;
  text: string;
}

export interface ProRataRequestProblem {
  slot: ProRataSlot;
  /** The text that could not be used. */
  text: string;
  reason: MoneyError | DateError | 'invalid-cycle-day';
}

export interface ProRataRequest {
  oldFee?: FeeMention;
  newFee?: FeeMention;
  switchDate?: CalendarDate;
  /** The switch date was introduced by words of switching ("tukar 11 April", "switched on the 11th"), not taken by default. */
  switchDateNamed?: boolean;
  /**
   * The switch date named only its day ("25hb", "the 25th"): its month and year are the reference's, or, when the
   * message names the period, those of the period's day of that number (dayInPeriod).
   */
  switchDateDayOnly?: boolean;
  /**
   * The switch date named no year ("10 Mar", "4 feb", "25hb"): its year is the reference's, or, when the period is
   * known, that of the period's day of that day and month ("10 Mar" of 15 Feb – 14 Mar 2027 is 10 March 2027).
   */
  switchDateYearOmitted?: boolean;
  /** A period start date, when the message gave one ("kitaran bil bermula 1 April 2026"). */
  periodStart?: CalendarDate;
  /** The period start named only its day ("my billing cycle starts on the 15th"): the cycle's day, not a date. */
  periodStartDayOnly?: boolean;
  /** A cycle day, when the message gave one ("cycle day 15", "hari kitaran 15"). */
  cycleDay?: number;
  /** From the plan types or words such as "prepaid ke postpaid"; absent when the message does not say. */
  kind?: ProRataKind;
  /** Slots still needed (for `kind`, or both-plans when unknown), in the order the dialog should ask. */
  missing: ProRataSlot[];
  /** Values that were written but are not acceptable (RM-5, 31 Februari), to re-prompt precisely. */
  problems: ProRataRequestProblem[];
}

/** Words that introduce the date of the switch itself ("tukar pada 11hb", "switching on 16 May"). */
const SWITCH_WORDS = /(tukar|pertukaran|penukaran|switch(?:ed|ing|es)?|chang(?:e|ed|es|ing))\b/i;
const CYCLE_WORDS =
  /(kitaran|cycle|\bperiod\b|tempoh|bil(?:\s+(?:sy|saya|aku|i|my))?(?:\s+(?:biasanya|selalu|always|usually|normally))?\s+(?:bermula|mula|start(?:s|ed)?)|mula\s+bil|bill(?:ing)?\s+(?:(?:always|usually|normally)\s+)?(?:starts?|begins?)|statement|penyata)/i;
/** Right before a date, words that make it the period's start ("billing from 1 Jan 2026", "bil dari 1hb"). */
const PERIOD_FROM = /\b(?:bill(?:ing)?|bil)\s+(?:(?:runs?|is)\s+)?(?:from|dari|dr|daripada)\s*(?:the\s+)?$/i;
/** Between two dates of the period: the second is its last day ("kitaran bil dari 15hb ke 14hb bulan depan"). */
const PERIOD_END_BETWEEN = /^\s*(?:-|\u2013|\u2014|ke|hingga|sehingga|sampai|smpai|to|until|till)(?:\s+the)?\s*$/i;
const CYCLE_DAY_RE =
  /\b(?:(?:bill(?:ing)?\s+)?cycle\s+day|billing\s+day|bill\s+day|hari\s+kitaran(?:\s+bil)?|kitaran\s+bil\s+hari|hari\s+bil)\s*(?:is|ialah|adalah|:|=)?\s*(\d{1,3})\b/i;

// words of switching to (also what makes the fee after them the new plan's: SIDE_LABEL_RE)
const SWITCH_TO = String.raw`(?:switch|switching|switched|change|changing|changed|move|moving|moved|upgrade|upgrading|downgrade|downgrading|go|going|tukar|pindah|naik|turun)\s+(?:to|ke)`;
/**
 * An amount without RM that its words make a monthly fee: after a plan or fee word ("pelan 98", "yuran baru 80",
 * "old plan: 58.50"), after old/new ("lama 58", "the new one is 80") or after a line type ("Postpaid 128"). Not
 * a number with a unit or a month after it ("baru 2 minggu", "plan 3 bulan", "postpaid 5GB", "tukar ke 2 Jun"). Also after words of
 * switching to ("nak tukar ke yg 58", "switch to the 80 one").
 */
const BARE_FEE_RE =
  new RegExp(
    String.raw`(?<![\p{L}\d])(?:${SWITCH_TO}\s+(?:(?:yg|yang|the)\s+)?(?:(?:pelan|plan|pakej|package)\s+)?(?=\d)|(?:pelan|plan|pakej|package|yuran|fee|pre-?paid|post-?paid|prabayar|pasca\s*bayar)(?:\s+(?:lama|old|current|semasa|sekarang|asal|baru|new))?|(?:lama|old|current|semasa|baru|new)(?:\s+(?:pelan|plan|pakej|package|yuran|fee|one))?)(?:\s+(?:sy|saya|aku|dulu|was))?\s*(?:is|ialah|adalah|=|:)?\s*(\d{1,4}(?:\.\d{1,2})?)(?![\p{L}\d/]|[.,]\d|\s*(?:hb|haribulan|hari|days?|bulan|months?|minggu|weeks?|tahun|years?|kali|times|gb|mb|%|sen|jan\w*|feb\w*|mac|mar\w*|apr\w*|mei|may|jun\w*|jul\w*|ogo\w*|aug\w*|sep\w*|okt\w*|oct\w*|nov\w*|dis\w*|dec\w*)(?![\p{L}]))`,
    'giu',
  );
/** An amount without RM that the words after it make a fee of one side ("98 for the old one", "128 utk pelan baru"). */
const FEE_FOR_SIDE_RE =
  /(?<![\p{L}\d.,/])(\d{1,4}(?:\.\d{1,2})?)\s+(?:for|utk|untuk|bagi|is)\s+(?:the\s+|my\s+)?(?:(?:pelan|plan|pakej|package)\s+)?(?:lama|old|current|semasa|sekarang|asal|baru|new|target)(?![\p{L}])/giu;
const SIDE_AFTER_RE = /^\s+(?:for|utk|untuk|bagi|is)\s+(?:the\s+|my\s+)?(?:(?:pelan|plan|pakej|package)\s+)?(lama|old|current|semasa|sekarang|asal|baru|new|target)(?![\p{L}])/iu;
/** Words that make the fee after them the old plan's or the new plan's ("pelan baru RM98", "old plan 58", "dari Demo Postpaid 40"). */
// also where the customer is ("I'm on Postpaid 58 now", "sy tengah guna pelan 58", "sy guna postpaid 58", "skrg guna Demo
// Postpaid 40") and where the switch goes ("can my line
// switch to Digi Postpaid 80? I'm on Postpaid 58", "tukar ke pelan RM80 dari RM58"), whatever the order
const SIDE_LABEL_RE = new RegExp(
  String.raw`(?<![\p{L}])(?:lama|old|current|semasa|sekarang|asal|from|dari|daripada|baru|new|target|took|take|chose|picked|ambil|amik|pilih|` +
    String.raw`(?:i'?m|i\s+am|currently|still|now)\s+on|(?:tengah|sedang|masih|sy|saya|aku|kami|sekarang|skrg|skang|kini)\s+(?:guna|pakai|menggunakan|memakai|melanggan|langgan)|(?:i'?m\s+|i\s+am\s+)?using|i\s+use|${SWITCH_TO})(?![\p{L}])`,
  'giu',
);
/** The new plan's words: its name, taking it ("I changed my mind and took the RM98 plan", "sy ambil pelan RM98"), switching to it. */
const NEW_LABEL_RE = new RegExp(String.raw`^(?:baru|new|target|took|take|chose|picked|ambil|amik|pilih|${SWITCH_TO})$`, 'i');

const TYPE_WORDS: Record<string, 'prepaid' | 'postpaid'> = {
  prepaid: 'prepaid',
  prabayar: 'prepaid',
  postpaid: 'postpaid',
  pascabayar: 'postpaid',
  'pasca bayar': 'postpaid',
};
const TYPE_ALT = 'prepaid|prabayar|postpaid|pascabayar|pasca\\s+bayar';
/** "prepaid ke postpaid", "postpaid to a prepaid": a switch between two line types, at lastIndex (sticky). */
const KIND_AT_RE = new RegExp(`(${TYPE_ALT})\\b[^.]*?\\b(?:ke|kepada|to|into|->|→)\\s+(?:\\w+\\s+)?(${TYPE_ALT})\\b`, 'iy');
const TYPE_WORD_RE = new RegExp(`\\b(?:${TYPE_ALT})\\b`, 'gi');

/**
 * The first switch between line types in the text ("prepaid ... ke postpaid" within a sentence). Tried only
 * from the first line type of each sentence: when it has no switch after it, no later one of the same sentence
 * has (what follows a later one follows the first too). Searching from every line type, as an unanchored
 * pattern does, scanned the rest of the sentence for each: quadratic time on "prepaid prepaid prepaid …".
 */
function findKind(text: string): RegExpExecArray | null {
  const types = new RegExp(TYPE_WORD_RE);
  for (let m = types.exec(text); m; m = types.exec(text)) {
    KIND_AT_RE.lastIndex = m.index;
    const k = KIND_AT_RE.exec(text);
    if (k) return k;
    const dot = text.indexOf('.', m.index);
    if (dot < 0) return null;
    types.lastIndex = dot + 1;
  }
  return null;
}

function kindFor(from: 'prepaid' | 'postpaid', to: 'prepaid' | 'postpaid'): ProRataKind {
  if (from === 'postpaid' && to === 'postpaid') return 'both-plans';
  if (from === 'prepaid' && to === 'postpaid') return 'first-bill';
  if (from === 'postpaid' && to === 'prepaid') return 'final-bill';
  return 'both-plans'; // prepaid → prepaid: knowledge/plan-rules.yaml applies the general rule
}

/** A plan name's comparison key: words only (normaliseText). */
function normaliseName(s: string): string {
  return normaliseText(s, { wordsOnly: true });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Plans named in the text: the full name ("Digi Postpaid 80") or "<type> <number>" ("postpaid 80"). */
function findPlans(text: string, plans: readonly Plan[]): { plan: Plan; index: number; text: string }[] {
  const out: { plan: Plan; index: number; text: string }[] = [];
  const lower = text.toLowerCase();
  for (const plan of plans) {
    // The name as written, and without a bracketed remark ("Demo Postpaid 40 (no longer offered)").
    const names = new Set([plan.name, plan.name.replace(/\([^)]*\)/g, ' ')]);
    for (const name of names) {
      const words = normaliseName(name).split(' ').filter(Boolean);
      if (words.length === 0) continue;
      const re = new RegExp(`\\b${words.map(escapeRe).join('[\\s-]+')}\\b`, 'gi');
      for (const m of lower.matchAll(re)) {
        const index = m.index ?? 0;
        out.push({ plan, index, text: text.slice(index, index + m[0].length) });
      }
    }
  }
  // "postpaid 80": a plan of that type whose name ends in that number, or whose fee is that many ringgit.
  const shortRe = new RegExp(`\\b(${TYPE_ALT})\\s*(\\d{1,6})\\b`, 'gi');
  for (const m of text.matchAll(shortRe)) {
    const index = m.index ?? 0;
    if (out.some((o) => index >= o.index && index < o.index + o.text.length)) continue;
    const type = TYPE_WORDS[m[1].toLowerCase().replace(/\s+/g, ' ')];
    const n = Number(m[2]);
    const candidates = plans.filter((p) => p.type === type);
    const byName = candidates.filter((p) => new RegExp(`\\b${n}$`).test(normaliseName(p.name)));
    const byFee = candidates.filter((p) => p.monthlyFeeSen === n * 100);
    const pick = byName.length === 1 ? byName[0] : byName.length === 0 && byFee.length === 1 ? byFee[0] : undefined;
    if (pick) out.push({ plan: pick, index, text: m[0] });
  }
  out.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const dedup: typeof out = [];
  let end = -1;
  for (const o of out) {
    if (o.index < end) continue;
    dedup.push(o);
    end = o.index + o.text.length;
  }
  return dedup;
}

/**
 * Pull the pro-rata inputs out of one message in Malay or English. Fees: the first amount or plan named is
 * the old plan, the second the new one ("dari pelan RM58 ke pelan RM80", "from RM58 to RM80",
 * "Digi Postpaid 58 to postpaid 80" with `plans`). Dates: a date introduced by billing-cycle words
 * ("kitaran bil bermula", "bill cycle starts", "billing period") is the period start, any other date is the
 * switch date; "cycle day 15" / "hari kitaran 15" gives a cycle day. Day-only dates take month and year
 * from `reference` (see DateParseOptions).
 */
export function parseProRataRequest(
  input: string,
  reference: CalendarDate,
  plans: readonly Plan[] = [],
  /** month names of dates (the lexicon's); default the date parser's */
  months?: ReadonlyMap<string, number>,
): ProRataRequest {
  const problems: ProRataRequestProblem[] = [];
  const req: ProRataRequest = { missing: [], problems };
  // A text longer than any request is not read (every value missing: the procedure asks for each), rather than
  // searched for hundreds of amounts, plans and dates (MAX_MESSAGE_CHARS may be set up to 100,000).
  const text = input.length > MAX_PARSED_CHARS ? '' : input;

  // A phone number ("check line 012-100 0002 … to prepaid") holds no fee and no date: blanked out first.
  let rest = text;
  for (const phone of findPhones(text)) rest = rest.slice(0, phone.index) + ' '.repeat(phone.text.length) + rest.slice(phone.index + phone.text.length);
  // Cycle day first, and blank it out so its number is not read as anything else.
  const cd = CYCLE_DAY_RE.exec(rest);
  if (cd) {
    const n = Number(cd[1]);
    if (n >= 1 && n <= 31) req.cycleDay = n;
    else problems.push({ slot: 'period', text: cd[0], reason: 'invalid-cycle-day' });
    rest = rest.slice(0, cd.index) + ' '.repeat(cd[0].length) + rest.slice(cd.index + cd[0].length);
  }

  // Fees: plans of the catalogue and RM amounts, in order of appearance.
  const planHits = findPlans(rest, plans);
  const fees: (FeeMention | ProRataRequestProblem)[] = [];
  const mentions: { index: number; item: FeeMention | ProRataRequestProblem }[] = planHits.map((p) => ({
    index: p.index,
    item: { feeSen: p.plan.monthlyFeeSen, planId: p.plan.id, index: p.index, text: p.text },
  }));
  for (const a of findRinggit(rest)) {
    if (planHits.some((p) => a.index >= p.index && a.index < p.index + p.text.length)) continue;
    mentions.push({
      index: a.index,
      // RM0 is kept as a mention: the side it is said for has no monthly fee (below)
      item: a.result.ok || a.result.reason === 'zero'
        ? { feeSen: a.result.ok ? a.result.value : 0, index: a.index, text: a.text }
        : { slot: 'oldFee', text: a.text, reason: a.result.reason },
    });
  }
  if (!findFeePair(rest)) {
    // "pelan lama 58, pelan baru 80", "Postpaid 128" (a plan not in the catalogue): amounts without RM that
    // words make monthly fees ("58 ke 80" is a pair: the dialog reads it whole)
    const bare = [...rest.matchAll(BARE_FEE_RE)].map((m) => ({ index: (m.index ?? 0) + m[0].length - m[1]!.length, amount: m[1]! }));
    for (const m of rest.matchAll(FEE_FOR_SIDE_RE)) bare.push({ index: m.index ?? 0, amount: m[1]! });
    for (const { index, amount: written } of bare) {
      if (mentions.some((x) => 'text' in x.item && index < x.index + x.item.text.length && x.index < index + written.length)) continue;
      const amount = parseRinggit(written);
      mentions.push({ index, item: amount.ok ? { feeSen: amount.value, index, text: written } : { slot: 'oldFee', text: written, reason: amount.reason } });
    }
  }
  mentions.sort((a, b) => a.index - b.index);
  // a plan's fee said again right after its name ("Digi Postpaid 58 (RM58)", "Postpaid 80 - RM80"), or its name
  // right after the fee ("my RM58 plan (Digi Postpaid 58)"), is one mention: the plan's
  const restated = (m: (typeof mentions)[number], prev: (typeof mentions)[number] | undefined): boolean =>
    !!prev && 'feeSen' in prev.item && 'feeSen' in m.item && prev.item.feeSen === m.item.feeSen && (!!prev.item.planId || !!m.item.planId) &&
    // (trimmed first: three runs of "\s*" side by side split a long gap of spaces in cubic time)
    /^(?:plan|pelan)?\s*[([:,–-]?$/i.test(rest.slice(prev.index + prev.item.text.length, m.index).trim());
  mentions.forEach((m, i) => {
    if (!restated(m, mentions[i - 1])) fees.push(m.item);
    else if ('planId' in m.item && m.item.planId && !(mentions[i - 1]!.item as FeeMention).planId) fees[fees.length - 1] = m.item;
  });
  // a fee its words call old or new ("pelan baru RM98", "old plan 58") goes to that side, whatever its place;
  // the others take the sides left, in the order written
  const sideOf = (f: FeeMention | ProRataRequestProblem): ProRataSlot | undefined => {
    if (!('feeSen' in f)) return undefined;
    // (only the words since the mention before it: "dari RM-58 ke RM80" does not make RM80 the old plan's)
    const since = Math.max(0, ...mentions.filter((m) => m.index < f.index).map((m) => m.index + m.item.text.length));
    const before = rest.slice(Math.max(since, f.index - 24), f.index);
    const label = [...before.matchAll(SIDE_LABEL_RE)].pop()?.[0] ?? SIDE_AFTER_RE.exec(rest.slice(f.index + f.text.length, f.index + f.text.length + 40))?.[1];
    return label ? (NEW_LABEL_RE.test(label) ? 'newFee' : 'oldFee') : undefined;
  };
  const firstTwo = fees.slice(0, 2);
  const sides = firstTwo.map(sideOf);
  if (sides[0] && sides[0] === sides[1]) sides[1] = undefined;
  const free: ProRataSlot[] = (['oldFee', 'newFee'] as const).filter((s) => !sides.includes(s));
  firstTwo.forEach((f, i) => {
    const slot: ProRataSlot = sides[i] ?? free.shift() ?? 'oldFee';
    if ('feeSen' in f) {
      const fee = sides[i] ? { ...f, labelled: true } : f;
      if (slot === 'oldFee') req.oldFee = fee;
      else req.newFee = fee;
    } else problems.push({ ...f, slot });
  });

  // Kind: from the plans' types (each on its side), else from words such as "prepaid ke postpaid".
  const typeOf = (f: FeeMention | undefined) => planHits.find((p) => p.plan.id === f?.planId && p.index === f?.index)?.plan.type;
  const typed = [typeOf(req.oldFee), typeOf(req.newFee)];
  if (typed[0] && typed[1]) req.kind = kindFor(typed[0], typed[1]);
  else {
    const km = findKind(rest);
    if (km) {
      req.kind = kindFor(
        TYPE_WORDS[km[1].toLowerCase().replace(/\s+/g, ' ')],
        TYPE_WORDS[km[2].toLowerCase().replace(/\s+/g, ' ')],
      );
    }
  }
  // RM0 on one side ("I'm on prepaid, put RM0 for the old plan"): that side has no monthly fee, the bill is
  // one-sided; RM0 on both sides is no fee at all
  const zeroOld = req.oldFee?.feeSen === 0;
  const zeroNew = req.newFee?.feeSen === 0;
  if (zeroOld) delete req.oldFee;
  if (zeroNew) delete req.newFee;
  if (zeroOld && zeroNew) problems.push({ slot: 'oldFee', text: 'RM0', reason: 'zero' });
  else if (zeroOld || zeroNew) req.kind ??= zeroOld ? 'first-bill' : 'final-bill';
  // A single fee with a one-sided kind is the fee of the plan that is billed.
  if (req.kind === 'first-bill' && req.oldFee && !req.newFee && fees.filter((f) => !('feeSen' in f) || f.feeSen > 0).length === 1) {
    req.newFee = req.oldFee;
    delete req.oldFee;
  }

  // Dates.
  let prevEnd = 0;
  // whether the period start found so far named its month (not a bare "1hb", "the 20th")
  let periodMonthNamed = false;
  let previousWasPeriod = false;
  for (const f of findDates(rest, { reference, months })) {
    const before = rest.slice(prevEnd, f.index);
    prevEnd = f.index + f.text.length;
    // the period's last day follows from its start (a range of the date parser, or "dari 15hb ke 14hb")
    if (f.range === 'end' || (previousWasPeriod && PERIOD_END_BETWEEN.test(before))) {
      previousWasPeriod = false;
      continue;
    }
    let slot: ProRataSlot = f.range === 'start' || CYCLE_WORDS.test(before) || PERIOD_FROM.test(before) ? 'period' : 'switchDate';
    // the period's day said again in full ("bill starts on the 1st, so 1 Nov 2026", "cycle day 20, this one
    // started 20 Feb 2026"): the same day of the month, without words of switching before it, restates the period
    const periodDay = req.periodStart?.d ?? req.cycleDay;
    if (slot === 'switchDate' && f.result.ok && periodDay === f.result.value.d && !SWITCH_WORDS.test(before)) slot = 'period';
    previousWasPeriod = slot === 'period';
    if (!f.result.ok) {
      problems.push({ slot, text: f.text, reason: f.result.reason });
      continue;
    }
    if (slot === 'period' && (!req.periodStart || (!periodMonthNamed && f.named.month && f.result.value.d === req.periodStart.d))) {
      req.periodStart = f.result.value;
      periodMonthNamed = f.named.month;
      req.periodStartDayOnly = !f.named.month;
    } else if (slot === 'switchDate' && !req.switchDate) {
      req.switchDate = f.result.value;
      if (SWITCH_WORDS.test(before)) req.switchDateNamed = true;
      if (!f.named.month) req.switchDateDayOnly = true;
      if (!f.named.year) req.switchDateYearOmitted = true;
    }
  }
  // "bil 5 Okt – 4 Nov, tukar 2hb": a day alone is the period's day of that number (2 Nov), not the reference's month;
  // "cycle starts 15 Feb 2027, switch on 2 Mar": a day and month are the period's, not the reference's year
  if (req.switchDate && req.switchDateYearOmitted && req.periodStart) {
    const period = periodOfRequest(req);
    const inPeriod = period?.ok ? dayInPeriod(req.switchDate.d, period.value, req.switchDateDayOnly ? undefined : req.switchDate.m) : undefined;
    if (inPeriod) req.switchDate = inPeriod;
  }

  const kind = req.kind ?? 'both-plans';
  if (kind !== 'first-bill' && !req.oldFee) req.missing.push('oldFee');
  if (kind !== 'final-bill' && !req.newFee) req.missing.push('newFee');
  if (!req.periodStart && req.cycleDay === undefined) req.missing.push('period');
  if (!req.switchDate) req.missing.push('switchDate');
  return req;
}

/**
 * The day of a billing period whose day of the month is `day` ("25hb" of 1–30 April is 25 April; "2hb" of 5 October –
 * 4 November is 2 November) — in `month` when given ("10 Mar" of 15 February – 14 March 2027) — or undefined when the
 * period has none (the 31st of a 30-day month). At most 31 steps.
 */
export function dayInPeriod(day: number, period: Pick<BillingPeriod, 'start' | 'end'>, month?: number): CalendarDate | undefined {
  for (let d = period.start; compareDates(d, period.end) <= 0; d = addDays(d, 1)) if (d.d === day && (month === undefined || d.m === month)) return d;
  return undefined;
}

/** The billing period a parsed request names: from its start date, or from its cycle day and switch date. */
export function periodOfRequest(req: Pick<ProRataRequest, 'periodStart' | 'cycleDay' | 'switchDate'>): PeriodResult | undefined {
  if (req.periodStart) return billingPeriodFromStart(req.periodStart, req.cycleDay ?? req.periodStart.d);
  if (req.cycleDay !== undefined && req.switchDate) return billingPeriodContaining(req.cycleDay, req.switchDate);
  return undefined;
}

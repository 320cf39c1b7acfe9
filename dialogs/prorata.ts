/**
 * The pro-rata bill of a plan switch (days × monthly fee / days in the billing period), on the slot engine
 * (dialogs/engine.ts): four slots — the old plan's fee, the new plan's fee, the billing period (its start date
 * or cycle day) and the switch date — filled from any message in any order ("tolong kira prorata pelan 40 ke
 * 98, tukar 20hb, bil mula 5hb" gives all four), then the bill (words and card in dialogs/views/prorata.ts).
 */
import type { TurnContext } from 'botbuilder';
import type { Reply } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import {
  type CalendarDate,
  computeProRata,
  dayInPeriod,
  findDates,
  findFeePair,
  formatDate,
  formatRinggit,
  parseDate,
  parseProRataRequest,
  parseRinggit,
  periodOfRequest,
  type ProRataSlot,
  withoutNegatedValues,
} from '../src/domain';
import { recordOutcome } from '../src/bot/context';
import type { KnowledgeBase, ProRataKind } from '../src/knowledge/types';
import type { MessageCatalog, Vars } from '../src/language/catalog';
import { type Extracted, type Outcome, type Problem, type Slot, type SlotAnswer, SlotProcedure } from './engine';
import { type Today, dateWords, findPlan } from './planswitch-common';
import { billReply, kindTitle } from './views/prorata';

/** The sen a plan's monthly price ends in (RM58, RM29.90, RM39.99, RM48.50): any other is an amount billed pro rata. */
const PLAN_PRICE_SEN = new Set([0, 50, 90, 99]);

/** The largest monthly plan fee the calculator accepts: RM1,000 (anything above is a typing mistake). */
export const MAX_PLAN_FEE_SEN = 1_000_00;

export interface ProRataValues {
  kind?: ProRataKind;
  oldFeeSen?: number;
  oldPlanId?: string;
  newFeeSen?: number;
  newPlanId?: string;
  periodStart?: CalendarDate;
  cycleDay?: number;
  switchDate?: CalendarDate;
}

/** What another procedure (eligibility) already knows. */
export interface ProRataOptions extends ProcedureOptions {
  prefill?: Pick<ProRataValues, 'kind' | 'oldFeeSen' | 'oldPlanId' | 'newFeeSen' | 'newPlanId'>;
}

function feeProblem(reason: string): Problem {
  if (reason === 'negative') return { key: 'prorata.fee.negative' };
  if (reason === 'zero') return { key: 'prorata.fee.zero' };
  if (reason === 'too-large') return { key: 'prorata.fee.too-large', vars: { max: formatRinggit(MAX_PLAN_FEE_SEN) } };
  if (reason === 'too-many-decimals') return { key: 'prorata.fee.decimals' };
  return { key: 'prorata.fee.unrecognised' };
}

const OLD_WORDS = /\b(lama|old|current|semasa|sekarang|dulu)\b|\b(?:dari|daripada|drpd|from)\s+(?:(?:pelan|plan)\s+)?rm\s*\d/i;
// a fee after "ke"/"to" is the one switched to ("eh silap, ke RM128 sebenarnya", "to plan 80")
const NEW_WORDS = /\b(baru|new|target|nak tukar ke|took|chose|picked|ambil|amik|pilih|go for|going for|opt for|choose|pick)\b|\b(?:ke|kepada|kpd|to)\s+(?:(?:pelan|plan)\s+(?:rm\s*)?|rm\s*)\d/i;

export class ProRataDialog extends SlotProcedure<ProRataValues> {
  protected readonly gaveUpKey = 'prorata.gave-up';
  protected readonly slots: Slot<ProRataValues>[];
  /** (the bill is computed from the values alone: shown again in another language on request) */
  override readonly recomputable = true;

  constructor(
    catalog: MessageCatalog,
    private readonly knowledge: KnowledgeBase,
    private readonly today: Today,
    /** month names of dates (the lexicon's: knowledge/lexicon.yaml months); default the date parser's */
    private readonly months?: ReadonlyMap<string, number>,
  ) {
    super('prorata', catalog);
    const kind = (v: ProRataValues) => v.kind ?? 'both-plans';
    this.slots = [
      {
        name: 'oldFeeSen',
        missing: (v) => kind(v) !== 'first-bill' && v.oldFeeSen === undefined,
        ask: (c, v) => this.askFee(c, v, 'oldFee'),
        answer: (text) => this.answerFee('old', text),
        pure: true,
      },
      {
        name: 'newFeeSen',
        missing: (v) => kind(v) !== 'final-bill' && v.newFeeSen === undefined,
        ask: (c, v) => this.askFee(c, v, 'newFee'),
        answer: (text) => this.answerFee('new', text),
        pure: true,
      },
      {
        name: 'period',
        missing: (v) => !v.periodStart && v.cycleDay === undefined,
        ask: (c, v) => ({ text: this.t(c, 'prorata.ask.period', { kind: kindTitle(this.catalog, kind(v), this.lang(c)) }) }),
        answer: (text, c) => this.answerPeriod(text, c),
        pure: true,
      },
      {
        name: 'switchDate',
        missing: (v) => !v.switchDate,
        ask: (c, v) => this.askSwitchDate(c, v),
        answer: (text, c, v) => this.answerSwitchDate(text, c, v),
        pure: true,
      },
    ];
  }

  /** A bill of both plans is what is computed until another kind is named: "postpaid to postpaid" says nothing new. */
  protected override holds(values: ProRataValues, key: keyof ProRataValues, value: unknown): boolean {
    if (key === 'kind' && values.kind === undefined) return value === 'both-plans';
    return super.holds(values, key, value);
  }

  protected initial(options: ProRataOptions): ProRataValues {
    return { ...(options.prefill ?? {}) };
  }

  /** Every value of a message: fees (RM amounts, plan names, "58 ke 80"), the kind, the period and the switch date. */
  protected extract(text: string, _context: TurnContext, current: ProRataValues): Extracted<ProRataValues> {
    const req = parseProRataRequest(text, this.today(), this.knowledge.plans, this.months);
    const values: ProRataValues = {};
    if (req.kind) values.kind = req.kind;
    const kind = req.kind ?? current.kind ?? 'both-plans';
    let problem: Problem | undefined;
    const fees = [req.oldFee, req.newFee].filter((f): f is NonNullable<typeof f> => !!f);
    const pair = fees.length === 0 ? findFeePair(text) : undefined;
    const ok = (sen: number) => {
      if (sen > MAX_PLAN_FEE_SEN) problem ??= feeProblem('too-large');
      return sen <= MAX_PLAN_FEE_SEN;
    };
    if (pair) {
      if (ok(pair.oldSen) && kind !== 'first-bill') values.oldFeeSen = pair.oldSen;
      if (ok(pair.newSen) && kind !== 'final-bill') values.newFeeSen = pair.newSen;
    } else if (fees.length >= 2 && kind === 'both-plans') {
      if (ok(fees[0]!.feeSen)) Object.assign(values, { oldFeeSen: fees[0]!.feeSen }, fees[0]!.planId ? { oldPlanId: fees[0]!.planId } : {});
      if (ok(fees[1]!.feeSen)) Object.assign(values, { newFeeSen: fees[1]!.feeSen }, fees[1]!.planId ? { newPlanId: fees[1]!.planId } : {});
    } else if (fees.length >= 1) {
      // one fee: the billed plan of a one-sided bill; else the plan the words name, else the one still missing
      const fee = kind === 'first-bill' ? fees[fees.length - 1]! : fees[0]!;
      // a fee the request's words put on the new side ("pelan baru RM98") is the new plan's
      const side =
        kind === 'first-bill' ? 'new' : kind === 'final-bill' ? 'old' : req.newFee || NEW_WORDS.test(text) ? 'new' : OLD_WORDS.test(text) ? 'old' : current.oldFeeSen === undefined ? 'old' : current.newFeeSen === undefined ? 'new' : 'old';
      if (ok(fee.feeSen)) {
        if (side === 'old') Object.assign(values, { oldFeeSen: fee.feeSen }, fee.planId ? { oldPlanId: fee.planId } : {});
        else Object.assign(values, { newFeeSen: fee.feeSen }, fee.planId ? { newPlanId: fee.planId } : {});
      }
    }
    // "my billing cycle starts on the 15th" (no month): the cycle's day, whose period is the one holding the switch date
    // (said with a switch date that names its month too: "cycle starts on the 15th. I'm switching … on 1 Feb 2026")
    if (req.periodStart && req.periodStartDayOnly && (!req.switchDate || !req.switchDateDayOnly) && req.cycleDay === undefined) values.cycleDay = req.periodStart.d;
    else if (req.periodStart) values.periodStart = req.periodStart;
    if (req.cycleDay !== undefined) values.cycleDay = req.cycleDay;
    if (req.switchDate) values.switchDate = req.switchDateYearOmitted && !req.periodStart ? this.inKnownPeriod(req.switchDate, current, !req.switchDateDayOnly) : req.switchDate;
    const first = req.problems[0];
    if (first) problem = this.problemOf(first.slot, first.reason, first.text);
    // the period is always named by its words (a date after "bil mula", "cycle day 15"); the switch date when
    // words of switching introduce it (a bare date is taken as the switch date only by default)
    const named: (keyof ProRataValues)[] = ['periodStart', 'cycleDay'];
    if (req.switchDateNamed) named.push('switchDate');
    return { values, problem, named };
  }

  /**
   * Whether a message gives enough values to be a request for the bill (SlotProcedure.givesValues), counting neither a
   * value it denies ("bil keluar jumlah pelik, bukan RM58 bukan RM80") nor an amount a bill charged: a fee no plan of the
   * catalogue costs, in sen no price of a plan ends in (RM19.33, RM47.83; plans cost whole ringgit or end in .50, .90,
   * .99), is the pro-rated charge read on the bill. "My bill shows RM19.33 and RM53.33 as two monthly fees after I
   * changed plans on the 11th" asks how the bill was worked out; it gives no plan to work one out from. Asked for the
   * bill in words, or at the calculator's own question, such an amount is still taken as the customer says it.
   */
  override givesValues(text: string, context?: TurnContext): boolean {
    if (!context) return false;
    const { values } = this.extract(withoutNegatedValues(text), context, this.initial({}));
    const billed = (sen: number | undefined, planId: string | undefined) =>
      sen !== undefined && !planId && !PLAN_PRICE_SEN.has(sen % 100) && !this.knowledge.plans.some((p) => p.monthlyFeeSen === sen);
    if (billed(values.oldFeeSen, values.oldPlanId)) delete values.oldFeeSen;
    if (billed(values.newFeeSen, values.newPlanId)) delete values.newFeeSen;
    return this.distinctValues(values) >= 2;
  }

  /** A plan named ("Digi Postpaid 80") is one thing said, kept as its id and its fee: "how much data on Digi Postpaid 80?" gives one value. */
  protected override distinctValues(values: Partial<ProRataValues>): number {
    return Object.keys(values).filter((k) => k !== 'oldPlanId' && k !== 'newPlanId').length;
  }

  protected override invalidate(values: ProRataValues, changed: (keyof ProRataValues)[]): void {
    // a new period start replaces a cycle day and the other way round
    if (changed.includes('periodStart') && !changed.includes('cycleDay')) delete values.cycleDay;
    if (changed.includes('cycleDay') && !changed.includes('periodStart')) delete values.periodStart;
    if (changed.includes('oldFeeSen') && !changed.includes('oldPlanId')) delete values.oldPlanId;
    if (changed.includes('newFeeSen') && !changed.includes('newPlanId')) delete values.newPlanId;
    // a bill found to be a first bill (prepaid to postpaid: "put RM0 for the old plan") after a lone fee was taken
    // as the old plan's (the first fee said is the old one by default): that fee is the plan billed, the new one
    if (changed.includes('kind') && values.kind === 'first-bill' && values.newFeeSen === undefined && values.oldFeeSen !== undefined && !changed.includes('oldFeeSen')) {
      values.newFeeSen = values.oldFeeSen;
      if (values.oldPlanId) values.newPlanId = values.oldPlanId;
      delete values.oldFeeSen;
      delete values.oldPlanId;
    }
  }

  private problemOf(slot: ProRataSlot, reason: string, text: string): Problem {
    if (slot === 'oldFee' || slot === 'newFee') return feeProblem(reason);
    if (reason === 'invalid-cycle-day') return { key: 'prorata.period.invalid-cycle-day' };
    if (reason === 'invalid-date' || reason === 'year-out-of-range') return { key: 'prorata.date.invalid', vars: { date: text } };
    return { key: slot === 'period' ? 'prorata.period.unrecognised' : 'prorata.switch.unrecognised' };
  }

  private askFee(context: TurnContext, values: ProRataValues, slot: 'oldFee' | 'newFee'): Reply {
    const plans = this.knowledge.plans.filter((p) => p.offered || slot === 'oldFee').slice(0, 5);
    return {
      text: this.t(context, `prorata.ask.${slot}`, { kind: kindTitle(this.catalog, values.kind ?? 'both-plans', this.lang(context)) }),
      choices: plans.map((p) => ({ title: p.name, value: p.name })),
    };
  }

  private answerFee(asked: 'old' | 'new', text: string): SlotAnswer<ProRataValues> {
    // "pelan baru 80" where the old plan was asked is the new plan's fee
    const side = NEW_WORDS.test(text) ? 'new' : OLD_WORDS.test(text) ? 'old' : asked;
    const plan = findPlan(text, this.knowledge.plans, this.today());
    let feeSen: number;
    if (plan) feeSen = plan.monthlyFeeSen;
    else {
      // a bare amount after a few words ("pelan lama 58", "the old one is 58.50")
      const bare = /^[^\d-]{0,40}?((?:rm\s*)?\d+(?:[.,]\d+)*\s*(?:ringgit)?)\s*(?:sebulan|per month|a month|monthly)?[.!]?$/i.exec(text.trim());
      const amount = parseRinggit(bare ? bare[1]! : text, { maxSen: MAX_PLAN_FEE_SEN });
      if (!amount.ok) {
        // an amount inside a sentence ("pelan lama RM58")
        const req = parseProRataRequest(text, this.today(), [], this.months);
        const fee = req.oldFee ?? req.newFee;
        if (fee && !(req.oldFee && req.newFee)) {
          if (fee.feeSen > MAX_PLAN_FEE_SEN) return { ok: false, ...feeProblem('too-large') };
          feeSen = fee.feeSen;
        } else if (req.problems[0] && (req.problems[0].slot === 'oldFee' || req.problems[0].slot === 'newFee')) {
          return { ok: false, ...feeProblem(req.problems[0].reason) };
        } else return { ok: false, ...feeProblem(amount.reason) };
      } else feeSen = amount.value;
    }
    return {
      ok: true,
      apply: (v) => {
        if (side === 'old') {
          v.oldFeeSen = feeSen;
          if (plan) v.oldPlanId = plan.id;
          else delete v.oldPlanId;
        } else {
          v.newFeeSen = feeSen;
          if (plan) v.newPlanId = plan.id;
          else delete v.newPlanId;
        }
      },
    };
  }

  private answerPeriod(text: string, context: TurnContext): SlotAnswer<ProRataValues> {
    const day =
      /^(?:(?:hari\s+)?(?:kitaran|cycle)(?:\s+bil)?(?:\s+day)?|(?:bill(?:ing)?\s+)?(?:cycle|day)|hari(?:\s+bil)?|bermula|mula|starts?(?:\s+on)?|on|pada)?\s*(?:the\s+)?(\d{1,3})(?:\s*(?:hb|haribulan|hari\s+bulan)|st|nd|rd|th)?\.?$/i.exec(
        text.trim(),
      );
    if (day) {
      const n = Number(day[1]);
      if (n < 1 || n > 31) return { ok: false, key: 'prorata.period.invalid-cycle-day' };
      return {
        ok: true,
        apply: (v) => {
          v.cycleDay = n;
          delete v.periodStart;
        },
      };
    }
    const date = parseDate(text, { reference: this.today(), months: this.months });
    if (!date.ok) return this.dateProblem(date, 'prorata.period.unrecognised', context);
    const start = date.value;
    // "my billing cycle starts on the 15th of every month" (no month): the cycle's day, as "15hb" alone
    if (findDates(text, { reference: this.today(), months: this.months }).every((f) => !f.named.month)) {
      return {
        ok: true,
        apply: (v) => {
          v.cycleDay = start.d;
          delete v.periodStart;
        },
      };
    }
    return {
      ok: true,
      apply: (v) => {
        v.periodStart = start;
        delete v.cycleDay;
      },
    };
  }

  private askSwitchDate(context: TurnContext, values: ProRataValues): Reply {
    const lang = this.lang(context);
    const vars: Vars = { kind: kindTitle(this.catalog, values.kind ?? 'both-plans', lang) };
    const period = periodOfRequest(values);
    if (period?.ok) {
      vars.start = formatDate(period.value.start, lang);
      vars.end = formatDate(period.value.end, lang);
      return { text: this.t(context, 'prorata.ask.switchDate.inPeriod', vars) };
    }
    return { text: this.t(context, 'prorata.ask.switchDate', vars) };
  }

  private answerSwitchDate(text: string, context: TurnContext, values: ProRataValues): SlotAnswer<ProRataValues> {
    const date = parseDate(text, { reference: values.periodStart ?? this.today(), months: this.months });
    if (!date.ok) return this.dateProblem(date, 'prorata.switch.unrecognised', context);
    const found = findDates(text, { reference: this.today(), months: this.months });
    const dayOnly = found.every((f) => !f.named.month);
    const value = found.every((f) => !f.named.year) ? this.inKnownPeriod(date.value, values, !dayOnly) : date.value;
    return { ok: true, apply: (v) => (v.switchDate = value) };
  }

  /**
   * A switch date given without its year ("kalau sy tukar 25hb pulak?" after a bill for 1–30 April; "2hb" in a period of
   * 5 October – 4 November; "what if I switch on 10 Mar?" after a bill for 15 February – 14 March 2027): the known
   * period's day of that number (and month, when named); without a known period, as read.
   */
  private inKnownPeriod(date: CalendarDate, values: ProRataValues, monthNamed: boolean): CalendarDate {
    const period = periodOfRequest(values);
    return (period?.ok ? dayInPeriod(date.d, period.value, monthNamed ? date.m : undefined) : undefined) ?? date;
  }

  private dateProblem(date: Exclude<ReturnType<typeof parseDate>, { ok: true }>, fallback: string, context: TurnContext): SlotAnswer<ProRataValues> {
    if ((date.reason === 'invalid-date' || date.reason === 'year-out-of-range') && date.parts) {
      return { ok: false, key: 'prorata.date.invalid', vars: { date: dateWords(date.parts, this.lang(context)) } };
    }
    return { ok: false, key: fallback };
  }

  protected async act(context: TurnContext, values: ProRataValues): Promise<Outcome> {
    const lang = this.lang(context);
    const periodResult = periodOfRequest(values);
    if (!periodResult?.ok) {
      delete values.periodStart;
      delete values.cycleDay;
      return { done: false, problem: { key: 'prorata.period.unrecognised' } };
    }
    const period = periodResult.value;
    const result = computeProRata({
      kind: values.kind ?? 'both-plans',
      oldFeeSen: values.oldFeeSen,
      newFeeSen: values.newFeeSen,
      period,
      switchDate: values.switchDate!,
      maxFeeSen: MAX_PLAN_FEE_SEN,
    });
    if (!result.ok) {
      if (result.reason === 'switch-outside-period') {
        const problem = {
          key: 'prorata.switch.outside',
          vars: { date: formatDate(values.switchDate!, lang), start: formatDate(period.start, lang), end: formatDate(period.end, lang) },
        };
        delete values.switchDate;
        return { done: false, problem };
      }
      // a fee that slipped through (cannot happen after the parsers): ask again for both
      delete values.oldFeeSen;
      delete values.newFeeSen;
      return { done: false, problem: feeProblem(result.reason === 'fee-too-large' ? 'too-large' : 'not-a-number') };
    }
    await this.send(context, billReply(this.catalog, this.knowledge, lang, result.value, values));
    recordOutcome(context, { procedure: 'prorata', totalSen: result.value.totalSen });
    return { done: true, result: result.value };
  }
}

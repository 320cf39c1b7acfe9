/**
 * ProRataDialog: the bill of a plan switch, days × monthly fee / days in the billing period. It reads
 * everything it can from the message that started it ("prorate RM58 to RM80, switched on the 11th, bill
 * cycle starts on the 1st") and asks only for what is missing: the old plan's fee (or a plan name), the new
 * plan's fee, the billing period (its start date or the cycle day) and the switch date. A wrong value gets a
 * precise re-prompt in the customer's language; after three wrong answers for one value it stops politely.
 */
import type { TurnContext } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ProcedureOptions } from '../src/bot/supportBot';
import {
  type BillingPeriod,
  type CalendarDate,
  type ProRataBill,
  type ProRataSlot,
  billingPeriodContaining,
  billingPeriodFromStart,
  computeProRata,
  formatDate,
  formatRinggit,
  formatSenPlain,
  parseDate,
  parseProRataRequest,
  parseRinggit,
} from '../src/domain';
import type { KnowledgeBase, Lang, ProRataKind } from '../src/knowledge/types';
import type { MessageCatalog, Vars } from '../src/language/catalog';
import { ProcedureDialog } from './base';
import { type Today, adaptiveCard, dateWords, findPlan, textBlock } from './planswitch-common';

/** The largest monthly plan fee the calculator accepts: RM1,000 (anything above is a typing mistake). */
export const MAX_PLAN_FEE_SEN = 1_000_00;
const MAX_TRIES = 3;

export interface ProRataState {
  kind?: ProRataKind;
  oldFeeSen?: number;
  oldPlanId?: string;
  newFeeSen?: number;
  newPlanId?: string;
  periodStart?: CalendarDate;
  cycleDay?: number;
  switchDate?: CalendarDate;
  /** What was wrong with the last answer (or the first message), said before the question. */
  problem?: { key: string; vars?: Vars };
  /** The slot being asked. */
  asking?: ProRataSlot;
  tries?: Partial<Record<ProRataSlot, number>>;
}

/** What another procedure (eligibility) already knows. */
export interface ProRataOptions extends ProcedureOptions {
  prefill?: Pick<ProRataState, 'kind' | 'oldFeeSen' | 'oldPlanId' | 'newFeeSen' | 'newPlanId'>;
}

const LOOP = 'prorata.loop';
const ANSWER = 'prorata.answer';

type Parsed = { ok: true; apply: (s: ProRataState) => void } | { ok: false; key: string; vars?: Vars };

export class ProRataDialog extends ProcedureDialog {
  constructor(
    catalog: MessageCatalog,
    private readonly knowledge: KnowledgeBase,
    private readonly today: Today,
    /** month names of dates (the lexicon's: knowledge/lexicon.yaml months); default the date parser's */
    private readonly months?: ReadonlyMap<string, number>,
  ) {
    super('prorata', catalog);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askNext.bind(this), this.receive.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** The first message (and any handed-over values) fill the slots before the loop starts. */
  override async beginDialog(outerDc: Parameters<ProcedureDialog['beginDialog']>[0], options?: ProRataOptions) {
    return super.beginDialog(outerDc, this.initialState(options ?? {}));
  }

  private initialState(options: ProRataOptions): ProRataState {
    const state: ProRataState = { ...(options.prefill ?? {}), tries: {} };
    const text = options.text ?? '';
    if (!text) return state;
    this.merge(state, text);
    return state;
  }

  /** How many values a message gives (a one-message request gives several). */
  private valuesIn(text: string): number {
    const req = parseProRataRequest(text, this.today(), this.knowledge.plans, this.months);
    return [req.oldFee, req.newFee, req.switchDate, req.periodStart ?? req.cycleDay].filter((v) => v !== undefined).length;
  }

  /** Fills the slots a free message names (the first message, or an answer that gives several values at once). */
  private merge(state: ProRataState, text: string): void {
    const req = parseProRataRequest(text, this.today(), this.knowledge.plans, this.months);
    state.kind ??= req.kind;
    const kind = state.kind ?? 'both-plans';
    // a fee of a one-sided bill is the fee of the plan that is billed
    const fees = [req.oldFee, req.newFee].filter((f) => f !== undefined);
    const assign = (slot: 'old' | 'new', fee: (typeof fees)[number] | undefined) => {
      if (!fee || fee.feeSen > MAX_PLAN_FEE_SEN) return;
      if (slot === 'old' && state.oldFeeSen === undefined) {
        state.oldFeeSen = fee.feeSen;
        if (fee.planId) state.oldPlanId = fee.planId;
      } else if (slot === 'new' && state.newFeeSen === undefined) {
        state.newFeeSen = fee.feeSen;
        if (fee.planId) state.newPlanId = fee.planId;
      }
    };
    if (kind === 'final-bill') assign('old', fees[0]);
    else if (kind === 'first-bill') assign('new', fees[fees.length - 1]);
    else {
      assign('old', req.oldFee);
      assign('new', req.newFee);
    }
    if (req.periodStart) state.periodStart = req.periodStart;
    if (req.cycleDay !== undefined) state.cycleDay = req.cycleDay;
    if (req.switchDate) state.switchDate = req.switchDate;
    const tooLarge = fees.find((f) => f && f.feeSen > MAX_PLAN_FEE_SEN);
    const problem = req.problems[0];
    if (problem) state.problem = this.problemOf(problem.slot, problem.reason, problem.text);
    else if (tooLarge) state.problem = { key: 'prorata.fee.too-large', vars: { max: formatRinggit(MAX_PLAN_FEE_SEN) } };
  }

  private problemOf(slot: ProRataSlot, reason: string, text: string): { key: string; vars?: Vars } {
    if (slot === 'oldFee' || slot === 'newFee') return this.feeProblem(reason);
    if (reason === 'invalid-cycle-day') return { key: 'prorata.period.invalid-cycle-day' };
    if (reason === 'invalid-date' || reason === 'year-out-of-range') return { key: 'prorata.date.invalid', vars: { date: text } };
    return { key: slot === 'period' ? 'prorata.period.unrecognised' : 'prorata.switch.unrecognised' };
  }

  private feeProblem(reason: string): { key: string; vars?: Vars } {
    if (reason === 'negative') return { key: 'prorata.fee.negative' };
    if (reason === 'zero') return { key: 'prorata.fee.zero' };
    if (reason === 'too-large') return { key: 'prorata.fee.too-large', vars: { max: formatRinggit(MAX_PLAN_FEE_SEN) } };
    if (reason === 'too-many-decimals') return { key: 'prorata.fee.decimals' };
    return { key: 'prorata.fee.unrecognised' };
  }

  private missing(state: ProRataState): ProRataSlot | undefined {
    const kind = state.kind ?? 'both-plans';
    if (kind !== 'first-bill' && state.oldFeeSen === undefined) return 'oldFee';
    if (kind !== 'final-bill' && state.newFeeSen === undefined) return 'newFee';
    if (!state.periodStart && state.cycleDay === undefined) return 'period';
    if (!state.switchDate) return 'switchDate';
    return undefined;
  }

  private async askNext(step: WaterfallStepContext) {
    const state = step.options as ProRataState;
    const slot = this.missing(state);
    if (!slot) return this.finish(step, state);
    const problem = state.problem;
    delete state.problem;
    if (problem) await this.say(step.context, problem.key, { vars: problem.vars });
    state.asking = slot;
    (step.values as { state?: ProRataState }).state = state;
    const lang = this.lang(step.context);
    const vars: Vars = { kind: this.kindTitle(state.kind ?? 'both-plans', lang) };
    if (slot === 'oldFee' || slot === 'newFee') {
      const plans = this.knowledge.plans.filter((p) => p.offered || slot === 'oldFee').slice(0, 5);
      return this.ask(step, ANSWER, `prorata.ask.${slot}`, { vars, choices: plans.map((p) => ({ title: p.name, value: p.name })) });
    }
    if (slot === 'period') return this.ask(step, ANSWER, 'prorata.ask.period', { vars });
    const period = state.periodStart ? billingPeriodFromStart(state.periodStart, state.cycleDay ?? state.periodStart.d) : undefined;
    if (period?.ok) {
      vars.start = formatDate(period.value.start, lang);
      vars.end = formatDate(period.value.end, lang);
      return this.ask(step, ANSWER, 'prorata.ask.switchDate.inPeriod', { vars });
    }
    return this.ask(step, ANSWER, 'prorata.ask.switchDate', { vars });
  }

  private async receive(step: WaterfallStepContext) {
    const state = (step.values as { state?: ProRataState }).state as ProRataState;
    const slot = state.asking as ProRataSlot;
    const text = String(step.result ?? '').trim();
    if (this.valuesIn(text) >= 2) {
      // everything in one message, whatever was asked
      this.merge(state, text);
      delete state.asking;
      return step.replaceDialog(LOOP, state);
    }
    const parsed: Parsed = this.parse(slot, text, state, this.lang(step.context));
    if (parsed.ok) {
      parsed.apply(state);
      if (state.tries) delete state.tries[slot];
    } else {
      const tries = (state.tries ??= {});
      tries[slot] = (tries[slot] ?? 0) + 1;
      if (tries[slot]! >= MAX_TRIES) {
        await this.say(step.context, parsed.key, { vars: parsed.vars });
        await this.say(step.context, 'prorata.gave-up');
        return step.endDialog();
      }
      state.problem = { key: parsed.key, vars: parsed.vars };
    }
    delete state.asking;
    return step.replaceDialog(LOOP, state);
  }

  private parse(slot: ProRataSlot, text: string, state: ProRataState, lang: Lang): Parsed {
    if (slot === 'oldFee' || slot === 'newFee') return this.parseFee(slot, text);
    if (slot === 'period') return this.parsePeriod(text, lang);
    return this.parseSwitchDate(text, state, lang);
  }

  private parseFee(slot: 'oldFee' | 'newFee', text: string): Parsed {
    const plan = findPlan(text, this.knowledge.plans, this.today());
    let feeSen: number;
    if (plan) feeSen = plan.monthlyFeeSen;
    else {
      const amount = parseRinggit(text, { maxSen: MAX_PLAN_FEE_SEN });
      if (!amount.ok) {
        // an amount inside a sentence ("pelan lama RM58")
        const req = parseProRataRequest(text, this.today(), [], this.months);
        if (req.oldFee && !req.newFee) {
          if (req.oldFee.feeSen > MAX_PLAN_FEE_SEN) return { ok: false, ...this.feeProblem('too-large') };
          feeSen = req.oldFee.feeSen;
        } else if (req.problems[0] && (req.problems[0].slot === 'oldFee' || req.problems[0].slot === 'newFee')) {
          return { ok: false, ...this.feeProblem(req.problems[0].reason) };
        } else return { ok: false, ...this.feeProblem(amount.reason) };
      } else feeSen = amount.value;
    }
    return {
      ok: true,
      apply: (s) => {
        if (slot === 'oldFee') {
          s.oldFeeSen = feeSen;
          if (plan) s.oldPlanId = plan.id;
        } else {
          s.newFeeSen = feeSen;
          if (plan) s.newPlanId = plan.id;
        }
      },
    };
  }

  private parsePeriod(text: string, lang: Lang): Parsed {
    const day =
      /^(?:(?:hari\s+)?(?:kitaran|cycle)(?:\s+bil)?(?:\s+day)?|(?:bill(?:ing)?\s+)?(?:cycle|day)|hari(?:\s+bil)?|bermula|mula|starts?(?:\s+on)?|on|pada)?\s*(?:the\s+)?(\d{1,3})(?:\s*(?:hb|haribulan|hari\s+bulan)|st|nd|rd|th)?\.?$/i.exec(
        text.trim(),
      );
    if (day) {
      const n = Number(day[1]);
      if (n < 1 || n > 31) return { ok: false, key: 'prorata.period.invalid-cycle-day' };
      return {
        ok: true,
        apply: (s) => {
          s.cycleDay = n;
          delete s.periodStart;
        },
      };
    }
    const date = parseDate(text, { reference: this.today(), months: this.months });
    if (!date.ok) return this.dateProblem(date, 'prorata.period.unrecognised', lang);
    const start = date.value;
    return {
      ok: true,
      apply: (s) => {
        s.periodStart = start;
        delete s.cycleDay;
      },
    };
  }

  private parseSwitchDate(text: string, state: ProRataState, lang: Lang): Parsed {
    const date = parseDate(text, { reference: state.periodStart ?? this.today(), months: this.months });
    if (!date.ok) return this.dateProblem(date, 'prorata.switch.unrecognised', lang);
    const value = date.value;
    return { ok: true, apply: (s) => (s.switchDate = value) };
  }

  private dateProblem(date: Exclude<ReturnType<typeof parseDate>, { ok: true }>, fallback: string, lang: Lang): Parsed {
    if ((date.reason === 'invalid-date' || date.reason === 'year-out-of-range') && date.parts) {
      return { ok: false, key: 'prorata.date.invalid', vars: { date: dateWords(date.parts, lang) } };
    }
    return { ok: false, key: fallback };
  }

  private periodOf(state: ProRataState): BillingPeriod | undefined {
    if (state.periodStart) {
      const r = billingPeriodFromStart(state.periodStart, state.cycleDay ?? state.periodStart.d);
      return r.ok ? r.value : undefined;
    }
    if (state.cycleDay !== undefined && state.switchDate) {
      const r = billingPeriodContaining(state.cycleDay, state.switchDate);
      return r.ok ? r.value : undefined;
    }
    return undefined;
  }

  private async finish(step: WaterfallStepContext, state: ProRataState) {
    const period = this.periodOf(state);
    if (!period) {
      delete state.periodStart;
      delete state.cycleDay;
      state.problem = { key: 'prorata.period.unrecognised' };
      return step.replaceDialog(LOOP, state);
    }
    const result = computeProRata({
      kind: state.kind ?? 'both-plans',
      oldFeeSen: state.oldFeeSen,
      newFeeSen: state.newFeeSen,
      period,
      switchDate: state.switchDate!,
      maxFeeSen: MAX_PLAN_FEE_SEN,
    });
    const lang = this.lang(step.context);
    if (!result.ok) {
      if (result.reason === 'switch-outside-period') {
        state.problem = {
          key: 'prorata.switch.outside',
          vars: { date: formatDate(state.switchDate!, lang), start: formatDate(period.start, lang), end: formatDate(period.end, lang) },
        };
        delete state.switchDate;
      } else {
        // a fee that slipped through (cannot happen after the parsers): ask again for both
        state.problem = this.feeProblem(result.reason === 'fee-too-large' ? 'too-large' : 'not-a-number');
        delete state.oldFeeSen;
        delete state.newFeeSen;
      }
      return step.replaceDialog(LOOP, state);
    }
    await this.send(step.context, this.renderBill(step.context, result.value, state));
    return step.endDialog(result.value);
  }

  private kindTitle(kind: ProRataKind, lang: Lang): string {
    return this.catalog.t(lang, `prorata.kind.${kind}`);
  }

  private planName(id: string | undefined): string | undefined {
    return id ? this.knowledge.plans.find((p) => p.id === id)?.name : undefined;
  }

  /** The bill as text (every channel) and as an Adaptive Card (channels that show cards). */
  renderBill(context: TurnContext, bill: ProRataBill, state: ProRataState) {
    const lang = this.lang(context);
    const t = (key: string, vars?: Vars) => this.catalog.t(lang, key, vars);
    const title = t('prorata.bill.title', { kind: this.kindTitle(bill.kind, lang) });
    const periodLine = t('prorata.bill.period', {
      start: formatDate(bill.period.start, lang),
      end: formatDate(bill.period.end, lang),
      days: bill.period.days,
    });
    const rows = bill.lines.map((l) => {
      const name = this.planName(l.plan === 'old' ? state.oldPlanId : state.newPlanId);
      const label = t(`prorata.bill.${l.plan}`) + (name ? ` (${name})` : '');
      const formula = `${l.days} ${t('prorata.bill.days')} × ${formatSenPlain(l.feeSen)} / ${l.periodDays} = ${formatRinggit(l.amountSen)}`;
      const dates = l.from && l.to ? t('prorata.bill.dates', { from: formatDate(l.from, lang), to: formatDate(l.to, lang) }) : t('prorata.bill.no-days');
      return { label, formula, dates, amount: formatRinggit(l.amountSen) };
    });
    const sum = bill.lines.length > 1 ? `${bill.lines.map((l) => formatRinggit(l.amountSen)).join(' + ')} = ` : '';
    const total = t('prorata.bill.total', { total: `${sum}${formatRinggit(bill.totalSen)}` });
    const convention = t(`prorata.bill.convention.${bill.kind}`, { switch: formatDate(bill.switchDate, lang) });
    const rounding = t('prorata.bill.rounding');
    const formula = t('prorata.bill.formula', { formula: this.knowledge.rules.prorataFormula[lang] });
    const text = [
      title,
      periodLine,
      ...rows.map((r) => `• ${r.label}: ${r.formula} (${r.dates})`),
      total,
      '',
      formula,
      convention,
      rounding,
    ].join('\n');
    const card = adaptiveCard([
      textBlock(title, { weight: 'Bolder', size: 'Medium' }),
      textBlock(periodLine, { isSubtle: true }),
      ...rows.map((r) => ({
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [textBlock(r.label, { weight: 'Bolder' }), textBlock(`${r.formula}`, { isSubtle: true }), textBlock(r.dates, { isSubtle: true, size: 'Small' })] },
          { type: 'Column', width: 'auto', items: [textBlock(r.amount, { horizontalAlignment: 'Right' })] },
        ],
      })),
      textBlock(total, { weight: 'Bolder', separator: true }),
      textBlock(formula, { size: 'Small' }),
      textBlock(convention, { size: 'Small' }),
      textBlock(rounding, { size: 'Small', isSubtle: true }),
    ]);
    return { text, card };
  }
}


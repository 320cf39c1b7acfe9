/**
 * Plan-switch eligibility: the operator's conditions (knowledge/plan-rules.yaml) applied to one line's
 * record. Ids and numbers only; the dialog renders the texts from the message catalog and PlanRules.
 */
import type { ConditionId, LineType, Plan, PlanRules, ProRataKind, SwitchTypeId } from '../knowledge/types';
import { addDays, addMonths, compareDates, type CalendarDate } from './dates';

/** A subscriber line as the subscriber directory returns it. */
export interface LineRecord {
  /** E.164, e.g. "+60123456789". */
  msisdn: string;
  type: LineType;
  status: 'active' | 'suspended' | 'terminated';
  /** Id of the current plan (Plan.id). */
  planId: string;
  /** Unpaid bills, sen (0 when none). */
  outstandingSen: number;
  /** Prepaid credit balance, sen (0 for postpaid). */
  prepaidBalanceSen: number;
  /** Under a contract (device or plan contract) that charges a penalty on a switch to prepaid. */
  underContract: boolean;
  /** The penalty the contract charges, sen, when known. */
  contractPenaltySen?: number;
  /** Dates of earlier plan changes (any order). */
  planChanges: CalendarDate[];
}

/**
 * The window in which plan changes are counted for the "no more than N switches within a month" rule:
 * from the same day of the previous month, exclusive, up to today, inclusive: (today − 1 month, today].
 * When the previous month is shorter, "today − 1 month" is clamped to its last day
 * (31 March 2026 → after 28 February 2026, so 1–31 March count; 15 May 2026 → 16 April – 15 May).
 * A change dated after today is not counted.
 */
export interface SwitchWindow {
  /** The day before the window (exclusive bound): today − 1 month, clamped. */
  after: CalendarDate;
  /** First day counted. */
  first: CalendarDate;
  /** Last day counted: today. */
  through: CalendarDate;
}

export function switchLimitWindow(today: CalendarDate): SwitchWindow {
  const after = addMonths(today, -1);
  return { after, first: addDays(after, 1), through: today };
}

/** The changes that fall in the window, sorted. */
export function changesInWindow(changes: readonly CalendarDate[], today: CalendarDate): CalendarDate[] {
  const w = switchLimitWindow(today);
  return changes
    .filter((c) => compareDates(c, w.after) > 0 && compareDates(c, w.through) <= 0)
    .slice()
    .sort(compareDates);
}

export type CheckItem =
  | { condition: 'line-type'; ok: boolean; detail: { expected: LineType; actual: LineType } }
  | {
      condition: 'target-plan';
      ok: boolean;
      detail: {
        planId: string;
        expectedType: LineType;
        actualType: LineType;
        offered: boolean;
        /** The line is already on this plan. */
        samePlan: boolean;
      };
    }
  | { condition: 'line-active'; ok: boolean; detail: { status: LineRecord['status'] } }
  | { condition: 'no-outstanding-bill'; ok: boolean; detail: { outstandingSen: number } }
  | {
      condition: 'switch-limit';
      ok: boolean;
      detail: {
        /** Changes counted in the window. */
        changesCounted: number;
        /** PlanRules.maxSwitchesPerMonth. */
        max: number;
        window: SwitchWindow;
        /** The dates counted, sorted. */
        changeDates: CalendarDate[];
        /** When the oldest counted change leaves the window (the first day a switch is possible again); absent when ok. */
        possibleFrom?: CalendarDate;
      };
    }
  | {
      condition: 'sufficient-prepaid-balance';
      ok: boolean;
      detail: { balanceSen: number; feeSen: number; shortfallSen: number };
    };

export interface EligibilityResult {
  switchType: SwitchTypeId;
  /** true when every item is ok. */
  eligible: boolean;
  /** line-type, target-plan, then the switch type's conditions in the guide's order. */
  items: CheckItem[];
  /** Ids of PlanRules.forfeits lost at the switch. */
  forfeits: string[];
  /** Ids of PlanRules.notes. */
  notes: string[];
  /** Id of PlanRules.places when the switch can only be done there (e.g. "digi-store"). */
  onlyAt?: string;
  /** Present when the switch type charges a contract penalty and the line is under contract. */
  contractPenalty?: { amountSen?: number };
  /** Present for a switch that carries prepaid credit over: min(balance, cap). */
  creditCarryOver?: { balanceSen: number; capSen: number; amountSen: number };
  /** After the switch the old plan cannot be taken again if it is no longer offered. */
  noReturnToWithdrawnPlan: boolean;
  /** Current plan is withdrawn (not offered) and the switch type says there is no way back. */
  oldPlanWithdrawn?: boolean;
  prorata: ProRataKind;
}

export interface EligibilityInput {
  rules: PlanRules;
  switchType: SwitchTypeId;
  target: Plan;
  line: LineRecord;
  today: CalendarDate;
  /** The line's current plan, when known (to tell whether it is withdrawn). */
  currentPlan?: Plan;
}

/**
 * Check a line against the rules of a switch type.
 *
 * The switch limit: a new switch is allowed while the changes counted in switchLimitWindow(today) are
 * fewer than rules.maxSwitchesPerMonth, so that with this switch there are still no more than that many
 * changes within a month (with the guide's two: 0 or 1 earlier change in the window → ok; 2 → not ok).
 * Sufficient prepaid balance: balance ≥ the target plan's monthly fee.
 * No outstanding bill: outstanding ≤ 0.
 */
export function checkEligibility(input: EligibilityInput): EligibilityResult {
  const { rules, target, line, today } = input;
  const st = rules.switchTypes[input.switchType];
  const items: CheckItem[] = [];

  items.push({ condition: 'line-type', ok: line.type === st.from, detail: { expected: st.from, actual: line.type } });
  const samePlan = line.planId === target.id;
  items.push({
    condition: 'target-plan',
    ok: target.type === st.to && target.offered && !samePlan,
    detail: { planId: target.id, expectedType: st.to, actualType: target.type, offered: target.offered, samePlan },
  });

  for (const c of st.conditions) {
    switch (c) {
      case 'line-active':
        items.push({ condition: c, ok: line.status === 'active', detail: { status: line.status } });
        break;
      case 'no-outstanding-bill':
        items.push({ condition: c, ok: line.outstandingSen <= 0, detail: { outstandingSen: line.outstandingSen } });
        break;
      case 'switch-limit': {
        const counted = changesInWindow(line.planChanges, today);
        const max = rules.maxSwitchesPerMonth;
        const ok = counted.length < max;
        const detail: Extract<CheckItem, { condition: 'switch-limit' }>['detail'] = {
          changesCounted: counted.length,
          max,
          window: switchLimitWindow(today),
          changeDates: counted,
        };
        if (!ok) {
          // The (count − max + 1)-th oldest change must leave the window: a change on date c is counted
          // while today < c + 1 month, so it stops counting on c + 1 month (clamped).
          const leaving = counted[counted.length - max];
          detail.possibleFrom = addMonths(leaving, 1);
          // Clamping can make c + 1 month fall on a day whose window still includes c (e.g. c = 31 Jan,
          // c + 1 month = 28 Feb, window after 28 Jan): step forward until c is out.
          while (compareDates(leaving, switchLimitWindow(detail.possibleFrom).after) > 0) {
            detail.possibleFrom = addDays(detail.possibleFrom, 1);
          }
        }
        items.push({ condition: c, ok, detail });
        break;
      }
      case 'sufficient-prepaid-balance': {
        const fee = target.monthlyFeeSen;
        const bal = line.prepaidBalanceSen;
        items.push({
          condition: c,
          ok: bal >= fee,
          detail: { balanceSen: bal, feeSen: fee, shortfallSen: Math.max(0, fee - bal) },
        });
        break;
      }
      default: {
        const never: never = c;
        throw new Error(`unknown condition ${String(never)}`);
      }
    }
  }

  const result: EligibilityResult = {
    switchType: st.id,
    eligible: items.every((i) => i.ok),
    items,
    forfeits: [...st.forfeits],
    notes: [...st.notes],
    noReturnToWithdrawnPlan: st.noReturnToWithdrawnPlan,
    prorata: st.prorata,
  };
  if (st.onlyAt) result.onlyAt = st.onlyAt;
  if (st.contractPenalty && line.underContract) {
    result.contractPenalty = line.contractPenaltySen !== undefined ? { amountSen: line.contractPenaltySen } : {};
  }
  if (st.creditCarryOver) {
    const balanceSen = Math.max(0, line.prepaidBalanceSen);
    result.creditCarryOver = {
      balanceSen,
      capSen: rules.creditCarryOverCapSen,
      amountSen: Math.min(balanceSen, rules.creditCarryOverCapSen),
    };
  }
  if (input.currentPlan && st.noReturnToWithdrawnPlan) result.oldPlanWithdrawn = !input.currentPlan.offered;
  return result;
}

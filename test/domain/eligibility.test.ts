import type { ConditionId, Plan, PlanRules, SwitchType, SwitchTypeId } from '../../src/knowledge/types';
import { toIsoDate, type CalendarDate } from '../../src/domain/dates';
import {
  changesInWindow,
  checkEligibility,
  switchLimitWindow,
  type CheckItem,
  type LineRecord,
} from '../../src/domain/eligibility';

const d = (y: number, m: number, day: number): CalendarDate => ({ y, m, d: day });
const bi = (s: string) => ({ ms: s, en: s });

function st(id: SwitchTypeId, conditions: ConditionId[], extra: Partial<SwitchType>): SwitchType {
  const [from, to] = id.split('-') as [SwitchType['from'], SwitchType['to']];
  return {
    id, from, to, label: bi(id), conditions, forfeits: ['freebies'], notes: [], contractPenalty: false,
    noReturnToWithdrawnPlan: false, creditCarryOver: false, prorata: 'both-plans', ...extra,
  };
}

// A fixture following src/knowledge/types.ts and the operator's guide (knowledge/plan-rules.yaml).
const RULES: PlanRules = {
  maxSwitchesPerMonth: 2,
  creditCarryOverCapSen: 10000,
  conditions: {
    'line-active': bi('active'), 'no-outstanding-bill': bi('no bill'), 'switch-limit': bi('limit'),
    'sufficient-prepaid-balance': bi('balance'),
  },
  forfeits: { freebies: bi('freebies'), rebates: bi('rebates'), 'roam-monthly': bi('roam') },
  notes: { 'prorata-both-plans': bi('p'), 'contract-penalty': bi('c'), 'credit-carry-over': bi('cc') },
  places: { 'digi-store': bi('Digi Store') },
  prorataFormula: bi('days × fee / period'),
  switchTypes: {
    'postpaid-postpaid': st('postpaid-postpaid', ['line-active', 'no-outstanding-bill', 'switch-limit'], {
      forfeits: ['freebies', 'rebates', 'roam-monthly'], notes: ['prorata-both-plans'],
    }),
    'postpaid-prepaid': st('postpaid-prepaid', ['line-active', 'no-outstanding-bill', 'switch-limit'], {
      onlyAt: 'digi-store', contractPenalty: true, noReturnToWithdrawnPlan: true, prorata: 'final-bill', notes: ['contract-penalty'],
    }),
    'prepaid-prepaid': st('prepaid-prepaid', ['line-active', 'sufficient-prepaid-balance', 'switch-limit'], {
      noReturnToWithdrawnPlan: true,
    }),
    'prepaid-postpaid': st('prepaid-postpaid', ['line-active', 'switch-limit'], {
      creditCarryOver: true, noReturnToWithdrawnPlan: true, prorata: 'first-bill', notes: ['credit-carry-over'],
    }),
  },
};

const PLANS: Record<string, Plan> = {
  post58: { id: 'post58', name: 'Digi Postpaid 58', type: 'postpaid', monthlyFeeSen: 5800, offered: true, fromSource: true },
  post80: { id: 'post80', name: 'Digi Postpaid 80', type: 'postpaid', monthlyFeeSen: 8000, offered: true, fromSource: true },
  post40old: { id: 'post40old', name: 'Old 40', type: 'postpaid', monthlyFeeSen: 4000, offered: false, fromSource: false },
  pre30: { id: 'pre30', name: 'Prepaid 30', type: 'prepaid', monthlyFeeSen: 3000, offered: true, fromSource: false },
  pre35: { id: 'pre35', name: 'Prepaid 35', type: 'prepaid', monthlyFeeSen: 3500, offered: true, fromSource: false },
};

const TODAY = d(2026, 4, 20);

/** A line that passes every condition of the switch type. */
function goodLine(id: SwitchTypeId): LineRecord {
  const from = RULES.switchTypes[id].from;
  return {
    msisdn: '+60123456789',
    type: from,
    status: 'active',
    planId: from === 'postpaid' ? 'post58' : 'pre30',
    outstandingSen: 0,
    prepaidBalanceSen: from === 'prepaid' ? 5000 : 0,
    underContract: false,
    planChanges: [d(2026, 1, 5)],
  };
}
const TARGET: Record<SwitchTypeId, Plan> = {
  'postpaid-postpaid': PLANS.post80,
  'postpaid-prepaid': PLANS.pre30,
  'prepaid-prepaid': PLANS.pre35,
  'prepaid-postpaid': PLANS.post80,
};

const failing = (items: CheckItem[]) => items.filter((i) => !i.ok).map((i) => i.condition);

// Each condition made to fail alone.
const BREAKERS: Record<ConditionId | 'line-type' | 'target-plan', (l: LineRecord, id: SwitchTypeId) => { line: LineRecord; target?: Plan }> = {
  'line-type': (l) => ({ line: { ...l, type: l.type === 'prepaid' ? 'postpaid' : 'prepaid' } }),
  'target-plan': (_l, id) => ({ line: _l, target: { ...TARGET[id], offered: false } }),
  'line-active': (l) => ({ line: { ...l, status: 'suspended' } }),
  'no-outstanding-bill': (l) => ({ line: { ...l, outstandingSen: 1 } }),
  'switch-limit': (l) => ({ line: { ...l, planChanges: [d(2026, 4, 1), d(2026, 4, 15)] } }),
  'sufficient-prepaid-balance': (l) => ({ line: { ...l, prepaidBalanceSen: 3499 } }),
};

describe('each condition failing alone, for each switch type', () => {
  const ids: SwitchTypeId[] = ['postpaid-postpaid', 'postpaid-prepaid', 'prepaid-prepaid', 'prepaid-postpaid'];

  test.each(ids)('%s: a good line is eligible', (id) => {
    const r = checkEligibility({ rules: RULES, switchType: id, target: TARGET[id], line: goodLine(id), today: TODAY });
    expect(r.eligible).toBe(true);
    expect(r.items.map((i) => i.condition)).toEqual(['line-type', 'target-plan', ...RULES.switchTypes[id].conditions]);
  });

  const cases = ids.flatMap((id) =>
    (['line-type', 'target-plan', ...RULES.switchTypes[id].conditions] as const).map((c) => [id, c] as const),
  );
  test.each(cases)('%s: %s fails alone', (id, condition) => {
    const { line, target } = BREAKERS[condition](goodLine(id), id);
    const r = checkEligibility({ rules: RULES, switchType: id, target: target ?? TARGET[id], line, today: TODAY });
    expect(failing(r.items)).toEqual([condition]);
    expect(r.eligible).toBe(false);
  });

  test('conditions a switch type does not list are not checked', () => {
    const line = { ...goodLine('prepaid-postpaid'), outstandingSen: 5000, prepaidBalanceSen: 0 };
    const r = checkEligibility({ rules: RULES, switchType: 'prepaid-postpaid', target: PLANS.post80, line, today: TODAY });
    expect(r.eligible).toBe(true);
  });
});

describe('details carry the numbers', () => {
  test('outstanding amount', () => {
    const line = { ...goodLine('postpaid-postpaid'), outstandingSen: 12345 };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: TODAY });
    expect(r.items.find((i) => i.condition === 'no-outstanding-bill')).toEqual({
      condition: 'no-outstanding-bill', ok: false, detail: { outstandingSen: 12345 },
    });
  });

  test('balance against the new fee: equal is enough, one sen less is not', () => {
    const check = (bal: number) =>
      checkEligibility({
        rules: RULES, switchType: 'prepaid-prepaid', target: PLANS.pre35, today: TODAY,
        line: { ...goodLine('prepaid-prepaid'), prepaidBalanceSen: bal },
      }).items.find((i) => i.condition === 'sufficient-prepaid-balance');
    expect(check(3500)).toEqual({ condition: 'sufficient-prepaid-balance', ok: true, detail: { balanceSen: 3500, feeSen: 3500, shortfallSen: 0 } });
    expect(check(3499)).toEqual({ condition: 'sufficient-prepaid-balance', ok: false, detail: { balanceSen: 3499, feeSen: 3500, shortfallSen: 1 } });
  });

  test('switch limit: changes counted, the window, when a switch is possible again', () => {
    const line = { ...goodLine('postpaid-postpaid'), planChanges: [d(2026, 4, 15), d(2026, 3, 20), d(2026, 3, 21), d(2026, 4, 25)] };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: TODAY });
    const item = r.items.find((i) => i.condition === 'switch-limit');
    if (!item || item.condition !== 'switch-limit') throw new Error('missing');
    expect(item.ok).toBe(false);
    // window (20 Mar, 20 Apr]: 21 Mar and 15 Apr count; 20 Mar is out; 25 Apr is in the future
    expect(item.detail.changesCounted).toBe(2);
    expect(item.detail.changeDates.map(toIsoDate)).toEqual(['2026-03-21', '2026-04-15']);
    expect(toIsoDate(item.detail.window.first)).toBe('2026-03-21');
    expect(toIsoDate(item.detail.window.through)).toBe('2026-04-20');
    expect(item.detail.max).toBe(2);
    expect(item.detail.possibleFrom && toIsoDate(item.detail.possibleFrom)).toBe('2026-04-21');
  });

  test('one change in the window is still allowed (the new one makes two)', () => {
    const line = { ...goodLine('postpaid-postpaid'), planChanges: [d(2026, 4, 1)] };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: TODAY });
    expect(r.items.find((i) => i.condition === 'switch-limit')?.ok).toBe(true);
  });

  test('target plan details: wrong type, withdrawn, the same plan', () => {
    const base = goodLine('postpaid-postpaid');
    const t = (target: Plan) =>
      checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target, line: base, today: TODAY }).items[1];
    expect(t(PLANS.pre30)).toEqual({
      condition: 'target-plan', ok: false,
      detail: { planId: 'pre30', expectedType: 'postpaid', actualType: 'prepaid', offered: true, samePlan: false },
    });
    expect(t(PLANS.post40old)).toMatchObject({ ok: false, detail: { offered: false } });
    expect(t(PLANS.post58)).toMatchObject({ ok: false, detail: { samePlan: true } });
  });

  test('line type mismatch is its own item', () => {
    const line = { ...goodLine('postpaid-postpaid'), type: 'prepaid' as const };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: TODAY });
    expect(r.items[0]).toEqual({ condition: 'line-type', ok: false, detail: { expected: 'postpaid', actual: 'prepaid' } });
  });
});

describe('the month window at month ends', () => {
  const w = (today: CalendarDate) => {
    const x = switchLimitWindow(today);
    return `${toIsoDate(x.first)}..${toIsoDate(x.through)} (after ${toIsoDate(x.after)})`;
  };
  test.each([
    [d(2026, 4, 20), '2026-03-21..2026-04-20 (after 2026-03-20)'],
    [d(2026, 3, 31), '2026-03-01..2026-03-31 (after 2026-02-28)'],
    [d(2026, 3, 30), '2026-03-01..2026-03-30 (after 2026-02-28)'],
    [d(2026, 3, 28), '2026-03-01..2026-03-28 (after 2026-02-28)'],
    [d(2026, 3, 27), '2026-02-28..2026-03-27 (after 2026-02-27)'],
    [d(2028, 3, 31), '2028-03-01..2028-03-31 (after 2028-02-29)'],
    [d(2028, 2, 29), '2028-01-30..2028-02-29 (after 2028-01-29)'],
    [d(2026, 1, 1), '2025-12-02..2026-01-01 (after 2025-12-01)'],
    [d(2026, 5, 31), '2026-05-01..2026-05-31 (after 2026-04-30)'],
  ])('today %j: %s', (today, expected) => expect(w(today)).toBe(expected));

  test('changes on the boundaries', () => {
    const today = d(2026, 3, 31);
    const counted = changesInWindow([d(2026, 2, 28), d(2026, 3, 1), d(2026, 3, 31), d(2026, 4, 1)], today);
    expect(counted.map(toIsoDate)).toEqual(['2026-03-01', '2026-03-31']);
  });

  test('possible again after a clamped month: change on 31 Jan stops counting on 1 Mar', () => {
    const line = { ...goodLine('postpaid-postpaid'), planChanges: [d(2026, 1, 31), d(2026, 2, 10)] };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: d(2026, 2, 15) });
    const item = r.items.find((i) => i.condition === 'switch-limit');
    if (!item || item.condition !== 'switch-limit') throw new Error('missing');
    expect(item.ok).toBe(false);
    expect(item.detail.possibleFrom && toIsoDate(item.detail.possibleFrom)).toBe('2026-03-01');
    // and on that day it is indeed allowed
    const later = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: d(2026, 3, 1) });
    expect(later.items.find((i) => i.condition === 'switch-limit')?.ok).toBe(true);
    const dayBefore = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line, today: d(2026, 2, 28) });
    expect(dayBefore.items.find((i) => i.condition === 'switch-limit')?.ok).toBe(false);
  });
});

describe('what comes with the switch', () => {
  test('carry-over is min(balance, cap) for prepaid → postpaid', () => {
    const carry = (bal: number) =>
      checkEligibility({
        rules: RULES, switchType: 'prepaid-postpaid', target: PLANS.post80, today: TODAY,
        line: { ...goodLine('prepaid-postpaid'), prepaidBalanceSen: bal },
      }).creditCarryOver;
    expect(carry(5000)).toEqual({ balanceSen: 5000, capSen: 10000, amountSen: 5000 });
    expect(carry(10000)).toEqual({ balanceSen: 10000, capSen: 10000, amountSen: 10000 });
    expect(carry(25075)).toEqual({ balanceSen: 25075, capSen: 10000, amountSen: 10000 });
    expect(carry(0)).toEqual({ balanceSen: 0, capSen: 10000, amountSen: 0 });
  });

  test('no carry-over for other switch types', () => {
    const r = checkEligibility({ rules: RULES, switchType: 'prepaid-prepaid', target: PLANS.pre35, line: goodLine('prepaid-prepaid'), today: TODAY });
    expect(r.creditCarryOver).toBeUndefined();
  });

  test('contract penalty for postpaid → prepaid when under contract, only at a Digi Store', () => {
    const line = { ...goodLine('postpaid-prepaid'), underContract: true, contractPenaltySen: 50000 };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-prepaid', target: PLANS.pre30, line, today: TODAY });
    expect(r.contractPenalty).toEqual({ amountSen: 50000 });
    expect(r.onlyAt).toBe('digi-store');
    expect(r.eligible).toBe(true); // a cost, not a bar
    expect(r.prorata).toBe('final-bill');
    expect(r.noReturnToWithdrawnPlan).toBe(true);

    const unknown = checkEligibility({ rules: RULES, switchType: 'postpaid-prepaid', target: PLANS.pre30, line: { ...line, contractPenaltySen: undefined }, today: TODAY });
    expect(unknown.contractPenalty).toEqual({});
    const free = checkEligibility({ rules: RULES, switchType: 'postpaid-prepaid', target: PLANS.pre30, line: goodLine('postpaid-prepaid'), today: TODAY });
    expect(free.contractPenalty).toBeUndefined();
    // postpaid → postpaid charges no penalty even under contract
    const pp = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line: { ...goodLine('postpaid-postpaid'), underContract: true, contractPenaltySen: 50000 }, today: TODAY });
    expect(pp.contractPenalty).toBeUndefined();
    expect(pp.onlyAt).toBeUndefined();
  });

  test('forfeits and notes come from the switch type', () => {
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-postpaid', target: PLANS.post80, line: goodLine('postpaid-postpaid'), today: TODAY });
    expect(r.forfeits).toEqual(['freebies', 'rebates', 'roam-monthly']);
    expect(r.notes).toEqual(['prorata-both-plans']);
  });

  test('old plan withdrawn', () => {
    const line = { ...goodLine('postpaid-prepaid'), planId: 'post40old' };
    const r = checkEligibility({ rules: RULES, switchType: 'postpaid-prepaid', target: PLANS.pre30, line, today: TODAY, currentPlan: PLANS.post40old });
    expect(r.oldPlanWithdrawn).toBe(true);
  });
});

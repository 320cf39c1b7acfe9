import type { Plan } from '../../src/knowledge/types';
import { toIsoDate, type CalendarDate } from '../../src/domain/dates';
import {
  billingPeriodContaining,
  billingPeriodFromStart,
  computeProRata,
  dayInPeriod,
  parseProRataRequest,
  periodOfRequest,
  type BillingPeriod,
} from '../../src/domain/prorata';
import { formatRinggit } from '../../src/domain/money';

const d = (y: number, m: number, day: number): CalendarDate => ({ y, m, d: day });
function period(start: CalendarDate, cycleDay?: number): BillingPeriod {
  const r = billingPeriodFromStart(start, cycleDay);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}
const span = (p: BillingPeriod) => `${toIsoDate(p.start)}..${toIsoDate(p.end)} (${p.days})`;

describe('billing periods', () => {
  test.each([
    [d(2026, 4, 1), undefined, '2026-04-01..2026-04-30 (30)'],
    [d(2026, 2, 1), undefined, '2026-02-01..2026-02-28 (28)'],
    [d(2028, 2, 1), undefined, '2028-02-01..2028-02-29 (29)'],
    [d(2026, 1, 15), undefined, '2026-01-15..2026-02-14 (31)'],
    [d(2026, 2, 15), undefined, '2026-02-15..2026-03-14 (28)'],
    [d(2026, 3, 1), undefined, '2026-03-01..2026-03-31 (31)'],
    [d(2026, 12, 20), undefined, '2026-12-20..2027-01-19 (31)'],
    // cycle day 31: falls on the last day of shorter months
    [d(2026, 1, 31), undefined, '2026-01-31..2026-02-27 (28)'],
    [d(2026, 2, 28), 31, '2026-02-28..2026-03-30 (31)'],
    [d(2026, 4, 30), 31, '2026-04-30..2026-05-30 (31)'],
    [d(2028, 1, 30), undefined, '2028-01-30..2028-02-28 (30)'],
  ])('from %j (cycle day %s): %s', (start, cycleDay, expected) => {
    expect(span(period(start, cycleDay))).toBe(expected);
  });

  test.each([
    [1, d(2026, 4, 11), '2026-04-01..2026-04-30 (30)'],
    [15, d(2026, 2, 1), '2026-01-15..2026-02-14 (31)'],
    [15, d(2026, 2, 14), '2026-01-15..2026-02-14 (31)'],
    [15, d(2026, 2, 15), '2026-02-15..2026-03-14 (28)'],
    [31, d(2026, 2, 28), '2026-02-28..2026-03-30 (31)'],
    [31, d(2026, 2, 27), '2026-01-31..2026-02-27 (28)'],
    [30, d(2028, 2, 29), '2028-02-29..2028-03-29 (30)'],
    [5, d(2026, 1, 3), '2025-12-05..2026-01-04 (31)'],
  ])('cycle day %d containing %j: %s', (cycleDay, date, expected) => {
    const r = billingPeriodContaining(cycleDay, date);
    expect(r.ok && span(r.value)).toBe(expected);
  });

  test('errors', () => {
    expect(billingPeriodContaining(0, d(2026, 4, 1))).toEqual({ ok: false, reason: 'invalid-cycle-day' });
    expect(billingPeriodContaining(32, d(2026, 4, 1))).toEqual({ ok: false, reason: 'invalid-cycle-day' });
    expect(billingPeriodContaining(1, d(2026, 2, 30))).toEqual({ ok: false, reason: 'invalid-date' });
    expect(billingPeriodFromStart(d(2026, 2, 31))).toEqual({ ok: false, reason: 'invalid-date' });
    expect(billingPeriodFromStart(d(2026, 3, 5), 1)).toEqual({ ok: false, reason: 'start-not-on-cycle-day' });
  });
});

describe('computeProRata', () => {
  const april = period(d(2026, 4, 1));

  test('the worked example: RM58 → RM80, 1–30 April 2026, switch on 11 April', () => {
    const r = computeProRata({ kind: 'both-plans', oldFeeSen: 5800, newFeeSen: 8000, period: april, switchDate: d(2026, 4, 11) });
    if (!r.ok) throw new Error(r.reason);
    const [oldL, newL] = r.value.lines;
    expect(oldL).toEqual({ plan: 'old', feeSen: 5800, days: 10, periodDays: 30, from: d(2026, 4, 1), to: d(2026, 4, 10), amountSen: 1933 });
    expect(newL).toEqual({ plan: 'new', feeSen: 8000, days: 20, periodDays: 30, from: d(2026, 4, 11), to: d(2026, 4, 30), amountSen: 5333 });
    expect(r.value.totalSen).toBe(7266);
    expect(formatRinggit(r.value.totalSen)).toBe('RM72.66');
  });

  const both = (start: CalendarDate, sw: CalendarDate, oldFee: number, newFee: number) => {
    const r = computeProRata({ kind: 'both-plans', oldFeeSen: oldFee, newFeeSen: newFee, period: period(start), switchDate: sw });
    if (!r.ok) throw new Error(r.reason);
    return r.value.lines.map((l) => [l.days, l.amountSen]).concat([[r.value.period.days, r.value.totalSen]]);
  };

  test.each([
    // [period start, switch, old fee, new fee, [[old days, old sen], [new days, new sen], [period days, total]]]
    ['switch on the first day', d(2026, 4, 1), d(2026, 4, 1), 5800, 8000, [[0, 0], [30, 8000], [30, 8000]]],
    ['switch on the last day', d(2026, 4, 1), d(2026, 4, 30), 5800, 8000, [[29, 5607], [1, 267], [30, 5874]]],
    ['February 2026 (28 days)', d(2026, 2, 1), d(2026, 2, 11), 5800, 8000, [[10, 2071], [18, 5143], [28, 7214]]],
    ['February 2028 (29 days)', d(2028, 2, 1), d(2028, 2, 11), 5800, 8000, [[10, 2000], [19, 5241], [29, 7241]]],
    ['period spanning months, 15 Jan – 14 Feb', d(2026, 1, 15), d(2026, 2, 1), 5800, 8000, [[17, 3181], [14, 3613], [31, 6794]]],
    ['31-day month', d(2026, 3, 1), d(2026, 3, 16), 5800, 8000, [[15, 2806], [16, 4129], [31, 6935]]],
    ['leap day switch', d(2028, 2, 1), d(2028, 2, 29), 5800, 8000, [[28, 5600], [1, 276], [29, 5876]]],
    ['half sen rounds up', d(2026, 4, 1), d(2026, 4, 2), 15, 9999, [[1, 1], [29, 9666], [30, 9667]]],
  ])('%s', (_name, start, sw, oldFee, newFee, expected) => {
    expect(both(start, sw, oldFee, newFee)).toEqual(expected);
  });

  test('the total is the sum of the rounded lines, not the rounded sum', () => {
    // 15 days × 1 sen / 30 = 0.5 → 1 and 15 × 1 / 30 = 0.5 → 1: the rounded lines sum to 2, the exact total is 1.
    const r = computeProRata({ kind: 'both-plans', oldFeeSen: 1, newFeeSen: 1, period: april, switchDate: d(2026, 4, 16) });
    expect(r.ok && r.value.lines.map((l) => l.amountSen)).toEqual([1, 1]);
    expect(r.ok && r.value.totalSen).toBe(2);
  });

  test('first bill (prepaid → postpaid): only the new plan from the switch day', () => {
    const r = computeProRata({ kind: 'first-bill', newFeeSen: 8000, period: april, switchDate: d(2026, 4, 11) });
    expect(r.ok && r.value.lines).toEqual([
      { plan: 'new', feeSen: 8000, days: 20, periodDays: 30, from: d(2026, 4, 11), to: d(2026, 4, 30), amountSen: 5333 },
    ]);
    expect(r.ok && r.value.totalSen).toBe(5333);
  });

  test('final bill (postpaid → prepaid): only the old plan to the day before the switch', () => {
    const r = computeProRata({ kind: 'final-bill', oldFeeSen: 5800, period: april, switchDate: d(2026, 4, 11) });
    expect(r.ok && r.value.lines).toEqual([
      { plan: 'old', feeSen: 5800, days: 10, periodDays: 30, from: d(2026, 4, 1), to: d(2026, 4, 10), amountSen: 1933 },
    ]);
    expect(r.ok && r.value.totalSen).toBe(1933);
    const first = computeProRata({ kind: 'final-bill', oldFeeSen: 5800, period: april, switchDate: d(2026, 4, 1) });
    expect(first.ok && first.value.totalSen).toBe(0);
  });

  test.each([
    [{ kind: 'both-plans', newFeeSen: 8000 }, 'missing-old-fee'],
    [{ kind: 'both-plans', oldFeeSen: 5800 }, 'missing-new-fee'],
    [{ kind: 'first-bill', oldFeeSen: 5800 }, 'missing-new-fee'],
    [{ kind: 'final-bill', newFeeSen: 5800 }, 'missing-old-fee'],
    [{ kind: 'both-plans', oldFeeSen: 0, newFeeSen: 8000 }, 'invalid-fee'],
    [{ kind: 'both-plans', oldFeeSen: -5800, newFeeSen: 8000 }, 'invalid-fee'],
    [{ kind: 'both-plans', oldFeeSen: 58.5, newFeeSen: 8000 }, 'invalid-fee'],
    [{ kind: 'both-plans', oldFeeSen: Number.NaN, newFeeSen: 8000 }, 'invalid-fee'],
    [{ kind: 'both-plans', oldFeeSen: 5800, newFeeSen: 100_000_01 }, 'fee-too-large'],
    [{ kind: 'both-plans', oldFeeSen: 5800, newFeeSen: 8000, switchDate: d(2026, 3, 31) }, 'switch-outside-period'],
    [{ kind: 'both-plans', oldFeeSen: 5800, newFeeSen: 8000, switchDate: d(2026, 5, 1) }, 'switch-outside-period'],
    [{ kind: 'both-plans', oldFeeSen: 5800, newFeeSen: 8000, switchDate: d(2026, 4, 31) }, 'invalid-date'],
  ] as const)('%j → %s', (partial, reason) => {
    const input = { period: april, switchDate: d(2026, 4, 11), ...partial };
    expect(computeProRata(input)).toEqual({ ok: false, reason });
  });
});

const PLANS: Plan[] = [
  { id: 'digi-postpaid-58', name: 'Digi Postpaid 58', type: 'postpaid', monthlyFeeSen: 5800, offered: true, fromSource: true },
  { id: 'digi-postpaid-80', name: 'Digi Postpaid 80', type: 'postpaid', monthlyFeeSen: 8000, offered: true, fromSource: true },
  { id: 'demo-postpaid-40-legacy', name: 'Demo Postpaid 40 (no longer offered)', type: 'postpaid', monthlyFeeSen: 4000, offered: false, fromSource: false },
  { id: 'demo-prepaid-30', name: 'Demo Prepaid 30', type: 'prepaid', monthlyFeeSen: 3000, offered: true, fromSource: false },
];

describe('dayInPeriod', () => {
  test.each([
    ['1–30 April: the 25th', d(2026, 4, 1), d(2026, 4, 30), 25, '2026-04-25'],
    ['5 October – 4 November: the 2nd is in November', d(2026, 10, 5), d(2026, 11, 4), 2, '2026-11-02'],
    ['5 October – 4 November: the 20th is in October', d(2026, 10, 5), d(2026, 11, 4), 20, '2026-10-20'],
    ['1–30 April has no 31st', d(2026, 4, 1), d(2026, 4, 30), 31, undefined],
  ])('%s', (_name, start, end, day, want) => {
    const got = dayInPeriod(day, { start, end });
    expect(got && toIsoDate(got)).toBe(want);
  });
});

describe('parseProRataRequest', () => {
  const REF = d(2026, 4, 20);
  const summary = (text: string, plans: Plan[] = []) => {
    const r = parseProRataRequest(text, REF, plans);
    return {
      oldFee: r.oldFee?.feeSen,
      oldPlan: r.oldFee?.planId,
      newFee: r.newFee?.feeSen,
      newPlan: r.newFee?.planId,
      switchDate: r.switchDate && toIsoDate(r.switchDate),
      periodStart: r.periodStart && toIsoDate(r.periodStart),
      cycleDay: r.cycleDay,
      kind: r.kind,
      missing: r.missing,
      problems: r.problems.map((p) => `${p.slot}:${p.reason}`),
    };
  };

  test('the Malay one-message form', () => {
    expect(
      summary('Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026'),
    ).toEqual({
      oldFee: 5800, oldPlan: undefined, newFee: 8000, newPlan: undefined, switchDate: '2026-04-11',
      periodStart: '2026-04-01', cycleDay: undefined, kind: undefined, missing: [], problems: [],
    });
  });

  test.each([
    ['pelan lama 58, pelan baru 80', 5800, 8000],
    ['new plan 80, old plan 58', 5800, 8000],
    ['pelan baru RM98, lama 58', 5800, 9800],
    ['old plan is 58.50.', 5850, undefined],
    ['eh salah, pelan baru RM98', undefined, 9800],
    ['Downgrading from Postpaid 128 to Postpaid 58', 12800, 5800],
    ['yuran lama: 48, yuran baru: 98', 4800, 9800],
    ['sy baru 2 minggu guna postpaid 5GB', undefined, undefined],
    ['plan 3 bulan, baru 5 hari', undefined, undefined],
  ] as const)('fees without RM that words make fees, each on the side its words name: %s', (text, oldFee, newFee) => {
    const r = summary(text, PLANS);
    expect([r.oldFee, r.newFee]).toEqual([oldFee, newFee]);
  });

  test('the English one-message form, day-only dates from the reference', () => {
    expect(summary('prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st')).toMatchObject({
      oldFee: 5800, newFee: 8000, switchDate: '2026-04-11', periodStart: '2026-04-01', missing: [], problems: [],
    });
  });

  test('a day alone is the named period\'s day of that number, not the reference month\'s', () => {
    // the reference is 20 April 2026: "2hb" alone would be 2 April, before the period
    expect(summary('kira prorata RM58 ke RM80, kitaran 5 Oktober 2026 - 4 November 2026, tukar 2hb')).toMatchObject({
      periodStart: '2026-10-05', switchDate: '2026-11-02', missing: [], problems: [],
    });
    expect(summary('RM58 to RM80, billing period 5 March 2026 to 4 April 2026, switched on the 20th')).toMatchObject({
      periodStart: '2026-03-05', switchDate: '2026-03-20',
    });
  });

  test('the message computes the worked example end to end', () => {
    const req = parseProRataRequest('prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st', REF);
    const p = periodOfRequest(req);
    if (!p || !p.ok || !req.switchDate) throw new Error('no period');
    const bill = computeProRata({ kind: 'both-plans', oldFeeSen: req.oldFee?.feeSen, newFeeSen: req.newFee?.feeSen, period: p.value, switchDate: req.switchDate });
    expect(bill.ok && bill.value.totalSen).toBe(7266);
  });

  test('the worked example as the issue words it: a period range', () => {
    expect(summary('RM58 → RM80, period 1–30 April 2026, switch on 11 April')).toMatchObject({
      oldFee: 5800, newFee: 8000, periodStart: '2026-04-01', switchDate: '2026-04-11', missing: [], problems: [],
    });
    expect(summary('tukar pada 11/4, tempoh bil 1 hingga 30 April, RM58 ke RM80')).toMatchObject({
      periodStart: '2026-04-01', switchDate: '2026-04-11', missing: [],
    });
  });

  test('cycle day and reversed order', () => {
    expect(summary('cycle day 15, from RM58 to RM80 on 11hb')).toMatchObject({
      oldFee: 5800, newFee: 8000, cycleDay: 15, switchDate: '2026-04-11', periodStart: undefined, missing: [],
    });
    expect(summary('hari kitaran 5, tukar 11 Mac dari RM 58 ke RM 80')).toMatchObject({ cycleDay: 5, switchDate: '2026-03-11', missing: [] });
    expect(summary('bill cycle starts on the 1st; switched on the 11th; RM58 → RM80')).toMatchObject({
      periodStart: '2026-04-01', switchDate: '2026-04-11', missing: [],
    });
    const req = parseProRataRequest('cycle day 15, from RM58 to RM80 on 1 Feb 2026', REF);
    const p = periodOfRequest(req);
    expect(p && p.ok && toIsoDate(p.value.start)).toBe('2026-01-15');
  });

  test('plans by name from the catalogue, and the kind from their types', () => {
    expect(summary('tukar Digi Postpaid 58 ke postpaid 80 pada 11 April', PLANS)).toMatchObject({
      oldFee: 5800, oldPlan: 'digi-postpaid-58', newFee: 8000, newPlan: 'digi-postpaid-80', kind: 'both-plans', missing: ['period'],
    });
    expect(summary('from Demo Postpaid 40 to prepaid 30', PLANS)).toMatchObject({
      oldPlan: 'demo-postpaid-40-legacy', newPlan: 'demo-prepaid-30', kind: 'final-bill', missing: ['period', 'switchDate'],
    });
  });

  test.each([
    ['98 for the old one', 9800, undefined],
    ['128 utk pelan baru', undefined, 12800],
    ['from 98 for the old to 128 for the new one', 9800, 12800],
  ])('an amount before the words that make it a side: %s', (text, oldFee, newFee) => {
    expect(summary(text)).toMatchObject({ oldFee, newFee });
  });

  test("a plan's fee said again after its name is one mention", () => {
    expect(summary('im on Digi Postpaid 58 (RM58) and want to go to the RM128 plan on 25/1/2027', PLANS)).toMatchObject({
      oldFee: 5800, oldPlan: 'digi-postpaid-58', newFee: 12800, switchDate: '2027-01-25',
    });
    // the same amount for another plan is another mention
    expect(summary('dari Digi Postpaid 58 ke RM58 yang lain', PLANS)).toMatchObject({ oldFee: 5800, newFee: 5800 });
  });

  test.each([
    ['if I switch from my RM58 plan (Digi Postpaid 58) to the RM80 one on 20 Jan 2026'],
    ['tukar dari pelan RM58 (Digi Postpaid 58) ke pelan RM80 pada 20 Jan 2026'],
    ['from RM58 plan: Digi Postpaid 58, to RM80 on 20 Jan 2026'],
  ])("a plan's name said after its fee is one mention, the plan's: %s", (text) => {
    expect(summary(text, PLANS)).toMatchObject({ oldFee: 5800, oldPlan: 'digi-postpaid-58', newFee: 8000, switchDate: '2026-01-20' });
  });

  test.each([
    ['128 to 58, switch on 31 Jan 2026, billing from 1 Jan 2026', '2026-01-01', '2026-01-31'],
    ['tukar 31 Jan 2026, bil dari 1 Jan 2026', '2026-01-01', '2026-01-31'],
    ['switching 10 Feb 2026, my billing runs from 1 Feb 2026', '2026-02-01', '2026-02-10'],
  ])('"billing from" names the period: %s', (text, start, switchDate) => {
    expect(summary(text)).toMatchObject({ periodStart: start, switchDate });
  });

  test.each([
    ['billing cycle starts on the 1st, so 1 Nov 2026', '2026-11-01'],
    ['bil sy start 8hb, so utk kitaran ni 8/8/2026', '2026-08-08'],
    ['my cycle runs from the 20th, this one started 20 Feb 2026', '2026-02-20'],
    ['Kitaran bil sy mula 15hb setiap bulan, so bil yg ni mula 15 Jun 2026', '2026-06-15'],
  ])('the period day said again in full is the period start, not a switch date: %s', (text, start) => {
    expect(summary(text)).toMatchObject({ periodStart: start, switchDate: undefined });
  });

  test('a date of another day, or after words of switching, stays the switch date', () => {
    expect(summary('bil mula 1hb, so 11 April 2026')).toMatchObject({ periodStart: '2026-04-01', switchDate: '2026-04-11' });
    expect(summary('kitaran bil mula 1 April 2026, tukar 1hb')).toMatchObject({ periodStart: '2026-04-01', switchDate: '2026-04-01' });
  });

  test('kind from words; a single fee of a first bill is the new fee', () => {
    expect(summary('prepaid ke postpaid RM80 pada 11hb, kitaran bil bermula 1hb')).toMatchObject({
      kind: 'first-bill', oldFee: undefined, newFee: 8000, missing: [],
    });
    expect(summary('postpaid to prepaid, old plan RM58')).toMatchObject({
      kind: 'final-bill', oldFee: 5800, missing: ['period', 'switchDate'],
    });
  });

  test('a phone number holds no fee and no date', () => {
    expect(summary('my wife wants to change her postpaid 012-100 0002 to prepaid')).toMatchObject({ oldFee: undefined, newFee: undefined, switchDate: undefined });
    expect(summary('line 0121000001, RM58 ke RM80')).toMatchObject({ oldFee: 5800, newFee: 8000 });
  });

  test('the period said with "usually", and its last day after its first, are the period', () => {
    expect(summary('Sy tukar pada 10 Feb 2026. Bil sy biasanya mula 1hb setiap bulan, so yg ni mula 1 Feb 2026')).toMatchObject({
      periodStart: '2026-02-01', switchDate: '2026-02-10',
    });
    expect(summary('my bill usually starts on the 5th')).toMatchObject({ periodStart: '2026-04-05', switchDate: undefined });
    expect(summary('kitaran bil sy dari 15hb ke 14hb bulan depan, jadi yg ni mula 15 Mei 2026')).toMatchObject({
      periodStart: '2026-05-15', switchDate: undefined,
    });
  });

  test('the period\'s last day "to the 14th" is no switch date; where the switch goes decides the side, whatever the order', () => {
    expect(summary('my bill cycle runs from the 15th to the 14th, the current one started 15 Jan 2026. I moved from the RM68 plan to the RM98 plan on 1 Feb 2026')).toMatchObject({
      periodStart: '2026-01-15', switchDate: '2026-02-01', oldFee: 6800, newFee: 9800,
    });
    expect(summary('tukar ke pelan RM80 dari RM58')).toMatchObject({ oldFee: 5800, newFee: 8000 });
    expect(summary("switch to RM80, I'm on RM58 now")).toMatchObject({ oldFee: 5800, newFee: 8000 });
  });

  test('a side named with its owner between ("plan lama sy 48", "my old plan was 48")', () => {
    expect(summary('eh silap, plan lama sy 48 bukan 38')).toMatchObject({ oldFee: 4800, newFee: undefined });
    expect(summary('my old plan was 48')).toMatchObject({ oldFee: 4800 });
  });

  test('a plan taken ("took the RM98 plan", "ambil pelan RM98") is the new one', () => {
    expect(summary('I changed my mind at the store and took the RM98 plan instead')).toMatchObject({ oldFee: undefined, newFee: 9800 });
    expect(summary('sy ambil pelan RM98')).toMatchObject({ oldFee: undefined, newFee: 9800 });
  });

  test('RM0 on one side is a one-sided bill: no fee on that side', () => {
    expect(summary("I'm on prepaid now so no monthly fee, put RM0 for the old plan")).toMatchObject({ kind: 'first-bill', oldFee: undefined, problems: [] });
    expect(summary('pelan lama RM0, pelan baru RM80')).toMatchObject({ kind: 'first-bill', oldFee: undefined, newFee: 8000, problems: [] });
    expect(summary('old plan RM58, new plan RM0')).toMatchObject({ kind: 'final-bill', oldFee: 5800, newFee: undefined, problems: [] });
    expect(summary('RM0 ke RM0')).toMatchObject({ oldFee: undefined, newFee: undefined, problems: ['oldFee:zero'] });
  });

  test('what is missing, in the order to ask', () => {
    expect(summary('kira pro-rata').missing).toEqual(['oldFee', 'newFee', 'period', 'switchDate']);
    expect(summary('RM58 ke RM80').missing).toEqual(['period', 'switchDate']);
  });

  test('bad values are problems, not values', () => {
    expect(summary('dari RM-58 ke RM80 pada 31 Februari 2026, cycle day 40')).toMatchObject({
      oldFee: undefined, newFee: 8000, switchDate: undefined, cycleDay: undefined,
      missing: ['oldFee', 'period', 'switchDate'],
      problems: ['period:invalid-cycle-day', 'oldFee:negative', 'switchDate:invalid-date'],
    });
  });
});

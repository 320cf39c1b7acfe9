/**
 * The eligibility result's words and card (dialogs/eligibility.ts decides, this module writes): the ✓/✗
 * checklist, what is lost, what changes, where, and the next steps — as text for every channel and as an
 * Adaptive Card where cards are shown — and the one-paragraph summary a ticket hands over.
 */
import { type CheckItem, type EligibilityResult, type LineRecord, formatDate, formatRinggit, maskPhone, switchLimitWindow } from '../../src/domain';
import { expandScalar } from '../../src/knowledge/placeholders';
import type { KnowledgeBase, Lang, Plan } from '../../src/knowledge/types';
import type { MessageCatalog, Vars } from '../../src/language/catalog';
import { type Today, adaptiveCard, textBlock } from '../planswitch-common';

export interface ViewDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  today: Today;
}

/**
 * The checklist as text and as an Adaptive Card, and a one-paragraph summary for a ticket. `anyOf`: no plan was
 * named and the verdict is the same for each of these plans (`result` is the check against the cheapest): the
 * headline names the switch and these plans, and the checklist leaves out the target-plan item.
 */
export function resultReply(v: ViewDeps, lang: Lang, result: EligibilityResult, line: LineRecord, target: Plan, currentPlan?: Plan, anyOf?: Plan[]) {
  const t = (key: string, vars?: Vars) => v.catalog.t(lang, key, vars);
  const rules = v.knowledge.rules;
  const st = rules.switchTypes[result.switchType];
  const phone = maskPhone(line.msisdn);
  const shown = anyOf ? result.items.filter((i) => i.condition !== 'target-plan') : result.items;
  const failed = shown.filter((i) => !i.ok);
  const plans = anyOf?.map((p) => p.name).join(', ');
  const headline = anyOf
    ? result.eligible
      ? t('eligibility.result.eligible-any', { phone, label: st.label[lang], plans: plans! })
      : t('eligibility.result.not-eligible-any', { phone, label: st.label[lang], count: failed.length })
    : result.eligible
      ? t('eligibility.result.eligible', { phone, label: st.label[lang], plan: target.name })
      : t('eligibility.result.not-eligible', { phone, label: st.label[lang], plan: target.name, count: failed.length });
  const items = shown.map((item) => ({ ok: item.ok, label: itemLabel(v, item, lang), reason: itemReason(v, item, target, lang) }));
  const window = switchLimitWindow(v.today());
  const monthRule = t('eligibility.month-rule', {
    first: formatDate(window.first, lang),
    through: formatDate(window.through, lang),
    max: rules.maxSwitchesPerMonth,
  });
  const forfeits = result.forfeits.map((f) => rules.forfeits[f]?.[lang] ?? f).join(', ');
  const changes: string[] = result.notes.map((n) => expandScalar(rules.notes[n]?.[lang] ?? n, rules, lang));
  if (result.creditCarryOver) {
    changes.push(
      t('eligibility.change.carry-over', {
        amount: formatRinggit(result.creditCarryOver.amountSen),
        balance: formatRinggit(result.creditCarryOver.balanceSen),
        cap: formatRinggit(result.creditCarryOver.capSen),
      }),
    );
  }
  if (result.contractPenalty) {
    changes.push(
      result.contractPenalty.amountSen !== undefined
        ? t('eligibility.change.penalty', { amount: formatRinggit(result.contractPenalty.amountSen) })
        : t('eligibility.change.penalty-unknown'),
    );
  }
  if (result.oldPlanWithdrawn && currentPlan) changes.push(t('eligibility.change.old-plan-withdrawn', { plan: currentPlan.name }));
  const where = result.onlyAt ? t('eligibility.where.only-at', { place: rules.places[result.onlyAt]?.[lang] ?? result.onlyAt }) : t('eligibility.where.any');

  const text = [
    headline,
    '',
    t('eligibility.section.checklist'),
    ...items.map((i) => `${i.ok ? '✓' : '✗'} ${i.label}: ${i.reason}`),
    monthRule,
    '',
    t('eligibility.section.forfeits', { list: forfeits }),
    '',
    t('eligibility.section.changes'),
    ...changes.map((c) => `• ${c}`),
    '',
    where,
    t('eligibility.section.next'),
  ].join('\n');
  const card = adaptiveCard([
    textBlock(headline, { weight: 'Bolder', size: 'Medium', color: result.eligible ? 'Good' : 'Attention' }),
    textBlock(t('eligibility.section.checklist'), { weight: 'Bolder', separator: true }),
    ...items.map((i) => ({
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'auto', items: [textBlock(i.ok ? '✓' : '✗', { color: i.ok ? 'Good' : 'Attention', weight: 'Bolder' })] },
        { type: 'Column', width: 'stretch', items: [textBlock(i.label, { weight: 'Bolder' }), textBlock(i.reason, { isSubtle: true })] },
      ],
    })),
    textBlock(monthRule, { size: 'Small', isSubtle: true }),
    textBlock(t('eligibility.section.forfeits', { list: forfeits }), { separator: true }),
    textBlock(t('eligibility.section.changes'), { weight: 'Bolder' }),
    ...changes.map((c) => textBlock(`• ${c}`)),
    textBlock(where, { separator: true }),
    textBlock(t('eligibility.section.next'), { size: 'Small' }),
  ]);
  const summary = [
    anyOf ? t('eligibility.summary-any', { phone, label: st.label[lang] }) : t('eligibility.summary', { phone, label: st.label[lang], plan: target.name }),
    ...items.map((i) => `${i.ok ? '✓' : '✗'} ${i.label}: ${i.reason}`),
  ].join('\n');
  return { text, card, summary };
}

function itemLabel(v: ViewDeps, item: CheckItem, lang: Lang): string {
  if (item.condition === 'line-type' || item.condition === 'target-plan') return v.catalog.t(lang, `eligibility.item.${item.condition}`);
  return expandScalar(v.knowledge.rules.conditions[item.condition][lang], v.knowledge.rules, lang).replace(/\.\s*$/, '');
}

function itemReason(v: ViewDeps, item: CheckItem, target: Plan, lang: Lang): string {
  const t = (key: string, vars?: Vars) => v.catalog.t(lang, key, vars);
  const type = (x: string) => t(`eligibility.type.${x}`);
  switch (item.condition) {
    case 'line-type':
      return item.ok ? t('eligibility.reason.line-type.ok', { type: type(item.detail.actual) }) : t('eligibility.reason.line-type.fail', { actual: type(item.detail.actual), expected: type(item.detail.expected) });
    case 'target-plan': {
      const vars = { plan: target.name, fee: formatRinggit(target.monthlyFeeSen), type: type(item.detail.actualType), expected: type(item.detail.expectedType) };
      if (item.ok) return t('eligibility.reason.target-plan.ok', vars);
      if (item.detail.samePlan) return t('eligibility.reason.target-plan.same', vars);
      if (item.detail.actualType !== item.detail.expectedType) return t('eligibility.reason.target-plan.type', vars);
      return t('eligibility.reason.target-plan.withdrawn', vars);
    }
    case 'line-active':
      return t(item.ok ? 'eligibility.reason.line-active.ok' : 'eligibility.reason.line-active.fail', { status: t(`eligibility.status.${item.detail.status}`) });
    case 'no-outstanding-bill':
      return item.ok ? t('eligibility.reason.no-outstanding-bill.ok') : t('eligibility.reason.no-outstanding-bill.fail', { amount: formatRinggit(item.detail.outstandingSen) });
    case 'switch-limit': {
      const d = item.detail;
      const vars: Vars = { count: d.changesCounted, max: d.max, first: formatDate(d.window.first, lang), through: formatDate(d.window.through, lang) };
      if (item.ok) return t('eligibility.reason.switch-limit.ok', vars);
      return t('eligibility.reason.switch-limit.fail', { ...vars, from: d.possibleFrom ? formatDate(d.possibleFrom, lang) : '-' });
    }
    case 'sufficient-prepaid-balance': {
      const d = item.detail;
      const vars = { balance: formatRinggit(d.balanceSen), fee: formatRinggit(d.feeSen), shortfall: formatRinggit(d.shortfallSen) };
      return t(item.ok ? 'eligibility.reason.balance.ok' : 'eligibility.reason.balance.fail', vars);
    }
  }
}

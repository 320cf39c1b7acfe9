/**
 * The pro-rata bill's words and card (dialogs/prorata.ts decides, this module writes): the text every channel
 * shows, and the Adaptive Card of channels that show cards (src/bot/reply.ts picks one of them per channel).
 */
import { type ProRataBill, formatDate, formatRinggit, formatSenPlain } from '../../src/domain';
import type { Reply } from '../../src/bot/reply';
import type { KnowledgeBase, Lang, ProRataKind } from '../../src/knowledge/types';
import type { MessageCatalog, Vars } from '../../src/language/catalog';
import { adaptiveCard, textBlock } from '../planswitch-common';

export function kindTitle(catalog: MessageCatalog, kind: ProRataKind, lang: Lang): string {
  return catalog.t(lang, `prorata.kind.${kind}`);
}

/** The bill as text (every channel) and as an Adaptive Card (channels that show cards). */
export function billReply(
  catalog: MessageCatalog,
  knowledge: KnowledgeBase,
  lang: Lang,
  bill: ProRataBill,
  plans: { oldPlanId?: string; newPlanId?: string },
): Reply {
  const planName = (id: string | undefined) => (id ? knowledge.plans.find((p) => p.id === id)?.name : undefined);
  const t = (key: string, vars?: Vars) => catalog.t(lang, key, vars);
  const title = t('prorata.bill.title', { kind: kindTitle(catalog, bill.kind, lang) });
  const periodLine = t('prorata.bill.period', {
    start: formatDate(bill.period.start, lang),
    end: formatDate(bill.period.end, lang),
    days: bill.period.days,
  });
  const rows = bill.lines.map((l) => {
    const name = planName(l.plan === 'old' ? plans.oldPlanId : plans.newPlanId);
    const label = t(`prorata.bill.${l.plan}`) + (name ? ` (${name})` : '');
    const formula = `${l.days} ${t('prorata.bill.days')} × ${formatSenPlain(l.feeSen)} / ${l.periodDays} = ${formatRinggit(l.amountSen)}`;
    const dates = l.from && l.to ? t('prorata.bill.dates', { from: formatDate(l.from, lang), to: formatDate(l.to, lang) }) : t('prorata.bill.no-days');
    return { label, formula, dates, amount: formatRinggit(l.amountSen) };
  });
  const sum = bill.lines.length > 1 ? `${bill.lines.map((l) => formatRinggit(l.amountSen)).join(' + ')} = ` : '';
  const total = t('prorata.bill.total', { total: `${sum}${formatRinggit(bill.totalSen)}` });
  const convention = t(`prorata.bill.convention.${bill.kind}`, { switch: formatDate(bill.switchDate, lang) });
  const rounding = t('prorata.bill.rounding');
  const formula = t('prorata.bill.formula', { formula: knowledge.rules.prorataFormula[lang] });
  const text = [title, periodLine, ...rows.map((r) => `• ${r.label}: ${r.formula} (${r.dates})`), total, '', formula, convention, rounding].join('\n');
  const card = adaptiveCard([
    textBlock(title, { weight: 'Bolder', size: 'Medium' }),
    textBlock(periodLine, { isSubtle: true }),
    ...rows.map((r) => ({
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [textBlock(r.label, { weight: 'Bolder' }), textBlock(`${r.formula}`, { isSubtle: true }), textBlock(r.dates, { isSubtle: true, size: 'Small' })],
        },
        { type: 'Column', width: 'auto', items: [textBlock(r.amount, { horizontalAlignment: 'Right' })] },
      ],
    })),
    textBlock(total, { weight: 'Bolder', separator: true }),
    textBlock(formula, { size: 'Small' }),
    textBlock(convention, { size: 'Small' }),
    textBlock(rounding, { size: 'Small', isSubtle: true }),
  ]);
  return { text, card, lang };
}

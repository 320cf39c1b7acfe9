/**
 * The insight pages, server-rendered in one language (?ui=ms|en, a link to the other), every label from the
 * message catalog. The figures are in HTML tables (readable without script, and by screen readers); the
 * charts are drawn from the same figures by public/console/insight.js with uPlot (served locally), which reads
 * them from a JSON data block (not executed, so the CSP allows only scripts from this origin).
 */
import type { KnowledgeChange } from '../../knowledge/overlay';
import type { KnowledgeBase, Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import { escapeHtml } from '../../domain/text';
import type { Dashboard } from '../../services/insight';

export interface QuestionGroup {
  entryId: string | null;
  total: number;
  questions: Array<{ text: string; lang: Lang; count: number; source: 'unanswered' | 'notHelpful'; norm: string }>;
}

const e = escapeHtml;

/** JSON inside a <script type="application/json">: "<" escaped so no text can close the element. */
function jsonBlock(id: string, data: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
}

function layout(catalog: MessageCatalog, lang: Lang, title: string, body: string, otherHref: string, scripts: string[] = []): string {
  const t = (k: string) => e(catalog.t(lang, k));
  const other: Lang = lang === 'ms' ? 'en' : 'ms';
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><link rel="icon" href="data:,">',
    `<title>${e(title)}</title>`,
    '<link rel="stylesheet" href="/console/assets/uplot.min.css"><link rel="stylesheet" href="/console/assets/insight.css">',
    '</head><body>',
    `<header><nav><a href="/console/dashboard?ui=${lang}">${t('insight.page.dashboard')}</a> · <a href="/console/knowledge?ui=${lang}">${t('insight.page.knowledge')}</a></nav>`,
    `<a class="lang" href="${e(otherHref)}" lang="${other}" hreflang="${other}">${e(catalog.t(lang, 'insight.page.otherLang'))}</a></header>`,
    `<main><h1>${e(title)}</h1>`,
    body,
    '</main>',
    ...scripts.map((s) => `<script src="${s}"></script>`),
    '</body></html>',
  ].join('\n');
}

function table(headers: string[], rows: Array<Array<string | number>>, caption: string, noneText: string): string {
  if (rows.length === 0) return `<section><h2>${e(caption)}</h2><p>${e(noneText)}</p></section>`;
  return [
    `<section><h2>${e(caption)}</h2><div class="scroll"><table>`,
    `<thead><tr>${headers.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${e(String(c))}</td>`).join('')}</tr>`),
    '</tbody></table></div></section>',
  ].join('');
}

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : 0);

export function dashboardPage(catalog: MessageCatalog, lang: Lang, data: Dashboard, filterLang?: Lang): string {
  const t = (k: string) => catalog.t(lang, k);
  const none = t('insight.page.none');
  const q = (ui: Lang) => `?from=${data.from}&to=${data.to}${filterLang ? `&lang=${filterLang}` : ''}&ui=${ui}`;
  // per day, both languages summed (the language filter narrows it)
  const byDay = new Map<string, { conversations: number; turns: number; answered: number; clarified: number; declined: number }>();
  for (const d of data.days) {
    const r = byDay.get(d.day) ?? { conversations: 0, turns: 0, answered: 0, clarified: 0, declined: 0 };
    r.conversations += d.conversations;
    r.turns += d.turns;
    r.answered += d.answered;
    r.clarified += d.clarified;
    r.declined += d.declined;
    byDay.set(d.day, r);
  }
  const days = [...byDay.entries()];
  const chart = {
    days: days.map(([d]) => d),
    conversations: days.map(([, r]) => r.conversations),
    answered: days.map(([, r]) => pct(r.answered, r.answered + r.clarified + r.declined)),
    clarified: days.map(([, r]) => pct(r.clarified, r.answered + r.clarified + r.declined)),
    declined: days.map(([, r]) => pct(r.declined, r.answered + r.clarified + r.declined)),
    labels: {
      day: t('insight.page.day'),
      conversations: t('insight.page.conversations'),
      answered: t('insight.page.answered'),
      clarified: t('insight.page.clarified'),
      declined: t('insight.page.declined'),
    },
  };
  const form = [
    `<form method="get" action="/console/dashboard" class="filters">`,
    `<input type="hidden" name="ui" value="${lang}">`,
    `<label>${e(t('insight.page.from'))} <input type="date" name="from" value="${e(data.from)}"></label>`,
    `<label>${e(t('insight.page.to'))} <input type="date" name="to" value="${e(data.to)}"></label>`,
    `<label>${e(t('insight.page.lang'))} <select name="lang"><option value="">${e(t('insight.page.lang.all'))}</option>`,
    `<option value="ms"${filterLang === 'ms' ? ' selected' : ''}>Bahasa Melayu</option><option value="en"${filterLang === 'en' ? ' selected' : ''}>English</option></select></label>`,
    `<button type="submit">${e(t('insight.page.show'))}</button>`,
    `<a class="csv" href="/console/dashboard.csv${q(lang)}">${e(t('insight.page.csv'))}</a>`,
    '</form>',
  ].join('');
  const body = [
    form,
    jsonBlock('insight-data', chart),
    `<div class="charts"><figure><figcaption>${e(t('insight.page.conversations'))}</figcaption><div id="chart-conversations" class="chart"></div></figure>`,
    `<figure><figcaption>${e(t('insight.page.rates'))}</figcaption><div id="chart-rates" class="chart"></div></figure></div>`,
    table(
      [t('insight.page.day'), t('insight.page.lang'), t('insight.page.conversations'), t('insight.page.turns'), t('insight.page.answered'), t('insight.page.clarified'), t('insight.page.declined'), t('insight.page.handed-off')],
      data.days.map((d) => [d.day, d.lang, d.conversations, d.turns, d.answered, d.clarified, d.declined, d.handedOff]),
      t('insight.page.perDay'),
      none,
    ),
    table([t('insight.page.entry'), t('insight.page.count')], data.topEntries.map((r) => [r.entryId, r.count]), t('insight.page.topEntries'), none),
    table(
      [t('insight.page.question'), t('insight.page.lang'), t('insight.page.count'), t('insight.page.entry')],
      data.topUnanswered.map((r) => [r.text, r.lang, r.count, r.nearest ?? '—']),
      t('insight.page.topUnanswered'),
      none,
    ),
    table(
      [t('insight.page.entry'), t('insight.page.helpful'), t('insight.page.notHelpful'), t('insight.page.ratio')],
      data.feedback.map((f) => [f.entryId, f.helpful, f.notHelpful, f.ratio.toFixed(2)]),
      t('insight.page.feedback'),
      none,
    ),
    table([t('insight.page.category'), t('insight.page.count')], data.tickets.map((r) => [r.category, r.count]), t('insight.page.tickets'), none),
    table(
      [t('insight.page.procedure'), t('insight.page.started'), t('insight.page.completed'), t('insight.page.abandoned')],
      data.funnels.map((f) => [f.procedure, f.started, f.completed, f.abandoned]),
      t('insight.page.funnels'),
      none,
    ),
  ].join('\n');
  return layout(catalog, lang, t('insight.page.dashboard'), body, `/console/dashboard${q(lang === 'ms' ? 'en' : 'ms')}`, [
    '/console/assets/uplot.min.js',
    '/console/assets/insight.js',
  ]);
}

/** The per-day figures as CSV (RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' against formula injection). */
export function dashboardCsv(data: Dashboard): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [['day', 'lang', 'conversations', 'turns', 'answered', 'clarified', 'declined', 'answered_rate', 'clarified_rate', 'declined_rate', 'handed_off']];
  for (const d of data.days) {
    const decided = d.answered + d.clarified + d.declined;
    lines.push([d.day, d.lang, d.conversations, d.turns, d.answered, d.clarified, d.declined, pct(d.answered, decided), pct(d.clarified, decided), pct(d.declined, decided), d.handedOff].map(String));
  }
  return lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function knowledgePage(
  catalog: MessageCatalog,
  lang: Lang,
  view: { groups: QuestionGroup[]; changes: KnowledgeChange[]; knowledge: KnowledgeBase; canWrite: boolean },
): string {
  const t = (k: string, vars?: Record<string, string>) => catalog.t(lang, k, vars);
  const entryOptions = view.knowledge.entries.map((en) => `<option value="${e(en.id)}">${e(en.id)} — ${e(en.question[lang])}</option>`).join('');
  const groups = view.groups.map((g) => {
    const entry = g.entryId ? view.knowledge.byId.get(g.entryId) : undefined;
    const heading = g.entryId ? t('insight.page.nearest', { entry: `${g.entryId}${entry ? ` (${entry.question[lang]})` : ''}` }) : t('insight.page.noNearest');
    const items = g.questions.map((q) => {
      const form = view.canWrite
        ? `<form class="paraphrase" data-action="/console/knowledge/paraphrases"><input type="hidden" name="text" value="${e(q.text)}"><input type="hidden" name="lang" value="${q.lang}">` +
          `<select name="entryId" aria-label="${e(t('insight.page.entry'))}">${entryOptions.replace(`value="${e(g.entryId ?? '')}"`, `value="${e(g.entryId ?? '')}" selected`)}</select>` +
          `<button type="submit">${e(t('insight.page.addParaphrase'))}</button><output></output></form>`
        : '';
      return `<li><q lang="${q.lang}">${e(q.text)}</q> <span class="meta">×${q.count} · ${e(t(q.source === 'unanswered' ? 'insight.page.source.unanswered' : 'insight.page.source.notHelpful'))}</span>${form}</li>`;
    });
    return `<section class="group"><h2>${e(heading)}</h2><ul>${items.join('')}</ul></section>`;
  });
  const draft = view.canWrite
    ? `<section><h2>${e(t('insight.page.draftEntry'))}</h2><form class="entry" data-action="/console/knowledge/entries"><textarea name="entry" rows="10" aria-label="${e(t('insight.page.draftEntry'))}"></textarea><button type="submit">${e(t('insight.page.saveEntry'))}</button><output></output></form></section>`
    : '';
  const changes = view.changes.map((c) => [
    `<tr><td>${c.id}</td><td>${e(c.kind)}</td><td>${e(c.entryId)}</td><td>${e(c.text ?? '')}</td><td>${e(c.author)}</td><td>${e(c.createdAt)}</td>`,
    `<td>${e(c.status)}${c.revertedBy ? ` (${e(c.revertedBy)}, ${e(c.revertedAt ?? '')})` : ''}</td>`,
    `<td>${view.canWrite && c.status !== 'reverted' ? `<form class="revert" data-action="/console/knowledge/changes/${c.id}/revert"><button type="submit">${e(t('insight.page.revert'))}</button><output></output></form>` : ''}</td></tr>`,
  ].join(''));
  const body = [
    jsonBlock('insight-messages', { saved: t('insight.page.saved'), failed: t('insight.page.failed', { problem: '{problem}' }) }),
    groups.length ? groups.join('\n') : `<p>${e(t('insight.page.none'))}</p>`,
    draft,
    `<section><h2>${e(t('insight.page.changes'))}</h2><div class="scroll"><table><thead><tr><th>#</th><th>${e(t('insight.page.kind'))}</th><th>${e(t('insight.page.entry'))}</th><th>${e(t('insight.page.question'))}</th><th>${e(t('insight.page.author'))}</th><th>${e(t('insight.page.when'))}</th><th>${e(t('insight.page.status'))}</th><th>${e(t('insight.page.action'))}</th></tr></thead><tbody>${changes.join('')}</tbody></table></div></section>`,
  ].join('\n');
  return layout(catalog, lang, t('insight.page.knowledge'), body, `/console/knowledge?ui=${lang === 'ms' ? 'en' : 'ms'}`, ['/console/assets/insight.js']);
}

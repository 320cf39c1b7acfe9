/**
 * What the eligibility and pro-rata dialogs share: reading a switch type or a plan of the catalogue from
 * free text, and the words of a date that does not exist.
 */
import { formatDate } from '../src/domain/dates';
import { parseProRataRequest } from '../src/domain/prorata';
import type { CalendarDate } from '../src/domain/dates';
import type { Lang, Plan, PlanRules, SwitchTypeId } from '../src/knowledge/types';
import { SWITCH_TYPES } from '../src/knowledge/types';

/** Today's calendar date in Kuala Lumpur (injected so tests control the clock). */
export type Today = () => CalendarDate;

export function normalise(text: string): string {
  // bracketed remarks removed: only up to the last ")" (an unclosed "(" after it is left, as the pattern would);
  // without the bound, each of many unclosed "(" scanned the rest of the text (quadratic time)
  const t = text.toLowerCase();
  const close = t.lastIndexOf(')') + 1;
  return (t.slice(0, close).replace(/\([^)]*\)/g, ' ') + t.slice(close))
    .replace(/[^a-z0-9\u2192]+/g, ' ')
    .trim();
}

const TYPE_RE = /\b(pre-?paid|prabayar|post-?paid|pasca\s*bayar)\b/gi;

function typeOf(word: string): 'prepaid' | 'postpaid' {
  return /^pr/i.test(word) ? 'prepaid' : 'postpaid';
}

/** "prepaid ke postpaid", "postpaid to postpaid", a label of the rules, or "1".."4" (the order of the buttons). */
export function detectSwitchType(text: string, rules: PlanRules): SwitchTypeId | undefined {
  const n = normalise(text);
  for (const id of SWITCH_TYPES) {
    const label = rules.switchTypes[id].label;
    if (n === normalise(label.ms) || n === normalise(label.en)) return id;
  }
  if (/^[1-4]$/.test(n)) return SWITCH_TYPES[Number(n) - 1];
  const words = [...text.matchAll(TYPE_RE)].map((m) => typeOf(m[1]));
  if (words.length >= 2) return `${words[0]}-${words[1]}` as SwitchTypeId;
  return undefined;
}

/** A plan named in the text: its full name, or "<type> <number>" ("postpaid 80"). The last one named wins. */
export function findPlan(text: string, plans: readonly Plan[], reference: CalendarDate): Plan | undefined {
  const n = normalise(text);
  const exact = plans.find((p) => normalise(p.name) === n);
  if (exact) return exact;
  const req = parseProRataRequest(text, reference, plans);
  const named = [req.newFee, req.oldFee].find((f) => f?.planId);
  return named ? plans.find((p) => p.id === named.planId) : undefined;
}

/** The words of what the customer wrote as a date, even when it does not exist ("31 Februari 2026"). */
export function dateWords(parts: { y: number; m: number; d: number }, lang: Lang): string {
  if (parts.m >= 1 && parts.m <= 12) return formatDate(parts, lang);
  return `${parts.d}/${parts.m}/${parts.y}`;
}

/** An Adaptive Card (version 1.5, what Teams renders). */
export function adaptiveCard(body: Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body };
}

export function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

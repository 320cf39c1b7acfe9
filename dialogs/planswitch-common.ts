/**
 * What the eligibility and pro-rata dialogs share: reading a switch type or a plan of the catalogue from
 * free text, and the words of a date that does not exist.
 */
import { formatDate } from '../src/domain/dates';
import { parseProRataRequest } from '../src/domain/prorata';
import { normaliseText } from '../src/domain/text';
import type { CalendarDate } from '../src/domain/dates';
import type { Lang, Plan, PlanRules, SwitchTypeId } from '../src/knowledge/types';
import { SWITCH_TYPES } from '../src/knowledge/types';

/** Today's calendar date in Kuala Lumpur (injected so tests control the clock). */
export type Today = () => CalendarDate;

/** A plan's or a switch's name as typed or clicked: words only, bracketed remarks dropped, "→" kept (normaliseText). */
export function normalise(text: string): string {
  return normaliseText(text, { wordsOnly: true, keep: '\u2192', dropBrackets: true });
}

const TYPE_RE = /\b(pre-?paid|prabayar|post-?paid|pasca\s*bayar)\b/gi;
/** Words of going to a line type, right before it ("ke prepaid", "to postpaid", "jadi prepaid", "into a prepaid plan"). */
const TOWARDS_BEFORE = /\b(?:ke|kepada|to|into|jadi|become|masuk)\s+(?:(?:a|an|the|pelan|plan)\s+)?$/i;

/** A line type the customer is not going to ("x jadi postpaid", "tak nak prepaid", "not going postpaid", "don't want prepaid"). */
// (not the "x" of "boleh x …", "layak x …": "or not")
const NOT_TOWARDS_TYPE =
  /(?<!\b(?:boleh|blh|bole|leh|layak|dapat|dpt|can|ok|okay|ke|ka)\s+)\b(?:x|tak|tidak|tk|not|don'?t|never)\s+(?:jadi|nak|mahu|mau|pergi|tukar|go|going|want|switch|switching|moving)\s+(?:(?:ke|kepada|to|into)\s+)?(?:(?:a|an|the|pelan|plan)\s+)?(?:pre-?paid|prabayar|post-?paid|pasca\s*bayar)\b/gi;

/** The text with the line types the customer is not going to blanked (positions kept). */
export function withoutTypesNotWanted(text: string): string {
  return text.replace(NOT_TOWARDS_TYPE, (m) => ' '.repeat(m.length));
}

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
  // (a type the customer says they are not going to, "kalau sy x jadi postpaid, tukar ke pelan prepaid lain je", names
  // no end of the switch)
  const matches = [...withoutTypesNotWanted(text).matchAll(TYPE_RE)];
  const words = matches.map((m) => typeOf(m[1]));
  if (words.length < 2) return undefined;
  // the first named is where to when words of going there come before it and not before the second ("nak downgrade
  // ke prepaid je la, mahal sgt postpaid skrg"): from the second to the first
  const towards = (m: RegExpMatchArray) => TOWARDS_BEFORE.test(text.slice(Math.max(0, (m.index ?? 0) - 24), m.index));
  if (towards(matches[0]!) && !towards(matches[1]!)) return `${words[1]}-${words[0]}` as SwitchTypeId;
  return `${words[0]}-${words[1]}` as SwitchTypeId;
}

/** Words of switching to something, after a plan named ("… nak tukar ke pelan postpaid lain", "… want to move to"). */
const SWITCHING_TO = /\b(?:tukar|tukarkan|switch|switching|change|changing|pindah|move|moving|upgrade|downgrade|naik|turun|go)\s+(?:\w+\s+)?(?:ke|kepada|to|into)\b/i;

/** Right after a plan, where the switch goes from it ("upgrade my Postpaid 40 to a higher postpaid plan"). */
const FROM_IT_TO = /^\s*(?:(?:plan|pelan)\s+)?(?:to|ke|kepada|into|->|→)\s/i;

/** The plan a text switches to: its full name, or "<type> <number>" ("postpaid 80"). */
export function findPlan(text: string, plans: readonly Plan[], reference: CalendarDate): Plan | undefined {
  const n = normalise(text);
  const exact = plans.find((p) => normalise(p.name) === n);
  if (exact) return exact;
  const req = parseProRataRequest(text, reference, plans);
  // the plan switched to; or the only plan named, unless words make it the line's own ("from my current plan (Demo
  // Postpaid 40)", "I'm on Postpaid 58")
  // (nor the only plan named before the switch the customer asks for: "line sy 012-100 0006 pelan Demo Postpaid 40. nak
  // tukar ke pelan postpaid lain")
  const own = (f: NonNullable<typeof req.oldFee>) => {
    const after = text.slice(f.index + f.text.length, f.index + f.text.length + 200);
    return f.labelled || SWITCHING_TO.test(after) || FROM_IT_TO.test(after);
  };
  const named = req.newFee?.planId ? req.newFee : req.oldFee?.planId && !own(req.oldFee) ? req.oldFee : undefined;
  return named ? plans.find((p) => p.id === named.planId) : undefined;
}

/** Where the text names the line's own plan ("from my current plan (Demo Postpaid 40)", "I'm on Postpaid 58"), if it does. */
export function ownPlanSpan(text: string, plans: readonly Plan[], reference: CalendarDate): { index: number; end: number } | undefined {
  const own = parseProRataRequest(text, reference, plans).oldFee;
  return own?.planId && own.labelled ? { index: own.index, end: own.index + own.text.length } : undefined;
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

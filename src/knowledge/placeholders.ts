/**
 * Placeholders in answers, expanded at load time from the plan-switch rules, so that each rule is
 * written once (knowledge/plan-rules.yaml) and every answer that states it follows it.
 *
 * Syntax: `{{name}}` or `{{name:argument}}`. Names:
 *
 * | placeholder                   | expands to (in the answer's language)                              |
 * |-------------------------------|--------------------------------------------------------------------|
 * | {{maxSwitchesPerMonth}}       | the monthly limit as a word: "dua" / "two"                          |
 * | {{creditCarryOverCap}}        | the carry-over cap as money: "RM100"                                |
 * | {{prorataFormula}}            | the pro-rata formula in words                                       |
 * | {{label:<switch>}}            | the name of a switch type, e.g. "Postpaid kepada Prepaid"          |
 * | {{conditions:<switch>}}       | numbered list ("1. ...") of that switch type's conditions          |
 * | {{forfeits:<switch>}}         | inline list of what it forfeits: "freebies, rebat dan ..."          |
 * | {{notes:<switch>}}            | that switch type's notes as one paragraph                          |
 * | {{onlyAt:<switch>}}           | "This switch can only be done at ..." or nothing if unrestricted   |
 * | {{switchesWith:<flag>}}       | inline list of the switch types whose flag is true (contractPenalty,|
 * |                               | noReturnToWithdrawnPlan, creditCarryOver)                          |
 * | {{condition:<id>}}            | one condition's text                                               |
 * | {{forfeit:<id>}}              | one forfeited item's text                                          |
 * | {{note:<id>}}                 | one note's text                                                    |
 * | {{place:<id>}}                | one place's name                                                   |
 * | {{switchPlaces}}              | numbered list of the switch types restricted to a place and where  |
 *
 * Texts inside plan-rules.yaml may use the scalar placeholders only (the first three).
 */
import { formatRinggit } from '../domain/money';
import type { Lang, PlanRules, SwitchTypeId } from './types';
import { SWITCH_TYPES } from './types';

export const PLACEHOLDER_RE = /\{\{\s*([A-Za-z]+)(?::([A-Za-z0-9-]+))?\s*\}\}/g;

export class PlaceholderError extends Error {
  constructor(
    message: string,
    readonly placeholder: string,
  ) {
    super(message);
    this.name = 'PlaceholderError';
  }
}

const NUMBER_WORDS: Record<Lang, string[]> = {
  ms: ['kosong', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'lapan', 'sembilan', 'sepuluh'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
};

export function numberWord(n: number, lang: Lang): string {
  return Number.isInteger(n) && n >= 0 && n < NUMBER_WORDS[lang].length ? NUMBER_WORDS[lang][n] : String(n);
}


function numbered(items: string[]): string {
  return items.map((t, i) => `${i + 1}. ${t}`).join('\n');
}

function inline(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'ms' ? 'dan' : 'and'} ${items[items.length - 1]}`;
}

const FLAGS = ['contractPenalty', 'noReturnToWithdrawnPlan', 'creditCarryOver'] as const;

function isSwitchType(s: string | undefined): s is SwitchTypeId {
  return !!s && (SWITCH_TYPES as readonly string[]).includes(s);
}

/** Scalar placeholders, the only ones allowed inside the rules' own texts. */
export function expandScalar(text: string, rules: Pick<PlanRules, 'maxSwitchesPerMonth' | 'creditCarryOverCapSen'> & { prorataFormula?: PlanRules['prorataFormula'] }, lang: Lang): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string, arg: string | undefined) => {
    if (arg === undefined) {
      if (name === 'maxSwitchesPerMonth') return numberWord(rules.maxSwitchesPerMonth, lang);
      if (name === 'creditCarryOverCap') return formatRinggit(rules.creditCarryOverCapSen, { dropZeroCents: true });
      if (name === 'prorataFormula' && rules.prorataFormula) return rules.prorataFormula[lang];
    }
    throw new PlaceholderError(`unknown placeholder ${whole}`, whole);
  });
}

/** Expands every placeholder of an answer; throws PlaceholderError on an unknown one. */
export function expandPlaceholders(text: string, rules: PlanRules, lang: Lang): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string, arg: string | undefined) => {
    const fail = (why: string): never => {
      throw new PlaceholderError(`unknown placeholder ${whole}: ${why}`, whole);
    };
    const pick = (table: Record<string, { ms: string; en: string }>, kind: string): string => {
      if (!arg) return fail(`${name} needs an argument`);
      const t = table[arg];
      if (!t) return fail(`no ${kind} "${arg}" in plan-rules.yaml`);
      return t[lang];
    };
    const switchType = () => {
      if (!isSwitchType(arg)) return fail(`"${arg ?? ''}" is not a switch type (${SWITCH_TYPES.join(', ')})`);
      return rules.switchTypes[arg];
    };
    switch (name) {
      case 'maxSwitchesPerMonth':
      case 'creditCarryOverCap':
      case 'prorataFormula':
        if (arg !== undefined) return fail(`${name} takes no argument`);
        return expandScalar(whole, rules, lang);
      case 'label':
        return switchType().label[lang];
      case 'conditions':
        return numbered(switchType().conditions.map((c) => rules.conditions[c][lang]));
      case 'forfeits':
        return inline(switchType().forfeits.map((f) => rules.forfeits[f]?.[lang] ?? fail(`forfeit "${f}" missing`)), lang);
      case 'notes':
        return switchType().notes.map((n) => rules.notes[n]?.[lang] ?? fail(`note "${n}" missing`)).join(' ');
      case 'onlyAt': {
        const st = switchType();
        if (!st.onlyAt) return '';
        const place = rules.places[st.onlyAt]?.[lang] ?? fail(`place "${st.onlyAt}" missing`);
        return lang === 'ms' ? `Penukaran ini hanya boleh dilakukan di ${place} sahaja.` : `This switch can only be done at ${place}.`;
      }
      case 'switchesWith': {
        const flag = FLAGS.find((f) => f === arg);
        if (!flag) return fail(`"${arg ?? ''}" is not a flag (${FLAGS.join(', ')})`);
        return inline(SWITCH_TYPES.map((s) => rules.switchTypes[s]).filter((st) => st[flag]).map((st) => st.label[lang]), lang);
      }
      case 'condition':
        return pick(rules.conditions, 'condition');
      case 'forfeit':
        return pick(rules.forfeits, 'forfeit');
      case 'note':
        return pick(rules.notes, 'note');
      case 'place':
        return pick(rules.places, 'place');
      case 'switchPlaces': {
        if (arg !== undefined) return fail('switchPlaces takes no argument');
        const only = lang === 'ms' ? 'hanya di' : 'only at';
        const lines = SWITCH_TYPES.map((s) => rules.switchTypes[s])
          .filter((st) => st.onlyAt)
          .map((st) => `${st.label[lang]}: ${only} ${rules.places[st.onlyAt as string]?.[lang] ?? fail(`place "${st.onlyAt}" missing`)}`);
        return numbered(lines);
      }
      default:
        return fail('no such placeholder');
    }
  });
}

/** Expands an answer and tidies the blank lines an empty placeholder leaves. */
export function expandAnswer(text: string, rules: PlanRules, lang: Lang): string {
  return expandPlaceholders(text, rules, lang)
    .replace(/(?<![ \t])[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The language of a message (ms / en) from its own words; the customer's stored choice and the channel's
 * locale are priors used only when the words do not decide (Web Chat sends en-US whatever is typed).
 * A message that asks to switch ("English please", "BM", "tukar ke bahasa melayu") sets explicitSwitch.
 */
import type { Lang } from '../knowledge/types';
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';
import type { AnalysedText } from './normalize';
import { asAnalysedText } from './normalize';

export interface LanguageGuess {
  lang: Lang;
  /** 0..1: how sure the words make us (0.5 or less: decided by the priors) */
  confidence: number;
  /** set when the text asks to switch language ("English", "BM", "bahasa melayu please") */
  explicitSwitch?: Lang;
}

// Affixes after at least three letters. Written "[a-z]{3}" rather than "[a-z]{3,}": the same words match
// (unanchored, three letters before the suffix are enough), but "{3,}" backtracks over the whole word at every
// starting position, quadratic time on a long word.
const MS_AFFIX = /^(meng|meny|mem|men|ber|ter|di|pe[mn]|per|ke)[a-z]{3}|[a-z]{3}(kan|nya|lah|kah)$/;
const EN_AFFIX = /[a-z]{3}(ing|tion|ness|ly|ed)$/;

/**
 * Longest message that can be a command or a language switch (a whole message of at most 8 words, such as
 * "tukar ke bahasa melayu tolong", "ok terima kasih ya"): a longer one is a question or an answer.
 */
export const MAX_COMMAND_CHARS = 256;

/** The prior language: the stored choice first, then the locale (ms-*, en-*), then Malay. */
export function priorLanguage(priors?: { stored?: Lang; locale?: string }): Lang {
  if (priors?.stored) return priors.stored;
  const loc = priors?.locale?.toLowerCase() ?? '';
  if (loc.startsWith('ms') || loc.startsWith('id')) return 'ms';
  if (loc.startsWith('en')) return 'en';
  return 'ms';
}

/** An explicit request to switch language: the whole message (politeness aside) is a switch phrase. */
export function explicitSwitch(text: string | AnalysedText, lex?: Lexicon): Lang | undefined {
  // a switch phrase is a few words: a long message is none (and is not analysed to find out)
  if ((typeof text === 'string' ? text : text.text).length > MAX_COMMAND_CHARS) return undefined;
  const input = asAnalysedText(text, lex ?? (typeof text === 'string' ? lexicon() : text.lex));
  const { tokens, lex: l } = input;
  if (tokens.length === 0 || tokens.length > 7) return undefined;
  const phrase = tokens.join(' ');
  const expanded = input.expanded.join(' ');
  const polite = l.commands.politeness;
  const stripped = input.expanded.filter((t) => !polite.has(t)).join(' ');
  for (const p of [phrase, expanded, stripped]) {
    if (l.languageSwitch.ms.has(p)) return 'ms';
    if (l.languageSwitch.en.has(p)) return 'en';
  }
  return undefined;
}

export function detectLanguage(text: string | AnalysedText, priors?: { stored?: Lang; locale?: string }, lex?: Lexicon): LanguageGuess {
  const input = asAnalysedText(text, lex ?? (typeof text === 'string' ? lexicon() : text.lex));
  lex = input.lex;
  const sw = explicitSwitch(input);
  if (sw) return { lang: sw, confidence: 1, explicitSwitch: sw };
  // the first words decide (MAX_ANALYZED_TOKENS, as for the recognizer): a long message costs no more
  const raw = input.tokens.filter((t) => !t.startsWith('__') && !/^\d+$/.test(t));
  let ms = 0;
  let en = 0;
  for (const t of raw) {
    // greetings and "ok" are typed the same in both languages: they leave the choice to the priors
    if (lex.commands.greeting.has(t) || lex.neutral.has(t)) continue;
    const sf = lex.shortForms.get(t);
    // a Malay short form is Malay evidence (x, nk, camne); the few English ones (u, pls, thx) are English
    if (sf && !lex.markers.en.has(t)) {
      const target = sf.join(' ');
      if (lex.markers.en.has(target) || lex.stopwords.en.has(target) || lex.englishExpansions.has(sf[0])) en += 1;
      else ms += 1;
      continue;
    }
    const isMs = lex.markers.ms.has(t) || lex.stopwords.ms.has(t);
    const isEn = lex.markers.en.has(t) || lex.stopwords.en.has(t);
    if (isMs && !isEn) ms += 1;
    else if (isEn && !isMs) en += 1;
    else if (isMs && isEn) { ms += 0.5; en += 0.5; }
    else if (MS_AFFIX.test(t)) ms += 0.5;
    else if (EN_AFFIX.test(t)) en += 0.5;
  }
  const prior = priorLanguage(priors);
  const total = ms + en;
  if (total < 1 || ms === en) return { lang: prior, confidence: 0.5 };
  const lang: Lang = ms > en ? 'ms' : 'en';
  const share = Math.max(ms, en) / total;
  // a single weak word ("ok") should not overrule the prior with much confidence
  const strength = Math.min(1, total / 3);
  return { lang, confidence: Math.round((0.5 + 0.5 * share * strength) * 100) / 100 };
}

/**
 * The language of a message (ms / en) from its own words; the customer's stored choice and the channel's
 * locale are priors used only when the words do not decide (Web Chat sends en-US whatever is typed).
 * A message that asks to switch ("English please", "BM", "tukar ke bahasa melayu") sets explicitSwitch.
 */
import type { Lang } from '../knowledge/types';
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';
import type { AnalysedText } from './normalize';
import { asAnalysedText, tokenize } from './normalize';

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
  const raw = typeof text === 'string' ? text : text.text;
  if (raw.length > MAX_COMMAND_CHARS) return undefined;
  const input = asAnalysedText(text, lex ?? (typeof text === 'string' ? lexicon() : text.lex));
  if (input.tokens.length === 0) return undefined;
  return switchPhrase(input) ?? namedLanguage(raw, input.lex) ?? firstSentenceSwitch(raw, input.lex);
}

/** A message of at most 7 words that is a switch phrase of the lexicon, as typed, expanded or without politeness. */
function switchPhrase(input: AnalysedText): Lang | undefined {
  const { tokens, lex: l } = input;
  if (tokens.length > 7) return undefined;
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

/** A verb of speaking or writing: what makes a first sentence naming a language a request for it. */
const SPEAKING = /\b(?:cakap|bercakap|speak|reply|balas|jawab|talk|chat|tulis|write|bahasa|language|explain|terang|terangkan|jelaskan|translate|terjemah|terjemahkan)\b/i;

/** Sentences after the first that are read for a request for a language ("kenapa x boleh? jawab in English boleh?"). */
const MAX_SWITCH_SENTENCES = 4;

/**
 * A request for a language in a sentence of its own, then why ("eh boleh cakap melayu je tak? senang sikit nak
 * faham", "can you reply in english? my malay is bad"): the first sentence read alone, when it speaks of speaking
 * ("is the portal in english? …" asks about the portal).
 */
function firstSentenceSwitch(raw: string, l: Lexicon): Lang | undefined {
  // (or its first clause: "in English please, suami sy nak baca sekali")
  // (a sentence's end is matched from the first of its marks only: from each mark of a long run, "!!!…", the pattern read
  // the rest of the run again)
  const end = /(?<![?.!])[?.!]+\s+\S/.exec(raw) ?? /,+\s*\S/.exec(raw);
  if (!end) return undefined;
  const first = raw.slice(0, end.index);
  // (or, without such a verb, when it holds nothing but the name and the words of asking: "BM boleh? nak forward kat mak")
  const asked = SPEAKING.test(first) ? explicitSwitch(first, l) : namedLanguage(first, l, 0);
  return asked ?? laterSwitchSentence(raw.slice(end.index), l)?.lang;
}

/**
 * A later sentence of a short message that asks for a language with a verb of speaking ("kenapa x boleh tukar? jawab
 * in English boleh? nak forward kat anak sy"), among the first MAX_SWITCH_SENTENCES after the first, each read alone:
 * where it is in `rest`, and the language.
 */
function laterSwitchSentence(rest: string, l: Lexicon): { lang: Lang; start: number; end: number } | undefined {
  if (rest.length > MAX_MESSAGE_SCAN_CHARS) return undefined;
  const spans = [...rest.matchAll(/[^?.!]+[?.!]*/g)].slice(0, MAX_SWITCH_SENTENCES + 1);
  for (const m of spans) {
    const sentence = m[0].replace(/^[?.!,\s]+|[?.!,\s]+$/g, '');
    if (sentence === '' || !SPEAKING.test(sentence)) continue;
    // (read as a phrase or for a language named in it: not split again)
    const lang = switchPhrase(asAnalysedText(sentence, l)) ?? namedLanguage(sentence, l);
    if (lang) return { lang, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
  }
  return undefined;
}

/**
 * What a message says after a first sentence that alone asks for a language ("BM boleh? IC sy 900101-10-5431" →
 * "IC sy 900101-10-5431"); undefined when the first sentence is no such request or nothing follows it.
 */
export function textAfterSwitch(raw: string, l?: Lexicon): string | undefined {
  if (raw.length > MAX_MESSAGE_SCAN_CHARS) return undefined;
  const end = /(?<![?.!,])[?.!,]+\s+\S/.exec(raw);
  if (!end) return undefined;
  // the first clause, or the first sentence after an opening of apology ("sorry, can we switch to English? easier for me.
  // The switch date is 1 Feb 2026")
  for (const boundary of [end, /(?<![?.!])[?.!]+\s+\S/.exec(raw)]) {
    if (!boundary || !explicitSwitch(raw.slice(0, boundary.index), l)) continue;
    const rest = raw.slice(boundary.index).replace(/^[?.!,]+\s*/, '').trim();
    return rest === '' ? undefined : rest;
  }
  // (or the message without a later sentence that asks: "tq. eh boleh jawab dalam BM? kat mana sy boleh tukar pelan?"
  // → "tq. kat mana sy boleh tukar pelan?")
  const sentenceEnd = /(?<![?.!])[?.!]+\s+\S/.exec(raw);
  if (!sentenceEnd) return undefined;
  const from = sentenceEnd.index + sentenceEnd[0].length - 1;
  const later = laterSwitchSentence(raw.slice(from), l ?? lexicon());
  if (!later) return undefined;
  const rest = `${raw.slice(0, from + later.start)}${raw.slice(from + later.end)}`.replace(/\s+/g, ' ').trim();
  return rest === '' ? undefined : rest;
}
/** Longest message looked at for a switch sentence and what follows it. */
const MAX_MESSAGE_SCAN_CHARS = 500;

/** Longest message read for a language named in it (words). */
const MAX_NAMED_SWITCH_TOKENS = 16;
/** Content words a request for a language may hold besides its name and the words around it ("my english not good"). */
const MAX_OTHER_CONTENT_WORDS = 2;

/**
 * A language named in a short message that asks for it: "BM boleh?", "cakap melayu je", "can you reply in
 * malay please, my english not good". The name (lexicon languageSwitch.names) follows one of the request
 * words (languageSwitch.words: in, cakap, reply, guna, tukar ke) or comes before one (please, boleh, je), with no
 * negation (not, tak) in the three words before it ("I don't speak malay" asks for nothing); and the message
 * holds at most MAX_OTHER_CONTENT_WORDS other content words, so a question that mentions a language ("is the
 * portal available in english or only malay") is no switch. The last name so asked for wins.
 */
export function namedLanguage(text: string, lex: Lexicon = lexicon(), maxOther = MAX_OTHER_CONTENT_WORDS): Lang | undefined {
  const ls = lex.languageSwitch;
  if (!ls.names.ms.size && !ls.names.en.size) return undefined;
  if (text.length > MAX_COMMAND_CHARS * 2) return undefined;
  const tokens = tokenize(text, MAX_NAMED_SWITCH_TOKENS + 1);
  if (tokens.length === 0 || tokens.length > MAX_NAMED_SWITCH_TOKENS) return undefined;
  const nameAt = (i: number): { lang: Lang; len: number } | undefined => {
    for (const len of [2, 1]) {
      if (i + len > tokens.length) continue;
      const w = tokens.slice(i, i + len).join(' ');
      if (ls.names.ms.has(w)) return { lang: 'ms', len };
      if (ls.names.en.has(w)) return { lang: 'en', len };
    }
    return undefined;
  };
  // a negation among the request words just before the name, or just before them: "I don't speak malay",
  // "tak reti cakap english" (but "tak faham, english please" asks for English)
  const isNegation = (j: number) => j >= 0 && (ls.negations.has(tokens[j]) || (j > 0 && ls.negations.has(`${tokens[j - 1]} ${tokens[j]}`)));
  const negated = (i: number) => {
    let j = i - 1;
    for (let steps = 0; j >= 0 && steps < 3 && ls.words.has(tokens[j]) && !isNegation(j); steps++) j--;
    return isNegation(j);
  };
  // a skill said to be lacking just after the name, past the request words: "my english is bad", "BM sy lemah", "my
  // malay is not so good" (a negation with words after it; one that ends the message tags a question: "english ok tak?")
  const poorAfter = (end: number) => {
    let j = end;
    for (let steps = 0; j < tokens.length && steps < 3 && ls.words.has(tokens[j]) && !ls.poor.has(tokens[j]); steps++) j++;
    if (j >= tokens.length) return false;
    return ls.poor.has(tokens[j]) || (j + 1 < tokens.length && (ls.poor.has(`${tokens[j]} ${tokens[j + 1]}`) || ls.negations.has(tokens[j])));
  };
  let asked: Lang | undefined;
  let other = 0;
  for (let i = 0; i < tokens.length; ) {
    const name = nameAt(i);
    if (name) {
      const before = i > 0 && ls.words.has(tokens[i - 1]);
      const next = i + name.len;
      // (or said to be fine after all: "actually English is fine", "BM pun ok")
      const fine = next + 1 < tokens.length && ls.fine.has(`${tokens[next]} ${tokens[next + 1]}`);
      const after = (next < tokens.length && ls.words.has(tokens[next])) || fine;
      const alone = tokens.length === name.len;
      if ((before || after || alone) && !negated(i) && !poorAfter(next)) asked = name.lang;
      i += name.len + (fine ? 2 : 0);
      continue;
    }
    const t = tokens[i];
    if (!ls.words.has(t) && !ls.negations.has(t) && !lex.stopwords.ms.has(t) && !lex.stopwords.en.has(t) && !lex.commands.politeness.has(t)) other++;
    i++;
  }
  return asked && other <= maxOther ? asked : undefined;
}

export function detectLanguage(text: string | AnalysedText, priors?: { stored?: Lang; locale?: string }, lex?: Lexicon): LanguageGuess {
  const input = asAnalysedText(text, lex ?? (typeof text === 'string' ? lexicon() : text.lex));
  lex = input.lex;
  const sw = explicitSwitch(input);
  if (sw) return { lang: sw, confidence: 1, explicitSwitch: sw };
  // thanks alone in a short form ("ok tq", "thx", "tq ya") is typed the same in both languages by Malaysians, and
  // English thanks ("ok thanks") is said in Malay conversations too: in a conversation whose language is known, it
  // is answered in that language ("terima kasih" after English still reads as Malay)
  if (priors?.stored && input.tokens.length <= 4) {
    const words = input.tokens.filter((t) => !lex!.commands.politeness.has(t) && !lex!.neutral.has(t));
    const core = input.expanded.filter((t) => !lex!.commands.politeness.has(t) && !lex!.neutral.has(t)).join(' ');
    const shortForms = words.length > 0 && words.every((t) => lex!.shortForms.has(t));
    if (lex.commands.thanks.has(core) && (shortForms || (priors.stored === 'ms' && words.every((t) => lex!.markers.en.has(t) || lex!.stopwords.en.has(t) || lex!.shortForms.has(t))))) {
      return { lang: priors.stored, confidence: 0.5 };
    }
  }
  // the first words decide (MAX_ANALYZED_TOKENS, as for the recognizer): a long message costs no more
  const raw = input.tokens.filter((t) => !t.startsWith('__') && !/^\d+$/.test(t));
  let ms = 0;
  let en = 0;
  for (const t of raw) {
    // "hi", "hello" and "ok" are typed the same in both languages: they leave the choice to the priors; a
    // greeting that is a language marker ("hai", "assalamualaikum", "selamat pagi", "good morning") is evidence
    if (lex.neutral.has(t) || (lex.commands.greeting.has(t) && !lex.markers.ms.has(t) && !lex.markers.en.has(t))) continue;
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

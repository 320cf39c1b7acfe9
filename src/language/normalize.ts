/**
 * Normalisation of messages as customers type them, in Malay, English or a mix:
 * identifiers masked (ticket references, MyKad numbers, e-mails, phone numbers), short forms and slang
 * expanded (x/tak -> tidak, camne -> macam mana, ...), bilingual concepts found (akaun/account -> #account),
 * stop words dropped, the remaining words stemmed (Malay stemmer or Porter, word by word).
 * The word lists (short forms, concepts, stop words, stemmer exceptions, month names, the words of a switch's
 * direction and of a question about a method) come from the lexicon (knowledge/lexicon.yaml); the identifier
 * patterns (e-mail, MyKad and phone shapes from src/domain, amounts below) are code. A turn's text is analysed
 * once (analyseText) and the result shared: detection, commands and the recognizer all accept it.
 */
import type { Lang } from '../knowledge/types';
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';
import { MAX_STEM_CHARS, stemMalay } from './stemmer-ms';
import { stemEnglish } from './stem';
import { EMAIL_SHAPE_RE } from '../domain/email';
import { RINGGIT_WORD } from '../domain/money';
import { MYKAD_SHAPE_RE, PASSPORT_IN_TEXT_RE, parsePassport } from '../domain/mykad';
import { PHONE_SHAPE_RE } from '../domain/phone';
import { foldCase } from '../domain/text';

export type IdentifierKind = 'ticket' | 'mykad' | 'passport' | 'email' | 'phone' | 'money' | 'date';
export interface Identifier { kind: IdentifierKind; value: string }

/**
 * Feature given by an identifier the customer typed: a ticket reference is about a ticket ("status
 * TKT-20261122-7QF3"); an amount or a date is a value the customer gives (a calculation's input), one feature
 * whatever its digits, so that "RM58 to RM80 on 11 April" does not dilute the match with unknown words.
 * A phone number is a line the customer gives ("my number is 013-100 0005, could you verify I haven't hit the monthly
 * limit?" asks for that line's check): one feature, whatever its digits. Other personal data (e-mail, MyKad, passport) is
 * masked to a neutral token that gives no feature: the words around it say what the message is about.
 */
const IDENTIFIER_CONCEPT: Record<IdentifierKind, string | null> = {
  ticket: 'ticket',
  mykad: null,
  passport: null,
  email: null,
  phone: 'phonenumber',
  money: 'money',
  date: 'date',
};

/** Feature of a ticket reference typed, besides "#ticket": one ticket named (knowledge examples that name one carry it). */
export const TICKET_REFERENCE_FEATURE = '#ticketref';

/** The patterns of identifiers, by lexicon (the month names of dates are the lexicon's). */
const identifierPatternsCache = new WeakMap<Lexicon, Array<[IdentifierKind, RegExp]>>();
function identifierPatterns(lex: Lexicon): Array<[IdentifierKind, RegExp]> {
  let patterns = identifierPatternsCache.get(lex);
  if (!patterns) {
    const months = [...lex.months.keys()].sort((a, b) => b.length - a.length).join('|');
    // (words and phrases of letters, checked when the lexicon is compiled)
    const refWords = [...lex.ticketReferenceWords].sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, '\\.?\\s{1,3}')).join('|');
    patterns = [
      ['email', EMAIL_SHAPE_RE],
      // a ticket reference as issued (TKT-20261130-AB12) or as a customer remembers it ("TKT-70011", "TKT-7F3K2Q": letters
      // and digits after the prefix, at least one a digit; the look-ahead reads one run of letters, so the cost stays linear)
      ['ticket', /\btkt-?(?:\d{3,8}(?:-?[a-z0-9]{4})?|(?=[a-z]{0,9}\d)[a-z0-9]{4,10})\b/gi],
      // a reference in another form, right after a word naming one ("ref 88213", "no ruj 48817", "Reference CS-5567",
      // "ticket #30987"; lexicon ticketReferenceWords): up to four letters and four to eight digits, not a part of a
      // longer number (a MyKad, a phone), nor a passport number ("ref A12345678" is a passport, masked as one below); every gap
      // is bounded, so a look-behind costs a few characters at each place
      ...(refWords ? [['ticket', new RegExp(
        `(?<=\\b(?:${refWords})\\.?\\s{0,3}(?:[:#]\\s{0,3}){0,2})[a-z]{0,4}-?\\d{4,8}(?![-\\d])\\b`,
        'gi',
      )] as [IdentifierKind, RegExp]] : []),
      ['mykad', MYKAD_SHAPE_RE],
      ['phone', PHONE_SHAPE_RE],
      // amounts: RM58, RM 58.00, rm80, 58 ringgit
      ['money', new RegExp(`\\brm\\s?\\d+(?:[.,]\\d{1,2})?\\b|\\b\\d+(?:[.,]\\d{1,2})?\\s?${RINGGIT_WORD}\\b`, 'gi')],
      // dates: 11 April 2026, April 11(th)(, 2026), 2026-04-11, 11/4/2026, 15hb, 11th, 1st
      ['date', new RegExp(
        `\\b\\d{1,2}(?:st|nd|rd|th|hb)?\\s+(?:${months})\\b(?:\\s+\\d{4})?|\\b(?:${months})\\s+\\d{1,2}(?:st|nd|rd|th)?\\b(?:,?\\s+\\d{4})?` +
        '|\\b\\d{4}-\\d{1,2}-\\d{1,2}\\b|\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b|\\b\\d{1,2}\\s?(?:hb|haribulan)\\b|\\b\\d{1,2}(?:st|nd|rd|th)\\b',
        'gi',
      )],
      // a passport number, the domain's shape and rule (one or two letters, six to nine digits: "A12345678", "A1234
      // 5678"; not a version, "v2.0"), once the numbers above are masked ("sy 013-100 0002" is a line, "RM150" an amount)
      ['passport', PASSPORT_IN_TEXT_RE],
    ];
    identifierPatternsCache.set(lex, patterns);
  }
  return patterns;
}

/**
 * Replaces identifiers with a placeholder token ("__ticket__", "__email__", "__money__") and returns what was
 * found. E-mails, MyKad numbers and phone numbers are found with the domain's own shapes (src/domain), the same
 * the redaction of logs uses, so personal data never reaches the matcher, the vocabulary or the logs of features.
 */
export function maskIdentifiers(text: string, lex: Lexicon = lexicon()): { text: string; found: Identifier[] } {
  const found: Identifier[] = [];
  // every pattern needs an "@" (e-mail) or a digit (the others): most messages have neither
  if (!text.includes('@') && !/\d/.test(text)) return { text, found };
  let out = text;
  for (const [kind, re] of identifierPatterns(lex)) {
    re.lastIndex = 0;
    out = out.replace(re, (m) => {
      if (kind === 'passport' && (/^rm/i.test(m) || !parsePassport(m).ok)) return m;
      if (kind === 'ticket' && !/^tkt/i.test(m) && parsePassport(m).ok) return m;
      found.push({ kind, value: m.trim() });
      return ` __${kind}__ `;
    });
  }
  return { text: out, found };
}

/**
 * The word that joins a request to its subject ("nk buat aduan pasal akaun ebiz …", "a complaint about my bill", "I
 * need to speak to a staff member about …"), with the spaces around it: where a request's clause ends. (The spaces
 * before it follow a word: a match is tried once per run of spaces, so a long run costs linear time, not quadratic.)
 */
export const TOPIC_BREAK = /(?<=\S)\s+(?:pasal|psl|tentang|mengenai|berkenaan|about|regarding)\s+/i;

/**
 * Words of one message the analysis reads (the rest is ignored): a question has at most a few dozen (the
 * longest of the evaluation sets has 30, of the knowledge's examples 20); a message of the largest accepted
 * length (MAX_MESSAGE_CHARS, up to 100,000) may have tens of thousands, which would only cost time.
 */
export const MAX_ANALYZED_TOKENS = 200;
/**
 * Longest word stemmed, memoised and looked up as a term (the knowledge's longest is 17 letters): a longer
 * token is an unknown word as it is, so neither the stemmers nor the memos ever hold a 4,000-letter string.
 */
export const MAX_WORD_CHARS = MAX_STEM_CHARS;

/**
 * Characters of one message the analysis reads (language, identifiers, tokens): the first 4,000, cut at a
 * space near the end. A question is far shorter, and MAX_MESSAGE_CHARS (default 2,000) may be set up to
 * 100,000: Unicode normalisation, lower-casing and the patterns of identifiers then cost time for nothing.
 */
export const MAX_ANALYZED_CHARS = 4000;

/** The part of a message the analysis reads (see MAX_ANALYZED_CHARS); never ends inside a surrogate pair. */
export function analyzedPart(text: string, max = MAX_ANALYZED_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const space = text.lastIndexOf(' ', max);
  if (space > max - 64) end = space;
  else if ((text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
  return text.slice(0, end);
}

const TOKEN_RE = /__[a-z]+__|[a-z0-9]+(?:['/-][a-z0-9]+)*/g;
/** An arrow between two words or numbers (read as "to"). */
const ARROW = /-+>|=+>|[→⇒➔➜➡]/gu;

/**
 * Lower-cased word tokens; hyphenated words (e-mel, pro-rata, kali-kali) and "kali2" reduplication kept whole; an
 * arrow is the word "to".
 * At most `max` tokens (the first ones).
 */
export function tokenize(text: string, max = Infinity): string[] {
  // (an arrow is the word "to": "Postpaid 40 → 60", "prepaid->postpaid")
  const t = foldCase(text).replace(/[’‘`]/g, "'").replace(ARROW, ' to ');
  const out: string[] = [];
  // the one pattern object, from its start (the loop calls nothing that tokenizes: no other use in between)
  const re = TOKEN_RE;
  re.lastIndex = 0;
  // most texts have no apostrophe and no "2": their words need neither check
  const apostrophe = t.includes("'");
  const two = t.includes('2');
  for (let m = re.exec(t); m && out.length < max; m = re.exec(t)) {
    let w = m[0];
    if (apostrophe && w.includes("'")) w = w.replace(/'(s|re|ll|ve|d|m)$/, '');
    const redup = two && w.endsWith('2') ? /^([a-z]{3,})2$/.exec(w) : null;
    if (redup) w = `${redup[1]}-${redup[1]}`;
    // a phrase joined by hyphens ("prepaid-to-prepaid", "add-to-cart") is its words; a word of two parts stays one
    // (Malay reduplication "syarat-syarat", "pro-rata", "e-mel", "top-up")
    const first = w.indexOf('-');
    if (first > 0 && w.indexOf('-', first + 1) > first + 1) {
      for (const part of w.split('-')) if (part && out.length < max) out.push(part);
      continue;
    }
    out.push(w);
  }
  return out;
}

/** A word's short form (lexicon shortForms) and whether it is the first word of a short form of several words. */
interface ShortFormWord {
  sf?: string[];
  starts: boolean;
}
const shortFormWordsCache = new WeakMap<Lexicon, Map<string, ShortFormWord>>();
/**
 * The words that are a short form or the first word of one of several words ("mcm" of "mcm mana"): one lookup per
 * token tells both (most words are neither).
 */
function shortFormWords(lex: Lexicon): Map<string, ShortFormWord> {
  let words = shortFormWordsCache.get(lex);
  if (!words) {
    words = new Map<string, ShortFormWord>();
    for (const [k, sf] of lex.shortForms) {
      const w = words.get(k);
      if (w) w.sf = sf;
      else words.set(k, { sf, starts: false });
    }
    for (const k of lex.shortForms.keys()) {
      if (!k.includes(' ')) continue;
      const first = k.split(' ')[0];
      const w = words.get(first);
      if (w) w.starts = true;
      else words.set(first, { starts: true });
    }
    shortFormWordsCache.set(lex, words);
  }
  return words;
}

/** The longest half of a reduplicated word read as a short form said twice ("byk-byk"). */
const MAX_REDUP_HALF = 12;

/** Short forms and slang expanded; `correct` (optional) fixes a typo of a word the caller does not know. */
export function expandShortForms(tokens: string[], lex: Lexicon = lexicon(), correct?: (w: string) => string | undefined): string[] {
  const out: string[] = [];
  const words = shortFormWords(lex);
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    const known = words.get(w);
    // two-token short forms ("mcm mana")
    if (i + 1 < tokens.length && (known?.starts || w.includes(' '))) {
      const two = lex.shortForms.get(`${w} ${tokens[i + 1]}`);
      if (two) { out.push(...two); i++; continue; }
    }
    const sf = known?.sf;
    if (sf) { out.push(...sf); continue; }
    // a short form said twice ("byk2" → "byk-byk"): its expansion twice ("banyak-banyak")
    const half = w.length <= 2 * MAX_REDUP_HALF + 1 && w.indexOf('-') > 0 ? w.slice(0, w.indexOf('-')) : undefined;
    const halfSf = half && w === `${half}-${half}` ? lex.shortForms.get(half) : undefined;
    if (halfSf && halfSf.length === 1) { out.push(`${halfSf[0]}-${halfSf[0]}`); continue; }
    if (correct && !w.startsWith('__')) {
      const c = correct(w);
      if (c && c !== w) {
        out.push(...(lex.shortForms.get(c) ?? [c]));
        continue;
      }
    }
    out.push(w);
  }
  return out;
}

/** The language a single word most likely belongs to, given the message's language. */
export function wordLang(w: string, messageLang: Lang, lex: Lexicon = lexicon()): Lang {
  const ms = lex.markers.ms.has(w) || lex.stopwords.ms.has(w);
  const en = lex.markers.en.has(w) || lex.stopwords.en.has(w);
  if (ms && !en) return 'ms';
  if (en && !ms) return 'en';
  if (messageLang === 'ms' && /(ing|tion|tions|ed|ly|ness|ment|ments)$/.test(w) && w.length > 5 && !/^(me|di|ber|ter|pe)/.test(w)) return 'en';
  return messageLang;
}

interface ConceptIndex {
  stems: Map<string, string>;
  /** first two words ("a b") of the concept and out-of-scope terms of several words */
  firstTwo: Set<string>;
  /** every prefix (the whole term included) of the one-word terms: what a run of joined tokens can start with */
  joinPrefixes: Set<string>;
  /** by such a prefix: the letters that can follow it in a one-word term */
  joinNext: Map<string, string>;
  /** first words of firstTwo */
  firstOfTwo: Set<string>;
  /**
   * the terms of several words (concept and out-of-scope) word by word, by first word: a node's `term` is the term
   * its path spells (only one that termAt records). Finds the terms starting at a word without joining strings.
   */
  trie: Map<string, TermNode>;
  /** what a word alone gives, in a message of each language (memo) */
  words: Record<Lang, Map<string, WordInfo>>;
}

/** A word on its own: its stem, and the feature or out-of-scope term it gives when no longer term starts with it. */
interface WordInfo {
  stem: string;
  /** the word, its stem, are the first word of a term of several words */
  twoStart: boolean;
  stemTwoStart: boolean;
  /** letters that can follow the word in a one-word term ("naik" + "taraf" -> "naiktaraf"): '' if none */
  joinNext: string;
  feature?: string;
  outOfScope?: string;
  /** the word and its stem are neither empty nor hold a space (analyze's fast path for terms of several words) */
  plain: boolean;
  /** the trie's node of the word, of its stem (ConceptIndex.trie; none for a word longer than MAX_WORD_CHARS) */
  node?: TermNode;
  stemNode?: TermNode;
}
interface TermNode {
  next?: Map<string, TermNode>;
  term?: string;
}
const conceptIndexCache = new WeakMap<Lexicon, ConceptIndex>();
/** Single-word concept terms by their stems (both stemmers), so "dilupuskan" and "forfeiting" find theirs. */
function conceptIndex(lex: Lexicon): ConceptIndex {
  let ci = conceptIndexCache.get(lex);
  if (!ci) {
    const stems = new Map<string, string>();
    for (const [term, id] of lex.conceptTerms) {
      if (term.includes(' ')) continue;
      for (const s of [stemMalay(term, {}, lex), stemEnglish(term)]) if (!lex.conceptTerms.has(s) && !stems.has(s)) stems.set(s, id);
    }
    const firstTwo = new Set<string>();
    const firstOfTwo = new Set<string>();
    const joinPrefixes = new Set<string>();
    for (const term of [...lex.conceptTerms.keys(), ...lex.outOfScope]) {
      if (term.includes(' ')) {
        const parts = term.split(' ');
        firstTwo.add(`${parts[0]} ${parts[1]}`);
        firstOfTwo.add(parts[0]);
      }
      else for (let k = 1; k <= term.length; k++) joinPrefixes.add(term.slice(0, k));
    }
    const joinNext = new Map<string, string>();
    for (const term of [...lex.conceptTerms.keys(), ...lex.outOfScope]) {
      if (term.includes(' ')) continue;
      for (let k = 1; k < term.length; k++) {
        const prefix = term.slice(0, k);
        const next = joinNext.get(prefix) ?? '';
        if (!next.includes(term[k])) joinNext.set(prefix, next + term[k]);
      }
    }
    const trie = new Map<string, TermNode>();
    for (const term of [...lex.conceptTerms.keys(), ...lex.outOfScope]) {
      const parts = term.split(' ');
      // a term with an empty word can only be spelled by empty or spaced tokens: analyze's slow path
      if (parts.length < 2 || parts.includes('') || !(lex.conceptTerms.get(term) || lex.outOfScope.has(term))) continue;
      let node = trie.get(parts[0]);
      if (!node) trie.set(parts[0], (node = {}));
      for (let k = 1; k < parts.length; k++) {
        node.next ??= new Map();
        let child = node.next.get(parts[k]);
        if (!child) node.next.set(parts[k], (child = {}));
        node = child;
      }
      node.term = term;
    }
    ci = { stems, firstTwo, joinPrefixes, joinNext, firstOfTwo, trie, words: { ms: new Map(), en: new Map() } };
    conceptIndexCache.set(lex, ci);
  }
  return ci;
}

const WORD_MEMO_MAX = 50_000;
/** What word w gives on its own (the word as a term, its stem as a term, a concept via its stem, its stem). */
function wordInfo(w: string, lang: Lang, lex: Lexicon, ci: ConceptIndex): WordInfo {
  const memo = ci.words[lang];
  if (w.length > MAX_WORD_CHARS) {
    // longer than any word the knowledge or the lexicon has: an unknown word as typed (not stemmed, not memoised)
    return { stem: w, twoStart: false, stemTwoStart: false, joinNext: '', feature: /^\d+$/.test(w) ? undefined : w, plain: !w.includes(' ') };
  }
  let info = memo.get(w);
  if (info === undefined) {
    const stem = w.startsWith('__') ? w : wordLang(w, lang, lex) === 'ms' ? stemMalay(w, {}, lex) : stemEnglish(w);
    const plain = w !== '' && stem !== '' && !w.includes(' ') && !stem.includes(' ');
    info = { stem, twoStart: ci.firstOfTwo.has(w), stemTwoStart: ci.firstOfTwo.has(stem), joinNext: ci.joinNext.get(w) ?? '', plain, node: ci.trie.get(w), stemNode: ci.trie.get(stem) };
    const features: string[] = [];
    const outOfScope: string[] = [];
    if (termAt(w, lex, features, outOfScope) || termAt(stem, lex, features, outOfScope)) {
      if (features.length) info.feature = features[0];
      else info.outOfScope = outOfScope[0];
    } else {
      // an inflection of a stop word ("getting", "wanted", "needs") says no more than the stop word itself
      const stop = lex.stopwords.ms.has(w) || lex.stopwords.en.has(w) || lex.stopwords.ms.has(stem) || lex.stopwords.en.has(stem);
      const viaStem = ci.stems.get(stem);
      if (viaStem && !stop) info.feature = `#${viaStem}`;
      else if (!stop && !/^\d+$/.test(w) && w.length > 1) info.feature = stem;
    }
    if (memo.size >= WORD_MEMO_MAX) memo.clear();
    memo.set(w, info);
  }
  return info;
}

/**
 * The text of one turn, analysed once and shared by language detection, commands and recognition (and the
 * dialogs through the turn context): the part the analysis reads, its identifiers masked, lower-cased word
 * tokens, and the tokens with short forms expanded. The recognizer expands the same tokens again with its own
 * typo correction (its vocabulary is the knowledge's). Built by analyseText, never by hand.
 */
export interface AnalysedText {
  readonly kind: 'analysed-text';
  /** the message as received */
  readonly text: string;
  /** identifiers found (e-mail, MyKad, phone, ticket, amount, date), masked in `tokens` */
  readonly identifiers: readonly Identifier[];
  /** lower-cased tokens of the masked text (at most MAX_ANALYZED_TOKENS) */
  readonly tokens: readonly string[];
  /** `tokens` with the lexicon's short forms and slang expanded */
  readonly expanded: readonly string[];
  /** the lexicon it was analysed with */
  readonly lex: Lexicon;
}

/** Analyses the text of a turn once (bounded: MAX_ANALYZED_CHARS characters, MAX_ANALYZED_TOKENS words). */
export function analyseText(text: string, lex: Lexicon): AnalysedText {
  const { text: masked, found } = maskIdentifiers(analyzedPart(text), lex);
  const tokens = tokenize(masked, MAX_ANALYZED_TOKENS);
  return Object.freeze({ kind: 'analysed-text', text, identifiers: found, tokens, expanded: expandShortForms(tokens, lex), lex });
}

/** The analysed text of `input` with lexicon `lex`: `input` itself when it was analysed with `lex`. */
export function asAnalysedText(input: string | AnalysedText, lex: Lexicon): AnalysedText {
  return typeof input !== 'string' && input.lex === lex ? input : analyseText(typeof input === 'string' ? input : input.text, lex);
}

export interface Analysis {
  /** the tokens after masking, short forms and typo correction */
  tokens: string[];
  /** what the matcher compares: "#concept" ids and word stems */
  features: string[];
  /** out-of-scope terms found (weather, JPJ, other operators, ...) */
  outOfScope: string[];
  identifiers: Identifier[];
}

export interface AnalyzeOptions {
  /** typo correction of words the caller does not know */
  correct?: (w: string) => string | undefined;
  lex?: Lexicon;
}

/** Records a concept or out-of-scope term that `cand` is; false if it is neither. */
function termAt(cand: string, lex: Lexicon, features: string[], outOfScope: string[]): boolean {
  const concept = lex.conceptTerms.get(cand);
  if (concept) { features.push(`#${concept}`); return true; }
  if (lex.outOfScope.has(cand)) { outOfScope.push(cand); return true; }
  return false;
}

/**
 * The term of several words starting at word i that analyze's slow path finds (recorded by termAt), and how many
 * words it spans (0: none), for words and stems that are neither empty nor hold a space. The slow path tries, from
 * the longest span down, the words joined by spaces, their stems joined by spaces, and the words joined: here the
 * first two walk the trie of terms word by word, and the third stops as soon as the joined words begin no one-word
 * term (joinNext), so no string is built for a word that starts no term.
 */
function termsAt(i: number, tokens: string[], infos: WordInfo[], lex: Lexicon, ci: ConceptIndex, features: string[], outOfScope: string[]): number {
  const maxL = Math.min(lex.maxTermWords, tokens.length - i);
  if (maxL < 2) return 0;
  // (a word longer than MAX_WORD_CHARS starts none: the slow path's `several` is false for it)
  const info = infos[i];
  let best = 0;
  let term = '';
  let node = info.node;
  for (let L = 2; node !== undefined && L <= maxL; L++) {
    node = node.next?.get(tokens[i + L - 1]);
    if (node?.term !== undefined) { best = L; term = node.term; }
  }
  // at the same span, the words come before their stems, and the stems before the joined words
  node = info.stemNode;
  for (let L = 2; node !== undefined && L <= maxL; L++) {
    node = node.next?.get(infos[i + L - 1].stem);
    if (node?.term !== undefined && L > best) { best = L; term = node.term; }
  }
  let joined = tokens[i];
  for (let L = 2; L <= maxL; L++) {
    const next = tokens[i + L - 1];
    if (!(L === 2 ? info.joinNext : ci.joinNext.get(joined))?.includes(next[0])) break;
    if (L === 2 && lex.separateWords.has(`${joined} ${next}`)) break;
    joined += next;
    if (L > best && (lex.conceptTerms.get(joined) || lex.outOfScope.has(joined))) { best = L; term = joined; }
  }
  if (best) termAt(term, lex, features, outOfScope);
  return best;
}

/** The full pipeline: identifiers, tokens, short forms, concepts, stop words, stems (of a text analysed once, or a string). */
export function analyze(text: string | AnalysedText, lang: Lang, opts: AnalyzeOptions = {}): Analysis {
  const lex = opts.lex ?? (typeof text === 'string' ? lexicon() : text.lex);
  const input = asAnalysedText(text, lex);
  // the analysed text made here is no one else's: its arrays are taken as they are; a shared one's are copied
  const own = input !== text;
  const found = own ? (input.identifiers as Identifier[]) : input.identifiers.slice();
  const tokens = opts.correct ? expandShortForms(input.tokens as string[], lex, opts.correct) : own ? (input.expanded as string[]) : input.expanded.slice();
  const ci = conceptIndex(lex);
  // no empty word, no word or stem holding a space (every text the tokenizer gives): terms of several words are
  // found word by word (termsAt), without joining strings; otherwise as below
  let plain = true;
  const infos = tokens.map((w) => {
    const x = wordInfo(w, lang, lex, ci);
    if (!x.plain) plain = false;
    return x;
  });
  const stems = plain ? [] : infos.map((x) => x.stem);
  const features: string[] = [];
  const outOfScope: string[] = [];
  // where each out-of-scope term was found (the last word of it)
  const foundAt: number[] = [];
  for (let i = 0; i < tokens.length; ) {
    while (foundAt.length < outOfScope.length) foundAt.push(i - 1);
    const w = tokens[i];
    const id = w.startsWith('__') ? /^__([a-z]+)__$/.exec(w) : null;
    if (id) {
      const concept = IDENTIFIER_CONCEPT[id[1] as IdentifierKind];
      if (concept) features.push(`#${concept}`);
      // a reference names one ticket: its status, not the list of the customer's tickets ("tiket sy TKT-48213 dah settle?")
      if (id[1] === 'ticket') features.push(TICKET_REFERENCE_FEATURE);
      i++;
      continue;
    }
    if (plain) {
      const matched = termsAt(i, tokens, infos, lex, ci, features, outOfScope);
      if (matched) { i += matched; continue; }
      const info = infos[i];
      if (info.feature !== undefined) features.push(info.feature);
      else if (info.outOfScope !== undefined) outOfScope.push(info.outOfScope);
      i++;
      continue;
    }
    // a term of several words can start here only if this word and the next (or their stems) begin one, or
    // they begin a one-word term that joined tokens could spell ("naik taraf" -> "naiktaraf")
    const s = stems[i];
    let several = false;
    if (i + 1 < tokens.length && lex.maxTermWords > 1) {
      const w1 = tokens[i + 1];
      const s1 = stems[i + 1];
      several =
        w === '' || w1 === '' || s.includes(' ') || s1.includes(' ') ||
        (infos[i].twoStart && ci.firstTwo.has(`${w} ${w1}`)) ||
        (infos[i].stemTwoStart && ci.firstTwo.has(`${s} ${s1}`)) ||
        (infos[i].joinNext.includes(w1[0]) && ci.joinPrefixes.has(w + w1));
    }
    let matched = 0;
    for (let L = several ? Math.min(lex.maxTermWords, tokens.length - i) : 1; L >= 2 && !matched; L--) {
      const surface = tokens.slice(i, i + L).join(' ');
      const stemmed = stems.slice(i, i + L).join(' ');
      const joined = L === 2 && lex.separateWords.has(surface) ? '' : tokens.slice(i, i + L).join('');
      for (const cand of [surface, stemmed, joined]) {
        if (termAt(cand, lex, features, outOfScope)) { matched = L; break; }
      }
    }
    if (matched) { i += matched; continue; }
    // the word on its own
    const info = infos[i];
    if (info.feature !== undefined) features.push(info.feature);
    else if (info.outOfScope !== undefined) outOfScope.push(info.outOfScope);
    i++;
  }
  features.push(...directionFeatures(features, tokens, lex));
  // (an out-of-scope term in a clause that gives a reason tells why, not what is asked: set aside; looked for only when
  // there is one, as most messages and every example of the knowledge have none)
  while (foundAt.length < outOfScope.length) foundAt.push(tokens.length - 1);
  // (a term of parts that stand apart, each found anywhere: "Forgot my eBiz v2.0 password" holds "forgot + password";
  // found where its last part ends; cost: the words once into a set, a look-up per part, and the words again only for a
  // term each of whose parts' first word the text holds, which most texts do for none)
  if (lex.outOfScopeTogether.length > 0) {
    const words = new Set(tokens);
    for (const parts of lex.outOfScopeTogether) {
      if (!parts.every((part) => words.has(part[0]!))) continue;
      const at = parts.map((part) => tokens.findIndex((_, k) => phraseAt(tokens, k, [part]) > 0));
      if (at.every((k) => k >= 0)) {
        outOfScope.push(parts.map((p) => p.join(' ')).join(' + '));
        foundAt.push(at[at.length - 1]! + parts[parts.length - 1]!.length - 1);
      }
    }
  }
  const reasonAt = outOfScope.length ? reasonStart(tokens, lex) : tokens.length;
  // (and one a negator denies, "I don't do online banking", is what the customer does not want; a term of parts, by the
  // words before its last part)
  const asked = outOfScope.filter((term, k) => foundAt[k]! < reasonAt && !negated(tokens, foundAt[k]! - term.split(' + ').pop()!.split(' ').length + 1, lex));
  return { tokens, features: requestFeatures(features, tokens, lex), outOfScope: asked, identifiers: found };
}

/** How many words before an out-of-scope term a negator denies it ("I do not do online banking": "not" two words before). */
const NEGATED_WINDOW = 3;

/** Whether a negator of the lexicon stands at most NEGATED_WINDOW words before the word at `start`. */
function negated(tokens: readonly string[], start: number, lex: Lexicon): boolean {
  for (let i = Math.max(0, start - NEGATED_WINDOW); i < start; i++) {
    // ("boleh tak", "ke tidak", "or not" ask, they deny nothing: "Boleh tak saya pindah milik talian …?")
    if (lex.negators.has(tokens[i]!) && !(i > 0 && lex.questionTags.has(tokens[i - 1]!))) return true;
  }
  return false;
}

/** Words that ask for a reason: a reason opener after one is a question word ("apa sebab", "why because"). */
const ASKS_REASON = new Set(['apa', 'why', 'kenapa', 'mengapa', 'what']);

/**
 * Where a clause giving a reason begins (lexicon reasonOpeners: "now that", "sebab"), not at the message's start (a
 * message that opens with one is its reason and its question at once: "sebab apa bil sy naik?"); tokens.length if none.
 */
function reasonStart(tokens: readonly string[], lex: Lexicon): number {
  const byFirst = reasonIndex(lex);
  for (let i = 1; i < tokens.length; i++) {
    // (one lookup per word: the knowledge's examples are all analysed at every build)
    const phrases = byFirst.get(tokens[i]!);
    if (phrases === undefined || ASKS_REASON.has(tokens[i - 1]!)) continue;
    const n = phraseAt(tokens, i, phrases);
    if (n > 0 && !ASKS_REASON.has(tokens[i + n] ?? '')) return i;
  }
  return tokens.length;
}

const reasonIndexes = new WeakMap<Lexicon, Map<string, string[][]>>();

/** The lexicon's reason openers by their first word. */
function reasonIndex(lex: Lexicon): Map<string, string[][]> {
  let m = reasonIndexes.get(lex);
  if (!m) {
    m = new Map();
    for (const phrase of lex.reasonOpeners) {
      const list = m.get(phrase[0]!);
      if (list) list.push(phrase);
      else m.set(phrase[0]!, [phrase]);
    }
    reasonIndexes.set(lex, m);
  }
  return m;
}

const LINE_TYPES = new Set(['#prepaid', '#postpaid']);
/**
 * Word order matters where a bag of words loses it: "postpaid to prepaid" is not "prepaid to postpaid".
 * Two line types named give a direction feature ("#dir:postpaid>prepaid"): the one said to be the origin ("from
 * prepaid", "masih prabayar", "currently on postpaid") or the other of the one said to be the destination ("to
 * postpaid"), else the first named is the origin; one line type with "another"/"lain" gives the same-type switch
 * ("#dir:prepaid>prepaid"), as does one line type named twice; one line type named as the destination ("downgrade to prepaid", "tukar ke postpaid")
 * gives the switch from the other type, the only one it can be.
 * (A story names its line types more than once: "company wants postpaid … I've always been on prepaid … what are the
 * conditions for changing from prepaid to postpaid?" is one switch, prepaid to postpaid.)
 */
export function directionFeatures(features: string[], allTokens: string[], lex: Lexicon = lexicon()): string[] {
  // (a line type denied is no end of the switch: "I'm thinking of dropping to a smaller postpaid plan. I don't want to go to
  // prepaid" is a switch within postpaid)
  const denied = deniedLineTypes(allTokens, lex);
  const tokens = denied.size === 0 ? allTokens : allTokens.map((t, i) => (denied.has(i) ? '' : t));
  const named = features.filter((f) => LINE_TYPES.has(f));
  // (one mention of its type fewer for each one denied)
  for (const i of denied) {
    const at = named.indexOf(`#${lex.conceptTerms.get(allTokens[i]!)}`);
    if (at >= 0) named.splice(at, 1);
  }
  const seq = [...new Set(named)];
  // no line type named (most messages): no direction
  if (!seq.length) return [];
  // one line type named twice: a switch within it ("postpaid to postpaid", "prepaid ke prepaid")
  if (seq.length === 1 && named.length >= 2) return [`#dir:${seq[0]!.slice(1)}>${seq[0]!.slice(1)}`];
  if (seq.length >= 2) {
    const at = tokens.map((t, i) => ({ i, c: lex.conceptTerms.get(t) })).filter((x) => x.c === 'prepaid' || x.c === 'postpaid');
    const other = (c: string) => (c === 'prepaid' ? 'postpaid' : 'prepaid');
    const saidAs = (words: ReadonlySet<string>) => [...new Set(at.filter((x) => precededBy(tokens, x.i, words, lex)).map((x) => x.c!))];
    // an origin or a destination said as such, and only one of each kind said: that switch
    // (a line type followed by a word of destination is one, though a word of the current type stands before it: "I want
    // him on prepaid instead")
    const after = [...new Set(at.filter((x) => lex.direction.toAfter.has(tokens[x.i + 1] ?? '')).map((x) => x.c!))];
    // (a word of the current type after a person the switch is made for says the destination: "wants me on postpaid")
    const forSomeone = [...new Set(at.filter((x) => {
      const j = wordBefore(tokens, x.i, lex);
      return j > 0 && lex.direction.current.has(tokens[j]!) && lex.direction.objects.has(tokens[j - 1]!);
    }).map((x) => x.c!))];
    const origins = [...new Set([...saidAs(lex.direction.from), ...saidAs(lex.direction.current)])].filter((c) => !after.includes(c) && !forSomeone.includes(c));
    const destinations = [...new Set([...saidAs(lex.direction.to), ...after, ...forSomeone])];
    const origin =
      origins.length === 1 && !destinations.includes(origins[0]!) ? origins[0]
      : destinations.length === 1 && !origins.includes(destinations[0]!) ? other(destinations[0]!)
      : (at[0]?.c ?? seq[0]!.slice(1));
    return [`#dir:${origin}>${other(origin!)}`];
  }
  if (seq.length === 1 && tokens.some((t) => lex.direction.sameKind.has(t))) return [`#dir:${seq[0].slice(1)}>${seq[0].slice(1)}`];
  // (one line type with a plan's fee after it, then a fee as the destination: "nk naik dr postpaid 58 ke 80", "from
  // Postpaid RM58 to RM80" is a switch within it)
  if (seq.length === 1 && feeToFee(tokens, seq[0]!.slice(1), lex)) return [`#dir:${seq[0]!.slice(1)}>${seq[0]!.slice(1)}`];
  // the destination alone, in a message about switching: "downgrade to prepaid", "tukar ke postpaid"
  if (seq.length === 1 && features.some((f) => f === '#change' || f === '#goback' || f === '#upgrade' || f === 'downgrad')) {
    const at = tokens.findIndex((t) => lex.conceptTerms.get(t) === seq[0].slice(1));
    if ((at > 0 && precededBy(tokens, at, lex.direction.to, lex)) || (at >= 0 && lex.direction.toAfter.has(tokens[at + 1] ?? ''))) {
      const to = seq[0].slice(1);
      return [`#dir:${to === 'prepaid' ? 'postpaid' : 'prepaid'}>${to}`];
    }
  }
  return [];
}

/**
 * Whether the words name a line type with a plan's fee after it, then a fee as the destination: "nk naik dr postpaid 58 ke
 * 80", "from Postpaid RM58 to RM80", "Digi Postpaid 40 → 60" (an arrow is "to"): two plans of that type, a switch within it.
 */
export function feeToFee(tokens: readonly string[], lineType: string, lex: Lexicon = lexicon()): boolean {
  const at = tokens.findIndex((t) => lex.conceptTerms.get(t) === lineType);
  const fee = (t: string | undefined) => t !== undefined && (t === '__money__' || /^\d{2,3}$/.test(t));
  return at >= 0 && fee(tokens[at + 1]) && tokens.some((t, k) => k > at + 1 && lex.direction.to.has(t) && fee(tokens[k + 1]));
}

/** The most words between a negator and the line type it denies (lexicon direction.deniedVia). */
const DENIED_WINDOW = 5;

/**
 * The positions of the line types a message denies: one at most DENIED_WINDOW words after a negator (lexicon negators),
 * every word between one that may stand there (direction.deniedVia): "I don't want to go to prepaid", "tak nak prepaid".
 * Cost: the words times the window.
 */
function deniedLineTypes(tokens: readonly string[], lex: Lexicon): Set<number> {
  const out = new Set<number>();
  if (lex.direction.deniedVia.size === 0) return out;
  for (let i = 0; i < tokens.length; i++) {
    const c = lex.conceptTerms.get(tokens[i]!);
    if (c !== 'prepaid' && c !== 'postpaid') continue;
    for (let j = i - 1; j >= 0 && j >= i - 1 - DENIED_WINDOW; j--) {
      if (lex.negators.has(tokens[j]!)) {
        out.add(i);
        break;
      }
      if (!lex.direction.deniedVia.has(tokens[j]!)) break;
    }
  }
  return out;
}

/** Whether the word before tokens[at], past the fillers that may stand between ("ke pelan prepaid"), is one of `words`. */
function precededBy(tokens: string[], at: number, words: ReadonlySet<string>, lex: Lexicon): boolean {
  const j = wordBefore(tokens, at, lex);
  return j >= 0 && words.has(tokens[j]);
}

/** The position of the word before a line type, past the fillers ("ke pelan prepaid"), or -1. */
function wordBefore(tokens: string[], at: number, lex: Lexicon): number {
  let j = at - 1;
  while (j >= 0 && lex.direction.filler.has(tokens[j])) j--;
  return j;
}

/** Concepts that make a mention of calculating a question about the method, not a request to calculate. */
const ASKS_METHOD = new Set(['#how', '#why', '#formula', '#example', '#difference']);
/** The concepts of a question of how or why, not of a difference ("a different prepaid plan") or an example. */
export const HOW_OR_WHY: ReadonlySet<string> = new Set(['#how', '#why', '#formula']);
/**
 * What a message asks for, where the concepts alone do not say: "kira bil pro-rata" / "calculate my bill" is a
 * request to calculate (a task), "macam mana bil dikira" / "how is it calculated" asks for the method; so is a
 * pro-rata message that gives the values to work with ("prorate RM58 to RM80 from the 11th").
 * In a request, "#calculate" becomes "#do:calculate" (in place: the message has as many features as before,
 * so a bare "pro-rata" stays as close to the method as to the task). "How much" asks for an amount, not a method.
 */
export function requestFeatures(features: string[], tokens: string[] = [], lex: Lexicon = lexicon()): string[] {
  const calculate = features.includes('#calculate') || (features.includes('#prorata') && (features.includes('#money') || features.includes('#date')));
  if (!calculate || asksForMethod(features, tokens, lex)) return features;
  const out = features.filter((f) => f !== '#calculate');
  out.push('#do:calculate');
  return out;
}

/**
 * Whether features name a lexicon concept: as it is, or asked to be done ("#do:calculate", a request to calculate, names
 * calculate). What an entry's `needs` is checked against, by the recognizer and by kb:check.
 */
export function namesConcept(features: readonly string[] | ReadonlySet<string>, concept: string): boolean {
  const has = (f: string) => ('has' in features ? features.has(f) : features.includes(f));
  return has(`#${concept}`) || has(`#do:${concept}`);
}

/**
 * Whether a question asks for a method (how, why, the formula, an example, the difference), not for something to be
 * done: its concepts (`concepts`, by default ASKS_METHOD), or the lexicon's methodWords ("how is it calculated",
 * "kenapa bil dikira begini", "nak faham cara …"; "how much" and "how many" ask for an amount).
 */
export function asksForMethod(
  features: readonly string[],
  tokens: readonly string[],
  lex: Lexicon = lexicon(),
  concepts: ReadonlySet<string> = ASKS_METHOD,
): boolean {
  if (features.some((f) => concepts.has(f))) return true;
  return tokens.some((t, i) => lex.methodWords.has(t) && !(t === 'how' && (tokens[i + 1] === 'much' || tokens[i + 1] === 'many')));
}

/** A canonical form of a text for comparing utterances (used by the eval to refuse copies of knowledge examples). */
export function canonical(text: string, lex: Lexicon = lexicon()): string {
  return expandShortForms(tokenize(text), lex).join(' ');
}

/** The terms of a concept, each split in words (per lexicon). */
const termsCache = new WeakMap<Lexicon, Map<string, string[][]>>();
function termsOf(concept: string, lex: Lexicon): string[][] {
  let byConcept = termsCache.get(lex);
  if (!byConcept) {
    byConcept = new Map();
    for (const [term, id] of lex.conceptTerms) {
      const list = byConcept.get(id) ?? [];
      list.push(term.split(' '));
      byConcept.set(id, list);
    }
    termsCache.set(lex, byConcept);
  }
  return byConcept.get(concept) ?? [];
}

const cueCache = new WeakMap<Lexicon, Map<string, string[][]>>();
/**
 * Whether a message's words (expanded, as analyze gives them) name a cue of the lexicon (lexicon cues: words that mark an
 * entry out and are no features), its phrases read as a message's words are, short forms expanded ("dah tak boleh akses"
 * is "sudah tidak boleh akses"). Cost: the words times the cue's phrases.
 */
export function namesCue(tokens: readonly string[], cue: string, lex: Lexicon = lexicon()): boolean {
  let cues = cueCache.get(lex);
  if (!cues) {
    cues = new Map([...lex.cues].map(([name, phrases]) => [name, phrases.map((p) => expandShortForms(p, lex))]));
    cueCache.set(lex, cues);
  }
  const phrases = cues.get(cue);
  return phrases !== undefined && tokens.some((_, k) => phraseAt(tokens, k, phrases) > 0);
}

/** A closing sentence of a letter says at most this many words after its sign-off (a name: "Rosnah binti Jaafar"). */
export const SIGN_OFF_MAX_WORDS = 5;

/**
 * Whether a sentence closes a letter: it opens with a sign-off (lexicon signOffs: "Sekian, terima kasih.", "Yang benar,
 * Rosnah binti Jaafar.", "Mohon bantuan.") and says at most SIGN_OFF_MAX_WORDS words more, none of them a word the
 * knowledge is about ("Please help me contact customer service" asks). Cost: the sentence's first words.
 */
export function signsOff(sentence: string, lex: Lexicon): boolean {
  const words = tokenize(sentence, SIGN_OFF_MAX_WORDS + 8);
  const n = phraseAt(words, 0, lex.signOffs);
  if (n === 0 || words.length - n > SIGN_OFF_MAX_WORDS) return false;
  const rest = words.slice(n);
  return !rest.some((w, k) => lex.conceptTerms.has(w) || (k + 1 < rest.length && lex.conceptTerms.has(`${w} ${rest[k + 1]}`)));
}

/** The length of the first of `phrases` that `tokens` hold at `at`, or 0. */
export function phraseAt(tokens: readonly string[], at: number, phrases: readonly string[][]): number {
  for (const p of phrases) if (p.length > 0 && p.every((w, k) => tokens[at + k] === w)) return p.length;
  return 0;
}

/**
 * Whether a message says there is no plan change (lexicon denial): a negator, a change, then the end, a destination or a
 * plan ("without changing my plan", "tak nak tukar pelan, cuma …", "bukan tukar ke prepaid"); or keeping a plan ("I'm
 * keeping my current plan"). "tak nak tukar nombor" denies no plan change, nor does a negator asked about ("why can I
 * not switch?"). Cost: the words times the phrases.
 */
export function deniesChange(tokens: readonly string[], lex: Lexicon = lexicon()): boolean {
  const { negators, keeps, fillers, towards, pronouns, asking } = lex.denial;
  const changes = termsOf('change', lex);
  const plans = termsOf('plan', lex);
  // past the fillers from `at`: the end, or a plan word (or a destination, when `destination`)
  const plan = (at: number, destination: boolean) => {
    let k = at;
    while (k < tokens.length && fillers.has(tokens[k]!)) k++;
    return k === tokens.length || phraseAt(tokens, k, plans) > 0 || pronouns.has(tokens[k]!) || (destination && towards.has(tokens[k]!));
  };
  // (keeping denied is no denial: "if I switch instead of keeping my plan")
  let negatedTo = -1;
  for (let i = 0; i < tokens.length; i++) {
    // (not a negator asked about: "why can I not switch?")
    const n = asking.has(tokens[i - 1] ?? '') || asking.has(tokens[i - 2] ?? '') ? 0 : phraseAt(tokens, i, negators);
    if (n > 0) {
      negatedTo = i + n;
      const c = phraseAt(tokens, i + n, changes);
      if (c > 0 && plan(i + n + c, true)) return true;
    }
    const kept = negatedTo === i ? 0 : phraseAt(tokens, i, keeps);
    if (kept > 0) {
      let k = i + kept;
      while (k < tokens.length && fillers.has(tokens[k]!)) k++;
      if (k < tokens.length && phraseAt(tokens, k, plans) > 0) return true;
    }
  }
  return false;
}

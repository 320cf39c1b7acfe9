/** Stemming per language: the Malay stemmer of this project, and Porter for English. */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import type { Lang } from '../knowledge/types';
import { MAX_STEM_CHARS, stemMalay } from './stemmer-ms';
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';

const memo = new Map<string, string>();
/** The Porter stem of an English word (a word longer than MAX_STEM_CHARS as it is, not memoised). */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || word.length > MAX_STEM_CHARS || /\d/.test(word)) return word;
  let s = memo.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (memo.size >= 50_000) memo.clear();
    memo.set(word, s);
  }
  return s;
}

export function stemWord(word: string, lang: Lang, lex: Lexicon = lexicon()): string {
  return lang === 'ms' ? stemMalay(word, {}, lex) : stemEnglish(word);
}

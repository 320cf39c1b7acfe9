/**
 * Small text helpers of linear cost for customer text.
 *
 * Why by hand: the obvious pattern for "drop the trailing punctuation", `/[.!?]+$/`, is quadratic in V8's
 * backtracking engine — at every position of a long run of those characters not at the very end it scans the
 * run, then fails on the "$" (10,000 characters of ". " took 0.7 s, 40,000 took 10 s). A loop from the end
 * does it in one pass.
 */

/** `text` without the run of characters at its end that `drop` accepts (one character at a time). */
export function trimTrailing(text: string, drop: (ch: string) => boolean): string {
  let end = text.length;
  while (end > 0) {
    // a surrogate pair is one character: test it whole
    const low = text.charCodeAt(end - 1);
    const size = low >= 0xdc00 && low <= 0xdfff && end > 1 && (text.charCodeAt(end - 2) & 0xfc00) === 0xd800 ? 2 : 1;
    if (!drop(text.slice(end - size, end))) break;
    end -= size;
  }
  return end === text.length ? text : text.slice(0, end);
}

const SENTENCE_END = new Set(['.', '!', '?']);
/** `text` without its trailing ".", "!" and "?" (what `text.replace(/[.!?]+$/, '')` gives, in linear time). */
export function trimSentenceEnd(text: string): string {
  return trimTrailing(text, (ch) => SENTENCE_END.has(ch));
}

/**
 * Lower case, compatibility forms folded (NFKC: full-width letters, ligatures; skipped for ASCII, which it
 * leaves as it is). The first step of every normalisation of customer text and knowledge text.
 */
export function foldCase(text: string): string {
  return (/^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC')).toLowerCase();
}

export interface NormaliseOptions {
  /**
   * Words only: letters are folded to a-z (accents dropped: NFKD, combining marks removed) and every run of
   * other characters (punctuation, symbols, spaces) becomes one space. Default: characters are kept and only
   * white space is collapsed.
   */
  wordsOnly?: boolean;
  /** with wordsOnly: characters kept besides a-z and 0-9 (e.g. "→" of a switch label) */
  keep?: string;
  /** bracketed remarks "(…)" dropped */
  dropBrackets?: boolean;
  /** trailing "?", ".", "!" and spaces dropped (what a typed or clicked question ends with) */
  trimQuestionEnd?: boolean;
}

const QUESTION_END = new Set([' ', '?', '.', '!']);
const keepClassCache = new Map<string, RegExp>();

/**
 * The one text normaliser (issue 20): the comparison keys of the knowledge lint, of buttons and questions
 * clicked or typed, of plan and switch names, of the lexicon's terms are this function with named options
 * (thin wrappers beside their callers say which). Linear time on any text (no backtracking pattern).
 */
export function normaliseText(text: string, options: NormaliseOptions = {}): string {
  let t = foldCase(text);
  if (options.dropBrackets) {
    // only up to the last ")" (an unclosed "(" after it is left): without the bound, each of many unclosed "("
    // would scan the rest of the text (quadratic time)
    const close = t.lastIndexOf(')') + 1;
    if (close > 0) t = t.slice(0, close).replace(/\([^)]*\)/g, ' ') + t.slice(close);
  }
  if (options.wordsOnly) {
    const keep = options.keep ?? '';
    let re = keepClassCache.get(keep);
    if (!re) {
      re = new RegExp(`[^a-z0-9${keep.replace(/[\\\]^-]/g, '\\$&')}]+`, 'g');
      keepClassCache.set(keep, re);
    }
    t = t.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(re, ' ');
  } else {
    t = t.replace(/\s+/g, ' ');
  }
  t = t.trim();
  if (options.trimQuestionEnd) t = trimTrailing(t, (ch) => QUESTION_END.has(ch)).trim();
  return t;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe inside HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

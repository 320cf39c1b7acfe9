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

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe inside HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

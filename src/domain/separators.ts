/**
 * What may stand between the digit groups of a number a customer types (a phone number, a MyKad number):
 * spaces, dashes, dots and brackets, at most MAX_SEPARATOR_RUN of them in a row ("850312 - 14 - 5672",
 * "(012) 345-6789"). The parsers (phone.ts, mykad.ts) refuse longer runs and the masker (pii.ts) joins digit
 * groups across exactly these runs, so every number a parser accepts is one the masker finds: one definition
 * for both, by construction.
 */

/** The longest run of separator characters between two digit groups. */
export const MAX_SEPARATOR_RUN = 3;

/** A separator character: whitespace, "-", ".", "(" or ")". */
export function isSeparatorChar(ch: string): boolean {
  return ch === ' ' || ch === '-' || ch === '.' || ch === '(' || ch === ')' || /^\s$/.test(ch);
}

/** true when the text holds more than MAX_SEPARATOR_RUN separator characters in a row between digits. */
export function hasLongSeparatorRun(text: string): boolean {
  // linear: one pass, no backtracking
  let run = 0;
  let seenDigit = false;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      if (seenDigit && run > MAX_SEPARATOR_RUN) return true;
      run = 0;
      seenDigit = true;
    } else if (isSeparatorChar(ch)) run++;
    else run = 0;
  }
  return false;
}

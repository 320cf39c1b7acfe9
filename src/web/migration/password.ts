/**
 * What the migration form refuses as a new password beyond the stated minimum (issue 13, item 12), in the
 * spirit of NIST SP 800-63B §5.1.1.2: passwords from a list of commonly used ones (the ~49k of
 * @zxcvbn-ts/language-common, loaded once into a Set on first use), obvious patterns (one repeated
 * character or a repeated unit, an alphabetical or numeric sequence, a keyboard run) and context-specific
 * words (the customer's name, MyKad/passport and phone numbers, e-mail, the service's own name).
 *
 * A password is judged on its "core" too: lower-cased, common character substitutions undone (p@ssw0rd),
 * and the digits and symbols people add at either end stripped ("Password2024!" → "password").
 * The full zxcvbn estimator (@zxcvbn-ts/core) is not installed; these rules cover what the issue found.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export type PasswordProblem = 'migration.form.error.password-common' | 'migration.form.error.password-pattern' | 'migration.form.error.password-personal';

/** What the form knows about the customer: the old account and the values just submitted. */
export interface PasswordContext {
  names?: string[];
  emails?: string[];
  /** MyKad, passport, phone numbers (any format: compared on their letters and digits). */
  numbers?: string[];
}

let common: Set<string> | undefined;

/** The common-password list, loaded once. */
function commonPasswords(): Set<string> {
  if (!common) common = new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return common;
}

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '8': 'b', '(': 'c', '3': 'e', '6': 'g', '1': 'i', '!': 'i', '|': 'l', '0': 'o', '$': 's', '5': 's', '7': 't', '+': 't', '2': 'z' };

const unleet = (s: string) => s.replace(/[@48(36!1|0$57+2]/g, (c) => LEET[c] ?? c);

/** The password without the digits and symbols added at its ends. */
function core(lower: string): string {
  return lower.replace(/^[^\p{L}]{1,4}/u, '').replace(/(?<![^\p{L}])[^\p{L}]+$/u, '');
}

const ROWS = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', 'abcdefghijklmnopqrstuvwxyz', '01234567890'];

/** Marks the stretches (4+ characters) where each character is the next (or previous) key of one keyboard row, letter or digit. */
function markRuns(s: string, covered: boolean[]): void {
  for (const row of ROWS) {
    for (const dir of [1, -1]) {
      let start = 0;
      for (let i = 1; i <= s.length; i++) {
        const a = row.indexOf(s[i - 1]!);
        const b = i < s.length ? row.indexOf(s[i]!) : -1;
        if (!(a >= 0 && b >= 0 && b - a === dir)) {
          if (i - start >= 4) covered.fill(true, start, i);
          start = i;
        }
      }
    }
  }
}

/** Marks the stretches (4+ characters) made of one unit repeated (aaaa, abcabc, 12341234). O(n²), n ≤ 128. */
function markRepetitions(s: string, covered: boolean[]): void {
  for (let unit = 1; unit <= s.length / 2; unit++) {
    let len = 0;
    for (let i = unit; i <= s.length; i++) {
      if (i < s.length && s[i] === s[i - unit]) {
        len++;
        continue;
      }
      if (len >= unit && len + unit >= 4) covered.fill(true, i - len - unit, i);
      len = 0;
    }
  }
}

/**
 * Runs, sequences and repetitions covering all of the password but at most 3 characters ("aaaaaaaaa1",
 * "2345678901b", "abcabcabc1", "mnbvcxz-lkjh"), or at most two distinct characters.
 */
function isPatterned(s: string): boolean {
  if (s.length === 0) return false;
  if (new Set(s).size <= 2) return true;
  const covered = new Array<boolean>(s.length).fill(false);
  markRuns(s, covered);
  markRepetitions(s, covered);
  return covered.filter((c) => !c).length < 4;
}

/** The parts of a name or e-mail worth looking for: 3+ letters, not "bin"/"binti"/"a/l"-style connectors. */
function tokens(values: string[]): string[] {
  const skip = new Set(['bin', 'binti', 'bte', 'bt', 'bn', 'al', 'ap', 'anak', 'dan', 'the', 'com', 'net', 'org', 'gov', 'edu', 'mail', 'gmail', 'yahoo', 'hotmail', 'outlook']);
  const out = new Set<string>();
  for (const v of values) {
    for (const t of v.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (t.length >= 3 && !skip.has(t)) out.add(t);
  }
  return [...out];
}

/** The digit or letter strings of identifiers worth looking for (whole, and a MyKad's date of birth). */
function numberParts(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const compact = v.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    if (compact.length < 6) continue;
    out.add(compact);
    if (/^\d{12}$/.test(compact)) out.add(compact.slice(0, 6)); // MyKad: YYMMDD, the date of birth
    if (/^\+?\d{9,}$/.test(v.replace(/[\s-]/g, ''))) out.add(compact.slice(-7)); // a phone's subscriber part
  }
  return [...out];
}

const SERVICE_WORDS = ['ebiz', 'jupem'];

/** The first problem of a new password, or undefined when it is acceptable (the length/letter/digit rules apart). */
export function passwordProblem(password: string, context: PasswordContext = {}): PasswordProblem | undefined {
  const lower = password.normalize('NFKC').toLowerCase();
  const compact = lower.replace(/\s+/g, '');
  const variants = new Set([lower, compact, core(compact), unleet(compact), core(unleet(compact)), unleet(core(compact))]);
  const list = commonPasswords();
  for (const v of variants) if (v && list.has(v)) return 'migration.form.error.password-common';

  if (isPatterned(compact)) return 'migration.form.error.password-pattern';

  const haystacks = [compact, unleet(compact)];
  const words = [...tokens([...(context.names ?? []), ...(context.emails ?? []).map((e) => e.split('@')[0] ?? '')]), ...SERVICE_WORDS];
  const letters = compact.replace(/[^\p{L}]/gu, '');
  for (const w of words) {
    // a 3-letter name ("Tan", "Ali") only when it is the whole of the password's letters; longer ones anywhere
    if (w.length >= 4 ? haystacks.some((h) => h.includes(w)) : letters === w || unleet(compact).replace(/[^\p{L}]/gu, '') === w) {
      return 'migration.form.error.password-personal';
    }
  }
  for (const email of context.emails ?? []) {
    const local = email.toLowerCase().split('@')[0] ?? '';
    if (local.length >= 3 && haystacks.some((h) => h.includes(local))) return 'migration.form.error.password-personal';
  }
  const alnum = compact.replace(/[^\p{L}\p{N}]/gu, '');
  for (const n of numberParts(context.numbers ?? [])) if (alnum.includes(n)) return 'migration.form.error.password-personal';
  return undefined;
}

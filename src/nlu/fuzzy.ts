/**
 * Typo tolerance that scales: a deletion-neighbourhood index over the vocabulary (the SymSpell idea).
 * Every vocabulary word is stored under each string obtained by deleting up to d letters; a typed word
 * looks up its own deletions, so a lookup costs O(len^d) hash probes whatever the vocabulary's size,
 * instead of a fuzzy scan of every word or every question. Candidates are verified with the
 * Damerau-Levenshtein distance.
 */

/** Allowed edit distance for a word of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export function maxDistance(len: number): number {
  return len < 4 ? 0 : len < 8 ? 1 : 2;
}

/** The largest distance maxDistance allows, whatever the length. */
export const MAX_EDIT_DISTANCE = 2;

/**
 * At most this many vocabulary words are verified (edit distance) for one typed word. One deletion key leads
 * to at most 5 words on the knowledge base and 16 on 10,000 synthetic entries (bench/nlu.ts), so a real word
 * meets far fewer: the cap only bounds a vocabulary where one key is shared by thousands of words, where a
 * lookup would otherwise cost O(vocabulary).
 */
export const MAX_CANDIDATES_PER_WORD = 200;

function deletions(word: string, d: number, out: Set<string>): void {
  let frontier = [word];
  for (let k = 0; k < d; k++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const del = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(del)) { out.add(del); next.push(del); }
      }
    }
    frontier = next;
  }
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Fewest consonants a word typed without vowels is looked up by ("sy" and "dh" are short forms of the lexicon). */
const MIN_SKELETON = 2;
/** Fewest letters typed. */
const MIN_TYPED = 3;
const VOWELS = /[aeiou]/g;

/** A word's letters without its vowels, a doubled consonant once ("pengguna": pnggn, skeleton key pngn). */
function consonants(word: string): string {
  return word.replace(VOWELS, '').replace(/(.)\1+/g, '$1');
}

/** Whether every letter of `a` is in `b`, in order. */
function isSubsequence(a: string, b: string): boolean {
  let j = 0;
  for (let i = 0; i < b.length && j < a.length; i++) if (b[i] === a[j]) j++;
  return j === a.length;
}

export class FuzzyVocabulary {
  private readonly words = new Map<string, number>();
  /** deletion key -> the word, or the words, it comes from (most keys come from one word: no array) */
  private readonly index = new Map<string, string | string[]>();
  /** the longest word added: a typed word longer by more than MAX_EDIT_DISTANCE is a typo of none of them */
  private maxLen = 0;
  /** a word's consonants (vowels dropped) -> the words that have them, for words typed without their vowels (withVowels) */
  private readonly skeletons = new Map<string, string | string[]>();

  /** Adds a word (weight: how common it is; the more common wins a tie). */
  add(word: string, weight = 1): void {
    if (!/^[a-z][a-z-]*$/.test(word)) return;
    const had = this.words.get(word);
    this.words.set(word, (had ?? 0) + weight);
    if (had !== undefined) return;
    if (word.length > this.maxLen) this.maxLen = word.length;
    const sk = consonants(word);
    if (sk.length >= MIN_SKELETON && sk.length < word.length) {
      const list = this.skeletons.get(sk);
      this.skeletons.set(sk, list === undefined ? word : typeof list === 'string' ? [list, word] : (list.push(word), list));
    }
    const d = maxDistance(word.length);
    if (d === 0) return;
    // the word's deletion keys (those of deletions()), each listing the word once, at the end of its list: a key
    // already listing it was met before (no set of the keys beside the index: the build adds every word of every
    // example, and the set doubled the hash operations)
    this.put(word, word);
    let frontier = [word];
    for (let k = 0; k < d; k++) {
      const next: string[] = [];
      for (const w of frontier) {
        for (let i = 0; i < w.length; i++) {
          const del = w.slice(0, i) + w.slice(i + 1);
          if (this.put(del, word) && k + 1 < d) next.push(del);
        }
      }
      frontier = next;
    }
  }

  /** Lists `word` under `key` unless it is already its last word; whether it was listed now. */
  private put(key: string, word: string): boolean {
    const list = this.index.get(key);
    if (list === undefined) this.index.set(key, word);
    else if (typeof list === 'string') {
      if (list === word) return false;
      this.index.set(key, [list, word]);
    } else {
      if (list[list.length - 1] === word) return false;
      list.push(word);
    }
    return true;
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  get size(): number {
    return this.words.size;
  }

  /** The longest word known (a typed word longer than this plus MAX_EDIT_DISTANCE is never corrected). */
  get longest(): number {
    return this.maxLen;
  }

  /**
   * The known word a word typed without some of its vowels stands for ("pln": pelan, "bza": beza, "brp": berapa,
   * "pnguna": pengguna), as Malay is often typed on a phone: a word whose consonants are the typed word's, in order,
   * and that holds every letter typed, in order; the most common one, or none when two are as common. A typo
   * distance does not find these (three letters have none; "pnguna" is two edits from "pengguna"). Bounded: one
   * lookup and at most MAX_CANDIDATES_PER_WORD words checked.
   */
  withVowels(word: string): string | undefined {
    if (word.length < MIN_TYPED || word.length > this.maxLen || !/^[a-z]+$/.test(word) || this.words.has(word)) return undefined;
    const sk = consonants(word);
    // (never a word of vowels and one consonant: "aku", "ia")
    if (sk.length < MIN_SKELETON) return undefined;
    const list = this.skeletons.get(sk);
    if (list === undefined) return undefined;
    let best: string | undefined;
    let bestWeight = -1;
    let tie = false;
    let checked = 0;
    for (const cand of typeof list === 'string' ? [list] : list) {
      if (++checked > MAX_CANDIDATES_PER_WORD) break;
      if (cand.length <= word.length || !isSubsequence(word, cand)) continue;
      const w = this.words.get(cand) ?? 0;
      if (w > bestWeight) { best = cand; bestWeight = w; tie = false; } else if (w === bestWeight) tie = true;
    }
    return tie ? undefined : best;
  }

  /**
   * The closest known word within the allowed distance, or undefined. Bounded cost whatever the input: a word
   * longer than every known word by more than the allowed distance cannot be a typo of one (its distance to
   * each is at least the difference in length), so it is not looked up at all; otherwise its deletion keys
   * number at most O(longest^2) and at most MAX_CANDIDATES_PER_WORD words are verified.
   */
  correct(word: string): string | undefined {
    if (word.length > this.maxLen + MAX_EDIT_DISTANCE) return undefined;
    if (this.words.has(word)) return word;
    const d = maxDistance(word.length);
    if (d === 0 || !/^[a-z][a-z-]*$/.test(word)) return undefined;
    const keys = new Set<string>([word]);
    deletions(word, d, keys);
    let best: string | undefined;
    let bestDist = d + 1;
    let bestWeight = -1;
    let verified = 0;
    for (const k of keys) {
      const list = this.index.get(k);
      if (list === undefined) continue;
      for (const cand of typeof list === 'string' ? [list] : list) {
        if (++verified > MAX_CANDIDATES_PER_WORD) return best;
        const allowed = Math.min(d, maxDistance(cand.length));
        const dist = editDistance(word, cand, allowed);
        if (dist > allowed) continue;
        const w = this.words.get(cand) ?? 0;
        if (dist < bestDist || (dist === bestDist && (w > bestWeight || (w === bestWeight && best !== undefined && cand < best)))) {
          best = cand;
          bestDist = dist;
          bestWeight = w;
        }
      }
    }
    return best;
  }
}

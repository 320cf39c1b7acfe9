/**
 * A Malay stemmer: affix rules (meN-, peN-, ber-, ter-, di-, ke-, se-, per-, memper-/diper-;
 * -kan, -an, -i; possessives -nya/-ku/-mu; particles -lah/-kah/-tah/-pun; reduplication),
 * the nasal assimilation of meN-/peN- (menukar -> tukar, memakai -> pakai, menyemak -> semak,
 * mengira -> kira), an exception list and a list of known roots from the lexicon that chooses
 * between the readings an affixed word allows (memohon -> mohon, not pohon), then the general Malay word list
 * (lexicon malayWords: memaklumkan -> maklum, not the rules' "paklum"), then the English word list for English words under
 * Malay affixes (checkkan -> check, not "checkk").
 */
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';

interface Reading {
  root: string;
  /** number of affixes removed */
  layers: number;
  /** the default (most common) reading of every nasal prefix used */
  preferred: boolean;
  prefixes: string[];
  suffix: string;
}

const VOWEL = /[aeiou]/;
const PARTICLES = ['lah', 'kah', 'tah', 'pun'];
const POSSESSIVES = ['nya', 'ku', 'mu'];
const SUFFIXES = ['kan', 'an', 'i'];

/** prefix stripping: [root, preferred reading?][] for one layer (without recursion). */
function stripPrefix(w: string): Array<{ prefix: string; rest: string; preferred: boolean }> {
  const out: Array<{ prefix: string; rest: string; preferred: boolean }> = [];
  const add = (prefix: string, rest: string, preferred = true) => {
    if (rest.length >= 2) out.push({ prefix, rest, preferred });
  };
  const v = (s: string) => s.length > 0 && VOWEL.test(s[0]);
  for (const [meN, fam] of [['me', 'me'], ['pe', 'pe']] as const) {
    if (!w.startsWith(meN)) continue;
    const r = w.slice(2);
    if (r.startsWith('nge') && r.length > 5) { add(fam + 'nge', r.slice(3)); }
    if (r.startsWith('ng')) {
      const s = r.slice(2);
      if (v(s)) { add(fam + 'ng', s); add(fam + 'ng', 'k' + s, false); }
      else if (/^[ghk]/.test(s)) add(fam + 'ng', s);
    }
    if (r.startsWith('ny') && v(r.slice(2))) { add(fam + 'ny', 's' + r.slice(2)); add(fam + 'ny', r.slice(2), false); }
    if (r.startsWith('n') && !r.startsWith('ng') && !r.startsWith('ny')) {
      const s = r.slice(1);
      if (v(s)) { add(fam + 'n', 't' + s); add(fam, r, false); }
      else if (/^[cdjtsz]/.test(s)) add(fam + 'n', s);
    }
    if (r.startsWith('m')) {
      const s = r.slice(1);
      if (v(s)) { add(fam + 'm', 'p' + s); add(fam, r, false); }
      else if (/^[bpf]/.test(s)) add(fam + 'm', s);
    }
    if (/^[lrwy]/.test(r)) add(fam, r, !(fam === 'pe' && r.startsWith('r')));
    if (fam === 'pe' && r.startsWith('r')) add('per', r.slice(1));
  }
  if (w.startsWith('ber')) add('ber', w.slice(3));
  if (w.startsWith('be') && !w.startsWith('ber')) add('be', w.slice(2), false);
  if (w.startsWith('bel')) add('bel', w.slice(3), false);
  if (w.startsWith('ter')) add('ter', w.slice(3));
  if (w.startsWith('di')) add('di', w.slice(2));
  if (w.startsWith('ke')) add('ke', w.slice(2));
  if (w.startsWith('se')) add('se', w.slice(2));
  return out;
}

/** Prefix/suffix pairs Malay does not combine. */
function allowedPair(prefix: string, suffix: string): boolean {
  if (!suffix) return true;
  const p = prefix.startsWith('me') ? 'me' : prefix.startsWith('pe') && prefix !== 'per' ? 'pe' : prefix;
  if (suffix === 'i') return !['ber', 'be', 'bel', 'ke', 'se', 'pe', 'ter'].includes(p);
  if (suffix === 'kan') return !['ke', 'se', 'pe'].includes(p);
  if (suffix === 'an') return !['di', 'me', 'ter', 'se'].includes(p);
  return true;
}

function validRoot(r: string): boolean {
  return r.length >= 3 && VOWEL.test(r) && !/^[^aeiou]{3}/.test(r);
}

/** Every reading of an affixed word. */
export function readings(word: string): Reading[] {
  const out: Reading[] = [{ root: word, layers: 0, preferred: true, prefixes: [], suffix: '' }];
  // inflectional endings
  const bases: Array<{ w: string; layers: number }> = [{ w: word, layers: 0 }];
  for (const p of PARTICLES) if (word.endsWith(p) && word.length - p.length >= 4) bases.push({ w: word.slice(0, -p.length), layers: 1 });
  for (const b of [...bases]) {
    for (const p of POSSESSIVES) if (b.w.endsWith(p) && b.w.length - p.length >= 4) bases.push({ w: b.w.slice(0, -p.length), layers: b.layers + 1 });
  }
  for (const b of bases) {
    const withSuffix: Array<{ w: string; suffix: string; layers: number }> = [{ w: b.w, suffix: '', layers: b.layers }];
    for (const s of SUFFIXES) if (b.w.endsWith(s) && b.w.length - s.length >= 3) withSuffix.push({ w: b.w.slice(0, -s.length), suffix: s, layers: b.layers + 1 });
    for (const ws of withSuffix) {
      if (ws.layers > 0) out.push({ root: ws.w, layers: ws.layers, preferred: true, prefixes: [], suffix: ws.suffix });
      for (const p1 of stripPrefix(ws.w)) {
        if (!allowedPair(p1.prefix, ws.suffix)) continue;
        out.push({ root: p1.rest, layers: ws.layers + 1, preferred: p1.preferred, prefixes: [p1.prefix], suffix: ws.suffix });
        // a second prefix layer: memper-, diper-, berke-, keber-, diper-, ...
        for (const p2 of stripPrefix(p1.rest)) {
          if (!['per', 'ber', 'ke', 'ter', 'pe', 'pen', 'pem', 'peng', 'peny', 'se'].includes(p2.prefix)) continue;
          out.push({ root: p2.rest, layers: ws.layers + 2, preferred: p1.preferred && p2.preferred, prefixes: [p1.prefix, p2.prefix], suffix: ws.suffix });
        }
      }
    }
  }
  return out.filter((r) => r.layers === 0 || validRoot(r.root));
}

/**
 * Whether a word is a known root under Malay prefixes (pengurus: urus, dijelaskan: jelas, mengambil: ambil): a real word
 * that typo correction leaves alone, as it does the roots themselves (not "corrected" to the nearest word the knowledge
 * uses: "pengurus" is no "pengaruh"). At least one prefix and a root of four letters or more, so that a typo is not read
 * as a chance affixed form. Bounded: the readings of one word are a few dozen.
 */
export function isAffixedRoot(word: string, roots: ReadonlySet<string>): boolean {
  if (word.length < 6 || word.length > MAX_STEM_CHARS || !/^[a-z]+$/.test(word)) return false;
  return readings(word).some((r) => r.prefixes.length > 0 && r.root.length >= 4 && roots.has(r.root));
}

export interface MalayStemmerOptions {
  /** use the lexicon's list of known roots to choose a reading (default true) */
  useRoots?: boolean;
}

/**
 * Longest word the stemmers (this one and Porter, stem.ts) work on: a longer one is returned as it is and
 * never memoised. No word of either language comes near it (the knowledge's longest has 17 letters); without
 * it a made-up word of thousands of letters would cost the Porter stemmer more than linear time, and the memos
 * of 50,000 words could hold gigabytes of them.
 */
export const MAX_STEM_CHARS = 40;

const memo = new WeakMap<Lexicon, Map<string, string>>();
const MEMO_MAX = 50_000;

/** The root of one Malay word (lower case). Words the rules do not recognise are returned as they are. */
export function stemMalay(input: string, opts: MalayStemmerOptions = {}, lex: Lexicon = lexicon()): string {
  // a word longer than any Malay word is returned as it is, not memoised (see stem.ts, MAX_STEM_CHARS)
  if (input.length > MAX_STEM_CHARS) return input.toLowerCase();
  if (opts.useRoots === false) return stemUncached(input, opts, lex);
  let m = memo.get(lex);
  if (!m) memo.set(lex, (m = new Map()));
  const hit = m.get(input);
  if (hit !== undefined) return hit;
  const r = stemUncached(input, opts, lex);
  if (m.size >= MEMO_MAX) m.clear();
  m.set(input, r);
  return r;
}

/** A reading whose root may be a word's root: the rules' guard against reading a root's own letters as affixes. */
function plausible(r: Reading): boolean {
  if (r.root.length < 4) return false;
  // a bare -an / -kan without a prefix only when what remains is long enough to be a root
  if (!r.prefixes.length && r.suffix && r.root.length < 5) return false;
  // -i is part of many roots (beli, nilai, pakai): removed only after a prefix, from a long word
  if (r.suffix === 'i' && (!r.prefixes.length || r.root.length < 5)) return false;
  return true;
}

function stemUncached(input: string, opts: MalayStemmerOptions, lex: Lexicon): string {
  const word = input.toLowerCase();
  const useRoots = opts.useRoots ?? true;
  const ex = lex.stemmer.exceptions.get(word);
  if (ex !== undefined) return ex;
  if (lex.stemmer.protected.has(word)) return word;
  if (useRoots && lex.stemmer.roots.has(word)) return word;
  if (word.includes('-')) {
    const parts = word.split('-');
    // reduplication: kali-kali, syarat-syarat, pelan-pelan, cadangan-cadangan
    if (parts.length === 2 && parts[0] === parts[1]) return stemUncached(parts[0], opts, lex);
    const m = /^(\w+)-(\w+)$/.exec(word);
    if (m && m[2].startsWith(m[1]) && m[2].length > m[1].length) return stemUncached(m[1], opts, lex);
    return word;
  }
  if (word.length <= 4 || /\d/.test(word) || !/^[a-z]+$/.test(word)) return word;
  const all = readings(word);
  if (useRoots) {
    const known = all.filter((r) => r.layers > 0 && (lex.stemmer.roots.has(r.root) || lex.stemmer.protected.has(r.root)));
    if (known.length) {
      known.sort((a, b) => a.layers - b.layers || Number(b.preferred) - Number(a.preferred) || b.root.length - a.root.length);
      return known[0].root;
    }
  }
  // a root of the general Malay word list (malayWords): the reading that removes the fewest affixes to reach one
  // (memaklumkan: maklum, not the rules' "paklum"; pengurus: urus)
  if (useRoots) {
    const words = lex.malayWords();
    const general = all.filter((r) => r.layers > 0 && plausible(r) && words.has(r.root));
    if (general.length) {
      general.sort((a, b) => a.layers - b.layers || Number(b.preferred) - Number(a.preferred) || b.root.length - a.root.length);
      return general[0].root;
    }
  }
  // an English word under Malay affixes, as Malaysians mix them ("tolong checkkan", "dah settlekan", "nak upgradekan"): the
  // English word, not the rules' "checkk" (a Malay root above wins: "pakaikan" is no English word's)
  if (useRoots) {
    const english = lex.englishWords();
    const mixed = all.filter((r) => r.layers > 0 && plausible(r) && english.has(r.root));
    if (mixed.length) {
      mixed.sort((a, b) => a.layers - b.layers || b.root.length - a.root.length);
      return mixed[0].root;
    }
  }
  // rules only: the preferred reading that removes the most affixes while keeping a plausible root
  const candidates = all.filter((r) => r.layers === 0 || plausible(r));
  candidates.sort((a, b) => b.layers - a.layers || Number(b.preferred) - Number(a.preferred) || b.root.length - a.root.length);
  return candidates[0]?.root ?? word;
}

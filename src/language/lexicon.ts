/**
 * The lexicon of the language layer, read once from knowledge/lexicon.yaml (data, not code):
 * short forms and slang, stop words, language markers, the bilingual concept map, out-of-scope
 * terms, the Malay stemmer's exceptions and known roots, language-switch phrases and commands.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

export type CommandLists = Record<
  'politeness' | 'cancel' | 'help' | 'menu' | 'greeting' | 'smalltalk' | 'thanks' | 'yes' | 'no',
  string[]
>;

/** The lexicon in the shape the code uses (sets and maps, all lower case). */
export interface Lexicon {
  shortForms: Map<string, string[]>;
  stopwords: { ms: Set<string>; en: Set<string> };
  markers: { ms: Set<string>; en: Set<string> };
  /** concept term (space-separated words) -> concept id */
  conceptTerms: Map<string, string>;
  /**
   * Concept ids that frame a question without saying what it is about ("why", "how", "boleh", "di mana"): they
   * count in the score, but an entry matched by nothing else is no answer (src/nlu/recognizer.ts).
   */
  questionConcepts: Set<string>;
  /** the longest concept or out-of-scope term, in words */
  maxTermWords: number;
  outOfScope: Set<string>;
  stemmer: { exceptions: Map<string, string>; protected: Set<string>; roots: Set<string> };
  /**
   * ms / en: whole-message switch phrases; names: the languages' names (of one or two words); words: what may
   * stand around a name in a request for it ("in", "cakap", "please", "boleh"); negations ("not", "tak").
   */
  languageSwitch: { ms: Set<string>; en: Set<string>; names: { ms: Set<string>; en: Set<string> }; words: Set<string>; negations: Set<string> };
  commands: Record<keyof CommandLists, Set<string>>;
  /** every word the lexicon knows (used as vocabulary for typo correction) */
  words: Set<string>;
}

const lower = (s: string) => s.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');

function asStringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')) {
    throw new Error(`lexicon: ${where} must be a list of strings`);
  }
  return v.map((x) => lower(String(x)));
}

function asStringMap(v: unknown, where: string): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`lexicon: ${where} must be a map`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[lower(k)] = lower(String(val));
  return out;
}

/** Validates the parsed YAML (throws with the path of the first problem). */
export function compileLexicon(raw: unknown): Lexicon {
  if (!raw || typeof raw !== 'object') throw new Error('lexicon: not a map');
  const r = raw as Record<string, any>;
  const shortForms = new Map<string, string[]>();
  for (const [k, v] of Object.entries(asStringMap(r.shortForms, 'shortForms'))) shortForms.set(k, v.split(' '));
  const conceptTerms = new Map<string, string>();
  let maxTermWords = 1;
  if (!r.concepts || typeof r.concepts !== 'object') throw new Error('lexicon: concepts must be a map');
  for (const [id, terms] of Object.entries(r.concepts as Record<string, unknown>)) {
    for (const t of asStringArray(terms, `concepts.${id}`)) {
      conceptTerms.set(t, id);
      maxTermWords = Math.max(maxTermWords, t.split(' ').length);
    }
  }
  const outOfScope = new Set(asStringArray(r.outOfScope, 'outOfScope'));
  const questionConcepts = new Set(r.questionConcepts === undefined ? [] : asStringArray(r.questionConcepts, 'questionConcepts'));
  const conceptIds = new Set(Object.keys(r.concepts as Record<string, unknown>));
  for (const c of questionConcepts) if (!conceptIds.has(c)) throw new Error(`lexicon: questionConcepts: "${c}" is not a concept`);
  for (const t of outOfScope) maxTermWords = Math.max(maxTermWords, t.split(' ').length);
  const st = r.stemmer ?? {};
  const cmd = r.commands ?? {};
  const commands = {} as Record<keyof CommandLists, Set<string>>;
  for (const k of ['politeness', 'cancel', 'help', 'menu', 'greeting', 'smalltalk', 'thanks', 'yes', 'no'] as const) {
    // small talk is optional (a lexicon without it has none)
    commands[k] = new Set(k === 'smalltalk' && cmd[k] === undefined ? [] : asStringArray(cmd[k], `commands.${k}`));
  }
  const lex: Lexicon = {
    shortForms,
    stopwords: { ms: new Set(asStringArray(r.stopwords?.ms, 'stopwords.ms')), en: new Set(asStringArray(r.stopwords?.en, 'stopwords.en')) },
    markers: { ms: new Set(asStringArray(r.markers?.ms, 'markers.ms')), en: new Set(asStringArray(r.markers?.en, 'markers.en')) },
    conceptTerms,
    questionConcepts,
    maxTermWords,
    outOfScope,
    stemmer: {
      exceptions: new Map(Object.entries(asStringMap(st.exceptions, 'stemmer.exceptions'))),
      protected: new Set(asStringArray(st.protected, 'stemmer.protected')),
      roots: new Set(asStringArray(st.roots, 'stemmer.roots')),
    },
    languageSwitch: {
      ms: new Set(asStringArray(r.languageSwitch?.ms, 'languageSwitch.ms')),
      en: new Set(asStringArray(r.languageSwitch?.en, 'languageSwitch.en')),
      // optional (a lexicon without them knows only the whole-message phrases)
      names: {
        ms: new Set(r.languageSwitch?.names?.ms === undefined ? [] : asStringArray(r.languageSwitch.names.ms, 'languageSwitch.names.ms')),
        en: new Set(r.languageSwitch?.names?.en === undefined ? [] : asStringArray(r.languageSwitch.names.en, 'languageSwitch.names.en')),
      },
      words: new Set(r.languageSwitch?.words === undefined ? [] : asStringArray(r.languageSwitch.words, 'languageSwitch.words')),
      negations: new Set(r.languageSwitch?.negations === undefined ? [] : asStringArray(r.languageSwitch.negations, 'languageSwitch.negations')),
    },
    commands,
    words: new Set(),
  };
  const addWords = (s: string) => s.split(' ').forEach((w) => w && lex.words.add(w));
  for (const [k, v] of shortForms) { addWords(k); v.forEach(addWords); }
  for (const t of conceptTerms.keys()) addWords(t);
  for (const s of [lex.stopwords.ms, lex.stopwords.en, lex.markers.ms, lex.markers.en, outOfScope, lex.stemmer.roots]) s.forEach(addWords);
  return lex;
}

/** Where knowledge/lexicon.yaml is, from src/language (ts) or dist/src/language (js). */
export function defaultLexiconPath(): string {
  const candidates = [
    path.resolve(__dirname, '../../knowledge/lexicon.yaml'),
    path.resolve(__dirname, '../../../knowledge/lexicon.yaml'),
    path.resolve(process.cwd(), 'knowledge/lexicon.yaml'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`lexicon: knowledge/lexicon.yaml not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadLexicon(file: string = defaultLexiconPath()): Lexicon {
  return compileLexicon(parse(fs.readFileSync(file, 'utf8')));
}

let cached: Lexicon | undefined;
/** The default lexicon, loaded on first use. */
export function lexicon(): Lexicon {
  if (!cached) cached = loadLexicon();
  return cached;
}

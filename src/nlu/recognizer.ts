/**
 * The recognizer over the knowledge entries (FAQ and procedure entries alike).
 *
 * Index: every example of every entry (both languages) is analysed into features ("#concept" ids from the
 * bilingual concept map and word stems); an inverted index maps each feature to the examples holding it,
 * weighted by the feature's inverse entry frequency. A query is analysed the same way (typos corrected
 * against the vocabulary through a deletion index, see fuzzy.ts) and scored only against the examples
 * that share a feature with it: no scan of every question.
 *
 * Score of an example: dot / (|q|^1.5 · |e|^0.5), a cosine that leans towards query coverage (a short
 * question is not punished for matching a long example); words of the query the knowledge has never seen
 * count against it, and out-of-scope terms (weather, JPJ, other operators) halve it. The entry's score is
 * its best example's. Decision: answer when the top score reaches answerThreshold and stands clear of the
 * runner-up; clarify (top 2–3) from clarifyThreshold; fallback below.
 */
import type { KnowledgeEntry, Lang } from '../knowledge/types';
import { detectLanguage } from '../language/detect';
import type { Lexicon } from '../language/lexicon';
import { lexicon } from '../language/lexicon';
import { analyze, expandShortForms, tokenize } from '../language/normalize';
import { FuzzyVocabulary } from './fuzzy';

export interface RecognizerOptions {
  /** at or above: answer with the top entry */
  answerThreshold: number;
  /** at or above (and below answerThreshold, or too close to the runner-up): clarify */
  clarifyThreshold: number;
  /** buttons offered when clarifying (default 3) */
  maxClarify?: number;
  /** the top entry must lead the runner-up by this much to be answered outright (default 0.05) */
  margin?: number;
}

/** Defaults measured on the evaluation set (npm run eval); the bot reads NLU_ANSWER_THRESHOLD / NLU_CLARIFY_THRESHOLD. */
export const DEFAULT_RECOGNIZER_OPTIONS: Readonly<Required<RecognizerOptions>> = Object.freeze({
  answerThreshold: 0.5,
  clarifyThreshold: 0.32,
  maxClarify: 3,
  margin: 0.08,
});

export interface Candidate {
  entry: KnowledgeEntry;
  /** calibrated confidence 0..1 */
  score: number;
}

export interface Recognition {
  decision: 'answer' | 'clarify' | 'fallback';
  /** best first, at most 5 (when clarifying: the options to offer, at most maxClarify) */
  candidates: Candidate[];
  /** the language the text was analysed in */
  lang: Lang;
  /** what was compared (for the unanswered-question log and debugging) */
  features: string[];
}

interface Example {
  entry: number;
  /** 1 / sqrt(|e|) */
  invRootNorm: number;
}

const MAX_CANDIDATES = 5;
const OUT_OF_SCOPE_FACTOR = 0.5;
/** weight of a query word the knowledge never uses, relative to the rarest known feature */
const UNKNOWN_WEIGHT = 0.8;

export class Recognizer {
  private readonly options: Required<RecognizerOptions>;
  private readonly postings = new Map<string, Int32Array>();
  private readonly idf = new Map<string, number>();
  private readonly examples: Example[] = [];
  private readonly vocab = new FuzzyVocabulary();
  private readonly unknownWeight: number;
  private readonly dot: Float64Array;
  private readonly best: Float64Array;
  private readonly correct: (w: string) => string | undefined;

  private constructor(
    private readonly entries: KnowledgeEntry[],
    options: RecognizerOptions,
    private readonly lex: Lexicon,
  ) {
    this.options = { ...DEFAULT_RECOGNIZER_OPTIONS, ...options };
    // vocabulary for typo correction: the lexicon's words and every word of every example
    for (const w of lex.words) if (!w.includes(' ')) this.vocab.add(w, 1);
    const exampleFeatures: string[][] = [];
    const entryFeatures = new Map<string, number>();
    entries.forEach((entry, ei) => {
      const seen = new Set<string>();
      for (const lang of ['ms', 'en'] as const) {
        for (const text of entry.examples[lang]) {
          for (const w of expandShortForms(tokenize(text), lex)) this.vocab.add(w, 2);
          const feats = [...new Set(analyze(text, lang, { lex }).features)];
          if (!feats.length) continue;
          exampleFeatures.push(feats);
          this.examples.push({ entry: ei, invRootNorm: 0 });
          feats.forEach((f) => seen.add(f));
        }
      }
      for (const f of seen) entryFeatures.set(f, (entryFeatures.get(f) ?? 0) + 1);
    });
    const n = Math.max(1, entries.length);
    for (const [f, df] of entryFeatures) this.idf.set(f, Math.log(1 + n / df));
    this.unknownWeight = Math.log(1 + n) * UNKNOWN_WEIGHT;
    const lists = new Map<string, number[]>();
    exampleFeatures.forEach((feats, xi) => {
      let sq = 0;
      for (const f of feats) {
        const w = this.idf.get(f)!;
        sq += w * w;
        let list = lists.get(f);
        if (!list) lists.set(f, (list = []));
        list.push(xi);
      }
      this.examples[xi].invRootNorm = 1 / Math.sqrt(Math.sqrt(sq));
    });
    for (const [f, list] of lists) this.postings.set(f, Int32Array.from(list));
    this.dot = new Float64Array(this.examples.length);
    this.best = new Float64Array(entries.length);
    this.correct = (w) => (this.vocab.has(w) ? undefined : this.vocab.correct(w));
  }

  /** Builds the index once. */
  static build(entries: KnowledgeEntry[], options: RecognizerOptions = DEFAULT_RECOGNIZER_OPTIONS, lex: Lexicon = lexicon()): Recognizer {
    return new Recognizer(entries, options, lex);
  }

  get size(): { entries: number; examples: number; features: number; vocabulary: number } {
    return { entries: this.entries.length, examples: this.examples.length, features: this.postings.size, vocabulary: this.vocab.size };
  }

  /** Ranked entries for one message, and the decision. Pure and fast: no I/O. */
  match(text: string, lang?: Lang): Recognition {
    const l = lang ?? detectLanguage(text, undefined, this.lex).lang;
    const a = analyze(text, l, { lex: this.lex, correct: this.correct });
    const feats = [...new Set(a.features)];
    let qsq = 0;
    const touched: number[] = [];
    for (const f of feats) {
      const w = this.idf.get(f);
      if (w === undefined) {
        qsq += this.unknownWeight * this.unknownWeight;
        continue;
      }
      qsq += w * w;
      const list = this.postings.get(f)!;
      const w2 = w * w;
      for (const xi of list) {
        if (this.dot[xi] === 0) touched.push(xi);
        this.dot[xi] += w2;
      }
    }
    qsq += this.unknownWeight * this.unknownWeight * a.outOfScope.length;
    const penalty = Math.pow(OUT_OF_SCOPE_FACTOR, a.outOfScope.length);
    const qn = Math.sqrt(qsq);
    const scale = qn > 0 ? penalty / Math.pow(qn, 1.5) : 0;
    const touchedEntries: number[] = [];
    for (const xi of touched) {
      const ex = this.examples[xi];
      const s = this.dot[xi] * ex.invRootNorm * scale;
      this.dot[xi] = 0;
      if (this.best[ex.entry] === 0) touchedEntries.push(ex.entry);
      if (s > this.best[ex.entry]) this.best[ex.entry] = s;
    }
    const ranked: Candidate[] = [];
    for (const ei of touchedEntries) {
      ranked.push({ entry: this.entries[ei], score: Math.min(1, Math.round(this.best[ei] * 1000) / 1000) });
      this.best[ei] = 0;
    }
    ranked.sort((x, y) => y.score - x.score || x.entry.id.localeCompare(y.entry.id));
    const top = ranked[0]?.score ?? 0;
    const second = ranked[1]?.score ?? 0;
    const o = this.options;
    if (top >= o.answerThreshold && (top - second >= o.margin || second < o.clarifyThreshold)) {
      return { decision: 'answer', candidates: ranked.slice(0, MAX_CANDIDATES), lang: l, features: feats };
    }
    if (top >= o.clarifyThreshold) {
      const band = ranked.filter((c, i) => i < 2 || c.score >= Math.max(o.clarifyThreshold * 0.75, top * 0.6));
      return { decision: 'clarify', candidates: band.slice(0, Math.max(1, o.maxClarify)), lang: l, features: feats };
    }
    return { decision: 'fallback', candidates: ranked.slice(0, MAX_CANDIDATES), lang: l, features: feats };
  }
}

/**
 * The whole-message model: a linear classifier (multinomial logistic regression) over the words and the
 * character n-grams of the normalised message, trained at start-up from the knowledge examples (both
 * languages), combined with the feature matcher in recognizer.ts into one confidence.
 *
 * Why a model beside the matcher: the matcher compares a message with one example at a time and counts every
 * word the knowledge does not know against it, which is right for a question of a few words and wrong for a
 * customer's story ("I'm a clerk at the land office, my boss told me to buy data…"), where most words are
 * context. A linear model weighs each feature by how well it tells the entries apart (learned), ignores the
 * words it has never seen, and adds up the evidence of the whole message; character n-grams carry the
 * morphology and the typos the stems miss.
 *
 * Written here rather than taken from npm: natural's LogisticRegressionClassifier trains in minutes on our
 * 550 examples (dense batch gradient descent, measured 204 s), and the maintained JS ML libraries (ml-*,
 * TensorFlow.js) train dense matrices, which at 10,000 entries would not fit the start-up budget or memory.
 * This one is sparse by construction: an entry has weights only on the features its own examples hold
 * (the inverted lists below), initialised with the tf-idf centroid of its examples and refined by SGD on
 * the softmax loss. The number of epochs is derived from a fixed budget of weight updates, so the build
 * cost is bounded whatever the knowledge size: on the real knowledge base (~35 entries) the model trains
 * the full MAX_EPOCHS in milliseconds; at 10,000 entries the budget allows none and the model is the
 * centroid classifier (itself linear), which keeps the index build under its target (bench/nlu.ts).
 *
 * Bounded cost per message: at most MAX_MODEL_FEATURES features (words and n-grams) are read, and a
 * feature held by more than maxDf entries (a common n-gram says nothing) is not in the model, so a message
 * touches at most MAX_MODEL_FEATURES × maxDf weights. Character n-grams are left out of a knowledge base of
 * more than NGRAM_EXAMPLES_MAX examples (build time).
 */
import { createHash } from 'node:crypto';
import { FNV1A_OFFSET, fmix32, fnv1aStep } from '../domain/hash';
import type { KnowledgeEntry, Lang } from '../knowledge/types';

/**
 * Where trained weights are kept between starts (src/nlu/modelCache.ts: a file under DATA_DIR/cache). The
 * key is a hash of everything training reads, so a change of knowledge, lexicon or training code's constants
 * trains again; what is read back is only used when its sizes fit.
 */
export interface WeightCache {
  read(key: string): Buffer | undefined;
  write(key: string, data: Buffer): void;
}

/** Bumped when training changes in a way the constants below do not show. */
const TRAINING_VERSION = 3;

/** Features of one message read by the model (the asking sentence's first). */
export const MAX_MODEL_FEATURES = 300;
/**
 * Character n-grams are used while the knowledge has at most this many examples (about 350 entries; the real knowledge
 * base has about 550): beyond,
 * they would multiply the build time (and a large knowledge base has the examples to do without them).
 */
export const NGRAM_EXAMPLES_MAX = 5_000;
/** Character n-gram sizes (of each word, with boundary marks). */
const NGRAM_MIN = 3;
const NGRAM_MAX = 4;
const MAX_EPOCHS = 16;
/** Weight updates (posting entries touched) allowed for training, all epochs together. */
const UPDATE_BUDGET = 8_000_000;
const LEARNING_RATE = 0.6;
const L2 = 1e-5;

/**
 * A message's features with their values (the asking sentence weighs 1, the rest of a long message less), by
 * key: a word feature is keyed by the matcher's own feature id (>= 0, no second dictionary of the same
 * strings), a bigram or character n-gram by -1 - its id in the model's dictionary.
 */
export type FeatureVector = Map<number, number>;

/** How the keys of a message's features are found (`create`: while training). */
export interface FeatureKeys {
  /** the matcher's id of a word feature (concept or stem) */
  word(f: string): number | undefined;
  /** the id of a bigram or n-gram */
  other(s: string): number | undefined;
}

/**
 * The features of one text: its analysis features (concepts and stems), their bigrams, and the character
 * n-grams of its content words (`ngrams`). `tokens`: content words after short forms (no identifiers, no
 * stop words). Returns the mass (count × weight²) of the features tried, known or not: the model's norm of
 * the message, so that words it has never seen dilute its evidence as they do the matcher's.
 */
export function textFeatures(features: readonly string[], tokens: readonly string[], weight: number, into: FeatureVector, keys: FeatureKeys, ngrams = true, budget = MAX_MODEL_FEATURES): number {
  let attempted = 0;
  const put = (k: number | undefined) => {
    if (attempted >= budget) return;
    attempted++;
    if (k === undefined || (into.size >= budget && !into.has(k))) return;
    const old = into.get(k);
    if (old === undefined || old < weight) into.set(k, weight);
  };
  for (const f of features) put(keys.word(f));
  if (!ngrams) return attempted * weight * weight;
  for (let i = 0; i + 1 < features.length; i++) {
    const k = keys.other(`${features[i]}|${features[i + 1]}`);
    put(k === undefined ? undefined : -1 - k);
  }
  for (const t of tokens) {
    if (t.length < 3 || t.startsWith('__')) continue;
    const w = `<${t}>`;
    for (let n = NGRAM_MIN; n <= NGRAM_MAX; n++) {
      for (let i = 0; i + n <= w.length; i++) {
        const k = keys.other(w.slice(i, i + n));
        put(k === undefined ? undefined : -1 - k);
      }
    }
  }
  return attempted * weight * weight;
}

export interface ModelScore { entry: number; p: number }

/** A training example's own hash (FNV-1a over its entry, its feature ids and their values): what it is, not where it is. */
export function exampleHash(entry: number, ids: ArrayLike<number>, values: ArrayLike<number>): number {
  let h = fnv1aStep(FNV1A_OFFSET, entry);
  for (let j = 0; j < ids.length; j++) {
    h = fnv1aStep(h, ids[j]!);
    h = fnv1aStep(h, Math.round(values[j]! * 1e6));
  }
  return h;
}

/**
 * The order in which one epoch of training visits the examples (by index): sorted by each example's hash mixed with the
 * epoch, so a shuffle that is deterministic, different every epoch, and drawn from the examples themselves. A
 * shuffle of positions (Fisher–Yates over the list) is redrawn whole when one example is added anywhere, and the weights
 * it ends with, which depend on the last updates, moved the decisions on messages about entries nobody had touched:
 * measured 2026-12-04, one paraphrase added to one entry changed 42 and 47 decisions over the 13,884 messages of the
 * evaluation sets with that shuffle, 24 and 29 with this order.
 */
export function trainingOrder(hashes: Uint32Array, epoch: number): number[] {
  const salt = fmix32((0x9e3779b9 + epoch) >>> 0);
  const keys = Uint32Array.from(hashes, (h) => fmix32((h ^ salt) >>> 0));
  return Array.from(hashes, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

export class WholeMessageModel {
  /**
   * feature key -> index + 1 (0: not met), every feature met in training (those left out of the model have an
   * empty list): word keys (>= 0) and bigram/n-gram keys (-1 - id) are both dense from 0, so two growable arrays
   * (a Map of a hundred thousand numbers cost the build at 10,000 entries a lookup per feature of every example)
   */
  private wordIds = new Int32Array(64);
  private otherIds = new Int32Array(64);
  /** features met in training */
  private featureCount = 0;
  /** bigrams and n-grams -> id (their keys are -1 - id) */
  private readonly dictionary = new Map<string, number>();
  /** by feature: the entries holding it (ascending) and their weights, parallel */
  private postEntry: Int32Array[] = [];
  private postWeight: Float32Array[] = [];
  private readonly bias: Float64Array;
  /** epochs run at build (0 when the budget allowed none: the centroid classifier) */
  epochs = 0;
  private readonly logit: Float64Array;
  private readonly touched: Int32Array;
  private readonly mark: Uint8Array;
  private meanBias = 0;
  /**
   * training examples, added entry by entry, stored flat (no pair of typed arrays per example: 280,000 small
   * objects at 10,000 entries): example k's feature ids and values (L2-normalised) are exIds/exVals
   * [exStart[k], exStart[k + 1]), its entry exEntry[k]
   */
  private exIds = new Int32Array(1024);
  private exVals = new Float64Array(1024);
  private exStart: number[] = [0];
  private exEntry: number[] = [];
  /** by feature id: how many entries hold it, and the last entry counted */
  private df: number[] = [];
  private dfStamp: number[] = [];

  /** @param entries how many entries (classes) */
  constructor(private readonly entries: number) {
    this.bias = new Float64Array(entries);
    this.logit = new Float64Array(entries);
    this.touched = new Int32Array(entries);
    this.mark = new Uint8Array(entries);
  }

  /** The id of a bigram or n-gram; with `create`, a new one gets an id. */
  other(s: string, create: boolean): number | undefined {
    let id = this.dictionary.get(s);
    if (id === undefined && create) this.dictionary.set(s, (id = this.dictionary.size));
    return id;
  }

  /** The index of feature key `k` (-1: not met in training). */
  private idOf(k: number): number {
    const a = k >= 0 ? this.wordIds : this.otherIds;
    const i = k >= 0 ? k : -1 - k;
    return i < a.length ? a[i] - 1 : -1;
  }

  /** The index of feature key `k`, a new one if it was not met yet (counted for entry `c`'s df). */
  private idFor(k: number, c: number): number {
    const pos = k >= 0;
    let a = pos ? this.wordIds : this.otherIds;
    const i = pos ? k : -1 - k;
    if (i >= a.length) {
      const grown = new Int32Array(Math.max(a.length * 2, i + 1));
      grown.set(a);
      a = grown;
      if (pos) this.wordIds = a;
      else this.otherIds = a;
    }
    let id = a[i] - 1;
    if (id < 0) {
      id = this.featureCount++;
      a[i] = id + 1;
      this.df.push(0);
      this.dfStamp.push(-1);
    }
    if (this.dfStamp[id] !== c) {
      this.dfStamp[id] = c;
      this.df[id]++;
    }
    return id;
  }

  /** Room for `n` more feature values in the flat example store; returns where they start. */
  private reserve(n: number): number {
    const at = this.exStart[this.exStart.length - 1];
    if (at + n > this.exIds.length) {
      const size = Math.max(this.exIds.length * 2, at + n);
      const ids = new Int32Array(size);
      ids.set(this.exIds.subarray(0, at));
      const vals = new Float64Array(size);
      vals.set(this.exVals.subarray(0, at));
      this.exIds = ids;
      this.exVals = vals;
    }
    return at;
  }

  /** One training example of entry `c` (entries in ascending order). */
  add(c: number, x: FeatureVector): void {
    const at = this.reserve(x.size);
    const ids = this.exIds;
    const vals = this.exVals;
    let i = at;
    let norm = 0;
    for (const [f, v] of x) {
      ids[i] = this.idFor(f, c);
      vals[i++] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = at; j < i; j++) vals[j] /= norm;
    this.exStart.push(i);
    this.exEntry.push(c);
  }

  /**
   * One training example of entry `c` whose features are word keys `keys[from, to)`, distinct, each of value 1:
   * what add(c, new Map(those keys with 1)) stores, without the map.
   */
  addUnit(c: number, keys: ArrayLike<number>, from: number, to: number): void {
    const n = to - from;
    const at = this.reserve(n);
    const ids = this.exIds;
    const vals = this.exVals;
    // add()'s value: 1 / sqrt(1 + 1 + … + 1), the sum exact
    const v = n ? 1 / Math.sqrt(n) : 0;
    for (let j = 0; j < n; j++) {
      ids[at + j] = this.idFor(keys[from + j], c);
      vals[at + j] = v;
    }
    this.exStart.push(at + n);
    this.exEntry.push(c);
  }

  /**
   * Builds the inverted lists (centroid initialisation: weight = idf × the entry's mean normalised value of the
   * feature) and runs the epochs the budget allows.
   * @param maxDf a feature held by more entries than this is left out (default: max(8, min(200, half the entries)))
   */
  train(maxDf?: number, cache?: WeightCache): this {
    const C = this.entries;
    const F = this.featureCount;
    const cap = maxDf ?? Math.max(8, Math.min(200, Math.floor(C * 0.5)));
    const len = new Int32Array(F);
    for (let f = 0; f < F; f++) if (this.df[f] <= cap) len[f] = this.df[f];
    this.postEntry = Array.from(len, (n) => new Int32Array(n));
    this.postWeight = Array.from(len, (n) => new Float32Array(n));
    const fill = new Int32Array(F);
    const idf = Float64Array.from(this.df, (d) => Math.log(1 + C / Math.max(1, d)) * 2);
    const acc = new Float64Array(F);
    const touchedF: number[] = [];
    let x = 0;
    const nx = this.exEntry.length;
    const { exIds: ids, exVals: vals, exStart: start } = this;
    const perEntry = new Int32Array(C);
    for (const c of this.exEntry) perEntry[c]++;
    for (let c = 0; c < C; c++) {
      for (; x < nx && this.exEntry[x] === c; x++) {
        for (let j = start[x], end = start[x + 1]; j < end; j++) {
          const f = ids[j];
          if (!len[f]) continue;
          if (acc[f] === 0) touchedF.push(f);
          acc[f] += vals[j];
        }
      }
      for (const f of touchedF) {
        const k = fill[f]++;
        this.postEntry[f][k] = c;
        this.postWeight[f][k] = (acc[f] / perEntry[c]) * idf[f];
        acc[f] = 0;
      }
      touchedF.length = 0;
    }
    // training cost of one epoch: the weights each example touches, plus the softmax over every entry
    let perEpoch = 0;
    for (let k = 0; k < nx; k++) {
      perEpoch += C;
      for (let j = start[k], end = start[k + 1]; j < end; j++) perEpoch += len[ids[j]];
    }
    this.epochs = perEpoch > 0 ? Math.min(MAX_EPOCHS, Math.floor(UPDATE_BUDGET / perEpoch)) : 0;
    const key = cache && this.epochs > 0 ? this.trainingKey(cap) : undefined;
    if (!(key && this.restore(cache!.read(key)))) {
      this.sgd(len);
      if (key) cache!.write(key, this.weights());
    }
    this.exIds = new Int32Array(0);
    this.exVals = new Float64Array(0);
    this.exStart = [0];
    this.exEntry = [];
    this.finish();
    return this;
  }

  /** A hash of what training reads: the examples (ids, values, entries), the cap, the epochs, the constants. */
  private trainingKey(cap: number): string {
    const h = createHash('sha256');
    h.update(JSON.stringify([TRAINING_VERSION, this.entries, this.featureCount, cap, this.epochs, MAX_EPOCHS, UPDATE_BUDGET, LEARNING_RATE, L2]));
    const { exIds: ids, exVals: vals, exStart: start } = this;
    for (let k = 0; k < this.exEntry.length; k++) {
      const from = start[k];
      const n = start[k + 1] - from;
      // the same bytes as when each example had its own arrays (the key of weights already cached stays valid)
      h.update(Int32Array.of(this.exEntry[k], n));
      h.update(new Uint8Array(ids.buffer, ids.byteOffset + from * 4, n * 4));
      h.update(new Uint8Array(vals.buffer, vals.byteOffset + from * 8, n * 8));
    }
    return h.digest('hex');
  }

  /** The trained weights: the biases (float64), then every inverted list's weights in order (float32). */
  private weights(): Buffer {
    let n = 0;
    for (const ws of this.postWeight) n += ws.length;
    const out = Buffer.alloc(this.bias.byteLength + n * 4);
    Buffer.from(this.bias.buffer, this.bias.byteOffset, this.bias.byteLength).copy(out, 0);
    let at = this.bias.byteLength;
    for (const ws of this.postWeight) {
      Buffer.from(ws.buffer, ws.byteOffset, ws.byteLength).copy(out, at);
      at += ws.byteLength;
    }
    return out;
  }

  /** Puts back weights() of the same training; false (nothing changed) when the data does not fit. */
  private restore(data: Buffer | undefined): boolean {
    if (!data) return false;
    let n = 0;
    for (const ws of this.postWeight) n += ws.length;
    if (data.byteLength !== this.bias.byteLength + n * 4) return false;
    const copy = new Uint8Array(data.byteLength); // aligned for the typed views
    copy.set(data);
    const bias = new Float64Array(copy.buffer, 0, this.bias.length);
    const weights = new Float32Array(copy.buffer, this.bias.byteLength, n);
    for (const v of bias) if (!Number.isFinite(v)) return false;
    for (const v of weights) if (!Number.isFinite(v)) return false;
    this.bias.set(bias);
    let at = 0;
    for (const ws of this.postWeight) {
      ws.set(weights.subarray(at, at + ws.length));
      at += ws.length;
    }
    return true;
  }

  /**
   * The epochs of stochastic gradient descent on the softmax loss (weights only where the lists have them), visiting
   * the examples in the order of trainingOrder: an example added to or taken from one entry leaves the order of all the
   * others as it was.
   */
  private sgd(len: Int32Array): void {
    const C = this.entries;
    const { exIds: f, exVals: v, exStart: start } = this;
    const hashes = Uint32Array.from(this.exEntry, (c, k) => exampleHash(c, f.subarray(start[k], start[k + 1]), v.subarray(start[k], start[k + 1])));
    const p = new Float64Array(C);
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      const order = trainingOrder(hashes, epoch);
      const rate = LEARNING_RATE / (1 + epoch * 0.25);
      for (const k of order) {
        const y = this.exEntry[k];
        const from = start[k];
        const to = start[k + 1];
        for (let c = 0; c < C; c++) p[c] = this.bias[c];
        for (let j = from; j < to; j++) {
          if (!len[f[j]]) continue;
          const es = this.postEntry[f[j]];
          const ws = this.postWeight[f[j]];
          for (let q = 0; q < es.length; q++) p[es[q]] += ws[q] * v[j];
        }
        let max = -Infinity;
        for (let c = 0; c < C; c++) if (p[c] > max) max = p[c];
        let z = 0;
        for (let c = 0; c < C; c++) z += p[c] = Math.exp(p[c] - max);
        for (let c = 0; c < C; c++) {
          p[c] /= z;
          this.bias[c] -= rate * 0.1 * (p[c] - (c === y ? 1 : 0));
        }
        for (let j = from; j < to; j++) {
          if (!len[f[j]]) continue;
          const es = this.postEntry[f[j]];
          const ws = this.postWeight[f[j]];
          for (let q = 0; q < es.length; q++) {
            const c = es[q];
            const g = p[c] - (c === y ? 1 : 0);
            ws[q] -= rate * (g * v[j] + L2 * ws[q]);
          }
        }
      }
    }
  }

  private finish(): void {
    let s = 0;
    for (const b of this.bias) s += b;
    this.meanBias = this.bias.length ? s / this.bias.length : 0;
  }

  get features(): number {
    let n = 0;
    for (const l of this.postEntry) if (l.length) n++;
    return n;
  }

  /**
   * The k most probable entries for a message's feature vector, and how much of the message the model
   * knows (the share of its feature mass on features in the model: 0 for a message of unseen words).
   * `mass`: what textFeatures returned (the features tried, known or not).
   * Probabilities are over the entries the message shares a feature with (the rest keep their bias only).
   */
  score(x: FeatureVector, k: number, mass: number): { top: ModelScore[]; known: number } {
    const { logit, touched, mark, bias } = this;
    let n = 0;
    let norm = 0;
    let knownMass = 0;
    for (const v of x.values()) norm += v * v;
    norm = Math.sqrt(Math.max(norm, mass)) || 1;
    for (const [f, v0] of x) {
      const id = this.idOf(f);
      if (id < 0 || !this.postEntry[id].length) continue;
      const v = v0 / norm;
      knownMass += v0 * v0;
      const es = this.postEntry[id];
      const ws = this.postWeight[id];
      for (let q = 0; q < es.length; q++) {
        const c = es[q];
        if (!mark[c]) {
          mark[c] = 1;
          touched[n++] = c;
          logit[c] = bias[c];
        }
        logit[c] += ws[q] * v;
      }
    }
    const known = knownMass / (norm * norm);
    if (n === 0) return { top: [], known };
    // softmax over the touched entries plus the others at their bias (bounded: the others are summed once)
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (logit[touched[i]] > max) max = logit[touched[i]];
    let z = 0;
    for (let i = 0; i < n; i++) z += Math.exp(logit[touched[i]] - max);
    z += this.untouchedMass(n, max);
    const top: ModelScore[] = [];
    for (let i = 0; i < n; i++) {
      const c = touched[i];
      const p = Math.exp(logit[c] - max) / z;
      mark[c] = 0;
      let j: number;
      if (top.length < k) {
        top.push({ entry: c, p });
        j = top.length - 1;
      } else if (k > 0 && p > top[k - 1].p) {
        j = k - 1;
        top[j] = { entry: c, p };
      } else continue;
      for (; j > 0 && top[j - 1].p < top[j].p; j--) [top[j - 1], top[j]] = [top[j], top[j - 1]];
    }
    return { top, known };
  }

  /** exp(bias - max) summed over the entries the message does not touch (biases stay near zero: approximated by their mean). */
  private untouchedMass(touchedCount: number, max: number): number {
    const rest = this.bias.length - touchedCount;
    return rest > 0 ? rest * Math.exp(this.meanBias - max) : 0;
  }
}

/**
 * A clause that announces a question ("sementara tunggu kod tu nak tanya, …", "quick question, if I'm not …",
 * "btw I want to ask: …") ends a sentence: what follows is the question, what comes before it is the story.
 */
const ASK_ANNOUNCED = /\b((?:nak|nk|na|mahu|mau|ingin|want to|wanna|would like to|like to)\s+(?:tanya|tny|tnya|tanye|ask)(?:\s+(?:sikit|sket|skit|satu|jap|sikit je|something|one thing|a question))?|(?:quick|one|a|another|small)\s+question|(?:satu|sikit)\s+soalan|soalan\s+(?:sikit|satu))\s*[,:;]/giu;

/** A colon after a word, followed by a question (text up to a question mark with no other stop or colon). */
const QUESTION_AFTER_COLON = /(\p{L})\s*:(?=\s+[^:.?!\n]*\p{L}[^:.?!\n]*\?)/gu;

/** A sentence of more words than this is a run-on, split before its clause openers (`sentences`). */
export const RUN_ON_WORDS = 20;
/** The fewest words a clause split from a run-on keeps (`sentences`). */
const MIN_CLAUSE_WORDS = 3;

/**
 * Sentences of a message (split at . ? ! and line breaks), at most `max`. A run-on of more than RUN_ON_WORDS words
 * typed without a stop ("pakcik ada line prepaid dah lama … tapi pakcik takut pakej lama tu x boleh ambik balik sbb
 * dengar org kata dah x jual lagi kalau tukar pakcik boleh ke patah balik") is split before each of `openers` (lexicon
 * clauseOpeners: "tapi", "sbb", "kalau", "but", "because") that leaves MIN_CLAUSE_WORDS words on either side; a message
 * with any stop or comma is split at those only.
 */
export function sentences(text: string, max = 12, openers: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  // (only a message typed without any stop or comma has run-ons: a long sentence with them is none)
  const runOns = openers.size > 0 && !/[.?!,;:]/.test(text);
  text = text.replace(ASK_ANNOUNCED, '$1.');
  // a colon after words, before a question, ends a sentence as a dash does ("before I key in the code: how many times can
  // I switch plans in a month?"); one before values only labels them ("Email: …", "kira prorata: 58 ke 80")
  text = text.replace(QUESTION_AFTER_COLON, '$1.');
  // a dash between spaces also ends one ("before I key in the code - can I do it in the app?"); a hyphen in a word
  // ("pro-rata", "012-345") does not, nor a full stop inside a word ("aminah.abdullah@example.com", "v2.0")
  const re = /(?:[^.?!\n\s\u2013\u2014-]|\s(?![-\u2013\u2014]\s)|[-\u2013\u2014](?!\s)|(?<!\s)[-\u2013\u2014]|\.(?=[\p{L}\p{N}]))+[.?!]*/gu;
  for (let m = re.exec(text); m && out.length < max; m = re.exec(text)) {
    const s = m[0].trim();
    if (!/[\p{L}\p{N}]/u.test(s)) continue;
    const words = s.split(/\s+/);
    if (!runOns || words.length <= RUN_ON_WORDS) {
      out.push(s);
      continue;
    }
    let from = 0;
    for (let i = MIN_CLAUSE_WORDS; i <= words.length - MIN_CLAUSE_WORDS && out.length < max - 1; i++) {
      if (i - from >= MIN_CLAUSE_WORDS && openers.has(words[i]!.toLowerCase())) {
        out.push(words.slice(from, i).join(' '));
        from = i;
      }
    }
    out.push(words.slice(from).join(' '));
  }
  return out.slice(0, max);
}

export type { Lang, KnowledgeEntry };

/**
 * Peer baselines for `npm run eval` (not used by the bot): classifiers trained on the same knowledge examples,
 * to show what an off-the-shelf whole-message model gets on the same sets.
 *
 * The logistic-regression peer is written here, minimal, because natural's LogisticRegressionClassifier (the
 * library one) takes over three minutes to train on our ~550 examples (dense batch gradient descent over the
 * whole vocabulary, measured 204 s): too slow to run at every `npm run eval`. This one is the textbook model:
 * lower-cased word unigrams and bigrams (no lexicon, no stemming, no typo correction), multinomial softmax,
 * plain SGD with L2, a fixed number of epochs and a fixed example order (deterministic). It is deliberately
 * not our recognizer's model (src/nlu/whole.ts): no concepts, no character n-grams, no sentence weighting.
 */
import type { KnowledgeEntry } from '../knowledge/types';

const TOKEN = /[\p{L}\p{N}]+/gu;

function features(text: string): string[] {
  const words = (text.toLowerCase().match(TOKEN) ?? []).slice(0, 200);
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export interface PeerClassifier {
  classify(text: string): { label: string; score: number };
  trainMs: number;
}

export function trainLogisticRegressionPeer(entries: KnowledgeEntry[], epochs = 30, rate = 0.5, l2 = 1e-4): PeerClassifier {
  const t0 = Date.now();
  const ids = new Map<string, number>();
  const docs: Array<{ x: number[]; y: number }> = [];
  entries.forEach((e, y) => {
    for (const l of ['ms', 'en'] as const) {
      for (const text of e.examples[l]) {
        const x = [...new Set(features(text))].map((f) => {
          let id = ids.get(f);
          if (id === undefined) ids.set(f, (id = ids.size));
          return id;
        });
        docs.push({ x, y });
      }
    }
  });
  const C = entries.length;
  const F = ids.size;
  const W = new Float64Array(C * F);
  const b = new Float64Array(C);
  const p = new Float64Array(C);
  const forward = (x: number[]): void => {
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = b[c];
      const row = c * F;
      for (const f of x) s += W[row + f];
      p[c] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let c = 0; c < C; c++) z += p[c] = Math.exp(p[c] - max);
    for (let c = 0; c < C; c++) p[c] /= z;
  };
  // a fixed permutation per epoch (LCG): deterministic, not in file order
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const order = docs.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const lr = rate / (1 + epoch * 0.2);
    for (const k of order) {
      const { x, y } = docs[k];
      forward(x);
      for (let c = 0; c < C; c++) {
        const g = p[c] - (c === y ? 1 : 0);
        b[c] -= lr * g;
        const row = c * F;
        for (const f of x) W[row + f] -= lr * (g + l2 * W[row + f]);
      }
    }
  }
  const trainMs = Date.now() - t0;
  return {
    trainMs,
    classify(text) {
      const x: number[] = [];
      for (const f of new Set(features(text))) {
        const id = ids.get(f);
        if (id !== undefined) x.push(id);
      }
      forward(x);
      let best = 0;
      for (let c = 1; c < C; c++) if (p[c] > p[best]) best = c;
      return { label: entries[best]?.id ?? '(none)', score: p[best] ?? 0 };
    },
  };
}

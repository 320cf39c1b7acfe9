/**
 * The recognizer's speed-ups must not change a single result: max-score pruning (only the best few entries
 * are ranked exactly), merged duplicate examples, and the tie-break of equal scores by id.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { synthetic } from '../../bench/nlu';
import { loadKnowledge } from '../../src/knowledge';
import type { KnowledgeEntry } from '../../src/knowledge/types';
import type { Recognition } from '../../src/nlu/recognizer';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const root = path.join(__dirname, '../..');
const kb = loadKnowledge(path.join(root, 'knowledge'));
const utterances = (parse(fs.readFileSync(path.join(root, 'test/eval/utterances.yaml'), 'utf8')) as Array<{ text: unknown }>).map((u) => String(u.text));

const view = (r: Recognition) => ({ decision: r.decision, lang: r.lang, features: r.features, candidates: r.candidates.map((c) => [c.entry.id, c.score]) });

function entry(id: string, ms: string[], en: string[]): KnowledgeEntry {
  return { id, pack: id.split('.')[0], kind: 'faq', question: { ms: ms[0], en: en[0] }, label: { ms: id, en: id }, examples: { ms, en }, answer: { ms: 'jawapan', en: 'answer' }, status: 'complete', followups: [] };
}

describe('pruned ranking equals scoring every example', () => {
  // queries: the evaluation set, shortened, and run together (up to dozens of features)
  const queries = [...utterances];
  utterances.forEach((q, i) => {
    queries.push(q.split(' ').slice(1).join(' '));
    queries.push(`${q} ${utterances[(i * 7 + 3) % utterances.length]}`);
  });
  for (let i = 0; i < 6; i++) queries.push(utterances.slice(i * 20, i * 20 + 25).join(' '));

  test.each([
    ['the real knowledge base', kb.entries],
    ['1,500 synthetic entries', synthetic(kb.entries, 1500, 7)],
  ])('%s', (_name, entries) => {
    const pruned = Recognizer.build(entries, DEFAULT_RECOGNIZER_OPTIONS);
    const exhaustive = Recognizer.build(entries, { ...DEFAULT_RECOGNIZER_OPTIONS, exhaustive: true });
    let decided = 0;
    for (const q of queries) {
      const a = pruned.match(q);
      expect({ q, ...view(a) }).toEqual({ q, ...view(exhaustive.match(q)) });
      if (a.decision !== 'fallback') decided++;
    }
    // the comparison covers real decisions (answers and clarifications, ranked candidates), not only empty results
    expect(decided).toBeGreaterThan(queries.length / 10);
  });

  test('with more clarify options than candidates shown', () => {
    const entries = synthetic(kb.entries, 400, 11);
    const opts = { ...DEFAULT_RECOGNIZER_OPTIONS, maxClarify: 8, answerThreshold: 0.99, clarifyThreshold: 0.05 };
    const pruned = Recognizer.build(entries, opts);
    const exhaustive = Recognizer.build(entries, { ...opts, exhaustive: true });
    let wide = 0;
    for (const q of utterances) {
      const a = pruned.match(q);
      expect({ q, ...view(a) }).toEqual({ q, ...view(exhaustive.match(q)) });
      if (a.decision === 'clarify' && a.candidates.length > 5) wide++;
    }
    expect(wide).toBeGreaterThan(0);
  });
});

describe('index details that must not show', () => {
  test('examples of one entry with the same features are indexed once, with the same results', () => {
    const base = [
      entry('core.ticket-status', ['semak status tiket saya'], ['check the status of my ticket']),
      entry('ebiz.upgrade-account', ['cara naik taraf akaun'], ['how do i upgrade my account']),
    ];
    const withCopies = [
      entry('core.ticket-status', ['semak status tiket saya', 'Semak status tiket saya!', 'semak status tiket'], ['check the status of my ticket', 'check the status of my ticket please']),
      base[1],
    ];
    const a = Recognizer.build(base);
    const b = Recognizer.build(withCopies);
    expect(b.size.examples).toBe(a.size.examples);
    // the matcher's part is identical; the whole-message model (whole.ts) learns from every example with distinct
    // character n-grams ("semak status tiket" is not "check the status of my ticket"), so scores may move a little,
    // never the decision or the ranking; exact copies (case, punctuation) change nothing at all
    const decisions = (r: Recognition) => ({ decision: r.decision, features: r.features, candidates: r.candidates.map((c) => c.entry.id) });
    for (const q of ['status tiket saya', 'check ticket', 'upgrade akaun', 'tiket']) expect(decisions(b.match(q))).toEqual(decisions(a.match(q)));
    const exactCopies = [entry('core.ticket-status', ['semak status tiket saya', 'Semak status tiket saya!'], ['check the status of my ticket', 'Check the status of my ticket.']), base[1]];
    const c = Recognizer.build(exactCopies);
    for (const q of ['status tiket saya', 'check ticket', 'upgrade akaun', 'tiket']) expect(view(c.match(q))).toEqual(view(a.match(q)));
  });

  test('equal scores are ordered by id, and only the first ones are kept', () => {
    const ids = ['pack.h', 'pack.b', 'pack.g', 'pack.a', 'pack.f', 'pack.c', 'pack.e', 'pack.d'];
    const entries = ids.map((id) => entry(id, ['semak status tiket'], ['check ticket status']));
    for (const exhaustive of [false, true]) {
      const r = Recognizer.build(entries, { ...DEFAULT_RECOGNIZER_OPTIONS, exhaustive }).match('semak status tiket');
      expect(r.candidates.map((c) => c.entry.id)).toEqual(['pack.a', 'pack.b', 'pack.c']);
      expect(new Set(r.candidates.map((c) => c.score)).size).toBe(1);
      const f = Recognizer.build(entries, { ...DEFAULT_RECOGNIZER_OPTIONS, exhaustive, answerThreshold: 2, clarifyThreshold: 2 }).match('semak status tiket');
      expect(f.decision).toBe('fallback');
      expect(f.candidates.map((c) => c.entry.id)).toEqual(['pack.a', 'pack.b', 'pack.c', 'pack.d', 'pack.e']);
    }
  });
});

/**
 * No confident answer from weak evidence: words that only frame a question (why/kenapa, how/macam mana,
 * can/boleh, where/di mana, how much/berapa, use/guna), inflections of stop words ("getting", "dapatkan") and
 * near misses of slang short forms ("blah" is not "bleh") must not make a message look answerable.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { loadKnowledge } from '../../src/knowledge';
import type { KnowledgeEntry } from '../../src/knowledge/types';
import { compileLexicon, defaultLexiconPath, lexicon } from '../../src/language/lexicon';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const kb = loadKnowledge(path.join(__dirname, '../../knowledge'));
const rec = Recognizer.build(kb.entries, DEFAULT_RECOGNIZER_OPTIONS);

function entry(id: string, ms: string[], en: string[]): KnowledgeEntry {
  return { id, pack: id.split('.')[0], kind: 'faq', question: { ms: ms[0], en: en[0] }, label: { ms: id, en: id }, examples: { ms, en }, answer: { ms: 'jawapan', en: 'answer' }, status: 'complete', followups: [] };
}

describe('weak evidence is no answer (real knowledge base)', () => {
  test.each([
    // reported: answered from "why" + "getting" alone, or from "blah" read as "bleh" (boleh)
    ['why am I getting spam'],
    ['why am I getting'],
    ['getting spam'],
    ['900101-14-5678 ali@example.com blah blah blah'],
    // the same kind, both languages
    ['kenapa saya dapat spam'],
    ['kenapa jadi macam ni'],
    ['macam mana nak buat'],
    ['boleh ke saya'],
    ['di mana saya boleh dapatkan'],
    ['berapa ye'],
    ['camne nak guna'],
    ['why is this happening'],
    ['how do I get it'],
    ['how much is it'],
    ['how can I use it'],
    ['where can I go'],
  ])('%s', (text) => {
    const r = rec.match(text);
    expect({ text, decision: r.decision }).not.toEqual({ text, decision: 'answer' });
  });

  test('the reported messages fall back', () => {
    for (const text of ['why am I getting spam', 'why am I getting', 'getting spam', '900101-14-5678 ali@example.com blah blah blah']) {
      expect({ text, decision: rec.match(text).decision }).toEqual({ text, decision: 'fallback' });
    }
  });

  test('the same question words with what the question is about still answer', () => {
    for (const [text, id] of [
      ['kenapa saya tak layak tukar pelan', 'planswitch.check-eligibility'],
      ['di mana boleh tukar pelan', 'planswitch.where-to-switch'],
      ['where can I switch my plan', 'planswitch.where-to-switch'],
      ['berapa kali boleh tukar pelan sebulan', 'planswitch.switch-limit-per-month'],
      ['how do I upgrade my account', 'ebiz.upgrade-account'],
    ] as const) {
      const r = rec.match(text);
      expect({ text, decision: r.decision, id: r.candidates[0]?.entry.id }).toEqual({ text, decision: 'answer', id });
    }
  });

  test('inflections of stop words give no feature, in either language', () => {
    expect(rec.match('why am I getting').features).toEqual(['#why']);
    expect(rec.match('di mana saya boleh dapatkan').features).toEqual(['#where', '#can']);
    expect(rec.match('he wanted what she needs').features).toEqual([]);
  });

  test('a near miss of a short form is not read as the short form; the short form itself still is', () => {
    expect(rec.match('blah').features).toEqual(['blah']);
    expect(rec.match('bleh tukar pelan?').features).toEqual(['#can', '#change', '#plan']);
    // typos of ordinary words are still corrected
    expect(rec.match('how can i upgarde my acount').candidates[0]?.entry.id).toBe('ebiz.upgrade-account');
  });
});

describe('an answer needs a content feature of the entry', () => {
  const fixtures = [
    entry('a.why-bill', ['kenapa bil saya tinggi'], ['why is my bill high']),
    entry('b.why-eligible', ['kenapa saya tidak layak'], ['why am I not eligible']),
    entry('c.how-register', ['bagaimana cara daftar'], ['how to register']),
  ];

  test('a message sharing only question words with the entries falls back, and lists what it compared', () => {
    const r = Recognizer.build(fixtures, DEFAULT_RECOGNIZER_OPTIONS);
    for (const text of ['kenapa', 'why', 'why oh why', 'bagaimana ye', 'how to']) {
      const m = r.match(text);
      expect({ text, decision: m.decision }).toEqual({ text, decision: 'fallback' });
    }
    // the candidates are still reported (for the unanswered-question log)
    expect(r.match('kenapa').candidates.length).toBeGreaterThan(0);
  });

  test('an entry supported only by question words is passed over for one that shares content', () => {
    const r = Recognizer.build(fixtures, DEFAULT_RECOGNIZER_OPTIONS);
    const m = r.match('why is my bill so high');
    expect(m.decision).toBe('answer');
    expect(m.candidates.map((c) => c.entry.id)).toEqual(['a.why-bill']);
    const ms = r.match('kenapa saya tidak layak');
    expect(ms.candidates[0]?.entry.id).toBe('b.why-eligible');
    expect(ms.candidates.map((c) => c.entry.id)).not.toContain('a.why-bill');
  });

  test('without question concepts in the lexicon, question words alone count as content (the rule is data)', () => {
    const lex = lexicon();
    const plain = { ...lex, questionConcepts: new Set<string>() };
    const r = Recognizer.build(fixtures, DEFAULT_RECOGNIZER_OPTIONS, plain);
    expect(r.match('kenapa').decision).not.toBe('fallback');
  });

  test('the lexicon refuses a question concept that is not a concept', () => {
    const raw = parse(fs.readFileSync(defaultLexiconPath(), 'utf8')) as Record<string, unknown>;
    expect(compileLexicon(raw).questionConcepts.has('why')).toBe(true);
    expect(() => compileLexicon({ ...raw, questionConcepts: ['why', 'whyy'] })).toThrow(/questionConcepts: "whyy"/);
  });
});

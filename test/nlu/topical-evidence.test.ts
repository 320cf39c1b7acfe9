/**
 * Out of scope is declined (issue 14): an entry is answered or offered only when what the message shares with it is
 * what the entry is about (topical evidence), the more so the more words of the message the knowledge never uses;
 * and typo correction leaves real Malay words alone, as it does English ones.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { KnowledgeEntry } from '../../src/knowledge/types';
import { lexicon } from '../../src/language/lexicon';
import { readEnglishWords } from '../../src/nlu/english';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

function entry(id: string, ms: string[], en: string[]): KnowledgeEntry {
  return { id, pack: id.split('.')[0], kind: 'faq', question: { ms: ms[0], en: en[0] }, label: { ms: id, en: id }, examples: { ms, en }, answer: { ms: 'jawapan', en: 'answer' }, status: 'complete', followups: [] };
}

// a parcel entry whose examples all name parcels and tracking; one story mentions Malaysia, one a warehouse
const parcel = entry(
  'x.parcel-track',
  ['jejak bungkusan saya', 'bungkusan saya sampai mana', 'macam mana nak jejak bungkusan', 'status bungkusan', 'bungkusan belum sampai', 'nombor jejak bungkusan'],
  [
    'track my parcel',
    'where is my parcel',
    'how do I track a parcel',
    'parcel tracking status',
    'my parcel has not arrived',
    'can I track a parcel sent from Malaysia',
    'the warehouse says my parcel left, where is it now',
  ],
);
const refund = entry(
  'x.refund',
  ['nak minta bayaran balik', 'bayaran balik saya bila masuk', 'cara minta refund', 'refund belum terima', 'syarat bayaran balik', 'refund berapa lama'],
  ['how do I get a refund', 'when will my refund arrive', 'refund request', 'I have not received my refund', 'refund conditions', 'how long does a refund take'],
);
const rec = Recognizer.build([parcel, refund], DEFAULT_RECOGNIZER_OPTIONS);

describe('topical evidence', () => {
  test('the entry answers what it is about', () => {
    for (const text of ['track my parcel please', 'where is my parcel now', 'bungkusan saya dah sampai mana']) {
      const r = rec.match(text);
      expect({ text, decision: r.decision, id: r.candidates[0]?.entry.id }).toEqual({ text, decision: 'answer', id: 'x.parcel-track' });
    }
  });

  test('a word one story of an entry happened to use is no evidence that the message is about the entry', () => {
    for (const text of ['what is the tallest tower in Malaysia', 'which warehouse jobs pay best']) {
      const r = rec.match(text);
      // the entry shares a content word with the message (it is a candidate), but declines
      expect(r.candidates.map((c) => c.entry.id)).toContain('x.parcel-track');
      expect({ text, decision: r.decision }).toEqual({ text, decision: 'fallback' });
    }
  });

  test('a topical word among many the knowledge never uses is not enough', () => {
    const r = rec.match('parcel of durian cakes for grandma birthday');
    expect(r.candidates.map((c) => c.entry.id)).toContain('x.parcel-track');
    expect(r.decision).toBe('fallback');
    // with the words that matter, the same entry answers
    expect(rec.match('parcel tracking status for grandma').decision).toBe('answer');
  });
});

describe('typo correction and real Malay words', () => {
  test('the lexicon names a Malay word list, and a JSON list of words is read', () => {
    const words = lexicon().malayWords();
    for (const w of ['kucing', 'umur', 'tanah', 'cerita']) expect(words.has(w)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'words-'));
    const file = path.join(dir, 'list.json');
    fs.writeFileSync(file, '[\n  "kucing",\n  "abc",\n  "Tanah"\n]\n');
    expect([...readEnglishWords(file)].sort()).toEqual(['kucing', 'tanah']);
  });

  test('a real Malay word is not corrected into a knowledge word one letter away', () => {
    const survey = entry(
      'x.survey',
      ['ukur tanah', 'kos ukur tanah', 'bila boleh ukur', 'siapa ukur tanah saya', 'ukur semula sempadan', 'tempah juruukur'],
      ['land survey', 'survey cost', 'when can you survey', 'who surveys my land', 'resurvey the boundary', 'book a surveyor'],
    );
    const r = Recognizer.build([survey, refund], DEFAULT_RECOGNIZER_OPTIONS).match('umur kucing saya berapa', 'ms');
    expect(r.features).not.toContain('ukur');
    expect(r.decision).toBe('fallback');
  });
});

describe('implied needs (stories.implied): examples whose words are no topical evidence', () => {
  // the parcel entry learns two needs implied in a situation's words (a neighbour, a dog, a doorstep)
  const implied = ['my neighbour says the courier left something on his doorstep but I still have nothing', 'the dog barked at the courier and he drove off without leaving my parcel'];
  const withImplied: KnowledgeEntry = {
    ...parcel,
    examples: { ms: parcel.examples.ms, en: [...parcel.examples.en, ...implied] },
    storyExamples: { ms: 0, en: implied.length },
    impliedExamples: { ms: 0, en: implied.length },
  };
  const both = Recognizer.build([withImplied, refund], DEFAULT_RECOGNIZER_OPTIONS);
  const plain = Recognizer.build([parcel, refund], DEFAULT_RECOGNIZER_OPTIONS);

  test("a question about the situation's things, with the entry's word, is still declined (as examples like the others, they answered it)", () => {
    const asOthers = Recognizer.build([{ ...withImplied, impliedExamples: undefined }, refund], DEFAULT_RECOGNIZER_OPTIONS);
    for (const text of ['my neighbour stole a parcel from my doorstep', 'who pays if the dog chews my parcel', 'can the courier leave a parcel with my neighbour']) {
      expect({ text, decision: both.match(text).decision }).toEqual({ text, decision: 'fallback' });
      expect({ text, decision: asOthers.match(text).decision }).toEqual({ text, decision: 'answer' });
    }
  });

  test('a need implied in those words is recognised better than without them', () => {
    const text = 'the courier left it on my neighbour doorstep and my parcel is nowhere';
    const r = both.match(text);
    expect(r.candidates[0]?.entry.id).toBe('x.parcel-track');
    expect(r.candidates[0]!.score).toBeGreaterThan(plain.match(text).candidates[0]?.score ?? 0);
  });
});

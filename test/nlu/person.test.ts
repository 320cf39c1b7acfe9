/**
 * A request for a person is read by the handoff's own rule (src/language/handoff.ts, which the bot routes by before
 * recognition): the recognizer answers it with the entry that reaches customer service, whatever else its words score.
 * A story that tells a person was spoken to, or wanting "someone" to explain, is no such request. On the real knowledge
 * base, in Malay and English; none of these messages is in an evaluation set.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const kb = loadKnowledge(dir);
const rec = Recognizer.build(kb.entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));

test.each([
  ['dah sejam sy taip kat sini, sy cuma nak cakap dgn manusia', 'ms'],
  ['tolong sambungkan sy dgn orang sebenar, bukan robot', 'ms'],
  ['I have been chatting for ages and getting nowhere. I just want a real person please.', 'en'],
  ['Can I speak to one of your officers about my upgrade?', 'en'],
] as const)('a request for a person: %s', (text, lang) => {
  const r = rec.match(text, lang);
  expect(r.decision).toBe('answer');
  expect(r.candidates[0]?.entry.id).toBe('core.contact-customer-service');
});

test.each([
  ['I spoke to an agent yesterday and he said my line can switch, so where do I go to do it?', 'en'],
  ['I need someone to explain the pro-rata charge on my bill', 'en'],
  ['semalam sy dah cakap dengan pegawai kaunter, dia kata akaun sy masih pengguna biasa. macam mana nak naik taraf?', 'ms'],
] as const)('no request for a person: %s', (text, lang) => {
  const r = rec.match(text, lang);
  expect(r.decision === 'answer' && r.candidates[0]?.entry.id === 'core.contact-customer-service').toBe(false);
});

test('without an entry that reaches customer service, a request for a person is left to the knowledge', () => {
  const without = Recognizer.build(kb.entries.filter((e) => e.id !== 'core.contact-customer-service'), DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));
  const r = without.match('tolong sambungkan sy dgn orang sebenar, bukan robot', 'ms');
  expect(r.candidates.every((c) => c.entry.id !== 'core.contact-customer-service')).toBe(true);
});

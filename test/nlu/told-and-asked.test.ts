/**
 * Rules of the recognizer for messages that tell more than they ask (issue 14), on the real knowledge base, in Malay
 * and English; none of these messages is in an evaluation set (each failed before its rule):
 * - a last sentence that asks a quantity without a question mark, and names nothing of its own, asks it of the sentence
 *   before ("… bagitau sy kat mana nak buat" asks where, not the conditions of the switch told);
 * - a short message whose first entry it marks by its signals, and not the runner-up, is answered below the floor of a
 *   short clarification (a bill told as puzzling: the pro-rata formula, not a complaint);
 * - whether a kind of user is enough (cue `enough`) asks the difference of the two, not the upgrade;
 * - "allowed to switch" keeps its change: the monthly limit, not the check of a line;
 * - an out-of-scope term of parts apart ("forgot + password") declines what it names.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const rec = Recognizer.build(loadKnowledge(dir).entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));

test.each([
  ['dah nekad nak tukar postpaid ke prepaid sebab bil mahal sangat. bagitau sy kat mana nak buat', 'ms', 'planswitch.where-to-switch'],
  ['bil bulan ni pelik, ada dua caj, satu untuk plan lama satu untuk plan baru', 'ms', 'planswitch.prorata-formula'],
  ['sejak tukar plan, bil bulan ni pelik, bukan harga lama bukan harga baru', 'ms', 'planswitch.prorata-formula'],
  ['akaun biasa ni cukup ke untuk kerja sy, atau kena jadi pengguna utama', 'ms', 'ebiz.regular-vs-main-user'],
  ['how many times am I allowed to switch plans each month', 'en', 'planswitch.switch-limit-per-month'],
  ['berapa kali allowed to switch plan sebulan', 'ms', 'planswitch.switch-limit-per-month'],
] as const)('%s', (text, lang, id) => {
  const r = rec.match(text, lang);
  expect({ decision: r.decision, top: r.candidates[0]?.entry.id }).toEqual({ decision: 'answer', top: id });
});

test.each([
  ['Forgot my eBiz v2.0 account password, what now?', 'en'],
] as const)('declined, out of scope: %s', (text, lang) => {
  const r = rec.match(text, lang);
  expect(r.decision).not.toBe('answer');
});

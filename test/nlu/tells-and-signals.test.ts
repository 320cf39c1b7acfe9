/**
 * Rules of the recognizer and words of the knowledge for messages that tell more than they ask (issue 14, 2026-12-07),
 * on the real knowledge base, in Malay and English. None of these messages is in an evaluation set, and each failed at
 * 785a1a4, before its rule:
 * - "use" names no question (lexicon notAsking), nor does "boleh"/"can" after a hope, a wish or an "if" (statementSubjects);
 * - a message that tells, whose first entry it marks by its signals and no other entry left does, is answered by them
 *   whatever the score; a procedure so when it is the first the message may be about; a clarification of one marked entry
 *   is its answer;
 * - an entry may need a cue as well as a concept (the switch limit: plans hopped between; what a switch forfeits:
 *   freebies or data unused);
 * - words: online banking is no bank, a topo sheet is data, a late fee is out of scope, credit always running out with
 *   postpaid is the switch's conditions, "pergi mana" of money asks what becomes of it, "bumped up" is an upgrade, a
 *   thumbprint the fingerprint scan, a basic tier a regular account, a line (not an old eBiz ID) brought back is out of
 *   scope, a complaint asked for in words reaches customer service.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { compileLexicon, defaultLexiconPath } from '../../src/language/lexicon';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const rec = Recognizer.build(loadKnowledge(dir).entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));

test.each([
  ['Six months into my contract and I barely use the data, thinking of switching down.', 'en', 'planswitch.contract-penalty'],
  ["I'd rather hand cash over the counter for our eBiz prepaid top up than use online banking.", 'en', 'ebiz.prepaid-topup-counter'],
  ['Lebih suka bayar tunai kat kaunter untuk topup prabayar eBiz daripada guna online banking.', 'ms', 'ebiz.prepaid-topup-counter'],
  ['Bought a digital topo sheet for a client and the portal is asking me for a digital licence.', 'en', 'ebiz.digital-licence-products'],
  ['Rider here, always run out of credit during deliveries, time to go postpaid.', 'en', 'planswitch.conditions-prepaid-postpaid'],
  ['Our eBiz account is still the basic tier and my manager wants it at Main User before the tender closes.', 'en', 'ebiz.upgrade-account'],
  ['My account is still a regular user and my boss needs it as Main User before the deadline.', 'en', 'ebiz.upgrade-account'],
  ["Need my eBiz account bumped up, someone said there's a thumbprint scan at the counter and I'm in Tawau.", 'en', 'ebiz.upgrade-account'],
  ['Kalau tukar ke postpaid, baki kredit sy tu pergi mana?', 'ms', 'planswitch.prepaid-credit-carryover'],
  ['keep flip-flopping between plans this month, third time already', 'en', 'planswitch.switch-limit-per-month'],
  ['I keep hopping between plans to find the best one', 'en', 'planswitch.switch-limit-per-month'],
  ['Still have unused data and some freebies, and the new plan starts Monday', 'en', 'planswitch.forfeited-items'],
  ['nk buat aduan, tiap kali nak bayar sistem ebiz logout sendiri', 'ms', 'core.contact-customer-service'],
  ['Tolong buat aduan: bayaran dah tolak tapi data tak keluar dalam eBiz', 'ms', 'core.contact-customer-service'],
  ['tolong hidupkan balik ID eBiz lama saya dalam sistem baharu', 'ms', 'ebiz.login-old-user-id'],
] as const)('%s', (text, lang, id) => {
  const r = rec.match(text, lang);
  expect({ decision: r.decision, top: r.candidates[0]?.entry.id }).toEqual({ decision: 'answer', top: id });
});

test.each([
  ['What is the late fee if my postpaid bill is due and I pay a week after?', 'en'],
  ['Line sy dah mati sebab lama x topup, boleh hidupkan balik?', 'ms'],
] as const)('declined, out of scope: %s', (text, lang) => {
  expect(rec.match(text, lang).decision).not.toBe('answer');
});

test('notAsking may name only question concepts, and takes them out of those that ask', () => {
  const raw = parse(fs.readFileSync(defaultLexiconPath(), 'utf8')) as Record<string, unknown>;
  const lex = compileLexicon(raw);
  expect(lex.questionConcepts.has('use')).toBe(true);
  expect(lex.askingConcepts.has('use')).toBe(false);
  expect(lex.askingConcepts.has('how')).toBe(true);
  expect(() => compileLexicon({ ...raw, notAsking: ['use', 'plan'] })).toThrow(/notAsking: "plan"/);
});

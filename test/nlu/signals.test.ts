/**
 * An entry's signals (KnowledgeEntry.signals, the packs' `signals`): concepts that, all named, mark a message out as the
 * entry's among its neighbours. On the real knowledge base, in Malay and English; none of these messages is in an
 * evaluation set.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const rec = Recognizer.build(loadKnowledge(dir).entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));

test.each([
  // an old e-mail said to be closed, gone or dead: the dead e-mail's entry, not logging in with the old ID, though the
  // migration is named too
  ['Emel lama dlm eBiz sy dah ditutup, pautan migrasi x sampai. Tolong.', 'ebiz.old-email-invalid'],
  ['Emel lama sy dlm eBiz tu dah tak wujud, link migrasi tak sampai langsung', 'ebiz.old-email-invalid'],
  ['The e-mail on my old eBiz account is dead now, so the migration link never reaches me. Help please.', 'ebiz.old-email-invalid'],
  // the old ID with an e-mail that works is still the migration
  ['nak log masuk eBiz baru guna ID lama, emel sy masih sama', 'ebiz.login-old-user-id'],
  ['I want to log in to the new eBiz with my old user ID, my e-mail is the same', 'ebiz.login-old-user-id'],
  // a message that gives what the migration takes asks for it, though it names an e-mail and a problem
  ["My old eBiz user ID doesn't work on the new system. My email is rahim.osman@example.com", 'ebiz.login-old-user-id'],
  // the old e-mail said to work is the way in with it (cues.emailworks); said to be out of reach, the dead e-mail's entry
  // (cues.emaillost, short forms expanded: "dah tak boleh akses")
  ["I'm an old eBiz user and my email from those days still works fine, I just can't figure out how to get into v2.0", 'ebiz.login-old-user-id'],
  ['dulu guna eBiz lama, emel msh aktif lagi, cuma x reti nk masuk sistem baru', 'ebiz.login-old-user-id'],
  ['pautan untuk pindah akaun eBiz lama dihantar ke emel yang saya dah tak boleh akses', 'ebiz.old-email-invalid'],
  // an account told as still a regular one wants its upgrade (cues.stillregular); the difference asked stays the difference
  ['akaun eBiz saya masih pengguna biasa, checkout tak benarkan beli data digital', 'ebiz.upgrade-account'],
  ['my eBiz account still shows Regular User and I need to buy digital data next week', 'ebiz.upgrade-account'],
  ['akaun sy masih pengguna biasa, apa beza dengan pengguna utama sebenarnya?', 'ebiz.regular-vs-main-user'],
  ["what's the difference between a regular and a main user, mine is still a regular one", 'ebiz.regular-vs-main-user'],
  // a procedure's signals are the request, whatever the story's subject: a complaint named with how far it has gone is
  // its status (lexicon cues.progress), a list of complaints asked for is my tickets (cues.listing)
  ['aduan saya pasal penalti kontrak minggu lepas dah sampai mana?', 'core.ticket-status'],
  ['my complaint about the dead e-mail on my old eBiz account, any update?', 'core.ticket-status'],
  ['list semua complaint aku please', 'core.my-tickets'],
  ['show all my cases pls', 'core.my-tickets'],
  // (also when the message gives the procedure's value: the reference)
  ['Two weeks ago I reported that my eBiz top-up at the counter never reached my account, and I was given reference TKT-20261122-7QF3. Nobody has called me since and I need to buy data this week. Where is it at?', 'core.ticket-status'],
  // someone asked to get back to the customer is customer service, whatever the story's subject (cues.callback)
  ['My roaming add-on was charged twice this month, I think it is wrong. Can someone from Digi call me back?', 'core.contact-customer-service'],
  ['the contract penalty on my bill is wrong, my contract ended last year. please get someone to call me', 'core.contact-customer-service'],
  // a new plan and its quota (or a new postpaid plan and its data) told at a switch: what the new plan gives, not a bill
  ['Pelan postpaid baru sy aktif 18hb ni, risau kuota internet dpt separuh je utk kitaran pertama', 'planswitch.new-postpaid-benefits'],
  ["Going onto a new postpaid plan on the 22nd, hope I don't end up with only part of the data for the first cycle", 'planswitch.new-postpaid-benefits'],
  // a monthly fee told as not matching its plan's price after a switch is puzzling (cues.puzzled): how it was worked out
  ['Tukar pelan 12hb hari tu, yuran bulanan dalam bil lain dari harga pelan baru', 'planswitch.prorata-formula'],
  ["Changed plans on the 12th and the monthly fee on my bill doesn't match the plan price", 'planswitch.prorata-formula'],
  // the subject alone, with no complaint named, is still the answer
  ['penalti kontrak tu dah sampai mana sebenarnya, masih kena bayar?', 'planswitch.contract-penalty'],
])('%s -> %s', (text, id) => {
  const r = rec.match(text);
  expect({ decision: r.decision, top: r.candidates[0]?.entry.id }).toEqual({ decision: 'answer', top: id });
  // best first, whatever was swapped
  for (let i = 1; i < r.candidates.length; i++) expect(r.candidates[i]!.score).toBeLessThanOrEqual(r.candidates[i - 1]!.score);
});

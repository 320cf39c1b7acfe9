/**
 * A question for a quantity the documents never give (a price, a fee, how long something lasts or takes) is declined
 * even when its topic is an entry's, on the real knowledge base; an entry that gives that quantity (lexicon
 * quantityQuestions, the entry's `gives`) still answers it, and a price named in a story before the question asks
 * for nothing. A place asked for ("where do I go to do it?") is a quantity too: the switch's conditions give none. None of these messages is in an evaluation set.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const kb = loadKnowledge(dir);
const rec = Recognizer.build(kb.entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));
const outcome = (text: string) => {
  const r = rec.match(text);
  return r.decision === 'fallback' ? 'declined' : r.candidates[0]?.entry.id;
};

test.each([
  ['what is the price of the Roam Monthly add-on?'],
  ['harga roam monthly tu berapa sebulan?'],
  ['how much does it cost to upgrade to a main user at the counter?'],
  ['yuran naik taraf akaun pengguna utama berapa ya?'],
  ['how long is the e-mail verification link valid for?'],
  ['lesen digital untuk data ukur tu sah untuk berapa tahun?'],
  ['berapa lama proses permohonan remit?'],
  // a fee asked for with words between ("any extra fees", "is there a processing charge")
  ['is there a processing charge to top up the eBiz prepaid account at the counter?'],
  ['any extra fees for registering at the JUPEM counter?'],
  // a deadline is a length of time no eBiz entry gives
  ['bila tarikh akhir nak migrate akaun lama?'],
  ['is there a deadline to migrate my old user ID?'],
  // a plan's credit limit in ringgit, and which plan is best for someone: neither document gives one
  ['kalau naik ke pelan postpaid 98, berapa had kredit saya nanti?'],
  ['how much credit limit comes with the higher postpaid plan?'],
  ['antara pelan postpaid Digi, yang mana paling sesuai untuk orang yang selalu ke luar negara?'],
  ['which plan is best for a student who mostly uses WhatsApp?'],
])('a quantity the documents never give is declined: %s', (text) => {
  expect(outcome(text)).toBe('declined');
});

test.each([
  // opening hours, a data allowance, a file format, an office's address: neither document states any (QUANTITY_KINDS)
  ['kaunter JUPEM di Putrajaya buka pukul berapa pagi?'],
  ['is the eBiz counter open on Sundays?'],
  ['pelan postpaid 98 tu kuota internet berapa gb sebulan?'],
  ['how many GB do I get on the postpaid 58 plan'],
  ['data NDCDB yang dibeli tu dalam format apa?'],
  ['which file format does the digital cadastral data come in?'],
  ['ibu pejabat JUPEM terletak di mana sebenarnya?'],
  ['what is the address of the JUPEM office in Kuching?'],
  // a head count, minutes and calls of a plan
  ['how many users can one company account have on eBiz?'],
  ['satu akaun syarikat boleh ada berapa orang pengguna utama?'],
  ['how many free SMS do I get on the new postpaid plan?'],
  ['does the postpaid 80 plan include unlimited calls?'],
  // the date something ends
  ['kontrak telefon yg sy ambil dgn pelan tu bila tamat?'],
  ['how can I find out when my phone contract ends with Digi?'],
])('a quantity neither document states is declined: %s', (text) => {
  expect(outcome(text)).toBe('declined');
});

test.each([
  // (the kinds' words in a question about what the documents do answer)
  ['kalau tukar pelan, kuota data yang berbaki tu hilang ke?', 'planswitch.forfeited-items'],
  ['my old email address no longer works, what should I do to log in?', 'ebiz.old-email-invalid'],
  // how many times a month is the limit the guide states, not a head count
  ['berapa kali sebulan boleh tukar pelan?', 'planswitch.switch-limit-per-month'],
  ['how many times can I switch plan in a month?', 'planswitch.switch-limit-per-month'],
  // whether something expires, asked as "when": the forfeit entry answers it
  ['do my rebates expire when i change my plan', 'planswitch.forfeited-items'],
])('a question that only names such a thing is still answered: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  ['how much penalty will I pay if I switch while still under contract?', 'planswitch.contract-penalty'],
  ['berapa banyak baki kredit prepaid yang dibawa ke postpaid?', 'planswitch.prepaid-credit-carryover'],
  ['how much is charged for the month I switch plans, how is it calculated?', 'planswitch.prorata-formula'],
])('an entry that gives the quantity answers it: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  ['tukar Prabayar kepada Pascabayar. kat mana nak buat?', 'planswitch.where-to-switch'],
  ['where can I go to change my plan', 'planswitch.where-to-switch'],
  ['where do i go to switch my postpaid to prepaid', 'planswitch.where-to-switch'],
  // a wish not to go anywhere asks where else
  ["I'd like to move my line from prepaid to postpaid without going to any shop, is that possible?", 'planswitch.where-to-switch'],
  // (working from home is no such wish)
  ['I work from home, what do I need before switching from prepaid to postpaid?', 'planswitch.conditions-prepaid-postpaid'],
])('a place asked for is answered by an entry that gives one, not by the switch\'s conditions: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  // (the question asks the place; the sentence it refers to says what about: not the conditions of that switch)
  ['switch Prepaid to Prepaid. ok where do I go to do it?'],
  ['ok where do I go to do it? switch Prepaid to Prepaid'],
])('a question of where that refers to another sentence asks a place: %s', (text) => {
  expect(outcome(text)).not.toMatch(/conditions/);
  expect(rec.match(text).candidates[0]?.entry.id).toBe('planswitch.where-to-switch');
});

test('a price told in the story is no question for a price', () => {
  expect(outcome('My current postpaid plan costs RM58 and a newer one gives more data for the same price. My line is active and my bills are paid. What do I need to switch to that other postpaid plan?')).toBe(
    'planswitch.conditions-postpaid-postpaid',
  );
});

// a message that tells an amount, with no question in it, asks for no price: it is a situation to answer
test.each([
  ["Balance on my prepaid is RM4 only, and the other prepaid plan I'm eyeing costs RM35 monthly."],
  ['Kredit prepaid tinggal RM3, pelan prabayar baru yang saya minat tu ada caj RM35 sebulan'],
])('an amount told, not asked, is no question for a price: %s', (text) => {
  expect(outcome(text)).toBe('planswitch.conditions-prepaid-prepaid');
});

// conditions asked as a bare "requirements?" or as what must be in place before the switch are the rule's entry, not the
// check of a line (nothing to check is given); a "monthly billed plan" is postpaid
test.each([
  ['Got a new job, keen to move my prepaid line onto a monthly billed plan. Requirements?', 'planswitch.conditions-prepaid-postpaid'],
  ['Got a new job with a fixed salary, keen to move my prepaid line onto a postpaid plan. Requirements?', 'planswitch.conditions-prepaid-postpaid'],
  ['Mak sy pakai prepaid, nak pindah ke pelan prepaid lain yg data lebih. Apa yg kena ada sebelum tukar pelan tu?', 'planswitch.conditions-prepaid-prepaid'],
])('conditions asked in other words: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test('the lexicon refuses a quantity it does not know', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-quantity-'));
  fs.cpSync(dir, copy, { recursive: true });
  const file = path.join(copy, 'lexicon.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('quantityQuestions:\n  cost:', 'quantityQuestions:\n  weight: [berapa berat]\n  cost:'));
  expect(() => loadKnowledgeLexicon(copy)).toThrow(/quantityQuestions: "weight"/);
  fs.rmSync(copy, { recursive: true, force: true });
});

test.each([
  // services around a line or the portal that neither document covers (lexicon outOfScope)
  ['boleh ke sy hantar kredit prepaid ke nombor kawan sy?'],
  ['how can I send some of my credit to a friend on Digi'],
  ['saya nak daftar akaun JUPEM2U, caranya?'],
  ['do I need to put down a deposit for a new postpaid line?'],
  ['which one is the cheapest postpaid plan you have now?'],
  ['nak tukar pemilikan talian ni kepada isteri saya'],
  ['camne nak tukar nama pemilik line prepaid kepada adik sy?'],
])('a service neither document covers is declined: %s', (text) => {
  expect(outcome(text)).toBe('declined');
});

test.each([
  // the conditions asked for at the end of a story are the rule's entry, not the check of a line (quantityQuestions
  // conditions; the entries that state conditions give them)
  ['Kakak sy pakai line pascabayar, bil dia makin mahal. Dia fikir nak tukar ke prabayar je. Apa syarat yang kena dipenuhi?', 'planswitch.conditions-postpaid-prepaid'],
  ['I finally got a full-time job and want a proper postpaid line instead of my prepaid number. What are the requirements for that switch?', 'planswitch.conditions-prepaid-postpaid'],
  ['what are the requirements for remit?', 'ebiz.remit'],
])('a question for conditions is answered by an entry that states them: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  // (asking to check, or giving the line, asks for the check)
  ['apa syarat dia? tolong semak line sy 012-100 0001'],
  ['What are the requirements? Please check my number 013-100 0002'],
])('a question for conditions with a request to check is the check: %s', (text) => {
  expect(outcome(text)).toBe('planswitch.check-eligibility');
});

test.each([
  // (the entries of the other switch have the same words: no rival of the one named)
  ['What conditions must I meet to change my Digi postpaid line to a prepaid plan?', 'planswitch.conditions-postpaid-prepaid'],
  ['if i go postpaid can my prepaid credit carry over?', 'planswitch.prepaid-credit-carryover'],
  ['tukar postpaid ke prepaid blh bt kt mana', 'planswitch.where-to-switch'],
  ['were do i go to swich my prepaid to postpaid', 'planswitch.where-to-switch'],
])('the switch named decides between the entries of each switch: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  // what is forfeited needs a switch or a loss named (needs): how to redeem freebies in the app is neither document's
  ['How do I redeem my freebies in the MyDigi app?', 'declined'],
  ['macam mana nak tebus freebies dalam app MyDigi?', 'declined'],
  ['freebies hangus?', 'planswitch.forfeited-items'],
  ['lose my freebies?', 'planswitch.forfeited-items'],
])('what is forfeited needs a switch or a loss: %s', (text, expected) => {
  expect(outcome(text)).toBe(expected);
});

test.each([
  // a plan's price: neither document states one, and it asks for no bill of a switch (the pro-rata entries need a
  // change, a bill or a calculation named; the contract penalty a contract, a penalty or a waiver)
  ['Berapa yuran bulanan pelan Postpaid 98 sekarang?', 'declined'],
  ['how much is the monthly fee of the Postpaid 98 plan now?', 'declined'],
  ['early termination fee kalau tukar pelan?', 'planswitch.contract-penalty'],
  ['tolong kira prorata pelan 40 ke 98, tukar 20hb, bil mula 5hb', 'planswitch.prorata-calculator'],
  // (the old or the new plan's fee alone is a value of the bill)
  ['old plan RM48', 'planswitch.prorata-calculator'],
])('the pro-rata entries and the penalty need what they are about: %s', (text, expected) => {
  expect(outcome(text)).toBe(expected);
});

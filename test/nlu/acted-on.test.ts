/**
 * A request to act on a value the message gives (a line's number with "please check", amounts with "calculate") is the
 * procedure entry that acts on it, even where an FAQ on the same subject scores a little higher; without a request
 * for an action, or without such a value, the FAQ stays first. On the real knowledge base; none of these messages is
 * in an evaluation set.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';

const dir = path.join(__dirname, '../../knowledge');
const kb = loadKnowledge(dir);
const rec = Recognizer.build(kb.entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));
const first = (text: string) => {
  const r = rec.match(text);
  return r.decision === 'answer' ? r.candidates[0]?.entry.id : r.decision;
};

test.each([
  ['My line is 013-100 0002, prepaid. I want to move to another prepaid plan, please check if I can.'],
  ['Talian sy 013-100 0002, prabayar. Nak pindah ke pelan prabayar lain, tolong semak boleh ke tak.'],
  // whether the line qualifies is a request to check it too
  ['Thinking of moving line 013-100 0003 onto another prepaid plan, no idea whether it qualifies.'],
  ['Line 012-100 0004 ni layak ke tukar ke pelan postpaid lain?'],
  // "see if" asks to look
  ['Please see if 019-100 0008 can switch to a different prepaid package'],
  // a request that follows a sentence framing nothing as a question ("dia guna prepaid"), with an English verb under a
  // Malay suffix ("checkkan")
  ['Ini nombor adik sy 013-100 0003, dia guna prepaid, nak masuk postpaid pulak. Tolong checkkan boleh ke tak.'],
  // asking whether the line the message gives can switch, in a later sentence
  ['Number is 012-100 0004, on postpaid. I was late with a bill in the spring and may still owe something. Can my line go to prepaid?'],
  ['Talian sy 012-100 0004, postpaid. Bulan lepas lambat bayar bil sikit. Boleh ke line ni tukar ke prepaid?'],
  // a switch wished for the line the message gives, with no question: that line checked, not the rule of the switch
  ['Line sy 013-100 0004, teringin tukar ke pelan prepaid lain bulan ni tapi risau tak diterima.'],
  ['Adik sy guna 013-100 0006, dia nak beralih ke postpaid hujung bulan ni.'],
])('a number and a request to check: the check of that line (%s)', (text) => {
  expect(first(text)).toBe('planswitch.check-eligibility');
});

test.each([
  ['I am on prepaid and want to move to another prepaid plan, please check what I need.', 'planswitch.conditions-prepaid-prepaid'],
  ['My line is 013-100 0002, prepaid. What do I need to move to another prepaid plan?', 'planswitch.conditions-prepaid-prepaid'],
])('no value, or no request to act: the FAQ (%s)', (text, id) => {
  expect(first(text)).toBe(id);
});

test.each([
  ['I changed from the RM48 plan to RM98 on 3 March 2026 and my bill starts on the 10th. What will my pro-rata charge be?'],
  ['Sy tukar dari pelan RM48 ke RM98 pada 3 Mac 2026, bil sy mula 10hb. Caj pro-rata sy berapa nanti?'],
])('amounts and a date given are a request for the bill itself (%s)', (text) => {
  expect(first(text)).toBe('planswitch.prorata-calculator');
});

test.each([
  // "telefon bimbit" is the line whose plan changes, not a call to customer service; "ckp" is "cakap"
  ['Berapa kali boleh tukar pelan telefon bimbit dalam tempoh sebulan?', 'planswitch.switch-limit-per-month'],
  ['nk ckp dgn org sebenar la, bukan bot', 'core.contact-customer-service'],
])('Malay as written: %s', (text, id) => {
  expect(first(text)).toBe(id);
});

test.each([
  ['Please raise a ticket for me: our company representative resigned and the admin has to replace him in eBiz. Reach me at ops@example.com.'],
  ['Bukakan tiket utk sy: wakil syarikat kami dah berhenti, admin kena tukar nama dia dlm eBiz. Emel sy ops@example.com.'],
])('a request to open a ticket about an FAQ subject opens it; the sentence that gives contact details is not the question (%s)', (text) => {
  expect(first(text)).toBe('core.contact-customer-service');
});

test.each([
  // a reference names one ticket: its status, even with the words of "my tickets" ("tiket sy")
  ['tiket sy TKT-20261103-QW12 dh selesai ke?', 'core.ticket-status'],
  ['any news on TKT-55120?', 'core.ticket-status'],
  ["what's happening with my complaint from last week?", 'core.ticket-status'],
  // every ticket the customer has raised: the list
  ['please list all the support tickets I have opened', 'core.my-tickets'],
])('a ticket named by its reference is its status; all of them, the list (%s)', (text, id) => {
  expect(first(text)).toBe(id);
});

test.each([
  // a calculation named in a question of how: the method, not a request to do it
  ['Bil sy pelik bulan ni. Sy tukar pelan RM48 ke RM68 tengah bulan. Sy cuma nak faham cara Digi kira yuran bulan tu.', 'planswitch.prorata-formula'],
  ['I moved from the RM58 plan to the RM98 one mid-cycle and the bill shows odd amounts. How does Digi calculate the fee for that month?', 'planswitch.prorata-formula'],
  // (amounts and a date with a request stay a calculation)
  ['how do I calculate my pro-rata bill, RM58 to RM80 on 11 April, cycle starts 1 April', 'planswitch.prorata-calculator'],
])('a question of how a value is calculated asks the method: %s', (text, id) => {
  expect(first(text)).toBe(id);
});

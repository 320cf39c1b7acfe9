/**
 * What procedure set 36 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: right after a line's verdict, a message that opens with "why?" and tells what the customer
 * did not expect ("eh kenapa pulak? sy x tau pun line kena suspend …") shows the verdict again (no new check asking for
 * a number); a complaint asked for in words right after it ("nak buat aduan pasal ni, emel sy …") is a ticket about that
 * verdict, as the one its button offers, unless the request names another matter; on WhatsApp "slm, blh tukar pelan x?"
 * (no one named) checks the chat's own line (set35.test.ts), "bila boleh tukar pelan?" none; "nnt" is "nanti"; "eh"
 * opens a correction in an English conversation too ("eh bukan 68, 78. sorry" is answered in English).
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 36', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'no sy 012-100 0003 nak tukar ke prepaid boleh ke?', 'eh kenapa pulak? sy x tau pun line kena suspend, bil sy bayar je tiap bulan', /belum layak[\s\S]*status: digantung/],
    ['en', 'my number is 012-100 0003, can I switch it to prepaid?', 'wait why? I never knew my line was suspended, I pay my bill every month', /cannot make the Postpaid to Prepaid switch yet[\s\S]*status: suspended/],
  ] as const)('%s: a message opening with "why?" after a verdict shows the verdict again', async (_lang, ask, why, verdict) => {
    await t.chat.say(ask);
    const first = joined(await t.chat.say(await t.sms.nextCode()));
    expect(first).toMatch(verdict);
    const again = joined(await t.chat.say(why));
    expect(again).toMatch(verdict);
    expect(again).not.toMatch(/Nombor talian mana|Which number/);
  });

  test.each([
    ['ms', 'boleh sy tukar ke prepaid?', 'nak buat aduan pasal ni, emel sy tan.weiming@example.com.my', /Kategori: Tukar pelan Digi[\s\S]*Penerangan: Semakan kelayakan: talian \+6012•••••03/, 'ya setuju', /TKT-\d{8}-[A-Z0-9]{4}/],
    ['en', 'can I switch my line to prepaid?', 'I want to complain about this, my email is tan.weiming@example.com.my', /Category: Switching a Digi plan[\s\S]*Description: Eligibility check: line \+6012•••••03/, 'yes I agree', /TKT-\d{8}-[A-Z0-9]{4}/],
  ] as const)('%s: a complaint asked for in words right after a verdict is a ticket about that verdict', async (_lang, ask, complain, summary, agree, sent) => {
    onWhatsApp(t.chat, '+60121000003');
    await t.chat.say(ask);
    expect(joined(await t.chat.say(complain))).toMatch(summary);
    expect(joined(await t.chat.say(agree))).toMatch(sent);
  });

  test.each([
    ['ms', 'boleh sy tukar ke prepaid?', 'ok nak buat aduan pasal pembelian eBiz sy pulak, fail data digital x blh download. emel sy tan.weiming@example.com.my', /Kategori: Pembelian dan bayaran eBiz[\s\S]*Penerangan: fail data digital/],
    ['en', 'can I switch my line to prepaid?', 'ok another thing, I want to complain about my eBiz purchase, the digital data file cannot download. email tan.weiming@example.com.my', /Category: eBiz purchase[\s\S]*Description: [^\n]*digital data file/],
  ] as const)('%s: a complaint after a verdict that names another matter is about that matter', async (_lang, ask, complain, summary) => {
    onWhatsApp(t.chat, '+60121000003');
    await t.chat.say(ask);
    const said = joined(await t.chat.say(complain));
    expect(said).toMatch(summary);
    expect(said).not.toMatch(/Semakan kelayakan|Eligibility check/);
  });

  test.each([
    ['ms', 'bila boleh tukar pelan?'],
    ['en', 'when can change plan?'],
  ] as const)('%s: on WhatsApp, a question of when a switch can be made checks no line', async (_lang, ask) => {
    onWhatsApp(t.chat, '+60131000005');
    expect(joined(await t.chat.say(ask))).not.toMatch(/penukaran pelan sekarang|plan switch right now/);
  });

  test('ms: "nnt" is "nanti": going back to the old plan later is answered', async () => {
    const said = joined(await t.chat.say('kalau nnt sy x suka pelan baru, boleh balik ke pelan lama x?'));
    expect(said).toMatch(/pelan lama/i);
    expect(said).not.toMatch(/tidak pasti saya faham/);
  });

  test.each([
    ['en', 'my billing cycle starts on the 15th. I\'m moving from RM68 to RM128 on 3 Feb 2026, how much will the bill be?', 'eh bukan 68, 78. sorry', /Old plan: 19 days × 78\.00/],
    ['ms', 'kitaran bil sy mula 15hb. sy tukar dari RM68 ke RM128 pada 3 Feb 2026, berapa bil?', 'eh sorry, bukan 68, 78', /Pelan lama: 19 hari × 78\.00/],
  ] as const)('%s: "eh" in a correction keeps the conversation\'s language', async (_lang, bill, correct, corrected) => {
    await t.chat.say(bill);
    expect(joined(await t.chat.say(correct))).toMatch(corrected);
  });
});

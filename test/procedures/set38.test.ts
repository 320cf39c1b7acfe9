/**
 * What procedure set 38 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: a customer who answers the offer of a ticket by saying they will contact customer
 * service themselves ("ok nanti sy hubungi khidmat pelanggan. tq") is not given a ticket; "jap," or "hang on," before an
 * FAQ question in the middle of a bill does not hide the question; a cancel that names what it cancels with a cancel
 * phrase of two words ("never mind the ticket", "tak jadi la tiket tu") closes the ticket and the question after it is
 * answered; coming back to a plan later ("if I switch, can I come back to my Demo Postpaid 40 later?") after a verdict
 * is the FAQ on plans no longer offered, not a check of a switch to that plan. And (set 31) asked for a ticket's
 * reference, "ok then please open a new one: …" raises a new ticket about what it tells.
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 38', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'x boleh login guna ID lama, no IC sy 780625-08-5433', 'emel tu dah lama x guna, dah x aktif', 'ok nanti sy hubungi khidmat pelanggan. tq', /Anda boleh hubungi Khidmat Pelanggan/],
    ['en', "I can't log in with my old ID, my IC is 780625-08-5433", "that email is years old, it's not active any more", "ok I'll contact customer service myself, thanks", /You can contact Customer Service/],
  ] as const)('%s: saying they will contact customer service themselves declines the ticket offered', async (_lang, ask, inactive, self, declined) => {
    await t.chat.say(ask);
    expect(joined(await t.chat.say(inactive))).toMatch(/tiket|ticket/i);
    const said = joined(await t.chat.say(self));
    expect(said).toMatch(declined);
    expect(said).not.toMatch(/menghubungi anda|reach you/);
  });

  test.each([
    ['ms', 'tolong kira pro-rata, sy tukar dari pelan RM58 ke RM80', 'jap, formula dia mcm mana sebenarnya?', /hari/, /tidak faham/],
    ['en', 'please work out the pro-rata, I am switching from the RM58 plan to RM80', "hang on, what's the formula actually?", /days/, /did not understand|didn't understand/],
  ] as const)('%s: an FAQ question after "jap" / "hang on" in the middle of a bill is answered', async (_lang, ask, question, formula, notUnderstood) => {
    await t.chat.say(ask);
    const said = joined(await t.chat.say(question));
    expect(said).toMatch(formula);
    expect(said).not.toMatch(notUnderstood);
  });

  test.each([
    ['en', "open a ticket pls, eBiz won't let me buy data", 'hmm actually never mind the ticket. can I just buy restricted data online?', /apply online/],
    ['ms', 'nak buat aduan, eBiz x bagi sy beli data', 'hmm tak jadi la tiket tu. boleh ke beli data terhad secara online?', /membuat permohonan dalam talian/],
  ] as const)('%s: "never mind the ticket" closes it and the question after it is answered', async (_lang, ask, cancel, answer) => {
    await t.chat.say(ask);
    const said = joined(await t.chat.say(cancel));
    expect(said).toMatch(answer);
    expect(said).not.toMatch(/reach you|menghubungi anda/);
  });

  test.each([
    ['en', 'can I change my plan?', 'to a bigger postpaid plan', 'if I switch, can I come back to my Demo Postpaid 40 later?', /cannot subscribe to your old plan again/],
    ['ms', 'boleh sy tukar pelan?', 'ke pelan postpaid yg lebih besar', 'kalau sy tukar, boleh ke patah balik ke Demo Postpaid 40 nanti?', /tidak boleh melanggan semula pelan lama/],
  ] as const)('%s: coming back to the old plan later is the FAQ, not a check of a switch to it', async (_lang, ask, which, back, faq) => {
    onWhatsApp(t.chat, '+60121000006');
    await t.chat.say(ask);
    expect(joined(await t.chat.say(which))).toMatch(/Digi Postpaid 58, Digi Postpaid 80/);
    const said = joined(await t.chat.say(back));
    expect(said).toMatch(faq);
    expect(said).not.toMatch(/1 condition|1 syarat/);
  });

  test.each([
    ['en', "hi, I raised a complaint last week about a digital data download, any update? I don't remember the ticket number", 'ok then please open a new one: I paid for digital map data on eBiz but the download link never arrived', /Description: I paid for digital map data on eBiz but the download link never arrived/],
    ['ms', 'minggu lepas sy ada buat aduan pasal muat turun data, dah ada update ke? sy x ingat nombor tiket', 'takpe, tolong buat aduan baru: sy dah bayar data peta digital tapi pautan muat turun x sampai', /Penerangan: sy dah bayar data peta digital tapi pautan muat turun x sampai/],
  ] as const)('%s: asked for a reference, a request for a new ticket raises one', async (_lang, ask, request, description) => {
    expect(joined(await t.chat.say(ask))).toMatch(/TKT-/);
    const said = joined(await t.chat.say(request));
    expect(said).not.toMatch(/not a ticket reference|bukan rujukan tiket/i);
    await t.chat.say('ali@example.com');
    expect(joined(await t.chat.say('ali@example.com'))).toMatch(description);
  });
});

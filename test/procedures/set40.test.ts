/**
 * What procedure set 40 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: a "what if" in the last sentence after a reaction to the verdict ("wah cannot ah. ok then
 * what if postpaid instead?") checks the same line again; a language named as fine after all ("actually English is fine,
 * sorry. will I lose …?") switches back and the question after it is answered, also right after a verdict; a question
 * about what would happen, asked at the e-mail confirmation ("kalau emel lama tu dah x aktif mcm mana?"), is answered and
 * the confirmation asked again, and the yes that follows sends the link; a request for a bill followed by a sentence
 * that gives one of its values ("I need a pro-rata bill. old fee RM58") starts the bill with it, not the formula; right
 * after a bill, "tu la, bil sy RM138. ni mesti silap. nak buat aduan, emel sy …" raises a ticket (the clause worded as a
 * request is read first), not the bill again with RM138.
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 40', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['en', 'can I switch to another prepaid plan?', 'wah cannot ah. ok then what if postpaid instead?', /can make the Prepaid to Postpaid switch/],
    ['ms', 'boleh sy tukar ke pelan prepaid lain?', 'alamak x boleh. ok kalau postpaid pulak?', /layak untuk penukaran Prepaid kepada Postpaid/],
  ] as const)('%s: a "what if" after a reaction to the verdict checks the same line again', async (_lang, ask, whatIf, verdict) => {
    onWhatsApp(t.chat, '+60131000002');
    expect(joined(await t.chat.say(ask))).toMatch(/RM10|10\.00/);
    expect(joined(await t.chat.say(whatIf))).toMatch(verdict);
  });

  test.each([
    ['en', 'can I change my plan?', 'to another prepaid plan', 'BM boleh?', 'actually English is fine, sorry. will I lose my internet quota and freebies if I switch?', /I'll reply in English[\s\S]*Use or redeem/],
    ['ms', 'boleh sy tukar pelan?', 'ke pelan prepaid lain', 'in English please', 'sebenarnya BM pun ok, maaf. kuota internet dan freebies hangus ke kalau sy tukar?', /Bahasa Melayu[\s\S]*Guna atau tebus/],
  ] as const)('%s: switching back after a verdict answers the question that follows', async (_lang, ask, which, other, back, answer) => {
    onWhatsApp(t.chat, '+60131000001');
    await t.chat.say(ask);
    await t.chat.say(which);
    await t.chat.say(other);
    expect(joined(await t.chat.say(back))).toMatch(answer);
  });

  test.each([
    ['ms', 'sy x boleh login eBiz guna ID lama. IC sy 850312-14-5672', 'jap sebelum sy sahkan, kalau emel lama tu dah x aktif mcm mana?', 'ok emel tu masih aktif. ya betul, teruskan', /Sila hubungi Khidmat Pelanggan[\s\S]*Adakah emel ini masih aktif/, /pautan migrasi telah dihantar/],
    ['en', "I can't log in to eBiz with my old ID. IC 850312-14-5672", 'wait, before I confirm, what if that old email is no longer active?', "ok it's still active. yes that's my email, go ahead", /Customer Service[\s\S]*still active/, /a migration link has been sent/],
  ] as const)('%s: a question about what would happen at the e-mail confirmation is answered, then asked again', async (_lang, ask, question, yes, answered, sent) => {
    expect(joined(await t.chat.say(ask))).toMatch(/a••••@e••••\.com/);
    const said = joined(await t.chat.say(question));
    expect(said).toMatch(answered);
    expect(said).not.toMatch(/tiket|ticket/i);
    expect(joined(await t.chat.say(yes))).toMatch(sent);
  });

  test.each([
    ['en', 'I need a pro-rata bill. old fee RM58', /monthly fee of your new plan/],
    ['ms', 'sy perlukan bil prorata. yuran pelan lama RM58', /yuran bulanan pelan baru/],
  ] as const)('%s: a request for a bill and a sentence of its values starts the bill with them', async (_lang, ask, next) => {
    const said = joined(await t.chat.say(ask));
    expect(said).toMatch(next);
    expect(said).not.toMatch(/Subscription Period x Monthly Fee|Tempoh Masa Langganan x Yuran Bulanan/);
  });

  test.each([
    ['ms', 'kira pro-rata: tukar dari pelan RM58 ke RM80 pada 11 April 2026, kitaran bil mula 1 April 2026', 'tu la, bil sy RM138. ni mesti silap. nak buat aduan, emel sy zul.azmi@example.com', /buat tiket/],
    ['en', 'calculate the pro-rata: RM58 to RM80 on 11 April 2026, billing cycle starts 1 April 2026', "that's it, my bill was RM138. must be wrong. I want to make a complaint, my email is zul.azmi@example.com", /raise a ticket|Description:/],
  ] as const)('%s: right after a bill, a complaint asked for in a clause raises a ticket, not the bill again', async (_lang, bill, complaint, ticket) => {
    expect(joined(await t.chat.say(bill))).toMatch(/72\.66/);
    const said = joined(await t.chat.say(complaint));
    expect(said).toMatch(ticket);
    expect(said).not.toMatch(/138\.00 \//);
  });
});

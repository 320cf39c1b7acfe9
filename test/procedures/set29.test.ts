/**
 * What blind procedure sets 28, 29 and 31 found, through the whole bot turn by turn, in Malay and English: a number
 * given as the customer's contact ("you can reach me on this number, …", "Contact me at …") where a ticket asks is the
 * contact, no line to check; a clause that gives a reason ("that's why I need to switch") or says what the customer
 * lacks ("I don't have the number") asks for nothing; a ticket asked for at the end of a story ("…, can raise a
 * ticket?") is about that story; "ok setuju" is no description; a question answered aside a finished check is the
 * context of the next turn (a contact given then files a ticket about it), and the same answer asked for again with a
 * contact takes up the ticket it offers; "no need for a ticket" takes up no offer; right after a bill, a line check asked
 * for with its values is the check; a
 * question announced ("sementara tunggu kod tu nak tanya, …") is answered while a code is awaited; a plan's name said
 * after its fee is that plan.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind sets 28, 29 and 31', () => {
  const t = chatWithStaffOnDuty();
  const tickets = () => t.chat.runtime.database.db.selectFrom('tickets').selectAll().execute();

  test.each([
    ['en', 'Hi there, I want to file a complaint about my bill. It shows RM45.20 outstanding but I paid last month via online banking', 'you can reach me on this number, 012-100 0002', 'Please check your ticket'],
    ['ms', 'Sy nak buat aduan pasal bil. Bil tunjuk tertunggak RM45.20 tapi sy dah bayar bulan lepas guna perbankan online', 'boleh hubungi sy di nombor ni, 012-100 0002', 'Sila semak tiket anda'],
  ] as const)('%s: a number given as a contact where the ticket asks for one is the contact, no line to check', async (_lang, complaint, contact, summary) => {
    await t.chat.say(complaint);
    const reply = joined(await t.chat.say(contact));
    expect(reply).toContain(summary);
    expect(reply).toMatch(/\+6012•••••02/);
    await t.sms.settle();
    expect(t.sms.sent).toEqual([]);
  });

  test.each([
    ['en', 'My line 012-100 0005 is under contract. Can I switch to prepaid?', 'RM300 penalty is too much la. I want to appeal the contract penalty, can raise a ticket?', "I'm moving overseas for work, that's why I need to switch. Contact me at 012-100 0005", 'yes I agree', 'appeal the contract penalty'],
    ['ms', 'Line sy 012-100 0005 masih kontrak. Boleh tukar ke prabayar?', 'Penalti RM300 tu mahal sangat la. Sy nak rayu supaya penalti kontrak tu dikecualikan, boleh buat aduan?', 'Sy nak pindah kerja ke luar negara, sebab tu la sy nak tukar. Hubungi sy di 012-100 0005', 'ya setuju', 'penalti kontrak tu dikecualikan'],
  ] as const)('%s: a ticket asked for after the story is about it; a reason with a contact is no new check', async (_lang, check, appeal, reason, agree, told) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    const asked = joined(await t.chat.say(appeal));
    // the story is the description: the contact is asked, not what the request is about
    expect(asked).toMatch(/reach you|menghubungi anda/);
    const summary = joined(await t.chat.say(reason));
    expect(summary).toContain(told);
    expect(summary).not.toMatch(/Which line|Nombor talian mana|code has been sent|kod 6 digit/);
    await t.chat.say(agree);
    const [ticket] = await tickets();
    expect(ticket!.category).toBe('plan-switch');
    expect(ticket!.description).toContain(told);
    expect(ticket!.description).not.toMatch(/Contact me at|Hubungi sy di/);
  });

  test.each([
    ['ms', 'line postpaid sy 012-100 0005 nak tukar ke prepaid, boleh?', 'RM300 penalti?? mahal giler. tolong waive penalti tu boleh?', 'hubungi sy di 0121000005', 'ok setuju', 'tolong waive penalti tu'],
    ['en', 'can my postpaid line 012-100 0005 switch to prepaid?', 'RM300 penalty?? so expensive. could you waive that penalty?', 'call me at 0121000005', 'ok agree', 'could you waive that penalty'],
  ] as const)('%s: a question answered aside a finished check, then only a contact: a ticket about that question', async (_lang, check, waive, contact, agree, told) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    await t.chat.say(waive);
    const summary = joined(await t.chat.say(contact));
    expect(summary).toContain(told);
    expect(summary).not.toContain('__money__');
    await t.chat.say(agree);
    const [ticket] = await tickets();
    expect(ticket!.category).toBe('plan-switch');
    expect(ticket!.description).toContain('RM300');
  });

  test.each([
    ['ms', 'talian 012-1000005 nak tukar ke prepaid', 'boleh x kecualikan penalti RM300 tu?', 'sy dah guna Digi 10 tahun, kontrak tinggal 2 bulan je. emel sy rajesh.kumar@example.org', 'Sila semak tiket anda'],
    ['en', 'can line 012-100 0005 switch to prepaid?', 'can you waive the RM300 penalty?', "I've been with Digi 10 years and only 2 months of the contract are left. my email is rajesh.kumar@example.org", 'Please check your ticket'],
  ] as const)('%s: the same answer asked again with a contact takes up the ticket it offers', async (_lang, check, waive, more, summary) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    await t.chat.say(waive);
    expect(joined(await t.chat.say(more))).toContain(summary);
  });

  test.each([
    ['en', 'work out my pro-rata bill: RM80 to RM128, switch on 3 Nov 2026, billing period starts 1 Nov 2026', 'now can you check if my line 012 100 0001 can actually switch to the other postpaid plan?', 'code has been sent'],
    ['ms', 'kira bil pro-rata: RM80 ke RM128, tukar 3 Nov 2026, kitaran bil mula 1 Nov 2026', 'skrg boleh semak tak line sy 012 100 0001 boleh tukar ke pelan postpaid lain?', 'kod 6 digit telah dihantar'],
  ] as const)('%s: right after a bill, a line check asked for with its values is the check, not the bill again', async (_lang, bill, check, codeSent) => {
    // 1 - 30 Nov 2026 (30 days): 2 x 80 / 30 = 5.33, 28 x 128 / 30 = 119.47 = RM124.80
    expect(joined(await t.chat.say(bill))).toContain('RM124.80');
    expect(joined(await t.chat.say(check))).toContain(codeSent);
  });

  test.each([
    ['ms', 'Saya nak buat aduan', 'pasal pembelian eBiz. Sy beli data digital semalam, duit dah tolak tapi fail tu tak boleh muat turun', 'eh sebelum tu, nak semak jap line sy 013-1000001 boleh tukar dari prepaid ke postpaid?', 'ok sambung aduan tadi. hubungi sy di 012-100 0001', 'Pembelian dan bayaran eBiz', 'Sy beli data digital semalam'],
    ['en', 'I want to make a complaint', 'about an eBiz purchase. I paid for digital data yesterday but the file never downloads', 'wait, first can you check if my line 013-1000001 can switch from prepaid to postpaid?', 'ok back to my complaint. call me at 012-100 0001', 'eBiz purchases and payments', 'I paid for digital data yesterday'],
  ] as const)('%s: a ticket set aside for a line check is taken back up with what it had been told', async (_lang, request, told, check, back, category, description) => {
    await t.chat.say(request);
    await t.chat.say(told);
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    const summary = joined(await t.chat.say(back));
    expect(summary).toContain(category);
    expect(summary).toContain(description);
  });

  test.each([
    ['ms', 'nak buat aduan', 'bil', /terangkan masalah anda/, 'ok setuju', /terlalu pendek/],
    ['en', 'I want to make a complaint', 'billing', /describe the problem/, 'ok agree', /too short/],
  ] as const)('%s: a yes typed where the description is asked is no description', async (_lang, request, category, askDescription, yes, tooShort) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(category))).toMatch(askDescription);
    expect(joined(await t.chat.say(yes))).toMatch(tooShort);
  });

  test.each([
    ['en', 'Hi, can line 012-100 0005 switch to another postpaid plan?', 'hmm so I will be charged a penalty if I switch while still in contract?', "no need for a ticket, I'll just wait until my contract ends. thanks"],
    ['ms', 'line 012-100 0005 boleh tukar ke pelan postpaid lain?', 'hmm jadi sy kena penalti ke kalau tukar masa masih kontrak?', 'x payah buat aduan, sy tunggu kontrak habis je. terima kasih'],
  ] as const)('%s: "no need for a ticket" after an answer that offers one takes up no offer', async (_lang, check, question, noNeed) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    await t.chat.say(question);
    const reply = joined(await t.chat.say(noNeed));
    expect(reply).not.toMatch(/raise a ticket so customer service|buat tiket supaya Khidmat Pelanggan/);
  });

  test.each([
    ['ms', 'boleh ke sy tukar pelan? line 0121000001, skrg postpaid nak tukar ke prepaid', 'sementara tunggu kod sms tu nak tanya, freebies dgn kuota internet yg ada skrg hilang ke kalau sy tukar?', 'dilupuskan'],
    ['en', 'can line 0121000001 switch from postpaid to prepaid?', 'while waiting for the code, quick question: will I lose my freebies and internet quota if I switch?', 'forfeited'],
  ] as const)('%s: a question announced while the code is awaited is answered, and the code asked again', async (_lang, check, question, answer) => {
    await t.chat.say(check);
    const reply = joined(await t.chat.say(question));
    expect(reply).toContain(answer);
    expect(reply).not.toMatch(/The code has 6 digits|Kod mempunyai 6 digit/);
  });

  test.each([
    ['en', "quick question, if I'm not Malaysian what do I need to bring to the counter to register?", 'passport'],
    ['ms', 'nak tanya sikit, kalau sy bukan warga malaysia, dokumen apa perlu bawa ke kaunter untuk daftar?', 'pasport'],
  ] as const)('%s: a customer who is not Malaysian asking what to bring to the counter is answered', async (_lang, question, answer) => {
    expect(joined(await t.chat.say(question)).toLowerCase()).toContain(answer);
  });

  test.each([
    ['en', 'hi how much will my bill be if I switch from my RM58 plan (Digi Postpaid 58) to the RM80 one on 20 Jan 2026? my billing cycle starts on the 15th', 'RM76.45'],
    ['en', 'how much will I pay if I go from the 48 plan to the 68 one? cycle starts 1 Feb 2026, switching on 10 Feb 2026', 'RM61.57'],
    ['ms', 'berapa bil kalau sy tukar dari pelan RM58 (Digi Postpaid 58) ke pelan RM80 pada 20 Jan 2026? kitaran bil mula 15hb', 'RM76.45'],
  ] as const)('%s: a plan named after its fee, and "the 48 plan to the 68 one", are the bill\'s fees', async (_lang, request, total) => {
    // 15 Jan - 14 Feb 2026 (31 days): 5 x 58 / 31 = 9.35, 26 x 80 / 31 = 67.10 = RM76.45
    // 1 - 28 Feb 2026 (28 days): 9 x 48 / 28 = 15.43, 19 x 68 / 28 = 46.14 = RM61.57
    expect(joined(await t.chat.say(request))).toContain(total);
  });
});

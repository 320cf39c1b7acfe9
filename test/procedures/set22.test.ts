/**
 * What blind procedure sets 21, 22 and 23 found, through the whole bot turn by turn, in Malay and English: a switch date
 * without its year right after a bill is the billing period's day ("what if I switch on 10 Mar?" after a bill for
 * 15 February – 14 March 2027); a value said not to be meant right after the bill corrects it; a code at the end of a
 * sentence is the code; a request for a ticket, then the story, is a ticket, not a bill; "from 29.90 plan to 49.90
 * plan" gives both fees; a cancel with a question while a value is asked answers it even when the question names a
 * value; a code beside a correction is read; a category named as such replaces the one inferred, and is no name.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind sets 21, 22 and 23', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    // 15 Feb - 14 Mar 2027 (28 days): 23 days x 68 / 28 = 55.86, 5 days x 98 / 28 = 17.50
    ['en', 'pro rata pls. old RM 68 new RM 98. switch on 2 March 2027. cycle starts 15 Feb 2027', 'what if I switch on 10 Mar?', 'RM73.36'],
    ['ms', 'kira pro-rata: pelan lama RM68, baru RM98, tukar 2 Mac 2027, kitaran bil mula 15 Feb 2027', 'kalau tukar 10 Mac pulak?', 'RM73.36'],
  ] as const)('%s: a switch date without its year after a bill is in the billing period', async (_lang, request, whatIf, total) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(whatIf))).toContain(total);
  });

  test.each([
    // 1-31 Jan 2027: 10 days x 58 / 31 = 18.71, 21 days x 98 / 31 = 66.39
    ['ms', 'kira pro-rata pelan lama RM58, baru RM80, tukar 11 Januari 2027, kitaran bil mula 1 Januari 2027', 'eh bukan 80, 98. sorry salah tengok brosur', 'RM85.10'],
    ['en', 'pro-rata please: old plan RM58, new RM80, switch on 11 January 2027, billing cycle starts 1 January 2027', 'oh no, not 80, 98. misread the brochure', 'RM85.10'],
  ] as const)('%s: a value said not to be meant right after the bill corrects it', async (_lang, request, correction, total) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['ms', 'talian prabayar saya 013-100 0001 boleh tukar ke pelan prabayar lain tak?', (code: string) => `Kod yang saya terima ialah ${code}. Terima kasih.`, '✓ Talian'],
    ['en', 'can my prepaid line 013-100 0001 switch to another prepaid plan?', (code: string) => `The code I got is ${code}. Thanks.`, '✓ Line'],
  ] as const)('%s: a code at the end of a sentence is the code', async (_lang, check, withCode, verdict) => {
    await t.chat.say(check);
    expect(joined(await t.chat.say(withCode(await t.sms.nextCode())))).toContain(verdict);
  });

  test.each([
    ['en', 'Need to lodge a complaint re billing. Our company line was charged the full RM80 plus the old RM58 after a plan switch in Oct, should have been pro-rated. Contact: finance@tekmaju.com.my', 'ticket'],
    ['ms', 'Nak buat aduan pasal bil. Talian syarikat kami dicaj penuh RM80 dan juga RM58 pelan lama lepas tukar pelan bulan Okt, sepatutnya pro-rata. Hubungi: finance@tekmaju.com.my', 'tiket'],
  ] as const)('%s: a request for a ticket, then the story with amounts, is a ticket', async (_lang, request, ticket) => {
    const reply = joined(await t.chat.say(request));
    expect(reply.toLowerCase()).toContain(ticket);
    expect(reply).not.toMatch(/billing period start|tempoh bil anda bermula/i);
  });

  test.each([
    // 1-31 Mar 2026: 19 days x 58 / 31 = 35.55, 12 days x 98 / 31 = 37.94
    ['ms', 'nak kira bil pro-rata', 'pelan lama RM58', 'pelan baru RM80.. eh bukan 80, 98', 'tarikh tukar 20hb Mac 2026', 'kitaran bil mula 1hb Mac', 'RM73.49'],
    ['en', 'work out my pro-rata bill', 'old plan RM58', 'new plan RM80.. oh no, not 80, 98', 'switch date 20 March 2026', 'billing cycle starts on the 1st of March', 'RM73.49'],
  ] as const)('%s: a value given and said not to be meant in one message is replaced', async (_lang, request, oldFee, newFee, date, period, total) => {
    for (const turn of [request, oldFee, newFee, date]) await t.chat.say(turn);
    expect(joined(await t.chat.say(period))).toContain(total);
  });

  test.each([
    // 15 Jan - 14 Feb 2026 (31 days): 17 days x 58 / 31 = 31.81, 14 days x 80 / 31 = 36.13
    ['en', "hey, my billing cycle starts on the 15th. I'm switching from RM58 to RM80 on 1 Feb 2026, how much will my bill be?", 'RM67.94'],
    ['ms', 'kitaran bil sy mula 15hb. sy tukar dari RM58 ke RM80 pada 1 Feb 2026, berapa bil pro-rata?', 'RM67.94'],
  ] as const)('%s: a cycle day and a dated switch in one message give the period holding the switch', async (_lang, request, total) => {
    expect(joined(await t.chat.say(request))).toContain(total);
  });

  test.each([
    // 15 May - 14 Jun 2026 (31 days): 5 days x 40 / 31 = 6.45, 26 days x 58 / 31 = 48.65
    ['en', 'calc my prorata bill', 'from RM40 plan to RM58', 'switch date 20 May 2026', 'my billing cycle starts on the 15th of every month', 'RM55.10'],
    ['ms', 'kira bil prorata sy', 'dari pelan RM40 ke RM58', 'tarikh tukar 20 Mei 2026', 'kitaran bil sy mula 15hb setiap bulan', 'RM55.10'],
  ] as const)('%s: a billing cycle given by its day is the period holding the switch date', async (_lang, request, fees, date, cycle, total) => {
    for (const turn of [request, fees, date]) await t.chat.say(turn);
    expect(joined(await t.chat.say(cycle))).toContain(total);
  });

  test.each([
    // 1-28 Feb 2027: 14 days x 29.90 / 28 = 14.95, 14 days x 59.90 / 28 = 29.95
    ['en', 'hi calculate pro-rata pls. from 29.90 plan to 49.90 plan, switching 15 Feb 2027, cycle starts 1 Feb 2027', 'oops the new plan is 59.90 not 49.90', 'RM44.90'],
    ['ms', 'tolong kira pro-rata. dari 29.90 pelan ke 49.90 pelan, tukar 15 Feb 2027, kitaran mula 1 Feb 2027', 'alamak pelan baru 59.90 bukan 49.90', 'RM44.90'],
  ] as const)('%s: "from 29.90 plan to 49.90 plan" gives both fees', async (_lang, request, correction, total) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['en', 'calc pro-rata', '58 to 80', 'cancel, nvm. where can I switch from postpaid to prepaid actually? can do in the app?', 'billing period', 'according to the guide'],
    ['ms', 'kira pro-rata', '58 ke 80', 'batal, tak jadi. tukar postpaid ke prepaid ni boleh buat kat mana sebenarnya? boleh guna app?', 'tempoh bil', 'menurut panduan'],
  ] as const)('%s: a cancel with a question while a value is asked closes and answers', async (_lang, request, fees, cancel, asked, answer) => {
    await t.chat.say(request);
    await t.chat.say(fees);
    const reply = joined(await t.chat.say(cancel));
    expect(reply.toLowerCase()).not.toContain(asked);
    expect(reply.toLowerCase()).toContain(answer);
  });

  test.each([
    ['ms', 'nak tukar line 013-100 0002 ke postpaid, layak x?', (code: string) => `eh sori, sy nak tukar ke pelan prepaid lain la bkn postpaid. kod: ${code}`, '✗ Talian'],
    ['en', 'can line 013-100 0002 switch to postpaid?', (code: string) => `sorry, I meant another prepaid plan, not postpaid. code: ${code}`, '✗ Line'],
  ] as const)('%s: a code beside a correction is read', async (_lang, check, correction, verdict) => {
    await t.chat.say(check);
    expect(joined(await t.chat.say(correction(await t.sms.nextCode())))).toContain(verdict);
    expect(t.sms.sent).toHaveLength(1);
  });

  test.each([
    ['en', 'how much is the iPhone 16 at Digi Store ah? got instalment plan?', 'ok can you open a ticket for that then', 'category other, email me at ben.tan@example.com', 'Something else', 'Name: (not given)'],
    ['ms', 'harga iPhone 16 kat Digi Store berapa? ada pelan ansuran?', 'ok boleh buka tiket untuk tu', 'kategori lain-lain, emel sy ben.tan@example.com', 'Lain-lain', 'Nama: (tidak diberi)'],
  ] as const)('%s: a category named as such replaces the one inferred and is no name', async (_lang, question, ticket, contact, category, name) => {
    await t.chat.say(question);
    await t.chat.say(ticket);
    const summary = joined(await t.chat.say(contact));
    expect(summary).toContain(category);
    expect(summary).toContain(name);
  });
});

/**
 * What blind procedure sets 24 and 25 found, through the whole bot turn by turn, in Malay and English: a request for a person
 * followed by its subject ("I need to speak to a staff member about …") is a request for a person; a ticket hearing
 * the customer's account with the contact takes the account, even when it names a pro-rata amount, and adds it to the
 * description; "hold on, let me check my old bill" after a bill is waited for, and the correction after it is read;
 * "kena pi mana nak tukar?" asks where to switch; a procedure set aside for another midway starts again from the values it
 * had; a contact given where the ticket's consent is asked is added ("no tel sy …" is no refusal); a question turned to
 * aside where the description is asked is answered and the description asked again; "can you just help me migrate it
 * instead?" in a ticket is the migration.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind sets 24 and 25', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['en', 'I need to speak to a staff member about changing my company representative on eBiz', 'in the queue'],
    ['ms', 'sy nak bercakap dgn pegawai pasal tukar wakil syarikat dalam akaun eBiz kami yang lama', 'dalam giliran'],
  ] as const)('%s: a request for a person followed by its subject queues', async (_lang, request, queued) => {
    expect(joined(await t.chat.say(request))).toContain(queued);
  });

  test.each([
    [
      'en',
      'pro-rata: RM58 to RM80, switched on 6 Jan 2026, cycle starts 1 Jan 2026',
      'hmm my actual bill shows way more than that. I want to file a complaint',
      'my January bill charged the full RM58 plus the full RM80, pro-rata should be around RM76. email tan.weiming@example.com.my',
      'Please check your ticket',
    ],
    [
      'ms',
      'kira prorata: RM58 ke RM80, tukar 6 Jan 2026, kitaran mula 1 Jan 2026',
      'hmm bil sebenar sy jauh lebih tinggi dari tu. sy nak buat aduan',
      'bil Januari sy caj penuh RM58 dan penuh RM80, prorata sepatutnya lebih kurang RM76. emel tan.weiming@example.com.my',
      'Sila semak tiket anda',
    ],
  ] as const)('%s: the account told with the contact stays in the ticket and is added to its description', async (_lang, bill, complaint, account, summary) => {
    await t.chat.say(bill);
    await t.chat.say(complaint);
    const reply = joined(await t.chat.say(account));
    expect(reply).toContain(summary);
    expect(reply).toContain('RM76');
    expect(reply).not.toContain('tan.weiming@');
  });

  test.each([
    // 15 May - 14 Jun 2026 (31 days): 5 days x 40 / 31 = 6.45, 26 days x 80 / 31 = 67.10
    ['en', "my billing cycle starts on the 15th. switching from RM40 to RM58 on 20 May 2026, what's the pro-rata?", 'hold on, let me check my old bill', 'take your time', 'ok sorry, not 58, 80', 'RM73.55'],
    ['ms', 'kitaran bil sy mula 15hb. tukar dari RM40 ke RM58 pada 20 Mei 2026, berapa prorata?', 'kejap, biar sy tengok bil lama', 'Saya tunggu', 'ok maaf, bukan 58, 80', 'RM73.55'],
  ] as const)('%s: "hold on, let me check" after a bill is waited for; the correction after it is read', async (_lang, bill, holdOn, wait, correction, total) => {
    await t.chat.say(bill);
    expect(joined(await t.chat.say(holdOn))).toContain(wait);
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['ms', 'ok tq. kena pi mana nak tukar tu?', 'di tempat tertentu'],
    ['ms', 'nak g mana utk tukar plan', 'di tempat tertentu'],
  ] as const)('%s: "kena pi mana nak tukar" asks where to switch', async (_lang, question, answer) => {
    expect(joined(await t.chat.say(question))).toContain(answer);
  });

  test.each([
    [
      'en',
      'can my line 012-100 0001 switch to Postpaid 80?',
      'actually first, how much would my bill be? from 58 to 80, switching 16 April 2026, my cycle starts 1 April 2026',
      'ok thanks. now the line check pls, 012-100 0001',
      '✓ Line +6012•••••01 can make the Postpaid to Postpaid switch to Digi Postpaid 80',
    ],
    [
      'ms',
      'line sy 012-100 0001 boleh tukar ke Postpaid 80?',
      'eh jap, kira dulu bil sy. dari 58 ke 80, tukar 16 April 2026, kitaran bil mula 1 April 2026',
      'ok tq. skrg semak line tadi, 012-100 0001',
      '✓ Talian +6012•••••01 layak untuk penukaran Postpaid kepada Postpaid ke Digi Postpaid 80',
    ],
  ] as const)('%s: a check set aside for a bill midway starts again from the switch it was asked for', async (_lang, check, bill, again, verdict) => {
    await t.chat.say(check);
    expect(joined(await t.chat.say(bill))).toContain('RM69.00');
    await t.chat.say(again);
    expect(joined(await t.chat.say(await t.sms.nextCode()))).toContain(verdict);
  });

  test.each([
    ['ms', 'nak buat aduan pasal bil', 'bil bulan ni caj dua kali yuran bulanan, tolong semak', 'ali.rahman@example.com', 'no tel sy 013-5567788', 'Sila semak tiket anda', '013'],
    ['en', 'I want to make a complaint about my bill', 'my bill this month charged the monthly fee twice, please check', 'ali.rahman@example.com', 'also my phone no 013-5567788', 'Please check your ticket', '013'],
  ] as const)('%s: a contact given where the consent is asked is added, not read as a refusal', async (_lang, request, description, email, phone, summary, shown) => {
    for (const turn of [request, description]) await t.chat.say(turn);
    expect(joined(await t.chat.say(email))).toContain(summary);
    const again = joined(await t.chat.say(phone));
    expect(again).toContain(summary);
    expect(again).toContain(shown);
    expect(again).toContain('a••••@e••••.com');
  });

  test.each([
    ['en', 'open a support ticket pls', "it's about an eBiz purchase", 'wait, can restricted data even be bought online?', 'You must first apply online', 'describe the problem'],
    ['ms', 'tolong buka tiket aduan', 'pasal pembelian eBiz', 'jap, data terhad boleh beli online ke?', 'Anda perlu membuat permohonan dalam talian', 'terangkan masalah'],
  ] as const)('%s: a question turned to aside where the description is asked is answered, and the description asked again', async (_lang, request, category, question, answer, asked) => {
    await t.chat.say(request);
    await t.chat.say(category);
    const reply = joined(await t.chat.say(question));
    expect(reply).toContain(answer);
    expect(reply).toContain(asked);
  });

  test.each([
    ['en', 'I want to file a complaint', "it's about eBiz, I can't log in with my old ID", 'oh wait, can you just help me migrate it instead? no need for a complaint. my IC is 850312-14-5672', 'a••••@e••••.com'],
    ['ms', 'sy nak buat aduan', 'pasal eBiz, x boleh login guna ID lama', 'eh jap, boleh tolong migrate kan je? x payah aduan. IC sy 850312-14-5672', 'a••••@e••••.com'],
  ] as const)('%s: a request to migrate instead, in a ticket, is the migration', async (_lang, request, topic, instead, masked) => {
    await t.chat.say(request);
    await t.chat.say(topic);
    expect(joined(await t.chat.say(instead))).toContain(masked);
  });

  test.each([
    ['ms', 'sy nak buat aduan: wakil syarikat kami dalam akaun eBiz perlu ditukar sebab dia dah berhenti', 'wakil lama dah berhenti kerja. emel sy aminah.abdullah@example.com', 'Nama: (tidak diberi)'],
    ['en', 'I want to complain: our company representative on eBiz must be changed, he resigned last month', 'the old rep left the company. my email aminah.abdullah@example.com', 'Name: (not given)'],
    ['en', 'I want to complain: our company representative on eBiz must be changed, he resigned last month', 'Dr. Tan Wei Ming, tan.weiming@example.com.my', 'Dr. Tan Wei Ming'],
  ] as const)('%s: a sentence beside the contact is no name; a name written as one is', async (_lang, request, contact, name) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(contact))).toContain(name);
  });

  test.each([
    ['en', 'need to calculate pro-rata: from RM80 to RM128, switch date 16 Nov 2026', 'billing cycle first day... hold on let me check my old bill', 'take your time', 'ok found it, cycle starts 10 Nov 2026', 'RM118.40'],
    ['ms', 'nak kira prorata: dari RM80 ke RM128, tarikh tukar 16 Nov 2026', 'hari pertama kitaran bil... kejap, biar sy tengok bil lama', 'Saya tunggu', 'ok jumpa, kitaran mula 10 Nov 2026', 'RM118.40'],
  ] as const)('%s: a request to wait in a later clause, while a value is asked, is waited for', async (_lang, request, wait, waited, value, total) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(wait))).toContain(waited);
    expect(joined(await t.chat.say(value))).toContain(total);
  });

  test.each([
    ['ms', 'nak migrate akaun eBiz lama', 'eh jap, sebenarnya nak tanya benda lain dulu. line sy 012-100 0004 boleh tukar pelan x?', 'ok faham. migrate akaun tu tak payah la dulu, nanti sy buat sendiri'],
    ['en', 'I want to migrate my old eBiz account', 'oh wait, first tell me: can my line 012-100 0004 switch plans?', 'ok I see. the migration, no need for now, I will do it myself later'],
  ] as const)('%s: a request taken back after its topic ("migrate akaun tu tak payah") starts nothing', async (_lang, migrate, check, takenBack) => {
    await t.chat.say(migrate);
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    const reply = joined(await t.chat.say(takenBack));
    expect(reply).not.toMatch(/MyKad|kad pengenalan|identity card/i);
  });

  test.each([
    ['en', 'I want to move my old eBiz login to the new system', 'rajesh.kumar@example.org', "wait, that mailbox was closed years ago, I can't receive anything there", 'take your time'],
    ['ms', 'sy nak pindahkan login eBiz lama ke sistem baru', 'rajesh.kumar@example.org', 'jap, emel tu dah lama ditutup, sy x boleh terima apa2 kat situ', 'Saya tunggu'],
  ] as const)('%s: an opening "wait, …" that tells something is no request to wait', async (_lang, request, email, closed, wait) => {
    await t.chat.say(request);
    await t.chat.say(email);
    expect(joined(await t.chat.say(closed))).not.toContain(wait);
  });
});

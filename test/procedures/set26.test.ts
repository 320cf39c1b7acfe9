/**
 * What blind procedure sets 26 and 27 found, through the whole bot turn by turn, in Malay and English: a language asked
 * for in a later sentence switches and the rest of the message is read; asked to explain "in Malay" right after an
 * answer, the answer is given again in it; "hang on, let me check my old bill" is waited for, not a ticket; a bill asked
 * for with its values right after a line's verdict is the bill; "bincang dgn staf" asks for a person; a ticket asked for
 * with its problem in the same message asks no category (the problem's words, or the question just answered, file it,
 * and a category's name typed later changes it); a request to do what an entry without an answer offers a ticket for
 * starts the ticket; a line check set aside while its code was awaited is taken up again by the code; a new description
 * given as such keeps the numbers in it; "nak tukar ke yg 58" names the new plan's fee; a question back where the old
 * account's e-mail is confirmed ("boleh guna emel lain tak?") is no yes; a request for what an answer just offered (the
 * penalty's waiver) is that ticket.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind sets 26 and 27', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'ok terima kasih. eh boleh jawab dalam BM? sy nak tahu, pertukaran pelan tu boleh buat kat mana?', 'Baik, saya akan menjawab dalam Bahasa Melayu', 'di tempat tertentu'],
    ['en', 'terima kasih. can you reply in English please? where can I do the plan switch?', "OK, I'll reply in English", 'can only be done at a specific place'],
  ] as const)('%s: a language asked for in a later sentence switches, and the rest of the message is answered in it', async (_lang, message, switched, answer) => {
    const reply = joined(await t.chat.say(message));
    expect(reply).toContain(switched);
    expect(reply).toContain(answer);
  });

  test.each([
    ['en', 'How do I upgrade my eBiz account to a main user?', 'could you explain that in Malay? my boss reads BM better', 'Baik, saya akan menjawab dalam Bahasa Melayu', 'dinaik taraf'],
    ['ms', 'macam mana nak naik taraf akaun eBiz jadi pengguna utama?', 'boleh terangkan in English? nak forward kat consultant', "OK, I'll reply in English", 'is upgraded'],
  ] as const)('%s: asked to explain in the other language right after an answer, the answer is given again in it', async (_lang, question, explain, switched, again) => {
    await t.chat.say(question);
    const reply = joined(await t.chat.say(explain));
    expect(reply).toContain(switched);
    expect(reply).toContain(again);
  });

  test.each([
    ['en', 'work out a pro-rata bill for me please', 'from RM40 to RM58, switching on 12 Aug 2026', 'hang on, let me look at my last bill for the cycle date', 'take your time', 'ok, the cycle starts on 1 Aug 2026', 'RM51.61'],
    ['ms', 'tolong kira bil prorata', 'dari RM40 ke RM58, tukar 12 Ogos 2026', 'kejap, biar sy check bil lepas utk tarikh kitaran', 'Saya tunggu', 'ok, kitaran mula 1 Ogos 2026', 'RM51.61'],
  ] as const)('%s: "hang on, let me check my last bill" while a bill waits is waited for, not a ticket', async (_lang, request, fees, holdOn, waited, cycle, total) => {
    // 1 - 31 Aug 2026 (31 days): 11 days x 40 / 31 = 14.19, 20 days x 58 / 31 = 37.42 = RM51.61
    await t.chat.say(request);
    await t.chat.say(fees);
    const reply = joined(await t.chat.say(holdOn));
    expect(reply).toContain(waited);
    expect(reply).not.toMatch(/ticket|tiket/i);
    expect(joined(await t.chat.say(cycle))).toContain(total);
  });

  test.each([
    ['en', 'can line 012-100 0001 move to a bigger postpaid plan?', 'great. so if I go from Postpaid 58 to Postpaid 80 on 21 May 2026 and my cycle starts 1 May 2026, how much is that bill?', 'RM65.81'],
    ['ms', 'line 012-100 0001 boleh tukar ke pelan postpaid lebih besar?', 'baik. kalau tukar dr Postpaid 58 ke Postpaid 80 pd 21hb Mei 2026, kitaran bil mula 1hb Mei 2026, berapa bil dia?', 'RM65.81'],
  ] as const)('%s: a bill asked for with its values right after a line verdict is the bill, not the check again', async (_lang, check, bill, total) => {
    // 1 - 31 May 2026 (31 days): 20 days x 58 / 31 = 37.42, 11 days x 80 / 31 = 28.39 = RM65.81
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(bill))).toContain(total);
  });

  test.each([
    ['ms', 'hmm sy rasa nak berbincang dengan staf dulu sebelum buat keputusan', 'dalam giliran'],
    ['en', "I'd rather discuss this with a staff member before deciding", 'in the queue'],
  ] as const)('%s: discussing with staff is a request for a person', async (_lang, message, queued) => {
    expect(joined(await t.chat.say(message))).toContain(queued);
  });

  test.each([
    ['en', 'I want to lodge a complaint, eBiz keeps signing me out', 'How can customer service reach you', 'ali.rahman@example.com', 'Category: eBiz account'],
    ['ms', 'sy nak buat aduan, eBiz asyik log keluar sendiri', 'Bagaimana Khidmat Pelanggan boleh menghubungi anda', 'ali.rahman@example.com', 'Kategori: Akaun eBiz'],
  ] as const)('%s: a ticket asked for with its problem asks no category: the problem files it', async (_lang, request, contactAsked, email, category) => {
    expect(joined(await t.chat.say(request))).toContain(contactAsked);
    expect(joined(await t.chat.say(email))).toContain(category);
  });

  test.each([
    ['en', 'how do I change the company representative on our eBiz account?', 'please raise a ticket. our old rep quit in June, the new one will be me. email ali.rahman@example.com', 'Category: eBiz account'],
    ['ms', 'macam mana nak tukar wakil syarikat dalam akaun eBiz?', 'tolong buatkan aduan. wakil lama kami dah berhenti bulan Jun, sy wakil baru. emel ali.rahman@example.com', 'Kategori: Akaun eBiz'],
  ] as const)('%s: a ticket asked for right after an answer is filed under that answer', async (_lang, question, request, category) => {
    await t.chat.say(question);
    expect(joined(await t.chat.say(request))).toContain(category);
  });

  test.each([
    ['en', 'I am trying to figure out whether normal users can get remit', 'I want to apply for remit for my firm then', 'How can customer service reach you'],
    ['ms', 'pengguna biasa pun boleh dapat remit ke?', 'ok sy nak mohon remit utk firma sy', 'Bagaimana Khidmat Pelanggan boleh menghubungi anda'],
  ] as const)('%s: a request to do what an entry without an answer offers a ticket for starts the ticket, about the question', async (_lang, question, request, asked) => {
    expect(joined(await t.chat.say(question))).toMatch(/ticket|tiket/i);
    expect(joined(await t.chat.say(request))).toContain(asked);
  });

  test.each([
    ['en', 'can 012-100 0001 switch to another postpaid plan?', 'no code yet. meanwhile, pro-rata please: RM58 to RM80, cycle starts 1 Jul 2026, switch 15 Jul 2026', 'ok got the code: ', '✓ Line +6012•••••01 can make the Postpaid to Postpaid switch'],
    ['ms', 'line 012-100 0001 boleh tukar ke pelan postpaid lain?', 'kod belum sampai. sementara tu kira prorata: RM58 ke RM80, kitaran mula 1 Julai 2026, tukar 15 Julai 2026', 'ok kod dah sampai: ', '✓ Talian +6012•••••01 layak untuk penukaran Postpaid kepada Postpaid'],
  ] as const)('%s: a line check set aside while its code was awaited is taken up again by the code', async (_lang, check, bill, codeSaid, verdict) => {
    await t.chat.say(check);
    const code = await t.sms.nextCode();
    expect(joined(await t.chat.say(bill))).toMatch(/RM\d+\.\d\d/);
    expect(joined(await t.chat.say(`${codeSaid}${code}`))).toContain(verdict);
  });

  test.each([
    ['en', 'I want to complain, my bill charged the monthly fee twice this month', 'ali.rahman@example.com', 'change the description to: the charge for line 0131000002 was doubled in July', 'line +6013'],
    ['ms', 'sy nak buat aduan, bil sy caj yuran bulanan dua kali bulan ni', 'ali.rahman@example.com', 'tukar penerangan kepada: caj untuk talian 0131000002 berganda bulan Julai', 'talian +6013'],
  ] as const)('%s: a new description given as such is the description, numbers and all', async (_lang, request, email, edit, kept) => {
    await t.chat.say(request);
    await t.chat.say(email);
    const reply = joined(await t.chat.say(edit));
    expect(reply).toContain(kept);
    expect(reply).not.toMatch(/monthly fee twice|dua kali/);
  });

  test.each([
    ['en', 'I want to complain, the JUPEM counter refused to sell me data', 'purchase', 'ali.rahman@example.com', 'Category: eBiz purchase'],
    ['ms', 'sy nak buat aduan, kaunter JUPEM tak nak jual data kat sy', 'pembelian', 'ali.rahman@example.com', 'Kategori: Pembelian'],
  ] as const)('%s: a category named alone where the contact is asked files the ticket under it', async (_lang, request, category, email, filed) => {
    await t.chat.say(request);
    await t.chat.say(category);
    expect(joined(await t.chat.say(email))).toContain(filed);
  });

  test.each([
    ['en', 'I want to make a complaint, the JUPEM counter would not take my form', 'eBiz purchase', 'ali.rahman@example.com', 'Category: eBiz purchase', 'Name: (not given)'],
    ['ms', 'sy nak buat aduan, kaunter JUPEM tak terima borang sy', 'pembelian eBiz', 'ali.rahman@example.com', 'Kategori: Pembelian', 'Nama: (tidak diberi)'],
  ] as const)('%s: a category\'s words alone where the contact is asked are the category, not a name', async (_lang, request, category, email, filed, noName) => {
    await t.chat.say(request);
    await t.chat.say(category);
    const reply = joined(await t.chat.say(email));
    expect(reply).toContain(filed);
    expect(reply).toContain(noName);
  });

  test.each([
    ['en', 'I want to leave some feedback, the JUPEM counter in Kuching should open on Saturdays', "it's general feedback, not about an account or a purchase. email ali.rahman@example.com", 'Category: Something else'],
    ['ms', 'sy nak bagi maklum balas, kaunter JUPEM Kuching patut buka hari Sabtu', 'ni maklum balas umum, bukan pasal akaun atau pembelian. emel ali.rahman@example.com', 'Kategori: Lain-lain'],
  ] as const)('%s: topics set aside in a row ("not about an account or a purchase") file nothing under them', async (_lang, request, notTopic, filed) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(notTopic))).toContain(filed);
  });

  test.each([
    ['ms', 'line 012-100 0006 boleh tukar ke pelan postpaid lain x', 'jap, kalau sy tukar nanti pelan lama sy (Digi Postpaid 58) tu boleh amik balik x kalau x suka pelan baru?', 'Taip kod itu di sini', 'Kod mempunyai 6 digit'],
    ['en', 'can line 012-100 0006 switch to another postpaid plan', 'wait, if I switch now, can I get my old plan (Postpaid 58) back later if the new one is bad?', 'Type the code here', 'The code has 6 digits'],
  ] as const)('%s: a question aside while the code is awaited is answered or clarified, and the code asked for again', async (_lang, check, question, codeAsked, codeProblem) => {
    await t.chat.say(check);
    const reply = joined(await t.chat.say(question));
    expect(reply).toMatch(/old plan|pelan lama|Did you mean|maksudkan/);
    expect(reply).toContain(codeAsked);
    expect(reply).not.toContain(codeProblem);
  });

  test.each([
    ['en', 'I need to migrate several staff eBiz accounts from the old system', 'first one: Rajesh, IC 780625-08-5433', "hold on - he's actually left the company. cancel that one", 'cancelled', 'ok. next staff: Aminah, IC 850312-14-5672', 'a••••@e••••.com'],
    ['ms', 'sy nak migrate beberapa akaun eBiz staf dari sistem lama', 'pertama: Rajesh, IC 780625-08-5433', 'kejap - dia dah berhenti kerja. batal yang tu', 'saya batalkan', 'ok. staf seterusnya: Aminah, IC 850312-14-5672', 'a••••@e••••.com'],
  ] as const)('%s: "cancel that one" cancels; a head naming staff before a MyKad is no request for a person', async (_lang, request, first, cancel, cancelled, next, masked) => {
    await t.chat.say(request);
    await t.chat.say(first);
    expect(joined(await t.chat.say(cancel))).toContain(cancelled);
    expect(joined(await t.chat.say(next))).toContain(masked);
  });

  test.each([
    ['ms', 'nak kira bil prorata', 'plan skrg 98 hengget, nak tukar ke yg 58', 'Bilakah tempoh bil anda bermula'],
    ['en', 'calculate my pro-rata bill please', "I'm on RM98 now, want to switch to the 58 one", 'When does your billing period start'],
  ] as const)('%s: "tukar ke yg 58" names the new plan\'s fee', async (_lang, request, fees, next) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(fees))).toContain(next);
  });

  test.each([
    ['ms', 'nak pindah akaun eBiz lama', 'IC sy 780625-08-5433', 'boleh guna emel lain tak?', 'Adakah emel ini masih aktif'],
    ['ms', 'nak pindah akaun eBiz lama', 'IC sy 780625-08-5433', 'boleh tukar ke emel lain', 'Adakah emel ini masih aktif'],
    ['en', 'move my old eBiz account please', 'my IC is 780625-08-5433', 'can I use a different email instead?', 'Is this e-mail still active'],
  ] as const)('%s: a question back ("boleh guna emel lain tak?") where the e-mail is confirmed sends nothing and asks again', async (_lang, request, id, question, askedAgain) => {
    await t.chat.say(request);
    await t.chat.say(id);
    const reply = joined(await t.chat.say(question));
    expect(reply).toContain(askedAgain);
    expect(reply).not.toMatch(/telah dihantar|has been sent/);
  });

  test.each([
    ['en', 'is there a penalty if I switch my postpaid to prepaid while on contract?', 'Please waive that penalty for me, the store told me my contract had ended. email ali.rahman@example.com', 'Please check your ticket'],
    ['ms', 'ada penalti ke kalau tukar postpaid ke prepaid masa masih dalam kontrak?', 'tolong kecualikan penalti tu, kedai kata kontrak sy dah tamat. emel ali.rahman@example.com', 'Sila semak tiket anda'],
  ] as const)('%s: a request for what the answer just offered (a waiver) is that ticket', async (_lang, question, request, summary) => {
    await t.chat.say(question);
    expect(joined(await t.chat.say(request))).toContain(summary);
  });
});

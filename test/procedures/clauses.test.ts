/**
 * A request inside a story, a correction that names the value it takes back, and a cancel that names the running
 * procedure (issue 15), through the whole bot turn by turn in Malay and English:
 * - a short clause that asks for a procedure starts it with the values of the whole message, even when the story
 *   around it reads like an FAQ question ("Need to compute prorata. Downgrading from Postpaid 128 to Postpaid 58");
 *   a clause whose entry answers and then runs a procedure does so when the message gives that procedure's values;
 * - a correction that gives a value ("eh salah, pelan baru RM98 bukan 80") is an answer: never a request for
 *   another procedure, and the negated value is taken by no parser;
 * - a cancel followed by a question ("actually never mind, can you tell me how …") closes and answers;
 * - a ticket status asked without a reference where no ticket was raised: said, the reference only offered;
 * - thanks after a result that only offers next steps closes it with thanks;
 * - a cancel naming the running procedure ("tak jadi la, x payah kira. batal") closes it instead of restarting it;
 * - where a description is awaited, a turn that opens with "eh jap, sebenarnya …" and asks for another procedure
 *   switches to it.
 */
import { createTestChat, joined, type TestChat } from '../helpers/bot';

describe('clauses of a message around procedures', () => {
  let chat: TestChat;
  beforeEach(async () => {
    chat = await createTestChat();
  });
  afterEach(async () => chat.close());

  const t = (lang: 'ms' | 'en', key: string) => chat.runtime.catalog.t(lang, key);

  test.each([
    ['ms', 'Tolong kira prorata. Sy turun dari Postpaid 128 ke Postpaid 58 bulan ni', 'tukar pada 30 April 2026', 'kitaran bil mula 1 April 2026'],
    ['en', 'Need to compute prorata. Downgrading from Postpaid 128 to Postpaid 58', 'switching on 30 April 2026', 'billing period starts 1 April 2026'],
  ] as const)('%s: a request clause starts its procedure with the story\'s values', async (lang, story, switchDate, period) => {
    const first = joined(await chat.say(story));
    // both fees taken from the story: the period is what is asked, not the old plan's fee
    expect(first).toContain(t(lang, 'prorata.ask.period').slice(0, 20));
    expect(first).not.toContain(t(lang, 'prorata.ask.oldFee').slice(0, 20));
    await chat.say(switchDate);
    // April 2026 (30 days): 29 days × 128 / 30 = 123.73, 1 day × 58 / 30 = 1.93
    expect(joined(await chat.say(period))).toContain('RM125.66');
  });

  test.each([
    ['ms', 'migrate akaun ebiz lama, emel sy aminah.abdullah@example.com'],
    ['en', 'migrate my old ebiz account, my email is aminah.abdullah@example.com'],
  ] as const)('%s: a clause asking for an entry that runs a procedure after its answer, with the values: the procedure takes them', async (lang, message) => {
    const said = joined(await chat.say(message));
    // the masked address of the account found by that e-mail, to confirm (not the "old e-mail is invalid" answer)
    expect(said).toContain(chat.runtime.catalog.t(lang, 'migration.confirm', { email: 'a••••@e••••.com' }));
  });

  test.each([
    ['ms', 'salam, nk buat aduan pasal akaun ebiz sy x boleh login'],
    ['en', 'hi, I want to make a complaint about my ebiz account, I cannot log in'],
  ] as const)('%s: a request joined to its subject ("aduan pasal …", "complaint about …") is the request', async (lang, message) => {
    const said = joined(await chat.say(message));
    expect(said).toContain(t(lang, 'tickets.intro').slice(0, 25));
    expect(said).not.toContain(t(lang, 'migration.ask-identifier').slice(0, 25));
  });

  test.each([
    ['ms', 'nk migrate akaun ebiz lama', '780625085433', 'eh kejap x jadi la, batal dulu. sy x pasti emel lama tu masih aktif ke x'],
    ['en', 'migrate my old ebiz account', '780625085433', "wait never mind, cancel that. I'm not sure that old email still works or not"],
  ] as const)('%s: a cancel at the confirmation wins over a yes or no its words hold; nothing is sent', async (lang, start, mykad, cancel) => {
    await chat.say(start);
    expect(joined(await chat.say(mykad))).toContain('r••••@e••••.org');
    expect(joined(await chat.say(cancel))).toContain(t(lang, 'cancel.done'));
    const mails = await chat.runtime.database.db.selectFrom('mail_outbox').select('kind').execute();
    expect(mails.filter((m) => m.kind === 'migration-link')).toHaveLength(0);
  });

  test.each([
    ['ms', 'Hai, aduan pasal bil & caj. Sy kena caj RM45 roaming padahal x keluar negara langsung bulan ni'],
    ['en', 'Hi, complaint about bills & charges. I was charged RM45 for roaming but I never left Malaysia this month'],
  ] as const)('%s: a one-word request clause that is certain ("aduan", "complaint") starts its procedure', async (lang, message) => {
    expect(joined(await chat.say(message))).toContain(t(lang, 'tickets.intro').slice(0, 25));
  });

  test.each([
    ['ms', 'Salam. Sy dr firma ukur kat Kuantan. Semalam sy beli data digital kat portal eBiz, duit dah tolak, tp fail x boleh download, keluar error je. Dah cuba 3 kali, guna chrome, guna edge, sama je. Sy nak buat aduan la'],
    ['en', "Hello. I work at a survey firm in Kuantan. Yesterday I bought digital data on the eBiz portal, the money was taken, but the file won't download, it just errors. Tried 3 times, in Chrome, in Edge, same thing. I want to make a complaint"],
  ] as const)('%s: a request at the end of a long story (more clauses than are read) starts its procedure', async (lang, message) => {
    expect(joined(await chat.say(message))).toContain(t(lang, 'tickets.intro').slice(0, 25));
  });

  test.each([
    ['ms', 'kira prorata: pelan RM80 ke RM100, tukar 30 Jun 2026, kitaran mula 1 Jun 2026', 'haa tu la, sepatutnya x sampai RM100 pun. sy nk buat aduan pasal bil'],
    ['en', 'prorata: plan RM80 to RM100, switched 30 June 2026, cycle starts 1 June 2026', "right, it should not even reach RM100. I want to complain about my bill"],
  ] as const)('%s: after a result, a value with a correction word and a request for another procedure: the request, not the result reopened', async (lang, request, complaint) => {
    await chat.say(request);
    const said = joined(await chat.say(complaint));
    expect(said).toContain(t(lang, 'tickets.intro').slice(0, 25));
    expect(said).not.toContain('RM96.67');
  });

  test.each([
    ['ms', 'nak migrate akaun ebiz lama, IC 850312-14-5672', 'emel tu dah lama x guna', 'habis tu camne? ok la sy nk buat aduan', 'emel lama sy dah x aktif. tolong tukar ke emel baru aminah.a85@gmail.com'],
    ['en', 'migrate my old ebiz account, IC 850312-14-5672', "no, that mailbox was closed years ago", 'so what now? ok then I want to make a complaint', 'my old email is dead. please change it to my new email aminah.a85@gmail.com'],
  ] as const)('%s: asking for the ticket the migration offers is the yes (its category and summary kept); the ticket does not loop back to the migration', async (lang, start, no, complaint, update) => {
    await chat.say(start);
    expect(joined(await chat.say(no))).toContain(t(lang, 'migration.offer-ticket').slice(0, 20));
    const ticket = joined(await chat.say(complaint));
    expect(ticket).toContain(t(lang, 'tickets.intro.handover').slice(0, 20));
    expect(ticket).not.toContain(t(lang, 'tickets.ask-category').slice(0, 20));
    const summary = joined(await chat.say(update));
    expect(summary).toContain(t(lang, 'tickets.category.ebiz-account'));
    expect(summary).not.toContain(t(lang, 'engine.switched'));
  });

  test.each([
    ['ms', 'ok kalau mcm tu sy nak buat aduan: emel lama akaun eBiz sy dah tak aktif, minta admin tukar ke aminah.baru@example.com'],
    ['en', 'then open a complaint please: my old eBiz email is dead, kindly update it to aminah.baru@example.com'],
  ] as const)('%s: the ticket asked for at the offer with words of a no about the e-mail is the yes; its contact is taken from that message', async (lang, complaint) => {
    await chat.say('migrate my old ebiz account, IC 850312-14-5672');
    await chat.say(lang === 'ms' ? 'emel tu dah lama x aktif' : 'no, it is not active anymore');
    const said = joined(await chat.say(complaint));
    expect(said).toContain(t(lang, 'tickets.intro.handover').slice(0, 20));
    // straight to the summary with the consent: the contact is the new address in that message
    expect(said).toContain(lang === 'ms' ? 'Akta Perlindungan Data Peribadi' : 'Personal Data Protection Act');
  });

  test.each([
    ['ms', 'ok. kod dia 415764'],
    ['en', 'ok. code is 415764'],
  ] as const)('%s: a code typed when no procedure waits for one is said so, not "please rephrase"', async (lang, message) => {
    const said = joined(await chat.say(message));
    expect(said).toContain(t(lang, 'code.not-expected').slice(0, 30));
    expect(said).not.toContain(t(lang, 'fallback.text').slice(0, 20));
  });

  test.each([
    ['ms', 'semak status tiket TKT-99999', 'hmm sy yakin tu nombor minggu lepas. ok nanti sy semak emel sy balik'],
    ['en', "hi what's the status of my ticket TKT-99999", "hmm I'm sure that's the number from last week. ok I'll check my email again"],
  ] as const)('%s: a weak recognition, and a request word only in what the customer will do, switch to nothing', async (lang, status, story) => {
    await chat.say(status);
    const said = joined(await chat.say(story));
    expect(said).not.toContain(t(lang, 'engine.switched'));
    expect(said).not.toContain(t(lang, 'eligibility.ask.phone').slice(0, 20));
  });

  test.each([
    ['ms', 'nak buat aduan', 'ia berkenaan akaun ebiz sy'],
    ['en', 'I want to make a complaint', "it's about the eBiz account"],
  ] as const)('%s: a topic given as the answer to the category question is the answer, not a request for the procedure the topic has', async (lang, request, topic) => {
    await chat.say(request);
    const said = joined(await chat.say(topic));
    expect(said).toContain(chat.runtime.catalog.t(lang, 'tickets.ask-description', { max: 1000 }).slice(0, 20));
    expect(said).not.toContain(t(lang, 'migration.ask-identifier').slice(0, 25));
  });

  test.each([
    ['ms', 'nak migrate akaun ebiz lama', 'eh jap, tolong migrate je la. x payah buat aduan. IC sy 850312-14-5672'],
    ['en', 'migrate my old ebiz account', 'oh wait, can you just help me migrate it instead? no need for a complaint. my IC is 850312-14-5672'],
  ] as const)('%s: a request taken back ("no need for a complaint") asks for nothing; the running procedure takes the values', async (lang, start, message) => {
    await chat.say(start);
    const said = joined(await chat.say(message));
    expect(said).toContain(chat.runtime.catalog.t(lang, 'migration.confirm', { email: 'a••••@e••••.com' }));
    expect(said).not.toContain(t(lang, 'tickets.intro').slice(0, 25));
  });

  test.each([
    ['ms', 'Salam, sy x boleh log masuk ebiz guna id pengguna lama. Sy bukan warganegara Malaysia, dulu daftar guna pasport'],
    ['en', "Hi, I can't log in to eBiz with my old user ID. I'm not Malaysian, I registered with my passport"],
  ] as const)('%s: a certain opening statement decides over the story after it (the procedure it runs starts)', async (lang, message) => {
    expect(joined(await chat.say(message))).toContain(t(lang, 'migration.ask-identifier').slice(0, 25));
  });

  test.each([
    ['ms', 'ok tq, nnt sy banding dgn bil'],
    ['ms', 'ok noted tq'],
    ['en', 'Got it, thanks!'],
    ['en', 'great, thank you so much'],
  ] as const)('%s: thanks in a clause of its own, no question ("%s"): thanks back, not "please rephrase"', async (lang, message) => {
    const said = joined(await chat.say(message));
    expect(said).toContain(t(lang, 'thanks.reply'));
    expect(said).not.toContain(t(lang, 'fallback.text').slice(0, 20));
  });

  test.each([
    ['ms', 'kira prorata: pelan 58 ke 80, tukar 11 April 2026, bil mula 1 April 2026', 'ok tq, nnt sy banding dgn bil'],
    ['en', 'prorata: plan 58 to 80, switching 11 April 2026, bill starts 1 April 2026', 'Got it, thanks!'],
  ] as const)('%s: thanks in a sentence after a result closes it with thanks', async (lang, request, thanks) => {
    expect(joined(await chat.say(request))).toContain('RM72.66');
    expect(joined(await chat.say(thanks))).toContain(t(lang, 'thanks.reply'));
  });

  test.each([
    ['ms', 'ok sy dah check, emel tu masih ok. jom mula semula migrate akaun lama sy'],
    ['en', "ok I've checked, that email still works. let's start the old account migration again"],
  ] as const)('%s: a clause whose only word of substance is a request word ("sy dah check") asks for nothing', async (lang, message) => {
    const said = joined(await chat.say(message));
    expect(said).toContain(t(lang, 'migration.ask-identifier').slice(0, 25));
    expect(said).not.toContain(t(lang, 'eligibility.ask.phone').slice(0, 20));
  });

  test.each([
    ['ms', 'nk kira bil pro-rata', 'pelan lama RM80, baru RM58', 'kenapa nk tau tarikh kitaran bil semua ni?', 'tukar pada 21 Feb 2026, kitaran bil start 1hb Feb 2026'],
    ['en', 'calculate my prorata bill', 'old plan RM80, new plan RM58', 'why do you need the billing cycle date for the prorata calculation?', 'switched on 21 Feb 2026, billing cycle starts 1 Feb 2026'],
  ] as const)('%s: a question about the running procedure does not restart it; the values given stay', async (_lang, start, fees, why, dates) => {
    await chat.say(start);
    await chat.say(fees);
    await chat.say(why);
    // February 2026 (28 days): 20 days × 80 / 28 = 57.14, 8 days × 58 / 28 = 16.57
    expect(joined(await chat.say(dates))).toContain('RM73.71');
  });

  test.each([
    ['ms', 'nk buat aduan pasal pelan digi', 'eh jap, sebenarnya sy nk tau dulu line sy boleh tukar ke prepaid ke x. no 012-100 0001'],
    ['en', 'I want to raise a complaint about my digi plan', 'oh wait, actually first I want to know whether my line can switch to prepaid or not. number is 012-100 0001'],
  ] as const)('%s: where a description is awaited, a turn opening as a switch that gives another procedure\'s values switches', async (lang, start, other) => {
    await chat.say(start);
    const said = joined(await chat.say(other));
    expect(said).toContain(t(lang, 'engine.switched'));
    expect(said).toContain('+6012•••••01');
  });

  test.each([
    ['ms', 'ok mula semula, cuba check nombor bini sy pulak 013-100 0003, dia nk tukar ke postpaid'],
    ['en', 'ok now try my wife\'s number instead 013-100 0003, she wants to move to postpaid'],
  ] as const)('%s: a sentence read as no question that gives one procedure\'s values starts it', async (_lang, message) => {
    expect(joined(await chat.say(message))).toContain('+6013•••••03');
  });

  test.each([
    ['ms', 'nk kira bil pro-rata', 'pelan lama 58, pelan baru 80', 'eh salah, pelan baru RM98 bukan 80', 'tukar 18 Mac 2026, kitaran bil mula 1 Mac 2026'],
    ['en', 'calculate my prorata bill', 'old plan 58, new plan 80', 'sorry I meant new plan RM98, not 80', 'switching on 18 March 2026, billing cycle starts 1 March 2026'],
  ] as const)('%s: a correction that negates the old value is an answer, not a request', async (lang, start, fees, correction, dates) => {
    await chat.say(start);
    expect(joined(await chat.say(fees))).toContain(t(lang, 'prorata.ask.period').slice(0, 20));
    const corrected = joined(await chat.say(correction));
    expect(corrected).not.toContain(t(lang, 'engine.switched'));
    expect(corrected).not.toContain(t(lang, 'tickets.intro').slice(0, 20));
    // March 2026 (31 days): 17 days × 58 / 31 = 31.81, 14 days × 98 / 31 = 44.26 (with 80: 67.94)
    expect(joined(await chat.say(dates))).toContain('RM76.07');
  });

  test.each([
    ['ms', 'Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026', 'ok terima kasih'],
    ['en', 'Calculate pro-rata: switching from RM58 to RM80 on 11 April 2026, billing cycle starts 1 April 2026', 'ok thanks'],
  ] as const)('%s: thanks after a result that offers next steps is thanks, not a wrong choice', async (lang, bill, thanks) => {
    expect(joined(await chat.say(bill))).toContain('RM72.66');
    const said = joined(await chat.say(thanks));
    expect(said).toContain(t(lang, 'thanks.reply'));
    expect(said).not.toContain(t(lang, 'fallback.text').slice(0, 20));
  });

  const answerOf = (lang: 'ms' | 'en', id: string) => chat.runtime.knowledge.byId.get(id)!.answer![lang];

  test.each([
    ['ms', 'kira prorata', 'eh tak jadi la, camne nak naik taraf akaun ebiz sy?'],
    ['en', 'calculate my prorata bill', 'actually never mind, can you tell me how to upgrade my ebiz account instead'],
  ] as const)('%s: a cancel followed by a question closes the procedure and answers the question', async (lang, start, cancelAndAsk) => {
    await chat.say(start);
    const said = joined(await chat.say(cancelAndAsk));
    expect(said).toContain(answerOf(lang, 'ebiz.upgrade-account').slice(0, 40));
    expect(said).not.toContain(t(lang, 'prorata.ask.oldFee').slice(0, 20));
  });

  test.each([
    ['ms', 'ada apa2 update pasal aduan sy minggu lepas?', 'apa beza pengguna biasa dan pengguna utama?'],
    ['en', 'I raised a complaint last week, any update?', "what's the difference between a regular user and a main user?"],
  ] as const)('%s: a status asked without a reference and no ticket here: said, the reference only offered', async (lang, ask, question) => {
    const first = joined(await chat.say(ask));
    expect(first).toContain(t(lang, 'tickets.status.none-here'));
    // the next message is read as new, not as a wrong reference
    const next = joined(await chat.say(question));
    expect(next).toContain(answerOf(lang, 'ebiz.regular-vs-main-user').slice(0, 40));
    expect(next).not.toContain(t(lang, 'tickets.status.malformed'));
  });

  test.each([
    ['ms', 'nk migrate akaun ebiz lama', 'takpe la, nanti sy buat sendiri'],
    ['en', 'I need to migrate my old ebiz account', "hmm forget it, I'll do it later"],
  ] as const)('%s: "takpe la" / "hmm forget it" with a reason after it closes the procedure', async (lang, start, cancel) => {
    await chat.say(start);
    expect(joined(await chat.say(cancel))).toContain(t(lang, 'cancel.done'));
  });

  test.each([
    ['ms', 'line sy boleh tukar ke prepaid x?'],
    ['en', 'can my line switch to prepaid?'],
  ] as const)('%s: a question about the customer\'s own line and a switch runs the check (the line is asked)', async (lang, ask) => {
    expect(joined(await chat.say(ask))).toContain(t(lang, 'eligibility.ask.phone'));
  });

  test.each([
    ['ms', 'nk buat aduan: bil postpaid sy kena caj yuran bulanan dua kali bulan ni. email sy ali@example.com', 'ya setuju', 'mcm mana status tiket sy?', 'Dibuka'],
    ['en', 'I want to make a complaint: my postpaid bill charged the monthly fee twice this month. my email is ali@example.com', 'yes I agree', "what's the status of my ticket?", 'Open'],
  ] as const)('%s: the status asked with one ticket raised here shows that ticket, nothing more asked', async (lang, complaint, consent, status, open) => {
    await chat.say(complaint);
    const reference = /TKT-\d{8}-[A-Z0-9]{4}/.exec(joined(await chat.say(consent)))?.[0];
    expect(reference).toBeDefined();
    const said = joined(await chat.say(status));
    expect(said).toContain(reference!);
    expect(said).toContain(open);
    expect(said).not.toContain(t(lang, 'tickets.status.ask-reference').slice(0, 20));
  });

  test.each([
    ['ms', 'sy nk tukar ke pelan prepaid lain, layak x?'],
    ['en', 'am I eligible to move to a postpaid plan?'],
  ] as const)('%s: "am I eligible" with a switch runs the check (the line is asked)', async (lang, ask) => {
    expect(joined(await chat.say(ask))).toContain(t(lang, 'eligibility.ask.phone'));
  });

  test.each([
    ['ms', 'boleh kira prorata x? dr plan 58 ke 80', 'tak jadi la, x payah kira. batal'],
    ['en', 'can you calculate my prorata from plan 58 to 80?', 'never mind, no need to calculate the prorata, cancel'],
  ] as const)('%s: a cancel that names the running procedure closes it, not restarts it', async (lang, start, cancel) => {
    await chat.say(start);
    const said = joined(await chat.say(cancel));
    expect(said).toContain(t(lang, 'cancel.done'));
    expect(said).not.toContain(t(lang, 'prorata.ask.oldFee').slice(0, 20));
  });

  test.each([
    [
      'ms',
      'nk buat aduan pasal bil',
      'eh jap, sebenarnya sy nk kira pro-rata dulu la. tukar dr pelan RM30 ke RM58 pada 20hb September 2026, kitaran bil mula 1 September 2026',
    ],
    [
      'en',
      'I want to raise a complaint about my bill',
      'oh wait, actually I need to calculate my prorata first. from RM30 to RM58 on 20 September 2026, billing cycle starts 1 September 2026',
    ],
  ] as const)('%s: where a description is awaited, "eh jap, sebenarnya …" asking for another procedure switches', async (lang, start, other) => {
    await chat.say(start);
    const said = joined(await chat.say(other));
    expect(said).toContain(t(lang, 'engine.switched'));
    // September 2026 (30 days): 19 days × 30 / 30 = 19.00, 11 days × 58 / 30 = 21.27
    expect(said).toContain('RM40.27');
  });
});

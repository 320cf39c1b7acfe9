/**
 * The bot follows what the customer means across turns (issue 15, blind procedure set 6), through the whole bot
 * turn by turn in Malay and English: a bare value right after an answer or a "did you mean …?" that offers a
 * procedure takes up the offer; the message that starts a procedure may correct itself; a customer saying
 * goodbye closes what is still open; a value of the procedure set aside goes back to it; a pro-rata bill asked in
 * words after an eligibility result starts from that result (a first bill after a prepaid-to-postpaid check);
 * "tq" / "thx" are answered in the conversation's language.
 */
import { createTestChat, joined, type TestChat } from '../helpers/bot';
import { RecordingSms } from '../helpers/sms';

describe('following the customer across turns', () => {
  let chat: TestChat;
  let sms: RecordingSms;
  beforeEach(async () => {
    sms = new RecordingSms();
    chat = await createTestChat({ sms });
  });
  afterEach(async () => chat.close());

  const codeSentTo = async () => {
    await sms.settle();
    return sms.sent.map((m) => m.to);
  };

  test.each([
    ['ms', 'boleh sy tukar pelan postpaid sy ke plan lain yg lg mahal sikit?', 'Postpaid kepada Postpaid'],
    ['en', 'what do I need to switch from my postpaid plan to another postpaid plan?', 'Postpaid to Postpaid'],
  ] as const)('%s: a bare number after the conditions of a switch starts the check of that line', async (_lang, question, conditions) => {
    expect(joined(await chat.say(question))).toContain(conditions);
    const said = joined(await chat.say('0121000002'));
    expect(said).toMatch(/6-digit|6 digit/);
    expect(await codeSentTo()).toEqual(['+60121000002']);
  });

  test.each([
    ['ms', 'boleh ke saya tukar pelan?'],
    ['en', 'can i switch plan?'],
  ] as const)('%s: a bare number after "did you mean …?" takes up the one procedure among the choices', async (_lang, question) => {
    const clarify = await chat.say(question);
    // the bot hesitated (several choices, one of them the check)
    expect(clarify.some((s) => s.buttons.length >= 2)).toBe(true);
    await chat.say('012-100 0001');
    expect(await codeSentTo()).toEqual(['+60121000001']);
  });

  test.each([
    ['ms', 'wakil syarikat dah berhenti, macam mana nak tukar wakil?', 'sedap tak nasi lemak kat KL', 'Maaf'],
    ['en', 'will I be charged a penalty if I switch plan while under contract?', 'what is the weather in Ipoh today', 'Sorry'],
  ] as const)('%s: after an answer that offers a ticket, a message giving it nothing is no ticket', async (_lang, question, other, sorry) => {
    await chat.say(question);
    const said = joined(await chat.say(other));
    expect(said).toContain(sorry);
    expect(said).not.toMatch(/tiket supaya Khidmat Pelanggan menghubungi|raise a ticket so customer service gets back/);
  });

  test.each([
    ['ms', 'nk tukar postpaid', '013-1000004'],
    ['en', 'what do I need to switch to postpaid?', '0131000004'],
  ] as const)('%s: a number in any form after the conditions starts its check', async (_lang, question, line) => {
    await chat.say(question);
    await chat.say(line);
    expect(await codeSentTo()).toEqual(['+60131000004']);
  });

  test.each([
    ['en', 'check if 012-100 0002 can switch to another postpaid plan', "ok nvm. now my daughter's line 013-100 0001, she wants another prepaid plan"],
    ['ms', 'semak 012-100 0002 boleh tukar ke pelan postpaid lain x', 'ok takpe. skrg line anak sy 013-100 0001 pulak, dia nak pelan prepaid lain'],
  ] as const)('%s: after a verdict, a cancel followed by another line and its switch checks that line', async (_lang, first, next) => {
    await chat.say(first);
    await chat.say(await sms.nextCode());
    await chat.say(next);
    expect(await codeSentTo()).toEqual(['+60121000002', '+60131000001']);
  });

  test('without an offer before it, a bare number is not taken for a check', async () => {
    await chat.say('hai');
    await chat.say('0121000002');
    expect(await codeSentTo()).toEqual([]);
  });

  test.each([
    ['ms', 'semak kelayakan talian 0131000002, eh salah taip, yg betul 013-100 0001'],
    ['en', 'check if my line can switch, 0131000002 - wait sorry typo, it is 013-100 0001'],
  ] as const)('%s: the message that starts the check may correct its number: only the corrected line gets a code', async (_lang, text) => {
    await chat.say(text);
    expect(await codeSentTo()).toEqual(['+60131000001']);
  });

  test.each([
    ['ms', 'nak pindahkan akaun ebiz lama', 'ok tu je. terima kasih byk2, selamat petang', 'Sama-sama'],
    ['en', 'I want to migrate my old eBiz account', "that's all, thanks. bye", "You're welcome"],
  ] as const)('%s: goodbye with thanks closes the procedure still asking', async (_lang, start, bye, welcome) => {
    await chat.say(start);
    const said = joined(await chat.say(bye));
    expect(said).toContain(welcome);
    expect(said).not.toMatch(/MyKad/);
    // closed: a number now is no migration's answer
    expect(joined(await chat.say('850312-14-5672'))).not.toMatch(/a•+@|aminah/i);
  });

  test.each([
    ['ms', 'nak pindahkan akaun ebiz lama', 'emel sy aminah.abdullah@example.com', 'ok sebenarnya batal buat masa ni, nanti sy buat dari pc ofis', 'batalkan'],
    ['en', 'I want to migrate my old eBiz account', 'my email is aminah.abdullah@example.com', "ok actually cancel for now, I'll do it later from my office PC", 'cancelled'],
  ] as const)('%s: "ok … cancel for now" at the confirmation is a cancel, not the "ok" that sends the link', async (_lang, start, email, cancel, cancelled) => {
    await chat.say(start);
    expect(joined(await chat.say(email))).toMatch(/a•+@e•+\.com/);
    expect(joined(await chat.say(cancel)).toLowerCase()).toContain(cancelled);
    expect(joined(await chat.say('ya'))).not.toMatch(/pautan migrasi|migration link/);
  });

  test.each([
    ['ms', 'kat mana boleh sy tukar dari postpaid ke prepaid? boleh buat dalam app?', /Nombor talian mana/],
    ['en', 'Where can I switch from postpaid to prepaid? Can I do it in the app?', /Which line should I check/],
  ] as const)('%s: "where can I switch …" asks about the rules: answered, no check of a line started', async (_lang, question, lineAsked) => {
    const said = joined(await chat.say(question));
    expect(said).toContain('Digi Store');
    expect(said).not.toMatch(lineAsked);
  });

  test.each([
    ['ms', 'ok tq', 'Sama-sama'],
    ['en', 'ok tq', "You're welcome"],
  ] as const)('%s: a bare "ok tq" at the code question keeps the check open', async (lang, thanks, welcome) => {
    await chat.say(lang === 'ms' ? 'tolong semak talian 0121000001 boleh tukar ke prepaid' : 'please check if line 0121000001 can switch to prepaid');
    expect(joined(await chat.say(thanks))).not.toContain(welcome);
    const code = await sms.nextCode();
    expect(joined(await chat.say(code))).toMatch(/✓ (Talian|Line) \+6012/);
  });

  test.each([
    [
      'ms',
      'nak pindahkan akaun ebiz lama ke sistem baru',
      'eh sebelum tu, sy nak kira bil Digi sekali. tukar dr pelan RM68 ke RM98 pd 11 April 2026, bil mula 1 April 2026',
      'ok. skrg sambung pasal ebiz tadi. IC sy 850312-14-5672',
      'Emel yang didaftarkan',
    ],
    [
      'en',
      'I want to migrate my old eBiz account',
      'oh wait, first work out my pro-rata: RM68 to RM98, switched on 11 April 2026, cycle starts 1 April 2026',
      'ok, back to the eBiz thing. my IC is 850312-14-5672',
      'The e-mail registered',
    ],
  ] as const)('%s: a value of the procedure set aside goes back to it once the other is done', async (_lang, first, other, back, confirm) => {
    await chat.say(first);
    // 10 days × 68 / 30 + 20 days × 98 / 30 = 22.67 + 65.33
    expect(joined(await chat.say(other))).toContain('RM88.00');
    const said = joined(await chat.say(back));
    expect(said).toContain(confirm);
    expect(said).not.toMatch(/tiket|ticket/i);
  });

  test.each([
    ['ms', 'semak kelayakan 013-100 0003 untuk tukar ke postpaid', 'kalau tukar, bil bulan pertama berapa? pelan RM80, tukar 15 Jun 2026, bil mula 1 Jun 2026', 'bil pertama postpaid'],
    ['en', 'check eligibility for 013-100 0003 to switch to postpaid', "and if I switch, how much will my first month's fee be? the plan is RM80, switching on 15 June 2026, billing starts 1 June 2026", 'first postpaid bill'],
  ] as const)('%s: a bill asked in words after a prepaid-to-postpaid result is that switch\'s first bill', async (_lang, check, bill, kind) => {
    await chat.say(check);
    expect(joined(await chat.say(await sms.nextCode()))).toMatch(/✓ (Talian|Line) \+6013/);
    const said = joined(await chat.say(bill));
    // the check was done: nothing is set aside, so nothing is said to be stopped
    expect(said).not.toMatch(/hentikan yang tadi|stop the previous one/);
    expect(said.toLowerCase()).toContain(kind);
    // June 2026 (30 days): 16 days × 80 / 30
    expect(said).toContain('RM42.67');
  });

  test.each([
    ['ms', 'sy nak buat aduan pasal bil', 'Bil. Bil April sy caj penuh RM80, bukan pro-rata lepas sy turun ke RM58 pada 11 April', 'hentikan yang tadi'],
    ['en', 'I want to complain about my bill', 'Billing. My April bill charged the full RM80 instead of pro-rata after I downgraded to RM58 on 11 April', 'stop the previous one'],
  ] as const)('%s: a ticket hears the account of the problem: its fees and dates ask for no bill', async (_lang, start, account, switched) => {
    await chat.say(start);
    const said = joined(await chat.say(account));
    expect(said).not.toContain(switched);
    expect(said).not.toMatch(/RM\d+\.\d\d \/|Total|Jumlah/);
    // still the ticket: a contact goes into it, and the ticket is shown to be checked
    expect(joined(await chat.say('sarah.wong@example.com'))).toMatch(/semak tiket anda|check your ticket/);
  });

  test.each([
    ['ms', 'ic 850312145672', 'alamak emel tu dah lama x guna, akaun yahoo lama tu dah kena tutup', 'ok tolong buatkan aduan la. pasal akaun eBiz, emel lama dah x aktif, nak tukar ke emel baru', 'tiket'],
    ['en', 'IC 850312-14-5672', "that old address is dead, the yahoo account was closed years ago", 'ok please raise a complaint then, about my eBiz account, the old email no longer works', 'ticket'],
  ] as const)('%s: asking in words for the ticket a migration offers is the yes to it, not an FAQ', async (lang, id, dead, ask, ticket) => {
    await chat.say(lang === 'ms' ? 'nak pindahkan akaun ebiz lama' : 'I want to migrate my old eBiz account');
    await chat.say(id);
    expect(joined(await chat.say(dead))).toMatch(/tiket|ticket/);
    const said = joined(await chat.say(ask));
    // the ticket starts: it asks how to reach the customer (not the offer again)
    expect(said).toMatch(/Bagaimana Khidmat Pelanggan boleh menghubungi|How can customer service reach you/);
    expect(said).toContain(ticket);
  });

  test.each([
    ['ms', 'wakil syarikat kami dah berhenti kerja, macam mana nak tukar wakil baru?', 'ok boleh buat tiket terus ke?'],
    ['en', 'our company representative resigned, how do we change to a new representative?', 'ok can you just open a ticket for it?'],
  ] as const)('%s: a hesitant "can you open a ticket?" right after an answer that offers one starts it', async (_lang, question, ticket) => {
    expect(joined(await chat.say(question))).toMatch(/Khidmat Pelanggan|Customer Service/);
    const said = joined(await chat.say(ticket));
    expect(said).toMatch(/buat tiket supaya|raise a ticket so/);
  });

  test.each([
    ['ms', 'sy nak buat aduan pasal talian', 'bil', 'line sy kena gantung tanpa notis, sy rasa bil semua dah bayar. tolong semak. emel sy farid.kamal88@gmail.com', 'hentikan yang tadi'],
    ['en', 'I want to complain about my line', 'billing', 'my line got suspended without notice, I think my bills are all paid. please check. my email is farid.kamal88@gmail.com', 'stop the previous one'],
  ] as const)('%s: "please check" with a contact, told to a ticket, is part of the ticket', async (_lang, start, category, account, switched) => {
    await chat.say(start);
    await chat.say(category);
    const said = joined(await chat.say(account));
    expect(said).not.toContain(switched);
    expect(await codeSentTo()).toEqual([]);
  });

  test.each([
    ['ms', 'sy nak upgrade pelan postpaid sy ke yg lebih tinggi. line 0121000002', /✗ Talian \+6012•••••02 belum layak untuk penukaran Postpaid kepada Postpaid/],
    ['en', 'I want to upgrade my postpaid plan to a higher one. Line 0121000002', /✗ Line \+6012•••••02 cannot make the Postpaid to Postpaid switch/],
  ] as const)('%s: one line type with a word of the same kind ("a higher one") is a switch within that type', async (_lang, request, verdict) => {
    await chat.say(request);
    expect(joined(await chat.say(await sms.nextCode()))).toMatch(verdict);
  });

  test.each([
    ['ms', 'nak pindahkan akaun ebiz lama. IC 900101-10-5431', 'eh boleh tak semak line sy 012-100 0001 tukar ke prepaid ke tak'],
    ['en', 'my old ebiz account cannot login, IC 900101-10-5431', 'eh also can check my line 012-100 0001 switch to prepaid or not'],
  ] as const)('%s: a question ending "or not" at a yes-no question is no "no": it asks for the check', async (_lang, migrate, check) => {
    expect(joined(await chat.say(migrate))).toMatch(/t•+@e•+\.com\.my/);
    await chat.say(check);
    expect(await codeSentTo()).toEqual(['+60121000001']);
  });

  test.each([
    ['ms', 'nak kira prorata, dari RM58 ke RM80', 'eh jap sebelum tu, line sy boleh tukar ke? 012-100 0001, postpaid ke postpaid'],
    ['en', "I'd like to work out my pro-rata bill, RM58 to RM80", 'hold on, first: can my line even switch? 012-100 0001, postpaid to postpaid'],
  ] as const)('%s: a request with its own question mark, then the line and the switch, starts the check midway through a bill', async (_lang, bill, check) => {
    await chat.say(bill);
    await chat.say(check);
    expect(await codeSentTo()).toEqual(['+60121000001']);
  });

  test.each([
    ['ms', 'kredit prepaid sy RM150, dapat pindah ke postpaid x?', 'ohh max RM100 je ke. takpe la, rugi sikit je. line sy ni boleh tukar ke postpaid x? 013-100 0003'],
    ['en', 'I have RM150 prepaid credit, will it move over when I go postpaid?', "oh only RM100. never mind, it's a small loss. can my line switch to postpaid? 013-100 0003"],
  ] as const)('%s: "never mind" about an answer, then a request, is no cancel of that request', async (_lang, question, request) => {
    await chat.say(question);
    await chat.say(request);
    expect(await codeSentTo()).toEqual(['+60131000003']);
  });

  test.each([
    ['ms', 'tlg kira pro-rata. pelan lama RM58, pelan baru RM98, tukar 16 Mac 2026, kitaran bil 1 Mac 2026 - 31 Mac 2026', 'hmm mahal jugak. kalau sy tangguh tukar pada 25 Mac 2026 pulak, pelan & kitaran sama, jadi berapa?', 'RM44.90'],
    ['en', 'pro-rata please: old plan RM58, new plan RM98, switching 16 March 2026, billing period 1 March 2026 to 31 March 2026', 'what if I switch on 25 March 2026 instead, same plans and cycle?', 'RM44.90'],
  ] as const)('%s: a "what if" with a new value right after a bill runs it again from the last values', async (_lang, bill, whatIf, oldPart) => {
    expect(joined(await chat.say(bill))).toContain('RM28.06');
    const said = joined(await chat.say(whatIf));
    // 24 days × 58.00 / 31 on the old plan, 7 days × 98.00 / 31 = RM22.13 on the new one
    expect(said).toContain(oldPart);
    expect(said).toContain('RM22.13');
  });

  test.each([
    ['ms', 'Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026', 'kalau sy tukar 25hb pulak, pelan & kitaran sama?'],
    ['en', 'Pro-rata please: switching from the RM58 plan to the RM80 plan on 11 April 2026, billing cycle starting 1 April 2026', 'what if I switch on the 25th instead?'],
  ] as const)('%s: a "what if" naming only a day takes that day of the bill\'s period, whatever month today is', async (_lang, bill, whatIf) => {
    expect(joined(await chat.say(bill))).toContain('RM72.66');
    const said = joined(await chat.say(whatIf));
    // 24 days × 58.00 / 30 = RM46.40 on the old plan, 6 days × 80.00 / 30 = RM16.00 on the new one
    expect(said).toContain('RM46.40');
    expect(said).toContain('RM16.00');
  });

  test.each([
    ["Switching my prepaid plan tonight, number 013-100 0005. Can you verify I haven't reached the monthly switch limit?", undefined],
    ["Switching my prepaid plan tonight, number 013-100 0005. Can you verify I haven't reached the switch limit for this month?", 'two times'],
  ] as const)('en: a line given with a request to verify a rule for it starts its check (%s)', async (message, rule) => {
    const said = joined(await chat.say(message));
    if (rule) expect(said).toContain(rule);
    expect(await codeSentTo()).toEqual(['+60131000005']);
  });

  test.each([
    ['ms', 'nak buat aduan', 'eh tak payah aduan la, tolong semak je sama ada nombor 012-100 0001 boleh tukar ke pelan postpaid yang lain'],
    ['en', 'I want to file a complaint', 'actually never mind the complaint, just check whether 012-100 0001 can switch to another postpaid plan'],
  ] as const)('%s: a long clause that gives another procedure its values switches to it midway', async (_lang, first, second) => {
    await chat.say(first);
    await chat.say(second);
    expect(await codeSentTo()).toEqual(['+60121000001']);
  });

  test.each([
    ['ms', 'can my line 013-100 0002 switch to another prepaid plan?', 'eh boleh terangkan dlm BM tak? kenapa x boleh tukar?', /✗ Talian \+6013•••••02 belum layak/],
    ['en', 'boleh ke line sy 013-100 0002 tukar ke pelan prepaid lain?', 'in English please, why can I not switch?', /✗ Line \+6013•••••02 cannot make/],
  ] as const)('%s: "why can\'t I switch?" right after the verdict shows it again, in the language asked in', async (_lang, request, why, again) => {
    await chat.say(request);
    expect(joined(await chat.say(await sms.nextCode()))).toMatch(/✗/);
    const said = joined(await chat.say(why));
    expect(said).toMatch(again);
    expect(await codeSentTo()).toEqual(['+60131000002']);
  });

  test.each([
    ['ms', 'can my line 013-100 0002 switch to another prepaid plan?', 'ok', 'kenapa x boleh tukar?', /✗ Talian \+6013•••••02 belum layak/],
    ['en', 'boleh ke line sy 013-100 0002 tukar ke pelan prepaid lain?', 'hmm', 'why can I not switch?', /✗ Line \+6013•••••02 cannot make/],
  ] as const)('%s: asked about the verdict after another message, the same check is shown again, not started anew', async (_lang, request, aside, why, again) => {
    await chat.say(request);
    expect(joined(await chat.say(await sms.nextCode()))).toMatch(/✗/);
    await chat.say(aside);
    const said = joined(await chat.say(why));
    expect(said).toMatch(again);
    expect(said).not.toMatch(/Which kind of switch|Penukaran jenis apa/);
  });

  test.each([
    ['ms', 'boleh ke line sy 012-100 0001 tukar ke prepaid?', 'btw tukar postpaid ke prepaid ni kena buat kat mana ya?'],
    ['en', 'can my line 012-100 0001 switch to prepaid?', 'by the way, where do I go to switch postpaid to prepaid?'],
  ] as const)('%s: a question that only says the check\'s switch again is answered, then the check goes on', async (_lang, request, question) => {
    await chat.say(request);
    const answered = joined(await chat.say(question));
    expect(answered).toContain('Digi Store');
    expect(await codeSentTo()).toEqual(['+60121000001']);
    expect(joined(await chat.say(await sms.nextCode()))).toMatch(/✓/);
  });

  test.each([
    ['ms', "boleh check line 012-100 0001 tukar ke Digi Postpaid 80? sy tengah guna postpaid 58", /Digi Postpaid 80/],
    ['en', "Can my line 012-100 0001 switch to Digi Postpaid 80? I'm on Postpaid 58 now", /Digi Postpaid 80/],
  ] as const)('%s: the plan the line is on is not the plan it switches to', async (_lang, request, target) => {
    await chat.say(request);
    const said = joined(await chat.say(await sms.nextCode()));
    expect(said).toMatch(/✓/);
    expect(said).toMatch(target);
  });

  test.each([
    ['ms', 'boleh ke line prepaid sy 013-100 0002 tukar ke postpaid? kredit tinggal RM10 je, ada masalah ke?'],
    ['en', 'Hi, can my prepaid line 013-100 0002 switch to postpaid? I only have around RM10 credit left, is that a problem?'],
  ] as const)('%s: a request that gives the check its values, then a question it answers, starts the check', async (_lang, message) => {
    await chat.say(message);
    expect(await codeSentTo()).toEqual(['+60131000002']);
  });

  test.each([
    ['ms', 'Prepaid sy 013-100 0002, kredit tinggal RM10 je. Boleh tukar ke postpaid ke kena top up dulu?', 'RM100'],
    ['en', 'My prepaid is 013-100 0002, I only have like RM10 balance. Can I switch to postpaid or do I need to top up first?', 'RM100'],
  ] as const)('%s: a question answered from the knowledge that also gives a check its values gets both', async (_lang, message, answer) => {
    expect(joined(await chat.say(message))).toContain(answer);
    expect(await codeSentTo()).toEqual(['+60131000002']);
  });

  test.each([
    ['ms', 'Salam. Minggu lepas sy pergi kedai nak tukar postpaid ke prepaid, staff kata semua ok. Tp sampai hari ni line sy masih postpaid dan bil baru masuk lagi. Sy dah call 2 kali. Tolong buat aduan pasal penukaran pelan ni. Email sy nurul.aina@gmail.com'],
    ['en', "Hi. Last week I went to the store to switch from postpaid to prepaid and they said all was fine. But my line is still postpaid and a new bill came. I've called twice. Please raise a complaint about this plan switch. My email is nurul.aina@gmail.com"],
  ] as const)('%s: a request before an e-mail address at the end of a long story starts the ticket, its category what the complaint is about', async (lang, story) => {
    const said = joined(await chat.say(story));
    expect(said).toContain(`${lang === 'ms' ? 'Kategori' : 'Category'}: ${lang === 'ms' ? 'Tukar pelan Digi' : 'Switching a Digi plan'}`);
  });

  test.each([
    ['en', 'need pro-rata calc. old plan RM38.50, new plan RM31.50', 'changed on 16/2/2026, bill cycle from 1/2/2026', 'ok tq', "You're welcome"],
    ['ms', 'sy nk kira prorata yuran bulanan. pelan lama RM39.90, pelan baru RM32.90', 'tukar 10hb Feb 2026, bil start 1hb Feb 2026', 'thx', 'Sama-sama'],
    ['ms', 'sy nk kira prorata. pelan lama RM39.90, pelan baru RM32.90', 'tukar 10hb Feb 2026, bil start 1hb Feb 2026', 'ok thanks', 'Sama-sama'],
    ['en', 'hello can help me calculate pro-rata, old plan RM38.50, new plan RM31.50', 'changed on 16/2/2026, bill cycle from 1/2/2026', 'tq boss', "You're welcome"],
  ] as const)('%s: thanks written the same in both languages is answered in the conversation\'s language', async (_lang, start, dates, thanks, welcome) => {
    await chat.say(start);
    expect(joined(await chat.say(dates))).toMatch(/Total|Jumlah/);
    expect(joined(await chat.say(thanks))).toContain(welcome);
  });
});

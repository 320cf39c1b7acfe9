/**
 * What blind procedure set 15 found, through the whole bot turn by turn, in Malay and English: a line and its switch
 * given beside a question that an FAQ offering a ticket answers (the contract penalty) still start the check; a story
 * that ends with a request for a person hands over, not a ticket; a question about the rules after a verdict is
 * answered, not taken as a value of the bill set aside before; a ticket request that opens with "what?" still reads its
 * category and contact; the plan a customer says they use is not the plan they switch to.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';


describe('blind set 15', () => {
  // (staff on duty at any hour: a request for a person is queued whatever the clock says)
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'nk tukar postpaid sy ke prepaid, no 012-100 0005. tp sy ada kontrak fon lg ni', 'penalti', 'kod 6 digit'],
    // (read as the check itself, the line's checklist will tell the penalty)
    ['en', 'want to move my postpaid to prepaid, number 012-100 0005. but I still have a phone contract', undefined, '6-digit code'],
  ] as const)('%s: a line and its switch beside the penalty question: the check starts (after the answer)', async (_lang, message, penalty, code) => {
    const said = joined(await t.chat.say(message));
    if (penalty) expect(said).toContain(penalty);
    expect(said).toContain(code);
    await t.sms.nextCode();
    expect(t.sms.sent.map((m) => m.to)).toEqual(['+60121000005']);
  });

  test.each([
    ['ms', 'dah 3 kali sy cuba tukar pelan online tp x jadi, geram dah ni. sy nk cakap dgn orang, bukan bot', 'giliran'],
    ['en', "tried three times to change my plan online and it keeps failing, so annoyed. I want to talk to a real person, not a bot", 'queue'],
  ] as const)('%s: a story that ends with a request for a person hands over', async (_lang, message, queued) => {
    const said = joined(await t.chat.say(message));
    expect(said).toContain(queued);
    expect(said).not.toMatch(/tiket|ticket/i);
  });

  test.each([
    ['ms', 'nk kira bil pro-rata', 'pelan lama RM58', 'eh tak jadi kira la. sebenarnya nk tau line sy boleh tukar ke x dulu. 012-100 0004, nk tukar ke postpaid lain', 'syarat tukar postpaid ke postpaid apa ye?', 'Sebelum penukaran Postpaid kepada Postpaid', 'yuran bulanan pelan baru'],
    ['en', 'work out my pro-rata bill', 'old plan RM58', "actually forget the bill. first tell me if my line can switch. 012-100 0004, to another postpaid plan", 'what are the conditions for postpaid to postpaid?', 'Before a Postpaid to Postpaid switch', "new plan's monthly fee"],
  ] as const)('%s: a question about the rules after a verdict is answered, not read as a value of the bill set aside', async (_lang, start, fee, check, question, rules, feeAsked) => {
    await t.chat.say(start);
    await t.chat.say(fee);
    await t.chat.say(check);
    expect(joined(await t.chat.say(await t.sms.nextCode()))).toMatch(/✗/);
    const said = joined(await t.chat.say(question));
    expect(said).toContain(rules);
    expect(said).not.toContain(feeAsked);
  });

  test.each([
    ['ms', 'apa? sy tukar sekali je. sy nk buat aduan pasal ni, buka tiket. kategori tukar pelan. emel sy daniel.tan88@gmail.com', 'Kategori: Tukar pelan Digi'],
    ['en', 'what? I only changed once lah. I want to complain about this, open a ticket. category plan switch. email me at daniel.tan88@gmail.com', 'Category: Switching a Digi plan'],
  ] as const)('%s: a ticket request that opens with "what?" reads its category and contact', async (_lang, message, category) => {
    const said = joined(await t.chat.say(message));
    expect(said).toContain(category);
    expect(said).toContain('d••••@g••••.com');
  });

  test.each([
    ['ms', 'sy guna postpaid 58 dah 2 thn, data asyik x cukup. nk tukar ke pelan postpaid lain yg lebih besar. boleh ke? no sy 012-100 0001', '✓ Talian'],
    ['en', "I use postpaid 58 for 2 years now and data is never enough. want to change to another bigger postpaid plan, can I? my no 012-100 0001", '✓ Line'],
  ] as const)('%s: the plan the customer uses is not the plan they switch to', async (_lang, message, eligible) => {
    await t.chat.say(message);
    const verdict = joined(await t.chat.say(await t.sms.nextCode()));
    expect(verdict).toContain(eligible);
    expect(verdict).toContain('Digi Postpaid 80');
  });

  test.each([
    ['ms', 'semak kelayakan tukar pelan', 'nombor saya 0121000001', 'postpaid ke postpaid', 'yuran bulanan pelan baru'],
    ['en', 'check my eligibility to switch plans', 'my number is 0121000001', 'postpaid to postpaid', "new plan's monthly fee"],
  ] as const)('%s: a plan named alone after the verdict starts no bill', async (_lang, start, line, type, feeAsked) => {
    await t.chat.say(start);
    await t.chat.say(line);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(type))).toContain('Digi Postpaid 80');
    expect(joined(await t.chat.say('Digi Postpaid 80'))).not.toContain(feeAsked);
  });
});

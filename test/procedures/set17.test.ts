/**
 * What blind procedure sets 17 and 18 found, through the whole bot turn by turn, in Malay and English: "kejap" asks the
 * bot to wait (no "please rephrase"), and a correction two turns after the bill still corrects it; "sy maksudkan"
 * corrects; "cancel the calculation" cancels; "terima kasih atas bantuan anda" is thanks; a MyKad number given after
 * an answer that did not start the migration starts it; the plan a customer says they use ("saya menggunakan", "my
 * Postpaid 40 to …") is not the target; "Email:" after a sentence is no request; a request for a ticket while queued
 * for a person opens one; a message the bot could not answer becomes the ticket asked for next.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';


describe('blind sets 17 and 18', () => {
  // (staff on duty at any hour: a request for a person is queued whatever the clock says)
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'nk kira pro-rata. pelan lama RM58, baru RM80, kitaran bil mula 1 Jun 2026', 'tarikh tukar 6/6/2026', 'hmm kejap sy tgk bil lama', 'tunggu', 'eh silap, pelan lama sy RM49.95 la, bukan 58'],
    ['en', 'work out my pro-rata: old plan RM58, new RM80, billing cycle starts 1 June 2026', 'switched on 6/6/2026', 'hold on, let me find the old bill', 'take your time', 'oops, my old plan was RM49.95, not 58'],
  ] as const)('%s: asked to wait, then a correction two turns after the bill corrects it', async (_lang, request, date, wait, waiting, correction) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(date))).toContain('RM76.34');
    const waited = joined(await t.chat.say(wait));
    expect(waited.toLowerCase()).toContain(waiting);
    expect(joined(await t.chat.say(correction))).toContain('RM75.00');
  });

  test.each([
    ['ms', 'nk kira bil pro rata. sy tukar dr pelan 58 ke 98', 'tukar 20 mei 2026, bil mula 1hb mei 2026', 'eh sori, sy maksudkan 21 mei', 'RM72.19'],
  ] as const)('%s: "sy maksudkan" corrects the bill', async (_lang, request, values, correction, total) => {
    await t.chat.say(request);
    await t.chat.say(values);
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['ms', 'nak kira pro-rata dari pelan 58 ke 98', 'ok, batalkan kiraan tu', 'tempoh bil'],
    ['en', "I'm thinking of upgrading from Postpaid 58 to Postpaid 98. Can you work out the pro-rata for me?", 'OK. Actually, cancel the calculation, I will decide next month.', 'billing period'],
  ] as const)('%s: a cancel that names what it cancels closes the bill', async (_lang, request, cancel, asked) => {
    expect(joined(await t.chat.say(request)).toLowerCase()).toContain(asked);
    expect(joined(await t.chat.say(cancel)).toLowerCase()).not.toContain(asked);
  });

  test.each([
    ['ms', 'Terima kasih atas bantuan anda.', 'Sama-sama'],
    ['en', 'thanks for your help!', "You're welcome"],
  ] as const)('%s: thanks for something is thanks', async (_lang, thanks, reply) => {
    expect(joined(await t.chat.say(thanks))).toContain(reply);
  });

  test.each([
    ['ms', 'Assalamualaikum. Sy dulu selalu beli data kadaster kat ebiz lama, skrg dah tukar sistem baru sy x dpt masuk langsung. Dah cuba reset pun x jadi. Pening dah', 'no kp sy 780625085433', 'r••••@e••••.org'],
    ['en', "Hi. I used to buy cadastral data on the old eBiz, now the new system won't let me in at all. Tried a reset too. So frustrating", 'my IC 780625085433', 'r••••@e••••.org'],
  ] as const)('%s: a story of an old login ending in a feeling, then a MyKad: the migration', async (_lang, story, mykad, masked) => {
    await t.chat.say(story);
    expect(joined(await t.chat.say(mykad))).toContain(masked);
  });

  test.each([
    ['ms', 'Selamat pagi. Saya menggunakan pelan Digi Postpaid 58. Bolehkah talian saya 012-100 0001 ditukar kepada pelan pascabayar yang lain?', '✓ Talian'],
    ['en', 'wanna upgrade my Postpaid 58 to a higher postpaid plan, line 012-100 0001', '✓ Line'],
  ] as const)('%s: the plan the customer uses is not the target', async (_lang, message, eligible) => {
    await t.chat.say(message);
    const verdict = joined(await t.chat.say(await t.sms.nextCode()));
    expect(verdict).toContain(eligible);
    expect(verdict).toContain('Digi Postpaid 80');
  });

  test.each([
    ['en', 'Need to migrate old eBiz account. Email: Tan.WeiMing@example.com.my', 't••••@e••••.com.my'],
  ] as const)('%s: "Email:" after a sentence labels the address; the sentence asks for the migration', async (_lang, message, masked) => {
    const said = joined(await t.chat.say(message));
    expect(said).toContain(masked);
    expect(said).not.toMatch(/ticket/i);
  });

  test.each([
    ['ms', 'dah 3 kali sy pi Digi Store nak tukar ke prepaid, asyik kata sistem down!! sy nak cakap dgn orang, bukan bot', 'giliran', 'ok buat tiket la. pasal tukar pelan, dah 3 kali pi Digi Store Mid Valley tapi staf kata sistem down', 'Tukar pelan Digi'],
    ['en', "three times I went to the Digi Store to switch to prepaid and the system was down every time! let me talk to a person", 'queue', 'ok just open a ticket then. about switching plan, the Mid Valley store system was down three times', 'Switching a Digi plan'],
  ] as const)('%s: a request for a ticket while queued for a person opens one', async (_lang, story, queued, ticket, category) => {
    expect(joined(await t.chat.say(story))).toContain(queued);
    await t.chat.say(ticket);
    // out of the queue: the bot answers again, and the ticket holds what was said
    expect(joined(await t.chat.say('ali@example.com'))).toContain(category);
  });

  test.each([
    ['ms', 'Sy dah bayar bil Digi minggu lepas tapi masih tunjuk RM45.20 tertunggak', 'ya tolong buat tiket', 'Bil dan caj'],
    ['en', 'I paid my Digi bill last week but it still shows RM45.20 outstanding', 'yes pls open a ticket', 'Bills and charges'],
  ] as const)('%s: a ticket asked for right after a message the bot could not answer is about it', async (_lang, message, ticket, category) => {
    // (not understood: "… or shall I raise a ticket?")
    expect(joined(await t.chat.say(message))).toMatch(/tiket|ticket/i);
    await t.chat.say(ticket);
    const said = joined(await t.chat.say('ali@example.com'));
    expect(said).toContain(category);
    expect(said).toContain('RM45.20');
  });

  test.each([
    ['ms', 'Hi, semak kalau 012-100 0006 boleh tukar ke prepaid', 'Kalau sy tukar, boleh ke sy balik ke pelan Demo Postpaid 40 nanti?', 'tidak boleh melanggan semula'],
    ['en', 'Hi, checking if 012-100 0006 can go to prepaid', 'If I switch, can I come back to my Demo Postpaid 40 plan later?', 'cannot subscribe to your old plan again'],
  ] as const)('%s: after the verdict, going back to the old plan is a question, not another check', async (_lang, check, back, answer) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    const said = joined(await t.chat.say(back));
    expect(said.toLowerCase()).toContain(answer.toLowerCase());
    expect(said).not.toMatch(/✓|✗/);
  });

  test.each([
    ['ms', 'Saya cuba log masuk eBiz dengan ID lama tapi tak boleh.', 'No IC saya 780625085433', 'Alamak, emel tu emel syarikat lama saya, dah lama tak boleh buka.', 'Ok, tolong buka tiket. Saya nak pentadbir sistem tukar kepada emel baru saya rajesh.baru@example.com', 'Akaun eBiz'],
    ['en', "I can't log in to eBiz with my old ID.", 'my IC is 780625085433', "that's my old company e-mail, I can't open it any more", 'ok please open a ticket, I want the admin to change it to my new email rajesh.new@example.com', 'eBiz account'],
  ] as const)('%s: at the offer of a ticket, asking for it with a new address is the yes, not another lookup', async (_lang, start, mykad, dead, ticket, category) => {
    await t.chat.say(start);
    await t.chat.say(mykad);
    await t.chat.say(dead);
    const said = joined(await t.chat.say(ticket));
    expect(said).toContain(category);
    expect(said).not.toMatch(/masih aktif|still active/);
  });

  test.each([
    ['en', 'My prepaid 013-100 0004 stopped working. Check if it can switch to postpaid.', 'This is ridiculous. Get me a human being.', 'queue'],
  ] as const)('%s: "get me a human being" hands over', async (_lang, check, human, queued) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(human))).toContain(queued);
  });

  test.each([
    ['en', "Hi, I'm a foreigner working in KL. My old eBiz account was registered with passport A12345678 but I can't login to the new system. Pls help", 'j••••@e••••.net', 'wait, before that, will my old purchase history still be there after this?'],
  ] as const)('%s: a story with a passport number is read whole (the migration), and a question opening with "wait" is no request to wait', async (_lang, story, masked, question) => {
    expect(joined(await t.chat.say(story))).toContain(masked);
    expect(joined(await t.chat.say(question)).toLowerCase()).not.toContain('take your time');
  });

  test.each([
    ['en', 'Hai, sy nak login eBiz guna akaun lama, boleh tolong?', 'I registered with my passport, number A12345678', 'j••••@e••••.net'],
  ] as const)('%s: "number <passport>" is the migration\'s value, not a line to check', async (_lang, start, passport, masked) => {
    await t.chat.say(start);
    expect(joined(await t.chat.say(passport))).toContain(masked);
  });
});

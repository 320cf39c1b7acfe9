/**
 * What procedure set 35 (a development set, written blind) found, through the whole bot turn by turn, in Malay and
 * English: "how do I contact customer service?" is answered with the two ways this chat offers (a person, a ticket) as
 * buttons, while "how do I make a complaint?" starts the ticket; right after a switch's verdict, "ok where do I go to do
 * it?" is answered with where to switch (a place is asked: not the switch's conditions); on WhatsApp "nk tukar plan lg,
 * boleh x?" (the "I" left out) checks the chat's own line; a question turned aside in the middle of a bill that names
 * the switch it is about ("eh b4 that, what do i need to switch postpaid to postpaid?") is answered and the bill goes
 * on; "calc" is "calculate".
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 35', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['en', 'ok how do i contact customer service then', /two ways: talk to one of our staff in this chat \(Monday–Sunday, 00:00–24:00/, ['Talk to a person', 'Raise a ticket'], /What is your request about\?/],
    ['ms', 'Terima kasih. Macam mana nak hubungi khidmat pelanggan?', /dua cara: bercakap dengan pegawai kami dalam sembang ini \(Isnin–Ahad, 00:00–24:00/, ['Cakap dengan pegawai', 'Buat tiket'], /Aduan anda berkaitan dengan apa\?/],
  ] as const)('%s: asked how to reach customer service, the two ways as buttons; the ticket button starts the ticket', async (_lang, ask, ways, buttons, ticket) => {
    const said = await t.chat.say(ask);
    expect(joined(said)).toMatch(ways);
    expect(said[said.length - 1]!.buttons).toEqual(buttons);
    expect(joined(await t.chat.press(2))).toMatch(ticket);
  });

  test.each([
    ['en', 'how do I contact customer service?', /You are number 1 in the queue/],
    ['ms', 'camne nak hubungi khidmat pelanggan?', /Anda di kedudukan 1 dalam giliran/],
  ] as const)('%s: the person button after the two ways joins the queue', async (_lang, ask, queued) => {
    await t.chat.say(ask);
    expect(joined(await t.chat.press(1))).toMatch(queued);
  });

  test.each([
    ['en', 'how do I make a complaint?', /What is your request about\?/],
    ['ms', 'macam mana nak buat aduan', /Aduan anda berkaitan dengan apa\?/],
  ] as const)('%s: asked how to make a complaint, the ticket starts (no choice)', async (_lang, ask, ticket) => {
    expect(joined(await t.chat.say(ask))).toMatch(ticket);
  });

  test.each([
    ['en', 'can i switch to another prepaid plan?', 'ok where do I go to do it?', /According to the guide, these switches can only be done at a specific place/],
    ['ms', 'boleh sy tukar ke pelan prepaid lain?', 'ok kena pergi mana nak buat?', /Menurut panduan, penukaran berikut hanya boleh dilakukan di tempat tertentu/],
  ] as const)('%s: right after a verdict, where to do it is answered with where to switch', async (_lang, ask, where, place) => {
    onWhatsApp(t.chat, '+60131000001');
    expect(joined(await t.chat.say(ask))).toMatch(/Prepaid/);
    const answer = joined(await t.chat.say(where));
    expect(answer).toMatch(place);
    expect(answer).not.toMatch(/make sure|pastikan/);
  });

  test.each([
    ['ms', 'nk tukar plan lg, boleh x?', '+60121000004', /tidak boleh membuat sebarang penukaran pelan sekarang/],
    ['en', 'want to change plan, can?', '+60121000004', /cannot make any plan switch right now/],
    // (set 36: whether a switch is possible, no want named)
    ['ms', 'slm, blh tukar pelan x?', '+60131000005', /tidak boleh membuat sebarang penukaran pelan sekarang/],
    ['en', 'hi, can change plan?', '+60131000005', /cannot make any plan switch right now/],
  ] as const)('%s: on WhatsApp, "%s" (no one named) checks the chat\'s own line', async (_lang, ask, from, verdict) => {
    onWhatsApp(t.chat, from);
    expect(joined(await t.chat.say(ask))).toMatch(verdict);
    await t.sms.settle();
    expect(t.sms.sent).toEqual([]);
  });

  test.each([
    ['en', 'need to calc my prorata bill', 'old plan RM128', 'eh b4 that, what do i need to switch postpaid to postpaid? any conditions?', /Before a Postpaid to Postpaid switch, make sure[\s\S]*monthly fee of your new plan/, 'new RM98, switching on 12 June 2026, cycle starts 1 June 2026', /RM46\.93[\s\S]*RM62\.07[\s\S]*RM109\.00/],
    ['ms', 'nk kira bil prorata', 'pelan lama RM128', 'eh sebelum tu, apa syarat nak tukar pascabayar ke pascabayar?', /Sebelum penukaran Postpaid kepada Postpaid, pastikan[\s\S]*yuran bulanan pelan baru/, 'pelan baru RM98, tukar 12 Jun 2026, kitaran bil mula 1 Jun 2026', /RM46\.93[\s\S]*RM62\.07[\s\S]*RM109\.00/],
  ] as const)('%s: a question aside in a bill, naming the switch, is answered and the bill goes on', async (_lang, start, old, aside, answered, rest, bill) => {
    expect(joined(await t.chat.say(start))).toMatch(/monthly fee of your (old|current) plan|yuran bulanan pelan (lama|semasa)/i);
    await t.chat.say(old);
    expect(joined(await t.chat.say(aside))).toMatch(answered);
    expect(joined(await t.chat.say(rest))).toMatch(bill);
  });
});

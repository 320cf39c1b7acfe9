/**
 * What procedure set 37 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: a plan named as the one the customer is on now ("skrg guna Demo Postpaid 40") is the line's
 * own, not the plan to switch to; "bro" and "us" carry no topic ("bro blh tukar plan x?" on WhatsApp checks the chat's
 * line; "ok please change it for us. company is …" after how to change the company representative starts the ticket that
 * answer offers, not what a switch forfeits); "get in touch" is contacting.
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 37', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'nak upgrade ke pelan postpaid lain, no 012-1000006, skrg guna Demo Postpaid 40', /layak untuk penukaran Postpaid kepada Postpaid, ke mana-mana pelan ini: Digi Postpaid 58, Digi Postpaid 80/],
    ['en', 'I want to upgrade to another postpaid plan, number 012-100 0006, currently using Demo Postpaid 40', /can make the Postpaid to Postpaid switch, to any of these plans: Digi Postpaid 58, Digi Postpaid 80/],
  ] as const)('%s: the plan the customer is on now is not the plan to switch to', async (_lang, ask, verdict) => {
    await t.chat.say(ask);
    const said = joined(await t.chat.say(await t.sms.nextCode()));
    expect(said).toMatch(verdict);
    expect(said).not.toMatch(/no longer offered|tidak lagi ditawarkan/);
  });

  test.each([
    ['ms', 'bro blh tukar plan x?', /tidak boleh membuat sebarang penukaran pelan sekarang/],
    ['en', 'bro can i change my plan?', /cannot make any plan switch right now/],
  ] as const)('%s: on WhatsApp, "bro" carries no topic: the chat\'s own line is checked', async (_lang, ask, verdict) => {
    onWhatsApp(t.chat, '+60121000004');
    expect(joined(await t.chat.say(ask))).toMatch(verdict);
  });

  test.each([
    ['en', 'our company rep for eBiz resigned last month. how to change the company representative?', 'ok please change it for us. company is Ukur Maju Sdn Bhd, the new rep is Siti Nurhaliza binti Ahmad', /How can customer service reach you|Please check your ticket/],
    ['ms', 'wakil syarikat kami utk eBiz dah berhenti bulan lepas. macam mana nak tukar wakil syarikat?', 'ok tolong tukarkan untuk kami. syarikat Ukur Maju Sdn Bhd, wakil baru Siti Nurhaliza binti Ahmad', /Bagaimana Khidmat Pelanggan boleh menghubungi anda|Sila semak tiket anda/],
  ] as const)('%s: asked to do what the answer on the company representative offers, the ticket starts', async (_lang, ask, request, ticket) => {
    expect(joined(await t.chat.say(ask))).toMatch(/Customer Service|Khidmat Pelanggan/);
    const said = joined(await t.chat.say(request));
    expect(said).toMatch(ticket);
    expect(said).not.toMatch(/forfeited|dilupuskan/);
  });

  test('en: "get in touch" asks how to reach customer service', async () => {
    const said = await t.chat.say('How do I get in touch with your customer service team?');
    expect(said[said.length - 1]!.buttons).toEqual(['Talk to a person', 'Raise a ticket']);
  });
});

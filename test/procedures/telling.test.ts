/**
 * A clause that only tells about the customer (it opens with "I", "my", "sy", asks nothing and reports no problem: "I pay
 * my bill every month", "sy bayar bil bulanan mcm biasa je") is never read as a request, whatever entry its words come
 * close to: after a verdict, a "why?" followed by such a clause shows the verdict again; after a bill, thanks followed by
 * one are thanks. Through the whole bot, turn by turn, in Malay and English.
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('clauses that only tell', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'boleh sy tukar ke prepaid?', 'eh kenapa? sy bayar bil postpaid tiap2 bulan', /belum layak untuk penukaran Postpaid kepada Prepaid/],
    ['en', 'can I switch to prepaid?', 'wait why? my postpaid bill is paid every month', /cannot make the Postpaid to Prepaid switch yet/],
  ] as const)('%s: "why?" and a clause that only tells, right after a verdict, shows the verdict again', async (_lang, ask, why, verdict) => {
    onWhatsApp(t.chat, '+60121000003');
    expect(joined(await t.chat.say(ask))).toMatch(verdict);
    const said = joined(await t.chat.say(why));
    expect(said).toMatch(verdict);
    expect(said).not.toMatch(/Sebelum penukaran|Before switching/);
  });

  test.each([
    ['ms', 'kira pro-rata: tukar dari pelan RM58 ke RM80 pada 11 April 2026, kitaran bil mula 1 April 2026', 'ok tq. sy bayar bil bulanan mcm biasa je', /Sama-sama/],
    ['en', 'calculate the pro-rata: RM58 to RM80 on 11 April 2026, billing cycle starts 1 April 2026', 'ok thanks. I pay my monthly bill the usual way', /You're welcome/],
  ] as const)('%s: thanks and a clause that only tells, after a bill, are thanks', async (_lang, bill, thanks, back) => {
    expect(joined(await t.chat.say(bill))).toMatch(/72\.66/);
    const said = joined(await t.chat.say(thanks));
    expect(said).toMatch(back);
    expect(said).not.toMatch(/Tempoh Masa Langganan|Subscription Period/);
  });
});

/**
 * What procedure set 44 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: the ticket set aside for a bill, cancelled in words once the bill shows nothing was
 * wrong ("ok that matches my bill, so no need to complain la. cancel the complaint"), is cancelled, not started again;
 * and a request in words to do what a rule's answer offers, with a way to reach the customer ("wah RM300? please waive
 * that penalty, you can email me at …"), right after a line's verdict, is that ticket, not the rule's answer again.
 */
import { chatWithStaffOnDuty, joined, onWhatsApp } from '../helpers/bot';

describe('procedure set 44', () => {
  const t = chatWithStaffOnDuty();
  const tickets = () => t.chat.runtime.database.db.selectFrom('tickets').selectAll().execute();

  test.each([
    ['en', 'I want to make a complaint', 'my Digi bill has a pro-rata charge that looks wrong', 'actually can you calculate it first? RM58 plan to RM80 plan, switched on 7 April 2026, billing cycle starts 1 April 2026', 'ok that matches my bill, so no need to complain la. cancel the complaint', /cancelled/],
    ['ms', 'sy nak buat aduan', 'bil Digi sy ada caj pro-rata yang nampak pelik', 'eh kira dulu boleh? pelan RM58 ke RM80, tukar 7 April 2026, kitaran bil mula 1 April 2026', 'ok sama dgn bil sy, x payah la aduan. batalkan aduan tu', /batalkan/],
  ] as const)('%s: the ticket set aside for a bill, cancelled in words, is cancelled', async (_lang, complain, about, bill, cancel, cancelled) => {
    await t.chat.say(complain);
    await t.chat.say(about);
    expect(joined(await t.chat.say(bill))).toMatch(/RM11\.60/);
    const said = joined(await t.chat.say(cancel));
    expect(said).toMatch(cancelled);
    expect(said).not.toMatch(/raise a ticket|buat tiket/);
    expect(await tickets()).toEqual([]);
  });

  test.each([
    ['en', 'hi, can I change my plan? want to go prepaid', 'wah RM300? please waive that penalty, you can email me at lim.kahhoe@example.com', 'yes, agree'],
    ['ms', 'slm, blh sy tukar pelan? nak jadi prepaid', 'RM300?? tolong kecualikan penalti tu, hubungi sy di lim.kahhoe@example.com', 'ya setuju'],
  ] as const)('%s: a request to waive the penalty with a contact, right after the verdict, is a ticket', async (_lang, ask, waive, agree) => {
    onWhatsApp(t.chat, '+60121000005');
    expect(joined(await t.chat.say(ask))).toMatch(/RM300/);
    expect(joined(await t.chat.say(waive))).toMatch(/l••••@e••••\.com/);
    await t.chat.say(agree);
    const [ticket] = await tickets();
    expect(ticket?.category).toBe('plan-switch');
  });
});

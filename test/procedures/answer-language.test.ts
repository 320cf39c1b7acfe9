/**
 * An answer to the running procedure's question written in words of both languages keeps the conversation's language
 * ("switch on 15 Feb 2026, billing cycle start 1 Feb 2026" in a Malay conversation; "tarikh tukar 15 Feb 2026, kitaran
 * bil mula 1 Feb 2026" in an English one); a sentence of the other language ("the switch date is 15 Feb 2026 and the
 * cycle starts on 1 Feb") changes it. Through the whole bot, turn by turn.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('the language of an answer to a procedure', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'bro nak kira prorate bill, downgrade dr RM80 ke RM58', 'switch on 15 Feb 2026, billing cycle start 1 Feb 2026', /Bil pro-rata[\s\S]*Jumlah: RM40\.00 \+ RM29\.00 = RM69\.00/],
    ['en', 'please work out my pro-rata bill, downgrading from RM80 to RM58', 'tarikh tukar 15 Feb 2026, kitaran bil mula 1 Feb 2026', /Pro-rata bill[\s\S]*Total: RM40\.00 \+ RM29\.00 = RM69\.00/],
  ] as const)('%s: an answer in words of both languages keeps the conversation\'s language', async (_lang, ask, answer, bill) => {
    await t.chat.say(ask);
    expect(joined(await t.chat.say(answer))).toMatch(bill);
  });

  test('a sentence of the other language changes it', async () => {
    await t.chat.say('bro nak kira prorate bill, downgrade dr RM80 ke RM58');
    expect(joined(await t.chat.say('the switch date is 15 Feb 2026 and the cycle starts on 1 Feb 2026'))).toMatch(/Pro-rata bill[\s\S]*Total: RM40\.00/);
  });
});

describe('a language asked for right after a bill', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    // the bill again in the language asked for; a reason given with the request is no request of its own
    ['Kira pro-rata: tukar dr pelan RM48 ke RM68 pd 18 Mac 2026, kitaran bil mula 1 Mac 2026', 'can explain in English please? my manager wants to see', /Pro-rata bill[\s\S]*Total: RM26\.32 \+ RM30\.71 = RM57\.03/],
    ['Pro-rata please: from the RM48 plan to the RM68 plan on 18 March 2026, billing cycle starting 1 March 2026', 'boleh terangkan dalam BM? mak sy nak baca', /Bil pro-rata[\s\S]*Jumlah: RM26\.32 \+ RM30\.71 = RM57\.03/],
  ] as const)('%s', async (ask, switchTo, bill) => {
    await t.chat.say(ask);
    const replies = joined(await t.chat.say(switchTo));
    expect(replies).toMatch(bill);
    expect(replies).not.toMatch(/Which line|Talian mana/);
  });
});

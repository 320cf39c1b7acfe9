/**
 * What blind procedure set 19 still found, through the whole bot turn by turn, in Malay and English: a language asked
 * for in a first clause of its own, then why ("in English please, suami sy nak baca sekali"), switches; a cancel that
 * asks nothing closes the procedure, whatever topic its words name ("sy x pasti email tu masih boleh guna. batal dulu
 * la") — no ticket started in its place.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind set 19', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'salam, nak semak line 013-100 0004 boleh tukar ke postpaid x', 'in English please, suami sy nak baca sekali', '✗ Line'],
    ['en', 'can my line 013-100 0004 switch to postpaid?', 'BM boleh, mak saya nak baca', '✗ Talian'],
  ] as const)('%s: a language asked for in a first clause, then why, switches', async (_lang, check, switchTo, verdict) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(switchTo))).toContain(verdict);
  });

  test.each([
    ['ms', 'nak pindah akaun lama eBiz ke sistem baru', '850312145672', 'hmm kejap, sy x pasti email tu masih boleh guna. batal dulu la, nanti sy check dgn anak sy', 'dibatalkan|batalkan|hentikan'],
    ['en', 'I want to migrate my old eBiz account', '850312145672', "hmm wait, not sure that email still works. cancel first, I'll check with my son later", 'cancel'],
  ] as const)('%s: a cancel that asks nothing closes the procedure and starts no ticket', async (_lang, request, mykad, cancel, said) => {
    await t.chat.say(request);
    await t.chat.say(mykad);
    const reply = joined(await t.chat.say(cancel));
    expect(reply).toMatch(new RegExp(said, 'i'));
    expect(reply).not.toMatch(/tiket|ticket/i);
  });

  test.each([
    ['en', 'can you calculate my bill if i change plan', 'actually forget it, first tell me if my line can even switch. 013-100 0001 to a postpaid plan', 'code'],
    ['ms', 'boleh kira bil kalau sy tukar pelan', 'eh lupakan dulu, bagitau dulu line sy boleh tukar tak. 013-100 0001 ke pelan postpaid', 'kod'],
  ] as const)('%s: a cancel with a request and its values switches to it', async (_lang, request, cancelAndAsk, code) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(cancelAndAsk)).toLowerCase()).toContain(code);
    await expect(t.sms.nextCode()).resolves.toMatch(/^\d{6}$/);
  });
});

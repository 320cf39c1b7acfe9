/**
 * What blind procedure set 20 found, through the whole bot turn by turn, in Malay and English: a value said not to be
 * meant while another is asked ("eh bukan 80, 98") corrects the slot that held it; "want to change to the RM80 one"
 * is the switch asked for, not a correction; a cancel where a description is awaited with a question beside it
 * answers the question; "BM boleh? nak forward kat mak" switches the verdict's language; a request for a person in the
 * middle of three short sentences hands over; a "what if" naming only another switch checks the same line again.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind set 20', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['ms', 'nak kira bil pro-rata', 'pelan lama RM58', 'pelan baru RM80', 'eh bukan 80, 98. sy salah tengok', 'tukar pada 11 April 2026', 'kitaran bil mula 1hb April 2026'],
    ['en', 'work out a pro-rata bill for me', 'old plan RM58', 'new plan RM80', 'oh wait, not 80, 98. misread it', 'switching on 11 April 2026', 'billing cycle starts 1 April 2026'],
  ] as const)('%s: a value said not to be meant while another slot is asked corrects the slot that held it', async (_lang, ...turns) => {
    const replies: string[] = [];
    for (const turn of turns) replies.push(joined(await t.chat.say(turn)));
    // the correction is taken, the period still asked, and the bill uses RM98
    expect(replies[3]).not.toMatch(/tidak faham|did not understand|don't understand/i);
    expect(replies[5]).toContain('RM84.66');
  });

  test.each([
    ['ms', 'pelan sy skrg Digi Postpaid 58, nak tukar kepada pelan RM80 pada 21 April 2026, kitaran bil mula 1 April 2026. berapa bil pro-rata?'],
    ['en', "I'm on Digi Postpaid 58 now and want to change to the RM80 one on 21 April 2026, billing cycle starts 1 April 2026. How much is the pro-rata bill?"],
  ] as const)('%s: "change to" a plan in the request is the switch, not a correction', async (_lang, request) => {
    expect(joined(await t.chat.say(request))).toContain('RM65.34');
  });

  test.each([
    ['ms', 'nak buat aduan', 'pasal bil', 'eh tak jadi la, batal. sy nak tanya je, dokumen apa perlu bawa utk daftar kat kaunter JUPEM?', 'Kad Pengenalan'],
    ['en', 'I want to make a complaint', 'about billing', 'actually never mind, cancel. one question though: what documents do I bring to register at a JUPEM counter?', 'identity card'],
  ] as const)('%s: a cancel with a question where a description is awaited closes the ticket and answers', async (_lang, request, category, cancel, answer) => {
    await t.chat.say(request);
    await t.chat.say(category);
    expect(joined(await t.chat.say(cancel))).toContain(answer);
  });

  test.each([
    ['en', 'is my number 012-100 0002 eligible to switch to another postpaid plan?', 'BM boleh? nak forward kat mak sy', '✗ Talian'],
    ['ms', 'talian 012-100 0002 boleh tukar ke pelan pascabayar lain?', 'English can? want to send it to my boss', '✗ Line'],
  ] as const)('%s: a language asked for, then why: the verdict again in it', async (_lang, check, switchTo, verdict) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(switchTo))).toContain(verdict);
  });

  test.each([
    ['en', 'how do I upgrade my account?', 'hmm ok. can I talk to a real person instead? need someone to go through it with me', 'queue'],
    ['ms', 'macam mana nak naik taraf akaun?', 'hmm ok. boleh sy cakap dengan pegawai? nak minta terangkan sikit', 'giliran'],
  ] as const)('%s: a request for a person among three short sentences hands over', async (_lang, question, human, queued) => {
    await t.chat.say(question);
    expect(joined(await t.chat.say(human))).toContain(queued);
  });

  test.each([
    ['en', 'check my line 013-100 0002 to postpaid', 'what if to another prepaid plan instead?', '✓ Line', '✗ Line'],
    ['ms', 'semak talian 013-100 0002 tukar ke pascabayar', 'kalau ke pelan prabayar lain pulak?', '✓ Talian', '✗ Talian'],
  ] as const)('%s: a "what if" naming only another switch checks the same line again', async (_lang, check, whatIf, first, second) => {
    await t.chat.say(check);
    expect(joined(await t.chat.say(await t.sms.nextCode()))).toContain(first);
    expect(joined(await t.chat.say(whatIf))).toContain(second);
    expect(t.sms.sent).toHaveLength(1);
  });

  test.each([
    ['ms', 'semak talian 013-100 0001 tukar ke pascabayar', 'kalau tukar ke pascabayar, kredit hangus ke?'],
    ['en', 'check my line 013-100 0001 to postpaid', 'if I switch to postpaid, is my credit forfeited?'],
  ] as const)('%s: a "what if" about a rule of the switch is answered, not a new check', async (_lang, check, question) => {
    await t.chat.say(check);
    await t.chat.say(await t.sms.nextCode());
    expect(joined(await t.chat.say(question))).not.toMatch(/✓|✗/);
  });
});

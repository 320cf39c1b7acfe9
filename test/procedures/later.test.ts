/**
 * A customer who says they will go and find what a procedure asks ("ok I'll check my email again" where a ticket
 * reference is asked, "nanti sy call ofis dulu" where the MyKad is asked) leaves it: the procedure is closed and they
 * are told to come back when they have it, instead of the question asked again. A request to wait ("hold on, let me
 * find my bill") keeps it open, and a value given with such words is the answer.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('going to find what a procedure asks', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['en', "hi what's the status of my ticket TKT-99999", "hmm I'm sure that's the number from last week. ok I'll check my email again", 'start again here', 'What is your ticket reference'],
    ['ms', 'semak status tiket TKT-99999', 'pelik, rasanya betul no tu. ok nanti sy semak emel dulu', 'mulakan semula di sini', 'Apakah nombor rujukan tiket'],
    ['en', 'please migrate my old eBiz account', "my IC is at the office, I'll call them later", 'start again here', 'MyKad'],
    ['ms', 'nak migrate akaun ebiz lama', 'IC ada kat ofis, nanti sy call ofis dulu', 'mulakan semula di sini', 'MyKad'],
  ] as const)('%s: "I\'ll do it myself later" where a value is asked closes the procedure', async (_lang, request, later, told, question) => {
    await t.chat.say(request);
    const reply = joined(await t.chat.say(later));
    expect(reply).toContain(told);
    expect(reply).not.toContain(question);
    // nothing is running any more: a question is answered, not taken as the awaited value
    const next = joined(await t.chat.say(_lang === 'en' ? 'where can I switch from postpaid to prepaid?' : 'tukar postpaid ke prepaid boleh buat kat mana?'));
    expect(next).toContain('Digi Store');
    expect(next).not.toContain(question);
  });

  test.each([
    ['en', 'please migrate my old eBiz account', "I'll email you later if there's a problem. my IC is 900101-10-5431", 'start again here'],
    ['ms', 'nak migrate akaun ebiz lama', 'nanti sy email kalau ada masalah. IC sy 900101-10-5431', 'mulakan semula di sini'],
  ] as const)('%s: the same words given with the value are the answer', async (_lang, request, answer, told) => {
    await t.chat.say(request);
    const reply = joined(await t.chat.say(answer));
    expect(reply).not.toContain(told);
    expect(reply).toMatch(/@/);
  });

  test.each([
    ['en', "hi what's the status of my ticket TKT-99999", 'hold on, let me find the e-mail with the reference', 'take your time'],
    ['ms', 'semak status tiket TKT-99999', 'kejap, biar sy cari emel yg ada no rujukan tu', 'Saya tunggu'],
  ] as const)('%s: a request to wait keeps the question open', async (_lang, request, wait, waited) => {
    await t.chat.say(request);
    expect(joined(await t.chat.say(wait))).toContain(waited);
    expect(joined(await t.chat.say('TKT-20261122-7QF3'))).not.toMatch(/start again here|mulakan semula/);
  });
});

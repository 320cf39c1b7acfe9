/**
 * What procedure set 41 (written blind, measured held out, then a development set) found, through the whole bot turn by
 * turn, in Malay and English: at the e-mail confirmation of a migration, a no told in a sentence before a question about
 * what to do ("alamak bukan, emel tu dh lama mati … kalau emel lama rosak mcm ni sy kena buat apa?") is the no (the
 * answer for a dead e-mail, then the offer of a ticket), not a question that leaves the confirmation open; and a ticket
 * asked for there ("ok tolong buat tiket terus la") is no yes: the link is not sent to an address never confirmed.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('procedure set 41', () => {
  const t = chatWithStaffOnDuty();
  const sent = /pautan migrasi telah dihantar|a migration link has been sent/;

  test.each([
    ['ms', 'nak log masuk guna ID lama', 'alamak bukan, emel tu dh lama mati, sy x boleh buka dah. kalau emel lama rosak mcm ni sy kena buat apa?', 'ok tolong buat tiket', /Mahu saya buat tiket/, /hubungi anda/],
    ['en', 'I need to log in with my old ID', "oh no, that mailbox died years ago, I can't open it. what do I do if my old email is dead like this?", 'ok please open a ticket then', /Shall I raise a ticket/, /reach you/],
  ] as const)('%s: a no told before a question at the e-mail confirmation is the no, then the ticket it offers', async (_lang, ask, no, ticket, offer, contact) => {
    await t.chat.say(ask);
    expect(joined(await t.chat.say('850312-14-5672'))).toMatch(/a••••@e••••\.com/);
    const said = joined(await t.chat.say(no));
    expect(said).toMatch(/Khidmat Pelanggan|Customer Service/);
    expect(said).toMatch(offer);
    const next = joined(await t.chat.say(ticket));
    expect(next).not.toMatch(sent);
    expect(next).toMatch(contact);
  });

  test.each([
    ['ms', 'nak log masuk guna ID lama', 'ok tolong buat tiket terus la'],
    ['en', 'I need to log in with my old ID', 'ok, open a ticket please'],
  ] as const)('%s: a ticket asked for at the e-mail confirmation is no yes', async (_lang, ask, ticket) => {
    await t.chat.say(ask);
    await t.chat.say('850312-14-5672');
    expect(joined(await t.chat.say(ticket))).not.toMatch(sent);
  });
});

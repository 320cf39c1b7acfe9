/**
 * The ticket and ticket-status procedures through the whole bot, turn by turn, in English and Malay:
 * only missing slots asked, the summary with the PDPA consent (one "yes" submits) and edit, the reference given back, status shown only
 * to the same customer or after verifying the contact, handovers, and bad input.
 */
import { WaterfallDialog, ComponentDialog } from 'botbuilder-dialogs';
import { joined, type TestChat } from '../helpers/bot';
import { RecordingProactive, outboxRows, ticketChat } from './helpers';

const REF = /TKT-\d{8}-[23456789A-HJKMNP-Z]{4}/;

/** The following turns come from another customer, in another conversation. */
function actAs(chat: TestChat, userId: string): void {
  const template = (chat.adapter as unknown as { template: Record<string, unknown> }).template;
  template.from = { id: userId, name: 'Someone else' };
  template.conversation = { id: `conv-${userId}` };
}

async function tickets(chat: TestChat) {
  return chat.runtime.database.db.selectFrom('tickets').selectAll().execute();
}

describe('TicketDialog', () => {
  let chat: TestChat;
  afterEach(async () => chat?.close());

  test('English: asks category, description, name and contact (one question), then the summary with the consent; "yes" stores it with the reference and a mail to support', async () => {
    chat = await ticketChat();
    let said = await chat.say('can I talk to customer service');
    expect(joined(said)).toContain('What is your request about?');
    expect(said[said.length - 1]!.buttons).toContain('Bills and charges');
    said = await chat.say('Bills and charges');
    expect(joined(said)).toContain('describe the problem');
    // a description that looks like a question is the answer, not an interruption
    said = await chat.say('How can I be charged twice for the March bill?');
    // the name (optional) and the contact in one question
    expect(joined(said)).toContain('How can customer service reach you?');
    expect(joined(said)).toContain('your name if you like');
    said = await chat.say('Ali bin Abu');
    // a name alone: the contact is asked again, for itself
    expect(joined(said)).toContain('e-mail address and/or mobile number');
    expect(joined(said)).not.toContain('your name if you like');
    said = await chat.say('ali@example');
    expect(joined(said)).toContain("doesn't look valid");
    said = await chat.say('ali@example.com 012-345 6789');
    // the ticket to check and the consent in one question: one "yes" agrees and submits
    const summary = joined(said);
    expect(summary).toContain('Personal Data Protection Act');
    expect(summary).toContain('Category: Bills and charges');
    expect(summary).toContain('a••••@e••••.com, +6012•••••89');
    expect(summary).not.toContain('ali@example.com');
    expect(said[said.length - 1]!.buttons).toEqual(['Yes, agree & submit', 'Edit', 'No']);
    expect(await tickets(chat)).toHaveLength(0);
    said = await chat.say('yes');
    const reference = REF.exec(joined(said))![0];
    expect(joined(said)).toContain(`Your reference is ${reference}`);
    const rows = await tickets(chat);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reference, lang: 'en', category: 'billing', name: 'Ali bin Abu', email: 'ali@example.com', phone: '+60123456789', status: 'open' });
    expect(JSON.parse(rows[0]!.conversation_ref!).conversation.id).toBeTruthy();
    const mail = await outboxRows(chat);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_addr: 'support@example.com', kind: 'ticket-created' });
    // after the procedure the bot answers questions again
    said = await chat.say('how do I upgrade my ebiz account');
    expect(joined(said)).not.toContain('reference');
  });

  test('Malay: the whole procedure, and the summary can be edited', async () => {
    chat = await ticketChat();
    let said = await chat.say('nak buat aduan');
    expect(joined(said)).toContain('Aduan anda berkaitan dengan apa?');
    said = await chat.press(3); // Tukar pelan Digi
    expect(joined(said)).toContain('terangkan masalah anda');
    said = await chat.say('Saya tak dapat tukar pelan prepaid ke postpaid walaupun dah cuba banyak kali');
    expect(joined(said)).toContain('Bagaimana Khidmat Pelanggan boleh menghubungi anda?');
    expect(joined(said)).toContain('nama anda jika mahu');
    said = await chat.say('S1t1');
    expect(joined(said)).toContain('Saya perlukan alamat e-mel atau nombor telefon bimbit');
    said = await chat.say('Siti Nur');
    expect(joined(said)).toContain('alamat e-mel dan/atau nombor telefon');
    expect(joined(said)).not.toContain('nama anda jika mahu');
    said = await chat.say('012-345');
    expect(joined(said)).toContain('Saya perlukan alamat e-mel atau nombor telefon bimbit');
    said = await chat.say('012-345 6789');
    expect(joined(said)).toContain('Akta Perlindungan Data Peribadi 2010');
    expect(joined(said)).toContain('Sila semak tiket anda');
    expect(joined(said)).toContain('Kategori: Tukar pelan Digi');
    said = await chat.say('Ubah');
    expect(joined(said)).toContain('Apa yang anda mahu ubah?');
    said = await chat.say('Nama');
    expect(joined(said)).toContain('Siapa nama anda?');
    said = await chat.say('Siti Nurhaliza');
    // back to the summary and consent, with the new name; nothing stored yet
    expect(joined(said)).toContain('Nama: Siti Nurhaliza');
    expect(joined(said)).toContain('Akta Perlindungan Data Peribadi 2010');
    expect(await tickets(chat)).toHaveLength(0);
    said = await chat.say('Hantar');
    expect(joined(said)).toMatch(/Nombor rujukan anda ialah TKT-/);
    const rows = await tickets(chat);
    expect(rows[0]).toMatchObject({ lang: 'ms', category: 'plan-switch', name: 'Siti Nurhaliza', email: null, phone: '+60123456789' });
  });

  test('no consent, an oversized description, or cancel: nothing stored, nothing mailed', async () => {
    chat = await ticketChat();
    await chat.say('open a support ticket');
    await chat.say('Something else');
    let said = await chat.say('x'.repeat(1200));
    expect(joined(said)).toContain('too long (1200 characters)');
    said = await chat.say('The portal shows an error when I log in');
    expect(joined(said)).toContain('How can customer service reach you?');
    await chat.say('Ali');
    await chat.say('0123456789');
    said = await chat.say('no');
    expect(joined(said)).toContain("nothing has been stored");
    await chat.say('raise a ticket');
    said = await chat.say('cancel');
    expect(joined(said)).toContain('cancelled');
    expect(await tickets(chat)).toHaveLength(0);
    expect(await outboxRows(chat)).toHaveLength(0);
  });

  test('the problem told in the request is its description; the name is optional; "my name is" given later is stripped (English)', async () => {
    chat = await ticketChat();
    let said = joined(await chat.say("I want to raise a ticket: my eBiz prepaid top-up of RM200 on 2 April isn't showing in my balance. Contact me at john.smith@example.net"));
    // the category (a purchase on eBiz), the description and the contact come from that message: consent is next
    expect(said).not.toContain('Please describe the problem');
    expect(said).not.toContain('How can customer service reach you?');
    expect(said).toContain('Personal Data Protection Act');
    // a name given at any point is taken, and the question asked again
    said = joined(await chat.say('my name is John Smith'));
    expect(said).toContain('Personal Data Protection Act');
    expect(said).toContain("isn't showing in my balance");
    expect(said).toContain('John Smith');
    expect(REF.test(joined(await chat.say('yes')))).toBe(true);
    expect(await tickets(chat)).toMatchObject([{ name: 'John Smith', email: 'john.smith@example.net', category: 'ebiz-purchase' }]);
  });

  test.each([
    ['ms', 'saya nak buat aduan: semalam saya beli pelan topografi digital di eBiz, akaun dah ditolak RM30 tapi fail tak boleh dimuat turun. emel saya siti@example.com', 'Akta Perlindungan Data Peribadi', 'Nama: (tidak diberi)', 'ebiz-purchase'],
    ['en', 'please open a complaint: the JUPEM counter in Kuching charged me twice for a single cadastral map last week. you can email me at ali@example.com', 'Personal Data Protection Act', 'Name: (not given)', 'billing'],
  ])('%s: a request, a colon, then the story: the ticket starts and reads the story (not an FAQ from its words); no name needed', async (_lang, message, askConsent, noName, category) => {
    chat = await ticketChat();
    const said = joined(await chat.say(message));
    expect(said).toContain(askConsent);
    expect(said).toContain(noName);
    expect(joined(await chat.say(_lang === 'ms' ? 'ya' : 'yes'))).toMatch(REF);
    expect(await tickets(chat)).toMatchObject([{ category, name: '' }]);
  });

  test('a language switch in the middle: the question is asked again in the new language, and after a wrong answer too', async () => {
    chat = await ticketChat();
    expect(joined(await chat.say('nak buat aduan'))).toContain('Aduan anda berkaitan dengan apa?');
    let said = joined(await chat.say('can we continue in English?'));
    expect(said).toContain('What is your request about?');
    expect(said).not.toContain('Aduan anda berkaitan dengan apa?');
    said = joined(await chat.say('Bills and charges'));
    said = joined(await chat.say('I was charged twice for one topographic map'));
    expect(said).toContain('How can customer service reach you?');
    said = joined(await chat.say('boleh cakap melayu?'));
    expect(said).toContain('Bagaimana Khidmat Pelanggan boleh menghubungi anda?');
    said = joined(await chat.say('12345'));
    expect(said).toContain('Saya perlukan alamat e-mel atau nombor telefon bimbit');
    expect(said).toContain('Bagaimana Khidmat Pelanggan boleh menghubungi anda?');
    expect(said).not.toContain('How can customer service reach you?');
  });

  test('the fallback button starts it', async () => {
    chat = await ticketChat();
    const said = await chat.say("what's the weather in Ipoh tomorrow?");
    expect(said[0]!.buttons[0]).toBe('Raise a ticket');
    const next = await chat.press(1);
    expect(joined(next)).toContain("I'll raise a ticket");
  });

  test('a handover from another procedure brings its category and what went wrong (masked)', async () => {
    chat = await ticketChat({
      extra: () => {
        // a stand-in for the migration procedure that gives up and hands over
        const d = new ComponentDialog('migration');
        d.addDialog(
          new WaterfallDialog('m', [
            async (step) =>
              step.beginDialog('ticket', {
                text: 'my e-mail is ali@example.com',
                handover: { from: 'migration', summary: 'Login migration failed: no account found for ali@example.com' },
              }),
            async (step) => step.endDialog(),
          ]),
        );
        return [d];
      },
    });
    let said = await chat.say('Start account migration');
    expect(joined(said)).toContain('help you with this');
    // category and description come from the handover, the e-mail with its text: straight to consent
    expect(joined(said)).toContain('Personal Data Protection Act');
    expect(joined(said)).toContain('eBiz account');
    expect(joined(said)).toContain('no account found for a••••@e••••.com');
    await chat.say('yes');
    const rows = await tickets(chat);
    expect(rows[0]).toMatchObject({ category: 'ebiz-account', source: 'procedure:migration' });
    expect(rows[0]!.excerpt).not.toContain('ali@example.com');
  });

  test('when the ticket cannot be stored: a polite try-again, and the summary kept', async () => {
    chat = await ticketChat();
    await chat.say('raise a ticket');
    await chat.say('Something else');
    await chat.say('Nothing works on the portal today');
    await chat.say('Ali');
    await chat.say('ali@example.com');
    // the outbox table is gone: the ticket's transaction fails as a whole
    const db = chat.runtime.database.db;
    await db.schema.alterTable('mail_outbox').renameTo('mail_outbox_away').execute();
    let said = await chat.say('yes');
    expect(joined(said)).toContain("couldn't save your ticket");
    expect(joined(said)).toContain('Shall I submit it?');
    expect(await tickets(chat)).toHaveLength(0);
    await db.schema.alterTable('mail_outbox_away').renameTo('mail_outbox').execute();
    said = await chat.say('Submit');
    expect(joined(said)).toMatch(REF);
    expect(await tickets(chat)).toHaveLength(1);
  });
});

describe('TicketStatusDialog', () => {
  let chat: TestChat;
  afterEach(async () => chat?.close());

  async function raise(c: TestChat, lang: 'en' | 'ms' = 'en'): Promise<string> {
    if (lang === 'en') {
      await c.say('raise a ticket');
      await c.say('Bills and charges');
      await c.say('Charged twice in March');
      await c.say('Ali');
      await c.say('ali@example.com 0123456789');
      return REF.exec(joined(await c.say('yes')))![0];
    }
    await c.say('nak buat aduan');
    await c.say('Bil dan caj');
    await c.say('Bil bulan Mac dicaj dua kali');
    await c.say('Ali');
    await c.say('ali@example.com 0123456789');
    return REF.exec(joined(await c.say('ya')))![0];
  }

  test('the same customer sees status and the latest staff reply (English)', async () => {
    const proactive = new RecordingProactive();
    chat = await ticketChat({ proactive });
    const reference = await raise(chat);
    let said = await chat.say(`status ${reference}`);
    expect(joined(said)).toContain(`Ticket ${reference} (Bills and charges)`);
    expect(joined(said)).toContain('Status: Open, awaiting action');
    expect(joined(said)).toContain("hasn't replied yet");
    const service = (chat.runtime.features[0]!.dialogs![0] as unknown as { deps: { tickets: import('../../src/services/tickets').TicketService } }).deps.tickets;
    await service.reply(reference, { text: 'We have refunded RM58.', author: 'Aminah' });
    expect(proactive.sent[0]!.text).toContain('We have refunded RM58.');
    said = await chat.say(`status ${reference.toLowerCase()}`);
    expect(joined(said)).toContain('Status: Waiting for your response');
    expect(joined(said)).toContain('Latest reply from customer service');
    expect(joined(said)).toContain('We have refunded RM58.');
  });

  test('a malformed reference is explained and the reference asked (Malay); the one ticket here needs none', async () => {
    chat = await ticketChat();
    const reference = await raise(chat, 'ms');
    // the one ticket raised here: "semak tiket" shows it
    expect(joined(await chat.say('semak tiket'))).toContain(`Tiket ${reference} (Bil dan caj)`);
    let said = await chat.say('semak tiket TKT-123');
    expect(joined(said)).toContain('Itu bukan nombor rujukan tiket');
    expect(joined(said)).toContain('Apakah nombor rujukan tiket anda?');
    said = await chat.say(reference);
    expect(joined(said)).toContain(`Tiket ${reference} (Bil dan caj)`);
    expect(joined(said)).toContain('Dibuka, menunggu tindakan');
  });

  test.each([
    ['en', 'check my ticket status', 'TKT-1', "couldn't find a ticket reference", 'my tickets'],
    ['ms', 'semak status tiket', 'TKT-1', 'tidak menemui nombor rujukan tiket', 'tiket saya'],
  ])('three answers without a reference end with a way out, not in silence (%s)', async (_lang, ask, wrong, gaveUp, hint) => {
    chat = await ticketChat();
    await chat.say(ask);
    await chat.say(wrong);
    await chat.say(wrong);
    const said = joined(await chat.say(wrong));
    expect(said).toContain(gaveUp);
    expect(said).toContain(hint);
  });

  test('another customer, and an unknown reference, get the same answer; the right contact unlocks it', async () => {
    chat = await ticketChat();
    const reference = await raise(chat);
    actAs(chat, 'user-2');
    const other = {};
    const foreign = joined(await chat.say(`status ${reference}`, other));
    expect(foreign).toContain('only show ticket');
    expect(foreign).not.toContain('Bills and charges');
    const unknownRef = reference.slice(0, -4) + (reference.endsWith('ZZZZ') ? 'YYYY' : 'ZZZZ');
    await chat.say('cancel', other);
    const unknown = joined(await chat.say(`status ${unknownRef}`, other));
    expect(unknown.replace(unknownRef, 'REF')).toBe(foreign.replace(reference, 'REF'));
    const notVerified = joined(await chat.say('ali@example.com', other));
    expect(notVerified).toContain('do not match');
    await chat.say(`status ${reference}`, other);
    expect(joined(await chat.say('bob@example.com', other))).toContain('do not match');
    await chat.say(`status ${reference}`, other);
    const shown = joined(await chat.say('+60 12-345 6789', other));
    expect(shown).toContain(`Ticket ${reference}`);
  });

  test('contact guesses are rate-limited', async () => {
    chat = await ticketChat();
    const reference = await raise(chat);
    actAs(chat, 'user-3');
    const other = {};
    for (let i = 0; i < 5; i++) {
      await chat.say(`status ${reference}`, other);
      expect(joined(await chat.say(`guess${i}@example.com`, other))).toContain('do not match');
    }
    await chat.say(`status ${reference}`, other);
    expect(joined(await chat.say('ali@example.com', other))).toContain('Too many attempts');
  });
});

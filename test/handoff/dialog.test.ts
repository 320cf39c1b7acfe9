/**
 * The live handoff turn by turn with the whole bot (real database, every feature), in Malay and English:
 * asking for a person, the queue, staff taking the conversation, messages both ways, the bot silent,
 * cancel, hand back, two failures in a row, closed hours and the pick-up timeout with the ticket offer.
 */
import { sql } from 'kysely';
import { setVerifiedPhone } from '../../src/bot/context';
import type { HandoffFeature } from '../../src/features/handoff';
import { createTestChat, joined, type TestChat } from '../helpers/bot';
import { eventually } from '../helpers/eventually';
import { ALWAYS_OPEN, RecordingMessenger, todayInMalaysia } from './helpers';

const handoffOf = (chat: TestChat) => (chat.runtime.features.find((f) => f.name === 'handoff') as HandoffFeature).service;
const agent = { id: 7, name: 'Siti' };

describe('live handoff in a conversation', () => {
  let chat: TestChat;
  let proactive: RecordingMessenger;
  const open = async (env: Record<string, string> = ALWAYS_OPEN, userId = 'user-1') => {
    proactive = new RecordingMessenger();
    chat = await createTestChat({ env, proactive, userId });
  };
  afterEach(async () => {
    await chat?.close();
  });

  test('Malay: asked for a person → queued with position and wait; staff take, talk both ways, the bot is silent; hand back', async () => {
    await open();
    const queued = joined(await chat.say('nak cakap dengan orang'));
    expect(queued).toMatch(/kedudukan 1 dalam giliran/);
    expect(queued).toMatch(/lebih kurang 4 minit/);
    // while queued, the bot says nothing and the message is kept for staff
    expect(await chat.say('akaun eBiz saya disekat')).toEqual([]);
    const service = handoffOf(chat);
    const [place] = await service.queue();
    expect(place!.position).toBe(1);
    expect(place!.session.lang).toBe('ms');

    expect(await service.take(place!.session.id, agent)).toBe(true);
    expect(await service.take(place!.session.id, { id: 8, name: 'Other' })).toBe(false);
    expect(proactive.texts().at(-1)).toBe('Siti dari khidmat pelanggan kini bersama anda.');
    await service.staffMessage(place!.session.id, agent, 'Boleh beri ID pengguna anda?');
    expect(proactive.texts().at(-1)).toBe('Siti: Boleh beri ID pengguna anda?');

    // a question the bot could answer goes to the person, not the bot
    expect(await chat.say('camne nk upgrade akaun')).toEqual([]);
    const messages = await service.messages(place!.session.id);
    expect(messages.filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['akaun eBiz saya disekat', 'camne nk upgrade akaun']);
    expect(messages.some((m) => m.role === 'staff' && m.text === 'Boleh beri ID pengguna anda?')).toBe(true);

    expect(await service.handBack(place!.session.id, agent)).toBe(true);
    expect(proactive.texts().at(-1)).toMatch(/pembantu automatik/);
    // back with the bot: it answers again
    expect(joined(await chat.say('camne nk upgrade akaun'))).not.toBe('');
    expect(await service.open(place!.session.conversationKey)).toBeUndefined();
  });

  test('English: "talk to an agent" queues in English; "cancel" leaves the queue and the bot answers again', async () => {
    await open();
    expect(joined(await chat.say('talk to an agent'))).toMatch(/number 1 in the queue; the expected wait is about 4 minutes/);
    expect(joined(await chat.say('human please'))).toMatch(/still in the queue, number 1/);
    expect(joined(await chat.say('cancel'))).toMatch(/left the queue/);
    expect(await handoffOf(chat).queue()).toEqual([]);
    expect(joined(await chat.say('hello'))).toMatch(/How can I help/);
    // the turn that queued is counted as handed off (metrics, dashboard), once
    await eventually(async () => {
      const rows = await chat.runtime.database.db.selectFrom('insight_turns').select('outcome').where('outcome', '=', 'handed_off').execute();
      expect(rows).toHaveLength(1);
    });
  });

  test.each([
    ['ms', 'sy nak bercakap dgn staf khidmat pelanggan', 'jap, sblm tu. dokumen apa kena bawa kalau nak daftar kat kaunter JUPEM?', /Kad Pengenalan/, /masih dalam giliran, di kedudukan 1/, 'boleh cakap English?', /reply in English/],
    ['en', 'I need to speak to a staff member about changing my company representative on eBiz', 'before that, what documents do I bring to register at the JUPEM counter?', /identity card/i, /still in the queue, number 1/, 'boleh cakap Melayu? senang sikit', /dalam Bahasa Melayu/],
  ] as const)('%s: while still in the queue, a question the bot answers is answered with the place, and a language asked for is switched to', async (_lang, request, question, answer, place, switchAsk, switched) => {
    await open();
    expect(joined(await chat.say(request))).toMatch(/giliran|queue/);
    const replies = await chat.say(question);
    expect(joined(replies)).toMatch(answer);
    expect(replies.at(-1)!.text).toMatch(place);
    expect(joined(await chat.say(switchAsk))).toMatch(switched);
    // a message that asks nothing is only relayed; staff read everything
    expect(await chat.say('ok tq, pasal tu la sy nak tanya staf')).toEqual([]);
    const service = handoffOf(chat);
    const [queued] = await service.queue();
    const messages = await service.messages(queued!.session.id);
    expect(messages.filter((m) => m.role === 'customer').map((m) => m.text)).toEqual([question, switchAsk, 'ok tq, pasal tu la sy nak tanya staf']);
  });

  test.each([
    ['ms', 'boleh sy cakap dgn pegawai?', 'x pe la, batal. sy nak tanya je, dokumen apa kena bawa ke kaunter JUPEM utk daftar?', /keluar dari giliran/, /Kad Pengenalan/],
    ['en', 'Can I talk to a real person? this bot not helping', 'nvm, cancel that. just tell me where I can switch my postpaid to prepaid', /left the queue/, /Digi Store/],
  ] as const)('%s: a cancel with a question after it while queued leaves the queue, and the question is answered', async (_lang, request, message, left, answer) => {
    await open();
    expect(joined(await chat.say(request))).toMatch(/giliran|queue/);
    const replies = joined(await chat.say(message));
    expect(replies).toMatch(left);
    expect(replies).toMatch(answer);
    expect(await handoffOf(chat).queue()).toEqual([]);
  });

  test('a cancel with more after it, said to the person who holds the conversation, is relayed to them', async () => {
    await open();
    await chat.say('talk to an agent');
    const service = handoffOf(chat);
    const [place] = await service.queue();
    await service.take(place!.session.id, agent);
    expect(await chat.say('cancel that, where do I switch my postpaid to prepaid?')).toEqual([]);
    expect((await service.get(place!.session.id))!.status).toBe('held');
  });

  test('"batal" while a person holds the conversation ends it; the staff side sees the customer left', async () => {
    await open();
    await chat.say('boleh saya bercakap dengan pegawai?');
    const service = handoffOf(chat);
    const [place] = await service.queue();
    await service.take(place!.session.id, agent);
    expect(joined(await chat.say('batal'))).toMatch(/sesi dengan pegawai telah ditamatkan/);
    const ended = await service.get(place!.session.id);
    expect(ended!.status).toBe('ended');
    expect(ended!.endReason).toBe('cancelled');
    await expect(service.staffMessage(place!.session.id, agent, 'hello?')).rejects.toThrow(/not held by you/);
  });

  test('two failures in a row: the bot offers a person; the button queues the customer, with what the bot tried', async () => {
    await open();
    const first = await chat.say('zxqv blorp wibble');
    expect(joined(first)).not.toMatch(/talk to one of our staff/);
    const second = await chat.say('flurb gromp snaz');
    const offer = second.at(-1)!;
    expect(offer.text).toMatch(/talk to one of our staff/);
    expect(offer.buttons).toEqual(['Talk to a person']);
    expect(joined(await chat.press(1))).toMatch(/number 1 in the queue/);
    const [place] = await handoffOf(chat).queue();
    expect(place!.session.reason).toBe('failures');
    const tried = (await handoffOf(chat).messages(place!.session.id)).filter((m) => m.role !== 'system').map((m) => `${m.role}:${m.kind ?? ''}`);
    expect(tried).toEqual(['customer:', 'bot:fallback', 'customer:', 'bot:fallback']);
  });

  test('a decline that suggests the nearest topic is a failure too: the second in a row offers a person', async () => {
    await open();
    const first = await chat.say('The map sheet we want is marked restricted. So somebody has to drive to Putrajaya?');
    expect(first[0]!.buttons[0]).toBe('Restricted data');
    const second = await chat.say('flurb gromp snaz');
    expect(second.at(-1)!.text).toMatch(/talk to one of our staff/);
  });

  test.each([
    ['yes agree', /number 1 in the queue/],
    ['ya setuju', /kedudukan 1 dalam giliran/],
  ])('two failures in a row, then "%s" typed to the offer of a person: queued', async (yes, queued) => {
    await open();
    await chat.say('zxqv blorp wibble');
    expect((await chat.say('flurb gromp snaz')).at(-1)!.text).toMatch(/talk to one of our staff/);
    expect(joined(await chat.say(yes))).toMatch(queued);
    const [place] = await handoffOf(chat).queue();
    expect(place!.session.reason).toBe('failures');
  });

  test.each([
    ['en', 'are you a human?', /automated assistant \(a bot\), not a person/, 'Talk to a person', /number 1 in the queue/],
    ['ms', 'kau ni robot ke manusia sebenarnya?', /pembantu automatik \(bot\), bukan manusia/, 'Cakap dengan pegawai', /kedudukan 1 dalam giliran/],
  ] as const)('%s: asked what the bot is, it says so and offers a person; nobody is queued until the button', async (_lang, question, says, button, queued) => {
    await open();
    const replies = await chat.say(question);
    expect(joined(replies)).toMatch(says);
    expect(replies.at(-1)!.buttons[0]).toBe(button);
    expect(await handoffOf(chat).queue()).toEqual([]);
    expect(joined(await chat.press(1))).toMatch(queued);
    expect(await handoffOf(chat).queue()).toHaveLength(1);
  });

  test('"yes" with no offer of a person before it queues nobody', async () => {
    await open();
    await chat.say('zxqv blorp wibble');
    await chat.say('yes agree');
    expect(await handoffOf(chat).queue()).toEqual([]);
  });

  test('a failure then an answer resets the count (no offer)', async () => {
    await open();
    await chat.say('zxqv blorp wibble');
    await chat.say('how do I upgrade my user account?');
    const again = await chat.say('flurb gromp snaz');
    expect(joined(again)).not.toMatch(/talk to one of our staff/);
  });

  test('closed (a public holiday): a ticket is offered in Malay; "ya" starts the ticket with the conversation attached', async () => {
    await open({ ...ALWAYS_OPEN, HANDOFF_HOLIDAYS: todayInMalaysia() });
    const closed = await chat.say('nak cakap dengan orang');
    expect(joined(closed)).toMatch(/pegawai kami tiada sekarang\. Mereka bertugas Isnin–Ahad, 00:00–24:00 waktu Malaysia/);
    expect(closed.at(-1)!.buttons).toEqual(['Buat tiket', 'Tidak, terima kasih']);
    expect(await handoffOf(chat).queue()).toEqual([]);
    const ticket = joined(await chat.say('ya'));
    expect(ticket).toMatch(/aduan|tiket/i);
    expect(ticket).not.toMatch(/pegawai kami tiada/);
  });

  test('closed in English: "No, thank you" declines and the bot carries on', async () => {
    await open({ HANDOFF_DAYS: '1-7', HANDOFF_OPEN: '00:00', HANDOFF_CLOSE: '24:00', HANDOFF_HOLIDAYS: todayInMalaysia() });
    expect(joined(await chat.say('I want to speak to someone'))).toMatch(/Monday–Sunday, 00:00–24:00 Malaysia time/);
    expect(joined(await chat.say('No, thank you'))).toMatch(/anything else I can help with/);
  });

  test('nobody picks up in time: the customer is offered a ticket (once, whatever the number of sweeps)', async () => {
    await open();
    await chat.say('talk to an agent');
    const service = handoffOf(chat);
    await sql`update handoff_sessions set queued_at = ${new Date(Date.now() - 3_600_000).toISOString()}`.execute(chat.runtime.database.db);
    expect(await service.expireUnpicked()).toBe(1);
    expect(await service.expireUnpicked()).toBe(0);
    expect(proactive.texts()).toEqual([expect.stringMatching(/all our staff are still busy\. Shall I raise a ticket/)]);
    const ticket = await chat.say('yes');
    expect(joined(ticket)).toMatch(/ticket/i);
  });
  describe('a way to reach the customer left while waiting: a ticket is offered, and the queue kept until it is sent', () => {
    const ticketsOf = async () => (await chat.runtime.database.db.selectFrom('tickets').select(['reference', 'category', 'description', 'phone', 'email']).execute()) as Array<Record<string, string | null>>;

    test('Malay: the problem, then "hubungi sy di …": the ticket about what was told; "setuju" sends it and leaves the queue', async () => {
      await open();
      await chat.say('boleh sy cakap dgn staff? x nak layan bot dah');
      expect(await chat.say('pasal bil la. Bulan ni sy kena caj penuh RM80 padahal sy tukar dari pelan 58 pertengahan bulan')).toEqual([]);
      const offer = await chat.say('hubungi sy di 013-100 0001, lepas 5 ptg');
      expect(joined(offer)).toMatch(/masih dalam giliran/);
      expect(joined(offer)).toMatch(/Kategori: Bil dan caj/);
      expect(joined(offer)).toMatch(/Penerangan: pasal bil la\. Bulan ni sy kena caj penuh RM80/);
      const service = handoffOf(chat);
      const [place] = await service.queue();
      expect(place).toBeDefined();
      expect(await ticketsOf()).toEqual([]);
      const sent = joined(await chat.say('ok setuju'));
      expect(sent).toMatch(/TKT-\d{8}-[A-Z0-9]{4}/);
      expect(sent).toMatch(/telah keluar dari giliran/);
      const tickets = await ticketsOf();
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({ category: 'billing', phone: '+60131000001' });
      expect(await service.queue()).toEqual([]);
      // the staff side sees the offer, the customer's messages (the contact too) and the ticket they left with
      const messages = await service.messages(place!.session.id);
      expect(messages.filter((m) => m.role === 'system').map((m) => m.kind)).toEqual(['queued', 'ticket-offered', 'ticket']);
      expect(messages.at(-1)!.text).toBe(tickets[0]!.reference);
      expect(messages.filter((m) => m.role === 'customer').map((m) => m.text)).toContain('ok setuju');
    });

    test('English: "call me at …" is offered a ticket; "no" keeps the customer waiting, and what follows is relayed again', async () => {
      await open();
      await chat.say('can I talk to a real person please');
      await chat.say("It's about my bill. The pro-rata charge on my last bill looks wrong");
      expect(joined(await chat.say('call me at 013-100 0003, after 5pm is best'))).toMatch(/still in the queue[\s\S]*Category: Bills and charges/);
      expect(joined(await chat.say('no'))).toMatch(/OK, no ticket\. You are still in the queue, number 1/);
      expect(await chat.say('my account number is on the bill too')).toEqual([]);
      expect(await ticketsOf()).toEqual([]);
      expect(await handoffOf(chat).queue()).toHaveLength(1);
    });

    test('Malay: "batal" to the ticket offered keeps the customer waiting; a second "batal" leaves the queue', async () => {
      await open();
      await chat.say('nak cakap dgn pegawai');
      const offer = joined(await chat.say('akaun eBiz syarikat sy kena kunci lepas tukar kata laluan. emel sy tan.weiming@example.com.my'));
      expect(offer).toMatch(/masih dalam giliran/);
      expect(offer).toMatch(/Sila semak tiket anda/);
      expect(joined(await chat.say('batal'))).toMatch(/Baik, tiada tiket\. Anda masih dalam giliran, di kedudukan 1/);
      expect(await handoffOf(chat).queue()).toHaveLength(1);
      expect(joined(await chat.say('batal'))).toMatch(/keluar dari giliran/);
      expect(await handoffOf(chat).queue()).toEqual([]);
      expect(await ticketsOf()).toEqual([]);
    });

    test('WhatsApp: "you can reach me on this whatsapp number" gives the chat\'s own number', async () => {
      await open();
      chat.adapter.use(async (context, next) => {
        setVerifiedPhone(context, '+60121000001');
        await next();
      });
      await chat.say('can i talk to a real person pls');
      const offer = joined(await chat.say('billing issue: i was charged for Roam Monthly after switching plan, i thought it was cancelled. you can reach me on this whatsapp number'));
      expect(offer).toMatch(/Category: Bills and charges/);
      expect(offer).toMatch(/Contact: \+6012•••••01/);
      expect(joined(await chat.say('yes, I agree'))).toMatch(/left the queue/);
      expect(await ticketsOf()).toHaveLength(1);
    });

    test('a number in the story is no contact: relayed in silence, nothing offered', async () => {
      await open();
      await chat.say('agent pls');
      expect(await chat.say('my line 012-100 0002 was charged twice for the same month, please check')).toEqual([]);
      expect(await handoffOf(chat).queue()).toHaveLength(1);
    });

    test('told before asking for a person, the contact alone after: the ticket is about what the bot could not help with', async () => {
      await open();
      await chat.say('Assalamualaikum, sy nak login eBiz guna ID lama tp emel yg sy daftar dulu tu dah x wujud, syarikat lama dah tutup 2 thn lepas. Camne ni?');
      await chat.say('x faham la. Boleh sy cakap dgn pegawai terus?');
      const offer = joined(await chat.say('hubungi sy di 013-100 0001'));
      expect(offer).toMatch(/Kategori: Akaun eBiz/);
      expect(offer).toMatch(/Penerangan: Assalamualaikum, sy nak login eBiz guna ID lama/);
      expect(joined(await chat.say('setuju'))).toMatch(/keluar dari giliran/);
      expect(await ticketsOf()).toHaveLength(1);
    });

    test('a person takes the conversation while the ticket is being checked: the person handles it, no ticket', async () => {
      await open();
      await chat.say('talk to a human please');
      await chat.say('my eBiz account is locked after the password reset');
      await chat.say('email me at john.smith@example.net');
      const service = handoffOf(chat);
      const [place] = await service.queue();
      expect(await service.take(place!.session.id, agent)).toBe(true);
      expect(await chat.say('ok agree')).toEqual([]);
      expect(await service.handBack(place!.session.id, agent)).toBe(true);
      expect(joined(await chat.say('ok agree'))).not.toMatch(/TKT-/);
      expect(await ticketsOf()).toEqual([]);
    });
  });

  test.each([
    ['ms', 'boleh sy cakap dgn staf? bukan bot', 'ok la. tolong buat tiket: wakil syarikat kami dah berhenti, nk tukar wakil baru utk akaun eBiz syarikat', /Saya akan buat tiket/],
    ['en', 'talk to an agent', 'ok fine. just open a ticket: our company representative resigned and we need a new one on eBiz', /raise a ticket/],
  ] as const)('%s: a ticket asked for after an "ok" of its own while waiting leaves the queue for the ticket', async (_lang, request, ask, started) => {
    await open();
    await chat.say(request);
    expect(joined(await chat.say(ask))).toMatch(started);
    expect(await handoffOf(chat).queue()).toEqual([]);
  });
});

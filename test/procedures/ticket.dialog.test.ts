/**
 * The support ticket on the slot engine, turn by turn, in Malay and in English. The dialog alone with
 * botbuilder-testing's DialogTestClient (a fake ticket store): every value from one message, the name optional
 * (one question for the name and the contact), corrections anywhere and at the summary (never stored with the
 * corrected-away value), WhatsApp's verified sender as the phone, a category button's value (not its label),
 * the way out after three wrong answers, a retried submit finding its ticket. Then through the whole bot (the
 * router decides these): the trigger phrase again restarts the ticket, cancel closes it, an FAQ question midway
 * is answered and the ticket resumes.
 */
import path from 'node:path';
import type { Activity, TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { setTurnLang, setVerifiedPhone } from '../../src/bot/context';
import { loadKnowledge } from '../../src/knowledge';
import type { Lang } from '../../src/knowledge/types';
import { MessageCatalog } from '../../src/language/catalog';
import type { TicketService } from '../../src/services/tickets';
import { TicketDialog } from '../../dialogs/ticket';
import { joined, type TestChat } from '../helpers/bot';
import { memoryLogger } from '../helpers/log';
import { ticketChat } from '../tickets/helpers';

const root = path.join(__dirname, '../..');
const catalog = MessageCatalog.load(path.join(root, 'knowledge/messages'));
const knowledge = loadKnowledge(path.join(root, 'knowledge'));

/** Every reply of the last turn: the first one DialogTestClient returns, then the queued ones. */
async function say(client: DialogTestClient, activity: string | Partial<Activity>): Promise<string> {
  const first = await client.sendActivity(activity);
  const out: string[] = [];
  for (let a = first; a; a = client.getNextReply()) out.push(a.text ?? '');
  return out.join('\n');
}

interface Created {
  requestKey: string;
  category: string;
  description: string;
  name?: string;
  email?: string;
  phone?: string;
}

/** The ticket store, faked: what would be stored is recorded; the same requestKey twice is the same ticket. */
function fakeTickets() {
  const created: Created[] = [];
  const tickets = {
    async create(input: Created & { lang: Lang }) {
      const index = created.findIndex((c) => c.requestKey === input.requestKey);
      const duplicate = index >= 0;
      if (!duplicate) created.push(input);
      const reference = `TKT-20260420-AB${duplicate ? index + 1 : created.length}`;
      return { ticket: { reference, lang: input.lang }, duplicate, confirmation: `ok ${reference}` };
    },
    async findByRequestKey(key: string) {
      return created.find((c) => c.requestKey === key) ? { reference: 'TKT-20260420-AB1' } : undefined;
    },
    async confirmationDelivered() {},
    confirmationText: (reference: string) => `again ${reference}`,
  } as unknown as TicketService;
  return { tickets, created };
}

function ticket(lang: Lang, options: { text?: string; verified?: string } = {}) {
  const { tickets, created } = fakeTickets();
  const middleware = {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      setTurnLang(context, lang);
      if (options.verified) setVerifiedPhone(context, options.verified);
      await next();
    },
  };
  const dialog = new TicketDialog({ catalog, tickets, log: memoryLogger().log });
  const client = new DialogTestClient('test', dialog, options.text ? { text: options.text } : {}, [middleware]);
  return { client, created };
}

const t = (lang: Lang, key: string, vars: Record<string, string | number> = { max: 1000 }) => catalog.t(lang, key, vars);
/** The first words of a catalog message (enough to recognise it, whatever its variables). */
const start = (lang: Lang, key: string) => t(lang, key).slice(0, 30);
/** The summary with the PDPA consent (tickets.ask-consent): agreeing submits the ticket. */
const consentAsked = (lang: Lang) => (lang === 'ms' ? 'Akta Perlindungan Data Peribadi 2010' : 'Personal Data Protection Act');

describe('ticket on the engine: values from any message', () => {
  test.each([
    [
      'ms',
      'Salam, sy nk buat aduan. Sy dah beli data digital kt eBiz 3 hari lepas, duit dah tolak tp link muat turun x sampai2. Nama sy Tan Wei Ming, email tan.weiming@example.com.my',
      'ya sy setuju',
      'Tan Wei Ming',
    ],
    [
      'en',
      "Hello, I'd like to lodge a complaint. I paid for a digital map on eBiz on Monday and the money was taken but the download link never arrived. My name is Siti Nur Aisyah, you can reach me at siti.aisyah@example.org",
      'yes I agree',
      'Siti Nur Aisyah',
    ],
  ] as const)('%s: one message gives category, description, name and e-mail: only the summary with the consent is asked', async (lang, message, consent, name) => {
    const { client, created } = ticket(lang, { text: message });
    const first = await say(client, message);
    expect(first).toContain(consentAsked(lang));
    expect(first).not.toContain(start(lang, 'tickets.ask-category'));
    expect(first).not.toContain(start(lang, 'tickets.ask-description'));
    expect(first).not.toContain(start(lang, 'tickets.ask-reach'));
    expect(first).toContain(t(lang, 'tickets.category.ebiz-purchase'));
    expect(first).toContain(name);
    // the address is masked in the summary, in the description too
    expect(first).not.toMatch(/[a-z.]+@example\.(com\.my|org)/);
    expect(created).toEqual([]);
    // one "yes": agreed and submitted
    await say(client, consent);
    expect(created).toMatchObject([{ category: 'ebiz-purchase', name }]);
    expect(created[0]!.email).toMatch(/@example\.(com\.my|org)$/);
    expect(client.dialogTurnResult.status).toBe('complete');
  });

  test.each([
    ['ms', 'nak buat aduan pasal bil', 'bil bulan ni dicaj yuran bulanan dua kali', '0123456789', 'ya'],
    ['en', 'I want to raise a ticket about my bill', 'my monthly fee was charged twice this month', 'my number is 012-345 6789', 'yes'],
  ] as const)('%s: the name is optional: a contact alone is enough', async (lang, request, description, contact, yes) => {
    const { client, created } = ticket(lang, { text: request });
    expect(await say(client, request)).toContain(start(lang, 'tickets.ask-description'));
    const reach = await say(client, description);
    // one question for the name and a way to reach the customer
    expect(reach).toContain(t(lang, 'tickets.ask-reach'));
    const summary = await say(client, contact);
    expect(summary).toContain(consentAsked(lang));
    expect(summary).toContain(t(lang, 'tickets.name.not-given'));
    expect(summary).toContain('+6012•••••89');
    await say(client, yes);
    expect(created).toMatchObject([{ category: 'billing', phone: '+60123456789' }]);
    expect(created[0]!.name).toBeUndefined();
  });

  test.each([
    ['ms', 'Aminah binti Abdullah', 'aminah@example.com', 'ya sy setuju'],
    ['en', 'rajesh a/l kumar', 'rajesh@example.org', 'I agree'],
  ] as const)('%s: a name alone asks again for the contact only; a sentence is not a name', async (lang, name, email, yes) => {
    const { client, created } = ticket(lang);
    await say(client, 'start');
    await say(client, t(lang, 'tickets.category.other'));
    expect(await say(client, lang === 'ms' ? 'Portal tak boleh dibuka sejak pagi tadi' : 'The portal does not open since this morning')).toContain(t(lang, 'tickets.ask-reach'));
    const sentence = await say(client, lang === 'ms' ? 'ya tolong hantar je' : 'yes please submit it');
    expect(sentence).toContain(t(lang, 'tickets.contact.missing'));
    const again = await say(client, name);
    expect(again).toContain(t(lang, 'tickets.ask-contact'));
    expect(again).not.toContain(t(lang, 'tickets.ask-reach'));
    expect(await say(client, email)).toContain(name);
    await say(client, yes);
    expect(created).toMatchObject([{ category: 'other', name, email }]);
  });

  test.each([
    ['ms', 'Ali bin Abu, ali@example', 'tickets.contact.invalid-email'],
    ['en', 'Ali bin Abu 012-34', 'tickets.contact.missing'],
  ] as const)('%s: a contact typed wrongly gets a polite reason; the name beside it is kept', async (lang, answer, reason) => {
    const { client } = ticket(lang, { text: lang === 'ms' ? 'aduan pasal bil: sy dicaj dua kali untuk bil bulan Mac' : 'complaint about my bill: I was charged twice for the March bill' });
    await say(client, 'start');
    const said = await say(client, answer);
    expect(said).toContain(t(lang, reason));
    expect(said).toContain(t(lang, 'tickets.ask-contact'));
  });
});

describe('ticket on the engine: corrections', () => {
  test.each([
    ['ms', 'nak buat aduan pasal bil', 'saya dicaj dua kali untuk pelan yang sama', 'Siti Aminah, siti@exampel.com', 'eh salah, emel sy siti@example.com', 'hantar'],
    ['en', 'I want to raise a ticket about billing', 'I was charged twice for the same plan', 'John Tan, john@exampel.com', 'sorry, the correct email is john@example.com', 'submit'],
  ] as const)('%s: an e-mail corrected at the summary shows the summary again and is the one stored', async (lang, request, description, reach, correction, submit) => {
    const { client, created } = ticket(lang, { text: request });
    await say(client, request);
    await say(client, description);
    const summary = await say(client, reach);
    expect(summary).toContain(consentAsked(lang));
    expect(summary).toContain('e••••.com');
    const again = await say(client, correction);
    // the summary again, with the new (masked) address, and nothing stored yet
    expect(again).toContain(t(lang, 'tickets.category.billing'));
    expect(again).toContain(lang === 'ms' ? 's••••@e••••.com' : 'j••••@e••••.com');
    expect(created).toEqual([]);
    await say(client, submit);
    expect(created).toHaveLength(1);
    expect(created[0]!.email).toBe(lang === 'ms' ? 'siti@example.com' : 'john@example.com');
  });

  test.each([
    ['ms', 'eh salah, sebenarnya pasal bil', 'Bil dan caj'],
    ['en', 'sorry I meant billing', 'Bills and charges'],
  ] as const)('%s: the category corrected while another question is asked', async (lang, correction, label) => {
    const { client, created } = ticket(lang, { text: lang === 'ms' ? 'nak buat aduan pasal akaun ebiz' : 'raise a ticket about my ebiz account' });
    expect(await say(client, 'start')).toContain(start(lang, 'tickets.ask-description'));
    const said = await say(client, correction);
    // still the description asked, now under the corrected category
    expect(said).toContain(start(lang, 'tickets.ask-description'));
    await say(client, lang === 'ms' ? 'Yuran bulanan dicaj dua kali bulan ini' : 'The monthly fee was charged twice this month');
    expect(await say(client, '0123456789')).toContain(label);
    await say(client, lang === 'ms' ? 'ya' : 'yes');
    expect(created).toMatchObject([{ category: 'billing' }]);
  });

  test.each([
    ['ms', 'Ubah', 'Maklumat hubungan', '0198765432', 'Hantar'],
    ['en', 'Edit', 'Contact details', '0198765432', 'Submit'],
  ] as const)('%s: Edit at the summary asks what to change, then only that', async (lang, edit, field, phone, submit) => {
    const { client, created } = ticket(lang, { text: lang === 'ms' ? 'aduan: bil sy dicaj dua kali bulan ni, emel ali@example.com' : 'complaint: my bill was charged twice this month, email ali@example.com' });
    expect(await say(client, 'start')).toContain(consentAsked(lang));
    // a category's words ("tukar pelan", "change plan") are no request to edit
    expect(await say(client, lang === 'ms' ? 'tukar pelan' : 'change plan')).not.toContain(t(lang, 'tickets.ask-edit'));
    expect(await say(client, edit)).toContain(t(lang, 'tickets.ask-edit'));
    expect(await say(client, field)).toContain(t(lang, 'tickets.ask-reach'));
    // back to the summary with the consent, nothing stored yet
    expect(await say(client, phone)).toContain('+6019•••••32');
    expect(created).toEqual([]);
    await say(client, submit);
    expect(created).toMatchObject([{ phone: '+60198765432' }]);
    expect(created[0]!.email).toBeUndefined();
  });

  test.each([
    ['ms', 'Ubah', 'emel yang betul ali.baru@example.com.my', 'setuju'],
    ['en', 'Edit', 'the correct email is ali.baru@example.com.my', 'I agree'],
    ['ms', 'Ubah', 'tukar emel hubungan ke ali.baru@example.com.my', 'setuju'],
    ['en', 'Edit', 'change the contact email to ali.baru@example.com.my', 'I agree'],
  ] as const)('%s: asked what to edit, the new value itself is the edit', async (lang, edit, value, agree) => {
    const { client, created } = ticket(lang, { text: lang === 'ms' ? 'aduan: bil sy dicaj dua kali bulan ni, emel ali@example.com' : 'complaint: my bill was charged twice this month, email ali@example.com' });
    expect(await say(client, 'start')).toContain(consentAsked(lang));
    expect(await say(client, edit)).toContain(t(lang, 'tickets.ask-edit'));
    const said = await say(client, value);
    expect(said).toContain(consentAsked(lang));
    expect(said).not.toContain(t(lang, 'tickets.ask-edit'));
    expect(created).toEqual([]);
    await say(client, agree);
    expect(created).toMatchObject([{ email: 'ali.baru@example.com.my' }]);
  });
});

describe('ticket on the engine: channels, buttons, way out, retries', () => {
  test.each([['ms'], ['en']] as const)('%s: WhatsApp’s verified sender is the phone: no contact question', async (lang) => {
    const { client, created } = ticket(lang, { verified: '+60121000001' });
    await say(client, 'start');
    await say(client, t(lang, 'tickets.category.billing'));
    const next = await say(client, lang === 'ms' ? 'Bil saya dicaj dua kali bulan ini' : 'My bill was charged twice this month');
    expect(next).toContain(consentAsked(lang));
    expect(next).not.toContain(t(lang, 'tickets.ask-reach'));
    expect(next).toContain('+6012•••••01');
    await say(client, lang === 'ms' ? 'ya' : 'yes');
    expect(created).toMatchObject([{ phone: '+60121000001' }]);
  });

  test.each([['ms'], ['en']] as const)('%s: a category button is read by the id it carries, not by its label', async (lang) => {
    const { client, created } = ticket(lang);
    await say(client, 'start');
    // the label says "other", the press carries "billing": the press wins
    const next = await say(client, { type: 'message', text: t(lang, 'tickets.category.other'), value: { choice: 'billing' } });
    expect(next).toContain(start(lang, 'tickets.ask-description'));
    await say(client, lang === 'ms' ? 'Bil saya dicaj dua kali bulan ini' : 'My bill was charged twice this month');
    await say(client, 'ali@example.com');
    await say(client, { type: 'message', text: t(lang, 'tickets.button.no'), value: { choice: 'ticket:yes' } });
    expect(created).toMatchObject([{ category: 'billing', email: 'ali@example.com' }]);
  });

  test.each([['ms'], ['en']] as const)('%s: three answers without a contact end with a way out, nothing stored', async (lang) => {
    const { client, created } = ticket(lang, { text: lang === 'ms' ? 'aduan: bil sy dicaj dua kali bulan ni' : 'complaint: my bill was charged twice this month' });
    await say(client, 'start');
    await say(client, 'hmm');
    await say(client, '???');
    const out = await say(client, 'entah');
    expect(out).toContain(start(lang, 'tickets.gave-up'));
    expect(client.dialogTurnResult.status).toBe('complete');
    expect(created).toEqual([]);
  });

  test.each([['ms'], ['en']] as const)('%s: consent refused: nothing stored', async (lang) => {
    const { client, created } = ticket(lang, { text: lang === 'ms' ? 'aduan: bil sy dicaj dua kali, 0123456789' : 'complaint: my bill was charged twice, 0123456789' });
    await say(client, 'start');
    expect(await say(client, lang === 'ms' ? 'tak setuju' : "no, I don't agree")).toContain(start(lang, 'tickets.consent.declined'));
    expect(client.dialogTurnResult.status).toBe('complete');
    expect(created).toEqual([]);
  });
});

/** Through the whole bot: what the router decides while a ticket is open. */
describe('ticket through the router', () => {
  let chat: TestChat;
  afterEach(async () => chat?.close());
  const rows = async () => chat.runtime.database.db.selectFrom('tickets').selectAll().execute();

  test.each([
    ['ms', 'nak buat aduan', 'pasal bil', 'eh kejap, mula semula. saya nak buat aduan', 'Aduan anda berkaitan dengan apa?', 'Bil dan caj'],
    ['en', 'I want to make a complaint', 'about my bill', 'hold on, let me start over. I want to make a complaint', 'What is your request about?', 'Bills and charges'],
  ] as const)('%s: the trigger phrase again while the description is asked restarts the ticket', async (_lang, request, about, again, askCategory, label) => {
    chat = await ticketChat();
    await chat.say(request);
    expect(joined(await chat.say(about))).toMatch(/describe the problem|terangkan masalah/);
    const restarted = joined(await chat.say(again));
    // a fresh ticket: the category is asked again, the request is not its description
    expect(restarted).toContain(askCategory);
    await chat.say(label);
    await chat.say(_lang === 'ms' ? 'Yuran bulanan dicaj dua kali bulan ini' : 'The monthly fee was charged twice this month');
    const summary = joined(await chat.say('ali@example.com'));
    expect(summary).not.toMatch(/start over|mula semula/);
    await chat.say(_lang === 'ms' ? 'Hantar' : 'Submit');
    expect(await rows()).toMatchObject([{ category: 'billing', email: 'ali@example.com' }]);
  });

  test.each([
    ['ms', 'nak buat aduan pasal bil', 'batal', 'batalkan'],
    ['en', 'I want to raise a ticket about my bill', 'never mind, cancel it', 'cancelled'],
  ] as const)('%s: cancel closes the ticket at the contact question; nothing stored', async (_lang, request, cancel, done) => {
    chat = await ticketChat();
    await chat.say(request);
    await chat.say(_lang === 'ms' ? 'Bil bulan ini dicaj dua kali' : 'This month’s bill was charged twice');
    expect(joined(await chat.say(cancel))).toContain(done);
    expect(await rows()).toEqual([]);
  });

  test.each([
    ['ms', 'nak buat aduan pasal bil', 'eh x pyh la. suami sy baru bgtau dia dh call tadi dan dh settle. sorry ye, batal', 'batalkan'],
    ['en', 'I want to raise a ticket about my bill', "oh wait, no need. my husband just told me he already called and it's settled. sorry, cancel", 'cancelled'],
  ] as const)('%s: a cancel clause of its own where the description is awaited closes the ticket; nothing stored', async (_lang, request, cancel, done) => {
    chat = await ticketChat();
    await chat.say(request);
    expect(joined(await chat.say(cancel))).toContain(done);
    expect(await rows()).toEqual([]);
  });

  test.each([
    ['ms', 'nak buat aduan pasal akaun ebiz', 'Akaun saya dikunci selepas salah kata laluan tiga kali', 'macam mana nak naik taraf akaun ebiz saya?', 'Bagaimana Khidmat Pelanggan boleh menghubungi anda?'],
    ['en', 'I want to raise a ticket about my ebiz account', 'My account got locked after three wrong passwords', 'how do I upgrade my ebiz account?', 'How can customer service reach you?'],
  ] as const)('%s: an FAQ question midway is answered and the ticket resumes', async (lang, request, description, question, reach) => {
    chat = await ticketChat();
    await chat.say(request);
    expect(joined(await chat.say(description))).toContain(reach);
    const said = joined(await chat.say(question));
    const upgrade = knowledge.byId.get('ebiz.upgrade-account')!.answer![lang];
    expect(said).toContain(upgrade.slice(0, 40));
    // the question asked again, and the ticket carries on
    expect(said).toContain(reach);
    await chat.say('Ali bin Abu, 0123456789');
    await chat.say(lang === 'ms' ? 'ya' : 'yes');
    expect(await rows()).toMatchObject([{ category: 'ebiz-account', name: 'Ali bin Abu', phone: '+60123456789' }]);
  });
});

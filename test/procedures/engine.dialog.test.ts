/**
 * Each procedure turn by turn with botbuilder-testing's DialogTestClient (no server, no database: fake ports
 * for accounts, lines, codes and tickets), in Malay and in English: slots in any order and in one message,
 * re-asking only what is missing, corrections that replace a value (and re-confirm it before acting, never
 * acting on the corrected-away value), a way out after three wrong answers; eligibility's line-first order;
 * tickets' category from the request and corrections at the summary. Interruptions decided by the router
 * (FAQ midway, another procedure, cancel, language) are covered through the whole bot by `npm run
 * eval:procedures` and test/bot, test/planswitch.
 */
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { setTurnLang, setVerifiedPhone } from '../../src/bot/context';
import { loadKnowledge } from '../../src/knowledge';
import type { Lang } from '../../src/knowledge/types';
import { MessageCatalog } from '../../src/language/catalog';
import type { LegacyIdentifier } from '../../src/services/legacyAccounts';
import type { LookupResult, MigrationRequests } from '../../src/services/migrationRequests';
import { EligibilityDialog } from '../../dialogs/eligibility';
import { MigrationDialog } from '../../dialogs/migration';
import type { OtpService } from '../../src/services/otp';
import { type SubscriberDirectory, demoLines } from '../../src/services/subscribers';
import { ProRataDialog } from '../../dialogs/prorata';
import { TicketDialog } from '../../dialogs/ticket';
import type { TicketService } from '../../src/services/tickets';
import { memoryLogger } from '../helpers/log';

const root = path.join(__dirname, '../..');
const knowledge = loadKnowledge(path.join(root, 'knowledge'));
const catalog = MessageCatalog.load(path.join(root, 'knowledge/messages'));
const today = () => ({ y: 2026, m: 4, d: 20 });

/** Every reply of the last turn: the first one DialogTestClient returns, then the queued ones. */
async function say(client: DialogTestClient, text: string): Promise<string> {
  const first = await client.sendActivity(text);
  const out: string[] = [];
  for (let a = first; a; a = client.getNextReply()) {
    const card = a.attachments?.[0]?.content as { fallbackText?: string } | undefined;
    out.push(a.text ?? card?.fallbackText ?? '');
  }
  return out.join('\n');
}

const langMiddleware = (lang: Lang) => ({
  async onTurn(context: TurnContext, next: () => Promise<void>) {
    setTurnLang(context, lang);
    await next();
  },
});

const prorata = (lang: Lang, text?: string) =>
  new DialogTestClient('test', new ProRataDialog(catalog, knowledge, today), text ? { text } : {}, [langMiddleware(lang)]);

describe('pro-rata on the engine', () => {
  test.each([
    ['ms', 'tolong kira prorata pelan 40 ke 98, tukar 20 April 2026, bil mula 5 April 2026', 'RM69.00'],
    ['en', 'prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st', 'RM72.66'],
  ] as const)('%s: every slot in the first message gives the bill at once', async (lang, text, total) => {
    const client = prorata(lang, text);
    const reply = await say(client, 'x'); // the begin turn
    expect(reply).toContain(total);
    expect(client.dialogTurnResult.status).toBe('complete');
  });

  test.each([
    ['ms', ['kira prorata', 'pelan lama'], ['tukar 11 April 2026, bil mula 1 April 2026', 'pelan lama'], ['58 ke 80', 'RM72.66']],
    ['en', ['prorata', 'old plan'], ['switched on 11 April 2026, bill cycle starts 1 April 2026', 'old plan'], ['58 to 80', 'RM72.66']],
  ] as const)('%s: slots in any order, only what is missing is asked', async (lang, ...turns) => {
    const [first, ...rest] = turns;
    const client = prorata(lang, first[0]);
    expect(await say(client, first[0])).toContain(first[1]);
    for (const [text, expected] of rest) expect(await say(client, text)).toContain(expected);
  });

  test.each([
    ['ms', 'eh salah, pelan lama RM48', 'RM69.33'],
    ['en', 'sorry I meant old plan RM48', 'RM69.33'],
  ] as const)('%s: a correction replaces the value already given', async (lang, correction, total) => {
    const client = prorata(lang);
    await say(client, 'start');
    await say(client, 'RM58');
    await say(client, correction);
    await say(client, 'RM80');
    await say(client, '1 April 2026');
    expect(await say(client, '11 April 2026')).toContain(total);
  });

  test.each([
    ['ms', 'baru RM85.. eh silap, RM58 la', 'RM73.71'],
    ['en', 'new one RM85.. oops sorry, I meant RM58', 'RM73.71'],
  ] as const)('%s: a value corrected in the message that gives it: the value after the marker replaces the one before it', async (lang, answer, total) => {
    const client = prorata(lang);
    await say(client, 'start');
    await say(client, 'RM80');
    await say(client, answer);
    await say(client, '1 Feb 2026');
    // February 2026 (28 days): 20 days × 80 / 28 = 57.14, 8 days × 58 / 28 = 16.57 (the old fee stays RM80)
    expect(await say(client, '21 Feb 2026')).toContain(total);
  });

  test.each([
    ['ms', 'Saya berhenti'],
    ['en', "I'll stop"],
  ] as const)('%s: three wrong answers to one question end with a way out', async (lang, words) => {
    const client = prorata(lang);
    await say(client, 'start');
    await say(client, 'entah');
    await say(client, 'tak tahu');
    const out = await say(client, 'hmm');
    expect(out.toLowerCase()).toContain(words.toLowerCase().slice(0, 6));
    expect(client.dialogTurnResult.status).toBe('complete');
  });
});

/** The migration's services, faked: two accounts, the links requested recorded. */
function fakeRequests() {
  const accounts: Record<string, string> = { '850312145672': 'aminah.abdullah@example.com', '900101105431': 'tan.weiming@example.com.my' };
  const links: string[] = [];
  const requests = {
    async lookup(id: LegacyIdentifier): Promise<LookupResult> {
      const email = accounts[id.value] ?? (id.kind === 'email' ? id.value : 'decoy@example.org');
      return { emailMasked: `${email[0]}••••@${email.split('@')[1]}`, accountId: email, idKey: id.value };
    },
    async requestLink(found: LookupResult): Promise<'sent' | 'capped'> {
      links.push(found.accountId!);
      return 'sent';
    },
  } as unknown as MigrationRequests;
  return { requests, links };
}

const migration = (lang: Lang) => {
  const { requests, links } = fakeRequests();
  const dialog = new MigrationDialog({
    catalog,
    knowledge,
    requests,
    rateLimiter: { hit: async () => ({ allowed: true, count: 1, retryAfterSeconds: 0 }) } as never,
    log: memoryLogger().log,
    ttlMinutes: 30,
  });
  return { client: new DialogTestClient('test', dialog, {}, [langMiddleware(lang)]), links };
};

describe('migration on the engine', () => {
  test.each([
    ['ms', 'IC saya 850312145672', 'alamak silap taip, IC saya sebenarnya 900101-10-5431', 'ya betul'],
    ['en', 'my IC is 850312145672', 'sorry I meant 900101-10-5431', 'yes'],
  ] as const)('%s: an identifier corrected at the confirmation is looked up and confirmed again; the link goes to the new account', async (lang, first, correction, yes) => {
    const { client, links } = migration(lang);
    await say(client, 'start');
    expect(await say(client, first)).toContain('a••••@example.com');
    const again = await say(client, correction);
    expect(again).toContain('t••••@example.com.my');
    expect(links).toEqual([]);
    await say(client, yes);
    expect(links).toEqual(['tan.weiming@example.com.my']);
    expect(client.dialogTurnResult.status).toBe('complete');
  });

  test.each([
    ['ms', 'tidak, dah tak aktif', 'tak'],
    ['en', "no, it's not active any more", 'no'],
  ] as const)('%s: an inactive e-mail gets the FAQ answer and a ticket offer; declining sends no link', async (lang, no, decline) => {
    const { client, links } = migration(lang);
    await say(client, 'start');
    await say(client, '850312145672');
    const answer = await say(client, no);
    expect(answer).toContain(knowledge.byId.get('ebiz.old-email-invalid')!.answer![lang].slice(0, 30));
    expect(answer).toContain(catalog.t(lang, 'migration.offer-ticket'));
    expect(await say(client, decline)).toContain(catalog.t(lang, 'migration.ticket-declined').slice(0, 20));
    expect(links).toEqual([]);
  });
});

/** One-time codes, faked: one live code per line, three tries; the codes "sent" are kept as the phone. */
function fakeOtp() {
  const live = new Map<string, { code: string; tries: number }>();
  const sent: Array<{ msisdn: string; code: string }> = [];
  let n = 0;
  const otp = {
    ttlSeconds: 300,
    async issue(input: { msisdn: string }) {
      const code = String(314159 + ++n * 1111).slice(0, 6);
      live.set(input.msisdn, { code, tries: 3 });
      sent.push({ msisdn: input.msisdn, code });
      return { ok: true as const, expiresInSeconds: 300 };
    },
    async verify(input: { msisdn: string; code: string }) {
      const entry = live.get(input.msisdn);
      if (!entry) return { ok: false as const, reason: 'none' as const };
      // a code guessed wrongly three times stays dead (as OtpService answers) until a new one is issued
      if (entry.tries <= 0) return { ok: false as const, reason: 'too-many-tries' as const };
      if (entry.code === input.code) return { ok: true as const };
      entry.tries--;
      if (entry.tries <= 0) return { ok: false as const, reason: 'too-many-tries' as const };
      return { ok: false as const, reason: 'wrong' as const, triesLeft: entry.tries };
    },
    async pendingLine() {
      return undefined;
    },
  };
  return { otp: otp as unknown as OtpService, sent };
}

const eligibility = (lang: Lang, options: { verified?: string; text?: string } = {}) => {
  const { otp, sent } = fakeOtp();
  const lines = demoLines(today());
  const directory = { findLine: async (msisdn: string) => lines.find((l) => l.msisdn === msisdn) } as unknown as SubscriberDirectory;
  const dialog = new EligibilityDialog({ catalog, knowledge, directory, otp, today, log: memoryLogger().log });
  const middlewares = [
    langMiddleware(lang),
    {
      async onTurn(context: TurnContext, next: () => Promise<void>) {
        if (options.verified) setVerifiedPhone(context, options.verified);
        await next();
      },
    },
  ];
  return { client: new DialogTestClient('test', dialog, options.text ? { text: options.text } : {}, middlewares), sent };
};

describe('eligibility: the line first, then only its switches', () => {
  test.each([
    ['ms', 'nombor saya 0121000002', 'eh salah, nombor betul 0121000001', 'kod dia', 'Postpaid kepada Postpaid', '✓ Talian +6012•••••01'],
    ['en', 'my number is 0121000002', 'sorry I meant 0121000001', 'the code is', 'Postpaid to Postpaid', '✓ Line +6012•••••01'],
  ] as const)('%s: a corrected number is the one proved and checked; a code inside a sentence', async (lang, first, correction, codeWords, type, verdict) => {
    const { client, sent } = eligibility(lang);
    expect(await say(client, 'start')).toContain(catalog.t(lang, 'eligibility.ask.phone'));
    await say(client, first);
    await say(client, correction);
    expect(sent.map((s) => s.msisdn)).toEqual(['+60121000002', '+60121000001']);
    const offer = await say(client, `${codeWords} ${sent[1]!.code}`);
    expect(offer).toContain(catalog.t(lang, 'eligibility.ask.switchType'));
    // every postpaid plan gives the same verdict for this line: no plan is asked, the switch is checked as a whole
    expect(await say(client, type)).toContain(verdict);
  });

  test.each([
    ['ms', 'Prepaid kepada Postpaid'],
    ['en', 'Prepaid to Postpaid'],
  ] as const)('%s: a switch the line cannot make is not checked; the line’s own switches are offered', async (lang, wrongType) => {
    const { client } = eligibility(lang, { text: `${wrongType} 0121000001`, verified: '+60121000001' });
    const reply = await say(client, 'start');
    expect(reply).toContain(catalog.t(lang, 'eligibility.ask.switchType'));
    expect(reply).toContain(catalog.t(lang, 'eligibility.type.postpaid'));
  });

  test.each([['ms'], ['en']] as const)('%s: WhatsApp’s verified sender is the line: no code, the plan alone gives the switch', async (lang) => {
    const { client, sent } = eligibility(lang, { verified: '+60121000001' });
    expect(await say(client, 'start')).toContain(catalog.t(lang, 'eligibility.ask.switchType'));
    expect(await say(client, 'postpaid 80')).toContain('+6012•••••01');
    expect(sent).toEqual([]);
  });

  test.each([['ms'], ['en']] as const)('%s: the code typed at "send a new code?" is checked, not dropped', async (lang) => {
    const { client, sent } = eligibility(lang, { text: 'postpaid ke postpaid Digi Postpaid 80 0121000001' });
    await say(client, 'start');
    await say(client, '000001');
    await say(client, '000002');
    expect(await say(client, '000003')).toContain(catalog.t(lang, 'eligibility.otp.ask-resend'));
    // a fresh code was not asked for: the dead one is refused again, and the question stays
    expect(await say(client, sent[0]!.code)).toContain(catalog.t(lang, 'eligibility.otp.ask-resend'));
    await say(client, catalog.t(lang, 'eligibility.button.resend'));
    expect(sent).toHaveLength(2);
    expect(await say(client, `kod ${sent[1]!.code}`)).toContain('+6012•••••01');
  });
});

/** The ticket store, faked: what would be stored is recorded. */
function fakeTickets() {
  const created: Array<{ category: string; email?: string; phone?: string; name: string; description: string }> = [];
  const tickets = {
    async create(input: { category: string; email?: string; phone?: string; name: string; description: string; lang: Lang }) {
      created.push(input);
      const reference = `TKT-20260420-AB${created.length}`;
      return { ticket: { reference, lang: input.lang }, duplicate: false, confirmation: `ok ${reference}` };
    },
    async findByRequestKey() {
      return undefined;
    },
    async confirmationDelivered() {},
    confirmationText: (reference: string) => `ok ${reference}`,
  } as unknown as TicketService;
  return { tickets, created };
}

describe('tickets', () => {
  test.each([
    ['ms', 'nak buat aduan pasal bil', 'saya dicaj dua kali untuk pelan yang sama', 'Siti Aminah', 'siti@exampel.com', 'eh salah, emel saya siti@example.com', 'hantar'],
    ['en', 'I want to raise a ticket about billing', 'I was charged twice for the same plan', 'John Tan', 'john@exampel.com', 'sorry, the correct email is john@example.com', 'submit'],
  ] as const)('%s: the category from the request; a corrected e-mail at the summary is the one stored', async (lang, request, description, name, email, correction, submit) => {
    const { tickets, created } = fakeTickets();
    const client = new DialogTestClient('test', new TicketDialog({ catalog, tickets, log: memoryLogger().log }), { text: request }, [langMiddleware(lang)]);
    expect(await say(client, request)).toContain(catalog.t(lang, 'tickets.ask-description', { max: 2000 }).slice(0, 20));
    await say(client, description);
    await say(client, name);
    const summary = await say(client, email);
    expect(summary).toContain(catalog.t(lang, 'tickets.category.billing'));
    expect(await say(client, correction)).toContain(catalog.t(lang, 'tickets.category.billing'));
    expect(created).toEqual([]);
    await say(client, submit);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ category: 'billing', email: email.replace('exampel', 'example'), name });
  });

  test.each([
    ['ms', 'Saya tidak boleh log masuk ke akaun ebiz saya sejak semalam'],
    ['en', 'I cannot log in to my ebiz account since yesterday'],
  ] as const)('%s: a description typed where the category was asked is kept, and names its category', async (lang, description) => {
    const { tickets } = fakeTickets();
    const client = new DialogTestClient('test', new TicketDialog({ catalog, tickets, log: memoryLogger().log }), {}, [langMiddleware(lang)]);
    expect(await say(client, 'start')).toContain(catalog.t(lang, 'tickets.ask-category'));
    const next = await say(client, description);
    expect(next).toContain(catalog.t(lang, 'tickets.ask-reach'));
    expect(next).not.toContain(catalog.t(lang, 'tickets.category.retry'));
  });
});

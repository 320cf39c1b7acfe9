/**
 * MigrationDialog through the whole bot (SupportBot routing, real SQLite database, real outbox table), turn
 * by turn in Malay and English: the recognizer starts it, the identifier is asked (or taken from the first
 * message), the masked registered e-mail is confirmed, the link goes to the outbox; the "not active" path
 * hands over to the ticket procedure; MyKad validation, the way out, same-shape replies for unknown
 * identifiers, rate limits, and the global commands mid-procedure.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createMigrationFeature } from '../../src/features/migration';
import { type MigrationLimits, understandYesNo } from '../../dialogs/migration';
import { setClientAddress } from '../../src/bot/context';
import { seedDemoAccounts } from '../../src/services/legacyAccounts';
import { createTestChat, joined, type TestChat } from '../helpers/bot';
import { LateOutbox, TicketStub, linkIn, migrationKnowledgeDir, ticketStubFeature } from './helpers';

const MASK = '\u2022\u2022\u2022\u2022';

describe('MigrationDialog', () => {
  let chat: TestChat;
  let stub: TicketStub;
  let kb: string;

  async function start(limits?: MigrationLimits) {
    const outbox = new LateOutbox();
    stub = new TicketStub();
    chat = await createTestChat({
      env: { KNOWLEDGE_DIR: kb, PUBLIC_URL: 'https://bot.example.my' },
      mail: outbox,
      features: (deps) => {
        outbox.bind(deps);
        return [createMigrationFeature(deps, limits ? { limits } : {}), ticketStubFeature(stub)];
      },
    });
  }

  const outboxRows = () => chat.runtime.database.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();

  beforeAll(() => {
    kb = migrationKnowledgeDir();
  });
  afterAll(() => fs.rmSync(kb, { recursive: true, force: true }));
  afterEach(async () => chat?.close());

  test('English: recognised, asks, confirms the masked e-mail, queues the link e-mail', async () => {
    await start();
    const first = await chat.say('migrate my old account');
    expect(joined(first)).toContain('In the Log In section'); // the FAQ answer (mode: after)
    expect(first[first.length - 1]!.text).toContain('type the e-mail or identity card (MyKad) number');

    const confirm = await chat.say('my IC is 850312-14-5672');
    expect(joined(confirm)).toContain(`a${MASK}@e${MASK}.com`);
    expect(joined(confirm)).not.toContain('aminah');
    expect(confirm[0]!.buttons).toEqual(['Yes', 'No']);

    const sent = await chat.say('yes');
    expect(joined(sent)).toContain(`sent to a${MASK}@e${MASK}.com`);
    expect(joined(sent)).toContain('within 30 minutes');
    expect(joined(sent)).not.toMatch(/migrate\//);

    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    const mail = rows[0]!;
    expect(mail).toMatchObject({ to_addr: 'aminah.abdullah@example.com', lang: 'en', kind: 'migration-link', status: 'pending' });
    expect(mail.subject).toBe('eBiz v2.0: your account migration link');
    expect(mail.text_body).toContain('Dear Aminah binti Abdullah');
    const found = linkIn(mail.text_body)!;
    expect(found.link).toBe(`https://bot.example.my/migrate/${found.token}`);
    expect(mail.html_body).toContain(`href="${found.link}"`);
    // stored only as a hash, valid for 30 minutes
    const token = await chat.runtime.database.db.selectFrom('migration_tokens').selectAll().executeTakeFirstOrThrow();
    expect(token.token_hash).toBe(createHash('sha256').update(found.token).digest('hex'));
    expect(JSON.stringify(token)).not.toContain(found.token);
    expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(30 * 60_000);
    // personal data never logged in clear
    expect(chat.logs.join('')).not.toContain('aminah.abdullah@example.com');
    expect(chat.logs.join('')).not.toContain('850312145672');
  });

  test('Malay: "x boleh login guna ID lama", a passport number, free-text "ya", Malay e-mail', async () => {
    await start();
    const first = await chat.say('x boleh login guna ID lama');
    expect(first[first.length - 1]!.text).toContain('Sila taip emel atau nombor kad pengenalan');
    const confirm = await chat.say('pasport saya a1234 5678');
    expect(joined(confirm)).toContain(`Emel yang didaftarkan untuk akaun ini ialah j${MASK}@e${MASK}.net`);
    expect(confirm[0]!.buttons).toEqual(['Ya', 'Tidak']);
    const sent = await chat.say('ya betul');
    expect(joined(sent)).toContain('emel pengesahan dengan pautan migrasi telah dihantar');
    const [mail] = await outboxRows();
    expect(mail).toMatchObject({ to_addr: 'john.smith@example.net', lang: 'ms', subject: 'eBiz v2.0: pautan migrasi akaun anda' });
    expect(mail!.text_body).toContain('Salam sejahtera John Smith');
    expect(linkIn(mail!.text_body)).toBeDefined();
  });

  test('the identifier already in the first message is used without asking', async () => {
    await start();
    const first = await chat.say('migrasi akaun lama ke ebiz v2.0 emel tan.weiming@example.com.my');
    expect(joined(first)).toContain(`t${MASK}@e${MASK}.com.my`);
    expect(joined(first)).not.toContain('Sila taip emel atau nombor');
    expect(first[first.length - 1]!.buttons).toEqual(['Ya', 'Tidak']);
  });

  test.each([
    ['900101145678', 'en', true, null],
    ['900101-14-5678', 'en', true, null],
    ['900101 14 5678', 'en', true, null],
    ['90010114567', 'en', false, 'A MyKad number has 12 digits'],
    ['9001011456789', 'en', false, 'A MyKad number has 12 digits'],
    ['901301-14-5678', 'en', false, 'that date does not exist'],
    ['900230-14-5678', 'en', false, 'that date does not exist'],
    ['900101-00-5678', 'en', false, 'place-of-birth code'],
    ['900101-17-5678', 'en', false, 'place-of-birth code'],
    ['900101-96-5678', 'ms', false, 'kod tempat lahir'],
    ['ali@gmail', 'en', false, 'e-mail address is incomplete'],
    ['not sure', 'en', false, 'I need the e-mail, MyKad number'],
    ['000229-10-1234', 'ms', true, null],
    ['A12345678', 'en', true, null],
  ])('MyKad table: %s (%s) valid=%s', async (input, lang, valid, message) => {
    await start();
    await chat.say(lang === 'ms' ? 'Mulakan migrasi akaun' : 'Start account migration');
    const said = await chat.say(input);
    if (valid) {
      expect(joined(said)).toMatch(lang === 'ms' ? /Emel yang didaftarkan/ : /The e-mail registered/);
    } else {
      expect(joined(said)).toContain(message);
      expect(joined(said)).not.toMatch(/registered for this account|yang didaftarkan/);
    }
  });

  test('three wrong identifiers: a way out (ticket or menu), the procedure ends', async () => {
    await start();
    await chat.say('Start account migration');
    expect(joined(await chat.say('12345'))).toContain('12 digits');
    expect(joined(await chat.say('901301-14-5678'))).toContain('date does not exist');
    const out = await chat.say('900101-00-5678');
    expect(joined(out)).toContain("I still don't have valid details");
    expect(out[0]!.buttons).toEqual(['Raise a ticket', 'Main menu']);
    // ended: the next message is a fresh question
    expect(joined(await chat.say('menu'))).toContain('What can I help you with?');
  });

  test('an unknown identifier gets replies of the same shape, a decoy from the directory, and no e-mail', async () => {
    await start();
    const shape = (s: string) => s.replace(/[a-z]\u2022{4}@[a-z]\u2022{4}\.[a-z.]+/g, '<email>');
    await chat.say('Start account migration');
    const known = joined(await chat.say('850312-14-5672'));
    const knownSent = joined(await chat.say('yes'));
    await chat.say('Start account migration');
    const unknown = joined(await chat.say('880808-08-8888'));
    const unknownSent = joined(await chat.say('yes'));
    // the decoy is one of the shapes the directory really has (here: the four demo accounts)
    const shown = unknown.match(/registered for this account is (\S+)\. /)![1]!;
    expect([`a${MASK}@e${MASK}.com`, `t${MASK}@e${MASK}.com.my`, `r${MASK}@e${MASK}.org`, `j${MASK}@e${MASK}.net`]).toContain(shown);
    expect(shape(unknown)).toBe(shape(known));
    expect(shape(unknownSent)).toBe(shape(knownSent));
    // nor do the logs tell a reader which identifier is real: the two lookups log the same fields
    const lookups = chat.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'migration lookup');
    expect(lookups).toHaveLength(2);
    const fields = (l: Record<string, unknown>) => Object.keys(l).filter((k) => !['time', 'pid', 'hostname'].includes(k)).sort();
    expect(fields(lookups[1]!)).toEqual(fields(lookups[0]!));
    expect(lookups[0]).not.toHaveProperty('known');
    // the decoy is stable for one identifier (asking again does not reveal it is made up)
    await chat.say('Start account migration');
    expect(joined(await chat.say('880808088888'))).toBe(unknown);
    await chat.say('cancel');
    // an unknown e-mail shows that e-mail masked, exactly as a known one would
    await chat.say('Start account migration');
    expect(joined(await chat.say('nobody@example.org'))).toContain(`n${MASK}@e${MASK}.org`);
    const rows = await outboxRows();
    expect(rows.map((r) => r.to_addr)).toEqual(['aminah.abdullah@example.com']);
    // the unknown request did the same writes, where nothing sends them, with no personal data
    const decoys = await chat.runtime.database.db.selectFrom('migration_decoy_mail').selectAll().execute();
    expect(decoys.map((d) => d.to_addr)).toEqual([shown]);
    expect(decoys[0]!.text_body).not.toContain('880808');
    // the attack: random MyKad numbers; every answer has a shape the directory really has
    const demoShapes = [`a${MASK}@e${MASK}.com`, `t${MASK}@e${MASK}.com.my`, `r${MASK}@e${MASK}.org`, `j${MASK}@e${MASK}.net`];
    for (let i = 0; i < 20; i++) {
      const conversation = { id: `attacker-${i}`, isGroup: false, conversationType: 'personal', name: '' };
      await chat.say('Start account migration', { conversation });
      const mykad = `${70 + (i % 30)}0${1 + (i % 9)}1${i % 10}-${String(1 + (i % 14)).padStart(2, '0')}-${String(1000 + i * 37).slice(-4)}`;
      const said = joined(await chat.say(mykad, { conversation }));
      expect(demoShapes).toContain(said.match(/registered for this account is (\S+)\. /)?.[1]);
    }
  });

  test("a stranger's lookups do not lock the owner out: limits per client address and per conversation", async () => {
    await start({ perConversation: 3, perAddress: 4, windowSeconds: 3600, mailsPerAccount: 3 });
    let address: string | undefined = '203.0.113.9';
    chat.adapter.use(async (context, next) => {
      if (address) setClientAddress(context, address);
      await next();
    });
    const from = (conversation: string) => ({ conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' } });
    const lookup = async (conversation: string, text: string) => {
      await chat.say('Start account migration', from(conversation));
      const said = joined(await chat.say(text, from(conversation)));
      if (said.includes('registered')) await chat.say('cancel', from(conversation));
      return said;
    };
    // the stranger tries the owner's MyKad: three in one conversation, the fourth refused there
    for (let i = 0; i < 3; i++) expect(await lookup('stranger-1', '850312-14-5672')).toContain('registered for this account');
    expect(await lookup('stranger-1', '850312-14-5672')).toMatch(/Too many attempts\. .* try again in \d+ minutes/);
    // a new conversation from the same address: one more (the address's fourth), then refused
    expect(await lookup('stranger-2', '850312-14-5672')).toContain('registered for this account');
    const limited = await lookup('stranger-3', '900101-10-5431');
    expect(limited).toContain('Too many attempts');
    expect(limited).not.toContain('registered');
    // the owner, from their own address and conversation, is not locked out and gets the link
    address = '198.51.100.20';
    await chat.say('Start account migration', from('owner'));
    expect(joined(await chat.say('850312-14-5672', from('owner')))).toContain(`a${MASK}@e${MASK}.com`);
    expect(joined(await chat.say('yes', from('owner')))).toContain('has been sent');
    expect((await outboxRows()).map((r) => r.to_addr)).toEqual(['aminah.abdullah@example.com']);
    // a channel that relays customers (no client address): the conversation limit alone applies
    address = undefined;
    for (let i = 0; i < 3; i++) expect(await lookup('relayed', '780625-08-5433')).toContain('registered');
    expect(await lookup('relayed', '780625-08-5433')).toContain('Too many attempts');
    expect(chat.logs.join('')).not.toContain('850312145672');
  });

  test('Malay: links e-mailed per account are capped; past the cap "sent recently", the same for an unknown identifier', async () => {
    await start({ perConversation: 20, perAddress: 100, windowSeconds: 3600, mailsPerAccount: 2 });
    const request = async (identifier: string) => {
      await chat.say('Mulakan migrasi akaun');
      const confirm = joined(await chat.say(identifier));
      expect(confirm).toContain('Emel yang didaftarkan untuk akaun ini ialah');
      return joined(await chat.say('ya'));
    };
    const shape = (s: string) => s.replace(/[a-z]\u2022{4}@[a-z]\u2022{4}\.[a-z.]+/g, '<email>');
    const knownReplies = [await request('850312-14-5672'), await request('aminah.abdullah@example.com'), await request('850312145672')];
    expect(knownReplies[0]).toContain('emel pengesahan dengan pautan migrasi telah dihantar');
    expect(knownReplies[1]).toBe(knownReplies[0]);
    // the third request (by any of the account's identifiers) sends nothing and says a link went out recently
    expect(knownReplies[2]).toContain(`pautan migrasi telah dihantar ke a${MASK}@e${MASK}.com baru-baru ini`);
    expect(knownReplies[2]).toContain('pautan terakhir yang dihantar masih sah');
    expect(knownReplies[2]).not.toContain('Terlalu banyak');
    const rows = await outboxRows();
    expect(rows).toHaveLength(2);
    // the latest link still works
    const tokens = await chat.runtime.database.db.selectFrom('migration_tokens').selectAll().where('account_id', '=', 'demo-1').orderBy('created_at').execute();
    expect(tokens.filter((t) => t.used_at === null && t.expires_at > new Date().toISOString())).toHaveLength(1);
    const unknownReplies = [await request('880808-08-8888'), await request('880808-08-8888'), await request('880808-08-8888')];
    expect(unknownReplies.map(shape)).toEqual(knownReplies.map(shape));
    expect(await outboxRows()).toHaveLength(2);
  });

  test('"Tidak": the FAQ answer, a ticket offer, and a handover with the context filled in (masked)', async () => {
    await start();
    await chat.say('Mulakan migrasi akaun');
    await chat.say('850312145672');
    const no = await chat.say('tidak');
    expect(joined(no)).toContain('Sila hubungi Khidmat Pelanggan. Tindakan akan diambil oleh pihak Pentadbir Sistem.');
    expect(joined(no)).toContain('Mahu saya buat tiket');
    const ticket = await chat.say('ya');
    expect(joined(ticket)).toContain('[ticket procedure started]');
    expect(stub.started).toHaveLength(1);
    const handover = stub.started[0]!.handover!;
    expect(handover.from).toBe('migration');
    expect(handover.category).toBe('ebiz-account');
    expect(handover.summary).toContain(`a${MASK}@e${MASK}.com`);
    expect(handover.summary).toContain('••••••-••-5672');
    expect(handover.summary).not.toContain('850312');
    expect(await outboxRows()).toHaveLength(0);
  });

  test('"No" then declining the ticket in English', async () => {
    await start();
    await chat.say('Start account migration');
    await chat.say('john.smith@example.net');
    const no = await chat.say("no, it's not active anymore");
    expect(joined(no)).toContain('Please contact Customer Service.');
    const declined = await chat.say('no');
    expect(joined(declined)).toContain('You can contact Customer Service at any time');
    expect(stub.started).toHaveLength(0);
  });

  test('cancel, help and an FAQ question work mid-procedure, in both languages', async () => {
    await start();
    await chat.say('Start account migration');
    const help = await chat.say('help');
    expect(joined(help)).toContain('Ask me in your own words');
    expect(help[help.length - 1]!.text).toContain('MyKad');
    const faq = await chat.say('how do I upgrade my ebiz account?');
    expect(faq.length).toBeGreaterThanOrEqual(2);
    expect(faq[faq.length - 1]!.text).toContain('MyKad');
    // still in the procedure
    expect(joined(await chat.say('850312-14-5672'))).toContain('registered for this account');
    expect(joined(await chat.say('cancel'))).toContain('OK, cancelled');

    await chat.say('Mulakan migrasi akaun');
    await chat.say('850312-14-5672');
    expect(joined(await chat.say('bantuan'))).toContain('Tanya saya dengan ayat biasa');
    expect(joined(await chat.say('batal'))).toContain('Baik, saya batalkan');
    expect(await outboxRows()).toHaveLength(0);
  });

  test('an account already migrated gets an e-mail saying so (same reply in the chat)', async () => {
    await start();
    await seedDemoAccounts(chat.runtime.database.db);
    await chat.runtime.database.db.updateTable('legacy_accounts').set({ migrated_at: new Date().toISOString() }).where('id', '=', 'demo-3').execute();
    await chat.say('Start account migration');
    await chat.say('rajesh.kumar@example.org');
    expect(joined(await chat.say('yes'))).toContain('verification e-mail with a migration link has been sent');
    const [mail] = await outboxRows();
    expect(mail).toMatchObject({ kind: 'migration-already-done', to_addr: 'rajesh.kumar@example.org' });
    expect(linkIn(mail!.text_body)).toBeUndefined();
    // the same writes as a link (equal cost), but no token that works
    const tokens = await chat.runtime.database.db.selectFrom('migration_tokens').selectAll().execute();
    expect(tokens.every((t) => t.used_at !== null)).toBe(true);
  });
});

test.each([
  ['ya', true],
  ['Yes', true],
  ['ya masih aktif', true],
  ['yes it is still active', true],
  ['tidak', false],
  ['x', false],
  ["no, it's not active anymore", false],
  ['emel tu dah tak aktif', false],
  ['I can no longer open it', false],
  ['tak boleh buka emel tu', false],
  ["wait, that mailbox was closed years ago, I can't receive anything there", false],
  ['hmm emel tu sy dh lama x guna', false],
  ['emel tu x boleh bukak dah', false],
  ['that email is dead', false],
  ['yes it still works', true],
  ['ha yg ni betul, email sy', true],
  ['itu tak betul', false],
  ['email tu bukan sy punya', false],
  ['maybe', undefined],
])('yes/no in free text: %s', (text, expected) => {
  expect(understandYesNo(text)).toBe(expected);
});

/**
 * The ticket service on SQLite and PostgreSQL: one transaction per write (ticket + notification mail),
 * idempotent creation, filters and paging, status changes, staff replies delivered through the bot or by
 * e-mail, and bad input that leaves nothing half-written.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import type { MailOutbox } from '../../src/services/ports';
import { type NewTicket, REFERENCE_RE, TicketError, TicketService, findReference, normaliseReference } from '../../src/services/tickets';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { RecordingProactive } from './helpers';

const catalog = MessageCatalog.load(path.join(__dirname, '../../knowledge/messages'));

function newTicket(over: Partial<NewTicket> = {}): NewTicket {
  return {
    requestKey: `req-${Math.random().toString(36).slice(2)}`,
    category: 'billing',
    description: 'I was charged twice for March',
    name: 'Siti Aminah',
    email: 'siti@example.com',
    phone: '012-345 6789',
    lang: 'ms',
    channel: 'webchat',
    channelUserId: 'user-1',
    conversationRef: { channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', conversation: { id: 'conv-1' } as never },
    ...over,
  };
}

describe.each(engines())('TicketService on %s', (engine) => {
  let tdb: TestDatabase;
  let proactive: RecordingProactive;
  let service: TicketService;
  let logs: string[];
  let now: Date;
  const mail = () => tdb.database.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  const make = (over: { mail?: MailOutbox; supportEmail?: string | null } = {}) => {
    logs = [];
    const log = createLogger({
      level: 'debug',
      format: 'json',
      destination: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }),
    });
    return new TicketService({
      db: tdb.database.db,
      mail: over.mail ?? new SqlMailOutbox(tdb.database.db, { from: 'Bot <bot@example.com>' }),
      catalog,
      log,
      supportEmail: over.supportEmail === null ? undefined : (over.supportEmail ?? 'support@example.com'),
      publicUrl: 'https://bot.example.com',
      proactive,
      now: () => now,
    });
  };

  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
    proactive = new RecordingProactive();
    now = new Date('2026-11-22T03:00:00Z');
    service = make();
  });
  afterEach(async () => tdb.dispose());

  test('creates a ticket with a readable random reference and its notification mail, in one go', async () => {
    const { ticket, duplicate } = await service.create(newTicket({ excerpt: 'my ic is 900101-14-5678' }));
    expect(duplicate).toBe(false);
    expect(ticket.reference).toMatch(REFERENCE_RE);
    expect(ticket.reference.startsWith('TKT-20261122-')).toBe(true);
    expect(ticket).toMatchObject({ status: 'open', category: 'billing', email: 'siti@example.com', phone: '+60123456789', lang: 'ms' });
    expect(ticket.excerpt).not.toContain('900101-14-5678');
    expect(ticket.conversationRef?.conversation?.id).toBe('conv-1');
    const rows = await mail();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to_addr: 'support@example.com', kind: 'ticket-created' });
    expect(rows[0]!.text_body).toContain(ticket.reference);
    // personal data masked in the notification
    expect(rows[0]!.text_body).not.toContain('siti@example.com');
    expect(rows[0]!.text_body).not.toContain('0123456789');
  });

  test('the same request key twice is one ticket and one mail (a retried turn)', async () => {
    const input = newTicket();
    const a = await service.create(input);
    const b = await service.create(input);
    expect(b.duplicate).toBe(true);
    expect(b.ticket.reference).toBe(a.ticket.reference);
    expect(await mail()).toHaveLength(1);
    const count = await tdb.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  test('when the mail cannot be enqueued, the ticket is not stored either', async () => {
    const broken = make({ mail: { enqueue: async () => Promise.reject(new Error('outbox down')) } });
    await expect(broken.create(newTicket())).rejects.toThrow('outbox down');
    expect(await tdb.database.db.selectFrom('tickets').selectAll().execute()).toHaveLength(0);
  });

  test('without SUPPORT_EMAIL the ticket is stored, nobody is mailed, and the log says so', async () => {
    const quiet = make({ supportEmail: null });
    const { ticket } = await quiet.create(newTicket());
    expect(await quiet.get(ticket.reference)).toBeDefined();
    expect(await mail()).toHaveLength(0);
    expect(logs.join('')).toContain('SUPPORT_EMAIL is not set');
  });

  test('bad input is refused before anything is written', async () => {
    for (const bad of [
      newTicket({ description: 'x'.repeat(1001) }),
      newTicket({ description: 'hi' }),
      newTicket({ email: 'not-an-address', phone: undefined }),
      newTicket({ email: undefined, phone: undefined }),
      newTicket({ phone: '03-1234 5678', email: undefined }),
      newTicket({ category: 'nonsense' as never }),
    ]) {
      await expect(service.create(bad)).rejects.toBeInstanceOf(TicketError);
    }
    expect(await tdb.database.db.selectFrom('tickets').selectAll().execute()).toHaveLength(0);
    expect(await mail()).toHaveLength(0);
  });

  test('lists with filters and paging, newest first, personal data masked', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      now = new Date(Date.UTC(2026, 10, 20 + i, 2, 0, 0));
      const { ticket } = await service.create(newTicket({ category: i % 2 ? 'billing' : 'plan-switch', channel: i === 4 ? 'whatsapp' : 'webchat' }));
      refs.push(ticket.reference);
    }
    await service.update(refs[1]!, { status: 'in_progress', assignee: 'Aminah' });
    const page1 = await service.list({ limit: 2 });
    expect(page1.total).toBe(5);
    expect(page1.items.map((t) => t.reference)).toEqual([refs[4], refs[3]]);
    const page3 = await service.list({ limit: 2, offset: 4 });
    expect(page3.items.map((t) => t.reference)).toEqual([refs[0]]);
    expect((await service.list({ category: 'billing' })).items.map((t) => t.reference).sort()).toEqual([refs[1], refs[3]].sort());
    expect((await service.list({ status: 'in_progress' })).items.map((t) => t.reference)).toEqual([refs[1]]);
    expect((await service.list({ assignee: 'Aminah' })).total).toBe(1);
    expect((await service.list({ channel: 'whatsapp' })).items.map((t) => t.reference)).toEqual([refs[4]]);
    // calendar dates in Kuala Lumpur: 21 and 22 November
    expect((await service.list({ createdFrom: '2026-11-21', createdTo: '2026-11-22' })).items.map((t) => t.reference)).toEqual([refs[2], refs[1]]);
    const listed = JSON.stringify(page1);
    expect(listed).not.toContain('siti@example.com');
    expect(listed).not.toContain('+60123456789');
    expect(page1.items[0]!.email).toBe('s••••@e••••.com');
  });

  test('a staff reply is stored, delivered through the bot in the customer language, and shown on the ticket', async () => {
    const { ticket } = await service.create(newTicket({ lang: 'en' }));
    const { ticket: after, reply } = await service.reply(ticket.reference, { text: 'We refunded the double charge.', author: 'Aminah' });
    expect(reply.delivery).toBe('bot');
    expect(after.status).toBe('waiting_for_customer');
    expect(proactive.sent).toHaveLength(1);
    expect(proactive.sent[0]!.lang).toBe('en');
    expect(proactive.sent[0]!.text).toContain(`Customer service replied to your ticket ${ticket.reference}`);
    expect(proactive.sent[0]!.text).toContain('We refunded the double charge.');
    expect(proactive.sent[0]!.reference.conversation?.id).toBe('conv-1');
  });

  test('when the conversation cannot be reached, the reply goes by e-mail through the outbox, in Malay for a Malay customer', async () => {
    proactive.fail = true;
    const { ticket } = await service.create(newTicket({ lang: 'ms' }));
    const { reply } = await service.reply(ticket.reference, { text: 'Bayaran balik telah dibuat.', author: 'Aminah', status: 'resolved' });
    expect(reply.delivery).toBe('email');
    expect(reply.deliveryError).toContain('connector unreachable');
    const rows = await mail();
    const sent = rows.find((r) => r.kind === 'ticket-reply')!;
    expect(sent).toMatchObject({ to_addr: 'siti@example.com', lang: 'ms' });
    expect(sent.subject).toContain('Balasan untuk tiket anda');
    expect(sent.text_body).toContain('Bayaran balik telah dibuat.');
    expect((await service.get(ticket.reference))!.status).toBe('resolved');
  });

  test.each([
    ['ms', 'Salam pelanggan,'],
    ['en', 'Dear customer,'],
  ] as const)('%s: the name is optional: stored empty, "-" for staff, the reply mail greets the customer without it', async (lang, greeting) => {
    proactive.fail = true;
    const { ticket } = await service.create(newTicket({ name: undefined, lang }));
    expect(ticket.name).toBe('');
    const notification = (await mail()).find((r) => r.kind === 'ticket-created')!;
    expect(notification.text_body).toMatch(/(Nama|Name): -/);
    await service.reply(ticket.reference, { text: 'Done.', author: 'Aminah' });
    const sent = (await mail()).find((r) => r.kind === 'ticket-reply')!;
    expect(sent.text_body).toContain(greeting);
    // a name given is still checked
    await expect(service.create(newTicket({ name: 'A' }))).rejects.toMatchObject({ code: 'invalid' });
  });

  test('no conversation and no e-mail: stored, delivery "none"', async () => {
    const { ticket } = await service.create(newTicket({ email: undefined, conversationRef: undefined }));
    const { reply } = await service.reply(ticket.reference, { text: 'Please call us.', author: 'Aminah' });
    expect(reply.delivery).toBe('none');
    expect(proactive.sent).toHaveLength(0);
  });

  test('a reply to a closed ticket, or to an unknown or malformed reference, writes nothing', async () => {
    const { ticket } = await service.create(newTicket());
    await service.update(ticket.reference, { status: 'closed' });
    await expect(service.reply(ticket.reference, { text: 'late', author: 'A' })).rejects.toMatchObject({ code: 'closed' });
    await expect(service.reply('TKT-20261122-ZZZZ', { text: 'x', author: 'A' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.reply('TKT-1', { text: 'x', author: 'A' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.update('TKT-20261122-ZZZZ', { status: 'open' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.reply(ticket.reference, { text: 'x'.repeat(4001), author: 'A' })).rejects.toMatchObject({ code: 'invalid' });
    expect(await tdb.database.db.selectFrom('ticket_replies').selectAll().execute()).toHaveLength(0);
    expect(proactive.sent).toHaveLength(0);
  });

  test('ownership: only the same channel user, or someone who knows the contact', async () => {
    const { ticket } = await service.create(newTicket());
    expect(await service.getForOwner(ticket.reference, 'webchat', 'user-1')).toBeDefined();
    expect(await service.getForOwner(ticket.reference, 'webchat', 'user-2')).toBeUndefined();
    expect(await service.getForOwner(ticket.reference, 'msteams', 'user-1')).toBeUndefined();
    expect(service.contactMatches(ticket, 'SITI@Example.com')).toBe(true);
    expect(service.contactMatches(ticket, '+60 12-345 6789')).toBe(true);
    expect(service.contactMatches(ticket, 'other@example.com')).toBe(false);
    expect(service.contactMatches(ticket, '0123456780')).toBe(false);
  });

  test('replies left pending by a stopped process are delivered later', async () => {
    const { ticket } = await service.create(newTicket());
    const row = await tdb.database.db
      .insertInto('ticket_replies')
      .values({ ticket_id: (await tdb.database.db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id, author: 'A', text: 'late hello', delivery: 'pending', delivery_error: null, created_at: now.toISOString(), delivered_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    now = new Date(now.getTime() + 120_000);
    expect(await service.deliverPending()).toBe(1);
    const after = await service.get(ticket.reference);
    expect(after!.replies.find((r) => r.id === Number(row.id))!.delivery).toBe('bot');
    expect(await service.deliverPending()).toBe(0);
  });
});

describe('references', () => {
  test('normalised from what people type; malformed ones refused', () => {
    expect(normaliseReference('tkt-20261122-7qf3')).toBe('TKT-20261122-7QF3');
    expect(normaliseReference('TKT 20261122 7QF3')).toBe('TKT-20261122-7QF3');
    expect(normaliseReference('TKT-20261122-7QF')).toBeUndefined();
    expect(normaliseReference('TKT-20261122-0O1I')).toBeUndefined();
    expect(findReference('status TKT-20261122-7QF3 please')).toEqual({ found: true, reference: 'TKT-20261122-7QF3' });
    expect(findReference('status TKT-123')).toEqual({ found: true, reference: undefined });
    expect(findReference('semak tiket')).toEqual({ found: false });
  });

  test('random tails from an unambiguous alphabet', () => {
    const service = new TicketService({ db: undefined as never, mail: undefined as never, catalog, log: undefined as never });
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const r = service.newReference();
      expect(r).toMatch(REFERENCE_RE);
      seen.add(r);
    }
    expect(seen.size).toBeGreaterThan(490);
  });
});

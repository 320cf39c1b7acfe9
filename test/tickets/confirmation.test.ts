/**
 * Issue 13, items 8 and 12, on SQLite and PostgreSQL: the confirmation reply is stored with the ticket (same
 * transaction), pending until delivered, delivered proactively after a restart where the conversation can be
 * reached; "my tickets" queries; and customer text with NUL and lone surrogates stored and read back.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { type NewTicket, TicketService } from '../../src/services/tickets';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { RecordingProactive } from './helpers';

const catalog = MessageCatalog.load(path.join(__dirname, '../../knowledge/messages'));
const silent = createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) });

function newTicket(over: Partial<NewTicket> = {}): NewTicket {
  return {
    requestKey: `req-${Math.random().toString(36).slice(2)}`,
    category: 'billing',
    description: 'I was charged twice for March',
    name: 'Siti Aminah',
    email: 'siti@example.com',
    lang: 'ms',
    channel: 'webchat',
    channelUserId: 'user-1',
    conversationRef: { channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', conversation: { id: 'conv-1' } as never },
    ...over,
  };
}

describe.each(engines())('ticket confirmations and customer text on %s', (engine) => {
  let tdb: TestDatabase;
  let proactive: RecordingProactive;
  let service: TicketService;
  let now: Date;
  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
    proactive = new RecordingProactive();
    now = new Date('2026-11-22T03:00:00Z');
    service = new TicketService({ db: tdb.database.db, mail: new SqlMailOutbox(tdb.database.db, { from: 'b@example.com' }), catalog, log: silent, supportEmail: 'support@example.com', proactive, now: () => now });
  });
  afterEach(async () => tdb.dispose());

  test('the confirmation is stored with the ticket, in the customer language, pending until delivered', async () => {
    const { ticket, confirmation } = await service.create(newTicket({ lang: 'en' }));
    expect(confirmation).toContain(`Your reference is ${ticket.reference}.`);
    expect(ticket.confirmationPending).toBe(true);
    const row = await tdb.database.db.selectFrom('tickets').selectAll().where('reference', '=', ticket.reference).executeTakeFirstOrThrow();
    expect(row.confirmation_text).toBe(confirmation);
    expect(await service.pendingConfirmations('webchat', 'conv-1')).toEqual([{ reference: ticket.reference, text: confirmation, lang: 'en' }]);
    expect(await service.pendingConfirmations('webchat', 'conv-2')).toEqual([]);
    await service.confirmationDelivered(ticket.reference);
    expect(await service.pendingConfirmations('webchat', 'conv-1')).toEqual([]);
    expect((await service.get(ticket.reference))!.confirmationPending).toBe(false);
  });

  test('a ticket that could not be stored leaves no confirmation behind (one transaction)', async () => {
    const failing = new TicketService({
      db: tdb.database.db,
      mail: { enqueue: async () => Promise.reject(new Error('outbox down')) },
      catalog,
      log: silent,
      supportEmail: 'support@example.com',
      now: () => now,
    });
    await expect(failing.create(newTicket())).rejects.toThrow('outbox down');
    expect(await tdb.database.db.selectFrom('tickets').selectAll().execute()).toEqual([]);
    expect(await service.pendingConfirmations('webchat', 'conv-1')).toEqual([]);
  });

  test('after a restart, pending confirmations reach reachable conversations; unreachable ones wait, a bounded number of tries', async () => {
    const a = (await service.create(newTicket({ lang: 'ms' }))).ticket;
    const b = (await service.create(newTicket({ conversationRef: { channelId: 'webchat', conversation: { id: 'conv-2' } as never } }))).ticket;
    const told = (await service.create(newTicket({ conversationRef: { channelId: 'webchat', conversation: { id: 'conv-3' } as never } }))).ticket;
    await service.confirmationDelivered(told.reference);
    // too fresh: a turn may still be delivering it
    expect(await service.deliverPendingConfirmations({ olderThanMs: 30_000 })).toBe(0);
    now = new Date(now.getTime() + 60_000);
    proactive.fail = true;
    for (let i = 0; i < 5; i++) expect(await service.deliverPendingConfirmations({ olderThanMs: 30_000, maxAttempts: 3 })).toBe(0);
    const tries = await tdb.database.db.selectFrom('tickets').select(['reference', 'confirmation_attempts']).orderBy('id').execute();
    expect(tries.map((t) => Number(t.confirmation_attempts))).toEqual([3, 3, 0]);
    // the customer's next message still gets it
    expect((await service.pendingConfirmations('webchat', 'conv-1')).map((p) => p.reference)).toEqual([a.reference]);

    await tdb.database.db.updateTable('tickets').set({ confirmation_attempts: 0 }).execute();
    proactive.fail = false;
    expect(await service.deliverPendingConfirmations({ olderThanMs: 30_000 })).toBe(2);
    expect(proactive.sent.map((s) => [s.reference.conversation?.id, s.lang, s.text.includes(a.reference) || s.text.includes(b.reference)])).toEqual([
      ['conv-1', 'ms', true],
      ['conv-2', 'ms', true],
    ]);
    expect(proactive.sent[0]!.text).toContain(`Nombor rujukan anda ialah ${a.reference}.`);
    expect(await service.deliverPendingConfirmations({ olderThanMs: 30_000 })).toBe(0);
    expect(proactive.sent).toHaveLength(2);
  });

  test('"my tickets": this conversation or this channel user; by a verified contact', async () => {
    const mine1 = (await service.create(newTicket())).ticket;
    now = new Date(now.getTime() + 1000);
    // another device of the same channel user, another conversation
    const mine2 = (await service.create(newTicket({ conversationRef: { channelId: 'webchat', conversation: { id: 'conv-9' } as never } }))).ticket;
    now = new Date(now.getTime() + 1000);
    const other = (await service.create(newTicket({ channelUserId: 'user-2', email: 'other@example.com', conversationRef: { channelId: 'webchat', conversation: { id: 'conv-x' } as never } }))).ticket;
    const refs = (lines: Array<{ reference: string }>) => lines.map((l) => l.reference);
    expect(refs(await service.listForCustomer({ channel: 'webchat', channelUserId: 'user-1', conversationId: 'conv-1' }))).toEqual([mine2.reference, mine1.reference]);
    // a shared conversation (a group chat): the tickets raised in it, whoever asks
    expect(refs(await service.listForCustomer({ channel: 'webchat', channelUserId: 'user-3', conversationId: 'conv-x' }))).toEqual([other.reference]);
    expect(refs(await service.listForCustomer({ channel: 'teams', channelUserId: 'user-1', conversationId: 'conv-1' }))).toEqual([]);
    expect(refs(await service.listByContact(mine1))).toEqual([mine2.reference, mine1.reference]);
    expect(refs(await service.listByContact(other))).toEqual([other.reference]);
  });

  test('a description with NUL bytes and lone surrogates is stored and read back (cleaned), with its mail', async () => {
    const { ticket } = await service.create(newTicket({ description: 'charged\u0000 twice \uD800 for\u0000 March \uDC00 😀', name: 'Siti\u0000 Aminah', excerpt: 'x\u0000y \uDBFF' }));
    const read = (await service.get(ticket.reference))!;
    expect(read.description).toBe('charged twice \uFFFD for March \uFFFD 😀');
    expect(read.name).toBe('Siti Aminah');
    expect(read.excerpt).toBe('xy \uFFFD');
    const mail = await tdb.database.db.selectFrom('mail_outbox').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text_body).toContain('charged twice \uFFFD for March');
    // a staff reply with the same characters too
    const { reply } = await service.reply(ticket.reference, { text: 'ok\u0000 \uD800done', author: 'Aminah\u0000' });
    expect(reply.text).toBe('ok \uFFFDdone');
    expect(reply.author).toBe('Aminah');
  });
});

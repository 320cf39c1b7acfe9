/**
 * The handoff service (src/services/handoff.ts) on SQLite and PostgreSQL, with two service instances on one
 * database standing in for two bot instances: one open session per conversation whatever the races, one
 * winner when two staff take at once, queue positions, the pick-up timeout claimed once, the recent lines
 * kept masked and bounded, and a staff message stored even when it cannot be delivered.
 */
import { MessageCatalog } from '../../src/language/catalog';
import path from 'node:path';
import { createLogger } from '../../src/logging';
import { parseOfficeHours } from '../../src/domain/officeHours';
import { HandoffService, RECENT_LINES } from '../../src/services/handoff';
import { transcriptFragment, translator } from '../../src/console/pages';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { RecordingMessenger } from './helpers';

const catalog = MessageCatalog.load(path.join(__dirname, '../../knowledge/messages'));

describe.each(engines())('handoff service on %s', (engine) => {
  let t: TestDatabase;
  let now: Date;
  let proactive: RecordingMessenger;
  const make = async (db = t.database.db) =>
    new HandoffService({
      db,
      catalog,
      log: createLogger({ level: 'silent', format: 'json' }),
      proactive,
      hours: parseOfficeHours('1-7', '00:00', '24:00', ''),
      pickupTimeoutMs: 300_000,
      minutesPerCustomer: 3,
      now: () => now,
    });
  const request = (s: HandoffService, key: string, lang: 'ms' | 'en' = 'ms') =>
    s.request({ conversationKey: key, channel: 'webchat', lang, reference: { channelId: 'webchat', conversation: { id: key } as any }, customerName: 'Aminah', reason: 'asked' });

  beforeEach(async () => {
    t = await openTestDatabase(engine);
    now = new Date('2026-11-23T02:00:00Z');
    proactive = new RecordingMessenger();
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('concurrent requests for one conversation, on two instances, make one session; positions and waits', async () => {
    const a = await make();
    const b = await make((await t.reopen()).db);
    const results = await Promise.all([request(a, 'k1'), request(b, 'k1'), request(a, 'k1')]);
    expect(new Set(results.map((r) => r.session.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    now = new Date(now.getTime() + 1000);
    const second = await request(b, 'k2', 'en');
    expect(await a.place(second.session)).toMatchObject({ position: 2, waitMinutes: 6 });
    expect((await b.queue()).map((p) => p.session.conversationKey)).toEqual(['k1', 'k2']);
  });

  test('two staff take at once: exactly one wins; only the holder may write or hand back', async () => {
    const a = await make();
    const b = await make((await t.reopen()).db);
    const { session } = await request(a, 'k3');
    const wins = await Promise.all([a.take(session.id, { id: 1, name: 'Siti' }), b.take(session.id, { id: 2, name: 'Ravi' })]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const holder = wins[0] ? { id: 1, name: 'Siti' } : { id: 2, name: 'Ravi' };
    const other = wins[0] ? { id: 2, name: 'Ravi' } : { id: 1, name: 'Siti' };
    await expect(a.staffMessage(session.id, other, 'hi')).rejects.toThrow(/not held by you/);
    await a.staffMessage(session.id, holder, 'Selamat pagi');
    expect(proactive.texts()).toEqual([`${holder.name} dari khidmat pelanggan kini bersama anda.`, `${holder.name}: Selamat pagi`]);
    expect(await b.handBack(session.id, other)).toBe(false);
    expect(await b.handBack(session.id, holder)).toBe(true);
    expect(await a.open('k3')).toBeUndefined();
    // a new request after the hand back is a new session
    expect((await request(b, 'k3')).created).toBe(true);
  });

  test('a staff message that cannot be delivered is stored and reported', async () => {
    const s = await make();
    const { session } = await request(s, 'k4');
    await s.take(session.id, { id: 1, name: 'Siti' });
    proactive.fail = true;
    await expect(s.staffMessage(session.id, { id: 1, name: 'Siti' }, 'Are you there?')).rejects.toThrow(/could not reach/);
    const kinds = (await s.messages(session.id)).map((m) => `${m.role}:${m.kind ?? ''}`);
    expect(kinds.slice(-2)).toEqual(['staff:Siti', 'system:undelivered']);
  });

  test('the pick-up timeout is claimed once across instances and offers a ticket in the customer\'s language', async () => {
    const a = await make();
    const b = await make((await t.reopen()).db);
    await request(a, 'k5', 'en');
    now = new Date(now.getTime() + 301_000);
    const counts = await Promise.all([a.expireUnpicked(), b.expireUnpicked()]);
    expect(counts[0]! + counts[1]!).toBe(1);
    expect(proactive.texts()).toEqual([expect.stringMatching(/^Sorry, all our staff are still busy/)]);
    expect((await a.pendingOffer('k5'))!.status).toBe('offered');
    now = new Date(now.getTime() + 61 * 60_000);
    expect(await a.pendingOffer('k5')).toBeUndefined();
  });

  test('recent lines: masked, at most RECENT_LINES per conversation, failures counted from the end', async () => {
    const s = await make();
    for (let i = 0; i < RECENT_LINES + 5; i++) await s.recordRecent('k6', 'customer', `message ${i} from ali@example.com`);
    await s.recordRecent('k6', 'bot', 'answer', 'answer');
    await s.recordRecent('k6', 'bot', 'sorry', 'fallback');
    await s.recordRecent('k6', 'customer', 'hmm');
    await s.recordRecent('k6', 'bot', 'sorry', 'fallback');
    expect(await s.consecutiveFailures('k6')).toBe(2);
    const { session } = await request(s, 'k6');
    const lines = await s.messages(session.id);
    expect(lines.filter((m) => m.role !== 'system')).toHaveLength(RECENT_LINES);
    expect(lines.map((m) => m.text).join(' ')).not.toContain('ali@example.com');
    const transcript = await s.transcript(session.id);
    expect(transcript.split('\n').at(-1)).toBe('bot: sorry');
  });

  test('a ticket offered in the queue: what the customer told before and since, masked; pending until declined; sent, the session ends with its reference', async () => {
    const s = await make();
    await s.recordRecent('k8', 'customer', 'my eBiz login fails, IC 900101-10-5431');
    await s.recordRecent('k8', 'bot', 'sorry', 'fallback');
    const { session } = await request(s, 'k8');
    await s.customerMessage(session, 'still locked, email me at ali@example.com', 'en');
    const account = await s.customerAccount(session.id);
    expect(account.before).toHaveLength(1);
    expect(account.before[0]).toMatch(/^my eBiz login fails, IC /);
    expect(account.since).toHaveLength(1);
    expect(account.since.join(' ')).not.toMatch(/900101|ali@example\.com/);
    expect(await s.queueTicketPending(session.id)).toBe(false);
    await s.noteQueueTicket(session, 'offered');
    expect(await s.queueTicketPending(session.id)).toBe(true);
    await s.noteQueueTicket(session, 'declined');
    expect(await s.queueTicketPending(session.id)).toBe(false);
    await s.noteQueueTicket(session, 'offered');
    expect(await s.leftForTicket(session, 'TKT-20261201-AB12')).toBe(true);
    // once only: the session has ended
    expect(await s.leftForTicket(session, 'TKT-20261201-AB12')).toBe(false);
    expect(await s.open('k8')).toBeUndefined();
    const messages = await s.messages(session.id);
    expect(messages.filter((m) => m.role === 'system').map((m) => [m.kind, m.text])).toEqual([
      ['queued', 'asked'],
      ['ticket-offered', ''],
      ['ticket-declined', ''],
      ['ticket-offered', ''],
      ['ticket', 'TKT-20261201-AB12'],
    ]);
    // the staff console says each in its language
    const html = transcriptFragment({ lang: 'en', t: translator(catalog, 'en'), path: '/console' }, messages);
    expect(html).toContain('The customer left a way to reach them: a ticket was offered while they wait.');
    expect(html).toContain('The customer declined that ticket and keeps waiting.');
    expect(html).toContain('The customer left the queue with ticket TKT-20261201-AB12.');
    expect(transcriptFragment({ lang: 'ms', t: translator(catalog, 'ms'), path: '/console' }, messages)).toContain('Pelanggan keluar dari giliran dengan tiket TKT-20261201-AB12.');
  });

  test('a long conversation shows its latest messages', async () => {
    const s = await make();
    const { session } = await request(s, 'k7');
    for (let i = 0; i < 30; i++) await s.customerMessage(session, `line ${i}`, 'ms');
    const last = await s.messages(session.id, 10);
    expect(last.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${20 + i}`));
  });
});

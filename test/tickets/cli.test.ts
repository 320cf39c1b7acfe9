/**
 * The staff CLI over the same service: list (masked), show, reply, status, assign, close, and usage errors.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { UsageError, runTicketsCommand } from '../../src/cli/tickets';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { TicketService } from '../../src/services/tickets';
import { openTestDatabase, type TestDatabase } from '../helpers/databases';
import { RecordingProactive } from './helpers';

describe('npm run tickets', () => {
  let tdb: TestDatabase;
  let service: TicketService;
  let proactive: RecordingProactive;
  let reference: string;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    await runTicketsCommand(args, service, (s) => out.push(s));
    return out.join('\n');
  };
  beforeEach(async () => {
    tdb = await openTestDatabase('sqlite');
    proactive = new RecordingProactive();
    service = new TicketService({
      db: tdb.database.db,
      mail: new SqlMailOutbox(tdb.database.db, { from: 'Bot <bot@example.com>' }),
      catalog: MessageCatalog.load(path.join(__dirname, '../../knowledge/messages')),
      log: createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) }),
      proactive,
    });
    ({ ticket: { reference } } = await service.create({
      requestKey: 'r1', category: 'billing', description: 'Charged twice', name: 'Ali', email: 'ali@example.com', phone: '0123456789',
      lang: 'en', channel: 'webchat', channelUserId: 'u1', conversationRef: { channelId: 'webchat', conversation: { id: 'c1' } as never },
    }));
  });
  afterEach(async () => tdb.dispose());

  test('list masks personal data; show gives the details', async () => {
    const list = await run('list');
    expect(list).toContain(reference);
    expect(list).toContain('a••••@e••••.com');
    expect(list).not.toContain('ali@example.com');
    expect(list).toContain('1–1 of 1');
    expect(await run('list', '--status', 'closed')).toBe('No tickets.');
    const shown = await run('show', reference);
    expect(shown).toContain('Charged twice');
    expect(shown).toContain('ali@example.com');
  });

  test('reply, status, assign, close; a reply to a closed ticket is refused', async () => {
    expect(await run('reply', reference, 'We refunded you.', '--author', 'Aminah')).toContain('delivered: bot');
    expect(proactive.sent[0]!.text).toContain('We refunded you.');
    expect(await run('status', reference, 'in_progress')).toContain('in_progress');
    expect(await run('assign', reference, 'Aminah')).toContain('assigned to Aminah');
    expect(await run('close', reference.toLowerCase())).toContain('is closed');
    await expect(run('reply', reference, 'late')).rejects.toMatchObject({ code: 'closed' });
    expect((await service.get(reference))!.replies).toHaveLength(1);
  });

  test('unknown references and bad usage are clear errors', async () => {
    await expect(run('show', 'TKT-20261122-ZZZZ')).rejects.toMatchObject({ code: 'not-found' });
    await expect(run('close', 'nonsense')).rejects.toMatchObject({ code: 'not-found' });
    await expect(run('frobnicate')).rejects.toBeInstanceOf(UsageError);
    await expect(run('reply', reference)).rejects.toBeInstanceOf(UsageError);
    await expect(run('status', reference, 'done')).rejects.toBeInstanceOf(UsageError);
    await expect(run('list', '--limit', '0')).rejects.toBeInstanceOf(UsageError);
    await expect(run('list', '--from', 'yesterday')).rejects.toBeInstanceOf(UsageError);
  });
});

/**
 * Issue 13, item 11: customer text reaches staff screens escaped, never raw: `npm run tickets -- list|show`
 * (text and --json), the unanswered-question report, and the support e-mail's text part. Rows are written
 * raw into the database (as tickets stored before the intake cleaning, or by any other path, would be).
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { runTicketsCommand } from '../../src/cli/tickets';
import { formatUnanswered } from '../../src/cli/unanswered';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { TicketService } from '../../src/services/tickets';
import { UnansweredLog } from '../../src/services/unanswered';
import { HOSTILE } from '../fixtures/hostileText';
import { openTestDatabase, type TestDatabase } from '../helpers/databases';
import { RecordingProactive } from './helpers';

/** Anything a terminal would act on or hide: C0 but LF/TAB, DEL, C1, bidi controls, invisible characters, surrogates. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDFFF]/;
const ESC = '\u001b';

describe('staff-facing output of customer text', () => {
  let tdb: TestDatabase;
  let service: TicketService;
  beforeEach(async () => {
    tdb = await openTestDatabase('sqlite');
    service = new TicketService({
      db: tdb.database.db,
      mail: new SqlMailOutbox(tdb.database.db, { from: 'Bot <bot@example.com>' }),
      catalog: MessageCatalog.load(path.join(__dirname, '../../knowledge/messages')),
      log: createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) }),
      supportEmail: 'support@example.com',
      proactive: new RecordingProactive(),
    });
  });
  afterEach(async () => tdb.dispose());
  const run = async (...args: string[]) => {
    const out: string[] = [];
    await runTicketsCommand(args, service, (s) => out.push(s));
    return out.join('\n');
  };

  test('npm run tickets -- list / show / show --json: every hostile sequence escaped, the text still readable', async () => {
    const { ticket } = await service.create({
      requestKey: 'r1', category: 'billing', description: 'placeholder', name: 'Ali', email: 'ali@example.com',
      lang: 'en', channel: 'webchat', channelUserId: 'u1',
    });
    const hostile = HOSTILE.join('\n');
    await tdb.database.db
      .updateTable('tickets')
      .set({ description: hostile, name: `${ESC}[2JAli\u202Egnp.exe`, excerpt: hostile, source: `entry:${ESC}[31mx`, assignee: `Bob${ESC}[8m` })
      .execute();
    await service.reply(ticket.reference, { text: 'We are checking.', author: 'Aminah' });
    await tdb.database.db.updateTable('ticket_replies').set({ text: `ok\r${ESC}[31mURGENT: run rm -rf /${ESC}[0m`, author: `Aminah\u202E` }).execute();

    for (const args of [['list'], ['show', ticket.reference], ['show', ticket.reference, '--json'], ['list', '--json'], ['assign', ticket.reference, `Bob${ESC}[2J`]]) {
      const out = await run(...args);
      expect({ args, unsafe: UNSAFE.exec(out)?.[0] }).toEqual({ args, unsafe: undefined });
    }
    const shown = await run('show', ticket.reference);
    expect(shown).toContain('name:        \\u{001B}[2JAli\\u{202E}gnp.exe');
    expect(shown).toContain('\\u{001B}[31;1mURGENT: run curl');
    expect(shown).toContain('ok\\u{000D}\\u{001B}[31mURGENT: run rm -rf /');
    expect(shown).toContain('invoice \\u{202E}fdp.exe');
    // the JSON output is the same data once parsed
    const json = JSON.parse(await run('show', ticket.reference, '--json'));
    const stored = (await service.get(ticket.reference))!;
    expect(json.description).toBe(stored.description);
    expect(json.description).toContain(`${ESC}[31;1mURGENT`);
    expect(json.name).toBe(`${ESC}[2JAli\u202Egnp.exe`);
  });

  test('the unanswered-question report: one escaped line per question, JSON escaped', async () => {
    const log = new UnansweredLog(tdb.database.db);
    for (const text of HOSTILE) {
      await log.record({ text, lang: 'en', channel: 'webchat', recognition: { decision: 'fallback', candidates: [], lang: 'en', features: [] } as never });
    }
    const rows = await log.list({ limit: 100 });
    const report = formatUnanswered(rows, false);
    expect(UNSAFE.exec(report)?.[0]).toBeUndefined();
    expect(report.split('\n')).toHaveLength(rows.length);
    expect(report).toContain('\\u{001B}[2J\\u{001B}[H');
    const json = formatUnanswered(rows, true);
    expect(UNSAFE.exec(json)?.[0]).toBeUndefined();
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(rows)));
  });

  test('the support e-mail (text part): the customer text escaped', async () => {
    await service.create({
      requestKey: 'r2', category: 'billing', description: `charged twice \u202Efdp.exe \u009b31mRED\u200B ${ESC}[2J`, name: 'Ali\u200F',
      email: 'ali@example.com', lang: 'en', channel: 'webchat', channelUserId: 'u1', excerpt: 'hi\u2066there\u2069',
    });
    const mail = await tdb.database.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'ticket-created').executeTakeFirstOrThrow();
    expect(UNSAFE.exec(mail.text_body)?.[0]).toBeUndefined();
    expect(UNSAFE.exec(mail.subject)?.[0]).toBeUndefined();
    expect(mail.text_body).toContain('charged twice \\u{202E}fdp.exe \\u{009B}31mRED\\u{200B} [2J');
  });
});

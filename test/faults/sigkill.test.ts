/**
 * Issue 10, item 4: the process killed with SIGKILL during ticket creation, under load (the migration form's
 * case is in sigkill-migration.test.ts). The compiled server
 * (dist/src/index.js, built by `npm test`) runs on SQLite; a dozen customers submit their tickets at once and
 * the process is killed a few milliseconds later, in several rounds with a restart in between. Afterwards:
 * every ticket whose reference the customer was told exists, complete, with its notification mail; no
 * ticket exists twice for one request; no mail without its ticket; the database passes its integrity check;
 * and the restarted server answers the customers whose submit was cut off.
 *
 * Issue 13, item 8: for EVERY ticket created (told or not), the customer gets the reference after the restart:
 * a confirmation still pending is delivered with the customer's next message in that conversation, and
 * "my tickets" in the same conversation lists the reference with its status.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db';
import { type BotProcess, sayOverHttp, startBotProcess } from '../helpers/spawned';
import { ownerKey } from '../../src/services/tickets';

/** The bot on the test's data folder, restarted on the same folder after each kill. */
const startServer = (dataDir: string): Promise<BotProcess> =>
  startBotProcess(dataDir, { SUPPORT_EMAIL: 'support@example.com', OUTBOX_POLL_MS: '600000' });

const say = sayOverHttp;

function countTickets(dataDir: string): number {
  const db = new BetterSqlite3(path.join(dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from tickets').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** How many replies waiting in the channel outbox contain `text`. */
function outboxWith(dataDir: string, text: string): number {
  const db = new BetterSqlite3(path.join(dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select payload from channel_outbox').all() as Array<{ payload: string }>;
    return rows.filter((r) => r.payload.includes(text)).length;
  } finally {
    db.close();
  }
}

/** Resolves as soon as the tickets table holds more than `before` rows (polled about every millisecond, at most 10 s). */
async function ticketCommitted(dataDir: string, before: number): Promise<void> {
  const db = new BetterSqlite3(path.join(dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  const count = db.prepare('select count(*) as n from tickets');
  const until = Date.now() + 10_000;
  try {
    while (Date.now() < until && (count.get() as { n: number }).n <= before) await new Promise((r) => setImmediate(r));
  } finally {
    db.close();
  }
}

// up to the summary with the consent; agreeing ("yes", "Submit") stores the ticket
const STEPS = ['can I talk to customer service', 'Bills and charges', 'I was charged twice for the March bill', 'Ali bin Abu', 'ali@example.com 012-345 6789'];

test('SIGKILL during ticket creation under load: nothing acknowledged is missing, nothing half-written', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-kill-'));
  const acknowledged = new Map<string, string>(); // conversation -> reference told to the customer
  const cutOff: string[] = [];
  const PER_ROUND = 12;
  try {
    for (let round = 0; round < 3; round++) {
      const server = await startServer(dataDir);
      const convs = Array.from({ length: PER_ROUND }, (_, i) => `kill-${round}-${i}`);
      for (const conv of convs) {
        for (const step of STEPS) expect((await say(server.url, conv, step)).ok).toBe(true);
      }
      const before = countTickets(dataDir);
      let firstAck: () => void = () => undefined;
      const acked = new Promise<void>((resolve) => (firstAck = resolve));
      const submits = convs.map(async (conv) => {
        const r = await say(server.url, conv, 'Submit');
        const ref = /Your reference is (\S+?)[.\s]/.exec(r.text)?.[1];
        if (r.ok && ref) {
          acknowledged.set(conv, ref);
          firstAck();
        } else cutOff.push(conv);
      });
      // kill as soon as this round's first ticket is committed (watching the database file, which SQLite lets
      // another process read meanwhile), a little later each round: tickets then exist whose customers were
      // never told, whatever timing the loaded machine gives; the first acknowledgement also triggers it
      // the last round waits for the first acknowledgement itself, so that some customer was always told a
      // reference before a kill, however slow or fast this machine's turns are
      await Promise.race([acked, ...(round < 2 ? [ticketCommitted(dataDir, before)] : []), new Promise((r) => setTimeout(r, 5000))]);
      await new Promise((r) => setTimeout(r, round * 2));
      server.child.kill('SIGKILL');
      await Promise.all(submits);
      await server.exited;
    }
    // eslint-disable-next-line no-console
    console.log(`sigkill: ${acknowledged.size} submits acknowledged, ${cutOff.length} cut off`);
    // the kills landed in the middle: some customers were told a reference, others were cut off
    expect(acknowledged.size).toBeGreaterThan(0);

    // every ticket stored, whether or not its customer was told: whose conversation, and is its confirmation still owed?
    const stored = await (async () => {
      const database = await openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'bot.sqlite') });
      try {
        return (await (database.db as any).selectFrom('tickets').select(['reference', 'owner_key', 'confirmation_delivered_at']).execute()) as Array<{
          reference: string;
          owner_key: string;
          confirmation_delivered_at: string | null;
        }>;
      } finally {
        await database.close();
      }
    })();
    const convOf = new Map<string, string>();
    for (let round = 0; round < 3; round++) for (let i = 0; i < PER_ROUND; i++) convOf.set(ownerKey('test', `kill-${round}-${i}-user`), `kill-${round}-${i}`);
    const untold = stored.filter((t) => ![...acknowledged.values()].includes(t.reference));
    // eslint-disable-next-line no-console
    console.log(`sigkill: ${stored.length} tickets stored, ${untold.length} of them never confirmed before the kill`);

    // restart: the customers cut off try again and get an answer (a reference, or the summary again)
    const server = await startServer(dataDir);
    try {
      for (const t of stored) {
        const conv = convOf.get(t.owner_key)!;
        expect(conv).toBeDefined();
        if (t.confirmation_delivered_at === null) {
          // the confirmation reaches the customer once: with the next message of that conversation, whatever it
          // is, or — when the restarted process's background delivery of confirmations cut off over 30 s ago got
          // there first — through the channel outbox (this test's connector address takes nothing, so it waits there)
          const next = await say(server.url, conv, 'hello');
          const told = `Your reference is ${t.reference}.`;
          const inReply = next.text.split(told).length - 1;
          const queued = outboxWith(dataDir, told);
          expect({ conv, confirmations: inReply + queued }).toEqual({ conv, confirmations: 1 });
        }
        // and "my tickets" in the same conversation lists it, with its status
        const mine = await say(server.url, conv, 'my tickets');
        const listed = mine.text.includes(t.reference) && /Open, awaiting action/.test(mine.text);
        // on a failure the reply is shown (what the bot said instead)
        expect({ conv, listed, ...(listed ? {} : { reply: mine.text.slice(0, 400) }) }).toEqual({ conv, listed: true });
      }
      for (const conv of cutOff.slice(0, 5)) {
        const again = await say(server.url, conv, 'Submit');
        expect(again.ok).toBe(true);
        expect(again.text.length).toBeGreaterThan(0);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const database = await openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'bot.sqlite') });
    try {
      const db = database.db as any;
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.db);
      expect(integrity.rows[0]?.integrity_check).toBe('ok');
      const tickets = (await db.selectFrom('tickets').selectAll().execute()) as Array<Record<string, any>>;
      const byRef = new Map(tickets.map((t) => [t.reference, t]));
      for (const [conv, reference] of acknowledged) {
        const t = byRef.get(reference);
        expect({ conv, reference, stored: !!t }).toEqual({ conv, reference, stored: true });
        expect(t).toMatchObject({ category: 'billing', name: 'Ali bin Abu', email: 'ali@example.com', phone: '+60123456789', status: 'open' });
        expect(t!.description).toBe('I was charged twice for the March bill');
      }
      // one ticket per customer request, each with exactly one notification, and no mail without a ticket
      const owners = tickets.map((t) => t.owner_key);
      expect(new Set(owners).size).toBe(owners.length);
      const mail = (await db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('kind', '=', 'ticket-created').execute()) as Array<{ subject: string; text_body: string }>;
      expect(mail.length).toBe(tickets.length);
      for (const t of tickets) expect(mail.filter((m) => m.text_body.includes(t.reference)).length).toBe(1);
      // every confirmation has now reached its customer
      expect(tickets.filter((t) => t.confirmation_delivered_at === null).map((t) => t.reference)).toEqual([]);
      for (const row of (await db.selectFrom('bot_state').select('doc').execute()) as Array<{ doc: string }>) {
        expect(typeof JSON.parse(row.doc)).toBe('object');
      }
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

// The migration form's case: test/faults/sigkill-migration.test.ts.

/**
 * Issue 13, item 9 (and issue 10, item 5): every table either has a purge task or is kept on purpose, read
 * from the database itself; each task deletes what is past its horizon and keeps the rest; big purges go in
 * batches; the job runs at start-up and survives a failing database. On SQLite and PostgreSQL.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { KEPT_TABLES, RETENTION_TASKS, createRetentionFeature } from '../../src/features/retention';
import type { FeatureDeps } from '../../src/features/types';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const ms = (daysAgo: number) => NOW - daysAgo * DAY;

async function tablesOf(t: TestDatabase): Promise<string[]> {
  const db = t.database.db as any;
  if (t.target.kind === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    return r.rows.map((x) => x.name).sort();
  }
  const r = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  return r.rows.map((x) => x.name).sort();
}

describe.each(engines())('retention on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  const config = (env: Record<string, string> = {}) =>
    loadConfig({ RETENTION_DAYS: '30', TRANSCRIPT_RETENTION_DAYS: '20', STATE_IDLE_DAYS: '10', TICKET_RETENTION_DAYS: '100', DATA_DIR: '/tmp/unused', ...env }, path.join(__dirname, '../..'));
  const silent = createLogger({ level: 'silent', format: 'json' });
  const feature = (options: Parameters<typeof createRetentionFeature>[1] = {}, env: Record<string, string> = {}) =>
    createRetentionFeature({ config: config(env), log: silent, db: t.database.db, engine } as unknown as FeatureDeps, { now: () => NOW, ...options });

  test('every table in the schema has a purge task or is kept on purpose (a new table must choose)', async () => {
    const tables = await tablesOf(t);
    expect(tables.length).toBeGreaterThan(10);
    const purged = RETENTION_TASKS.flatMap((task) => task.tables);
    const kept = KEPT_TABLES.map((k) => k.table);
    const undecided = tables.filter((name) => !purged.includes(name) && !kept.includes(name));
    expect(undecided).toEqual([]);
    // and no decision names a table that does not exist, or a table twice
    expect([...purged, ...kept].filter((name) => !tables.includes(name))).toEqual([]);
    expect(new Set([...purged, ...kept]).size).toBe(purged.length + kept.length);
    for (const k of KEPT_TABLES) expect(k.reason.length).toBeGreaterThan(10);
  });

  async function seed(): Promise<void> {
    const db = t.database.db as any;
    const state = (key: string, daysAgo: number) => ({ key, doc: '{"ic":"850312-14-5672"}', etag: 'e', updated_at: iso(daysAgo) });
    await db.insertInto('bot_state').values([state('webchat/conversations/old', 11), state('webchat/conversations/new', 9)]).execute();
    for (const [text, days] of [['old question', 31], ['recent question', 29]] as const) {
      await db.insertInto('unanswered').values({ text, lang: 'en', decision: 'fallback', top_entry: null, top_score: null, channel: 'test', created_at: iso(days) }).execute();
    }
    for (const [q, days] of [['old turn', 31], ['recent turn', 29]] as const) {
      const row = { day: iso(days).slice(0, 10), created_at: iso(days), channel: 'test', lang: 'en', conversation: 'c', question: q };
      await db.insertInto('insight_turns').values({ ...row, outcome: 'answered', entry_id: 'ebiz.x', procedure: null, ref: q.replace(' ', '-') }).execute();
      await db.insertInto('answer_feedback').values({ ...row, entry_id: 'ebiz.x', vote: 'helpful', ref: q.replace(' ', '-') }).execute();
    }
    await db.insertInto('rate_limit_counters').values([
      { key: 'old', points: 1, expire: ms(3) },
      { key: 'new', points: 1, expire: ms(0.5) },
    ]).execute();
    await db.insertInto('otp_events').values([{ bucket: 'guess-line:old', at: ms(2) }, { bucket: 'guess-line:new', at: ms(0.5) }]).execute();
    const sms = (msisdn: string, status: string, daysAgo: number) => ({
      msisdn, body: '', kind: 'otp', status, attempts: 1, next_attempt_at: ms(daysAgo), expires_at: ms(daysAgo), claimed_at: null,
      created_at: ms(daysAgo), sent_at: status === 'sent' ? ms(daysAgo) : null, last_error: null,
    });
    await db.insertInto('sms_outbox').values([sms('+60121000001', 'sent', 2), sms('+60121000002', 'sent', 0.5), sms('+60121000003', 'pending', 3)]).execute();
    const mail = (key: string, status: string, sentDaysAgo: number | null, createdDaysAgo: number) => ({
      dedupe_key: key, kind: 'test', lang: 'en', from_addr: 'bot@example.test', to_addr: 'customer@example.test', subject: key, text_body: 'body',
      html_body: null, status, attempts: 1, next_attempt_at: iso(createdDaysAgo), claimed_at: null, last_error: null, created_at: iso(createdDaysAgo),
      sent_at: sentDaysAgo === null ? null : iso(sentDaysAgo),
    });
    await db.insertInto('mail_outbox').values([
      mail('sent-old', 'sent', 31, 31), mail('sent-new', 'sent', 2, 2), mail('pending-old', 'pending', null, 45), mail('failed-old', 'failed', null, 31), mail('failed-new', 'failed', null, 29),
    ]).execute();
    const token = (hash: string, expiredDaysAgo: number) => ({ token_hash: hash, account_id: 'acc-1', lang: 'ms', created_at: iso(expiredDaysAgo + 1), expires_at: iso(expiredDaysAgo), used_at: null });
    await db.insertInto('migration_tokens').values([token('a'.repeat(64), 8), token('b'.repeat(64), 6)]).execute();
    const decoy = (key: string, daysAgo: number) => ({ ...mail(key, 'void', null, daysAgo), to_addr: 'a•••@e•••.com' });
    await db.insertInto('migration_decoy_mail').values([decoy('decoy-old', 8), decoy('decoy-new', 6)]).execute();
    const otp = (key: string, expiredDaysAgo: number) => ({ key, salt: 's', code_hash: 'h', expires_at: ms(expiredDaysAgo), tries_left: 3, created_at: ms(expiredDaysAgo) });
    await db.insertInto('otp_codes').values([otp('old', 2), otp('new', 0.5)]).execute();
    const outbound = (key: string, status: string, daysAgo: number) => ({
      channel: 'whatsapp', recipient_key: 'r', dedupe_key: key, origin: null, lang: 'ms', payload: '{"to":"60123456789"}', stage: 'message', status,
      attempts: 1, next_attempt_at: ms(daysAgo), lease_until: null, claim_token: null, platform_id: null, error_code: null, last_error: null,
      created_at: ms(daysAgo), sent_at: status === 'sent' ? ms(daysAgo) : null,
    });
    await db.insertInto('channel_outbox').values([outbound('sent-old', 'sent', 31), outbound('held-old', 'held', 31), outbound('sent-new', 'sent', 29)]).execute();
    await db.insertInto('whatsapp_inbound').values([{ message_id: 'old', received_at: ms(8) }, { message_id: 'new', received_at: ms(6) }]).execute();
    const contact = (key: string, daysAgo: number) => ({ contact_key: key, last_inbound_at: ms(daysAgo), choices: null, choices_mode: null, updated_at: ms(daysAgo) });
    await db.insertInto('whatsapp_contacts').values([contact('old', 11), contact('new', 9)]).execute();
    for (const [id, days] of [['conv-old', 21], ['conv-new', 19]] as const) {
      await db.insertInto('directline_conversations').values({ id, user_id: 'u', last_seq: 2, created_at: ms(days), updated_at: ms(days) }).execute();
      for (const seq of [1, 2]) await db.insertInto('directline_activities').values({ conversation_id: id, seq, activity: '{}', created_at: ms(days) }).execute();
      // a file attached in each conversation (the old one's goes with it)
      await db.insertInto('directline_attachments').values({ id: `att-${id}`, conversation_id: id, name: 'f.pdf', content_type: 'application/pdf', size: 5, data: 'JVBERi0=', created_at: ms(days) }).execute();
    }
    // a file past the transcript horizon in a conversation that is still kept
    await db.insertInto('directline_attachments').values({ id: 'att-old-in-new', conversation_id: 'conv-new', name: 'g.pdf', content_type: 'application/pdf', size: 5, data: 'JVBERi0=', created_at: ms(21) }).execute();
    const ticket = (ref: string, status: string, daysAgo: number) => ({
      reference: ref, request_key: ref, status, category: 'billing', description: 'd', name: 'n', email: null, phone: null, consent_at: iso(daysAgo),
      lang: 'en', channel: 'test', owner_key: 'o', conversation_ref: null, excerpt: null, source: null, assignee: null, created_at: iso(daysAgo), updated_at: iso(daysAgo),
    });
    for (const [ref, status, days] of [['closed-old', 'closed', 101], ['resolved-old', 'resolved', 101], ['closed-new', 'closed', 99], ['open-old', 'open', 400]] as const) {
      const row = await db.insertInto('tickets').values(ticket(ref, status, days)).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('ticket_replies').values({ ticket_id: row.id, author: 'staff', text: 'reply', delivery: 'bot', delivery_error: null, created_at: iso(days), delivered_at: null }).execute();
    }
    // live handoff: ended sessions past TRANSCRIPT_RETENTION_DAYS go with their messages, an open one stays;
    // lines of a conversation with the bot (no session) go after 2 days
    const session = (key: string, status: string, daysAgo: number) => ({
      conversation_key: key, channel: 'test', lang: 'en', conversation_ref: '{}', customer_name: null, status, reason: 'asked', agent_id: null,
      agent_name: null, queued_at: iso(daysAgo), taken_at: null, ended_at: null, end_reason: null, updated_at: iso(daysAgo),
    });
    for (const [key, status, days] of [['ended-old', 'ended', 21], ['ended-new', 'ended', 19], ['held-old', 'held', 40]] as const) {
      const row = await db.insertInto('handoff_sessions').values(session(key, status, days)).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('handoff_messages').values({ conversation_key: key, session_id: row.id, role: 'customer', kind: null, text: 'hello', created_at: iso(days) }).execute();
    }
    for (const [key, days] of [['recent-old', 3], ['recent-new', 1]] as const) {
      await db.insertInto('handoff_messages').values({ conversation_key: key, session_id: null, role: 'customer', kind: null, text: 'hi', created_at: iso(days) }).execute();
    }
    await db.insertInto('staff_sessions').values([
      { id_hash: 'old', staff_id: 1, csrf: 'c', created_at: iso(2), expires_at: iso(1) },
      { id_hash: 'new', staff_id: 1, csrf: 'c', created_at: iso(0), expires_at: iso(-1) },
    ]).execute();
    for (const [action, days] of [['old', 101], ['new', 99]] as const) {
      await db.insertInto('staff_audit').values({ staff_id: 1, username: 'siti', action, target: null, detail: null, created_at: iso(days) }).execute();
    }
    for (const ref of ['closed-old', 'open-old']) {
      await db.insertInto('ticket_notes').values({ reference: ref, author: 'siti', text: 'note', created_at: iso(1) }).execute();
    }
  }

  const column = async (table: string, col: string) => ((await (t.database.db as any).selectFrom(table).select(col).execute()) as any[]).map((r) => String(r[col])).sort();

  test('each task removes what is past its horizon and keeps the rest; a second round removes nothing', async () => {
    await seed();
    const report = await feature().runOnce();
    expect(report).toEqual({
      'dialog state': 1,
      'unanswered log': 1,
      'insight log': 1,
      'answer feedback': 1,
      'rate limits': 1,
      'one-time code limit events': 1,
      'sms outbox': 1,
      mail: 2,
      'migration tokens': 1,
      'migration decoy mail': 1,
      'one-time codes': 1,
      'whatsapp message ids': 1,
      'whatsapp contacts': 1,
      'web chat attachments': 2,
      'web chat transcripts': 1,
      tickets: 2,
      'handoff conversations': 2,
      'staff sessions': 1,
      'staff audit': 1,
      'ticket notes': 1,
      'channel outbox': 2,
    });
    expect(await column('handoff_sessions', 'conversation_key')).toEqual(['ended-new', 'held-old']);
    expect(await column('handoff_messages', 'conversation_key')).toEqual(['ended-new', 'held-old', 'recent-new']);
    expect(await column('staff_sessions', 'id_hash')).toEqual(['new']);
    expect(await column('staff_audit', 'action')).toEqual(['new']);
    expect(await column('ticket_notes', 'reference')).toEqual(['open-old']);
    // replies hold numbers and words: whatever their state, gone after RETENTION_DAYS
    expect(await column('channel_outbox', 'dedupe_key')).toEqual(['sent-new']);
    expect(await column('directline_attachments', 'id')).toEqual(['att-conv-new']);
    expect(await column('bot_state', 'key')).toEqual(['webchat/conversations/new']);
    expect(await column('unanswered', 'text')).toEqual(['recent question']);
    expect(await column('insight_turns', 'question')).toEqual(['recent turn']);
    expect(await column('answer_feedback', 'question')).toEqual(['recent turn']);
    expect(await column('rate_limit_counters', 'key')).toEqual(['new']);
    expect(await column('otp_events', 'bucket')).toEqual(['guess-line:new']);
    // sent a day ago goes; sent recently, and still to be sent, stay
    expect(await column('sms_outbox', 'msisdn')).toEqual(['+60121000002', '+60121000003']);
    expect(await column('migration_decoy_mail', 'dedupe_key')).toEqual(['decoy-new']);
    expect(await column('mail_outbox', 'dedupe_key')).toEqual(['failed-new', 'pending-old', 'sent-new']);
    expect(await column('migration_tokens', 'token_hash')).toEqual(['b'.repeat(64)]);
    expect(await column('otp_codes', 'key')).toEqual(['new']);
    expect(await column('whatsapp_inbound', 'message_id')).toEqual(['new']);
    expect(await column('whatsapp_contacts', 'contact_key')).toEqual(['new']);
    expect(await column('directline_conversations', 'id')).toEqual(['conv-new']);
    expect(await column('directline_activities', 'conversation_id')).toEqual(['conv-new', 'conv-new']);
    expect(await column('tickets', 'reference')).toEqual(['closed-new', 'open-old']);
    expect((await column('ticket_replies', 'ticket_id')).length).toBe(2);
    const again = await feature().runOnce();
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
  });

  test('the horizons follow the settings', async () => {
    await seed();
    // a longer idle horizon keeps the 11-day-old state; a shorter RETENTION_DAYS caps the fixed horizons
    const report = await feature({}, { STATE_IDLE_DAYS: '12', RETENTION_DAYS: '1' });
    const r = await report.runOnce();
    expect(r['dialog state']).toBe(0);
    expect(r['whatsapp message ids']).toBe(2); // 7 days capped at 1
    expect(r['unanswered log']).toBe(2);
  });

  test('a large purge goes in batches of at most batchSize rows', async () => {
    const db = t.database.db as any;
    const rows = Array.from({ length: 1050 }, (_, i) => ({ key: `k${i}`, doc: '{}', etag: 'e', updated_at: iso(40) }));
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('bot_state').values(rows.slice(i, i + 200)).execute();
    await db.insertInto('bot_state').values({ key: 'fresh', doc: '{}', etag: 'e', updated_at: iso(1) }).execute();
    const batches: number[] = [];
    const report = await feature({ batchSize: 100, onBatch: (task, n) => task === 'dialog state' && batches.push(n) }).runOnce();
    expect(report['dialog state']).toBe(1050);
    expect(batches.length).toBeGreaterThanOrEqual(11);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    expect(await column('bot_state', 'key')).toEqual(['fresh']);
  });

  test('started with the server: the first round runs at once; a failing database is reported, not thrown', async () => {
    await seed();
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', destination: { write: (s: string) => void lines.push(s) } });
    const started = createRetentionFeature({ config: config(), log, db: t.database.db, engine } as unknown as FeatureDeps, { everyMs: 60_000, now: () => NOW });
    started.start!();
    await started.stop!();
    expect(await column('unanswered', 'text')).toEqual(['recent question']);
    expect(lines.some((l) => /old personal data purged/.test(l))).toBe(true);
    // the database gone: every task fails on its own, the round still resolves
    const other = await t.reopen();
    await other.close();
    const broken = createRetentionFeature({ config: config(), log, db: other.db, engine } as unknown as FeatureDeps);
    const report = await broken.runOnce();
    expect(Object.keys(report)).toEqual(RETENTION_TASKS.map((task) => task.name));
    expect(Object.values(report).every((n) => n === -1)).toBe(true);
    expect(lines.some((l) => /retention purge failed/.test(l))).toBe(true);
  });
});

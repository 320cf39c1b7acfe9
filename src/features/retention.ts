/**
 * Retention: every table of the schema either has a purge task here or is listed in KEPT_TABLES with the
 * reason it is kept (test/security/retention.test.ts reads the tables from the database itself and fails on
 * a table with no decision, so a table added later must join one list or the other).
 *
 * A purge task deletes in batches (one short statement of at most `batchSize` rows at a time, the event loop
 * free between two), so a large backlog never holds a long lock on either engine. The job runs once when the
 * server starts and then every hour, on every instance (the deletes are idempotent); each task runs on its
 * own, so one failing (the database away for a moment) does not stop the others, and the next round retries.
 *
 * Horizons (settings in src/config, defaults in brackets), and why:
 * - RETENTION_DAYS [90]: the unanswered-question log, the insight turn log and answer votes, sent and failed mail
 *   (their bodies hold names and addresses). Mail still to be sent stays until delivered or failed. Channel
 *   outbox rows (replies to WhatsApp and the connector), whatever their state.
 * - TRANSCRIPT_RETENTION_DAYS [30]: web chat conversations (already masked) idle that long, with their
 *   activities. A staff reply to an older conversation goes out by e-mail instead.
 * - STATE_IDLE_DAYS [30]: dialog state (bot_state) and WhatsApp contact rows not touched for that long: an
 *   abandoned procedure with the identifiers it collected is of no use to anyone after a month.
 * - TICKET_RETENTION_DAYS [365]: resolved and closed tickets (and their replies), counted from their last
 *   change: kept longer for complaints and disputes; open tickets are never purged.
 * - Fixed, no personal value once their purpose is served (each capped by RETENTION_DAYS): rate-limit
 *   counters 2 days after their window (no window is longer than a day); one-time codes 1 day after expiry,
 *   their limit events after a day (or OTP_WINDOW_SECONDS if longer) and their SMS a day after sending;
 *   decoy migration e-mails 7 days;
 *   WhatsApp message ids 7 days (Meta retries a webhook for up to 7 days); migration tokens 7 days after
 *   expiry (long enough to tell a late click "link expired" or "already used" rather than "unknown").
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { DB, Engine } from '../db';
import type { Feature, FeatureDeps } from './types';

export const RETENTION_EVERY_MS = 3_600_000;
const DAY = 86_400_000;

export interface PurgeContext {
  db: Kysely<DB>;
  engine: Engine;
  config: Config;
  /** Now, in ms since the epoch. */
  now: number;
  /** The most rows one statement may delete. */
  batchSize: number;
}

export interface PurgeTask {
  name: string;
  /** The tables whose rows this task deletes. */
  tables: string[];
  /** Deletes one batch (at most ctx.batchSize rows of the task's main table); returns how many went. */
  purgeBatch(ctx: PurgeContext): Promise<number>;
}

export interface KeptTable {
  table: string;
  reason: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One batch of `table`: the rows matching `where` (re-checked in the DELETE itself, so a row changed since
 * it was selected stays), at most `limit`, by their key.
 */
async function deleteBatch(
  db: Kysely<DB>,
  table: string,
  key: string,
  where: (eb: any) => any,
  limit: number,
): Promise<number> {
  const d = db as unknown as Kysely<any>;
  const keys = d.selectFrom(table).select(key).where(where).limit(limit);
  const result = await d.deleteFrom(table).where(key, 'in', keys).where(where).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** A parent table's batch with its children, in one transaction (both engines; no reliance on cascades). */
async function deleteWithChildren(
  db: Kysely<DB>,
  parent: { table: string; key: string },
  child: { table: string; foreignKey: string },
  where: (eb: any) => any,
  limit: number,
): Promise<number> {
  return (db as unknown as Kysely<any>).transaction().execute(async (trx) => {
    const rows = await trx.selectFrom(parent.table).select(parent.key).where(where).limit(limit).execute();
    const ids = rows.map((r: Record<string, unknown>) => r[parent.key]);
    if (ids.length === 0) return 0;
    await trx.deleteFrom(child.table).where(child.foreignKey, 'in', ids).execute();
    const result = await trx.deleteFrom(parent.table).where(parent.key, 'in', ids).where(where).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  });
}

/** Days, never longer than RETENTION_DAYS. */
const capped = (config: Config, days: number): number => Math.min(days, config.RETENTION_DAYS);

/** Every purge task, one per owner's table(s). A new table adds its task here (or a line to KEPT_TABLES). */
export const RETENTION_TASKS: PurgeTask[] = [
  {
    name: 'dialog state',
    tables: ['bot_state'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'bot_state', 'key', (eb) => eb('updated_at', '<', iso(now - config.STATE_IDLE_DAYS * DAY)), batchSize),
  },
  {
    name: 'unanswered log',
    tables: ['unanswered'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'unanswered', 'id', (eb) => eb('created_at', '<', iso(now - config.RETENTION_DAYS * DAY)), batchSize),
  },
  {
    // the dashboard's turn log and the answers' votes (masked questions): the same horizon as the unanswered log
    name: 'insight log',
    tables: ['insight_turns'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'insight_turns', 'id', (eb) => eb('created_at', '<', iso(now - config.RETENTION_DAYS * DAY)), batchSize),
  },
  {
    name: 'answer feedback',
    tables: ['answer_feedback'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'answer_feedback', 'id', (eb) => eb('created_at', '<', iso(now - config.RETENTION_DAYS * DAY)), batchSize),
  },
  {
    name: 'rate limits',
    tables: ['rate_limit_counters'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'rate_limit_counters', 'key', (eb) => eb('expire', '<', now - capped(config, 2) * DAY), batchSize),
  },
  {
    name: 'one-time code limit events',
    tables: ['otp_events'],
    // the sliding windows look back OTP_WINDOW_SECONDS (and an hour for the SMS budget): kept a day, or the window
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'otp_events', 'id', (eb) => eb('at', '<', now - Math.max(capped(config, 1) * DAY, config.OTP_WINDOW_SECONDS * 1000)), batchSize),
  },
  {
    name: 'sms outbox',
    tables: ['sms_outbox'],
    // rows still to be sent stay; the text (the code) is blanked at sending, the row goes a day later
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(
        db,
        'sms_outbox',
        'id',
        (eb) => eb.and([eb('status', 'in', ['sent', 'expired', 'failed', 'void']), eb('created_at', '<', now - capped(config, 1) * DAY)]),
        batchSize,
      ),
  },
  {
    name: 'mail',
    tables: ['mail_outbox'],
    purgeBatch: ({ db, config, now, batchSize }) => {
      const before = iso(now - config.RETENTION_DAYS * DAY);
      return deleteBatch(
        db,
        'mail_outbox',
        'id',
        (eb) =>
          eb.or([
            eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', before)]),
            eb.and([eb('status', '=', 'failed'), eb('created_at', '<', before)]),
          ]),
        batchSize,
      );
    },
  },
  {
    name: 'migration tokens',
    tables: ['migration_tokens'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'migration_tokens', 'token_hash', (eb) => eb('expires_at', '<', iso(now - capped(config, 7) * DAY)), batchSize),
  },
  {
    name: 'migration decoy mail',
    tables: ['migration_decoy_mail'],
    // written by requests for identifiers no account has (the same work as a real e-mail); never sent
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'migration_decoy_mail', 'id', (eb) => eb('created_at', '<', iso(now - capped(config, 7) * DAY)), batchSize),
  },
  {
    name: 'one-time codes',
    tables: ['otp_codes'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'otp_codes', 'key', (eb) => eb('expires_at', '<', now - capped(config, 1) * DAY), batchSize),
  },
  {
    name: 'whatsapp message ids',
    tables: ['whatsapp_inbound'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'whatsapp_inbound', 'message_id', (eb) => eb('received_at', '<', now - capped(config, 7) * DAY), batchSize),
  },
  {
    name: 'whatsapp contacts',
    tables: ['whatsapp_contacts'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'whatsapp_contacts', 'contact_key', (eb) => eb('updated_at', '<', now - config.STATE_IDLE_DAYS * DAY), batchSize),
  },
  {
    name: 'channel outbox',
    tables: ['channel_outbox'],
    // replies hold the customer's number and words: delivered or failed ones go after RETENTION_DAYS; a reply
    // still held or pending that long (the customer never wrote again) has lost its purpose too
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'channel_outbox', 'id', (eb) => eb('created_at', '<', now - config.RETENTION_DAYS * DAY), batchSize),
  },
  {
    // the files of a web chat conversation, as long as its transcript (a conversation deleted first takes its
    // files along: on delete cascade)
    name: 'web chat attachments',
    tables: ['directline_attachments'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'directline_attachments', 'id', (eb) => eb('created_at', '<', now - config.TRANSCRIPT_RETENTION_DAYS * DAY), Math.max(1, Math.floor(batchSize / 10))),
  },
  {
    name: 'web chat transcripts',
    tables: ['directline_conversations', 'directline_activities'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteWithChildren(
        db,
        { table: 'directline_conversations', key: 'id' },
        { table: 'directline_activities', foreignKey: 'conversation_id' },
        (eb) => eb('updated_at', '<', now - config.TRANSCRIPT_RETENTION_DAYS * DAY),
        // a conversation brings its activities along: fewer per batch
        Math.max(1, Math.floor(batchSize / 10)),
      ),
  },
  {
    name: 'tickets',
    tables: ['tickets', 'ticket_replies'],
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteWithChildren(
        db,
        { table: 'tickets', key: 'id' },
        { table: 'ticket_replies', foreignKey: 'ticket_id' },
        (eb) => eb.and([eb('status', 'in', ['resolved', 'closed']), eb('updated_at', '<', iso(now - config.TICKET_RETENTION_DAYS * DAY))]),
        Math.max(1, Math.floor(batchSize / 10)),
      ),
  },
  {
    name: 'handoff conversations',
    tables: ['handoff_sessions', 'handoff_messages'],
    // ended sessions (and ticket offers) with their transcript after TRANSCRIPT_RETENTION_DAYS, like the web
    // chat's transcripts (open ones stay); the last lines of a conversation with the bot (masked, kept in case
    // a handoff follows) after 2 days
    purgeBatch: async ({ db, config, now, batchSize }) =>
      (await deleteBatch(db, 'handoff_messages', 'id', (eb) => eb.and([eb('session_id', 'is', null), eb('created_at', '<', iso(now - capped(config, 2) * DAY))]), batchSize)) +
      (await deleteWithChildren(
        db,
        { table: 'handoff_sessions', key: 'id' },
        { table: 'handoff_messages', foreignKey: 'session_id' },
        (eb) => eb.and([eb('status', 'in', ['ended', 'offered']), eb('updated_at', '<', iso(now - config.TRANSCRIPT_RETENTION_DAYS * DAY))]),
        Math.max(1, Math.floor(batchSize / 10)),
      )),
  },
  {
    name: 'staff sessions',
    tables: ['staff_sessions'],
    purgeBatch: ({ db, now, batchSize }) => deleteBatch(db, 'staff_sessions', 'id_hash', (eb) => eb('expires_at', '<', iso(now)), batchSize),
  },
  {
    name: 'staff audit',
    tables: ['staff_audit'],
    // who did what in the console (reveals of personal data included): kept as long as tickets are
    purgeBatch: ({ db, config, now, batchSize }) =>
      deleteBatch(db, 'staff_audit', 'id', (eb) => eb('created_at', '<', iso(now - config.TICKET_RETENTION_DAYS * DAY)), batchSize),
  },
  {
    name: 'ticket notes',
    tables: ['ticket_notes'],
    // internal notes go with their ticket (purged by the tickets task)
    purgeBatch: ({ db, batchSize }) =>
      deleteBatch(db, 'ticket_notes', 'id', (eb) => eb('reference', 'not in', eb.selectFrom('tickets').select('reference')), batchSize),
  },
];

/** Tables kept on purpose, with the reason. */
export const KEPT_TABLES: KeptTable[] = [
  { table: 'legacy_accounts', reason: 'the eBiz account directory itself (a copy of the account system), not data the bot collected' },
  { table: 'subscriber_lines', reason: 'the subscriber directory (a copy of the billing system), not data the bot collected' },
  { table: 'migration_secrets', reason: 'server keys (CSRF, decoys); no personal data' },
  { table: 'directline_keys', reason: 'the key that signs Direct Line tokens; no personal data' },
  { table: 'staff_members', reason: 'staff accounts (disabled, never deleted, so the audit keeps naming who acted)' },
  { table: 'schema_migrations', reason: 'migration bookkeeping' },
  {
    table: 'knowledge_changes',
    reason: 'the knowledge overlay and its audit log (who changed what, reverts): knowledge, not customer data; texts are masked when added',
  },
  { table: 'knowledge_version', reason: 'one counter row (the overlay version every instance polls)' },
  { table: 'schema_migrations_lock', reason: 'migration bookkeeping' },
];

export interface RetentionOptions {
  /** How often a round runs (default hourly). */
  everyMs?: number;
  now?: () => number;
  /** Rows per DELETE (default 500). */
  batchSize?: number;
  /** The tasks (default RETENTION_TASKS). */
  tasks?: PurgeTask[];
  /** Called after each batch (tests count them). */
  onBatch?: (task: string, deleted: number) => void;
}

export interface RetentionFeature extends Feature {
  /** One round now; resolves with how many rows each task removed (-1 when it failed). */
  runOnce(): Promise<RetentionReport>;
}

export type RetentionReport = Record<string, number>;

/** The most batches of one task in one round: the rest waits for the next round. */
const MAX_BATCHES = 10_000;

export function createRetentionFeature(deps: FeatureDeps, options: RetentionOptions = {}): RetentionFeature {
  const { config, db, engine } = deps;
  const log = deps.log.child({ component: 'retention' });
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 500;
  const tasks = options.tasks ?? RETENTION_TASKS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionReport> | undefined;

  const runTask = async (task: PurgeTask): Promise<number> => {
    let total = 0;
    try {
      const ctx: PurgeContext = { db, engine, config, now: now(), batchSize };
      for (let i = 0; i < MAX_BATCHES; i++) {
        const deleted = await task.purgeBatch(ctx);
        options.onBatch?.(task.name, deleted);
        total += deleted;
        if (deleted === 0) break;
        // let turns in flight reach the database between two batches
        await new Promise((resolve) => setImmediate(resolve));
      }
      return total;
    } catch (err) {
      log.warn({ err, task: task.name, deletedBefore: total }, 'retention purge failed; the next round tries again');
      return -1;
    }
  };

  const runOnce = async (): Promise<RetentionReport> => {
    const report: RetentionReport = {};
    for (const task of tasks) report[task.name] = await runTask(task);
    if (Object.values(report).some((n) => n > 0)) log.info({ purged: report }, 'old personal data purged');
    return report;
  };

  const tick = (): void => {
    if (running) return;
    running = runOnce().finally(() => {
      running = undefined;
    });
  };

  return {
    name: 'retention',
    runOnce,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, options.everyMs ?? RETENTION_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Delivers the outbox. Each round claims the rows that are due (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so
 * two bot instances never claim the same row; SQLite: one UPDATE … RETURNING, atomic in the single writer),
 * sends them, and marks each sent, or schedules a retry with exponential backoff and jitter, or — after
 * maxAttempts — failed. A row left "sending" by a crashed instance is claimed again after a lease, so a
 * mail is never lost (at worst sent twice after a crash mid-send).
 */
import path from 'node:path';
import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { DB, Engine } from '../../db/schema';
import { maskEmail } from '../../domain/email';
import type { Metrics } from '../metrics';
import type { Logger } from '../../logging';
import type { MailOutboxTable } from './outbox';
import { FileMailTransport, type MailTransport } from './transport';

export interface OutboxWorkerOptions {
  db: Kysely<DB>;
  /** Default: `.eml` files under dataDir/outbox. */
  transport?: MailTransport;
  log: Logger;
  maxAttempts: number;
  pollMs: number;
  dataDir: string;
  /** Detected from the Kysely dialect when absent. */
  engine?: Engine;
  /** Rows claimed per round. */
  batchSize?: number;
  /** First retry delay; doubles each attempt (default 30 s), capped at maxBackoffMs (default 1 h). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** A row "sending" for longer than this is considered abandoned by a crashed instance (default 10 min). */
  leaseMs?: number;
  now?: () => number;
  random?: () => number;
  /** Counts mail sent and given up, and each attempt as an outbound e-mail (src/services/metrics.ts). */
  metrics?: Pick<Metrics, 'mail' | 'outbound'>;
}

type ClaimedRow = Pick<
  Selectable<MailOutboxTable>,
  'id' | 'kind' | 'lang' | 'from_addr' | 'to_addr' | 'subject' | 'text_body' | 'html_body' | 'attempts'
>;

export class OutboxWorker {
  readonly transport: MailTransport;
  private readonly engine: Engine;
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.transport = options.transport ?? new FileMailTransport(path.join(options.dataDir, 'outbox'), options.log);
    this.engine = options.engine ?? (options.db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Polls every pollMs until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.log.info({ transport: this.transport.name, pollMs: this.options.pollMs }, 'mail outbox worker started');
    const tick = () => {
      if (this.stopped) return;
      this.running = this.round().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    this.transport.close();
  }

  private async round(): Promise<void> {
    try {
      // drain what is due, a batch at a time (old mail is purged by the retention job, src/features/retention.ts)
      while (!this.stopped && (await this.drainOnce()) > 0);
    } catch (err) {
      // the database may be down for a moment: try again next round
      this.options.log.warn({ err }, 'mail outbox round failed');
    }
  }

  /** Claims the due rows, sends them, and records each outcome; returns how many were claimed. */
  async drainOnce(): Promise<number> {
    const rows = await this.claim();
    for (const row of rows) await this.deliver(row);
    return rows.length;
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { db } = this.options;
    const now = new Date(this.now()).toISOString();
    const leaseExpired = new Date(this.now() - (this.options.leaseMs ?? 600_000)).toISOString();
    const limit = this.options.batchSize ?? 20;
    const due = db
      .selectFrom('mail_outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', leaseExpired)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit);
    const rows = await db
      .updateTable('mail_outbox')
      .set((eb) => ({ status: 'sending', claimed_at: now, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returning(['id', 'kind', 'lang', 'from_addr', 'to_addr', 'subject', 'text_body', 'html_body', 'attempts'])
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) }));
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { db, log } = this.options;
    const to = maskEmail(row.to_addr);
    try {
      const result = await this.transport.send({
        id: String(row.id),
        from: row.from_addr,
        to: row.to_addr,
        subject: row.subject,
        text: row.text_body,
        ...(row.html_body ? { html: row.html_body } : {}),
        lang: row.lang,
        kind: row.kind,
      });
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: new Date(this.now()).toISOString(), last_error: null, claimed_at: null })
        .where('id', '=', row.id)
        .execute();
      log.info({ id: row.id, kind: row.kind, to, attempts: row.attempts, transport: this.transport.name, messageId: result.messageId }, 'mail sent');
      this.options.metrics?.mail('sent');
      this.options.metrics?.outbound('email', 'sent');
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 480);
      if (row.attempts >= this.options.maxAttempts) {
        await db
          .updateTable('mail_outbox')
          .set({ status: 'failed', last_error: message, claimed_at: null })
          .where('id', '=', row.id)
          .execute();
        log.error({ id: row.id, kind: row.kind, to, attempts: row.attempts, problem: message }, 'mail failed for good after the last attempt');
        this.options.metrics?.mail('failed');
        this.options.metrics?.outbound('email', 'failed', mailFailureReason(err));
        return;
      }
      const delay = this.backoff(row.attempts);
      const next = new Date(this.now() + delay).toISOString();
      await db
        .updateTable('mail_outbox')
        .set({ status: 'pending', next_attempt_at: next, last_error: message, claimed_at: null })
        .where('id', '=', row.id)
        .execute();
      log.warn({ id: row.id, kind: row.kind, to, attempts: row.attempts, retryInMs: delay, problem: message }, 'mail not sent; will retry');
      this.options.metrics?.outbound('email', 'retried', mailFailureReason(err));
    }
  }

  /** Exponential backoff with up to +25 % jitter: base · 2^(attempt-1), capped. */
  backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 30_000;
    const cap = this.options.maxBackoffMs ?? 3_600_000;
    const raw = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (1 + 0.25 * this.random()));
  }
}

/** Counts of the outbox rows by status (for tests, metrics and the admin view). */
export async function outboxCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** A bounded reason for a mail failure (a metric label): the SMTP response code, or nodemailer's error code. */
function mailFailureReason(err: unknown): string {
  const e = err as { responseCode?: unknown; code?: unknown } | null;
  if (typeof e?.responseCode === 'number') return `smtp_${e.responseCode}`;
  if (typeof e?.code === 'string' && /^[A-Z_]{2,24}$/.test(e.code)) return e.code.toLowerCase();
  return 'error';
}

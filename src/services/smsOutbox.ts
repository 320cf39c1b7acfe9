/**
 * The SMS outbox: an SMS the bot tells a customer it has sent is first committed here, in the same
 * transaction as the record it belongs to (a one-time code's hash), and then delivered by the worker through
 * the SmsSender (the provider at SMS_URL, or files under DATA_DIR/outbox/sms). A crash after the commit
 * delays the SMS until the next start; it never loses it, and no reply claims a send that was not committed.
 *
 * Rows are claimed like the mail outbox's (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one UPDATE …
 * RETURNING), retried with backoff while the code they carry is still valid, then marked expired. The text
 * (it holds the code) is blanked once the SMS is sent or given up; the rows go a day later (the retention job). A
 * "void" row (no number, no text, never sent) is what a request for a number that is not a line writes
 * instead, so both requests do the same work.
 * Metrics (the runtime's Metrics, src/services/metrics.ts): bot_sms_sent_total, bot_sms_failed_total.
 */
import { type Generated, type Kysely, PostgresAdapter } from 'kysely';
import type { DB, Engine } from '../db/schema';
import { maskPhone } from '../domain/phone';
import type { Logger } from '../logging';
import type { Metrics } from './metrics';
import type { SmsSender } from './ports';
import type { Db } from './slidingLog';

interface SmsOutboxTable {
  id: Generated<number>;
  msisdn: string;
  body: string;
  kind: string;
  status: string;
  attempts: number;
  next_attempt_at: number | string;
  expires_at: number | string;
  claimed_at: number | string | null;
  created_at: number | string;
  sent_at: number | string | null;
  last_error: string | null;
}

declare module '../db/schema' {
  interface DB {
    sms_outbox: SmsOutboxTable;
  }
}

export interface SmsOutboxOptions {
  db: Kysely<DB>;
  sender: SmsSender;
  log: Logger;
  engine?: Engine;
  /** Poll for due rows (after a restart, retries); new rows are sent at once through kick(). Default 5 s. */
  pollMs?: number;
  /** First retry delay, doubled each attempt (default 2 s). */
  backoffMs?: number;
  /** A row "sending" longer than this was abandoned by a crashed instance (default 60 s). */
  leaseMs?: number;
  now?: () => number;
  /** Counts SMS sent and given up. */
  metrics?: Pick<Metrics, 'sms' | 'outbound'>;
}

export class SmsOutbox {
  private readonly engine: Engine;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private closed = false;

  constructor(private readonly options: SmsOutboxOptions) {
    this.engine = options.engine ?? (options.db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');
    this.now = options.now ?? Date.now;
  }

  /** Stores an SMS (in the caller's transaction); deliver it with kick() once that transaction has committed. */
  async enqueue(db: Db, sms: { to: string; text: string; kind: string; expiresAt: number }): Promise<void> {
    const now = this.now();
    await db
      .insertInto('sms_outbox')
      .values({
        msisdn: sms.to,
        body: sms.text,
        kind: sms.kind,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        expires_at: sms.expiresAt,
        claimed_at: null,
        created_at: now,
        sent_at: null,
        last_error: null,
      })
      .execute();
  }

  /** A row that is never sent (status void, no number, no text): the decoy path's twin of enqueue(). */
  async enqueueVoid(db: Db): Promise<void> {
    const now = this.now();
    await db
      .insertInto('sms_outbox')
      .values({ msisdn: '', body: '', kind: 'void', status: 'void', attempts: 0, next_attempt_at: now, expires_at: now, claimed_at: null, created_at: now, sent_at: null, last_error: null })
      .execute();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      void this.drain().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 5000).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    await this.running;
  }

  /**
   * Delivers soon what was just committed. Deferred a little: the customer's reply goes out first, and the
   * delivery's work does not make the reply to a customer's line slower than the reply to any other number.
   */
  kick(delayMs = 30): void {
    if (this.kickTimer || this.closed) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.drain();
    }, delayMs);
    this.kickTimer.unref();
  }

  /** Sends everything due (one drain at a time in this process); resolves when done. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.drainOnce()) > 0);
        } while (this.again);
      } catch (err) {
        this.options.log.warn({ err }, 'SMS outbox round failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Claims the due rows, sends each and records the outcome; returns how many were claimed. */
  async drainOnce(): Promise<number> {
    const { db } = this.options;
    const now = this.now();
    const lease = now - (this.options.leaseMs ?? 60_000);
    await db
      .updateTable('sms_outbox')
      .set({ status: 'expired', body: '' })
      .where('status', 'in', ['pending', 'sending'])
      .where('expires_at', '<=', now)
      .execute();
    const due = db
      .selectFrom('sms_outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', lease)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(20);
    const rows = await db
      .updateTable('sms_outbox')
      .set((eb) => ({ status: 'sending', claimed_at: now, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', this.engine === 'postgres' ? due.forUpdate().skipLocked() : due)
      .returning(['id', 'msisdn', 'body', 'kind', 'attempts', 'expires_at'])
      .execute();
    for (const row of rows) {
      try {
        await this.options.sender.send({ to: row.msisdn, text: row.body, kind: row.kind });
        await db.updateTable('sms_outbox').set({ status: 'sent', body: '', sent_at: this.now(), last_error: null }).where('id', '=', row.id).execute();
        this.options.metrics?.sms('sent');
        this.options.metrics?.outbound('sms', 'sent');
      } catch (err) {
        const attempts = Number(row.attempts);
        const next = this.now() + (this.options.backoffMs ?? 2000) * 2 ** (attempts - 1);
        const giveUp = next >= Number(row.expires_at);
        await db
          .updateTable('sms_outbox')
          .set({
            status: giveUp ? 'failed' : 'pending',
            next_attempt_at: next,
            last_error: String((err as Error)?.message ?? err).slice(0, 300),
            ...(giveUp ? { body: '' } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        if (giveUp) this.options.metrics?.sms('failed');
        this.options.metrics?.outbound('sms', giveUp ? 'failed' : 'retried', giveUp ? 'expired' : 'provider_error');
        this.options.log[giveUp ? 'error' : 'warn']({ to: maskPhone(row.msisdn), kind: row.kind, attempts, err }, giveUp ? 'SMS given up' : 'SMS not sent; will retry');
      }
    }
    return rows.length;
  }
}

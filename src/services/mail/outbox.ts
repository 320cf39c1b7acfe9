/**
 * The mail outbox: an e-mail is a row first (in the caller's transaction when one is given), and the
 * OutboxWorker (./worker.ts) delivers it with retries. A dedupe key makes a retried turn enqueue once.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Db, MailOutbox, OutboundMail } from '../ports';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface MailOutboxTable {
  id: import('kysely').Generated<number>;
  dedupe_key: string | null;
  kind: string;
  lang: string;
  from_addr: string;
  to_addr: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: OutboxStatus;
  attempts: number;
  /** ISO-8601 UTC; a row is due when this is not in the future. */
  next_attempt_at: string;
  claimed_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

declare module '../../db/schema' {
  interface DB {
    mail_outbox: MailOutboxTable;
  }
}

export interface SqlMailOutboxOptions {
  /** The From header, e.g. "Support Bot <no-reply@example.com>" (MAIL_FROM). */
  from: string;
  now?: () => number;
}

/**
 * One mail row, written once per dedupe key: the outbox's INSERT, shared with the migration procedure's decoy
 * table (services/migrationDecoys.ts), whose rows must cost exactly what a real mail's do.
 */
export async function insertMailRow(
  db: Db,
  table: 'mail_outbox' | 'migration_decoy_mail',
  from: string,
  mail: OutboundMail,
  at: string,
): Promise<{ id: string; duplicate: boolean }> {
  const dedupeKey = mail.dedupeKey ? mail.dedupeKey.slice(0, 200) : null;
  const d = db as unknown as Kysely<any>;
  // ON CONFLICT DO NOTHING: inside a PostgreSQL transaction a failed INSERT would abort the caller's
  // transaction, so a duplicate must not raise.
  const inserted = await d
    .insertInto(table)
    .values({
      dedupe_key: dedupeKey,
      kind: mail.kind,
      lang: mail.lang,
      from_addr: from,
      to_addr: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      claimed_at: null,
      last_error: null,
      created_at: at,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: String(inserted.id), duplicate: false };
  const existing = await d.selectFrom(table).select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
  return { id: String(existing.id), duplicate: true };
}

export class SqlMailOutbox implements MailOutbox {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: SqlMailOutboxOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async enqueue(mail: OutboundMail, db: Db = this.db): Promise<{ id: string; duplicate: boolean }> {
    if (!mail.to || !mail.subject || !mail.text) throw new Error('an outbound mail needs to, subject and text');
    return insertMailRow(db, 'mail_outbox', this.options.from, mail, new Date(this.now()).toISOString());
  }
}


import type { Kysely } from 'kysely';
import { autoId } from '../migrate';
import type { Engine } from '../schema';

/**
 * One-time codes against SMS pumping, guessing and crashes (services/otp.ts, services/smsOutbox.ts):
 * - otp_codes learns which line and conversation a code belongs to (a conversation cut off by a crash finds
 *   its code again; a request over a line's SMS cap is bound to the line's latest live code);
 * - otp_events: the sliding-window log of code requests, guesses and SMS sent (hashed keys, times only);
 * - sms_outbox: every SMS is committed here with its code's record, then delivered by the worker.
 * Retention: otp_events older than a day, sms_outbox rows a day after they were sent or given up (their text,
 * which holds the code, is blanked as soon as they are sent), otp_codes a day after expiry (services/otp.ts
 * purge(), run hourly by the plan-switch feature).
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('otp_codes').addColumn('msisdn', 'varchar(20)').execute();
  await db.schema.alterTable('otp_codes').addColumn('conversation_key', 'varchar(64)').execute();
  await db.schema.createIndex('otp_codes_line').on('otp_codes').columns(['msisdn', 'created_at']).execute();
  await db.schema.createIndex('otp_codes_conversation').on('otp_codes').columns(['conversation_key', 'created_at']).execute();

  await db.schema
    .createTable('otp_events')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    // "<kind>:<sha-256 of the key, base64url>" e.g. guess-line:…, send-conversation:…, sms-budget
    .addColumn('bucket', 'varchar(100)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('otp_events_bucket_at').on('otp_events').columns(['bucket', 'at']).execute();
  await db.schema.createIndex('otp_events_at').on('otp_events').column('at').execute();

  await db.schema
    .createTable('sms_outbox')
    .addColumn('id', autoId(engine), (c) => c.primaryKey())
    .addColumn('msisdn', 'varchar(20)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    // pending | sending | sent | expired | failed
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    // not worth sending after this (the code has expired)
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sms_outbox_due').on('sms_outbox').columns(['status', 'next_attempt_at']).execute();
}

/**
 * The ports between procedures and the outside world. Dialogs and features depend on these interfaces;
 * adapters (SQL tables, SMTP, HTTP services, files under DATA_DIR/outbox) implement them and are chosen by
 * configuration where they are built: src/runtime.ts (the mail outbox, the SMS sender by SMS_URL, the rate
 * limiter, the proactive messenger), src/features/mail.ts (the outbox's transport: SMTP_URL or .eml files) and
 * src/features/migration.ts (the legacy-account directory: LEGACY_ACCOUNTS_URL or the project database).
 */
import type { ConversationReference } from 'botbuilder';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import type { Lang } from '../knowledge/types';

/** A database handle or an open transaction: enqueueing inside the caller's transaction makes it atomic with the caller's own writes. */
export type Db = Kysely<DB> | Transaction<DB>;

export interface OutboundMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  lang: Lang;
  /** What the mail is for (migration-link, ticket-created, ticket-reply, ...): for logs and metrics. */
  kind: string;
  /** The same key enqueued twice is one mail (a retried turn must not send twice). */
  dedupeKey?: string;
}

/** Mail goes through the outbox table: stored first, delivered by a worker with retries, never lost. */
export interface MailOutbox {
  enqueue(mail: OutboundMail, db?: Db): Promise<{ id: string; duplicate: boolean }>;
}

export interface OutboundSms {
  /** E.164, e.g. +60123456789 */
  to: string;
  text: string;
  kind: string;
}

export interface SmsSender {
  send(sms: OutboundSms): Promise<void>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counters shared by every bot instance (kept in the database: services/rateLimit.ts). A key's window
 * starts at its first hit and lasts windowSeconds; at most `limit` hits of a window are allowed.
 */
export interface RateLimiter {
  hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
}

/** Sends a message to a conversation outside a turn (a staff reply reaching the customer). */
export interface ProactiveMessenger {
  /**
   * Commits the message to the channel outbox (resolves once it is stored; the worker delivers it). `origin`
   * names the sender's record (e.g. "ticket-reply:TKT-…:7"): outcome listeners recognise it, and a message
   * sent again with the same origin is stored once. Throws when no channel can take it at all.
   */
  send(reference: Partial<ConversationReference>, message: { text: string; lang: Lang; origin?: string }): Promise<void>;
}

/**
 * The outbound queue of the channels: a reply is a row first (committed before anyone is told it was sent),
 * then the OutboundWorker (./worker.ts) delivers it through the channel's sender. Rows of one recipient go out
 * in id order, one at a time; different recipients never wait for each other. A row is
 *   pending → sending (claimed with a lease) → sent | failed (with the platform's code and reason)
 *                                             → held (WhatsApp: the 24-hour window closed; released when the
 *                                               customer writes again) → pending
 * The table is shared by every bot instance (SQLite or PostgreSQL); see the worker for the claim.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Generated, Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema';
import type { Lang } from '../../knowledge/types';
import type { Db } from '../ports';

export type OutboundStatus = 'pending' | 'sending' | 'held' | 'sent' | 'failed';

export interface ChannelOutboxTable {
  id: Generated<number>;
  /** The sender that delivers the row: 'whatsapp', 'botframework'. */
  channel: string;
  /** Hash of channel + recipient: the line whose order is kept (the recipient itself is in the payload). */
  recipient_key: string;
  /** Makes a retried turn or a re-sent proactive message enqueue once. */
  dedupe_key: string | null;
  /** Who asked (e.g. "ticket-reply:TKT-1:7"): outcome listeners recognise their rows by it. */
  origin: string | null;
  lang: string;
  /** The channel's own JSON (a Graph API message, a conversation reference and activity). */
  payload: string;
  /** What the sender does next: 'message' (the payload) or 'template' (WhatsApp's re-engagement template). */
  stage: string;
  status: OutboundStatus;
  attempts: number;
  next_attempt_at: number;
  /** While "sending": the claim is this instance's until then; after it, another instance may take it over. */
  lease_until: number | null;
  claim_token: string | null;
  /** The platform's message id (WhatsApp wamid, connector activity id). */
  platform_id: string | null;
  /** The platform's error code of the last failure (e.g. "131047", "http-429"). */
  error_code: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

declare module '../../db/schema' {
  interface DB {
    channel_outbox: ChannelOutboxTable;
  }
}

export type OutboundRow = Selectable<ChannelOutboxTable>;

export interface OutboundItem {
  channel: string;
  /** Whom the row reaches (a WhatsApp number or user id, a conversation id): rows of one recipient keep their order. */
  recipient: string;
  payload: unknown;
  lang: Lang;
  dedupeKey?: string;
  origin?: string;
  /** Default 'message'. */
  stage?: 'message' | 'template';
}

/** What a sender says about one attempt. */
export type DeliveryOutcome =
  | { kind: 'sent'; platformId?: string }
  /**
   * Worth another attempt later (rate limit, 5xx, no answer); `retryAfterMs` is the platform's hint.
   * `channelLimit`: the refusal was the channel's limit for every recipient (WhatsApp 130429), not this row's:
   * the channel's other rows wait too.
   */
  | { kind: 'retry'; code: string; reason: string; retryAfterMs?: number; channelLimit?: boolean }
  /** Never worth another attempt: recorded with the platform's reason. */
  | { kind: 'failed'; code: string; reason: string }
  /** Kept until the recipient writes again (release()); `platformId` of what was sent instead, if anything. */
  | { kind: 'hold'; code: string; reason: string; platformId?: string }
  /** Try again at once at another stage (e.g. the template instead of the message). */
  | { kind: 'restage'; stage: 'message' | 'template'; code: string; reason: string };

/** Delivers the rows of one channel. Must not throw for a platform's answer: it returns the outcome. */
export interface OutboundSender {
  readonly channel: string;
  /** The platform's limit of sends a second for the whole channel (paced by the worker); none: unpaced. */
  readonly perSecond?: number;
  deliver(row: OutboundRow): Promise<DeliveryOutcome>;
}

/** turnState key: the origin of the messages a proactive continuation sends (see ProactiveMessenger.send). */
export const OUTBOX_ORIGIN = 'outbound.origin';

export function recipientKey(channel: string, recipient: string): string {
  return createHash('sha256').update(`${channel}\u0000${recipient}`).digest('base64url').slice(0, 43);
}

export class OutboundQueue {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called after rows are committed (the worker wakes up at once instead of at its next poll). */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Stores the items, in order, in one transaction (or in the caller's `db` transaction, who then calls
   * notify() after its commit). A duplicate dedupe key is skipped (ON CONFLICT DO NOTHING: inside a PostgreSQL
   * transaction a failed INSERT would abort the caller's transaction). Returns the ids, existing ones included.
   */
  async enqueue(items: OutboundItem[], db?: Db): Promise<number[]> {
    if (items.length === 0) return [];
    const at = this.now();
    const write = async (trx: Kysely<any>): Promise<number[]> => {
      const ids: number[] = [];
      for (const item of items) {
        const dedupe = item.dedupeKey ? item.dedupeKey.slice(0, 200) : null;
        const inserted = await trx
          .insertInto('channel_outbox')
          .values({
            channel: item.channel,
            recipient_key: recipientKey(item.channel, item.recipient),
            dedupe_key: dedupe,
            origin: item.origin ? item.origin.slice(0, 200) : null,
            lang: item.lang,
            payload: JSON.stringify(item.payload),
            stage: item.stage ?? 'message',
            status: 'pending',
            attempts: 0,
            next_attempt_at: at,
            lease_until: null,
            claim_token: null,
            platform_id: null,
            error_code: null,
            last_error: null,
            created_at: at,
            sent_at: null,
          })
          .onConflict((oc: any) => oc.column('dedupe_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) ids.push(Number(inserted.id));
        else {
          const existing = await trx.selectFrom('channel_outbox').select('id').where('dedupe_key', '=', dedupe).executeTakeFirstOrThrow();
          ids.push(Number(existing.id));
        }
      }
      return ids;
    };
    if (db) return write(db as unknown as Kysely<any>);
    const ids = await this.db.transaction().execute((trx) => write(trx as unknown as Kysely<any>));
    this.notify();
    return ids;
  }

  /** The recipient wrote again: rows held for them go out now, in their order. Returns how many. */
  async release(channel: string, recipient: string): Promise<number> {
    const result = await this.db
      .updateTable('channel_outbox')
      .set({ status: 'pending', stage: 'message', next_attempt_at: this.now() })
      .where('recipient_key', '=', recipientKey(channel, recipient))
      .where('status', '=', 'held')
      .executeTakeFirst();
    const n = Number(result.numUpdatedRows ?? 0);
    if (n > 0) this.notify();
    return n;
  }

  async get(id: number): Promise<OutboundRow | undefined> {
    return this.db.selectFrom('channel_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byPlatformId(channel: string, platformId: string): Promise<OutboundRow | undefined> {
    return this.db
      .selectFrom('channel_outbox')
      .selectAll()
      .where('channel', '=', channel)
      .where('platform_id', '=', platformId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  /**
   * The platform confirmed a row (a status webhook): a row still "sending" — its instance stopped after the
   * request and before recording the answer — is marked sent, so it is not sent a second time.
   */
  async confirmSent(id: number, platformId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('channel_outbox')
      .set({ status: 'sent', platform_id: platformId.slice(0, 256), sent_at: this.now(), lease_until: null, claim_token: null })
      .where('id', '=', id)
      .where('status', 'in', ['sending', 'pending'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0) > 0;
  }

  /** A row the platform reported failed after accepting it: its delivery state must say so. */
  async markFailedLater(id: number, code: string, reason: string): Promise<void> {
    await this.db
      .updateTable('channel_outbox')
      .set({ status: 'failed', error_code: code.slice(0, 32), last_error: reason.slice(0, 500) })
      .where('id', '=', id)
      .execute();
  }

  /** A sent row goes out again at another stage (WhatsApp: the window closed before it arrived). */
  async restage(id: number, stage: 'message' | 'template', code: string, reason: string): Promise<void> {
    await this.db
      .updateTable('channel_outbox')
      .set({ status: 'pending', stage, next_attempt_at: this.now(), error_code: code.slice(0, 32), last_error: reason.slice(0, 500), platform_id: null, sent_at: null })
      .where('id', '=', id)
      .execute();
    this.notify();
  }

  /** Rows by status (tests, the bench, an admin view). */
  async counts(channel?: string): Promise<Record<string, number>> {
    let q = this.db.selectFrom('channel_outbox').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status');
    if (channel) q = q.where('channel', '=', channel);
    const rows = await q.execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}

export function claimToken(): string {
  return randomUUID();
}

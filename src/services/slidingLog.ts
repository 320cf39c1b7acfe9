/**
 * Sliding-window limits kept in the database (table otp_events), shared by every bot instance: a hit is
 * allowed when fewer than `limit` hits of its bucket fall in the last `windowMs`, so no window of that length,
 * wherever it starts, ever holds more than `limit` hits (a fixed window lets 2 × limit through across a
 * boundary). Written by hand because rate-limiter-flexible's limiters are fixed windows that start at the
 * first hit; a sliding log is exact, and the volumes here (one-time code requests and guesses) are small.
 *
 * Several buckets are checked and hit together, atomically: inside one transaction, each bucket serialised
 * (PostgreSQL: a transaction-scoped advisory lock per bucket, taken in sorted order; SQLite: one writer).
 * Bucket keys are hashed: no phone number or address is stored here.
 */
import { createHash } from 'node:crypto';
import { type Generated, type Kysely, type Transaction, sql } from 'kysely';
import type { DB, Engine } from '../db/schema';

interface OtpEventsTable {
  id: Generated<number>;
  bucket: string;
  at: number | string;
}

declare module '../db/schema' {
  interface DB {
    otp_events: OtpEventsTable;
  }
}

export interface SlidingCheck {
  /** e.g. bucketOf('guess-line', msisdn) */
  bucket: string;
  limit: number;
  windowMs: number;
}

export type SlidingVerdict =
  | { allowed: true }
  /** The first check that failed, and when a hit of it will be allowed again. */
  | { allowed: false; bucket: string; retryAfterMs: number };

export type Db = Kysely<DB> | Transaction<DB>;

/** "<kind>:<hash of key>" (a kind alone for a global bucket). */
export function bucketOf(kind: string, key?: string): string {
  if (key === undefined) return kind;
  return `${kind}:${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

export class SlidingLog {
  constructor(
    private readonly engine: Engine,
    private readonly now: () => number = Date.now,
  ) {}

  /** Serialises the buckets for the rest of the transaction (PostgreSQL; SQLite has a single writer). */
  async lock(trx: Transaction<DB>, buckets: string[]): Promise<void> {
    if (this.engine !== 'postgres') return;
    for (const b of [...new Set(buckets)].sort()) {
      await sql`select pg_advisory_xact_lock(hashtext(${b}))`.execute(trx);
    }
  }

  /** Hits in the bucket within the window, and the time the oldest of them leaves it. */
  async count(db: Db, check: SlidingCheck): Promise<{ count: number; oldest?: number }> {
    const since = this.now() - check.windowMs;
    const row = await db
      .selectFrom('otp_events')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('oldest')])
      .where('bucket', '=', check.bucket)
      .where('at', '>', since)
      .executeTakeFirst();
    const count = Number(row?.n ?? 0);
    return count > 0 ? { count, oldest: Number(row?.oldest) } : { count };
  }

  /**
   * Checks every bucket (call lock() first in the same transaction); nothing is recorded. Over a limit: when
   * the next hit will be allowed (the k-th newest hit, k = limit, leaves the window).
   */
  async check(db: Db, checks: SlidingCheck[]): Promise<SlidingVerdict> {
    const now = this.now();
    for (const c of checks) {
      const { count } = await this.count(db, c);
      if (count >= c.limit) {
        const rows = await db
          .selectFrom('otp_events')
          .select('at')
          .where('bucket', '=', c.bucket)
          .where('at', '>', now - c.windowMs)
          .orderBy('at', 'desc')
          .limit(c.limit)
          .execute();
        const kth = Number(rows[rows.length - 1]?.at ?? now);
        return { allowed: false, bucket: c.bucket, retryAfterMs: Math.max(1000, kth + c.windowMs - now + 1) };
      }
    }
    return { allowed: true };
  }

  /** Records one hit in each bucket. */
  async record(db: Db, buckets: string[]): Promise<void> {
    if (buckets.length === 0) return;
    const at = this.now();
    await db
      .insertInto('otp_events')
      .values(buckets.map((bucket) => ({ bucket, at })))
      .execute();
  }
}

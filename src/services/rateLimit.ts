/**
 * Fixed-window rate limiting in the database, so every bot instance counts the same hits. Keys are hashed:
 * an identifier (a MyKad number, an e-mail) is never stored in clear text here.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { RateLimitResult, RateLimiter } from './ports';

interface RateLimitsTable {
  bucket_key: string;
  window_start: number;
  count: number;
}

declare module '../db/schema' {
  interface DB {
    rate_limits: RateLimitsTable;
  }
}

export class SqlRateLimiter implements RateLimiter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const bucketKey = `${bucket}:${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
    const windowMs = windowSeconds * 1000;
    const now = this.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    // one statement: a new window starts at 1, the current window adds 1 (atomic on both engines)
    const row = await this.db
      .insertInto('rate_limits')
      .values({ bucket_key: bucketKey, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.column('bucket_key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('rate_limits.window_start', '=', windowStart)
            .then(eb('rate_limits.count', '+', 1))
            .else(1)
            .end(),
          window_start: windowStart,
        })),
      )
      .returning(['count'])
      .executeTakeFirstOrThrow();
    const count = Number(row.count);
    return {
      allowed: count <= limit,
      count,
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
    };
  }

  /** Removes counters of windows that ended long ago. */
  async purge(olderThanMs = 86_400_000): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('window_start', '<', this.now() - olderThanMs).execute();
  }
}

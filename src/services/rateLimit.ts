/**
 * Rate limits every bot instance shares: the counters live in the bot's database (the SQLite file, or
 * PostgreSQL for several instances), so N instances behind a load balancer enforce ONE limit, not N.
 * The counting is rate-limiter-flexible's (RateLimiterSQLite on the same better-sqlite3 handle Kysely uses,
 * RateLimiterPostgres on the same pg Pool), not hand-written SQL; its windows start at a key's first hit
 * and last `windowSeconds`. Keys are hashed: an identifier (a MyKad number, an e-mail, an address) is
 * never stored in clear text.
 *
 * When the database cannot count a hit (an outage, a partition), each limit says what happens:
 * - 'throw' (fail closed, the default): hit() rejects, and the caller fails as it would on any other query.
 *   For procedures' limits (one-time codes, account lookups): those procedures need the database anyway,
 *   and a limit that protects personal data or costs money must not open up when it cannot count.
 * - 'local' (fail open to this process): the hit is counted in this process's memory instead, so the limit
 *   still holds per instance (up to N times looser) while the database is away. For the hot path of every
 *   request (per client address, per conversation, web chat polling), where an outage must not turn every
 *   request into a 500 and health checks and polite "try later" answers must still get through.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import {
  RLWrapperTimeouts,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { type DB, type NativeConnection, nativeConnection } from '../db';
import type { Logger } from '../logging';
import type { Metrics } from './metrics';
import type { RateLimitResult, RateLimiter } from './ports';

/** The table of migration 0010 (the columns rate-limiter-flexible uses). */
export const RATE_LIMIT_TABLE = 'rate_limit_counters';

interface RateLimitCountersTable {
  key: string;
  points: number;
  /** When the window ends, ms since the epoch. */
  expire: number | null;
}

declare module '../db/schema' {
  interface DB {
    rate_limit_counters: RateLimitCountersTable;
  }
}

export type OnDatabaseError = 'throw' | 'local';

export interface SqlRateLimiterOptions {
  /** What a hit does when the database cannot count it (see the top of this file). Default 'throw'. */
  onDatabaseError?: OnDatabaseError;
  /**
   * Once a key is over its limit, this instance refuses it from memory until its window ends, without a
   * database round trip (rate-limiter-flexible's in-memory block): a flood costs no queries. A hit refused
   * so is not counted in the database, and its `count` is reported as limit + 1.
   */
  blockInMemory?: boolean;
  /** PostgreSQL only: a hit the database has not answered within this time counts as a database error. */
  timeoutMs?: number;
  log?: Logger;
  /** Counts refusals (bot_rate_limit_refusals_total) and hits the database could not count (src/services/metrics.ts). */
  metrics?: RateLimitMetrics;
}

/** The part of the bot's Metrics a rate limiter reports to. */
export type RateLimitMetrics = Pick<Metrics, 'rateLimitRefusal' | 'rateLimitStoreFailure'>;

/** A key as stored: the bucket in clear (it names the limit), the key hashed. */
function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

/**
 * better-sqlite3 with the few statements the library prepares on every hit kept prepared (as Kysely's own
 * statement cache does, src/db/index.ts); transactions are the handle's own.
 */
function cachedSqlite(sqlite: BetterSqlite3.Database): Pick<BetterSqlite3.Database, 'prepare' | 'transaction'> {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare: ((text: string) => {
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (statements.size > 32) statements.clear();
        statements.set(text, stmt);
      }
      return stmt;
    }) as BetterSqlite3.Database['prepare'],
    transaction: ((fn: (...args: unknown[]) => unknown) => sqlite.transaction(fn)) as BetterSqlite3.Database['transaction'],
  };
}

const sqliteClients = new WeakMap<BetterSqlite3.Database, Pick<BetterSqlite3.Database, 'prepare' | 'transaction'>>();

export class SqlRateLimiter implements RateLimiter {
  private readonly native: NativeConnection;
  private readonly limiters = new Map<string, { store: RateLimiterAbstract; local: RateLimiterMemory }>();
  private readonly onDatabaseError: OnDatabaseError;
  private lastWarning = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: SqlRateLimiterOptions = {},
  ) {
    const native = nativeConnection(db);
    if (!native) throw new Error('SqlRateLimiter needs a database opened by openDatabase (src/db)');
    this.native = native;
    this.onDatabaseError = options.onDatabaseError ?? 'throw';
  }

  async hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const { store, local } = this.limiterFor(bucket, limit, windowSeconds);
    const k = storedKey(key);
    let outcome: RateLimiterRes;
    let allowed: boolean;
    try {
      outcome = await store.consume(k);
      allowed = true;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        outcome = err;
        allowed = false;
      } else {
        // the database could not count this hit. (Not the library's insuranceLimiter option, which does the
        // same silently: here the limit chooses, and every fallback is counted and logged.)
        if (this.onDatabaseError === 'throw') {
          this.options.metrics?.rateLimitStoreFailure(bucket, 'thrown');
          throw err;
        }
        this.options.metrics?.rateLimitStoreFailure(bucket, 'local');
        this.warn(bucket, err);
        try {
          outcome = await local.consume(k);
          allowed = true;
        } catch (memoryRefusal) {
          outcome = memoryRefusal as RateLimiterRes;
          allowed = false;
        }
      }
    }
    if (!allowed) this.options.metrics?.rateLimitRefusal(bucket);
    return {
      allowed,
      // a key refused from memory (blockInMemory) was not counted: report it as just over the limit
      count: outcome.consumedPoints > 0 ? outcome.consumedPoints : limit + 1,
      retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
    };
  }

  private limiterFor(bucket: string, limit: number, windowSeconds: number) {
    const id = `${bucket}|${limit}|${windowSeconds}`;
    let pair = this.limiters.get(id);
    if (pair) return pair;
    if (bucket.length > 150 || !Number.isInteger(limit) || limit < 1 || !(windowSeconds > 0)) {
      throw new Error(`invalid rate limit ${bucket}: ${limit} per ${windowSeconds} s`);
    }
    const common = {
      // the window is part of the stored key: one bucket used with two windows keeps two counters
      keyPrefix: `${bucket}/${windowSeconds}`,
      points: limit,
      duration: windowSeconds,
      ...(this.options.blockInMemory ? { inMemoryBlockOnConsumed: limit + 1 } : {}),
    };
    let store: RateLimiterAbstract;
    if (this.native.kind === 'sqlite') {
      let client = sqliteClients.get(this.native.sqlite);
      if (!client) sqliteClients.set(this.native.sqlite, (client = cachedSqlite(this.native.sqlite)));
      store = new RateLimiterSQLite({
        ...common,
        storeClient: client,
        storeType: 'better-sqlite3',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
    } else {
      const pg = new RateLimiterPostgres({
        ...common,
        storeClient: this.native.pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
      store = this.options.timeoutMs ? (new RLWrapperTimeouts({ limiter: pg, timeoutMs: this.options.timeoutMs }) as unknown as RateLimiterAbstract) : pg;
    }
    pair = { store, local: new RateLimiterMemory({ keyPrefix: common.keyPrefix, points: limit, duration: windowSeconds }) };
    if (this.limiters.size > 1000) this.limiters.clear();
    this.limiters.set(id, pair);
    return pair;
  }

  private warn(bucket: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.options.log?.warn({ limit: bucket, problem: (err as Error)?.message }, 'rate limit counted in memory: the database could not count it');
  }
}

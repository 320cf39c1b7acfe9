/**
 * node-postgres's pool made safe against a database that goes silent (a network partition), for Kysely.
 *
 * node-postgres bounds each wait (`connectionTimeoutMillis`, `query_timeout`), but leaves two gaps:
 * - a client whose query timed out still has that query on the wire: the client answers nothing after it,
 *   yet `release()` puts it back in the pool (brianc/node-postgres#3399), and Kysely's PostgresDialect
 *   always calls `release()` without an error. Here a client that met a connection fault is released with
 *   the error, so pg-pool ends it, and its socket is destroyed at once;
 * - every caller still waits its own full timeout, one after another, and the pool fills with callers
 *   waiting on a dead network. Here the first connection fault marks the database unavailable: from then
 *   on, acquiring a connection fails at once (callers answer "try again" in milliseconds and background
 *   work skips its round), until a probe on a fresh connection — right away, then every retryIntervalMs —
 *   gets an answer. Connections opened before the fault are never reused after it: they may be among the
 *   ones that went silent and never come back.
 * A statement the server itself cancelled (statement_timeout) or refused is not a connection fault: the
 * server answered, the connection is kept.
 *
 * (Hand-written rather than a library: the generic circuit breakers on npm wrap calls, not pooled
 * connections, and could neither discard the client nor skip the connections from before the outage.)
 */
import type { DatabaseError, Pool, PoolClient } from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type { Logger } from '../logging';

/** Thrown at once, without touching the network, while the database is known to be unreachable. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('database unavailable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres's own words for a connection that did not answer or went away. Not among them: pg-pool's
// "timeout exceeded when trying to connect", said when every pooled connection stayed busy (a load peak on a
// healthy server); if they are busy on a dead network, their own query timeouts say so.
const PG_CONNECTION_MESSAGES =
  /^(Query read timeout|timeout expired|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * node-postgres's DatabaseError class, taken from pg when first asked: this module is loaded with src/db (its
 * DatabaseUnavailableError and isConnectionFault are exported there), and a process on SQLite must not load
 * node-postgres for it.
 */
let pgDatabaseError: typeof DatabaseError | undefined;
function isPgDatabaseError(err: object): err is DatabaseError {
  pgDatabaseError ??= (require('pg') as typeof import('pg')).DatabaseError;
  return err instanceof pgDatabaseError;
}

/** True when the error says the server could not be reached or the connection is gone (not a refused statement). */
export function isConnectionFault(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  if (!err || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (isPgDatabaseError(err)) {
    // 08: connection exception; 57P01–57P03: the server is shutting down, crashed, or not accepting yet
    return typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03');
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}

export interface GuardedPoolOptions {
  /** Succeeds when the database answers on a fresh connection (not one of the pool's). */
  probe(): Promise<void>;
  retryIntervalMs: number;
  log?: Logger;
}

/** The socket under a pg client (pg-pool destroys it the same way on a connection timeout). */
function destroySocket(client: PoolClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export class GuardedPool implements PostgresPool {
  private fault: unknown;
  private downSince = 0;
  /** Bumped at each outage: clients born in an older generation are not reused. */
  private generation = 0;
  private readonly born = new WeakMap<PoolClient, number>();
  private readonly waiters = new Set<(err: Error) => void>();
  private probeTimer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    readonly pool: Pool,
    private readonly options: GuardedPoolOptions,
  ) {
    pool.on('connect', (client) => {
      this.born.set(client, this.generation);
      // a checked-out client that loses its server between two queries emits 'error'; without a listener
      // that would end the process. The query in flight, if any, still fails with the error.
      client.on('error', () => undefined);
    });
    // an idle client that loses its server must not crash the process either
    pool.on('error', () => undefined);
  }

  /**
   * Callers waiting for a connection now. (pg-pool's own queue may still hold a connect this guard gave up on
   * at an outage; it ends at connectionTimeoutMillis and nobody waits for it.)
   */
  get waiting(): number {
    return this.waiters.size;
  }

  /** False while the database is known to be unreachable (until a probe gets an answer). */
  get available(): boolean {
    return this.fault === undefined;
  }

  async connect(): Promise<PostgresPoolClient> {
    // each pass discards one client from before the last outage: at most `max` of them exist
    for (;;) {
      if (this.fault !== undefined) throw new DatabaseUnavailableError(this.fault);
      const client = await this.acquire();
      if (this.born.get(client) === this.generation) return this.wrap(client);
      this.discard(client, new Error('connection opened before a database outage'));
    }
  }

  /**
   * One statement on a pooled connection, with the same guard as connect() (fails at once while the database
   * is known to be unreachable; a broken connection is discarded): the shape of pg's pool.query(config)
   * that rate-limiter-flexible calls, so its counters go through the guard too.
   */
  async query(config: { text: string; values?: unknown[] }): Promise<unknown> {
    const client = await this.connect();
    try {
      return await client.query(config.text, config.values ?? []);
    } finally {
      client.release();
    }
  }

  async end(): Promise<void> {
    // idempotent: Kysely ends the pool on destroy only if it ever used it, so Database.close() ends it too
    if (this.ended) return;
    this.ended = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    const closing = new DatabaseUnavailableError(new Error('database closed'));
    for (const reject of [...this.waiters]) reject(closing);
    await this.pool.end();
  }

  /** pool.connect(), except that it gives up at once when the database is found unreachable meanwhile. */
  private acquire(): Promise<PoolClient> {
    const generation = this.generation;
    return new Promise<PoolClient>((resolve, reject) => {
      let settled = false;
      const giveUp = (err: Error): void => {
        if (settled) return;
        settled = true;
        this.waiters.delete(giveUp);
        reject(err);
      };
      this.waiters.add(giveUp);
      this.pool.connect().then(
        (client) => {
          this.waiters.delete(giveUp);
          if (settled) client.release();
          else {
            settled = true;
            resolve(client);
          }
        },
        (err: unknown) => {
          // (a wait begun before the last outage ended says nothing about the database now)
          if (isConnectionFault(err) && generation === this.generation) this.trip(err);
          giveUp(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private wrap(client: PoolClient): PostgresPoolClient {
    let broken: unknown;
    let released = false;
    const query = async (text: string, parameters: ReadonlyArray<unknown>) => {
      // a client whose connection failed answers nothing more (a rollback after a timeout fails at once)
      if (broken !== undefined) throw broken;
      if (this.born.get(client) !== this.generation) {
        broken = new DatabaseUnavailableError(this.fault);
        throw broken;
      }
      try {
        return await client.query(text, parameters as unknown[]);
      } catch (err) {
        if (isConnectionFault(err)) {
          broken = err;
          if (this.born.get(client) === this.generation) this.trip(err);
        }
        throw err;
      }
    };
    return {
      query: query as unknown as PostgresPoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        if (broken !== undefined) this.discard(client, broken);
        else if (this.born.get(client) !== this.generation) this.discard(client, new Error('connection opened before a database outage'));
        else client.release();
      },
    };
  }

  /** Gives the client back to pg-pool as broken (it is ended, not pooled) and closes its socket now. */
  private discard(client: PoolClient, reason: unknown): void {
    client.release(reason instanceof Error ? reason : new Error(String(reason)));
    // pg-pool ends it politely, which on a silent network would wait for an answer that never comes
    destroySocket(client);
  }

  private trip(err: unknown): void {
    if (this.ended || this.fault !== undefined) return;
    this.fault = err;
    this.downSince = Date.now();
    this.generation++;
    this.options.log?.warn(
      { problem: (err as Error)?.message ?? String(err) },
      'database unreachable: customers are asked to try again shortly until it answers',
    );
    const unavailable = new DatabaseUnavailableError(err);
    for (const reject of [...this.waiters]) reject(unavailable);
    this.scheduleProbe(0);
  }

  private scheduleProbe(delayMs: number): void {
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.options.probe().then(
        () => {
          if (this.ended) return;
          this.fault = undefined;
          this.options.log?.info({ downMs: Date.now() - this.downSince }, 'database reachable again');
        },
        () => {
          if (!this.ended) this.scheduleProbe(this.options.retryIntervalMs);
        },
      );
    }, delayMs);
    // a CLI that finishes while the database is away must still exit
    this.probeTimer.unref();
  }
}

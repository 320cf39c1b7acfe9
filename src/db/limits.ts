/**
 * The bounds on every wait for the database. The defaults are the settings' defaults (src/config, DB_*);
 * .env.example says what each bounds and why these values.
 */
export interface PostgresLimits {
  /** node-postgres `connectionTimeoutMillis`: the longest wait for a connection, whether a free one from the
   *  pool (all busy) or a new one being opened (TCP, TLS, authentication). */
  connectTimeoutMs: number;
  /** node-postgres `query_timeout`: the client stops waiting for an answer; the connection is then discarded. */
  queryTimeoutMs: number;
  /** PostgreSQL `statement_timeout`: the server cancels a statement running longer (the connection stays
   *  usable). Kept below queryTimeoutMs, so a slow statement on a healthy server ends with the server's own
   *  error and only a silent network runs into the client's timeout. */
  statementTimeoutMs: number;
  /** PostgreSQL `idle_in_transaction_session_timeout`: the server ends a session left inside a transaction
   *  (its client vanished in a partition), releasing the rows it locked. */
  idleInTransactionTimeoutMs: number;
  /** TCP keepalive (always on): idle time before the first probe on a quiet connection. */
  keepAliveInitialDelayMs: number;
  /** Connections in the pool, at most. */
  poolMax: number;
  /** pg-pool `idleTimeoutMillis`: an unused connection is closed after this. */
  poolIdleTimeoutMs: number;
  /** pg-pool `maxLifetimeSeconds`: every connection is replaced after this (0: never). */
  poolMaxLifetimeSeconds: number;
  /** While the database is unreachable, how long between two checks whether it is back. */
  retryIntervalMs: number;
  /** Schema migrations at start-up: their statement and query timeout (they may legitimately be long). */
  migrationTimeoutMs: number;
}

export const DEFAULT_POSTGRES_LIMITS: Readonly<PostgresLimits> = Object.freeze({
  connectTimeoutMs: 3000,
  queryTimeoutMs: 3000,
  statementTimeoutMs: 2500,
  idleInTransactionTimeoutMs: 10_000,
  keepAliveInitialDelayMs: 10_000,
  poolMax: 10,
  poolIdleTimeoutMs: 10_000,
  poolMaxLifetimeSeconds: 1800,
  retryIntervalMs: 1000,
  migrationTimeoutMs: 600_000,
});

/** SQLite `busy_timeout`: how long a write waits for another process's lock (it blocks the event loop). */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 2000;

/**
 * The one place that reads the environment. Every setting is declared once in `schema` below with its
 * default; `.env.example` documents the same list (a test keeps the two in step).
 */
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from '../db';
import { DEFAULT_POSTGRES_LIMITS as PG, DEFAULT_SQLITE_BUSY_TIMEOUT_MS } from '../db/limits';
import { parseAllowedOrigins } from '../channels/directline/origins';
import { compileTrust } from '../server/clientAddress';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

export const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intIn(0, 65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  // --- database faults: PostgreSQL timeouts, keepalive and pool; SQLite's lock wait (src/db/limits.ts says
  // what each bounds; .env.example why the defaults let a customer hear back within 5 s when the network fails)
  DB_CONNECT_TIMEOUT_MS: intIn(100, 120_000).default(PG.connectTimeoutMs),
  DB_QUERY_TIMEOUT_MS: intIn(100, 600_000).default(PG.queryTimeoutMs),
  DB_STATEMENT_TIMEOUT_MS: intIn(100, 600_000).default(PG.statementTimeoutMs),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: intIn(100, 3_600_000).default(PG.idleInTransactionTimeoutMs),
  DB_KEEPALIVE_INITIAL_DELAY_MS: intIn(1000, 3_600_000).default(PG.keepAliveInitialDelayMs),
  DB_POOL_MAX: intIn(1, 1000).default(PG.poolMax),
  DB_POOL_IDLE_TIMEOUT_MS: intIn(1000, 3_600_000).default(PG.poolIdleTimeoutMs),
  DB_POOL_MAX_LIFETIME_SECONDS: intIn(0, 86_400).default(PG.poolMaxLifetimeSeconds),
  DB_RETRY_INTERVAL_MS: intIn(100, 60_000).default(PG.retryIntervalMs),
  DB_MIGRATION_TIMEOUT_MS: intIn(1000, 3_600_000).default(PG.migrationTimeoutMs),
  DB_SQLITE_BUSY_TIMEOUT_MS: intIn(0, 60_000).default(DEFAULT_SQLITE_BUSY_TIMEOUT_MS),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['pretty', 'json']).optional()),

  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).default('MultiTenant'),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().default(''),
  ALLOW_UNAUTHENTICATED_IN_PRODUCTION: bool.default(false),
  BOT_OPENID_METADATA_URL: optionalUrl,

  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
  KNOWLEDGE_PACKS: z.string().default('all'),
  NLU_ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  NLU_CLARIFY_THRESHOLD: z.coerce.number().min(0).max(1).optional(),

  // --- mail and the outbox (migration e-mails, ticket notifications)
  SMTP_URL: z.preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.string().min(3).default('Support Bot <no-reply@localhost>'),
  SUPPORT_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
  OUTBOX_MAX_ATTEMPTS: intIn(1, 100).default(12),
  OUTBOX_POLL_MS: intIn(50, 600_000).default(2000),

  // --- eBiz login migration
  LEGACY_ACCOUNTS_URL: optionalUrl,
  MIGRATION_TOKEN_TTL_MINUTES: intIn(1, 7 * 24 * 60).default(30),
  SEED_DEMO_DATA: z.preprocess(emptyToUndefined, bool.optional()),
  // Account lookups (MyKad, passport, e-mail) per conversation and per client address per window; no limit
  // per identifier (a stranger must not lock the owner out). Links e-mailed per account (or unknown
  // identifier) per link lifetime: past it, "a link was sent recently, check your inbox".
  MIGRATION_LOOKUPS_PER_CONVERSATION: intIn(1, 1000).default(5),
  MIGRATION_LOOKUPS_PER_ADDRESS: intIn(1, 100_000).default(20),
  MIGRATION_LOOKUP_WINDOW_SECONDS: intIn(60, 86_400).default(3600),
  MIGRATION_MAILS_PER_ACCOUNT: intIn(1, 100).default(3),

  // --- plan switching
  SUBSCRIBERS_URL: optionalUrl,
  SMS_URL: optionalUrl,
  OTP_TTL_SECONDS: intIn(30, 3600).default(300),
  OTP_MAX_TRIES: intIn(1, 10).default(3),
  // one-time codes against SMS pumping and guessing (sliding windows of OTP_WINDOW_SECONDS, kept in the database)
  OTP_WINDOW_SECONDS: intIn(60, 86_400).default(900),
  OTP_SENDS_PER_LINE: intIn(1, 100).default(3),
  OTP_SENDS_PER_CONVERSATION: intIn(1, 100).default(3),
  OTP_SENDS_PER_ADDRESS: intIn(1, 10_000).default(10),
  OTP_GUESSES_PER_LINE: intIn(1, 1000).default(10),
  OTP_GUESSES_PER_CLIENT: intIn(1, 1000).default(5),
  SMS_HOURLY_BUDGET: intIn(1, 10_000_000).default(500),

  // --- tickets and the admin API
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),

  // --- live handoff to a person and the staff console (src/services/handoff.ts, src/console)
  // Office hours in Malaysia time: ISO weekdays (1 = Monday … 7 = Sunday, ranges allowed: "1-5"), opening and
  // closing time (HH:MM, closing may be 24:00), public holidays as YYYY-MM-DD dates (comma-separated).
  HANDOFF_DAYS: z.string().regex(/^\s*[1-7](\s*-\s*[1-7])?(\s*,\s*[1-7](\s*-\s*[1-7])?)*\s*$/, 'must be ISO weekdays like 1-5 or 1,2,3').default('1-5'),
  HANDOFF_OPEN: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM').default('09:00'),
  HANDOFF_CLOSE: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (or 24:00)').default('18:00'),
  HANDOFF_HOLIDAYS: z.string().regex(/^(\s*\d{4}-\d{2}-\d{2}\s*(,\s*\d{4}-\d{2}-\d{2}\s*)*)?$/, 'must be YYYY-MM-DD dates, comma-separated').default(''),
  // Seconds a queued customer waits for a person before being offered a ticket with the conversation attached.
  HANDOFF_PICKUP_TIMEOUT_SECONDS: intIn(30, 86_400).default(300),
  // Minutes per customer ahead in the queue, for the expected wait shown to the customer.
  HANDOFF_MINUTES_PER_CUSTOMER: intIn(1, 120).default(4),
  // Staff console sign-in: session lifetime, and failed sign-ins before an account is locked for a while.
  STAFF_SESSION_HOURS: intIn(1, 72).default(8),
  STAFF_LOCKOUT_ATTEMPTS: intIn(3, 100).default(5),
  STAFF_LOCKOUT_MINUTES: intIn(1, 1440).default(15),
  // Sign-in attempts per client address per 15 minutes, whatever the account (password spraying).
  STAFF_SIGN_IN_PER_ADDRESS: intIn(1, 100_000).default(30),

  // --- channels
  DIRECT_LINE_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  // Graph API versions live about two years (https://developers.facebook.com/docs/graph-api/changelog/versions/):
  // v26.0 was released on 29 July 2026 (v21.0, the earlier default, expires on 21 January 2027)
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v26.0').default('v26.0'),
  WHATSAPP_TEMPLATE_MS: optionalString,
  WHATSAPP_TEMPLATE_EN: optionalString,
  // the number's throughput: Meta allows 80 messages a second by default (up to 1,000 once upgraded), in and
  // out together, and answers 130429 past it (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput);
  // each instance paces its own sends to this (0: unpaced); the default leaves a quarter of 80 to the customers'
  // own messages. With several instances, give each its share
  WHATSAPP_MESSAGES_PER_SECOND: intIn(0, 1000).default(60),
  // --- the channel outbox (replies to WhatsApp and the Bot Framework connector, proactive messages)
  OUTBOUND_POLL_MS: intIn(20, 600_000).default(1000),
  OUTBOUND_CONCURRENCY: intIn(1, 1000).default(16),
  OUTBOUND_MAX_ATTEMPTS: intIn(1, 100).default(12),
  OUTBOUND_BACKOFF_MS: intIn(1, 600_000).default(1000),
  OUTBOUND_MAX_BACKOFF_MS: intIn(1, 3_600_000).default(300_000),
  OUTBOUND_LEASE_MS: intIn(1000, 3_600_000).default(60_000),

  // --- limits and retention
  RATE_LIMIT_PER_CONVERSATION: intIn(1, 100_000).default(30),
  RATE_LIMIT_PER_IP: intIn(1, 1_000_000).default(300),
  RATE_LIMIT_WINDOW_SECONDS: intIn(1, 86_400).default(60),
  // Web Chat polls per conversation token per minute (the chat page polls twice a second: 120, plus headroom);
  // valid-token polls are counted here instead of in RATE_LIMIT_PER_IP.
  RATE_LIMIT_POLL_PER_TOKEN: intIn(1, 100_000).default(180),
  RETENTION_DAYS: intIn(1, 3650).default(90),
  // --- personal data at rest (src/features/retention.ts: what is purged when, and why)
  TRANSCRIPT_RETENTION_DAYS: intIn(1, 3650).default(30),
  STATE_IDLE_DAYS: intIn(1, 3650).default(30),
  TICKET_RETENTION_DAYS: intIn(1, 3650).default(365),
  // Proxies in front of the bot whose X-Forwarded-For is believed: empty (none: the socket address is the
  // client), a hop count (e.g. 1 behind one load balancer), or a comma-separated list of addresses/CIDRs.
  TRUSTED_PROXIES: z.string().default(''),
  // Local development only: log one-time codes and migration links (refused with NODE_ENV=production).
  DEV_LOG_SECRETS: bool.default(false),

  MAX_BODY_BYTES: intIn(1024, 10 * 1024 * 1024).default(256 * 1024),
  MAX_MESSAGE_CHARS: intIn(16, 100_000).default(2000),
  SHUTDOWN_GRACE_MS: intIn(0, 600_000).default(10_000),

  // --- HTTP edge: sockets, request bodies, Direct Line conversation lifetime
  // How long a client may take to send a request's headers, and the whole request, in milliseconds.
  HTTP_HEADERS_TIMEOUT_MS: intIn(1000, 300_000).default(15_000),
  HTTP_REQUEST_TIMEOUT_MS: intIn(1000, 600_000).default(30_000),
  // How long an idle keep-alive connection is kept open (behind a load balancer: longer than its idle timeout).
  HTTP_KEEP_ALIVE_TIMEOUT_MS: intIn(1000, 600_000).default(5000),
  // Open client connections at most; 0 = automatic (90% of the process's open-file limit on Linux, else none).
  HTTP_MAX_CONNECTIONS: intIn(0, 1_000_000).default(0),
  // Deepest nesting of objects and arrays accepted in a JSON body (deeper: 400).
  MAX_JSON_DEPTH: intIn(4, 1000).default(64),
  // The longest a Direct Line conversation of the chat page lives, in hours: its tokens are not refreshed past it.
  DIRECT_LINE_CONVERSATION_MAX_HOURS: intIn(1, 8760).default(24),

  // --- service insight (src/features/insight.ts): Prometheus metrics, the knowledge overlay
  // /metrics on the bot's port needs `Authorization: Bearer METRICS_TOKEN` (unset: 404 there). With
  // METRICS_PORT set, /metrics is also served without a token on METRICS_HOST:METRICS_PORT (keep it private).
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_PORT: z.preprocess(emptyToUndefined, intIn(0, 65535).optional()),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // How often every instance checks the knowledge overlay's version in the database (ms).
  KNOWLEDGE_POLL_MS: intIn(200, 600_000).default(2000),
  // How often each bot process looks in the database for web chat replies appended by another process (the
  // staff CLI, another instance) to push on its open WebSocket streams, in milliseconds.
  DIRECT_LINE_STREAM_POLL_MS: intIn(50, 60_000).default(500),
  // The largest file (a photo or a PDF) a web chat customer can attach, in bytes.
  // Websites on other origins that may embed the chat with the bot's own Direct Line (and call
  // /api/directline/token): comma-separated origins (https://www.example.com); see docs/embed.md.
  WEBCHAT_ALLOWED_ORIGINS: z.string().default('').superRefine((value, ctx) => {
    try {
      parseAllowedOrigins(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  DIRECT_LINE_UPLOAD_MAX_BYTES: intIn(1024, 20 * 1024 * 1024).default(5 * 1024 * 1024),
});

export type Env = z.input<typeof schema>;
type Parsed = z.output<typeof schema>;

export interface Config extends Parsed {
  /** DATA_DIR made absolute. */
  dataDir: string;
  knowledgeDir: string;
  /** Enabled knowledge packs; undefined = all. */
  knowledgePacks?: string[];
  /** Bot Framework authentication is on (an app id is configured). */
  authEnabled: boolean;
  /** The URL the bot is reached at (PUBLIC_URL or http://localhost:PORT). */
  publicUrl: string;
  /** WEBCHAT_ALLOWED_ORIGINS, parsed (src/channels/directline/origins.ts). */
  webchatAllowedOrigins: string[];
  /** Where the database is, with its timeouts (src/db: DatabaseTarget). */
  database: DatabaseTarget;
  /** Demo accounts and lines are seeded (default: outside production). */
  seedDemoData: boolean;
  logFormat: 'pretty' | 'json';
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment (process.env by default). Throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]]));
  const result = schema.safeParse(known);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
    throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}${shown}`);
  }
  const c = result.data;
  const authEnabled = c.MicrosoftAppId.trim() !== '';
  if (authEnabled && c.MicrosoftAppType !== 'UserAssignedMSI' && c.MicrosoftAppPassword === '') {
    throw new ConfigError('Invalid configuration: MicrosoftAppPassword: required when MicrosoftAppId is set');
  }
  if (c.MicrosoftAppType === 'SingleTenant' && authEnabled && c.MicrosoftAppTenantId === '') {
    throw new ConfigError('Invalid configuration: MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
  }
  if (c.NODE_ENV === 'production' && !authEnabled && !c.ALLOW_UNAUTHENTICATED_IN_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration: MicrosoftAppId: required when NODE_ENV=production (set ALLOW_UNAUTHENTICATED_IN_PRODUCTION=true to run without Bot Framework authentication)',
    );
  }
  try {
    compileTrust(c.TRUSTED_PROXIES);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: TRUSTED_PROXIES: ${(err as Error).message}`);
  }
  if (c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration: HTTP_HEADERS_TIMEOUT_MS: must not be above HTTP_REQUEST_TIMEOUT_MS');
  }
  if (c.NODE_ENV === 'production' && c.DEV_LOG_SECRETS) {
    throw new ConfigError('Invalid configuration: DEV_LOG_SECRETS: must not be set when NODE_ENV=production');
  }
  if (c.DB_STATEMENT_TIMEOUT_MS >= c.DB_QUERY_TIMEOUT_MS) {
    // the server must cancel a slow statement (the connection survives) before the client gives up on the
    // connection (which is then discarded and counted as the database being unreachable)
    throw new ConfigError('Invalid configuration: DB_STATEMENT_TIMEOUT_MS: must be below DB_QUERY_TIMEOUT_MS');
  }
  if (
    c.NLU_ANSWER_THRESHOLD !== undefined &&
    c.NLU_CLARIFY_THRESHOLD !== undefined &&
    c.NLU_CLARIFY_THRESHOLD > c.NLU_ANSWER_THRESHOLD
  ) {
    throw new ConfigError('Invalid configuration: NLU_CLARIFY_THRESHOLD: must not be above NLU_ANSWER_THRESHOLD');
  }
  const packs = c.KNOWLEDGE_PACKS.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const dataDir = path.resolve(cwd, c.DATA_DIR);
  return {
    ...c,
    dataDir,
    knowledgeDir: path.resolve(cwd, c.KNOWLEDGE_DIR),
    knowledgePacks: packs.length === 0 || packs.includes('all') ? undefined : packs,
    authEnabled,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    webchatAllowedOrigins: parseAllowedOrigins(c.WEBCHAT_ALLOWED_ORIGINS),
    database: c.DATABASE_URL
      ? {
          kind: 'postgres',
          url: c.DATABASE_URL,
          limits: {
            connectTimeoutMs: c.DB_CONNECT_TIMEOUT_MS,
            queryTimeoutMs: c.DB_QUERY_TIMEOUT_MS,
            statementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS,
            idleInTransactionTimeoutMs: c.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
            keepAliveInitialDelayMs: c.DB_KEEPALIVE_INITIAL_DELAY_MS,
            poolMax: c.DB_POOL_MAX,
            poolIdleTimeoutMs: c.DB_POOL_IDLE_TIMEOUT_MS,
            poolMaxLifetimeSeconds: c.DB_POOL_MAX_LIFETIME_SECONDS,
            retryIntervalMs: c.DB_RETRY_INTERVAL_MS,
            migrationTimeoutMs: c.DB_MIGRATION_TIMEOUT_MS,
          },
        }
      : { kind: 'sqlite', file: path.join(dataDir, 'bot.sqlite'), busyTimeoutMs: c.DB_SQLITE_BUSY_TIMEOUT_MS },
    logFormat: c.LOG_FORMAT ?? (c.NODE_ENV === 'production' ? 'json' : 'pretty'),
    seedDemoData: c.SEED_DEMO_DATA ?? c.NODE_ENV !== 'production',
  };
}

/** For the programs' entry points: the configuration, or one line on stderr naming the problem and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

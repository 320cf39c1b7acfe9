/**
 * The one place that reads the environment. Every setting is declared once in `schema` below with its
 * default; `.env.example` documents the same list (a test keeps the two in step).
 */
import path from 'node:path';
import { z } from 'zod';
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

  // --- plan switching
  SUBSCRIBERS_URL: optionalUrl,
  SMS_URL: optionalUrl,
  OTP_TTL_SECONDS: intIn(30, 3600).default(300),
  OTP_MAX_TRIES: intIn(1, 10).default(3),

  // --- tickets and the admin API
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),

  // --- channels
  DIRECT_LINE_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0').default('v21.0'),
  WHATSAPP_TEMPLATE_MS: optionalString,
  WHATSAPP_TEMPLATE_EN: optionalString,

  // --- limits and retention
  RATE_LIMIT_PER_CONVERSATION: intIn(1, 100_000).default(30),
  RATE_LIMIT_PER_IP: intIn(1, 1_000_000).default(300),
  RATE_LIMIT_WINDOW_SECONDS: intIn(1, 86_400).default(60),
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
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
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
  if (c.NODE_ENV === 'production' && c.DEV_LOG_SECRETS) {
    throw new ConfigError('Invalid configuration: DEV_LOG_SECRETS: must not be set when NODE_ENV=production');
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
    database: c.DATABASE_URL ? { kind: 'postgres', url: c.DATABASE_URL } : { kind: 'sqlite', file: path.join(dataDir, 'bot.sqlite') },
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

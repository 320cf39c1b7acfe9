/**
 * pino logging: pretty in development, JSON in production. Neither personal data nor a secret reaches a
 * log line:
 * - every string logged (fields at any depth, the message, format arguments, error messages and stacks) goes
 *   through redactPersonalData (MyKad, passport, e-mail, phone) and redactSecrets below;
 * - fields whose name says they hold a secret (authorization, cookie, password, *token, *secret, otp, …) are
 *   replaced whole, at any depth (pino's redact paths do the common ones fast);
 * - last, each finished line goes through redactSecrets once more (pino's streamWrite hook), so a token that
 *   reached the line another way (a serializer, an error's own fields) is caught too.
 * Link tokens (`/migrate/<token>`) are shown only with `showSecrets` (DEV_LOG_SECRETS, refused in
 * production): a developer without SMTP can follow the link from the log. Bearer tokens, JSON Web Tokens
 * (Direct Line conversation tokens), credentials in URLs and secret query parameters are never shown.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { redactPersonalData } from './domain/pii';

export type { Logger } from 'pino';

const CENSOR = '[redacted]';

const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.password',
  '*.MicrosoftAppPassword',
  '*.token',
  'password',
  'token',
];

/** Field names whose value is a secret whatever it looks like. */
const SECRET_KEY_RE =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-hub-signature(?:-256)?|passw(?:or)?d|secret|otp|one-?time-?code|.*(?:password|secret|token|apikey|api_key))$/i;

/** Secrets in text, each replaced by CENSOR; linear patterns (no nested repetition). */
const ALWAYS: Array<[RegExp, string]> = [
  // Authorization header values
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${CENSOR}`],
  // JSON Web Tokens (Direct Line conversation tokens, Bot Framework tokens)
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, CENSOR],
  // user:password@ in a URL (SMTP_URL, DATABASE_URL)
  [/\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s/@:]{1,200}:[^\s/@]{1,200}@/gi, `$1${CENSOR}@`],
  // secret query parameters: ?t=, &token=, access_token, hub.verify_token, code, sig, key, secret
  [/([?&](?:t|token|access_token|id_token|hub\.verify_token|code|sig|signature|key|secret|password)=)[^&\s"'#<>]+/gi, `$1${CENSOR}`],
];
/** Link tokens: shown only with showSecrets (DEV_LOG_SECRETS). */
const LINK_TOKENS: Array<[RegExp, string]> = [[/(\/migrate\/)[^\s/?#"'<>\\]+/g, `$1${CENSOR}`]];

/** The text without secrets: tokens in links and headers, credentials in URLs, secret query parameters. */
export function redactSecrets(text: string, options: { showSecrets?: boolean } = {}): string {
  let out = text;
  for (const [re, by] of ALWAYS) out = out.replace(re, by);
  if (!options.showSecrets) for (const [re, by] of LINK_TOKENS) out = out.replace(re, by);
  return out;
}

/** Below this depth a logged object is not read: it is replaced, never written unmasked. */
const MAX_DEPTH = 8;

function maskDeep(value: unknown, showSecrets: boolean, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(redactPersonalData(value), { showSecrets });
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; status?: unknown };
    return {
      type: e.name,
      message: maskDeep(e.message, showSecrets, depth + 1),
      stack: e.stack && maskDeep(e.stack, showSecrets, depth + 1),
      ...(e.code !== undefined ? { code: maskDeep(e.code, showSecrets, depth + 1) } : {}),
      ...(e.status !== undefined ? { status: e.status } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, showSecrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY_RE.test(k) && v !== undefined && v !== null && v !== '' ? CENSOR : maskDeep(v, showSecrets, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: string;
  format: 'pretty' | 'json';
  /** Where JSON lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
  /**
   * DEV_LOG_SECRETS: migration links are logged with their token (local development without SMTP only;
   * the configuration refuses it in production). Default false.
   */
  showSecrets?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const showSecrets = options.showSecrets === true;
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: SECRET_PATHS, censor: CENSOR },
    formatters: {
      log: (object) => maskDeep(object, showSecrets) as Record<string, unknown>,
    },
    hooks: {
      // the message and its format arguments (logger.info('...', value)) are masked too
      logMethod(args, method) {
        const masked = args.map((a, i) => (i === 0 && typeof a === 'object' ? a : maskDeep(a, showSecrets))) as typeof args;
        return method.apply(this, masked);
      },
      // the finished line, once more: whatever reached it by another way
      streamWrite: (line) => redactSecrets(line, { showSecrets }),
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.format === 'pretty') {
    // loaded only here: a production (JSON) process never holds the pretty printer
    const pretty = (require('pino-pretty') as { default: (options: PrettyOptions) => DestinationStream }).default;
    return pino(base, pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
  }
  return pino(base);
}

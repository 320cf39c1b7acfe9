/**
 * pino logging: pretty in development, JSON in production. Personal data never reaches a log line:
 * secrets are removed by path, and every string logged goes through redactPersonalData (MyKad numbers,
 * e-mails and phone numbers masked).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { redactPersonalData } from './domain/pii';

export type { Logger } from 'pino';

const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.MicrosoftAppPassword',
  '*.token',
  'password',
  'token',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactPersonalData(value.message), stack: value.stack && redactPersonalData(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  level: string;
  format: 'pretty' | 'json';
  /** Where JSON lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: {
      log: (object) => maskDeep(object) as Record<string, unknown>,
    },
    hooks: {
      // the message string itself (logger.info('...')) is masked too
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? redactPersonalData(a) : a)) as typeof args;
        return method.apply(this, masked);
      },
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

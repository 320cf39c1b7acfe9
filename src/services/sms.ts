/**
 * SMS delivery (one-time codes). Without SMS_URL the message is written as a JSON file under
 * DATA_DIR/outbox/sms/ (the developer's "phone") and a log line names the masked number; the text, which
 * holds the code, is logged only with the explicit local switch DEV_LOG_SECRETS=true. With SMS_URL: an HTTP
 * POST {to, text, kind} with retries on network errors and 5xx. Both are called by the SMS outbox worker
 * (services/smsOutbox.ts), never directly by a dialog.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import { maskPhone } from '../domain/phone';
import type { Logger } from '../logging';
import { exponentialBackoff, httpRequest } from './http/client';
import type { OutboundSms, SmsSender } from './ports';

export class FileSmsSender implements SmsSender {
  constructor(
    /** The folder the messages are written to (DATA_DIR/outbox/sms). */
    readonly dir: string,
    private readonly log: Logger,
    /** Log the message text (it holds the code): DEV_LOG_SECRETS only. */
    private readonly logText = false,
  ) {}

  async send(sms: OutboundSms): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${sms.kind}-${randomBytes(4).toString('hex')}.json`;
    const file = path.join(this.dir, name);
    const tmp = `${file}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ ...sms, createdAt: new Date().toISOString() }, null, 2), { mode: 0o600 });
    await fs.rename(tmp, file);
    const fields: Record<string, unknown> = { to: maskPhone(sms.to), kind: sms.kind, file: name };
    if (this.logText) fields.text = sms.text;
    this.log.info(fields, 'SMS written to the local outbox (no SMS_URL configured)');
  }
}

export interface HttpSmsOptions {
  fetch?: typeof fetch;
  /** Attempts in all (default 3). */
  attempts?: number;
  /** First back-off, doubled after each failure (default 300 ms). */
  backoffMs?: number;
  timeoutMs?: number;
}

export class HttpSmsSender implements SmsSender {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    private readonly options: HttpSmsOptions = {},
  ) {
    this.fetch = options.fetch ?? fetch;
  }

  async send(sms: OutboundSms): Promise<void> {
    const fields = { to: maskPhone(sms.to), kind: sms.kind };
    const res = await httpRequest({
      service: 'SMS provider',
      url: this.url,
      method: 'POST',
      json: { to: sms.to, text: sms.text, kind: sms.kind },
      timeoutMs: this.options.timeoutMs ?? 5000,
      fetch: this.fetch,
      readBody: false, // only the status counts: a slow body must not turn a sent SMS into a retried one
      retry: {
        attempts: this.options.attempts ?? 3,
        // a 4xx other than 429 means the request itself is wrong: retrying will not help
        retryStatus: (status) => status >= 500 || status === 429,
        retryNoAnswer: true,
        delayMs: exponentialBackoff(this.options.backoffMs ?? 300),
      },
      onFailure: ({ attempt, response, error }) =>
        this.log.warn({ ...fields, attempt, err: error ?? statusError(response!.status) }, 'SMS not sent'),
    });
    if (!res.ok) throw statusError(res.status);
    this.log.info({ ...fields, attempt: res.attempts }, 'SMS sent');
  }
}

function statusError(status: number): Error {
  return new Error(`SMS provider: HTTP ${status}`);
}

/** The sender chosen by configuration. */
export function createSmsSender(config: Pick<Config, 'SMS_URL' | 'dataDir' | 'DEV_LOG_SECRETS'>, log: Logger): SmsSender {
  if (config.SMS_URL) return new HttpSmsSender(config.SMS_URL, log);
  // the text holds the one-time code: logged only with DEV_LOG_SECRETS (local development, refused in production)
  return new FileSmsSender(path.join(config.dataDir, 'outbox', 'sms'), log, config.DEV_LOG_SECRETS);
}

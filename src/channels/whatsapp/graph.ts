/**
 * The WhatsApp Cloud API's send endpoint: POST {graphUrl}/{version}/{phoneNumberId}/messages with a bearer
 * token. 429 and 5xx (and network failures) are retried with exponential backoff, honouring Retry-After;
 * other 4xx are final. Every failure ends in a GraphError the caller decides about.
 */
import type { Logger } from '../../logging';
import { maskPhone } from '../../domain';

export interface GraphSettings {
  graphUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Attempts in all for a retryable failure (default 5). */
  maxAttempts?: number;
  /** First backoff delay in ms (default 500), doubled each attempt, with jitter. */
  baseDelayMs?: number;
  /** Cap of one wait, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  /** Timeout of one request (default 10 s). */
  timeoutMs?: number;
}

export class GraphError extends Error {
  constructor(
    message: string,
    /** HTTP status (0: no answer). */
    readonly status: number,
    /** Graph's error code (e.g. 131047: outside the 24-hour window), when it said one. */
    readonly code?: number,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface SendResult {
  messageId?: string;
  attempts: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GraphClient {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: GraphSettings,
    private readonly log: Logger,
  ) {
    this.maxAttempts = settings.maxAttempts ?? 5;
    this.baseDelayMs = settings.baseDelayMs ?? 500;
    this.maxDelayMs = settings.maxDelayMs ?? 30_000;
    this.timeoutMs = settings.timeoutMs ?? 10_000;
  }

  get configured(): boolean {
    return this.settings.accessToken !== '' && this.settings.phoneNumberId !== '';
  }

  get messagesUrl(): string {
    const base = this.settings.graphUrl.replace(/\/+$/, '');
    return `${base}/${this.settings.apiVersion}/${encodeURIComponent(this.settings.phoneNumberId)}/messages`;
  }

  /** Sends one message body (the `messaging_product` field is added here). */
  async send(message: Record<string, unknown> & { to: string }): Promise<SendResult> {
    if (!this.configured) throw new GraphError('WhatsApp is not configured (WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID)', 0);
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...message });
    for (let attempt = 1; ; attempt++) {
      let failure: GraphError;
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(this.messagesUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.settings.accessToken}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await res.text();
        let parsed: any;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        if (res.ok) {
          return { messageId: parsed?.messages?.[0]?.id, attempts: attempt };
        }
        const code = typeof parsed?.error?.code === 'number' ? (parsed.error.code as number) : undefined;
        const detail = typeof parsed?.error?.message === 'string' ? parsed.error.message : res.statusText;
        const retryable = res.status === 429 || res.status >= 500;
        failure = new GraphError(`Graph API ${res.status}${code ? ` (code ${code})` : ''}: ${detail}`, res.status, code, retryable);
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      } catch (err) {
        failure = new GraphError(`Graph API unreachable: ${(err as Error).message}`, 0, undefined, true);
      }
      if (!failure.retryable || attempt >= this.maxAttempts) {
        this.log.warn(
          { status: failure.status, code: failure.code, attempts: attempt, to: maskPhone(`+${message.to}`) },
          'WhatsApp message not sent',
        );
        throw failure;
      }
      const backoff = this.baseDelayMs * 2 ** (attempt - 1);
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const wait = Math.min(this.maxDelayMs, Math.max(retryAfterMs ?? 0, jittered));
      this.log.info({ status: failure.status, attempt, waitMs: Math.round(wait) }, 'WhatsApp send failed; retrying');
      await sleep(wait);
    }
  }
}

/** Retry-After as seconds or an HTTP date, in ms. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

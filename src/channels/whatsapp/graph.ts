/**
 * The WhatsApp Cloud API's send endpoint: POST {graphUrl}/{version}/{phoneNumberId}/messages with a bearer
 * token. `attempt` sends once and classifies the answer by Meta's error *code*: every message to a customer goes
 * through the channel outbox, whose worker retries (src/services/outbound); `markRead` sends the read receipt with
 * the typing indicator.
 * Error codes: https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/
 * (Meta: build error handling on `code`, not titles; a throughput 130429 or pair-rate 131056 answer comes as
 * HTTP 400, so the status alone cannot say whether to retry).
 */
import { maskPhone } from '../../domain';
import { type HttpResponse, httpRequest, parseJsonIfAny } from '../../services/http/client';

export interface GraphSettings {
  graphUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Timeout of one request (default 10 s). */
  timeoutMs?: number;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
}

/** Meta's codes worth another attempt later, with the wait Meta's documentation suggests (ms, 0: backoff only). */
export const RETRYABLE_CODES: ReadonlyMap<number, number> = new Map([
  [1, 0], // API Unknown: temporary
  [2, 0], // API Service: temporary downtime
  [4, 60_000], // API Too Many Calls: app-level rate limit
  [80007, 60_000], // WhatsApp Business Account rate limit
  [130429, 1_000], // Rate limit hit: the number's throughput (messages per second)
  [131056, 6_000], // (Business, Consumer) pair rate limit: about one message every 6 seconds to one user
  [131000, 0], // Something went wrong: unknown error, retry
  [131016, 0], // Service unavailable
  [133004, 0], // Server temporarily unavailable
]);

/** 130429: the business number's throughput (messages a second, all customers together) was reached. */
export const THROUGHPUT_CODE = 130429;

/** 131047: more than 24 hours since the customer last wrote (re-engagement message): only a template may go. */
export const WINDOW_CLOSED_CODE = 131047;

export type AttemptResult =
  | { ok: true; messageId?: string }
  | {
      ok: false;
      /** 'retry': worth another attempt; 'window': the 24-hour window is closed; 'final': never. */
      verdict: 'retry' | 'window' | 'final';
      status: number;
      code?: number;
      /** "131056" or "http-503" or "network". */
      codeText: string;
      reason: string;
      retryAfterMs?: number;
    };

/** The address field of a message: a phone number goes in `to`, a business-scoped user id (username) in `recipient`. */
export function addressFields(address: string): { to: string } | { recipient: string } {
  return /^\d{6,20}$/.test(address) ? { to: address } : { recipient: address };
}

export class GraphClient {
  private readonly timeoutMs: number;

  constructor(private readonly settings: GraphSettings) {
    this.timeoutMs = settings.timeoutMs ?? 10_000;
  }

  get configured(): boolean {
    return this.settings.accessToken !== '' && this.settings.phoneNumberId !== '';
  }

  get messagesUrl(): string {
    const base = this.settings.graphUrl.replace(/\/+$/, '');
    return `${base}/${this.settings.apiVersion}/${encodeURIComponent(this.settings.phoneNumberId)}/messages`;
  }

  /** One request, no retry: the answer classified by Meta's error code (see RETRYABLE_CODES). */
  async attempt(message: Record<string, unknown>): Promise<AttemptResult> {
    if (!this.configured) {
      return { ok: false, verdict: 'final', status: 0, codeText: 'not-configured', reason: 'WhatsApp is not configured (WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID)' };
    }
    let res: HttpResponse;
    try {
      res = await httpRequest({
        service: 'Graph API',
        url: this.messagesUrl,
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.accessToken}` },
        json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...message },
        timeoutMs: this.timeoutMs,
        ...(this.settings.fetch ? { fetch: this.settings.fetch } : {}),
      });
    } catch (err) {
      // no answer: the message may or may not have gone; retried (the status webhook confirms a row that went)
      return { ok: false, verdict: 'retry', status: 0, codeText: 'network', reason: (err as Error).message };
    }
    if (res.ok) {
      const parsed = parseJsonIfAny(res) as { messages?: Array<{ id?: string }> } | undefined;
      return { ok: true, messageId: parsed?.messages?.[0]?.id };
    }
    const parsed = parseJsonIfAny(res) as
      | { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } }
      | undefined;
    const rawCode = parsed?.error?.code;
    const code = typeof rawCode === 'number' ? rawCode : typeof rawCode === 'string' && /^\d+$/.test(rawCode) ? Number(rawCode) : undefined;
    const message0 = typeof parsed?.error?.message === 'string' ? parsed.error.message : res.statusText;
    const details = typeof parsed?.error?.error_data?.details === 'string' ? parsed.error.error_data.details : '';
    const reason = `Graph API ${res.status}${code !== undefined ? ` (code ${code})` : ''}: ${message0}${details ? ` — ${details}` : ''}`.slice(0, 480);
    const retryAfterHeader = parseRetryAfter(res.headers.get('retry-after'));
    const hinted = code !== undefined ? RETRYABLE_CODES.get(code) : undefined;
    let verdict: 'retry' | 'window' | 'final';
    if (code === WINDOW_CLOSED_CODE) verdict = 'window';
    else if (hinted !== undefined) verdict = 'retry';
    // no code Meta documents: the HTTP status decides (a proxy's 502, a 429 without a body)
    else if (code === undefined && (res.status === 429 || res.status >= 500)) verdict = 'retry';
    else if (code !== undefined && res.status >= 500) verdict = 'retry';
    else verdict = 'final';
    const retryAfterMs = Math.max(retryAfterHeader ?? 0, hinted ?? 0) || undefined;
    return {
      ok: false,
      verdict,
      status: res.status,
      ...(code !== undefined ? { code } : {}),
      codeText: code !== undefined ? String(code) : `http-${res.status}`,
      reason,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }

  /**
   * Marks an inbound message read and shows the typing indicator (it lasts until the reply or 25 s):
   * https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators/
   * One short attempt: a receipt that does not go is no loss.
   */
  async markRead(messageId: string): Promise<boolean> {
    if (!this.configured) return false;
    try {
      const res = await httpRequest({
        service: 'Graph API',
        url: this.messagesUrl,
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.accessToken}` },
        json: { messaging_product: 'whatsapp', status: 'read', message_id: messageId, typing_indicator: { type: 'text' } },
        timeoutMs: Math.min(this.timeoutMs, 5000),
        readBody: false,
        ...(this.settings.fetch ? { fetch: this.settings.fetch } : {}),
      });
      return res.ok;
    } catch {
      return false;
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

/** A number masked like any phone number; a business-scoped user id keeps its country prefix only. */
export function maskAddress(address: string): string {
  if (/^\d+$/.test(address)) return maskPhone(`+${address}`);
  return `${address.slice(0, 3)}***`;
}

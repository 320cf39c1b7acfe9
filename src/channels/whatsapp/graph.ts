/**
 * The WhatsApp Cloud API's send endpoint: POST {graphUrl}/{version}/{phoneNumberId}/messages with a bearer
 * token. 429 and 5xx (and network failures) are retried with exponential backoff, honouring Retry-After;
 * other 4xx are final. Every failure ends in a GraphError the caller decides about.
 */
import type { Logger } from '../../logging';
import type { Metrics } from '../../services/metrics';
import { maskPhone } from '../../domain';
import { type HttpError, type HttpResponse, httpRequest, parseJsonIfAny } from '../../services/http/client';

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
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Counts each send as an outbound WhatsApp message: sent, retried or failed, with the HTTP status or Graph code. */
  metrics?: Pick<Metrics, 'outbound'>;
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
    const retryableStatus = (status: number) => status === 429 || status >= 500;
    const failureOf = (res: HttpResponse | undefined, err: HttpError | undefined): GraphError => {
      if (!res) return new GraphError(err!.message, 0, undefined, true); // "Graph API unreachable (ECONNRESET)", "Graph API: no answer within 10000 ms"
      // the error body is optional detail (a proxy in between may answer HTML): without JSON, the status text
      const parsed = parseJsonIfAny(res) as { error?: { code?: unknown; message?: unknown } } | undefined;
      const code = typeof parsed?.error?.code === 'number' ? parsed.error.code : undefined;
      const detail = typeof parsed?.error?.message === 'string' ? parsed.error.message : res.statusText;
      return new GraphError(`Graph API ${res.status}${code ? ` (code ${code})` : ''}: ${detail}`, res.status, code, retryableStatus(res.status));
    };
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
        retry: {
          attempts: this.maxAttempts,
          retryStatus: retryableStatus,
          retryNoAnswer: true,
          delayMs: (attempt, { response }) => {
            const backoff = this.baseDelayMs * 2 ** (attempt - 1);
            const jittered = backoff / 2 + Math.random() * (backoff / 2);
            const retryAfterMs = response ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
            return Math.min(this.maxDelayMs, Math.max(retryAfterMs ?? 0, jittered));
          },
        },
        onFailure: ({ attempt, response, willRetry, waitMs }) => {
          if (willRetry) {
            this.settings.metrics?.outbound('whatsapp', 'retried', response ? `http_${response.status}` : 'no_answer');
            this.log.info({ status: response?.status ?? 0, attempt, waitMs: Math.round(waitMs) }, 'WhatsApp send failed; retrying');
          }
        },
      });
    } catch (err) {
      const failure = failureOf(undefined, err as HttpError);
      this.warnFinal(failure, this.maxAttempts, message.to);
      throw failure;
    }
    if (!res.ok) {
      const failure = failureOf(res, undefined);
      this.warnFinal(failure, res.attempts, message.to);
      throw failure;
    }
    this.settings.metrics?.outbound('whatsapp', 'sent');
    // the message is sent: a body without JSON only loses its id (resending would send it twice)
    const parsed = parseJsonIfAny(res) as { messages?: Array<{ id?: string }> } | undefined;
    return { messageId: parsed?.messages?.[0]?.id, attempts: res.attempts };
  }

  private warnFinal(failure: GraphError, attempts: number, to: string): void {
    this.settings.metrics?.outbound('whatsapp', 'failed', failure.code !== undefined ? `graph_${failure.code}` : failure.status ? `http_${failure.status}` : 'no_answer');
    this.log.warn({ status: failure.status, code: failure.code, attempts, to: maskPhone(`+${to}`) }, 'WhatsApp message not sent');
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

/**
 * The one outbound HTTP helper every adapter uses (SMS provider, subscriber directory, legacy account service,
 * WhatsApp Graph API, Azure Direct Line token exchange): a request with a timeout per attempt, optional retries
 * decided by the caller (which statuses, whether network failures count, how long to wait), a bounded body
 * read (1 MiB by default), and strict JSON parsing that says clearly when a body is not JSON.
 *
 * No HTTP library: Node 20's global fetch (undici) with AbortSignal.timeout covers requests and timeouts, and
 * the retry loop is a dozen lines whose policy differs per adapter anyway; a library (got, axios, ky) would add
 * a dependency and its own retry defaults that we would have to switch off to keep each adapter's behaviour.
 *
 * Error messages name the service and what went wrong (status, timeout, network error code, content type and
 * size of a non-JSON body) and never the URL, the request headers or the body: URLs may carry keys, headers
 * carry bearer tokens, and a body may echo either.
 */

export type HttpFailureKind = 'timeout' | 'network' | 'not-json';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpFailureKind,
    /** HTTP status (0: no answer). */
    readonly status = 0,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What a failed attempt was: a response with a status the caller did not accept, or no usable answer. */
export interface HttpAttemptFailure {
  attempt: number;
  /** The response (status not `ok`), when there was one. */
  response?: HttpResponse;
  /** The error, when there was no answer (timeout, network) or it could not be read. */
  error?: HttpError;
  /** Whether another attempt follows, and after how long. */
  willRetry: boolean;
  waitMs: number;
}

export interface RetryPolicy {
  /** Attempts in all (1: no retry). */
  attempts: number;
  /** Whether a (non-2xx) status is worth another attempt. */
  retryStatus: (status: number) => boolean;
  /** Whether a request that got no answer (network error, timeout) is worth another attempt. */
  retryNoAnswer: boolean;
  /** The wait before attempt `attempt + 1`, given the failure of attempt `attempt`. */
  delayMs: (attempt: number, failure: { response?: HttpResponse; error?: HttpError }) => number;
}

export interface HttpRequest {
  /** Names the service in error messages ("SMS provider", "Graph API"). */
  service: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON (content-type set here). */
  json?: unknown;
  /** Timeout of one attempt: connecting, the headers and reading the body. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Largest body read (default 1 MiB); the rest is dropped and the response marked truncated. */
  maxBodyBytes?: number;
  /**
   * Read the body (default true). false: the body is discarded once the status is known, so a provider that
   * sends its headers and then stalls cannot turn a success into a timeout (the SMS sender needs only the status).
   */
  readBody?: boolean;
  /** Called after every failed attempt (for the adapter's own log lines). */
  onFailure?: (failure: HttpAttemptFailure) => void;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  statusText: string;
  headers: Headers;
  /** The body as text ('' when empty or not read); at most maxBodyBytes. */
  text: string;
  /** The body was longer than maxBodyBytes (text holds its start; parseJson refuses it). */
  truncated: boolean;
  contentType: string;
  /** The attempt that produced this response (1 for the first). */
  attempts: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the request, retrying as the policy says. Resolves with the last response whatever its status (the
 * caller decides what a 404 or a 400 means); rejects with an HttpError only when the last attempt got no
 * usable answer.
 */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const attempts = Math.max(1, req.retry?.attempts ?? 1);
  const doFetch = req.fetch ?? fetch;
  const headers: Record<string, string> = { ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] ??= 'application/json';
  }
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponse | undefined;
    let error: HttpError | undefined;
    try {
      const signal = AbortSignal.timeout(req.timeoutMs);
      const res = await doFetch(req.url, { method: req.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal });
      let text = '';
      let truncated = false;
      if (req.readBody === false) await res.body?.cancel().catch(() => undefined);
      else ({ text, truncated } = await readText(res, req.maxBodyBytes ?? 1024 * 1024));
      response = {
        status: res.status,
        ok: res.ok,
        statusText: res.statusText,
        headers: res.headers,
        text,
        truncated,
        contentType: res.headers.get('content-type') ?? '',
        attempts: attempt,
      };
      if (response.ok) return response;
    } catch (err) {
      error = toHttpError(err, req);
    }
    const retryable = error ? req.retry?.retryNoAnswer === true : req.retry?.retryStatus(response!.status) === true;
    const willRetry = retryable && attempt < attempts;
    const waitMs = willRetry ? Math.max(0, req.retry!.delayMs(attempt, { response, error })) : 0;
    req.onFailure?.({ attempt, response, error, willRetry, waitMs });
    if (!willRetry) {
      if (error) throw error;
      return response!;
    }
    await sleep(waitMs);
  }
}

/** The body parsed as JSON; an HttpError saying what came instead when it is not JSON (an empty body included). */
export function parseJson(res: HttpResponse, service: string): unknown {
  if (res.truncated) {
    throw new HttpError(`${service} answered HTTP ${res.status} with a body over the size limit`, 'not-json', res.status);
  }
  try {
    if (res.text.trim() === '') throw new SyntaxError('empty');
    return JSON.parse(res.text) as unknown;
  } catch {
    const type = res.contentType.split(';')[0]!.trim() || 'no content type';
    throw new HttpError(
      `${service} answered HTTP ${res.status} with a body that is not JSON (${type}, ${Buffer.byteLength(res.text)} bytes)`,
      'not-json',
      res.status,
    );
  }
}

/**
 * The body parsed as JSON, or undefined when it is not JSON: only for bodies whose content is optional
 * (an error response's details), never for the data a caller relies on.
 */
export function parseJsonIfAny(res: HttpResponse): unknown {
  if (res.truncated) return undefined;
  try {
    return res.text ? (JSON.parse(res.text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Doubles from `baseMs`: base, 2·base, 4·base… before attempts 2, 3, 4… */
export function exponentialBackoff(baseMs: number): (attempt: number) => number {
  return (attempt) => baseMs * 2 ** (attempt - 1);
}

async function readText(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      chunks.push(value.subarray(0, max - size));
      await reader.cancel().catch(() => undefined);
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** A thrown fetch/read failure as an HttpError whose message holds no URL, header or body. */
function toHttpError(err: unknown, req: HttpRequest): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new HttpError(`${req.service}: no answer within ${req.timeoutMs} ms`, 'timeout');
  }
  const code = e?.cause?.code ?? e?.code ?? e?.name ?? 'error';
  return new HttpError(`${req.service} unreachable (${code})`, 'network');
}

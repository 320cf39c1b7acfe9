/**
 * The one request-body reader of every route (restify's bodyParser is not used anywhere: it hands
 * multipart/form-data to formidable, which writes every file part to the system temp folder and never
 * removes it). A route names the media types it takes; everything is checked from the headers BEFORE a
 * byte of the body is read:
 *   - a content type the route does not take, a charset other than UTF-8, or a Content-Encoding → 415;
 *   - a declared Content-Length over the route's limit → 413;
 * then the body is read into memory up to the limit (never to disk; over it → 413), decoded as strict
 * UTF-8, and parsed: JSON only when its nesting stays within the depth limit (a cheap scan before
 * JSON.parse: a deeply nested body would otherwise parse, then overflow the stack of whatever walks it —
 * JSON.stringify when it is stored, validators, the SDK), forms with URLSearchParams into own properties.
 *
 * Written by hand rather than with a library: what matters here is the order of the checks (nothing read
 * before the type is known) and the absence of any multipart path, which the usual readers do not offer.
 */
import type { Next, Request, RequestHandler, Response } from 'restify';
import { sendJson } from './http';

export type BodyType = 'json' | 'form';

const MEDIA_TYPES: Record<BodyType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

export type BodyProblem = 'unsupported-type' | 'too-large' | 'malformed' | 'too-deep';

export interface BodyOptions {
  /** The media types the route takes. */
  accept: readonly BodyType[];
  maxBodySize: number;
  /** Deepest nesting of arrays and objects accepted in JSON (default 64). */
  maxDepth?: number;
  /**
   * Keep the raw bytes in `req.rawBody` and do not parse (a signed webhook checks the signature over exactly
   * these bytes first). The type and size checks still apply.
   */
  raw?: boolean;
  /** The route's own answer to a refused body (default: JSON `{ error }`). The connection is closed after it. */
  refuse?: (req: Request, res: Response, status: number, problem: BodyProblem) => void;
}

const MESSAGES: Record<BodyProblem, string> = {
  'unsupported-type': 'unsupported content type',
  'too-large': 'request body too large',
  malformed: 'malformed request body',
  'too-deep': 'request body nested too deeply',
};

function defaultRefuse(_req: Request, res: Response, status: number, problem: BodyProblem): void {
  sendJson(res, status, { error: MESSAGES[problem] });
}

/** The request announces a body (a length above zero, or a chunked/other transfer encoding). */
export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined && length.trim() !== '0') return true;
  return req.headers['transfer-encoding'] !== undefined;
}

/** The media type of a Content-Type header, lower-cased, without parameters ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function charsetOf(header: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the characters, strings
 * skipped (brackets inside them do not count); the text need not be valid JSON.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

type Read = { ok: true; body: Buffer } | { ok: false; problem: 'too-large' | 'malformed' };

function readLimited(req: Request, max: number): Promise<Read> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Read) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        // stop buffering at once; the connection is closed after the 413
        req.pause();
        finish({ ok: false, problem: 'too-large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    // an aborted upload ends here too (its socket is gone; nothing will be answered)
    const onError = () => finish({ ok: false, problem: 'malformed' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onError);
  });
}

/**
 * A restify handler that reads and parses the body as the route allows (see the file comment). Without a
 * body, `req.body` is undefined and the route decides whether that is acceptable.
 */
export function readBody(options: BodyOptions): RequestHandler {
  const accepted = new Set(options.accept.map((t) => MEDIA_TYPES[t]));
  const maxDepth = options.maxDepth ?? 64;
  const refuse = options.refuse ?? defaultRefuse;
  const fail = (req: Request, res: Response, next: Next, status: number, problem: BodyProblem) => {
    // the rest of an unread body is not drained into memory: the connection ends with the answer
    res.setHeader('connection', 'close');
    refuse(req, res, status, problem);
    next(false);
  };

  return function readRequestBody(req: Request, res: Response, next: Next): void {
    req.body = undefined;
    if (!hasBody(req)) return next();
    const header = req.headers['content-type'];
    const type = mediaType(header);
    const charset = charsetOf(header);
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!accepted.has(type) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') || encoding !== 'identity') {
      return fail(req, res, next, 415, 'unsupported-type');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBodySize) return fail(req, res, next, 413, 'too-large');
    // the client waits for "100 Continue" only once the headers have passed (the server does not send it itself)
    if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();

    void readLimited(req, options.maxBodySize).then((read) => {
      if (!read.ok) return fail(req, res, next, read.problem === 'too-large' ? 413 : 400, read.problem);
      if (options.raw) {
        (req as Request & { rawBody?: Buffer }).rawBody = read.body;
        return next();
      }
      let text: string;
      try {
        text = utf8.decode(read.body);
      } catch {
        return fail(req, res, next, 400, 'malformed');
      }
      if (type === MEDIA_TYPES.form) {
        // own properties only (Object.fromEntries defines "__proto__" as a plain key); a repeated key keeps its last value
        req.body = Object.fromEntries(new URLSearchParams(text));
        return next();
      }
      if (jsonDepthExceeds(text, maxDepth)) return fail(req, res, next, 400, 'too-deep');
      try {
        req.body = text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return fail(req, res, next, 400, 'malformed');
      }
      next();
    });
  };
}

/**
 * Cross-origin embedding (WEBCHAT_ALLOWED_ORIGINS): a website on another origin runs Web Chat in its own
 * page, and Web Chat calls the bot's Direct Line (/directline/...) and the Azure token endpoint
 * (/api/directline/token) from that page's origin. The browser lets the page read the answers only when they
 * carry CORS headers for its origin (https://fetch.spec.whatwg.org/#http-cors-protocol), and Web Chat's
 * requests (a Bearer token, a JSON body) are not "simple": the browser first sends a preflight OPTIONS.
 *
 * Policy: the bot's own origin (the request's Host, or PUBLIC_URL) and the listed origins are allowed; a
 * request with an Origin header of any other site is refused (403) on these paths, so another site cannot make
 * the bot spend tokens or Azure calls on its behalf. A request without an Origin header (a server, a
 * non-browser client) is not a cross-origin browser request and is not refused here. The WebSocket stream
 * is not covered by CORS in browsers; its upgrade applies the same check to the Origin header (`allows`).
 */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';

/** Parses WEBCHAT_ALLOWED_ORIGINS: comma-separated `scheme://host[:port]`, nothing else (no path, no "*"). */
export function parseAllowedOrigins(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const value = part.trim();
    if (value === '') continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`"${value.slice(0, 60)}" is not an origin like https://www.example.com`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.replace(/\/$/, '').toLowerCase()) {
      throw new Error(`"${value.slice(0, 60)}" is not an origin like https://www.example.com (scheme, host and port only)`);
    }
    out.push(url.origin);
  }
  return out;
}

/** Methods and request headers Web Chat / botframework-directlinejs send to Direct Line (its rxjs ajax adds x-requested-with). */
const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'authorization, content-type, x-ms-bot-agent, x-requested-with';
/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly own?: string;

  constructor(allowedOrigins: readonly string[], publicUrl?: string) {
    this.allowed = new Set(allowedOrigins);
    try {
      this.own = publicUrl ? new URL(publicUrl).origin : undefined;
    } catch {
      this.own = undefined;
    }
  }

  /** The origin a browser request came from, when it says so (lower-cased; "null" for opaque origins). */
  static originOf(req: IncomingMessage): string | undefined {
    const raw = req.headers.origin;
    return typeof raw === 'string' && raw !== '' ? raw.toLowerCase() : undefined;
  }

  /** Same origin as the request's own Host (any scheme: behind a TLS proxy the Host is the public one). */
  private sameOrigin(origin: string, req: IncomingMessage): boolean {
    if (origin === this.own) return true;
    const host = String(req.headers.host ?? '').toLowerCase();
    try {
      return host !== '' && new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  /** Whether a request may be served: no Origin, the bot's own, or a listed one. */
  allows(req: IncomingMessage): boolean {
    const origin = OriginPolicy.originOf(req);
    return origin === undefined || this.sameOrigin(origin, req) || this.allowed.has(origin);
  }

  /** A listed cross-origin caller (its answers need CORS headers). */
  private listed(req: IncomingMessage): string | undefined {
    const origin = OriginPolicy.originOf(req);
    return origin !== undefined && !this.sameOrigin(origin, req) && this.allowed.has(origin) ? origin : undefined;
  }

  /**
   * A restify `pre` handler for the paths `applies` selects: answers preflights, adds CORS headers to the
   * answers for a listed origin, refuses other sites (403, with `refuse`'s body).
   */
  middleware(applies: (path: string) => boolean, refuse: (res: Response, path: string) => void) {
    return (req: Request, res: Response, next: (err?: false) => void): void => {
      const pathname = (req.url ?? '/').split('?')[0]!;
      if (!applies(pathname)) return next();
      // every answer on these paths depends on the Origin (caches must not mix them)
      res.setHeader('vary', 'Origin');
      if (!this.allows(req)) {
        res.setHeader('connection', 'close');
        refuse(res, pathname);
        return next(false);
      }
      const origin = this.listed(req);
      if (origin) {
        res.setHeader('access-control-allow-origin', origin);
        // Retry-After of a 429/503 is not a CORS-safelisted response header
        res.setHeader('access-control-expose-headers', 'retry-after');
      }
      if (req.method === 'OPTIONS') {
        if (origin) {
          res.setHeader('access-control-allow-methods', ALLOW_METHODS);
          res.setHeader('access-control-allow-headers', ALLOW_HEADERS);
          res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
        }
        res.writeHead(204);
        res.end();
        return next(false);
      }
      next();
    };
  }
}

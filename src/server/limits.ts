/**
 * The HTTP edge's rate limits, counted in the shared database (services/rateLimit.ts) so that every
 * instance behind a load balancer enforces one limit:
 * - per client address (RATE_LIMIT_PER_IP per RATE_LIMIT_WINDOW_SECONDS) for every request and WebSocket
 *   upgrade, the address taken by clientAddress() (X-Forwarded-For only through TRUSTED_PROXIES);
 * - Web Chat's polling (GET /directline/conversations/:id/activities) per conversation token
 *   (RATE_LIMIT_POLL_PER_TOKEN per minute) when the token is valid, so customers behind one NAT do not share
 *   one budget; a poll without a valid token is counted per address and refused at once (403, as the
 *   Direct Line reference answers an invalid or expired token), before any other work.
 *
 * Fail-open to memory: when the database cannot count (an outage, or PostgreSQL not answering within
 * DB_TIMEOUT_MS), these limits count in this process's memory instead, so an outage still limits per
 * instance and never turns every request (health checks included) into a 500.
 */
import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import type { Request, RequestHandler, Response } from 'restify';
import type { Config } from '../config';
import type { DB } from '../db';
import type { Logger } from '../logging';
import { type RateLimitMetrics, SqlRateLimiter } from '../services/rateLimit';
import { TokenSigner, bearer } from '../channels/directline/tokens';
import { clientAddress } from './clientAddress';
import { sendJson } from './http';

/** How long a hot-path limit waits for PostgreSQL before counting in memory. */
const DB_TIMEOUT_MS = 1000;
const POLL_WINDOW_SECONDS = 60;
const POLL_PATH = /^\/directline\/conversations\/[^/]+\/activities$/;

export interface LimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Verifies Web Chat's conversation tokens (the bot's own Direct Line): the token's conversation, or undefined. */
export interface PollTokens {
  verify(token: string | undefined): Promise<{ conv: string } | undefined>;
}

/** PollTokens from the Direct Line store's signing key (loaded once; a failed load is tried again). */
export function pollTokensFrom(store: { signingKey(): Promise<Buffer> }): PollTokens {
  let signer: Promise<TokenSigner> | undefined;
  return {
    async verify(token) {
      if (!token) return undefined;
      signer ??= store.signingKey().then((key) => new TokenSigner(key));
      signer.catch(() => (signer = undefined));
      return (await signer).verify(token);
    },
  };
}

export interface HttpLimits {
  /**
   * One request from a client address, counted in the per-IP limit. The WebSocket upgrade path calls it
   * too (with clientAddress(req, config)), so upgrades share the budget of every other request.
   */
  ip(address: string): Promise<LimitDecision>;
  /** One Web Chat poll with a valid token of this conversation. */
  poll(conversationId: string): Promise<LimitDecision>;
  /** The client's address of a request (X-Forwarded-For only through TRUSTED_PROXIES). */
  addressOf(req: IncomingMessage): string;
  /** restify middleware: every request through the limits above, before any body is read. */
  middleware: RequestHandler;
}

export interface HttpLimitsDeps {
  config: Config;
  db: Kysely<DB>;
  log: Logger;
  /** Absent without the web chat feature: polls are then ordinary requests (and find no route). */
  pollTokens?: PollTokens;
  /** Counts refusals (bot_rate_limit_refusals_total). */
  metrics?: RateLimitMetrics;
}

/** Requests no per-IP limit counts: health probes, and platforms that relay every customer from a few addresses. */
function isExempt(req: Request, config: Config): boolean {
  const p = req.path();
  if (p === '/healthz' || p === '/readyz') return true;
  // WhatsApp's signed webhooks (Meta relays every customer); an unsigned POST is counted like any other
  if (req.method === 'POST' && p === '/api/whatsapp' && req.header('x-hub-signature-256')) return true;
  // Azure's connector when Bot Framework authentication is on (limited per conversation instead); a POST
  // without even an Authorization header is not Azure's, and is counted
  return req.method === 'POST' && p === '/api/messages' && config.authEnabled && !!req.header('authorization');
}

export function createHttpLimits(deps: HttpLimitsDeps): HttpLimits {
  const { config, log, pollTokens } = deps;
  const limiter = new SqlRateLimiter(deps.db, { onDatabaseError: 'local', blockInMemory: true, timeoutMs: DB_TIMEOUT_MS, log, metrics: deps.metrics });
  const decide = async (bucket: string, key: string, limit: number, windowSeconds: number): Promise<LimitDecision> => {
    const r = await limiter.hit(bucket, key, limit, windowSeconds);
    return { allowed: r.allowed, retryAfterSeconds: r.retryAfterSeconds };
  };
  const ip = (address: string) => decide('ip', address, config.RATE_LIMIT_PER_IP, config.RATE_LIMIT_WINDOW_SECONDS);
  const poll = (conversationId: string) => decide('poll', conversationId, config.RATE_LIMIT_POLL_PER_TOKEN, POLL_WINDOW_SECONDS);
  const addressOf = (req: IncomingMessage) => clientAddress(req, config);

  const tooMany = (req: Request, res: Response, retryAfterSeconds: number, directLine: boolean): void => {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    if (directLine) sendJson(res, 429, { error: { code: 'TooManyRequests', message: 'too many requests; try again later' } });
    else sendJson(res, 429, { error: 'too many requests', retryAfterSeconds });
    log.debug({ path: req.path(), reqId: req.getId() }, 'rate limited');
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (isExempt(req, config)) return next();
    const isPoll = !!pollTokens && req.method === 'GET' && POLL_PATH.test(req.path());
    void (async () => {
      if (isPoll) {
        // the signing key could not be loaded (the database away before its first use): no verdict on the
        // token; the poll counts per address and the route answers as it can
        const claims = await pollTokens.verify(bearer(req.header('authorization'))).catch(() => 'unknown' as const);
        if (claims && claims !== 'unknown') {
          const d = await poll(claims.conv);
          if (!d.allowed) return tooMany(req, res, d.retryAfterSeconds, true), next(false);
          return next();
        }
        const d = await ip(addressOf(req));
        if (!d.allowed) return tooMany(req, res, d.retryAfterSeconds, true), next(false);
        if (claims === 'unknown') return next();
        // as the Direct Line route itself answers (and the reference says): 401 without a token, 403 for a bad one
        if (!bearer(req.header('authorization'))) {
          res.setHeader('www-authenticate', 'Bearer');
          sendJson(res, 401, { error: { code: 'BadArgument', message: 'a Bearer token is required' } });
        } else sendJson(res, 403, { error: { code: 'TokenExpired', message: 'invalid or expired token' } });
        return next(false);
      }
      const d = await ip(addressOf(req));
      if (!d.allowed) return tooMany(req, res, d.retryAfterSeconds, false), next(false);
      next();
    })().catch((err: unknown) => {
      // hit() does not throw with onDatabaseError 'local'; anything else is a bug: answer, do not hang
      log.error({ err, reqId: req.getId() }, 'rate limit check failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      next(false);
    });
  };

  return { ip, poll, addressOf, middleware };
}

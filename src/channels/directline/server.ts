/**
 * A Direct Line 3.0-compatible REST connection served by the bot itself, so Bot Framework Web Chat talks
 * to the bot with no Azure account. The subset Web Chat's client (botframework-directlinejs, polling mode)
 * uses, under a base path (default /directline):
 *
 *   POST /tokens/generate                          a token for a new conversation (this bot's own, no secret)
 *   POST /tokens/refresh                           a fresh token for the same conversation
 *   POST /conversations                            starts the token's conversation (the bot's welcome)
 *   GET  /conversations/{id}?watermark=            reconnects to it
 *   POST /conversations/{id}/activities            the customer's activity: echoed, then a bot turn
 *   GET  /conversations/{id}/activities?watermark= the activities after the watermark
 *
 * Tokens name one conversation and one user; the user id of a posted activity is the token's, never the
 * body's. Everything a poll needs is in the database, so any instance answers any request.
 */
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import { z } from 'zod';
import type { HttpContext } from '../../features/types';
import type { Logger } from '../../logging';
import type { RateLimiter } from '../../services/ports';
import { type DirectLineAdapter, WEBCHAT_CHANNEL_ID } from './adapter';
import type { DirectLineStore } from './store';
import { TOKEN_TTL_SECONDS, type TokenClaims, TokenSigner, bearer } from './tokens';
import { sendJson } from '../../server/http';

export interface DirectLineServerOptions {
  store: DirectLineStore;
  adapter: DirectLineAdapter;
  rateLimiter: RateLimiter;
  log: Logger;
  limits: {
    maxBodyBytes: number;
    perConversation: number;
    perIp: number;
    windowSeconds: number;
  };
  basePath?: string;
  now?: () => number;
  /** The client's address (default: the socket's; the server passes clientAddress(req, config), proxy-aware). */
  addressOf?: (req: Request) => string;
}

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

const postedActivity = z.looseObject({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).regex(LOCALE).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  from: z.looseObject({ id: z.string().max(512).optional(), name: z.string().max(256).optional() }).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(z.unknown()).max(20).optional(),
});

const startBody = z
  .looseObject({ locale: z.string().max(35).regex(LOCALE).optional() })
  .optional()
  .catch(undefined);


/** The error shape of Direct Line: { error: { code, message } }. */
function sendError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function newId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function socketAddress(req: Request): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

export function mountDirectLine(server: restify.Server, http: Pick<HttpContext, 'runTurn' | 'serialise'>, options: DirectLineServerOptions): void {
  const base = (options.basePath ?? '/directline').replace(/\/+$/, '');
  const { store, adapter, rateLimiter, log, limits } = options;
  const now = options.now ?? Date.now;
  const clientAddress = options.addressOf ?? socketAddress;
  let signer: Promise<TokenSigner> | undefined;
  const tokens = (): Promise<TokenSigner> => {
    signer ??= store.signingKey().then((key) => new TokenSigner(key, now));
    signer.catch(() => (signer = undefined));
    return signer;
  };
  const body = restify.plugins.bodyParser({ maxBodySize: limits.maxBodyBytes, mapParams: false, mapFiles: false });

  /** The claims of the request's token, or an error response (403, as Direct Line answers). */
  const authorise = async (req: Request, res: Response, conversationId?: string): Promise<TokenClaims | undefined> => {
    const claims = (await tokens()).verify(bearer(req.header('authorization')));
    if (!claims) {
      sendError(res, 403, 'TokenExpired', 'missing, invalid or expired token');
      return undefined;
    }
    if (conversationId !== undefined && claims.conv !== conversationId) {
      sendError(res, 403, 'BadArgument', 'the token is not valid for this conversation');
      return undefined;
    }
    return claims;
  };

  const guarded =
    (what: string, handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (err) {
        log.error({ err, reqId: req.getId() }, `direct line: ${what} failed`);
        if (!res.headersSent) sendError(res, 500, 'ServiceError', 'internal error');
      }
    };

  const conversationReply = async (claims: { conv: string; user: string }) => ({
    conversationId: claims.conv,
    token: (await tokens()).sign(claims),
    expires_in: TOKEN_TTL_SECONDS,
  });

  server.post(
    `${base}/tokens/generate`,
    guarded('token', async (req, res) => {
      const limited = await rateLimiter.hit('directline-token', clientAddress(req), limits.perIp, limits.windowSeconds);
      if (!limited.allowed) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        sendError(res, 429, 'TooManyRequests', 'too many conversations from this address; try again later');
        return;
      }
      const claims = { conv: newId(18), user: `dl_${newId(12)}` };
      sendJson(res, 200, { ...(await conversationReply(claims)), userId: claims.user });
    }),
  );

  server.post(
    `${base}/tokens/refresh`,
    guarded('token refresh', async (req, res) => {
      const claims = await authorise(req, res);
      if (!claims) return;
      sendJson(res, 200, await conversationReply(claims));
    }),
  );

  server.post(
    `${base}/conversations`,
    body,
    guarded('start', async (req, res) => {
      const claims = await authorise(req, res);
      if (!claims) return;
      const created = await store.createConversation(claims.conv, claims.user);
      if (created) {
        // as Direct Line does: the customer joins, the bot welcomes them
        const locale = startBody.parse(req.body)?.locale;
        const update: Partial<Activity> = {
          type: 'conversationUpdate',
          id: `${claims.conv}|start`,
          timestamp: new Date(now()),
          channelId: WEBCHAT_CHANNEL_ID,
          serviceUrl: adapter.options.serviceUrl,
          conversation: { id: claims.conv } as Activity['conversation'],
          from: { id: claims.user, role: 'user' } as Activity['from'],
          recipient: adapter.bot as Activity['recipient'],
          membersAdded: [{ id: claims.user, name: '' }],
          ...(locale ? { locale } : {}),
        };
        await http.serialise(`${WEBCHAT_CHANNEL_ID}|${claims.conv}`, () => adapter.processActivity(update, (c) => http.runTurn(c)));
      }
      sendJson(res, created ? 201 : 200, await conversationReply(claims));
    }),
  );

  server.get(
    `${base}/conversations/:conversationId`,
    guarded('reconnect', async (req, res) => {
      const claims = await authorise(req, res, String(req.params.conversationId));
      if (!claims) return;
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      sendJson(res, 200, await conversationReply(claims));
    }),
  );

  server.get(
    `${base}/conversations/:conversationId/activities`,
    guarded('poll', async (req, res) => {
      const claims = await authorise(req, res, String(req.params.conversationId));
      if (!claims) return;
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
      if (!/^\d{0,9}$/.test(raw)) return sendError(res, 400, 'BadArgument', 'watermark must be a number');
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      sendJson(res, 200, await store.activitiesAfter(claims.conv, raw === '' ? 0 : Number(raw)));
    }),
  );

  server.post(
    `${base}/conversations/:conversationId/activities`,
    body,
    guarded('post', async (req, res) => {
      const claims = await authorise(req, res, String(req.params.conversationId));
      if (!claims) return;
      const parsed = postedActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return sendError(res, 400, 'BadArgument', `invalid activity: ${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      const posted = parsed.data;
      if (posted.type === 'typing') return sendJson(res, 200, { id: '' });
      const limited = await rateLimiter.hit('directline-post', claims.conv, limits.perConversation, limits.windowSeconds);
      if (!limited.allowed) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        return sendError(res, 429, 'TooManyRequests', 'too many messages; wait a moment');
      }
      const activity: Partial<Activity> = {
        type: posted.type,
        channelId: WEBCHAT_CHANNEL_ID,
        serviceUrl: adapter.options.serviceUrl,
        conversation: { id: claims.conv } as Activity['conversation'],
        // the token says who the customer is, whatever the body claims
        from: { id: claims.user, name: posted.from?.name?.slice(0, 100) ?? '', role: 'user' } as Activity['from'],
        recipient: adapter.bot as Activity['recipient'],
        ...(posted.locale ? { locale: posted.locale } : {}),
        ...(posted.channelData ? { channelData: posted.channelData } : {}),
      };
      if (posted.type === 'message') {
        // files are not read here: a message without text gets the bot's polite "text only" answer
        activity.text = posted.text ?? '';
        activity.textFormat = 'plain';
        if (posted.value !== undefined) activity.value = posted.value;
      } else {
        activity.name = posted.name ?? '';
        if (posted.value !== undefined) activity.value = posted.value;
      }
      activity.timestamp = new Date(now());
      activity.id = await store.append(claims.conv, activity);
      await http.serialise(`${WEBCHAT_CHANNEL_ID}|${claims.conv}`, () => adapter.processActivity(activity, (c) => http.runTurn(c)));
      sendJson(res, 200, { id: activity.id });
    }),
  );

  server.post(`${base}/conversations/:conversationId/upload`, async (_req: Request, res: Response) => {
    sendError(res, 415, 'BadArgument', 'file uploads are not supported; please type your message');
  });
}

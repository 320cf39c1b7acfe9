/**
 * A Direct Line 3.0 connection served by the bot itself, so Bot Framework Web Chat (and any client built on
 * botframework-directlinejs, with its default settings) talks to the bot with no Azure account. The
 * operations of the Direct Line 3.0 reference that Web Chat uses, under a base path (default /directline):
 *
 *   POST /tokens/generate                          a token for a new conversation (this bot's own, no secret)
 *   POST /tokens/refresh                           a fresh token for the same conversation
 *   POST /conversations                            starts the token's conversation (the bot's welcome); streamUrl
 *   GET  /conversations/{id}?watermark=            reconnects to it: a new streamUrl (replays from the watermark)
 *   POST /conversations/{id}/activities            the customer's activity: echoed, then a bot turn
 *   GET  /conversations/{id}/activities?watermark= the activities after the watermark (polling)
 *   POST /conversations/{id}/upload                refused (415) once the token is checked
 *   GET  /conversations/{id}/stream?t=             the WebSocket stream (./stream.ts)
 *
 * Tokens name one conversation and one user; the user id of a posted activity is the token's, never the
 * body's. Everything is in the database, so any instance answers any request and streams any conversation.
 * Statuses follow the Direct Line 3.0 reference: 401 for a missing or malformed Authorization header (or
 * stream token), 403 for a token that is invalid, expired (code TokenExpired) or for another conversation,
 * 404 for what does not exist; 503 with Retry-After while the database is unreachable. Errors have the
 * reference's shape, { error: { code, message } }. The token is checked before any body is read, and only
 * JSON bodies are read (415 otherwise).
 *
 * A streamUrl carries a stream-only token (`t=`, valid 60 seconds as the reference says of stream URLs); the
 * REST operations refuse it. When the server was started without a stream hub, no streamUrl is given.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Activity } from 'botbuilder';
import type restify from 'restify';
import type { Next, Request, Response } from 'restify';
import { z } from 'zod';
import type { HttpContext } from '../../features/types';
import type { Logger } from '../../logging';
import type { RateLimiter } from '../../services/ports';
import { type DirectLineAdapter, WEBCHAT_CHANNEL_ID } from './adapter';
import type { DirectLineStore } from './store';
import { type TokenClaims, TokenSigner, bearer } from './tokens';
import { readBody } from '../../server/body';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, failureStatus, sendJson } from '../../server/http';
import type { UpgradeAccept, UpgradeAnswer } from '../../server/upgrade';
import type { StreamHub } from './stream';
import type { Lang } from '../../knowledge/types';
import { type AttachmentStore, MAX_FILES_PER_UPLOAD, cleanFileName, multipartBoundary, parseMultipart, sniffType } from './uploads';

export interface DirectLineServerOptions {
  store: DirectLineStore;
  adapter: DirectLineAdapter;
  rateLimiter: RateLimiter;
  log: Logger;
  limits: {
    maxBodyBytes: number;
    /** Deepest JSON nesting accepted in a body. */
    maxJsonDepth?: number;
    perConversation: number;
    perIp: number;
    windowSeconds: number;
    /** The longest a conversation lives, in seconds: its tokens are not refreshed past it. */
    conversationMaxSeconds?: number;
  };
  basePath?: string;
  now?: () => number;
  /** The client's address (default: the socket's; the server passes clientAddress(req, config), proxy-aware). */
  addressOf?: (req: Request) => string;
  /** The WebSocket streams of this process; without it no streamUrl is given and the stream path answers 404. */
  streams?: StreamHub;
  /** Whether a WebSocket upgrade's Origin may open a stream (default: any; see ./origins.ts). */
  originAllowed?: (req: IncomingMessage) => boolean;
  /** Where clients reach this server (for the streamUrl when the request's Host cannot be used). */
  publicUrl?: string;
  /** Files customers attach; without it uploads are refused (415) once the token is checked. */
  uploads?: {
    store: AttachmentStore;
    maxFileBytes: number;
    /** The bot's words (the message catalog) for its answer to an upload. */
    say(lang: Lang, key: 'webchat.upload.received' | 'webchat.upload.refused' | 'webchat.upload.tooLarge' | 'webchat.attachments.notOpened', vars: Record<string, string>): string;
  };
}

const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

/**
 * The ws:// or wss:// origin a browser reaches this server at: the request's own Host (the same origin the
 * page's REST calls went to), wss when the request came over TLS or through a proxy that says so.
 */
export function streamOrigin(req: IncomingMessage, publicUrl: string | undefined): string {
  const host = String(req.headers.host ?? '');
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  const secure = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true || forwarded === 'https';
  if (HOST.test(host)) return `${secure ? 'wss' : 'ws'}://${host}`;
  const fallback = new URL(publicUrl ?? 'http://localhost');
  return `${fallback.protocol === 'https:' ? 'wss' : 'ws'}://${fallback.host}`;
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

type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; status: 401 | 403; code: string; message: string };

export function mountDirectLine(
  server: restify.Server,
  http: Pick<HttpContext, 'runTurn' | 'serialise' | 'upgrades' | 'databaseAnswers'>,
  options: DirectLineServerOptions,
): void {
  const base = (options.basePath ?? '/directline').replace(/\/+$/, '');
  const { store, adapter, rateLimiter, log, limits } = options;
  const now = options.now ?? Date.now;
  const clientAddress = options.addressOf ?? socketAddress;
  let signer: Promise<TokenSigner> | undefined;
  const tokens = (): Promise<TokenSigner> => {
    signer ??= store.signingKey().then((key) => new TokenSigner(key, now, limits.conversationMaxSeconds));
    signer.catch(() => (signer = undefined));
    return signer;
  };
  const body = readBody({
    accept: ['json'],
    maxBodySize: limits.maxBodyBytes,
    ...(limits.maxJsonDepth ? { maxDepth: limits.maxJsonDepth } : {}),
    refuse: (_req, res, status, problem) =>
      sendError(
        res,
        status,
        status === 413 ? 'MessageSizeTooBig' : 'BadArgument',
        problem === 'unsupported-type' ? 'only application/json bodies are accepted' : problem === 'too-large' ? 'request body too large' : problem === 'too-deep' ? 'the body is nested too deeply' : 'malformed JSON',
      ),
  });

  /** Reads a token: 401 without one (as the reference says of a missing or malformed header), 403 for a bad one. */
  const checkToken = async (token: string | undefined, conversationId?: string, stream = false): Promise<TokenCheck> => {
    if (!token) return { ok: false, status: 401, code: 'BadArgument', message: 'a Bearer token is required' };
    const claims = (await tokens()).verify(token);
    // a stream token (the t= of a streamUrl) opens the stream and nothing else
    if (!claims || (claims.scope === 'stream' && !stream)) return { ok: false, status: 403, code: 'TokenExpired', message: 'invalid or expired token' };
    if (conversationId !== undefined && claims.conv !== conversationId) {
      return { ok: false, status: 403, code: 'BadArgument', message: 'the token is not valid for this conversation' };
    }
    return { ok: true, claims };
  };

  const unavailable = async (res: Response, err: unknown, what: string, reqId: string): Promise<void> => {
    const status = await failureStatus(res, () => http.databaseAnswers());
    if (status === 503) log.warn({ err: { message: (err as Error)?.message } }, `direct line: ${what} failed: the database is unreachable`);
    else log.error({ err, reqId }, `direct line: ${what} failed`);
    if (!res.headersSent) sendError(res, status, status === 503 ? 'ServiceUnavailable' : 'ServiceError', status === 503 ? 'temporarily unavailable; try again later' : 'internal error');
  };

  /** The claims of each authorised request, set by `authorised` before any body is read. */
  const claimsOf = new WeakMap<Request, TokenClaims>();

  /** Checks the request's token (for the conversation of the path, if any) before anything else is done. */
  const authorised =
    (what: string, forConversation: boolean) =>
    // a callback-style handler (restify refuses async handlers that take `next`)
    (req: Request, res: Response, next: Next): void => {
      const check = async (): Promise<boolean> => {
        try {
          const checked = await checkToken(bearer(req.header('authorization')), forConversation ? String(req.params.conversationId) : undefined);
          if (checked.ok) {
            claimsOf.set(req, checked.claims);
            return true;
          }
          if (checked.status === 401) res.setHeader('www-authenticate', 'Bearer');
          // an unread body is not drained: the connection ends with the refusal
          res.setHeader('connection', 'close');
          sendError(res, checked.status, checked.code, checked.message);
        } catch (err) {
          res.setHeader('connection', 'close');
          await unavailable(res, err, what, req.getId());
        }
        return false;
      };
      void check().then((ok) => (ok ? next() : next(false)));
    };

  const guarded =
    (what: string, handler: (req: Request, res: Response, claims: TokenClaims) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res, claimsOf.get(req)!);
      } catch (err) {
        await unavailable(res, err, what, req.getId());
      }
    };

  const conversationReply = async (claims: { conv: string; user: string; start?: number }) => {
    const issued = (await tokens()).issue({ conv: claims.conv, user: claims.user, ...(claims.start !== undefined ? { start: claims.start } : {}) });
    return { conversationId: claims.conv, token: issued.token, expires_in: issued.expiresIn };
  };

  /** The streamUrl of a start or reconnect: the stream replays from `watermark` (none: only what comes next). */
  const streamUrl = async (req: Request, claims: { conv: string; user: string; start?: number }, watermark: string | undefined) => {
    if (!options.streams) return {};
    const t = (await tokens()).sign({ conv: claims.conv, user: claims.user, ...(claims.start !== undefined ? { start: claims.start } : {}), scope: 'stream' });
    const query = new URLSearchParams({ ...(watermark !== undefined ? { watermark } : {}), t });
    return { streamUrl: `${streamOrigin(req, options.publicUrl)}${base}/conversations/${encodeURIComponent(claims.conv)}/stream?${query}` };
  };

  server.post(
    `${base}/tokens/generate`,
    body,
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

  // a refresh keeps the conversation's start: past its lifetime the token no longer verifies (403 TokenExpired)
  server.post(
    `${base}/tokens/refresh`,
    authorised('token refresh', false),
    body,
    guarded('token refresh', async (_req, res, claims) => {
      sendJson(res, 200, await conversationReply(claims));
    }),
  );

  server.post(
    `${base}/conversations`,
    authorised('start', false),
    body,
    guarded('start', async (req, res, claims) => {
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
      // the stream of a start replays the whole conversation (the welcome included)
      sendJson(res, created ? 201 : 200, { ...(await conversationReply(claims)), ...(await streamUrl(req, claims, '0')) });
    }),
  );

  server.get(
    `${base}/conversations/:conversationId`,
    authorised('reconnect', true),
    guarded('reconnect', async (req, res, claims) => {
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
      if (!/^\d{0,9}$/.test(raw)) return sendError(res, 400, 'BadArgument', 'watermark must be a number');
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      // "If the watermark parameter is specified in the request URI, the conversation replays from the
      // watermark ... if omitted, only messages received after the reconnect request are replayed"
      // (Direct Line 3.0, Reconnect to a conversation)
      sendJson(res, 200, { ...(await conversationReply(claims)), ...(await streamUrl(req, claims, raw === '' ? undefined : raw)) });
    }),
  );

  server.get(
    `${base}/conversations/:conversationId/activities`,
    authorised('poll', true),
    guarded('poll', async (req, res, claims) => {
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
      if (!/^\d{0,9}$/.test(raw)) return sendError(res, 400, 'BadArgument', 'watermark must be a number');
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      sendJson(res, 200, await store.activitiesAfter(claims.conv, raw === '' ? 0 : Number(raw)));
    }),
  );

  server.post(
    `${base}/conversations/:conversationId/activities`,
    authorised('post', true),
    body,
    guarded('post', async (req, res, claims) => {
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
      // Attachments posted with a message (a client's own cards, a file by URL) are not opened (a URL would
      // be fetched from the server): the customer is told so and pointed to the upload, never left in silence
      const carried = posted.type === 'message' && (posted.attachments?.length ?? 0) > 0 && options.uploads;
      if (carried) activity.attachments = [];
      activity.id = await store.append(claims.conv, activity);
      if (!carried || (activity.text ?? '').trim() !== '') {
        await http.serialise(`${WEBCHAT_CHANNEL_ID}|${claims.conv}`, () => adapter.processActivity(activity, (c) => http.runTurn(c)));
      }
      if (carried) {
        const lang: Lang = /^en/i.test(posted.locale ?? '') ? 'en' : 'ms';
        await botSays(claims, options.uploads!.say(lang, 'webchat.attachments.notOpened', {}), lang);
      }
      sendJson(res, 200, { id: activity.id });
    }),
  );

  /** A message from the bot into a conversation's stream, in the customer's language (uploads' answers). */
  const botSays = (claims: { conv: string; user: string }, text: string, lang: Lang) =>
    store.append(claims.conv, {
      type: 'message',
      text,
      textFormat: 'plain',
      locale: lang === 'en' ? 'en-MY' : 'ms-MY',
      channelId: WEBCHAT_CHANNEL_ID,
      conversation: { id: claims.conv } as Activity['conversation'],
      from: adapter.bot as Activity['from'],
      recipient: { id: claims.user, role: 'user' } as Activity['recipient'],
    });

  // Files (Direct Line 3.0 "upload"): the token is checked first (401/403), then the type of the body (415),
  // then its size (413) before a byte of it is read; see ./uploads.ts for what is taken.
  server.post(
    `${base}/conversations/:conversationId/upload`,
    authorised('upload', true),
    guarded('upload', async (req, res, claims) => {
      const uploads = options.uploads;
      const boundary = multipartBoundary(req.header('content-type'));
      if (!uploads || !boundary) {
        res.setHeader('connection', 'close');
        return sendError(res, 415, 'BadArgument', uploads ? 'send files as multipart/form-data' : 'file uploads are not supported; please type your message');
      }
      if (!(await store.getConversation(claims.conv))) return sendError(res, 404, 'BadArgument', 'conversation not found');
      const limited = await rateLimiter.hit('directline-post', claims.conv, limits.perConversation, limits.windowSeconds);
      if (!limited.allowed) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        res.setHeader('connection', 'close');
        return sendError(res, 429, 'TooManyRequests', 'too many messages; wait a moment');
      }
      const lang: Lang = /^en/i.test(String(req.query?.locale ?? req.header('accept-language') ?? '')) ? 'en' : 'ms';
      const maxMb = String(Math.round((uploads.maxFileBytes / (1024 * 1024)) * 10) / 10);
      // the whole body is read into memory, within the limit: a few files of at most maxFileBytes each
      const maxBody = uploads.maxFileBytes * 2 + 64 * 1024;
      const tooLarge = async () => {
        await botSays(claims, uploads.say(lang, 'webchat.upload.tooLarge', { max: maxMb }), lang);
        res.setHeader('connection', 'close');
        sendError(res, 413, 'MessageSizeTooBig', 'the upload is too large');
      };
      if (Number(req.header('content-length') ?? 0) > maxBody) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = await new Promise<boolean>((resolve, reject) => {
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBody) {
            req.removeAllListeners('data');
            req.pause();
            resolve(false);
          } else chunks.push(chunk);
        });
        req.once('end', () => resolve(true));
        req.once('error', reject);
      });
      if (!complete) return tooLarge();
      let parts;
      try {
        parts = parseMultipart(Buffer.concat(chunks), boundary);
      } catch (err) {
        return sendError(res, 400, 'BadArgument', (err as Error).message);
      }
      // the message that goes with the files (botframework-directlinejs sends it as the "activity" part)
      let posted: z.infer<typeof postedActivity> | undefined;
      const activityPart = parts.find((p) => p.name === 'activity');
      if (activityPart) {
        try {
          const parsed = postedActivity.safeParse(JSON.parse(activityPart.data.toString('utf8')));
          if (parsed.success) posted = parsed.data;
        } catch {
          return sendError(res, 400, 'BadArgument', 'the activity part is not JSON');
        }
      }
      const customerLang: Lang = posted?.locale ? (/^en/i.test(posted.locale) ? 'en' : 'ms') : lang;
      const files = parts.filter((p) => p !== activityPart && p.filename !== undefined).slice(0, MAX_FILES_PER_UPLOAD);
      if (files.length === 0) return sendError(res, 400, 'BadArgument', 'no file in the upload');
      const accepted: Array<{ id: string; name: string; contentType: string }> = [];
      const refused: string[] = [];
      for (const file of files) {
        const type = sniffType(file.data);
        const name = cleanFileName(file.filename, type ?? 'application/pdf');
        if (!type || file.data.length > uploads.maxFileBytes || file.data.length === 0) {
          refused.push(`"${name}"`);
          continue;
        }
        const saved = await uploads.store.save(claims.conv, { name, contentType: type, data: file.data });
        accepted.push({ id: saved.id, name: saved.name, contentType: saved.contentType });
      }
      // the customer's message, with the files it carried (by name: the content stays with staff)
      const activity: Partial<Activity> = {
        type: 'message',
        text: posted?.text ?? '',
        textFormat: 'plain',
        timestamp: new Date(now()),
        channelId: WEBCHAT_CHANNEL_ID,
        conversation: { id: claims.conv } as Activity['conversation'],
        from: { id: claims.user, name: posted?.from?.name?.slice(0, 100) ?? '', role: 'user' } as Activity['from'],
        recipient: adapter.bot as Activity['recipient'],
        ...(posted?.locale ? { locale: posted.locale } : {}),
        ...(posted?.channelData ? { channelData: posted.channelData } : {}),
        attachments: accepted.map((a) => ({ contentType: a.contentType, name: a.name })),
      };
      const id = await store.append(claims.conv, activity);
      if (accepted.length > 0) await botSays(claims, uploads.say(customerLang, 'webchat.upload.received', { files: accepted.map((a) => `"${a.name}"`).join(', ') }), customerLang);
      if (refused.length > 0) await botSays(claims, uploads.say(customerLang, 'webchat.upload.refused', { files: refused.join(', '), max: maxMb }), customerLang);
      log.info({ conversation: claims.conv.slice(0, 8), accepted: accepted.length, refused: refused.length }, 'direct line: upload');
      sendJson(res, 200, { id });
    }),
  );

  // The WebSocket stream (streamUrl). An upgrade is answered as the reference says: 401 without a token
  // (?t= or Authorization), 403 for a bad one or one of another conversation, 404 for a conversation that
  // does not exist; 503 while the database (the signing key) is unreachable. Otherwise 101 and the stream.
  const streamPath = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/conversations/([^/]+)/stream$`);
  http.upgrades.add(streamPath, async (req: IncomingMessage, params, url): Promise<UpgradeAnswer | UpgradeAccept> => {
    const error = (status: number, code: string, message: string, headers?: Record<string, string>): UpgradeAnswer => ({
      status,
      body: { error: { code, message } },
      ...(headers ? { headers } : {}),
    });
    // browsers apply no CORS to WebSockets: the page's origin is checked here (WEBCHAT_ALLOWED_ORIGINS)
    if (options.originAllowed && !options.originAllowed(req)) return error(403, 'BadArgument', 'this website is not allowed to use the chat');
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(params[0]!);
    } catch {
      return error(400, 'BadArgument', 'malformed conversation id');
    }
    const unreachable = async (): Promise<UpgradeAnswer> => {
      const answers = await http.databaseAnswers().catch(() => false);
      return answers
        ? error(500, 'ServiceError', 'internal error')
        : error(503, 'ServiceUnavailable', 'temporarily unavailable; try again later', { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    };
    let checked: TokenCheck;
    try {
      checked = await checkToken(url.searchParams.get('t') || bearer(req.headers.authorization), conversationId, true);
    } catch {
      return unreachable();
    }
    if (!checked.ok) return error(checked.status, checked.code, checked.message, checked.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : undefined);
    const hub = options.streams;
    if (!hub) return error(404, 'BadArgument', 'no WebSocket stream here: poll the conversation\'s activities');
    const raw = url.searchParams.get('watermark') ?? '';
    if (!/^\d{0,9}$/.test(raw)) return error(400, 'BadArgument', 'watermark must be a number');
    try {
      if (!(await store.getConversation(conversationId))) return error(404, 'BadArgument', 'conversation not found');
    } catch {
      return unreachable();
    }
    const endsAt = limits.conversationMaxSeconds ? (checked.claims.start + limits.conversationMaxSeconds) * 1000 : Number.POSITIVE_INFINITY;
    return { accept: (socket, head) => hub.accept(req, socket, head, conversationId, raw === '' ? undefined : Number(raw), endsAt) };
  });
}

/**
 * The restify server: routes only, no business rules.
 * - POST /api/messages: Bot Framework activities through CloudAdapter (expectReplies answered in the body);
 * - GET /healthz: the process is alive; GET /readyz: the database answers and the knowledge is loaded.
 * Bad input never reaches the bot: a body that is not JSON → 415 before it is read, malformed or too deeply
 * nested JSON → 400, over MAX_BODY_BYTES → 413, an activity without a type or conversation id → 400; unknown
 * activity types are a polite no-op (200). Every Upgrade request is answered and closed (see upgrade.ts);
 * the node server's timeouts and connection cap come from the configuration (see sockets.ts).
 */
import {
  type Activity,
  CloudAdapter,
  type TurnContext,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from './connectorCache';
import { CallerIdConstants } from 'botframework-schema';
import restify, { type Request, type Response } from 'restify';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { Runtime } from '../runtime';
import { KeyedQueue } from '../bot/turn';
import { MemoryRateLimiter } from '../services/memoryRateLimit';
import { createTeamsMiddleware } from '../channels/teams';
import { readBody } from './body';
import { clientAddress } from './clientAddress';
import { sendJson } from './http';
import { applySocketLimits } from './sockets';
import { UpgradeRoutes, handleUpgrades } from './upgrade';

export interface HttpServer {
  server: restify.Server;
  adapter: CloudAdapter;
  queue: KeyedQueue;
  /** Turns in flight (for graceful shutdown). */
  inFlight(): number;
}

const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(256).optional(),
  channelId: z.string().min(1).max(64).optional(),
  serviceUrl: z.string().max(2048).optional(),
  text: z.string().optional(),
  locale: z.string().max(32).optional(),
  deliveryMode: z.string().max(32).optional(),
  conversation: z.looseObject({ id: z.string().min(1).max(512) }),
  from: z.looseObject({ id: z.string().min(1).max(512) }).optional(),
  recipient: z.looseObject({ id: z.string().max(512) }).optional(),
});


/**
 * CloudAdapter with its processActivity made callable: the route answers every outcome itself (CloudAdapter's
 * own process() puts internal error messages, such as an unreachable key server's URL, in 500 bodies).
 */
export class BotFrameworkAdapter extends CloudAdapter {
  processAuthenticated(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** A refused token: botbuilder's AuthenticationError, or jsonwebtoken's errors it lets through (bad signature, expired). */
function isAuthFailure(err: unknown): boolean {
  const e = err as { name?: string; statusCode?: number } | null;
  return (
    err instanceof AuthenticationError ||
    e?.statusCode === 401 ||
    e?.name === 'JsonWebTokenError' ||
    e?.name === 'TokenExpiredError' ||
    e?.name === 'NotBeforeError'
  );
}

export function authOptions(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType || 'MultiTenant',
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    // Overriding one endpoint makes botbuilder take every endpoint from the options: give it the public
    // cloud's values for the rest.
    ...(config.BOT_OPENID_METADATA_URL
      ? {
          ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
          ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
          ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
          ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
          ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
          OAuthUrl: AuthenticationConstants.OAuthUrl,
          CallerId: CallerIdConstants.PublicAzureChannel,
          ValidateAuthority: true,
        }
      : {}),
  };
}

/**
 * Requests the per-IP limit does not count: health probes, Web Chat's activity polling, and the ingress of
 * channel platforms that relay every customer from a few addresses of their own — signed WhatsApp webhooks,
 * and /api/messages when Bot Framework authentication is on (Azure's connector). Those are limited per
 * conversation instead; a per-IP limit there would throttle every customer at once.
 */
function isExemptFromIpLimit(req: Request, config: Config): boolean {
  const p = req.path();
  if (p === '/healthz' || p === '/readyz') return true;
  if (req.method === 'POST' && p === '/api/whatsapp') return true;
  if (req.method === 'POST' && p === '/api/messages' && config.authEnabled) return true;
  return req.method === 'GET' && /^\/directline\/conversations\/[^/]+\/activities$/.test(p);
}

export function createHttpServer(runtime: Runtime, log: Logger): HttpServer {
  const { config } = runtime;
  const adapter = new BotFrameworkAdapter(new CachingBotFrameworkAuthentication(authOptions(config)));
  adapter.onTurnError = (context, error) => runtime.onTurnError(context, error);
  // Teams: mentions stripped, welcome on install, choices within what Teams shows
  adapter.use(createTeamsMiddleware({ log }));
  const queue = new KeyedQueue();
  // "100 Continue" is sent by the body reader once a route has accepted the request's headers
  const server = restify.createServer({ name: 'support-bot', handleUncaughtExceptions: false, noWriteContinue: true });
  applySocketLimits(server.server, config);
  let active = 0;
  const ipLimiter = new MemoryRateLimiter();
  /** Counts one request (HTTP or WebSocket upgrade) from a client address toward the per-IP limit. */
  const allowRequestFrom = (address: string) =>
    ipLimiter.check('ip', address, config.RATE_LIMIT_PER_IP, config.RATE_LIMIT_WINDOW_SECONDS);
  const upgrades = new UpgradeRoutes();
  handleUpgrades(server.server, { routes: upgrades, allow: (req) => allowRequestFrom(clientAddress(req, config)), log });
  server.use((req, res, next) => {
    res.setHeader('x-request-id', req.getId());
    next();
  });
  // One per-IP limit for every HTTP endpoint (bot, admin API, pages, Direct Line), checked before any body is
  // read; see isExemptFromIpLimit for what it leaves out (Web Chat polls its own conversation twice a second:
  // counting that would lock out customers behind one NAT).
  server.use((req, res, next) => {
    if (isExemptFromIpLimit(req, config)) return next();
    const limit = ipLimiter.check('ip', req.socket.remoteAddress ?? 'unknown', config.RATE_LIMIT_PER_IP, config.RATE_LIMIT_WINDOW_SECONDS);
    if (!limit.allowed) {
      res.setHeader('Retry-After', String(limit.retryAfterSeconds));
      sendJson(res, 429, { error: 'too many requests', retryAfterSeconds: limit.retryAfterSeconds });
      return next(false);
    }
    next();
  });

  server.post(
    '/api/messages',
    readBody({ accept: ['json'], maxBodySize: config.MAX_BODY_BYTES, maxDepth: config.MAX_JSON_DEPTH }),
    async (req: Request, res: Response) => {
      const reqLog = log.child({ reqId: req.getId() });
      const parsed = activitySchema.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        reqLog.info({ path: issue.path.join('.'), problem: issue.message }, 'rejected activity');
        sendJson(res, 400, { error: 'invalid activity', field: issue.path.join('.') || 'body', problem: issue.message });
        return;
      }
      const activity = parsed.data;
      const key = `${activity.channelId ?? ''}|${activity.conversation.id}`;
      const authHeader = String(req.headers.authorization ?? '');
      active++;
      try {
        const invokeResponse = await queue.run(key, () =>
          adapter.processAuthenticated(authHeader, validateAndFixActivity(activity as unknown as Activity), (context) => runtime.runTurn(context)),
        );
        if (invokeResponse?.status === 501) {
          // an invoke no handler knows (ActivityHandler's "not implemented"): the caller's mistake, not a fault
          sendJson(res, 400, { error: 'unsupported invoke' });
        } else if (invokeResponse?.body !== undefined) sendJson(res, invokeResponse.status ?? 200, invokeResponse.body);
        else {
          res.status(invokeResponse?.status ?? 200);
          res.end();
        }
      } catch (err) {
        if (isAuthFailure(err)) {
          reqLog.info({ problem: (err as Error).message }, 'unauthenticated request refused');
          sendJson(res, 401, { error: 'unauthorized' });
        } else {
          // e.g. the Bot Framework's signing keys could not be fetched: say nothing about why
          reqLog.error({ err }, 'activity processing failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        }
      } finally {
        active--;
      }
    },
  );

  server.get('/healthz', async (_req: Request, res: Response) => {
    sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const database = await runtime.database.ping(1500);
    const knowledge = runtime.knowledge.entries.length > 0;
    const ready = database && knowledge;
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      knowledge: knowledge ? { packs: runtime.knowledge.packs, entries: runtime.knowledge.entries.length } : 'not loaded',
    });
  });

  for (const feature of runtime.features) {
    feature.routes?.({
      server,
      adapter,
      runTurn: (context) => runtime.runTurn(context),
      serialise: (key, task) => queue.run(key, task),
      upgrades,
      databaseAnswers: () => runtime.database.ping(1500),
    });
  }

  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) log.error({ err, reqId: req.getId() }, 'request failed');
    else log.info({ status, reqId: req.getId(), problem: err.message }, 'bad request');
    // one JSON shape for every error; never a stack trace
    res.setHeader('content-type', 'application/json; charset=utf-8');
    (err as unknown as { toJSON: () => unknown }).toJSON = () => ({
      error: status === 413 ? 'request body too large' : status >= 500 ? 'internal error' : err.message || 'bad request',
    });
    callback();
  });

  return { server, adapter, queue, inFlight: () => active };
}

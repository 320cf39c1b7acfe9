/**
 * The restify server: routes only, no business rules.
 * - POST /api/messages: Bot Framework activities through CloudAdapter (expectReplies answered in the body);
 * - GET /healthz: the process is alive; GET /readyz: the database answers and the knowledge is loaded.
 * Bad input never reaches the bot: a body that is not JSON → 415 before it is read, malformed or too deeply
 * nested JSON → 400, over MAX_BODY_BYTES → 413, an activity without a type or conversation id → 400; unknown
 * activity types are a polite no-op (200). Without Bot Framework authentication, /api/messages takes only
 * local channels with a loopback serviceUrl (else 403), and never the channel of one of the bot's own
 * adapters (WhatsApp). Every request passes the limits of ./limits.ts; every Upgrade request is answered and
 * closed (see upgrade.ts); the node server's timeouts and connection cap come from the configuration
 * (see sockets.ts).
 */
import {
  type Activity,
  CloudAdapter,
  type ResourceResponse,
  type TurnContext,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from './connectorCache';
import { CallerIdConstants } from 'botframework-schema';
import restify, { type Request, type Response } from 'restify';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { Runtime } from '../runtime';
import { KeyedQueue } from '../bot/turn';
import { connectorMiddlewares, localConnectorIds, ownRouteOnly, renderForChannel } from '../channels';
import { sendThroughOutbox } from '../channels/botframework/outbox';
import { ConnectorSender } from '../channels/botframework/sender';
import type { OutboundQueue } from '../services/outbound/queue';
import type { WebChatFeature } from '../channels/directline/feature';
import { setClientAddress } from '../bot/context';
import { readBody } from './body';
import { sendJson } from './http';
import { type HttpLimits, createHttpLimits, pollTokensFrom } from './limits';
import { applySocketLimits } from './sockets';
import { UpgradeRoutes, handleUpgrades } from './upgrade';

export interface HttpServer {
  server: restify.Server;
  adapter: CloudAdapter;
  queue: KeyedQueue;
  /** The per-IP and polling limits; the WebSocket upgrade path counts upgrades with limits.ip(address). */
  limits: HttpLimits;
  /** Turns in flight (for graceful shutdown). */
  inFlight(): number;
  /** The WebSocket endpoints (their open sockets are closed first at shutdown). */
  upgrades: UpgradeRoutes;
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
 * The activity with its timestamps as Date objects (the raw strings kept in raw*), which is what botbuilder's
 * own HTTP path does with validateAndFixActivity — a function it does not export publicly (lib/activityValidator),
 * so it is restated here rather than deep-imported. The type and conversation were checked by activitySchema.
 */
function withDates(activity: Record<string, unknown>): Activity {
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/**
 * CloudAdapter with its processActivity made callable: the route answers every outcome itself (CloudAdapter's
 * own process() puts internal error messages, such as an unreachable key server's URL, in 500 bodies).
 */
export class BotFrameworkAdapter extends CloudAdapter {
  private outbox: OutboundQueue | undefined;

  /** From now on messages to the connector are committed to the outbox and sent by its worker. */
  useOutbox(queue: OutboundQueue): this {
    this.outbox = queue;
    return this;
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    // what leaves outside a turn too (a turn's replies were rendered already: src/runtime.ts)
    for (const activity of activities) renderForChannel(activity, activity.channelId ?? context.activity.channelId);
    if (!this.outbox) return super.sendActivities(context, activities);
    return sendThroughOutbox(this.outbox, context, activities, (direct) => super.sendActivities(context, direct));
  }

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


/** A serviceUrl on the loopback interface (127.0.0.0/8, ::1, localhost): replies stay on this machine. */
export function isLoopbackUrl(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether /api/messages may take this activity at all (before any authentication or turn). */
function channelAllowed(activity: { channelId?: string; serviceUrl?: string }, config: Config): boolean {
  const channel = activity.channelId ?? '';
  // channels served by the bot's own verified adapters: never accepted here, authenticated or not
  if (ownRouteOnly(channel)) return false;
  if (config.authEnabled) return true; // botbuilder's JWT validation decides
  // Without authentication only the channels' localIds (src/channels/index.ts): the Bot Framework Emulator and
  // the tests (src/cli/chat.ts runs turns in-process and needs none). Any other channel id would let a caller
  // claim a platform's identity: "whatsapp" with a victim's number as conversation id would continue the
  // victim's own WhatsApp conversation.
  return localConnectorIds().includes(channel) && isLoopbackUrl(activity.serviceUrl);
}

export function createHttpServer(runtime: Runtime, log: Logger): HttpServer {
  const { config } = runtime;
  const adapter = new BotFrameworkAdapter(new CachingBotFrameworkAuthentication(authOptions(config)));
  adapter.onTurnError = (context, error) => runtime.onTurnError(context, error);
  // replies to the connector (Teams, Azure channels) and proactive messages leave through the channel outbox
  adapter.useOutbox(runtime.deps.outbound.queue);
  runtime.deps.outbound.worker.register(new ConnectorSender(adapter, config.MicrosoftAppId ?? ''));
  // the channels' own middleware (Teams: mentions stripped, welcome on install, choices within what Teams shows)
  for (const middleware of connectorMiddlewares({ log, catalog: runtime.catalog })) adapter.use(middleware);
  const queue = new KeyedQueue();
  // "100 Continue" is sent by the body reader once a route has accepted the request's headers
  const server = restify.createServer({ name: 'support-bot', handleUncaughtExceptions: false, noWriteContinue: true });
  applySocketLimits(server.server, config);
  let active = 0;
  const webchat = runtime.features.find((f): f is WebChatFeature => f.name === 'webchat' && 'store' in f);
  const limits = createHttpLimits({ config, db: runtime.database.db, log, metrics: runtime.metrics, pollTokens: webchat ? pollTokensFrom(webchat.store) : undefined });
  // WebSocket upgrades count toward the per-IP limit; the Direct Line stream takes its own, the rest are answered and closed
  const upgrades = new UpgradeRoutes();
  handleUpgrades(server.server, { routes: upgrades, allow: (req) => limits.ip(limits.addressOf(req)), log });
  server.use((req, res, next) => {
    res.setHeader('x-request-id', req.getId());
    next();
  });
  // One per-IP limit for every HTTP request (bot, admin API, pages, Direct Line, unknown paths), checked
  // before routing and before any body is read, and Web Chat's polling per conversation token: ./limits.ts
  server.pre(limits.middleware);

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
      if (!channelAllowed(activity, config)) {
        reqLog.info({ channel: activity.channelId?.slice(0, 32) }, 'activity from a channel this endpoint does not take refused');
        sendJson(res, 403, { error: 'forbidden' });
        return;
      }
      const address = config.authEnabled ? undefined : limits.addressOf(req);
      const key = `${activity.channelId ?? ''}|${activity.conversation.id}`;
      const authHeader = String(req.headers.authorization ?? '');
      active++;
      try {
        const invokeResponse = await queue.run(key, () =>
          adapter.processAuthenticated(authHeader, withDates(activity), (context) => {
            // a local caller's own address (with authentication on, the sender is Azure's connector)
            if (address) setClientAddress(context, address);
            return runtime.runTurn(context);
          }),
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

  return { server, adapter, queue, limits, inFlight: () => active, upgrades };
}

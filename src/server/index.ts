/**
 * The restify server: routes only, no business rules.
 * - POST /api/messages: Bot Framework activities through CloudAdapter (expectReplies answered in the body);
 * - GET /healthz: the process is alive; GET /readyz: the database answers and the knowledge is loaded.
 * Bad input never reaches the bot: malformed JSON → 400, over MAX_BODY_BYTES → 413, an activity without a
 * type or conversation id → 400; unknown activity types are a polite no-op (200).
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { Runtime } from '../runtime';
import { KeyedQueue } from '../bot/turn';

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

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function authOptions(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType || 'MultiTenant',
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
}

export function createHttpServer(runtime: Runtime, log: Logger): HttpServer {
  const { config } = runtime;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authOptions(config)));
  adapter.onTurnError = (context, error) => runtime.onTurnError(context, error);
  const queue = new KeyedQueue();
  const server = restify.createServer({ name: 'support-bot', handleUncaughtExceptions: false });
  let active = 0;
  server.use((req, res, next) => {
    res.setHeader('x-request-id', req.getId());
    next();
  });

  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: config.MAX_BODY_BYTES, mapParams: false, mapFiles: false }),
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
      active++;
      try {
        await queue.run(key, () => adapter.process(req, res, (context) => runtime.runTurn(context)));
      } catch (err) {
        reqLog.error({ err }, 'activity processing failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
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
    feature.routes?.({ server, adapter, runTurn: (context) => runtime.runTurn(context), serialise: (key, task) => queue.run(key, task) });
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

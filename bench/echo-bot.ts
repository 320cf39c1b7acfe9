/**
 * The ceiling for the HTTP benchmark: the smallest bot on the same stack as ours — botbuilder CloudAdapter,
 * restify with its body parser, a ConversationState on MemoryStorage (read and written every turn) — that
 * answers "echo: <text>" in the expectReplies response body. Whatever this does per second is the most a
 * Bot Framework bot on this stack can do on this machine.
 *
 * Run: node dist/bench/echo-bot.js (PORT, HOST from the environment; default 127.0.0.1:3979).
 */
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response } from 'restify';

export interface EchoServer {
  server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

class EchoBot extends ActivityHandler {
  constructor(private readonly state: ConversationState) {
    super();
    const turns = state.createProperty<number>('turns');
    this.onMessage(async (context, next) => {
      const n = (await turns.get(context, 0)) ?? 0;
      await turns.set(context, n + 1);
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context, false);
  }
}

export function createEchoServer(): EchoServer {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const state = new ConversationState(new MemoryStorage());
  const bot = new EchoBot(state);
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`echo bot turn failed: ${(error as Error).message}\n`);
    await context.sendActivity('error');
  };
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, mapFiles: false }),
    async (req: Request, res: Response) => {
      await adapter.process(req, res, (context) => bot.run(context));
    },
  );
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.status(200);
    res.end('ok');
  });
  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections?.();
      });
    },
  };
}

if (require.main === module) {
  const echo = createEchoServer();
  const port = Number(process.env.PORT ?? 3979);
  const host = process.env.HOST ?? '127.0.0.1';
  echo
    .listen(port, host)
    .then((bound) => process.stdout.write(`echo bot listening on http://${host}:${bound}\n`))
    .catch((err) => {
      process.stderr.write(`echo bot failed to start: ${(err as Error).message}\n`);
      process.exit(1);
    });
  const stop = () => void echo.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

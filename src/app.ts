/**
 * The whole bot as one object: runtime + HTTP server, with start and graceful stop. Used by src/index.ts
 * and by the end-to-end tests (on an ephemeral port).
 */
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { type Logger, createLogger } from './logging';
import { type Runtime, createRuntime } from './runtime';
import { type HttpServer, createHttpServer } from './server';

export interface App {
  runtime: Runtime;
  http: HttpServer;
  log: Logger;
  /** Starts listening; resolves with the bound address. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets turns in flight finish (up to SHUTDOWN_GRACE_MS), closes the database. */
  close(): Promise<void>;
}

export async function createApp(config: Config, options: { log?: Logger } = {}): Promise<App> {
  const log = options.log ?? createLogger({ level: config.LOG_LEVEL, format: config.logFormat, showSecrets: config.DEV_LOG_SECRETS });
  const runtime = await createRuntime(config, log);
  const http = createHttpServer(runtime, log);
  let closing: Promise<void> | undefined;
  return {
    runtime,
    http,
    log,
    listen(port = config.PORT, host = config.HOST) {
      return new Promise((resolve, reject) => {
        http.server.once('error', reject);
        http.server.listen(port, host, () => {
          http.server.removeListener('error', reject);
          for (const feature of runtime.features) feature.start?.();
          resolve(http.server.address() as AddressInfo);
        });
      });
    },
    close() {
      closing ??= (async () => {
        // open WebSocket streams are told the server is going away (their clients reconnect elsewhere)
        await http.upgrades.shutdown();
        const stopped = new Promise<void>((resolve) => {
          if (!http.server.server.listening) return resolve();
          http.server.close(() => resolve());
        });
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
        await Promise.race([Promise.all([stopped, http.queue.drain()]), grace]);
        // idle keep-alive sockets would hold the server open
        http.server.server.closeAllConnections?.();
        await runtime.close();
        log.info('stopped');
      })();
      return closing;
    },
  };
}

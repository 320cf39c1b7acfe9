/**
 * `npm start`: reads the configuration (.env via dotenv), starts the bot and says what it serves.
 * An invalid setting stops start-up with one line naming the variable.
 */
import './compileCache';
// before the app: keeps botbuilder-dialogs' unused Recognizers-Text suites out of memory (see lazyModules.ts)
import './lazyModules';
import './config/envFile';
import { createApp } from './app';
import { loadConfigOrExit } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  const address = await app.listen();
  const base = `http://localhost:${address.port}`;
  app.log.info(
    {
      chat: `${base}/`,
      messages: `${base}/api/messages`,
      whatsapp: `${base}/api/whatsapp`,
      admin: `${base}/api/admin (needs ADMIN_TOKEN)`,
      health: `${base}/healthz`,
      ready: `${base}/readyz`,
      database: app.runtime.database.engine,
      auth: config.authEnabled ? 'Bot Framework authentication on' : 'authentication off (Emulator / local use)',
    },
    `support bot listening on ${base}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
});

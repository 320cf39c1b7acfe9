/**
 * The mail outbox's background work: the OutboxWorker delivering what procedures enqueued through
 * `deps.mail` (a SqlMailOutbox on the same database), by SMTP or to `.eml` files (createMailTransport).
 */
import { OutboxWorker } from '../services/mail/worker';
import { createMailTransport } from '../services/mail/transport';
import type { Feature, FeatureDeps } from './types';

export function createMailFeature(deps: FeatureDeps): Feature {
  const { config, log, db, engine } = deps;
  let worker: OutboxWorker | undefined;
  return {
    name: 'mail',
    start() {
      worker ??= new OutboxWorker({
        db,
        engine,
        transport: createMailTransport(config, log),
        log: log.child({ component: 'outbox' }),
        maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
        pollMs: config.OUTBOX_POLL_MS,
        dataDir: config.dataDir,
        metrics: deps.metrics,
      });
      worker.start();
    },
    async stop() {
      await worker?.stop();
    },
  };
}

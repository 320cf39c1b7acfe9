/**
 * The channel outbox as one object the runtime builds once: the queue (enqueue, release) and the worker that
 * delivers it. Channels register their sender on the worker; the worker runs while the server listens.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB, Engine } from '../../db/schema';
import type { Logger } from '../../logging';
import { OutboundQueue } from './queue';
import { OutboundWorker, type OutboundWorkerOptions } from './worker';

export { OutboundQueue, recipientKey } from './queue';
export type { DeliveryOutcome, OutboundItem, OutboundRow, OutboundSender } from './queue';
export { OutboundWorker } from './worker';
export type { OutcomeEvent } from './worker';

export interface Outbound {
  queue: OutboundQueue;
  worker: OutboundWorker;
}

export function createOutbound(
  db: Kysely<DB>,
  engine: Engine,
  config: Pick<Config, 'OUTBOUND_POLL_MS' | 'OUTBOUND_CONCURRENCY' | 'OUTBOUND_MAX_ATTEMPTS' | 'OUTBOUND_BACKOFF_MS' | 'OUTBOUND_MAX_BACKOFF_MS' | 'OUTBOUND_LEASE_MS'>,
  log: Logger,
  tuning: Partial<OutboundWorkerOptions> = {},
): Outbound {
  const now = tuning.now ?? Date.now;
  const queue = new OutboundQueue(db, now);
  const worker = new OutboundWorker({
    db,
    engine,
    queue,
    log: log.child({ component: 'outbound' }),
    pollMs: config.OUTBOUND_POLL_MS,
    concurrency: config.OUTBOUND_CONCURRENCY,
    maxAttempts: config.OUTBOUND_MAX_ATTEMPTS,
    backoffBaseMs: config.OUTBOUND_BACKOFF_MS,
    maxBackoffMs: config.OUTBOUND_MAX_BACKOFF_MS,
    leaseMs: config.OUTBOUND_LEASE_MS,
    ...tuning,
  });
  return { queue, worker };
}

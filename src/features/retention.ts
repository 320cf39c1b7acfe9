/**
 * Retention (issue 10): personal data is kept only as long as RETENTION_DAYS says. Once when the server
 * starts and then every hour, it deletes unanswered-question log entries, sent outbox mail and migration
 * tokens older than that. Each purge runs on its own, so one failing (the database away for a moment) does
 * not stop the others; the next round tries again.
 */
import { UnansweredLog } from '../services/unanswered';
import { purgeSent } from '../services/mail/outbox';
import { MigrationTokens } from '../services/migrationTokens';
import type { Feature, FeatureDeps } from './types';

export const RETENTION_EVERY_MS = 3_600_000;

export interface RetentionOptions {
  /** How often a round runs (default hourly). */
  everyMs?: number;
  now?: () => number;
}

export interface RetentionFeature extends Feature {
  /** One round now; resolves with how many rows each purge removed (-1 when it failed). */
  runOnce(): Promise<RetentionReport>;
}

export interface RetentionReport {
  unanswered: number;
  sentMail: number;
  migrationTokens: number;
}

export function createRetentionFeature(deps: FeatureDeps, options: RetentionOptions = {}): RetentionFeature {
  const { config, db } = deps;
  const log = deps.log.child({ component: 'retention' });
  const now = options.now ?? Date.now;
  const days = config.RETENTION_DAYS;
  const unanswered = new UnansweredLog(db);
  const tokens = new MigrationTokens(db, { ttlMinutes: config.MIGRATION_TOKEN_TTL_MINUTES, now });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionReport> | undefined;

  const attempt = async (what: string, purge: () => Promise<number>): Promise<number> => {
    try {
      return await purge();
    } catch (err) {
      log.warn({ err, what }, 'retention purge failed; the next round tries again');
      return -1;
    }
  };

  const runOnce = async (): Promise<RetentionReport> => {
    const report: RetentionReport = {
      unanswered: await attempt('unanswered', () => unanswered.purgeOlderThan(days)),
      sentMail: await attempt('sent mail', () => purgeSent(db, days, now())),
      migrationTokens: await attempt('migration tokens', () => tokens.purge(days)),
    };
    if (report.unanswered > 0 || report.sentMail > 0 || report.migrationTokens > 0) {
      log.info({ ...report, retentionDays: days }, 'old personal data purged');
    }
    return report;
  };

  const tick = (): void => {
    if (running) return;
    running = runOnce().finally(() => {
      running = undefined;
    });
  };

  return {
    name: 'retention',
    runOnce,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, options.everyMs ?? RETENTION_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

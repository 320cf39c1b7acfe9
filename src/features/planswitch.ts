/**
 * Plan switching: the eligibility check (EligibilityDialog) and the pro-rata bill (ProRataDialog), with the
 * subscriber directory (SQL with demo lines outside production, or HTTP at SUBSCRIBERS_URL) and one-time
 * codes sent through deps.sms. Expired codes are purged by the retention job.
 */
import { EligibilityDialog } from '../../dialogs/eligibility';
import { ProRataDialog } from '../../dialogs/prorata';
import { todayInKualaLumpur } from '../domain/dates';
import { OtpService } from '../services/otp';
import { type SubscriberDirectory, createSubscriberDirectory } from '../services/subscribers';
import type { Feature, FeatureDeps } from './types';

export interface PlanSwitchOptions {
  /** The clock (tests inject one): "today" in Kuala Lumpur and code expiry follow it. */
  now?: () => Date;
  /** Another subscriber directory (default: by configuration). */
  directory?: SubscriberDirectory;
}

export function createPlanSwitchFeature(deps: FeatureDeps, options: PlanSwitchOptions = {}): Feature {
  const now = options.now ?? (() => new Date());
  const today = () => todayInKualaLumpur(now());
  const directory = options.directory ?? createSubscriberDirectory(deps.config, deps.db, deps.log, today);
  const otp = new OtpService(deps.db, deps.sms, deps.rateLimiter, {
    ttlSeconds: deps.config.OTP_TTL_SECONDS,
    maxTries: deps.config.OTP_MAX_TRIES,
    now: () => now().getTime(),
  });
  return {
    name: 'planswitch',
    dialogs: [
      new EligibilityDialog({ catalog: deps.catalog, knowledge: deps.knowledge, directory, otp, today, log: deps.log }),
      new ProRataDialog(deps.catalog, deps.knowledge, today),
    ],
    // expired codes are purged by the retention job (src/features/retention.ts)
  };
}

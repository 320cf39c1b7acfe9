/**
 * Plan switching: the eligibility check (EligibilityDialog) and the pro-rata bill (ProRataDialog), with the
 * subscriber directory (SQL with demo lines outside production, or HTTP at SUBSCRIBERS_URL) and one-time
 * codes (services/otp.ts) whose SMS go through the SMS outbox to deps.sms. Background work: the outbox
 * worker; expired codes, old limit events and sent SMS are purged by the retention job (features/retention.ts).
 */
import { EligibilityDialog } from '../../dialogs/eligibility';
import { ProRataDialog } from '../../dialogs/prorata';
import { todayInKualaLumpur } from '../domain/dates';
import { OtpService } from '../services/otp';
import { SmsOutbox } from '../services/smsOutbox';
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
  const clock = () => now().getTime();
  const outbox = new SmsOutbox({ db: deps.db, engine: deps.engine, sender: deps.sms, log: deps.log, now: clock, metrics: deps.metrics });
  const c = deps.config;
  const otp = new OtpService(
    { db: deps.db, engine: deps.engine, directory, outbox, log: deps.log, metrics: deps.metrics },
    {
      ttlSeconds: c.OTP_TTL_SECONDS,
      maxTries: c.OTP_MAX_TRIES,
      windowSeconds: c.OTP_WINDOW_SECONDS,
      sendsPerLine: c.OTP_SENDS_PER_LINE,
      sendsPerConversation: c.OTP_SENDS_PER_CONVERSATION,
      sendsPerAddress: c.OTP_SENDS_PER_ADDRESS,
      guessesPerLine: c.OTP_GUESSES_PER_LINE,
      guessesPerClient: c.OTP_GUESSES_PER_CLIENT,
      hourlyBudget: c.SMS_HOURLY_BUDGET,
      now: clock,
    },
  );
  return {
    name: 'planswitch',
    dialogs: [
      new EligibilityDialog({ catalog: deps.catalog, knowledge: deps.knowledge, directory, otp, today, log: deps.log }),
      new ProRataDialog(deps.catalog, deps.knowledge, today, deps.recognizer.lexicon.months),
    ],
    start() {
      // SMS committed before a crash go out after the restart; new ones are sent at once (OtpService kicks);
      // expired codes, old limit events and sent SMS are purged by the retention job (features/retention.ts)
      outbox.start();
    },
    async stop() {
      await outbox.stop();
    },
  };
}

/**
 * Issue 5: the eBiz login migration procedure — MigrationDialog, the legacy-account directory (HTTP by
 * LEGACY_ACCOUNTS_URL, else the project database with demo accounts seeded outside production), the
 * migration tokens and the form pages under /migrate/:token.
 */
import { DEFAULT_MIGRATION_LIMITS, MigrationDialog, type MigrationLimits } from '../../dialogs/migration';
import { HttpLegacyAccounts, type LegacyAccountDirectory, SqlLegacyAccounts, seedDemoAccounts } from '../services/legacyAccounts';
import { DecoyMailSink, DecoyShapes } from '../services/migrationDecoys';
import { MigrationRequests } from '../services/migrationRequests';
import { MigrationTokens, sharedSecret } from '../services/migrationTokens';
import { registerMigrationRoutes } from '../web/migration/routes';
import type { Feature, FeatureDeps } from './types';

export interface MigrationFeatureOptions {
  /** Receives the request service (tests measure it directly). */
  onRequests?: (requests: MigrationRequests) => void;
  /** Another directory (tests). */
  directory?: LegacyAccountDirectory;
  limits?: MigrationLimits;
  now?: () => number;
}

export function createMigrationFeature(deps: FeatureDeps, options: MigrationFeatureOptions = {}): Feature {
  const { config, log, db } = deps;
  const now = options.now ?? Date.now;
  let directory = options.directory;
  if (!directory) {
    if (config.LEGACY_ACCOUNTS_URL) {
      directory = new HttpLegacyAccounts(config.LEGACY_ACCOUNTS_URL);
    } else {
      const seeded = config.seedDemoData
        ? seedDemoAccounts(db).then(
            (added) => {
              if (added > 0) log.info({ added }, 'demo legacy eBiz accounts seeded');
            },
            (err: unknown) => log.error({ err }, 'could not seed the demo legacy accounts'),
          )
        : Promise.resolve();
      directory = new SqlLegacyAccounts(db, seeded);
    }
  }
  const tokens = new MigrationTokens(db, { ttlMinutes: config.MIGRATION_TOKEN_TTL_MINUTES, now });
  const secrets = new Map<string, Promise<Buffer>>();
  const secret = (name: string) => () => {
    let s = secrets.get(name);
    if (!s) {
      s = sharedSecret(db, `migration-${name}`);
      s.catch(() => secrets.delete(name));
      secrets.set(name, s);
    }
    return s;
  };
  const decoySecret = secret('decoy');
  const decoys = new DecoyShapes({ directory, secret: decoySecret, log: log.child({ component: 'migration-decoys' }), now });
  const limits: MigrationLimits = options.limits ?? {
    ...DEFAULT_MIGRATION_LIMITS,
    perConversation: config.MIGRATION_LOOKUPS_PER_CONVERSATION,
    perAddress: config.MIGRATION_LOOKUPS_PER_ADDRESS,
    windowSeconds: config.MIGRATION_LOOKUP_WINDOW_SECONDS,
    mailsPerAccount: config.MIGRATION_MAILS_PER_ACCOUNT,
  };
  const requests = new MigrationRequests({
    catalog: deps.catalog,
    directory,
    tokens,
    mail: deps.mail,
    decoyMail: new DecoyMailSink(db, { from: config.MAIL_FROM, now }),
    decoys,
    rateLimiter: deps.rateLimiter,
    db,
    log: log.child({ procedure: 'migration' }),
    publicUrl: config.publicUrl,
    ttlMinutes: config.MIGRATION_TOKEN_TTL_MINUTES,
    secret: decoySecret,
    mailsPerAccount: limits.mailsPerAccount,
    ...(limits.mailWindowSeconds ? { mailWindowSeconds: limits.mailWindowSeconds } : {}),
  });
  options.onRequests?.(requests);
  const dialog = new MigrationDialog({
    catalog: deps.catalog,
    knowledge: deps.knowledge,
    requests,
    rateLimiter: deps.rateLimiter,
    log: log.child({ procedure: 'migration' }),
    ttlMinutes: config.MIGRATION_TOKEN_TTL_MINUTES,
    limits,
    now,
  });
  return {
    name: 'migration',
    dialogs: [dialog],
    routes({ server, databaseAnswers }) {
      registerMigrationRoutes(server, {
        databaseAnswers,
        catalog: deps.catalog,
        tokens,
        directory: directory!,
        db,
        log: log.child({ component: 'migration-web' }),
        publicUrl: config.publicUrl,
        secret: secret('csrf'),
      });
    },
  };
}

/**
 * The work behind the migration procedure's two answers (dialogs/migration.ts talks; this does): looking an
 * identifier up, and sending the link. Built so that an identifier no account has costs what a real one
 * costs (issue 13, item 5):
 *
 * lookup():      the directory query, the decoy draw and the keyed hash of the identifier — for both; the
 *                masked address shown is the account's, the typed e-mail's, or the decoy.
 * requestLink(): a directory read (the account, or the decoy id that no account has), the mail cap (one
 *                limiter call), and one transaction with the token write (burned at birth unless it is a
 *                real link) and the rendered e-mail written to the outbox — or, for an unknown identifier,
 *                to the decoy table of the same shape (services/migrationDecoys.ts). Past the cap: nothing
 *                written, "sent recently", for both.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { maskEmail } from '../domain';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import type { LegacyAccount, LegacyAccountDirectory, LegacyIdentifier } from './legacyAccounts';
import { renderMail } from './mail/render';
import type { DecoyShapes } from './migrationDecoys';
import { decoyAccountId, hmac, type MigrationTokens } from './migrationTokens';
import type { MailOutbox, RateLimiter } from './ports';

/** What a lookup found, as the dialog keeps it between turns (nothing in clear). */
export interface LookupResult {
  /** The masked address shown to the customer (the account's, or a decoy). */
  emailMasked: string;
  accountId?: string;
  /** A keyed hash of the identifier (the mail cap of an unknown identifier). */
  idKey: string;
}

export interface MigrationRequestsDeps {
  catalog: MessageCatalog;
  directory: LegacyAccountDirectory;
  tokens: MigrationTokens;
  mail: MailOutbox;
  /** Where the unknown path writes the e-mail the known path queues (same cost, never sent). */
  decoyMail: MailOutbox;
  decoys: DecoyShapes;
  rateLimiter: RateLimiter;
  db: Kysely<DB>;
  log: Logger;
  publicUrl: string;
  ttlMinutes: number;
  /** The key of the per-identifier hashes. */
  secret: () => Promise<Buffer>;
  /** Links e-mailed per account (or unknown identifier) per window. */
  mailsPerAccount: number;
  /** Default: the link lifetime, so that past the cap the latest link sent still works. */
  mailWindowSeconds?: number;
}

/** The name in a decoy's e-mail (rendered and written like a real one, never sent). */
const DECOY_NAME = 'Pelanggan eBiz';

class Rollback extends Error {}

export class MigrationRequests {
  constructor(private readonly deps: MigrationRequestsDeps) {}

  /** Throws when the directory cannot be reached. */
  async lookup(id: LegacyIdentifier): Promise<LookupResult> {
    const account = await this.deps.directory.find(id);
    // both paths compute both answers (the same keyed hashes), then keep the one that applies
    const [decoy, secret] = await Promise.all([this.deps.decoys.decoyFor(id), this.deps.secret()]);
    const real = maskEmail(account ? account.email : id.value);
    const idKey = hmac(secret, 'mail-cap', id.kind, id.value.toLowerCase());
    return { emailMasked: account || id.kind === 'email' ? real : decoy, idKey, ...(account ? { accountId: account.id } : {}) };
  }

  /**
   * Issues the token and writes the e-mail in one transaction. `dedupeSeed` names the request (the turn's
   * activity), so a turn that runs again cannot send a second link. Resolves 'capped' when the account (or
   * unknown identifier) already had its links for the window.
   */
  async requestLink(found: LookupResult, lang: Lang, dedupeSeed: string): Promise<'sent' | 'capped'> {
    const { deps } = this;
    const decoyId = decoyAccountId(found.idKey ?? ''); // a dialog state saved before the upgrade has no idKey
    const account = await deps.directory.get(found.accountId ?? decoyId);
    const capKey = account ? `account:${account.id}` : `id:${found.idKey ?? decoyId}`;
    const cap = await deps.rateLimiter.hit('migration-mail', capKey, deps.mailsPerAccount, deps.mailWindowSeconds ?? deps.ttlMinutes * 60);
    if (!cap.allowed) {
      deps.log.info({ known: !!account, count: cap.count }, 'migration e-mail not sent: sent recently');
      return 'capped';
    }
    const dedupeKey = `migration:${createHash('sha256').update(`${dedupeSeed}|${account?.id ?? capKey}`).digest('base64url')}`;
    await deps.db
      .transaction()
      .execute(async (trx) => {
        const link = !!account && !account.migrated;
        const issued = await deps.tokens.issue(account?.id ?? decoyId, lang, trx, { burned: !link });
        const url = `${deps.publicUrl}/migrate/${issued.token}`;
        const mail = account?.migrated ? this.alreadyMigratedMail(lang, account) : this.linkMail(lang, account?.name ?? DECOY_NAME, url);
        const outbox = account ? deps.mail : deps.decoyMail;
        const queued = await outbox.enqueue({ ...mail, to: account?.email ?? found.emailMasked, lang, dedupeKey }, trx);
        if (queued.duplicate) throw new Rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    deps.log.info({ to: found.emailMasked, known: !!account, migrated: !!account?.migrated }, 'migration e-mail queued');
    return 'sent';
  }

  private linkMail(lang: Lang, name: string, link: string) {
    const c = this.deps.catalog;
    const body = renderMail(c, lang, {
      greeting: c.t(lang, 'migration.mail.greeting', { name }),
      paragraphs: [c.t(lang, 'migration.mail.intro')],
      action: { label: c.t(lang, 'migration.mail.action'), url: link },
      after: [c.t(lang, 'migration.mail.expiry', { minutes: this.deps.ttlMinutes }), c.t(lang, 'migration.mail.ignore')],
    });
    return { subject: c.t(lang, 'migration.mail.subject'), kind: 'migration-link', ...body };
  }

  private alreadyMigratedMail(lang: Lang, account: LegacyAccount) {
    const c = this.deps.catalog;
    const body = renderMail(c, lang, {
      greeting: c.t(lang, 'migration.mail.greeting', { name: account.name }),
      paragraphs: [c.t(lang, 'migration.mail-done.intro')],
      after: [c.t(lang, 'migration.mail.ignore')],
    });
    return { subject: c.t(lang, 'migration.mail-done.subject'), kind: 'migration-already-done', ...body };
  }
}

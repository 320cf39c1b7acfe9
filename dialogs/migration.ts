/**
 * MigrationDialog (issue 5): moves an old eBiz login to eBiz v2.0 by e-mail verification, as the eBiz FAQ
 * describes it. The customer gives the e-mail, MyKad or passport number used before (also already in the
 * first message); the masked registered e-mail is shown and the customer confirms it is still active; a
 * single-use link `{PUBLIC_URL}/migrate/{token}` goes out through the mail outbox; the link opens the form
 * (src/web/migration). If the e-mail is no longer active, the FAQ's answer and a ticket offer follow.
 *
 * No enumeration: an unknown identifier gets replies of the same shape (a masked address derived from a
 * keyed hash of the identifier, the same "link sent" message, only no mail); lookups are rate-limited per
 * conversation and per identifier.
 */
import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Kysely } from 'kysely';
import type { ProcedureOptions } from '../src/bot/supportBot';
import type { DB } from '../src/db/schema';
import { findEmails, findMyKads, findPassports, maskEmail, maskMyKad, maskPassport, parseEmail, parseMyKad, todayInKualaLumpur } from '../src/domain';
import type { KnowledgeBase, Lang } from '../src/knowledge/types';
import type { MessageCatalog } from '../src/language/catalog';
import type { Logger } from '../src/logging';
import type { LegacyAccount, LegacyAccountDirectory, LegacyIdentifier } from '../src/services/legacyAccounts';
import { renderMail } from '../src/services/mail/render';
import { hmac, type MigrationTokens } from '../src/services/migrationTokens';
import type { MailOutbox, RateLimiter } from '../src/services/ports';
import { detectCommand } from '../src/language/commands';
import { GAVE_UP, ProcedureDialog, type SlotParser, slotPrompt } from './base';

export const MIGRATION_DIALOG_ID = 'migration';
export const TICKET_CATEGORY = 'ebiz-account';

export interface MigrationLimits {
  /** Lookups per conversation per window. */
  perConversation: number;
  /** Lookups of one identifier (from any conversation) per window. */
  perIdentifier: number;
  windowSeconds: number;
}

export const DEFAULT_MIGRATION_LIMITS: MigrationLimits = { perConversation: 5, perIdentifier: 3, windowSeconds: 3600 };

export interface MigrationDialogDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  directory: LegacyAccountDirectory;
  tokens: MigrationTokens;
  mail: MailOutbox;
  rateLimiter: RateLimiter;
  db: Kysely<DB>;
  log: Logger;
  publicUrl: string;
  ttlMinutes: number;
  /** The key of the decoy addresses shown for unknown identifiers. */
  secret: () => Promise<Buffer>;
  limits?: MigrationLimits;
  now?: () => number;
}

type IdentifierParse = { ok: true; value: LegacyIdentifier } | { ok: false; reason: string };

const MYKAD_REASON: Record<string, string> = {
  length: 'migration.invalid.mykad-length',
  date: 'migration.invalid.mykad-date',
  place: 'migration.invalid.mykad-place',
  format: 'migration.invalid.unknown',
  empty: 'migration.invalid.unknown',
};

/**
 * An e-mail, MyKad or passport number in what the customer typed (alone or in a sentence). An invalid value
 * gets the catalog key of the message that says what is wrong.
 */
export function parseIdentifier(text: string, now: Date = new Date()): IdentifierParse {
  const t = (text ?? '').trim();
  const reference = todayInKualaLumpur(now);
  if (t.includes('@')) {
    const found = findEmails(t)[0];
    if (found) return { ok: true, value: { kind: 'email', value: found.value } };
    const direct = parseEmail(t);
    return direct.ok ? { ok: true, value: { kind: 'email', value: direct.value } } : { ok: false, reason: 'migration.invalid.email' };
  }
  const mykads = findMyKads(t, { reference });
  const valid = mykads.find((m) => m.result.ok);
  if (valid && valid.result.ok) return { ok: true, value: { kind: 'mykad', value: valid.result.value.value } };
  if (mykads.length > 0 && !mykads[0]!.result.ok) return { ok: false, reason: MYKAD_REASON[mykads[0]!.result.reason]! };
  // a passport number: 1–2 letters and 6–9 digits, spaces or dashes allowed ("A1234 5678"); the same finder
  // the masker of logs and transcripts uses (src/domain/pii.ts)
  const passport = findPassports(t)[0];
  if (passport) return { ok: true, value: { kind: 'passport', value: passport.value } };
  // a number that is not 12 digits, or a 12-digit number with a wrong date or place
  const digits = t.match(/\d[\d\s-]{4,}\d/);
  if (digits) {
    const r = parseMyKad(digits[0], { reference });
    return r.ok ? { ok: true, value: { kind: 'mykad', value: r.value.value } } : { ok: false, reason: MYKAD_REASON[r.reason]! };
  }
  return { ok: false, reason: 'migration.invalid.unknown' };
}

const NO_RE =
  /^(no|nope|nah|not|tidak|tak|x|bukan|dah tak|sudah tidak|tiada|takde|xde|x ada)\b|\b(not active|no longer|not working|inactive|can'?t (access|open)|cannot (access|open)|no access|tak aktif|tidak aktif|x aktif|dah mati|tak boleh (buka|akses)|tidak boleh (buka|akses)|x boleh (buka|akses)|tak guna|tidak digunakan)\b/i;
const YES_RE = /^(yes|yeah|yep|yup|ya|yer|ye|betul|masih|boleh|ok|okay|sure|correct|still)\b|\b(still active|masih aktif|masih guna|still use)\b/i;

/** Yes or no, also in a sentence ("no, it's not active anymore", "ya masih aktif"); a negation wins. */
export function understandYesNo(text: string): boolean | undefined {
  const command = detectCommand(text);
  if (command === 'yes') return true;
  if (command === 'no') return false;
  const t = text.trim().toLowerCase();
  if (NO_RE.test(t)) return false;
  if (YES_RE.test(t)) return true;
  return undefined;
}

const yesNo = (text: string) => understandYesNo(text) === true;

function yesNoSlot(id: string, catalog: MessageCatalog, retryKey: string) {
  return slotPrompt<boolean>(id, catalog, (text) => {
    const v = understandYesNo(text);
    return v === undefined ? { ok: false, reason: retryKey } : { ok: true, value: v };
  });
}

export function maskIdentifier(id: LegacyIdentifier): string {
  return id.kind === 'email' ? maskEmail(id.value) : id.kind === 'mykad' ? maskMyKad(id.value) : maskPassport(id.value);
}

const DECOY_DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'];

/** What is shown for an identifier no account has: the masked shape of a plausible address, stable per identifier. */
export function decoyMaskedEmail(secret: Buffer, id: LegacyIdentifier): string {
  const h = Buffer.from(hmac(secret, 'decoy', id.kind, id.value.toLowerCase()), 'base64url');
  const letter = String.fromCharCode(97 + (h[0]! % 26));
  const domain = DECOY_DOMAINS[h[1]! % DECOY_DOMAINS.length]!;
  return maskEmail(`${letter}x@${domain}`);
}

interface Found {
  kind: LegacyIdentifier['kind'];
  /** Masked identifier (for the ticket summary). */
  idMasked: string;
  /** The masked registered address shown to the customer. */
  emailMasked: string;
  accountId?: string;
}

class Rollback extends Error {}

export class MigrationDialog extends ProcedureDialog {
  private readonly limits: MigrationLimits;

  constructor(private readonly deps: MigrationDialogDeps) {
    super(MIGRATION_DIALOG_ID, deps.catalog);
    this.limits = deps.limits ?? DEFAULT_MIGRATION_LIMITS;
    const parser: SlotParser<LegacyIdentifier> = (text) => {
      const r = parseIdentifier(text, this.now());
      return r.ok ? r : { ok: false, reason: r.reason };
    };
    this.addDialog(slotPrompt('migration.identifier', deps.catalog, parser, 3));
    this.addDialog(yesNoSlot('migration.confirm', deps.catalog, 'migration.confirm-retry'));
    this.addDialog(yesNoSlot('migration.ticket', deps.catalog, 'migration.offer-ticket-retry'));
    this.addDialog(
      new WaterfallDialog('migration.steps', [
        (s) => this.askIdentifier(s),
        (s) => this.lookup(s),
        (s) => this.afterConfirm(s),
        (s) => this.afterTicketOffer(s),
        (s) => s.endDialog(),
      ]),
    );
    this.initialDialogId = 'migration.steps';
  }

  private now(): Date {
    return new Date((this.deps.now ?? Date.now)());
  }

  private async askIdentifier(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as ProcedureOptions;
    const text = options.text ?? '';
    if (text) {
      const given = parseIdentifier(text, this.now());
      if (given.ok) return step.next(text);
      // a number or address was typed but is wrong: say what is wrong before asking
      if (given.reason !== 'migration.invalid.unknown' && /\d{6,}|@/.test(text)) await this.say(step.context, given.reason);
    }
    return this.ask(step, 'migration.identifier', 'migration.ask-identifier');
  }

  private async lookup(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    if (text === GAVE_UP) return this.wayOut(step, 'migration.gave-up');
    const parsed = parseIdentifier(text, this.now());
    if (!parsed.ok) return this.wayOut(step, 'migration.gave-up');
    const id = parsed.value;
    const conversation = step.context.activity.conversation?.id ?? 'unknown';
    const { perConversation, perIdentifier, windowSeconds } = this.limits;
    const byConversation = await this.deps.rateLimiter.hit('migration-lookup-conv', conversation, perConversation, windowSeconds);
    const byIdentifier = await this.deps.rateLimiter.hit('migration-lookup-id', `${id.kind}:${id.value.toLowerCase()}`, perIdentifier, windowSeconds);
    if (!byConversation.allowed || !byIdentifier.allowed) {
      const minutes = Math.max(1, Math.ceil(Math.max(byConversation.allowed ? 0 : byConversation.retryAfterSeconds, byIdentifier.allowed ? 0 : byIdentifier.retryAfterSeconds) / 60));
      this.deps.log.warn({ kind: id.kind, identifier: maskIdentifier(id), conversationLimited: !byConversation.allowed }, 'migration lookups rate-limited');
      await this.say(step.context, 'migration.rate-limited', { vars: { minutes } });
      return step.endDialog();
    }
    let account: LegacyAccount | undefined;
    try {
      account = await this.deps.directory.find(id);
    } catch (err) {
      this.deps.log.error({ err, kind: id.kind, identifier: maskIdentifier(id) }, 'legacy account lookup failed');
      await this.say(step.context, 'migration.lookup-failed');
      return step.endDialog();
    }
    const emailMasked = account ? maskEmail(account.email) : id.kind === 'email' ? maskEmail(id.value) : decoyMaskedEmail(await this.deps.secret(), id);
    const found: Found = { kind: id.kind, idMasked: maskIdentifier(id), emailMasked, ...(account ? { accountId: account.id } : {}) };
    (step.values as { found?: Found }).found = found;
    this.deps.log.info({ kind: id.kind, identifier: found.idMasked, known: !!account }, 'migration lookup');
    return this.ask(step, 'migration.confirm', 'migration.confirm', {
      vars: { email: emailMasked },
      choices: this.choices(step.context, ['migration.button.yes', 'migration.button.no']),
    });
  }

  private async afterConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    if (text === GAVE_UP) return this.wayOut(step, 'migration.gave-up-confirm');
    const found = (step.values as { found: Found }).found;
    if (yesNo(text)) {
      await this.sendLink(step.context, found);
      return step.endDialog();
    }
    // not active any more: the FAQ's answer (ebiz.old-email-invalid), then a ticket right here
    const faq = this.deps.knowledge.byId.get('ebiz.old-email-invalid')?.answer?.[this.lang(step.context)];
    await this.send(step.context, { text: faq ?? this.t(step.context, 'migration.contact-support') });
    if (!step.findDialog('ticket')) {
      await this.say(step.context, 'migration.contact-support');
      return step.endDialog();
    }
    return this.ask(step, 'migration.ticket', 'migration.offer-ticket', {
      choices: this.choices(step.context, ['migration.button.yes', 'migration.button.no']),
    });
  }

  private async afterTicketOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    const found = (step.values as { found: Found }).found;
    if (text !== GAVE_UP && yesNo(text)) {
      const options: ProcedureOptions = {
        handover: {
          from: MIGRATION_DIALOG_ID,
          category: TICKET_CATEGORY,
          summary: this.t(step.context, 'migration.ticket-summary', { email: found.emailMasked, id: found.idMasked }),
        },
      };
      return step.beginDialog('ticket', options);
    }
    await this.say(step.context, 'migration.ticket-declined', { choices: [{ title: this.t(step.context, 'button.menu'), value: 'menu' }] });
    return step.endDialog();
  }

  /** After a few wrong answers: no dead end, a ticket or the menu. */
  private async wayOut(step: WaterfallStepContext, key: string): Promise<DialogTurnResult> {
    await this.say(step.context, key, {
      choices: [
        { title: this.t(step.context, 'button.start.ticket'), value: this.t(step.context, 'button.start.ticket') },
        { title: this.t(step.context, 'button.menu'), value: 'menu' },
      ],
    });
    return step.endDialog();
  }

  /**
   * Issues the token and enqueues the e-mail in one transaction. The dedupe key is the turn's activity, so
   * a turn that runs again (state conflict) cannot send a second link. An unknown identifier gets the same
   * reply and no mail.
   */
  private async sendLink(context: TurnContext, found: Found): Promise<void> {
    const lang = this.lang(context);
    const { deps } = this;
    try {
      if (found.accountId) {
        const account = await deps.directory.get(found.accountId);
        if (account) {
          const dedupeKey = `migration:${createHash('sha256')
            .update(`${context.activity.channelId}|${context.activity.conversation?.id}|${context.activity.id ?? ''}|${account.id}`)
            .digest('base64url')}`;
          await deps.db
            .transaction()
            .execute(async (trx) => {
              const mail = account.migrated
                ? this.alreadyMigratedMail(lang, account)
                : this.linkMail(lang, account, await deps.tokens.issue(account.id, lang, trx).then((t) => `${deps.publicUrl}/migrate/${t.token}`));
              const queued = await deps.mail.enqueue({ ...mail, to: account.email, lang, dedupeKey }, trx);
              if (queued.duplicate) throw new Rollback();
            })
            .catch((err: unknown) => {
              if (!(err instanceof Rollback)) throw err;
            });
          deps.log.info({ to: maskEmail(account.email), migrated: account.migrated }, 'migration e-mail queued');
        }
      }
      await this.say(context, 'migration.sent', { vars: { email: found.emailMasked, minutes: deps.ttlMinutes } });
    } catch (err) {
      deps.log.error({ err }, 'could not queue the migration e-mail');
      await this.say(context, 'migration.send-failed');
    }
  }

  private linkMail(lang: Lang, account: LegacyAccount, link: string) {
    const c = this.deps.catalog;
    const body = renderMail(c, lang, {
      greeting: c.t(lang, 'migration.mail.greeting', { name: account.name }),
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

/**
 * MigrationDialog (issue 5): moves an old eBiz login to eBiz v2.0 by e-mail verification, as the eBiz FAQ
 * describes it. The customer gives the e-mail, MyKad or passport number used before (also already in the
 * first message); the masked registered e-mail is shown and the customer confirms it is still active; a
 * single-use link `{PUBLIC_URL}/migrate/{token}` goes out through the mail outbox; the link opens the form
 * (src/web/migration). If the e-mail is no longer active, the FAQ's answer and a ticket offer follow.
 *
 * No enumeration (issue 13): an unknown identifier gets replies of the same shape — a decoy masked address
 * drawn from the directory's own mix, keyed per identifier (src/services/migrationDecoys.ts) — and the
 * known and unknown paths do the same work: the same directory queries, the same keyed hashes, the same
 * token write and an e-mail write of the same cost (the decoy's goes to a table nothing delivers from).
 * Lookups are limited per conversation and per client address, never per identifier (a stranger must not
 * lock the owner out); what is capped per account is the number of links e-mailed, and past the cap the
 * customer is told a link was sent recently — in the same words for an unknown identifier.
 */
import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { clientAddress, turnLexicon } from '../src/bot/context';
import type { Lexicon } from '../src/language/lexicon';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { findEmails, findMyKads, findPassports, maskEmail, maskMyKad, maskPassport, parseEmail, parseMyKad, todayInKualaLumpur } from '../src/domain';
import type { KnowledgeBase, Lang } from '../src/knowledge/types';
import type { MessageCatalog } from '../src/language/catalog';
import type { Logger } from '../src/logging';
import type { LegacyIdentifier } from '../src/services/legacyAccounts';
import type { LookupResult, MigrationRequests } from '../src/services/migrationRequests';
import type { RateLimiter } from '../src/services/ports';
import { detectCommand } from '../src/language/commands';
import { GAVE_UP, ProcedureDialog, type SlotParser, slotPrompt } from './base';

export const MIGRATION_DIALOG_ID = 'migration';
export const TICKET_CATEGORY = 'ebiz-account';

export interface MigrationLimits {
  /** Lookups per conversation per window. */
  perConversation: number;
  /** Lookups per client address per window (when the channel knows the customer's address). */
  perAddress: number;
  windowSeconds: number;
  /** Links e-mailed per account (or unknown identifier) per mail window (src/services/migrationRequests.ts). */
  mailsPerAccount: number;
  /** Default: the link lifetime, so that past the cap the latest link sent still works. */
  mailWindowSeconds?: number;
}

export const DEFAULT_MIGRATION_LIMITS: MigrationLimits = { perConversation: 5, perAddress: 20, windowSeconds: 3600, mailsPerAccount: 3 };

export interface MigrationDialogDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  /** The lookups and the link requests (the same work for known and unknown identifiers). */
  requests: MigrationRequests;
  rateLimiter: RateLimiter;
  log: Logger;
  ttlMinutes: number;
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
export function understandYesNo(text: string, lex?: Lexicon): boolean | undefined {
  const command = detectCommand(text, lex);
  if (command === 'yes') return true;
  if (command === 'no') return false;
  const t = text.trim().toLowerCase();
  if (NO_RE.test(t)) return false;
  if (YES_RE.test(t)) return true;
  return undefined;
}

const yesNo = (text: string, lex?: Lexicon) => understandYesNo(text, lex) === true;

function yesNoSlot(id: string, catalog: MessageCatalog, retryKey: string) {
  return slotPrompt<boolean>(id, catalog, (text, context) => {
    const v = understandYesNo(text, turnLexicon(context));
    return v === undefined ? { ok: false, reason: retryKey } : { ok: true, value: v };
  });
}

export function maskIdentifier(id: LegacyIdentifier): string {
  return id.kind === 'email' ? maskEmail(id.value) : id.kind === 'mykad' ? maskMyKad(id.value) : maskPassport(id.value);
}

interface Found extends LookupResult {
  kind: LegacyIdentifier['kind'];
  /** Masked identifier (for the ticket summary). */
  idMasked: string;
}

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
    const conversation = `${step.context.activity.channelId}:${step.context.activity.conversation?.id ?? 'unknown'}`;
    const address = clientAddress(step.context);
    const { perConversation, perAddress, windowSeconds } = this.limits;
    const byConversation = await this.deps.rateLimiter.hit('migration-lookup-conv', conversation, perConversation, windowSeconds);
    // a lookup the conversation's limit already refused does not use up the address's budget as well
    const byAddress =
      address && byConversation.allowed ? await this.deps.rateLimiter.hit('migration-lookup-addr', address, perAddress, windowSeconds) : undefined;
    const refused = [byConversation, byAddress].filter((r) => r && !r.allowed);
    if (refused.length > 0) {
      const minutes = Math.max(1, Math.ceil(Math.max(...refused.map((r) => r!.retryAfterSeconds)) / 60));
      this.deps.log.warn({ kind: id.kind, conversationLimited: !byConversation.allowed, addressLimited: !!byAddress && !byAddress.allowed }, 'migration lookups rate-limited');
      await this.say(step.context, 'migration.rate-limited', { vars: { minutes } });
      return step.endDialog();
    }
    let found: Found;
    try {
      found = { kind: id.kind, idMasked: maskIdentifier(id), ...(await this.deps.requests.lookup(id)) };
    } catch (err) {
      this.deps.log.error({ err, kind: id.kind, identifier: maskIdentifier(id) }, 'legacy account lookup failed');
      await this.say(step.context, 'migration.lookup-failed');
      return step.endDialog();
    }
    (step.values as { found?: Found }).found = found;
    this.deps.log.info({ kind: id.kind, identifier: found.idMasked }, 'migration lookup');
    return this.ask(step, 'migration.confirm', 'migration.confirm', {
      vars: { email: found.emailMasked },
      choices: this.choices(step.context, ['migration.button.yes', 'migration.button.no']),
    });
  }

  private async afterConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    if (text === GAVE_UP) return this.wayOut(step, 'migration.gave-up-confirm');
    const found = (step.values as { found: Found }).found;
    if (yesNo(text, turnLexicon(step.context))) {
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
    if (text !== GAVE_UP && yesNo(text, turnLexicon(step.context))) {
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
   * The link (or, for an unknown identifier, the same work and no mail), named by the turn's activity so a
   * turn that runs again cannot send a second one; past the mail cap, "sent recently" — the same for both.
   */
  private async sendLink(context: TurnContext, found: Found): Promise<void> {
    const { deps } = this;
    const { activity } = context;
    try {
      const outcome = await deps.requests.requestLink(found, this.lang(context), `${activity.channelId}|${activity.conversation?.id}|${activity.id ?? ''}`);
      const key = outcome === 'capped' ? 'migration.already-sent' : 'migration.sent';
      await this.say(context, key, { vars: { email: found.emailMasked, minutes: deps.ttlMinutes } });
    } catch (err) {
      deps.log.error({ err }, 'could not queue the migration e-mail');
      await this.say(context, 'migration.send-failed');
    }
  }
}

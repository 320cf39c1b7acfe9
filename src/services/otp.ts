/**
 * One-time codes that prove a customer holds a phone line: 6 digits from crypto.randomInt, stored only as a
 * salted hash, valid OTP_TTL_SECONDS, OTP_MAX_TRIES wrong answers per code, one live code per line and
 * conversation.
 *
 * Against SMS pumping and line enumeration:
 * - an SMS goes only to a line of the subscriber directory. Any other number gets a decoy record (a hash no
 *   6-digit code matches) through the same steps, so the reply, the limits and the failure of every code
 *   typed afterwards are the same whether or not the number is a customer's line;
 * - every request counts against its conversation and its client address (when the edge knows it), over a
 *   sliding window; over either limit the requester is told to wait (again the same for any number);
 * - SMS_HOURLY_BUDGET caps the SMS of all instances in any hour; when it is spent, every request (line or not)
 *   is refused politely, an error is logged once per clock hour and bot_sms_budget_exhausted_total counts.
 *
 * The per-line limit and the real owner. OTP_SENDS_PER_LINE caps the SMS SENT to one number per window, so
 * strangers cannot pump (or flood) one line; it never refuses the owner: a request over that cap sends
 * nothing new but binds the requesting conversation to the number's latest live code, which is already on
 * the owner's phone (whoever asked for it), with tries of its own. A stranger's requests and wrong guesses
 * count against the stranger's conversation and address and only use up the stranger's own copies of a
 * code, never the owner's. The one limit shared by everyone on a line is OTP_GUESSES_PER_LINE, the bound on
 * brute force (at most that many guesses at a line's codes in any window, whichever conversations they come
 * from: a 1-in-100,000 chance per window at the default 10); one conversation or address can spend only
 * OTP_GUESSES_PER_CLIENT of it (default 5, half), so a single stranger cannot shut the owner out, and a
 * distributed attacker who does can hold the check off for one window at a time only while spending
 * addresses — the owner then still has WhatsApp (the sender is verified there, no code) or a Digi Store.
 * The only case where the owner must wait is when the number's send cap is reached and its latest code has
 * expired or been used: then the reply says when to try again (the same reply for any number).
 *
 * Against guessing: every guess is logged per line (all conversations), per conversation and per address over
 * a sliding window (services/slidingLog.ts), so no window of OTP_WINDOW_SECONDS, wherever it starts, holds
 * more guesses than the limits, and a fresh code does not give a stranger fresh guesses.
 *
 * Crash safety: the code's record and its SMS (services/smsOutbox.ts) are committed in one transaction
 * before the dialog replies "sent". A conversation whose reply was lost to a crash finds its code again:
 * asking again (not a resend) reuses the live code instead of sending a new one, and a code typed where the
 * number was expected is checked against the conversation's pending code (pendingLine()).
 *
 * Codes are never logged, and the SMS text leaves the process only through the SmsSender.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Engine } from '../db/schema';
import type { Logger } from '../logging';
import { type SlidingCheck, SlidingLog, bucketOf } from './slidingLog';
import type { SmsOutbox } from './smsOutbox';
import type { Metrics } from './metrics';
import type { SubscriberDirectory } from './subscribers';

interface OtpCodesTable {
  key: string;
  salt: string;
  code_hash: string;
  expires_at: number | string;
  tries_left: number;
  created_at: number | string;
  msisdn: string | null;
  conversation_key: string | null;
}

declare module '../db/schema' {
  interface DB {
    otp_codes: OtpCodesTable;
  }
}

export interface OtpOptions {
  ttlSeconds: number;
  maxTries: number;
  /** The sliding window of every per-line, per-conversation and per-address limit (default 900 s). */
  windowSeconds?: number;
  /** SMS sent to one number per window (default 3); more requests bind to its latest live code. */
  sendsPerLine?: number;
  /** Code requests per conversation per window (default 3). */
  sendsPerConversation?: number;
  /** Code requests per client address per window (default 10). */
  sendsPerAddress?: number;
  /** Guesses at one line's codes per window, all conversations together (default 10). */
  guessesPerLine?: number;
  /** Guesses per conversation and per client address per window (default 5). */
  guessesPerClient?: number;
  /** SMS in any hour, all instances together (default 500). */
  hourlyBudget?: number;
  now?: () => number;
}

export type IssueResult =
  | { ok: true; expiresInSeconds: number }
  /** This conversation or address asked too often, or the number's send cap is reached with no live code. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
  /** The hourly SMS budget is spent. */
  | { ok: false; reason: 'unavailable'; retryAfterSeconds: number };

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  /** No tries left: a new code is needed. */
  | { ok: false; reason: 'too-many-tries' }
  | { ok: false; reason: 'expired' }
  /** Too many guesses at this line, or from this conversation or address, within the window. */
  | { ok: false; reason: 'guess-limited'; retryAfterSeconds: number }
  /** No code was issued for this line in this conversation. */
  | { ok: false; reason: 'none' };

export const OTP_LENGTH = 6;
const HOUR = 3_600_000;
const BUDGET = 'sms-budget';

export interface OtpDeps {
  db: Kysely<DB>;
  engine: Engine;
  directory: SubscriberDirectory;
  outbox: SmsOutbox;
  log: Logger;
  /** Counts code requests refused for the hourly SMS budget. */
  metrics?: Pick<Metrics, 'sms'>;
}

export class OtpService {
  private readonly now: () => number;
  private readonly sliding: SlidingLog;
  private alarmedHour = -1;

  constructor(
    private readonly deps: OtpDeps,
    private readonly options: OtpOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sliding = new SlidingLog(deps.engine, this.now);
  }

  /** How long a code is valid. */
  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  private get windowMs(): number {
    return (this.options.windowSeconds ?? 900) * 1000;
  }

  private key(msisdn: string, conversationId: string): string {
    return createHash('sha256').update(`plan-switch\u0000${conversationId}\u0000${msisdn}`).digest('hex');
  }

  private static conversationKey(conversationId: string): string {
    return createHash('sha256').update(`plan-switch\u0000${conversationId}`).digest('hex');
  }

  private static hash(salt: string, code: string): string {
    return createHmac('sha256', salt).update(code).digest('hex');
  }

  private budgetCheck(): SlidingCheck {
    return { bucket: BUDGET, limit: this.options.hourlyBudget ?? 500, windowMs: HOUR };
  }

  private exhausted(retryAfterMs: number): IssueResult {
    this.deps.metrics?.sms('budget_exhausted');
    const hour = Math.floor(this.now() / HOUR);
    if (this.alarmedHour !== hour) {
      this.alarmedHour = hour;
      this.deps.log.error(
        { alarm: 'sms-budget-exhausted', budget: this.options.hourlyBudget ?? 500 },
        'SMS budget exhausted: one-time codes are refused until the hourly budget frees up (SMS_HOURLY_BUDGET)',
      );
    }
    return { ok: false, reason: 'unavailable', retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
  }

  /**
   * Gives this conversation a code for the number, and sends it by SMS (through the outbox) when the number
   * is a line of ours and its send cap allows; `message(code, minutes)` is the SMS text. `resend`: the
   * customer asked for a new code (else a live code this conversation already has is reused). Throws when
   * the subscriber directory or the database fails.
   */
  async issue(input: {
    msisdn: string;
    conversationId: string;
    address?: string;
    resend?: boolean;
    message: (code: string, minutes: number) => string;
  }): Promise<IssueResult> {
    const { db } = this.deps;
    const key = this.key(input.msisdn, input.conversationId);
    if (!input.resend) {
      // the customer asks again without having seen a code (a reply lost to a crash, a restarted check):
      // the live code stands, and no second SMS goes out
      const live = await db.selectFrom('otp_codes').select(['expires_at', 'tries_left']).where('key', '=', key).executeTakeFirst();
      const left = live ? Number(live.expires_at) - this.now() : 0;
      if (live && left > 0 && Number(live.tries_left) > 0) return { ok: true, expiresInSeconds: Math.ceil(left / 1000) };
    }
    const budget = this.budgetCheck();
    const peek = await this.sliding.check(db, [budget]);
    if (!peek.allowed) return this.exhausted(peek.retryAfterMs);
    const isLine = (await this.deps.directory.findLine(input.msisdn)) !== undefined;

    const W = this.windowMs;
    const requester: SlidingCheck[] = [{ bucket: bucketOf('send-conversation', input.conversationId), limit: this.options.sendsPerConversation ?? 3, windowMs: W }];
    if (input.address) requester.push({ bucket: bucketOf('send-address', input.address), limit: this.options.sendsPerAddress ?? 10, windowMs: W });
    const line: SlidingCheck = { bucket: bucketOf('send-line', input.msisdn), limit: this.options.sendsPerLine ?? 3, windowMs: W };

    let queued = false;
    const result = await db.transaction().execute(async (trx): Promise<IssueResult> => {
      await this.sliding.lock(trx, [...requester.map((c) => c.bucket), line.bucket, BUDGET]);
      const asked = await this.sliding.check(trx, requester);
      if (!asked.allowed) return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.ceil(asked.retryAfterMs / 1000) };
      const now = this.now();
      const lineVerdict = await this.sliding.check(trx, [line]);
      // both paths run the budget query, line or not, so the work (and the time) does not tell them apart
      const budgetVerdict = await this.sliding.check(trx, [budget]);
      let record: { salt: string; code_hash: string; expires_at: number };
      if (lineVerdict.allowed) {
        if (!budgetVerdict.allowed) return this.exhausted(budgetVerdict.retryAfterMs);
        const code = String(randomInt(0, 10 ** OTP_LENGTH)).padStart(OTP_LENGTH, '0');
        const salt = randomBytes(16).toString('hex');
        const expiresAt = now + this.options.ttlSeconds * 1000;
        // not a line of ours: a decoy that no 6-digit code matches, and no SMS
        record = { salt, code_hash: OtpService.hash(salt, isLine ? code : randomBytes(16).toString('hex')), expires_at: expiresAt };
        // the same statements either way (an empty "void" outbox row for a decoy), so that the time a
        // request takes does not tell a line from another number
        if (isLine) {
          await this.deps.outbox.enqueue(trx, { to: input.msisdn, text: input.message(code, Math.ceil(this.options.ttlSeconds / 60)), kind: 'otp', expiresAt });
          queued = true;
        } else {
          await this.deps.outbox.enqueueVoid(trx);
        }
        await this.sliding.record(trx, [...requester.map((c) => c.bucket), line.bucket, ...(isLine ? [BUDGET] : [])]);
      } else {
        // the number's send cap is reached: bind this conversation to its latest live code (on the owner's
        // phone already), sending nothing; the request still counts against this conversation and address
        const latest = await trx
          .selectFrom('otp_codes')
          .select(['salt', 'code_hash', 'expires_at'])
          .where('msisdn', '=', input.msisdn)
          .where('expires_at', '>', now)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (!latest) return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.ceil(lineVerdict.retryAfterMs / 1000) };
        record = { salt: latest.salt, code_hash: latest.code_hash, expires_at: Number(latest.expires_at) };
        await this.sliding.record(trx, requester.map((c) => c.bucket));
      }
      const row = {
        key,
        ...record,
        tries_left: this.options.maxTries,
        created_at: now,
        msisdn: input.msisdn,
        conversation_key: OtpService.conversationKey(input.conversationId),
      };
      const { key: _key, ...update } = row;
      await trx
        .insertInto('otp_codes')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet(update))
        .execute();
      return { ok: true, expiresInSeconds: Math.ceil((record.expires_at - now) / 1000) };
    });
    if (queued) this.deps.outbox.kick();
    return result;
  }

  /** Checks a typed code. A right code is used up; a wrong one costs a try; every guess counts against the limits. */
  async verify(input: { msisdn: string; conversationId: string; address?: string; code: string }): Promise<VerifyResult> {
    const { db } = this.deps;
    const key = this.key(input.msisdn, input.conversationId);
    const row = await db.selectFrom('otp_codes').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row) return { ok: false, reason: 'none' };
    if (this.now() >= Number(row.expires_at)) {
      await db.deleteFrom('otp_codes').where('key', '=', key).execute();
      return { ok: false, reason: 'expired' };
    }
    if (row.tries_left <= 0) return { ok: false, reason: 'too-many-tries' };

    const W = this.windowMs;
    const client = this.options.guessesPerClient ?? 5;
    const checks: SlidingCheck[] = [
      { bucket: bucketOf('guess-line', input.msisdn), limit: this.options.guessesPerLine ?? 10, windowMs: W },
      { bucket: bucketOf('guess-conversation', input.conversationId), limit: client, windowMs: W },
    ];
    if (input.address) checks.push({ bucket: bucketOf('guess-address', input.address), limit: client, windowMs: W });
    const verdict = await db.transaction().execute(async (trx) => {
      await this.sliding.lock(trx, checks.map((c) => c.bucket));
      const v = await this.sliding.check(trx, checks);
      if (v.allowed) await this.sliding.record(trx, checks.map((c) => c.bucket));
      return v;
    });
    if (!verdict.allowed) {
      if (verdict.bucket === checks[0]!.bucket) this.deps.log.warn({ alarm: 'otp-guess-limit' }, 'one-time code guesses at one line reached the limit');
      return { ok: false, reason: 'guess-limited', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
    }

    const typed = input.code.replace(/\s+/g, '');
    const expected = Buffer.from(row.code_hash, 'hex');
    const actual = Buffer.from(OtpService.hash(row.salt, typed), 'hex');
    if (/^\d{6}$/.test(typed) && timingSafeEqual(expected, actual)) {
      // used up everywhere: the copies other conversations were bound to die with it
      await db.deleteFrom('otp_codes').where('msisdn', '=', input.msisdn).where('code_hash', '=', row.code_hash).execute();
      await db.deleteFrom('otp_codes').where('key', '=', key).execute();
      return { ok: true };
    }
    // decrement atomically; the guard keeps two concurrent wrong answers from going below zero
    await db
      .updateTable('otp_codes')
      .set((eb) => ({ tries_left: eb('tries_left', '-', 1) }))
      .where('key', '=', key)
      .where('tries_left', '>', 0)
      .execute();
    const after = await db.selectFrom('otp_codes').select('tries_left').where('key', '=', key).executeTakeFirst();
    const triesLeft = Math.max(0, Number(after?.tries_left ?? 0));
    return triesLeft > 0 ? { ok: false, reason: 'wrong', triesLeft } : { ok: false, reason: 'too-many-tries' };
  }

  /** The number this conversation's newest live code is for (a conversation whose "code sent" reply was lost). */
  async pendingLine(conversationId: string): Promise<string | undefined> {
    const row = await this.deps.db
      .selectFrom('otp_codes')
      .select('msisdn')
      .where('conversation_key', '=', OtpService.conversationKey(conversationId))
      .where('expires_at', '>', this.now())
      .where('tries_left', '>', 0)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.msisdn ?? undefined;
  }
}

/**
 * One-time codes that prove a customer holds a phone line: 6 digits from crypto.randomInt, stored only as a
 * salted hash, valid OTP_TTL_SECONDS (5 minutes), OTP_MAX_TRIES wrong answers (3), one live code per line and
 * conversation. Sending is rate-limited per line and per conversation.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { RateLimiter, SmsSender } from './ports';

interface OtpCodesTable {
  key: string;
  salt: string;
  code_hash: string;
  expires_at: number | string;
  tries_left: number;
  created_at: number | string;
}

declare module '../db/schema' {
  interface DB {
    otp_codes: OtpCodesTable;
  }
}

export interface OtpOptions {
  ttlSeconds: number;
  maxTries: number;
  /** Codes sent to one line per window (default 3 per 15 minutes). */
  perLineLimit?: number;
  /** Codes sent from one conversation per window (default 5 per 15 minutes). */
  perConversationLimit?: number;
  windowSeconds?: number;
  now?: () => number;
}

export type IssueResult =
  | { ok: true; expiresInSeconds: number }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  /** No tries left: a new code is needed. */
  | { ok: false; reason: 'too-many-tries' }
  | { ok: false; reason: 'expired' }
  /** No code was issued for this line in this conversation. */
  | { ok: false; reason: 'none' };

export const OTP_LENGTH = 6;

export class OtpService {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sms: SmsSender,
    private readonly limiter: RateLimiter,
    private readonly options: OtpOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** How long a code is valid. */
  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  private key(msisdn: string, conversationId: string): string {
    return createHash('sha256').update(`plan-switch\u0000${conversationId}\u0000${msisdn}`).digest('hex');
  }

  private static hash(salt: string, code: string): string {
    return createHmac('sha256', salt).update(code).digest('hex');
  }

  /**
   * Creates a code for the line (replacing an earlier one of this conversation) and sends it by SMS with the
   * text `message(code, minutes)`. The rate limits are checked before anything is stored or sent.
   */
  async issue(input: { msisdn: string; conversationId: string; message: (code: string, minutes: number) => string }): Promise<IssueResult> {
    const window = this.options.windowSeconds ?? 900;
    const perLine = await this.limiter.hit('otp-line', input.msisdn, this.options.perLineLimit ?? 3, window);
    const perConversation = await this.limiter.hit('otp-conversation', input.conversationId, this.options.perConversationLimit ?? 5, window);
    if (!perLine.allowed || !perConversation.allowed) {
      return {
        ok: false,
        reason: 'rate-limited',
        retryAfterSeconds: Math.max(perLine.allowed ? 0 : perLine.retryAfterSeconds, perConversation.allowed ? 0 : perConversation.retryAfterSeconds),
      };
    }
    const code = String(randomInt(0, 10 ** OTP_LENGTH)).padStart(OTP_LENGTH, '0');
    const salt = randomBytes(16).toString('hex');
    const now = this.now();
    const row = {
      key: this.key(input.msisdn, input.conversationId),
      salt,
      code_hash: OtpService.hash(salt, code),
      expires_at: now + this.options.ttlSeconds * 1000,
      tries_left: this.options.maxTries,
      created_at: now,
    };
    const { key: _key, ...update } = row;
    await this.db
      .insertInto('otp_codes')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet(update))
      .execute();
    await this.sms.send({ to: input.msisdn, text: input.message(code, Math.ceil(this.options.ttlSeconds / 60)), kind: 'otp' });
    return { ok: true, expiresInSeconds: this.options.ttlSeconds };
  }

  /** Checks a typed code. A right code is used up; a wrong one costs a try. */
  async verify(input: { msisdn: string; conversationId: string; code: string }): Promise<VerifyResult> {
    const key = this.key(input.msisdn, input.conversationId);
    const row = await this.db.selectFrom('otp_codes').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row) return { ok: false, reason: 'none' };
    if (this.now() >= Number(row.expires_at)) {
      await this.db.deleteFrom('otp_codes').where('key', '=', key).execute();
      return { ok: false, reason: 'expired' };
    }
    if (row.tries_left <= 0) return { ok: false, reason: 'too-many-tries' };
    const typed = input.code.replace(/\s+/g, '');
    const expected = Buffer.from(row.code_hash, 'hex');
    const actual = Buffer.from(OtpService.hash(row.salt, typed), 'hex');
    if (/^\d{6}$/.test(typed) && timingSafeEqual(expected, actual)) {
      await this.db.deleteFrom('otp_codes').where('key', '=', key).execute();
      return { ok: true };
    }
    // decrement atomically; the guard keeps two concurrent wrong answers from going below zero
    await this.db
      .updateTable('otp_codes')
      .set((eb) => ({ tries_left: eb('tries_left', '-', 1) }))
      .where('key', '=', key)
      .where('tries_left', '>', 0)
      .execute();
    const after = await this.db.selectFrom('otp_codes').select('tries_left').where('key', '=', key).executeTakeFirst();
    const triesLeft = Math.max(0, Number(after?.tries_left ?? 0));
    return triesLeft > 0 ? { ok: false, reason: 'wrong', triesLeft } : { ok: false, reason: 'too-many-tries' };
  }

  /** Removes codes that expired long ago. */
  async purge(): Promise<void> {
    await this.db.deleteFrom('otp_codes').where('expires_at', '<', this.now() - 86_400_000).execute();
  }
}

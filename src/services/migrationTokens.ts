/**
 * Single-use migration tokens: 32 random bytes (base64url) handed to the customer in the e-mail link,
 * stored only as their SHA-256 hash, valid for MIGRATION_TOKEN_TTL_MINUTES, burned by the form's submit.
 * Also the server-side secrets (CSRF keys), shared by every instance through the database.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Lang } from '../knowledge/types';
import type { Db } from './ports';

export interface MigrationTokensTable {
  token_hash: string;
  account_id: string;
  lang: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** SHA-256 of the form nonce whose submit completed the migration (migration 0110). */
  completion_hash: string | null;
}

export interface MigrationSecretsTable {
  name: string;
  value: string;
}

declare module '../db/schema' {
  interface DB {
    migration_tokens: MigrationTokensTable;
    migration_secrets: MigrationSecretsTable;
  }
}

/** The shape of a token in a URL: 43 base64url characters. */
export const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type TokenState =
  | { status: 'valid'; accountId: string; lang: Lang; expiresAt: string; tokenHash: string }
  | { status: 'expired'; lang: Lang }
  /** `completionHash`: the nonce hash of the submit that completed the migration (to recognise its resubmit). */
  | { status: 'used'; lang: Lang; tokenHash: string; accountId: string; completionHash?: string }
  | { status: 'unknown' };

/**
 * The account id of the tokens issued for an identifier no account has (burned at birth, never mailed): one
 * per identifier, so that superseding its earlier tokens touches as few rows as a real account's would (one
 * shared id would make the unknown path slower as decoys pile up — a timing oracle).
 */
export function decoyAccountId(idKey: string): string {
  return `~decoy:${idKey.slice(0, 32)}`;
}

export class MigrationTokens {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: { ttlMinutes: number; now?: () => number },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * A new token for an account; earlier unused tokens of the account stop working. `burned`: the token is
   * created already used (the decoy path and an account already migrated do the same writes as a real link).
   */
  async issue(accountId: string, lang: Lang, db: Db = this.db, options: { burned?: boolean } = {}): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const now = this.now();
    const nowIso = new Date(now).toISOString();
    const expiresAt = new Date(now + this.options.ttlMinutes * 60_000);
    await db
      .updateTable('migration_tokens')
      .set({ expires_at: nowIso })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .execute();
    await db
      .insertInto('migration_tokens')
      .values({
        token_hash: tokenHash,
        account_id: accountId,
        lang,
        created_at: nowIso,
        expires_at: expiresAt.toISOString(),
        used_at: options.burned ? nowIso : null,
        completion_hash: null,
      })
      .execute();
    return { token, tokenHash, expiresAt };
  }

  async inspect(token: string): Promise<TokenState> {
    if (!TOKEN_RE.test(token)) return { status: 'unknown' };
    const tokenHash = hashToken(token);
    const row = await this.db.selectFrom('migration_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!row) return { status: 'unknown' };
    const lang: Lang = row.lang === 'en' ? 'en' : 'ms';
    if (row.used_at) {
      return { status: 'used', lang, tokenHash, accountId: row.account_id, ...(row.completion_hash ? { completionHash: row.completion_hash } : {}) };
    }
    if (row.expires_at <= new Date(this.now()).toISOString()) return { status: 'expired', lang };
    return { status: 'valid', accountId: row.account_id, lang, expiresAt: row.expires_at, tokenHash };
  }

  /**
   * Burns a valid token (one conditional UPDATE: of two concurrent submits, one wins), recording the hash of
   * the completing form's nonce in the caller's transaction.
   */
  async consume(token: string, db: Db = this.db, completionHash: string | null = null): Promise<boolean> {
    if (!TOKEN_RE.test(token)) return false;
    const nowIso = new Date(this.now()).toISOString();
    const result = await db
      .updateTable('migration_tokens')
      .set({ used_at: nowIso, completion_hash: completionHash })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

/** A named random secret, created once and shared by every instance through the database. */
export async function sharedSecret(db: Kysely<DB>, name: string): Promise<Buffer> {
  await db
    .insertInto('migration_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('migration_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}

export function hmac(secret: Buffer, ...parts: string[]): string {
  return createHmac('sha256', secret).update(parts.join('\u0000')).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

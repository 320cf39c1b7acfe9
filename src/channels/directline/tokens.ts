/**
 * Conversation tokens of the bot's own Direct Line: HS256 JSON Web Tokens signed with the installation's
 * key (kept in the database). A token names one conversation and one user, so one browser cannot read or
 * write another's conversation. Web Chat reads the `user` claim to know its own user id, as it does with
 * Azure's tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** The conversation the token opens. */
  conv: string;
  /** The user id every activity posted with this token carries. */
  user: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** How long a conversation token lives; Web Chat refreshes it every 15 minutes. */
export const TOKEN_TTL_SECONDS = 3600;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export class TokenSigner {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  sign(claims: { conv: string; user: string }, ttlSeconds = TOKEN_TTL_SECONDS): string {
    const iat = Math.floor(this.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ conv: claims.conv, user: claims.user, iat, exp: iat + ttlSeconds })).toString('base64url');
    return `${HEADER}.${payload}.${this.mac(`${HEADER}.${payload}`)}`;
  }

  /** The claims of a valid, unexpired token; undefined for anything else (never throws). */
  verify(token: string | undefined): TokenClaims | undefined {
    if (!token || token.length > 2048) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Partial<TokenClaims>;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return undefined;
    }
    if (typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number') return undefined;
    if (claims.exp * 1000 <= this.now()) return undefined;
    return { conv: claims.conv, user: claims.user, exp: claims.exp };
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

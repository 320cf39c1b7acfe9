/**
 * Conversation tokens of the bot's own Direct Line: HS256 JSON Web Tokens signed with the installation's
 * key (kept in the database). A token names one conversation and one user, so one browser cannot read or
 * write another's conversation. Web Chat reads the `user` claim to know its own user id, as it does with
 * Azure's tokens. A token also carries when its conversation began (`start`): a refresh keeps it, and no
 * token is valid past `start` + the conversation's lifetime (DIRECT_LINE_CONVERSATION_MAX_HOURS), so a
 * conversation cannot be kept alive for ever by refreshing its token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** The conversation the token opens. */
  conv: string;
  /** The user id every activity posted with this token carries. */
  user: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** When the conversation's first token was issued, seconds since the epoch. */
  start: number;
  /** 'stream': a token that only opens the conversation's WebSocket stream (the `t=` of a streamUrl). */
  scope?: 'stream';
}

/**
 * How long a streamUrl can be used: "The client must use the new WebSocket stream URL to reconnect to the
 * conversation within 60 seconds" (Direct Line 3.0, Reconnect to a conversation).
 */
export const STREAM_TOKEN_TTL_SECONDS = 60;

/** How long a conversation token lives; Web Chat refreshes it every 15 minutes. */
export const TOKEN_TTL_SECONDS = 3600;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export class TokenSigner {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
    /** The longest a conversation lives, in seconds (its tokens expire by then at the latest). */
    private readonly maxLifetimeSeconds = Number.POSITIVE_INFINITY,
  ) {}

  /** A token for the conversation; `start` (kept from the token being refreshed) defaults to now. */
  sign(claims: { conv: string; user: string; start?: number; scope?: 'stream' }, ttlSeconds?: number): string {
    return this.issue(claims, ttlSeconds).token;
  }

  /** A token and how many seconds it is valid (less than the TTL near the end of the conversation's lifetime). */
  issue(
    claims: { conv: string; user: string; start?: number; scope?: 'stream' },
    ttlSeconds = claims.scope === 'stream' ? STREAM_TOKEN_TTL_SECONDS : TOKEN_TTL_SECONDS,
  ): { token: string; expiresIn: number } {
    const iat = Math.floor(this.now() / 1000);
    const start = claims.start ?? iat;
    const exp = Math.min(iat + ttlSeconds, start + this.maxLifetimeSeconds);
    const payload = Buffer.from(
      JSON.stringify({ conv: claims.conv, user: claims.user, start, iat, exp, ...(claims.scope ? { scope: claims.scope } : {}) }),
    ).toString('base64url');
    return { token: `${HEADER}.${payload}.${this.mac(`${HEADER}.${payload}`)}`, expiresIn: Math.max(0, exp - iat) };
  }

  /** The claims of a valid, unexpired token; undefined for anything else (never throws). */
  verify(token: string | undefined): TokenClaims | undefined {
    if (!token || token.length > 2048) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Partial<TokenClaims> & { iat?: unknown };
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return undefined;
    }
    if (typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number') return undefined;
    // tokens issued before `start` existed began their conversation no earlier than they were issued
    const start = typeof claims.start === 'number' ? claims.start : typeof claims.iat === 'number' ? claims.iat : undefined;
    if (start === undefined) return undefined;
    const now = this.now();
    if (claims.exp * 1000 <= now) return undefined;
    // the lifetime as configured now, even for a token issued under a longer one
    if ((start + this.maxLifetimeSeconds) * 1000 <= now) return undefined;
    if (claims.scope !== undefined && claims.scope !== 'stream') return undefined;
    return { conv: claims.conv, user: claims.user, exp: claims.exp, start, ...(claims.scope ? { scope: claims.scope } : {}) };
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

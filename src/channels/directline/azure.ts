/**
 * A real website behind Azure Bot Service: the page asks the bot's /api/directline/token for a Direct Line
 * token, which the bot gets by exchanging DIRECT_LINE_SECRET at Azure's Direct Line (the secret never
 * reaches the browser). The base URL is a parameter so tests point it at a local server.
 */
import { randomBytes } from 'node:crypto';
import { type HttpResponse, httpRequest, parseJson } from '../../services/http/client';

export const AZURE_DIRECT_LINE_URL = 'https://directline.botframework.com/v3/directline';

export interface AzureToken {
  token: string;
  conversationId: string;
  expires_in: number;
  userId: string;
}

export class AzureTokenError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AzureTokenError';
  }
}

/**
 * POST {baseUrl}/tokens/generate with the secret; the user id is bound into the token (the "dl_" prefix
 * tells Direct Line it came from a trusted server), so the browser cannot claim another user's id.
 */
export async function generateAzureToken(
  secret: string,
  options: { baseUrl?: string; userId?: string; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<AzureToken> {
  const userId = options.userId ?? `dl_${randomBytes(12).toString('hex')}`;
  let res: HttpResponse;
  try {
    res = await httpRequest({
      service: 'Direct Line',
      url: `${(options.baseUrl ?? AZURE_DIRECT_LINE_URL).replace(/\/+$/, '')}/tokens/generate`,
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, accept: 'application/json' },
      json: { user: { id: userId } },
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (err) {
    throw new AzureTokenError((err as Error).message); // "Direct Line unreachable (ECONNREFUSED)", "Direct Line: no answer within 10000 ms"
  }
  if (!res.ok) throw new AzureTokenError(`Direct Line refused the token request (HTTP ${res.status})`, res.status);
  let body: { token?: unknown; conversationId?: unknown; expires_in?: unknown };
  try {
    body = (parseJson(res, 'Direct Line') ?? {}) as typeof body; // JSON null: "without a token" below
  } catch {
    throw new AzureTokenError('Direct Line answered with something that is not JSON', res.status);
  }
  if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
    throw new AzureTokenError('Direct Line answered without a token', res.status);
  }
  return {
    token: body.token,
    conversationId: body.conversationId,
    expires_in: typeof body.expires_in === 'number' ? body.expires_in : 3600,
    userId,
  };
}

/** Small HTTP helpers shared by every route of the server and the features. */
import type { Response } from 'restify';

/**
 * A JSON answer, never cached (every JSON endpoint here answers about one customer or one request).
 * `serialise` replaces JSON.stringify where the reader needs more (staff output escapes control characters).
 */
export function sendJson(res: Response, status: number, body: unknown, serialise: (body: unknown) => string = JSON.stringify): void {
  res.status(status);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(serialise(body));
}

/** What a client is told to wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 15;

/**
 * The status of a request that failed unexpectedly: 503 when the database does not answer (an outage the
 * client should retry after a while, with Retry-After set on the response), else 500. Asking the database
 * itself, as the turn's apology does, tells an outage from a bug whatever the driver's error looks like.
 */
export async function failureStatus(res: Response, databaseAnswers: () => Promise<boolean>): Promise<500 | 503> {
  let answers = false;
  try {
    answers = await databaseAnswers();
  } catch {
    answers = false;
  }
  if (answers) return 500;
  res.setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return 503;
}

/** Small HTTP helpers shared by every route of the server and the features. */
import type { Response } from 'restify';

/** A JSON answer, never cached (every JSON endpoint here answers about one customer or one request). */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

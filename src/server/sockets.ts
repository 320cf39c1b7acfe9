/**
 * Bounds on what one client connection can hold: how long it may take to send its headers and its whole
 * request, how long an idle keep-alive connection stays, and how many connections the process keeps open
 * at most (so the database and files always have descriptors left, whatever arrives).
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { Config } from '../config';

type SocketSettings = Pick<Config, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS'>;

/** The soft limit on open files of this process (Linux: /proc/self/limits), or undefined when unknown or unlimited. */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (!match || match[1] === 'unlimited') return undefined;
  return Number(match[1]);
}

/** HTTP_MAX_CONNECTIONS, or for 0 (automatic) 90% of the open-file limit less a reserve; undefined = no cap. */
export function maxConnections(setting: number, fileLimit: number | undefined): number | undefined {
  if (setting > 0) return setting;
  if (fileLimit === undefined) return undefined;
  return Math.max(16, Math.floor(fileLimit * 0.9) - 32);
}

/** Sets the limits on the node server; call before it listens (the timeouts' checking interval is read then). */
export function applySocketLimits(server: Server, settings: SocketSettings): void {
  server.headersTimeout = settings.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = settings.HTTP_REQUEST_TIMEOUT_MS;
  // node checks both timeouts only every 30 s by default, so a slow client could hold its socket for
  // timeout + 30 s: check a few times per headers timeout instead (a cheap walk over the open requests)
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(250, Math.min(5000, Math.floor(settings.HTTP_HEADERS_TIMEOUT_MS / 4)));
  server.keepAliveTimeout = settings.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  const cap = maxConnections(settings.HTTP_MAX_CONNECTIONS, settings.HTTP_MAX_CONNECTIONS > 0 ? undefined : openFileLimit());
  if (cap !== undefined) server.maxConnections = cap;
}

/**
 * Every HTTP Upgrade request (WebSocket or anything else) gets an answer at once: a registered WebSocket
 * endpoint that accepts it takes the socket over (the Direct Line stream); otherwise an answer and the
 * socket closed.
 * restify forwards node's 'upgrade' event to listeners that nothing registers, so such a request used to
 * be left unanswered with its socket open for ever: enough of them used every file descriptor of the
 * process. Here an upgrade is counted toward the client's per-IP limit (429), then routed to the feature
 * that registered its path (the Direct Line stream: 401/403/404 as the Direct Line reference says), or
 * refused with 404; the answer is a complete HTTP response with `Connection: close`, after which the
 * socket is destroyed. A client that never reads cannot hold the socket past UPGRADE_TIMEOUT_MS.
 */
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logging';

export interface UpgradeAnswer {
  status: number;
  /** JSON body (default: `{ error: <reason phrase> }`). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** An upgrade the endpoint takes: `accept` completes the handshake on the socket (paused until then). */
export interface UpgradeAccept {
  accept(socket: Duplex, head: Buffer): void;
}

/** Answers one upgrade request to a registered path; `params` are the pattern's capture groups. */
export type UpgradeHandler = (req: IncomingMessage, params: string[], url: URL) => Promise<UpgradeAnswer | UpgradeAccept> | UpgradeAnswer | UpgradeAccept;

/** The paths that have a WebSocket endpoint (or a documented refusal), registered by the features. */
export class UpgradeRoutes {
  private readonly routes: Array<{ pattern: RegExp; handler: UpgradeHandler }> = [];
  private readonly closers: Array<() => Promise<void>> = [];

  /** Closes an endpoint's open sockets at shutdown (they are not HTTP connections: server.close waits for them). */
  onShutdown(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.closers.map((close) => close()));
  }

  add(pattern: RegExp, handler: UpgradeHandler): void {
    this.routes.push({ pattern, handler });
  }

  match(pathname: string): { handler: UpgradeHandler; params: string[] } | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (m) return { handler: route.handler, params: m.slice(1) };
    }
    return undefined;
  }
}

/** How long an upgrade request may take to be answered and its socket closed, whatever the client does. */
export const UPGRADE_TIMEOUT_MS = 5000;

export interface UpgradeOptions {
  routes: UpgradeRoutes;
  /** Counts the request toward the client's per-IP limit. */
  allow(req: IncomingMessage): Promise<{ allowed: boolean; retryAfterSeconds: number }> | { allowed: boolean; retryAfterSeconds: number };
  log: Logger;
}

/** Writes a complete HTTP response and closes the socket (destroyed once written, or after the timeout). */
export function answerAndClose(socket: Duplex, answer: UpgradeAnswer): void {
  if (socket.destroyed) return;
  const reason = STATUS_CODES[answer.status] ?? 'Error';
  const body = Buffer.from(JSON.stringify(answer.body ?? { error: reason }));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
    ...answer.headers,
  };
  const head = `HTTP/1.1 ${answer.status} ${reason}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, '')}`)
    .join('\r\n')}\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]), () => socket.destroy());
}

export function handleUpgrades(server: Server, options: UpgradeOptions): void {
  const { routes, log } = options;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const timer = setTimeout(() => socket.destroy(), UPGRADE_TIMEOUT_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // whatever the client sends after its headers is not read (unless the endpoint accepts the upgrade)
    socket.pause();
    void answer(req)
      .catch((err: unknown) => {
        log.error({ err }, 'upgrade request failed');
        return { status: 500, body: { error: 'internal error' } } as UpgradeAnswer;
      })
      .then((a) => {
        if ('accept' in a) {
          if (socket.destroyed) return;
          clearTimeout(timer);
          a.accept(socket, head);
        } else answerAndClose(socket, a);
      });
  });

  async function answer(req: IncomingMessage): Promise<UpgradeAnswer | UpgradeAccept> {
    const limit = await options.allow(req);
    if (!limit.allowed) {
      return {
        status: 429,
        body: { error: 'too many requests', retryAfterSeconds: limit.retryAfterSeconds },
        headers: { 'Retry-After': String(limit.retryAfterSeconds) },
      };
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return { status: 400, body: { error: 'bad request' } };
    }
    const route = routes.match(url.pathname);
    if (!route) return { status: 404, body: { error: 'no WebSocket endpoint at this path' } };
    if (!/^websocket$/i.test(String(req.headers.upgrade ?? '').trim())) {
      return { status: 400, body: { error: 'only WebSocket upgrades are served at this path' } };
    }
    return route.handler(req, route.params, url);
  }
}

/**
 * Raw HTTP over a TCP socket to 127.0.0.1, for what fetch cannot show: an Upgrade request and whether the
 * server answered and closed the socket, or a request whose declared body is never sent (was it refused
 * from its headers alone?).
 */
import net from 'node:net';

export interface RawAnswer {
  /** e.g. "HTTP/1.1 404 Not Found" ('' when nothing came back). */
  statusLine: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server ended the connection (FIN or reset) before the timeout. */
  closedByServer: boolean;
  ms: number;
}

function parse(raw: string, closedByServer: boolean, ms: number): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  const head = end >= 0 ? raw.slice(0, end) : raw;
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { statusLine: status ? statusLine : '', status, headers, body: end >= 0 ? raw.slice(end + 4) : '', closedByServer, ms };
}

/**
 * Sends `request` (the whole head, and a body if any) and collects the answer until the server closes or
 * `timeoutMs`; with `untilAnswered`, also stops once a complete response (by its Content-Length) has come.
 */
export function rawRequest(port: number, request: string, timeoutMs = 3000, untilAnswered = false): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('latin1'), closedByServer, Date.now() - started));
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (!untilAnswered) return;
      const sofar = parse(Buffer.concat(chunks).toString('latin1'), false, 0);
      const length = Number(sofar.headers['content-length'] ?? NaN);
      if (sofar.status && Number.isFinite(length) && Buffer.byteLength(sofar.body, 'latin1') >= length) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => socket.write(request));
  });
}

/** A WebSocket upgrade request for `path` (extra header lines may be added). */
export function upgradeRequest(path: string, extraHeaders: Record<string, string> = {}): string {
  const headers: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...extraHeaders,
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

export function upgrade(port: number, path: string, extraHeaders: Record<string, string> = {}, timeoutMs = 3000): Promise<RawAnswer> {
  return rawRequest(port, upgradeRequest(path, extraHeaders), timeoutMs);
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

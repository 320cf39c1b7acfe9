/**
 * The shared outbound HTTP helper (src/services/http/client.ts) against a real HTTP server on 127.0.0.1:
 * timeouts, retries by status, strict JSON, and error messages free of URLs, tokens and bodies; and the
 * adapters that used to parse leniently now report a body that is not JSON clearly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, httpRequest, parseJson, type HttpAttemptFailure } from '../../src/services/http/client';
import { GraphClient } from '../../src/channels/whatsapp/graph';
import { createLogger } from '../../src/logging';
import { HttpLegacyAccounts } from '../../src/services/legacyAccounts';
import { HttpSubscriberDirectory } from '../../src/services/subscribers';

const SECRET = 'S3CR3T-abcdef0123456789';
const hits = new Map<string, number>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/hang') return; // never answers (the socket is closed in afterAll)
    if (path === '/flaky') return n === 1 ? json(503, { error: 'busy' }) : json(200, { ok: true, n });
    if (path === '/bad-request') return json(400, { error: 'bad' });
    if (path === '/always-503') return json(503, { error: 'busy' });
    if (path === '/html') {
      // a proxy's error page that echoes what it was sent: the token and the URL's key
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html>auth=${req.headers.authorization ?? ''} url=${req.url}</html>`);
    }
    if (path.startsWith('/graph/')) {
      // WhatsApp Graph: a proxy's HTML 502 first, then Graph's own 400 "outside the 24-hour window"
      if (n === 1) {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end(`<html>${req.headers.authorization}</html>`);
      }
      return json(400, { error: { message: 'Re-engagement message', code: 131047 } });
    }
    if (path === '/empty') {
      res.writeHead(200);
      return res.end();
    }
    if (path === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ pad: 'x'.repeat(5000) }));
    }
    if (path === '/lines/%2B60121000001' || path === '/lookup' || path === '/accounts/L-1') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html>maintenance ${SECRET}</html>`);
    }
    json(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => hits.clear());

const retry5xx = { attempts: 3, retryStatus: (s: number) => s >= 500, retryNoAnswer: true, delayMs: () => 5 };

test('a request that gets no answer fails after its timeout with a clear error', async () => {
  const started = Date.now();
  const err = await httpRequest({ service: 'test service', url: `${base}/hang`, timeoutMs: 200 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  expect((err as HttpError).kind).toBe('timeout');
  expect((err as HttpError).message).toBe('test service: no answer within 200 ms');
  expect(Date.now() - started).toBeLessThan(3000);
});

test('a retryable status is retried and the next success is returned', async () => {
  const failures: HttpAttemptFailure[] = [];
  const res = await httpRequest({ service: 'test service', url: `${base}/flaky`, timeoutMs: 2000, retry: retry5xx, onFailure: (f) => failures.push(f) });
  expect(res.status).toBe(200);
  expect(res.attempts).toBe(2);
  expect(parseJson(res, 'test service')).toEqual({ ok: true, n: 2 });
  expect(hits.get('/flaky')).toBe(2);
  expect(failures.map((f) => [f.attempt, f.response?.status, f.willRetry, f.waitMs])).toEqual([[1, 503, true, 5]]);
});

test('a status the caller did not call retryable is returned at once, without a retry', async () => {
  const res = await httpRequest({ service: 'test service', url: `${base}/bad-request`, timeoutMs: 2000, retry: retry5xx });
  expect(res.status).toBe(400);
  expect(res.attempts).toBe(1);
  expect(hits.get('/bad-request')).toBe(1);
});

test('retries stop at the number of attempts, returning the last response', async () => {
  const res = await httpRequest({ service: 'test service', url: `${base}/always-503`, timeoutMs: 2000, retry: retry5xx });
  expect(res.status).toBe(503);
  expect(res.attempts).toBe(3);
  expect(hits.get('/always-503')).toBe(3);
});

test('a body that is not JSON is a clear error (content type and size), never a silent empty object', async () => {
  const res = await httpRequest({ service: 'test service', url: `${base}/html`, timeoutMs: 2000 });
  expect(res.ok).toBe(true);
  expect(() => parseJson(res, 'test service')).toThrow(/^test service answered HTTP 200 with a body that is not JSON \(text\/html, \d+ bytes\)$/);
  const empty = await httpRequest({ service: 'test service', url: `${base}/empty`, timeoutMs: 2000 });
  expect(() => parseJson(empty, 'test service')).toThrow('test service answered HTTP 200 with a body that is not JSON (no content type, 0 bytes)');
});

test('a body over the size limit is cut and refused as JSON', async () => {
  const res = await httpRequest({ service: 'test service', url: `${base}/big`, timeoutMs: 2000, maxBodyBytes: 1000 });
  expect(res.truncated).toBe(true);
  expect(res.text.length).toBeLessThanOrEqual(1000);
  expect(() => parseJson(res, 'test service')).toThrow('test service answered HTTP 200 with a body over the size limit');
});

test('no error message carries the token, the URL (with its key) or the body', async () => {
  const messages: string[] = [];
  const req = (path: string, timeoutMs = 2000) => ({
    service: 'test service',
    url: `${base}${path}?key=${SECRET}`,
    headers: { authorization: `Bearer ${SECRET}` },
    timeoutMs,
  });
  const html = await httpRequest(req('/html'));
  expect(html.text).toContain(SECRET); // the server did echo it
  try {
    parseJson(html, 'test service');
  } catch (err) {
    messages.push(String(err), JSON.stringify(err));
  }
  await httpRequest(req('/hang', 100)).catch((err: unknown) => messages.push(String(err), JSON.stringify(err)));
  // a closed port on 127.0.0.1: a network error, retried, then reported
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const err = await httpRequest({ ...req('/x'), url: `http://127.0.0.1:${port}/x?key=${SECRET}`, retry: retry5xx }).catch((e: unknown) => e);
  expect((err as HttpError).kind).toBe('network');
  expect((err as HttpError).message).toBe('test service unreachable (ECONNREFUSED)');
  messages.push(String(err), JSON.stringify(err));
  expect(messages).toHaveLength(6);
  for (const m of messages) {
    expect(m).not.toContain(SECRET);
    expect(m).not.toContain('127.0.0.1');
  }
});

describe('adapters: a body that is not JSON is reported, without its content', () => {
  test('subscriber directory', async () => {
    const err = await new HttpSubscriberDirectory(base).findLine('+60121000001').catch((e: unknown) => e);
    expect(String(err)).toContain('subscriber directory answered HTTP 200 with a body that is not JSON (text/html');
    expect(String(err)).not.toContain(SECRET);
  });

  test('legacy account service (find and get)', async () => {
    const dir = new HttpLegacyAccounts(base);
    await expect(dir.find({ kind: 'mykad', value: '850312145672' })).rejects.toThrow('account service answered HTTP 200 with a body that is not JSON (text/html');
    await expect(dir.get('L-1')).rejects.toThrow('account service answered HTTP 200 with a body that is not JSON (text/html');
  });
});

test('WhatsApp Graph through the helper: a 5xx with an HTML body is worth a retry, Graph\'s 4xx code is kept; no secret in either', async () => {
  const client = new GraphClient({ graphUrl: `${base}/graph`, apiVersion: 'v21.0', phoneNumberId: '1', accessToken: SECRET });
  const message = { to: '60123456789', type: 'text', text: { body: 'x' } };
  const proxy = await client.attempt(message);
  expect(proxy).toMatchObject({ ok: false, verdict: 'retry', status: 502, codeText: 'http-502' });
  const window = await client.attempt(message);
  expect(window).toMatchObject({ ok: false, verdict: 'window', status: 400, code: 131047, reason: 'Graph API 400 (code 131047): Re-engagement message' });
  expect(hits.get('/graph/v21.0/1/messages')).toBe(2);
  expect(JSON.stringify([proxy, window])).not.toContain(SECRET);
});


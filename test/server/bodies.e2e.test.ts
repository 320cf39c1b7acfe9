/**
 * Issue 13, item 3 (and the JSON-nesting part of item 12): request bodies of a type a route does not take
 * are refused with 415 from the headers alone, before a byte is read; nothing is ever written to the
 * system temp folder (restify's bodyParser used to hand multipart/form-data to formidable, which wrote every
 * file part there and never removed it, even on routes that then answered 403/404); deeply nested JSON is
 * a 400, not a 500. The compiled server runs as its own process with TMPDIR pointing at an empty folder of
 * this test, so "the system temp folder" is one nothing else writes to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db';
import { MigrationTokens } from '../../src/services/migrationTokens';
import { rawRequest } from '../helpers/raw';
import { type SpawnedBot, spawnBot } from '../helpers/spawned';
import { connect } from '../webchat/helpers';

const ADMIN_TOKEN = 'a'.repeat(40);
const BOUNDARY = '----bodytest7MA4YWxkTrZu0gW';

/** A multipart body with two file parts (~40 KB each, well under MAX_BODY_BYTES) and a field. */
function multipart(): Buffer {
  const file = (name: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'Z'.repeat(40_000)}\r\n`;
  return Buffer.from(`${file('file1')}${file('file2')}--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--${BOUNDARY}--\r\n`);
}

interface Target {
  method: 'POST' | 'PATCH';
  path: string;
  authorization?: string;
  /** The status expected for a multipart body. */
  status: number;
  /** The status for a declared 50 MB multipart body, when it differs (the upload route: 413 from the headers). */
  huge?: number;
}

describe('bodies a route does not take', () => {
  let bot: SpawnedBot;
  let port: number;
  let tmp: string;
  let targets: Target[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-bodies-tmp-'));
    bot = await spawnBot({ ADMIN_TOKEN, RATE_LIMIT_PER_IP: '100000', TMPDIR: tmp });
    port = bot.port;
    const dl = await connect(bot.url);
    // a valid migration link, issued in the server's own database
    const database = await openDatabase({ kind: 'sqlite', file: path.join(bot.dataDir, 'bot.sqlite') });
    const migration = await new MigrationTokens(database.db, { ttlMinutes: 30 }).issue('demo-1', 'ms');
    await database.close();
    const conv = `/directline/conversations/${dl.conversationId}`;
    const dlAuth = `Bearer ${dl.token}`;
    const adminAuth = `Bearer ${ADMIN_TOKEN}`;
    targets = [
      { method: 'POST', path: '/api/messages', status: 415 },
      { method: 'POST', path: '/api/whatsapp', status: 415 },
      { method: 'POST', path: '/api/directline/token', status: 415 },
      { method: 'POST', path: '/directline/tokens/generate', status: 415 },
      // without a token: refused for that first (401), as the Direct Line reference says; with one: 415
      { method: 'POST', path: '/directline/tokens/refresh', status: 401 },
      { method: 'POST', path: '/directline/tokens/refresh', authorization: dlAuth, status: 415 },
      { method: 'POST', path: '/directline/conversations', status: 401 },
      { method: 'POST', path: '/directline/conversations', authorization: 'Bearer not-a-token', status: 403 },
      { method: 'POST', path: '/directline/conversations', authorization: dlAuth, status: 415 },
      { method: 'POST', path: `${conv}/activities`, status: 401 },
      { method: 'POST', path: `${conv}/activities`, authorization: dlAuth, status: 415 },
      { method: 'POST', path: `${conv}/upload?userId=x`, status: 401 },
      // the one route that takes multipart (Direct Line upload): the file part is no photo or PDF, so the customer
      // gets a polite refusal (200), read in memory only; 50 MB is refused from its headers (413)
      { method: 'POST', path: `${conv}/upload?userId=x`, authorization: dlAuth, status: 200, huge: 413 },
      { method: 'PATCH', path: '/api/admin/tickets/TKT-000001', status: 401 },
      { method: 'PATCH', path: '/api/admin/tickets/TKT-000001', authorization: adminAuth, status: 415 },
      { method: 'POST', path: '/api/admin/tickets/TKT-000001/replies', status: 401 },
      { method: 'POST', path: '/api/admin/tickets/TKT-000001/replies', authorization: adminAuth, status: 415 },
      { method: 'POST', path: '/migrate/not-a-real-token', status: 415 },
      { method: 'POST', path: `/migrate/${migration.token}`, status: 415 },
      { method: 'POST', path: '/no/such/route', status: 404 },
    ];
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('multipart bodies with file parts, to every route, with and without credentials: refused, nothing in the temp folder', async () => {
    const body = multipart();
    for (const target of targets) {
      const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
      if (target.authorization) headers.authorization = target.authorization;
      const res = await fetch(`${bot.url}${target.path}`, { method: target.method, headers, body });
      await res.arrayBuffer();
      const what = `${target.method} ${target.path.replace(/[A-Za-z0-9_-]{20,}/g, '<id>')}${target.authorization ? ' (with credentials)' : ''}`;
      expect({ what, status: res.status }).toEqual({ what, status: target.status });
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 30_000);

  test('refused from the headers alone: a declared 50 MB multipart body that is never sent still gets its answer', async () => {
    for (const target of targets) {
      const head = [
        `${target.method} ${target.path} HTTP/1.1`,
        'Host: 127.0.0.1',
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        `Content-Length: ${50 * 1024 * 1024}`,
        ...(target.authorization ? [`Authorization: ${target.authorization}`] : []),
        '',
        '',
      ].join('\r\n');
      const answer = await rawRequest(port, head, 3000, true);
      const what = `${target.method} ${target.path.replace(/[A-Za-z0-9_-]{20,}/g, '<id>')}${target.authorization ? ' (with credentials)' : ''}`;
      expect({ what, status: answer.status }).toEqual({ what, status: target.huge ?? target.status });
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 30_000);

  test('other unexpected types and encodings are 415 too; the expected type still works', async () => {
    const send = (contentType: string, extra: Record<string, string> = {}, payload = '{"type":"message"}') =>
      fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType, ...extra }, body: payload });
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/json; charset=latin1']) {
      expect({ type, status: (await send(type)).status }).toEqual({ type, status: 415 });
    }
    expect((await send('application/json', { 'content-encoding': 'gzip' })).status).toBe(415);
    // the migration form takes urlencoded forms only
    const json = await fetch(`${bot.url}/migrate/not-a-real-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toMatch(/text\/html/);
    // JSON still goes through (an invalid activity here, so 400 from the route itself)
    const ok = await send('application/json; charset=utf-8');
    expect(ok.status).toBe(400);
    expect(await ok.json()).toMatchObject({ error: 'invalid activity' });
  });

  test('deeply nested JSON is a 400 on every JSON route, never a 500', async () => {
    const dl = await connect(bot.url);
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const activityWith = (channelData: string) =>
      `{"type":"message","text":"hai","channelId":"test","serviceUrl":"http://127.0.0.1:9","conversation":{"id":"deep"},"from":{"id":"u"},"channelData":{"x":${channelData}}}`;
    for (const depth of [5000, 30_000]) {
      const messages = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activityWith(nested(depth)) });
      expect({ depth, route: 'messages', status: messages.status }).toEqual({ depth, route: 'messages', status: 400 });
      const directLine = await fetch(`${bot.url}/directline/conversations/${dl.conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${dl.token}` },
        body: `{"type":"message","text":"hai","channelData":{"x":${nested(depth)}}}`,
      });
      expect({ depth, route: 'directline', status: directLine.status }).toEqual({ depth, route: 'directline', status: 400 });
      expect(((await directLine.json()) as any).error.code).toBe('BadArgument');
      const admin = await fetch(`${bot.url}/api/admin/tickets/TKT-000001/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: `{"text":${nested(depth)}}`,
      });
      expect({ depth, route: 'admin', status: admin.status }).toEqual({ depth, route: 'admin', status: 400 });
    }
    // brackets inside strings are text, not nesting; ordinary channelData still passes
    const fine = await dl.post({ type: 'message', text: '[[[[[[[[[[', locale: 'ms-MY', channelData: { a: { b: { c: [1, [2, [3]]] } }, s: '{'.repeat(500) } });
    expect(fine.status).toBe(200);
    expect(bot.output()).not.toMatch(/Maximum call stack/);
  });

  test('no route uses restify\'s bodyParser (its multipart path writes to the temp folder)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) files.push(full);
      }
    };
    walk(path.join(__dirname, '../../src'));
    walk(path.join(__dirname, '../../dialogs'));
    const users = files.filter((f) => /plugins\.(bodyParser|multipartBodyParser|bodyReader)\b/.test(fs.readFileSync(f, 'utf8')));
    expect(users).toEqual([]);
  });
});

/**
 * The admin API over a real restify server on 127.0.0.1: bearer-token auth (not configured, missing,
 * wrong, right), list/get/patch/reply with validation, 404/409 answers, the OpenAPI document, and a staff
 * reply delivered proactively to a local HTTP server standing in for the Bot Framework connector.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadConfig } from '../../src/config';
import { adminAuthorised } from '../../src/features/tickets';
import { createLogger } from '../../src/logging';
import { type Runtime, createRuntime } from '../../src/runtime';
import { createHttpServer, type HttpServer } from '../../src/server';
import { AdapterProactiveMessenger } from '../../src/services/proactive';
import type { TicketService } from '../../src/services/tickets';
import { DirectLineStore } from '../../src/channels/directline/store';
import { AttachmentStore } from '../../src/channels/directline/uploads';
import { adminOpenApi } from '../../src/features/tickets.openapi';
import { ticketFeatures } from './helpers';

const TOKEN = 'a-very-long-admin-token-1234567890';

interface Running {
  url: string;
  server: HttpServer;
  runtime: Runtime;
  service: TicketService;
  stop(): Promise<void>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-tickets-'));
  const config = loadConfig(
    { DATA_DIR: dir, LOG_LEVEL: 'info', SUPPORT_EMAIL: 'support@example.com', OUTBOUND_POLL_MS: '20', OUTBOUND_BACKOFF_MS: '5', ...env },
    path.join(__dirname, '../..'),
  );
  const log = createLogger({ level: 'warn', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) });
  const proactive = new AdapterProactiveMessenger(config.MicrosoftAppId);
  const runtime = await createRuntime(config, log, { features: ticketFeatures(), proactive });
  const server: HttpServer = createHttpServer(runtime, log);
  await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', () => resolve()));
  // the channel outbox's worker delivers staff replies
  runtime.deps.outbound.worker.start();
  const port = (server.server.address() as AddressInfo).port;
  const service = (runtime.features[0]!.dialogs![0] as unknown as { deps: { tickets: TicketService } }).deps.tickets;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    runtime,
    service,
    async stop() {
      server.server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.server.close(() => resolve()));
      await runtime.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, method: string, p: string, init: { token?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${p}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A stand-in for the Bot Framework connector: records the activities the bot posts to conversations. */
async function fakeConnector(status = 200) {
  const received: Array<{ path: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: data ? JSON.parse(data) : undefined });
      res.writeHead(status, { 'content-type': 'application/json' });
      // the connector's error body (ErrorResponse: https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#errorresponse-object)
      res.end(JSON.stringify(status === 200 ? { id: `sent-${received.length}` } : { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function newTicket(serviceUrl: string, over: Record<string, unknown> = {}) {
  return {
    requestKey: `k-${Math.random()}`,
    category: 'billing' as const,
    description: 'Charged twice in March',
    name: 'Ali',
    email: 'ali@example.com',
    phone: '0123456789',
    lang: 'ms' as const,
    channel: 'webchat',
    channelUserId: 'user-1',
    conversationRef: {
      channelId: 'webchat',
      serviceUrl,
      conversation: { id: 'conv-42' } as never,
      bot: { id: 'bot', name: 'Bot' },
      user: { id: 'user-1', name: 'Ali' },
    },
    ...over,
  };
}

describe('admin API: authentication', () => {
  test('no ADMIN_TOKEN configured: every admin request is refused', async () => {
    const bot = await start({});
    try {
      for (const [method, p] of [
        ['GET', '/api/admin/tickets'],
        ['GET', '/api/admin/openapi.json'],
        ['GET', '/api/admin/tickets/TKT-20261122-7QF3'],
        ['PATCH', '/api/admin/tickets/TKT-20261122-7QF3'],
        ['POST', '/api/admin/tickets/TKT-20261122-7QF3/replies'],
      ] as const) {
        const res = await call(bot.url, method, p, { body: method === 'GET' ? undefined : { status: 'closed' } });
        expect([method, p, res.status]).toEqual([method, p, 401]);
        expect(res.body).toEqual({ error: 'unauthorized' });
      }
      // any token at all, even an empty one
      expect((await call(bot.url, 'GET', '/api/admin/tickets', { token: '' })).status).toBe(401);
    } finally {
      await bot.stop();
    }
  });

  test('missing or wrong token: 401; the right token: 200', async () => {
    const bot = await start({ ADMIN_TOKEN: TOKEN });
    try {
      const none = await call(bot.url, 'GET', '/api/admin/tickets', { token: null });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect((await call(bot.url, 'GET', '/api/admin/tickets', { token: TOKEN + 'x' })).status).toBe(401);
      expect((await call(bot.url, 'GET', '/api/admin/tickets', { token: TOKEN.slice(0, -1) })).status).toBe(401);
      const ok = await call(bot.url, 'GET', '/api/admin/tickets');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    } finally {
      await bot.stop();
    }
  });

  test('adminAuthorised: scheme and token both required', () => {
    expect(adminAuthorised(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(adminAuthorised(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(adminAuthorised(TOKEN, TOKEN)).toBe(false);
    expect(adminAuthorised(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(adminAuthorised(undefined, TOKEN)).toBe(false);
    expect(adminAuthorised(`Bearer ${TOKEN}`, undefined)).toBe(false);
  });
});

describe('admin API: tickets', () => {
  let bot: Running;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  beforeAll(async () => {
    connector = await fakeConnector();
    bot = await start({ ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await bot.stop();
    await connector.close();
  });

  test('a staff reply reaches the customer through the (stand-in) connector, in Malay', async () => {
    const { ticket } = await bot.service.create(newTicket(connector.url));
    const res = await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, {
      body: { text: 'Kami telah memulangkan RM58.', author: 'Aminah' },
    });
    expect(res.status).toBe(201);
    expect(res.body.reply.delivery).toBe('bot');
    expect(res.body.ticket.status).toBe('waiting_for_customer');
    await bot.runtime.deps.outbound.worker.settled();
    const posted = connector.received.find((r) => r.path.startsWith('/v3/conversations/conv-42/activities'));
    expect(posted).toBeDefined();
    expect(posted!.body.text).toContain(`Balasan Khidmat Pelanggan untuk tiket ${ticket.reference}`);
    expect(posted!.body.text).toContain('Kami telah memulangkan RM58.');
    expect(posted!.body.locale).toBe('ms-MY');
    // delivered only once the connector took it
    const after = await bot.service.get(ticket.reference);
    expect(after!.replies[0]!.deliveredAt).not.toBeNull();
  });

  test('when the connector refuses the reply for good it goes by e-mail, with the connector\'s reason', async () => {
    const refusing = await fakeConnector(403);
    try {
      const { ticket } = await bot.service.create(newTicket(refusing.url, { lang: 'en' }));
      const res = await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, { body: { text: 'Refunded.', author: 'Aminah' } });
      expect(res.status).toBe(201);
      expect(res.body.reply.delivery).toBe('bot');
      expect(res.body.reply.deliveredAt).toBeNull();
      await bot.runtime.deps.outbound.worker.settled();
      const after = await bot.service.get(ticket.reference);
      expect(after!.replies[0]).toMatchObject({ delivery: 'email' });
      expect(after!.replies[0]!.deliveryError).toMatch(/403.*BotNotInConversationRoster/);
      expect(refusing.received).toHaveLength(1); // a 403 is not retried
      const mail = await bot.runtime.database.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'ticket-reply').execute();
      expect(mail.some((m) => m.to_addr === 'ali@example.com' && m.subject.includes('A reply to your ticket'))).toBe(true);
    } finally {
      await refusing.close();
    }
  });

  test('the ticket follows the outbox: held by WhatsApp\'s window is not delivered (and says why); a late failure goes by e-mail', async () => {
    const { ticket } = await bot.service.create(newTicket(connector.url));
    const res = await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, { body: { text: 'x'.repeat(1500), author: 'Aminah' } });
    const replyId = res.body.reply.id as number;
    await bot.runtime.deps.outbound.worker.settled();
    const origin = `ticket-reply:${ticket.reference}:${replyId}`;
    await bot.service.onOutboundOutcome({ origin, status: 'held', reason: 'the template carried part of this message; the whole goes once the customer writes again' });
    let reply = (await bot.service.get(ticket.reference))!.replies.find((r) => r.id === replyId)!;
    expect(reply).toMatchObject({ delivery: 'bot', deliveredAt: null });
    expect(reply.deliveryError).toMatch(/whole goes once the customer writes again/);
    await bot.service.onOutboundOutcome({ origin, status: 'sent' });
    reply = (await bot.service.get(ticket.reference))!.replies.find((r) => r.id === replyId)!;
    expect(reply.deliveredAt).not.toBeNull();
    expect(reply.deliveryError).toBeNull();
    // a status callback failing it afterwards: e-mail, with the platform's reason
    await bot.service.onOutboundOutcome({ origin, status: 'failed', reason: 'WhatsApp status "failed" (code 131026): Message undeliverable' });
    reply = (await bot.service.get(ticket.reference))!.replies.find((r) => r.id === replyId)!;
    expect(reply).toMatchObject({ delivery: 'email' });
    expect(reply.deliveryError).toMatch(/131026/);
  });

  test('list with filters and paging (masked), get one, change status and assignee, OpenAPI', async () => {
    const { ticket } = await bot.service.create(newTicket(connector.url, { category: 'plan-switch', channel: 'msteams' }));
    const list = await call(bot.url, 'GET', '/api/admin/tickets?category=plan-switch&limit=1');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => t.reference)).toEqual([ticket.reference]);
    expect(JSON.stringify(list.body)).not.toContain('ali@example.com');
    expect((await call(bot.url, 'GET', '/api/admin/tickets?channel=msteams&status=open')).body.total).toBe(1);
    expect((await call(bot.url, 'GET', '/api/admin/tickets?limit=2&offset=1')).body.items.length).toBeLessThanOrEqual(2);
    const one = await call(bot.url, 'GET', `/api/admin/tickets/${ticket.reference}`);
    expect(one.body).toMatchObject({ reference: ticket.reference, email: 'ali@example.com', phone: '+60123456789', reachableInChat: true });
    expect(one.body.conversationRef).toBeUndefined();
    const patched = await call(bot.url, 'PATCH', `/api/admin/tickets/${ticket.reference}`, { body: { status: 'in_progress', assignee: 'Aminah' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'in_progress', assignee: 'Aminah' });
    const spec = await call(bot.url, 'GET', '/api/admin/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths).sort()).toEqual(Object.keys(adminOpenApi.paths).sort());
  });

  test('get one: the files the customer attached in the web chat conversation', async () => {
    const db = bot.runtime.database.db;
    const conversation = `conv-files-${Math.random().toString(36).slice(2)}`;
    await new DirectLineStore(db).createConversation(conversation, 'dl_u');
    const saved = await new AttachmentStore(db).save(conversation, { name: 'resit.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7 x') });
    const base = newTicket(connector.url);
    const { ticket } = await bot.service.create({ ...base, conversationRef: { ...base.conversationRef, conversation: { id: conversation } as never } });
    const one = await call(bot.url, 'GET', `/api/admin/tickets/${ticket.reference}`);
    expect(one.status).toBe(200);
    expect(one.body.attachments).toEqual([{ id: saved.id, name: 'resit.pdf', contentType: 'application/pdf', size: 10, createdAt: expect.any(String) }]);
  });

  test('customer text in the JSON: no raw control, bidi or invisible character on the wire, the same value parsed', async () => {
    // what survives intake cleaning (C1, bidi, zero-width), plus an escape sequence stored before the cleaning existed
    const description = 'charged twice \u202Efdp.exe \u009b31mRED\u200B and \u2066more\u2069';
    const { ticket } = await bot.service.create(newTicket(connector.url, { description }));
    await bot.runtime.database.db.updateTable('tickets').set({ name: 'Ali\u001b[2J' }).where('reference', '=', ticket.reference).execute();
    const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/;
    for (const p of [`/api/admin/tickets/${ticket.reference}`, '/api/admin/tickets?limit=100']) {
      const res = await fetch(`${bot.url}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const raw = await res.text();
      expect({ p, unsafe: unsafe.exec(raw)?.[0] }).toEqual({ p, unsafe: undefined });
      if (p.includes(ticket.reference)) expect(JSON.parse(raw)).toMatchObject({ description, name: 'Ali\u001b[2J' });
    }
  });

  test('bad input: clear answers, nothing written', async () => {
    const { ticket } = await bot.service.create(newTicket(connector.url));
    expect((await call(bot.url, 'GET', '/api/admin/tickets?status=bogus')).status).toBe(400);
    expect((await call(bot.url, 'GET', '/api/admin/tickets?limit=1000')).body).toMatchObject({ error: 'invalid request', field: 'limit' });
    expect((await call(bot.url, 'GET', '/api/admin/tickets?created_from=yesterday')).status).toBe(400);
    expect((await call(bot.url, 'GET', '/api/admin/tickets/TKT-20261122-ZZZZ')).status).toBe(404);
    expect((await call(bot.url, 'GET', '/api/admin/tickets/not-a-ref')).body).toEqual({ error: 'ticket not found' });
    expect((await call(bot.url, 'PATCH', `/api/admin/tickets/${ticket.reference}`, { body: { status: 'done' } })).status).toBe(400);
    expect((await call(bot.url, 'PATCH', `/api/admin/tickets/${ticket.reference}`, { body: {} })).status).toBe(400);
    expect((await call(bot.url, 'PATCH', `/api/admin/tickets/${ticket.reference}`, { body: { status: 'open', extra: 1 } })).status).toBe(400);
    expect((await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, { body: { text: '', author: 'A' } })).status).toBe(400);
    expect((await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, { body: { text: 'x'.repeat(4001), author: 'A' } })).status).toBe(400);
    expect((await call(bot.url, 'POST', '/api/admin/tickets/TKT-20261122-ZZZZ/replies', { body: { text: 'hi', author: 'A' } })).status).toBe(404);
    await call(bot.url, 'PATCH', `/api/admin/tickets/${ticket.reference}`, { body: { status: 'closed' } });
    const closed = await call(bot.url, 'POST', `/api/admin/tickets/${ticket.reference}/replies`, { body: { text: 'late', author: 'A' } });
    expect(closed.status).toBe(409);
    expect(closed.body).toEqual({ error: 'ticket is closed' });
    expect((await bot.service.get(ticket.reference))!.replies).toHaveLength(0);
  });
});

describe('admin API: the OpenAPI document, generated from the zod schemas of the routes', () => {
  let bot: Running;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  let doc: any;
  let ajv: Ajv2020;
  beforeAll(async () => {
    connector = await fakeConnector();
    bot = await start({ ADMIN_TOKEN: TOKEN });
    const res = await call(bot.url, 'GET', '/api/admin/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
    // the served document as one schema resource, so that its $refs (#/components/schemas/…) resolve
    ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    ajv.addVocabulary(['openapi', 'info', 'servers', 'security', 'paths', 'components']);
    ajv.addSchema(doc, 'openapi.json');
  });
  afterAll(async () => {
    await bot.stop();
    await connector.close();
  });

  const component = (name: string) => ajv.getSchema(`openapi.json#/components/schemas/${name}`)!;
  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, item]) =>
      Object.entries(item).map(([method, op]) => ({ p, method, op })),
    );

  test('valid OpenAPI 3.1: every schema compiles as JSON Schema 2020-12, every $ref resolves, path parameters declared', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(adminOpenApi)));
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const names = Object.keys(doc.components.schemas);
    expect(names.sort()).toEqual(['Error', 'NewReply', 'Reply', 'ReplyCreated', 'Ticket', 'TicketChange', 'TicketPage', 'TicketSummary']);
    for (const name of names) expect([name, typeof component(name)]).toEqual([name, 'function']);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const r of refs) expect(names.map((n) => `"$ref":"#/components/schemas/${n}"`)).toContain(r);
    for (const { p, method, op } of operations()) {
      expect([p, method, ['get', 'put', 'post', 'patch', 'delete'].includes(method)]).toEqual([p, method, true]);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const [code, r] of Object.entries<any>(op.responses)) expect([p, method, code, typeof r.description]).toEqual([p, method, code, 'string']);
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((x: any) => x.in === 'path');
      expect(declared.map((x: any) => x.name).sort()).toEqual(inPath);
      for (const x of declared) expect(x.required).toBe(true);
      for (const x of op.parameters ?? []) {
        expect(['query', 'path', 'header', 'cookie']).toContain(x.in);
        expect(typeof ajv.compile(x.schema)).toBe('function');
      }
      if (op.requestBody) expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
    }
  });

  test('every route registered under /api/admin is in the document, and nothing else', () => {
    const routes = Object.values(bot.server.server.router.getRoutes() as unknown as Record<string, { method: string; path: string }>)
      .filter((r) => r.path.startsWith('/api/admin/'))
      .map((r) => `${r.method.toLowerCase()} ${r.path.slice('/api/admin'.length).replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(operations().map((o) => `${o.method} ${o.p}`).sort()).toEqual(routes.sort());
  });

  test('what the document accepts the route accepts, what it rejects the route rejects', async () => {
    const requestSchema = (p: string, method: string) => {
      const r = doc.paths[p][method].requestBody.content['application/json'].schema.$ref.split('/').pop();
      return component(r);
    };
    const patch = requestSchema('/tickets/{reference}', 'patch');
    const reply = requestSchema('/tickets/{reference}/replies', 'post');
    const cases: Array<[string, string, (ref: string) => string, any, (b: unknown) => boolean]> = [];
    for (const body of [
      {},
      { status: 'done' },
      { status: 'open', extra: 1 },
      { assignee: '   ' },
      { assignee: 'x'.repeat(201) },
      { assignee: null },
      { status: 'in_progress', assignee: 'Aminah' },
    ]) cases.push(['PATCH', 'patch', (ref) => `/api/admin/tickets/${ref}`, body, (b) => patch(b) as boolean]);
    for (const body of [
      { text: '', author: 'A' },
      { text: '   ', author: 'A' },
      { text: 'hi' },
      { text: 'x'.repeat(4001), author: 'A' },
      { text: 'hi', author: 'A', cc: 'x' },
      { text: 'hi', author: 'A', status: 'done' },
      { text: 'Sudah dipulangkan.', author: 'Aminah' },
      { text: 'Done.', author: 'Aminah', status: 'resolved' },
    ]) cases.push(['POST', 'post', (ref) => `/api/admin/tickets/${ref}/replies`, body, (b) => reply(b) as boolean]);

    const seen = { accepted: 0, rejected: 0 };
    for (const [method, , url, body, valid] of cases) {
      const { ticket } = await bot.service.create(newTicket(connector.url));
      const documentAccepts = valid(body);
      const res = await call(bot.url, method, url(ticket.reference), { body });
      expect({ method, body, status: res.status, documentAccepts }).toEqual({
        method,
        body,
        status: documentAccepts ? (method === 'POST' ? 201 : 200) : 400,
        documentAccepts,
      });
      seen[documentAccepts ? 'accepted' : 'rejected']++;
    }
    expect(seen.accepted).toBeGreaterThanOrEqual(4);
    expect(seen.rejected).toBeGreaterThanOrEqual(8);

    // query parameters: each value checked against its parameter's schema (integers as the route coerces them)
    const params: any[] = doc.paths['/tickets'].get.parameters;
    for (const [name, value] of [['limit', '0'], ['limit', '1'], ['limit', '100'], ['limit', '101'], ['offset', '-1'], ['status', 'open'], ['status', 'bogus'], ['category', 'billing'], ['channel', 'x'.repeat(65)]] as const) {
      const param = params.find((x) => x.name === name);
      const typed = param.schema.type === 'integer' ? Number(value) : value;
      const documentAccepts = ajv.compile(param.schema)(typed);
      const res = await call(bot.url, 'GET', `/api/admin/tickets?${name}=${encodeURIComponent(value)}`);
      expect({ name, value, status: res.status }).toEqual({ name, value, status: documentAccepts ? 200 : 400 });
    }
    // a parameter the document does not list is refused
    expect((await call(bot.url, 'GET', '/api/admin/tickets?sort=asc')).status).toBe(400);
    expect(params.map((x) => x.name)).not.toContain('sort');
  });
});

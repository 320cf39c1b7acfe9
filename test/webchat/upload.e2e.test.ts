/**
 * Files in the web chat (Direct Line "upload"), on the real server, SQLite and (with TEST_DATABASE_URL)
 * PostgreSQL: the token is checked before the body's type (401/403 before 415); a photo and a PDF, recognised
 * by their content, are kept and acknowledged in the customer's language; a file that only claims to be a photo,
 * or one too large, gets a polite refusal in the conversation (never silence); staff see the files on the ticket
 * the conversation raised (`tickets show`) and can save one (`tickets attachment`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runTicketsCommand } from '../../src/cli/tickets';
import { AttachmentStore } from '../../src/channels/directline/uploads';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { TicketService } from '../../src/services/tickets';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';
import { type WebChatBot, connect, startWebChatBot } from './helpers';

jest.setTimeout(60_000);

const MAX = 64 * 1024;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 32)]);

function urlWithSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

describe.each(engines())('attachments in the web chat (%s)', (engine) => {
  let testDb: TestDatabase;
  let bot: WebChatBot;

  beforeAll(async () => {
    const env: Record<string, string> = { RATE_LIMIT_PER_IP: '100000', DIRECT_LINE_UPLOAD_MAX_BYTES: String(MAX) };
    if (engine === 'postgres') {
      testDb = await openTestDatabase('postgres');
      env.DATABASE_URL = urlWithSchema(testDb.target.kind === 'postgres' ? testDb.target.url : '', testDb.schema!);
    }
    bot = await startWebChatBot(env);
  });

  afterAll(async () => {
    await bot?.stop();
    await testDb?.dispose();
  });

  const upload = (
    conversationId: string,
    token: string | undefined,
    files: Array<{ name: string; type: string; data: Buffer }>,
    activity?: Record<string, unknown>,
    acceptLanguage = 'en-US,en;q=0.9',
  ) => {
    const form = new FormData();
    if (activity) form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
    for (const f of files) form.append('file', new Blob([f.data], { type: f.type }), f.name);
    return fetch(`${bot.url}/directline/conversations/${conversationId}/upload?userId=x`, {
      method: 'POST',
      // as a browser sends it: the language of an answer when the upload is refused unread
      headers: { 'accept-language': acceptLanguage, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: form,
    });
  };

  test('the token is checked before the type of the body: 401, 403, then 415', async () => {
    const dl = await connect(bot.url);
    const url = `${bot.url}/directline/conversations/${dl.conversationId}/upload`;
    const json = { 'content-type': 'application/json' };
    expect((await fetch(url, { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
    const bad = await fetch(url, { method: 'POST', headers: { ...json, authorization: 'Bearer nonsense' }, body: '{}' });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as any).error.code).toBe('TokenExpired');
    const wrongType = await fetch(url, { method: 'POST', headers: { ...json, authorization: `Bearer ${dl.token}` }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });

  test('a photo and a PDF are kept and acknowledged in English; staff see them on the ticket and can save one', async () => {
    const dl = await connect(bot.url, 'en-US');
    await dl.poll();
    const res = await upload(
      dl.conversationId,
      dl.token,
      [
        { name: 'bill.jpg', type: 'image/jpeg', data: JPEG },
        { name: '../../etc/statement.pdf', type: 'application/pdf', data: PDF },
      ],
      { type: 'message', text: 'Here is my bill', locale: 'en-US', from: { id: 'spoofed' } },
    );
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const activities = await dl.poll();
    const mine = activities.find((a) => a.id === id)!;
    expect(mine).toMatchObject({ text: 'Here is my bill', from: { id: dl.userId, role: 'user' } });
    expect(mine.attachments).toEqual([
      { contentType: 'image/jpeg', name: 'bill.jpg' },
      { contentType: 'application/pdf', name: 'statement.pdf' },
    ]);
    const answer = activities.find((a) => a.from?.role === 'bot')!;
    expect(answer.text).toContain('Thank you, I have received "bill.jpg", "statement.pdf"');
    expect(answer.locale).toBe('en-MY');

    // the ticket the conversation raises: staff see the files and save one
    const catalog = MessageCatalog.load(path.join(__dirname, '../../knowledge/messages'));
    const service = new TicketService({
      db: bot.runtime.database.db,
      mail: new SqlMailOutbox(bot.runtime.database.db, { from: 'Bot <bot@example.com>' }),
      catalog,
      log: createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) }),
    });
    const { ticket } = await service.create({
      requestKey: `k-${dl.conversationId}`,
      category: 'billing',
      description: 'Charged twice',
      name: 'Ali',
      email: 'ali@example.com',
      lang: 'en',
      channel: 'webchat',
      channelUserId: dl.userId,
      conversationRef: { channelId: 'webchat', conversation: { id: dl.conversationId } as never },
    });
    const attachments = new AttachmentStore(bot.runtime.database.db);
    const out: string[] = [];
    await runTicketsCommand(['show', ticket.reference], service, (s) => out.push(s), attachments);
    expect(out.join('\n')).toMatch(/att_\S+ {2}bill\.jpg \(image\/jpeg, 2 KB\)/);
    expect(out.join('\n')).toContain('statement.pdf (application/pdf, 3 KB)');
    const [photo] = await attachments.list(dl.conversationId);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'staff-'));
    try {
      const saved = path.join(dir, 'bill.jpg');
      await runTicketsCommand(['attachment', ticket.reference, photo!.id, '--out', saved], service, (s) => out.push(s), attachments);
      expect(fs.readFileSync(saved).equals(JPEG)).toBe(true);
      // another conversation's file is not reachable through this ticket
      await expect(runTicketsCommand(['attachment', ticket.reference, 'att_nope', '--out', path.join(dir, 'x')], service, () => undefined, attachments)).rejects.toMatchObject({
        code: 'not-found',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that only claims to be a photo is refused politely, in Malay for a Malay customer', async () => {
    const dl = await connect(bot.url, 'ms-MY');
    await dl.poll();
    const res = await upload(dl.conversationId, dl.token, [{ name: 'gambar.jpg', type: 'image/jpeg', data: Buffer.from('#!/bin/sh\necho hello\n') }], {
      type: 'message',
      locale: 'ms-MY',
    });
    expect(res.status).toBe(200);
    const activities = await dl.poll();
    expect(activities.find((a) => a.from?.role === 'user')!.attachments).toEqual([]);
    const answer = activities.find((a) => a.from?.role === 'bot')!;
    expect(answer.text).toContain('Maaf, saya tidak dapat menerima "gambar.jpg"');
    expect(answer.text).toContain('PDF');
    expect(await new AttachmentStore(bot.runtime.database.db).list(dl.conversationId)).toEqual([]);
  });

  test('attachments posted inside a message are not opened, and the customer is told so (never silence)', async () => {
    const dl = await connect(bot.url, 'en-US');
    await dl.poll();
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } };
    const onlyFile = await dl.post({ type: 'message', locale: 'en-US', attachments: [{ contentType: 'image/png', contentUrl: 'http://169.254.169.254/x.png' }] });
    expect(onlyFile.status).toBe(200);
    let activities = await dl.poll();
    expect(activities.map((a) => [a.from?.role, a.attachments?.length ?? 0])).toEqual([
      ['user', 0],
      ['bot', 0],
    ]);
    expect(activities[1].text).toContain('use the paperclip button');
    // with text: the question is answered, then the note
    await dl.post({ type: 'message', text: 'How do I pay my bill?', locale: 'ms-MY', attachments: [card] });
    activities = await dl.poll();
    expect(activities.length).toBeGreaterThanOrEqual(3);
    expect(activities.at(-1).text).toContain('gunakan butang klip kertas');
  });

  test('an upload over the limit: 413, and the customer is told why in the conversation', async () => {
    const dl = await connect(bot.url, 'en-US');
    await dl.poll();
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX * 3)]);
    const res = await upload(dl.conversationId, dl.token, [{ name: 'huge.jpg', type: 'image/jpeg', data: big }]);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('MessageSizeTooBig');
    const activities = await dl.poll();
    expect(activities.map((a) => a.text)).toEqual([expect.stringContaining('too large')]);
    // one just over the per-file limit but within the body limit: refused politely, not kept
    const over = Buffer.concat([JPEG, Buffer.alloc(MAX)]);
    const second = await upload(dl.conversationId, dl.token, [{ name: 'big.jpg', type: 'image/jpeg', data: over }], { type: 'message', locale: 'en-US' });
    expect(second.status).toBe(200);
    expect((await dl.poll()).find((a) => a.from?.role === 'bot')!.text).toContain('Sorry, I cannot take "big.jpg"');
  });
});

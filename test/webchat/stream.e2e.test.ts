/**
 * The Direct Line WebSocket stream of the real server (the `ws` package as the client), on SQLite and, with
 * TEST_DATABASE_URL, PostgreSQL:
 * - the start answers a streamUrl; its `t=` opens the stream and nothing else (REST: 403);
 * - the stream replays the conversation (the welcome), then each reply as an ActivitySet with a watermark;
 * - a reconnect (GET /conversations/{id}?watermark=) gives a new streamUrl that replays from the watermark,
 *   and without a watermark only what comes next, as the reference says;
 * - an activity appended by another process (its own database connection, as the staff CLI does) reaches
 *   the open stream;
 * - a second stream of the same conversation closes the first ("collision"); shutdown closes them (1001).
 */
import { WebSocket } from 'ws';
import { DirectLineStore } from '../../src/channels/directline/store';
import type { Database } from '../../src/db';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';
import { type WebChatBot, connect, message, startWebChatBot } from './helpers';

jest.setTimeout(60_000);

interface ActivitySet {
  activities: Array<Record<string, any>>;
  watermark?: string;
}

/** A stream client that collects every ActivitySet (and counts heartbeats). */
class StreamClient {
  readonly sets: ActivitySet[] = [];
  heartbeats = 0;
  closed?: { code: number; reason: string };
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === '') this.heartbeats++;
      else this.sets.push(JSON.parse(text) as ActivitySet);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new StreamClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`stream: HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get activities(): Array<Record<string, any>> {
    return this.sets.flatMap((s) => s.activities);
  }

  botTexts(): string[] {
    return this.activities.filter((a) => a.type === 'message' && a.from?.role === 'bot').map((a) => String(a.text));
  }

  async until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`stream: timed out; got ${JSON.stringify(this.activities.map((a) => [a.type, a.text]))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

async function reconnect(url: string, conversationId: string, token: string, watermark?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/directline/conversations/${conversationId}${watermark !== undefined ? `?watermark=${watermark}` : ''}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: await res.json() };
}

/** The DATABASE_URL of the test database with the schema as the connection's search_path. */
function urlWithSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

describe.each(engines())('the Direct Line stream (%s)', (engine) => {
  let testDb: TestDatabase;
  let bot: WebChatBot;
  /** Another process's connection to the same database (the staff CLI, another instance). */
  let other: Database;
  const open: StreamClient[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase(engine);
    const env: Record<string, string> = { RATE_LIMIT_PER_IP: '100000', DIRECT_LINE_STREAM_POLL_MS: '200' };
    if (engine === 'postgres') env.DATABASE_URL = urlWithSchema(testDb.target.kind === 'postgres' ? testDb.target.url : '', testDb.schema!);
    else env.DATABASE_URL = '';
    if (engine === 'sqlite') {
      // the bot's own DATA_DIR database, opened again below as the other process
      bot = await startWebChatBot(env);
      const file = bot.runtime.config.database.kind === 'sqlite' ? bot.runtime.config.database.file : '';
      const { openDatabase } = await import('../../src/db');
      other = await openDatabase({ kind: 'sqlite', file });
    } else {
      bot = await startWebChatBot(env);
      other = await testDb.reopen();
    }
  });

  afterAll(async () => {
    for (const c of open) c.ws.terminate();
    if (engine === 'sqlite') await other?.close();
    await bot?.stop();
    await testDb?.dispose();
  });

  const stream = async (url: string): Promise<StreamClient> => {
    const c = await StreamClient.open(url);
    open.push(c);
    return c;
  };

  test('start gives a streamUrl; the stream replays the welcome, then each reply within milliseconds', async () => {
    const dl = await connect(bot.url, 'en-US');
    const url = new URL(dl.streamUrl);
    expect(url.protocol).toBe('ws:');
    expect(url.host).toBe(new URL(bot.url).host);
    expect(url.pathname).toBe(`/directline/conversations/${dl.conversationId}/stream`);
    // the stream token opens the stream only
    const t = url.searchParams.get('t')!;
    const withStreamToken = await fetch(`${bot.url}/directline/conversations/${dl.conversationId}/activities`, { headers: { authorization: `Bearer ${t}` } });
    expect(withStreamToken.status).toBe(403);
    expect(((await withStreamToken.json()) as any).error.code).toBe('TokenExpired');

    const client = await stream(dl.streamUrl);
    await client.until(() => client.botTexts().length > 0);
    expect(client.sets[0]!.watermark).toMatch(/^\d+$/);
    const before = client.activities.length;
    const sentAt = Date.now();
    const posted = await dl.post(message('How do I pay my bill?', 'en-US'));
    expect(posted.status).toBe(200);
    await client.until(() => client.activities.slice(before).some((a) => a.from?.role === 'bot' && a.type === 'message'));
    const elapsed = Date.now() - sentAt;
    // pushed as the turn ends, not at the next poll
    expect(elapsed).toBeLessThan(2000);
    const after = client.activities.slice(before);
    // the customer's own message comes back first (with its clientActivityID), then the bot's reply, in order
    expect(after[0]).toMatchObject({ type: 'message', id: posted.body.id, from: { role: 'user' } });
    const ids = client.activities.filter((a) => a.id).map((a) => Number(String(a.id).split('|')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a reconnect with a watermark replays from it; without one, only what comes next', async () => {
    const dl = await connect(bot.url, 'ms-MY');
    await dl.post(message('Bagaimana nak bayar bil?'));
    const all = await dl.poll();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const middle = all[1]!.id.split('|')[1];
    const fromWatermark = await reconnect(bot.url, dl.conversationId, dl.token, String(Number(middle)));
    expect(fromWatermark.status).toBe(200);
    expect(fromWatermark.body).toMatchObject({ conversationId: dl.conversationId, token: expect.any(String), streamUrl: expect.stringContaining('watermark=') });
    const replay = await stream(fromWatermark.body.streamUrl);
    await replay.until(() => replay.activities.length >= all.length - 2);
    expect(replay.activities.map((a) => a.id)).toEqual(all.slice(2).map((a: any) => a.id));

    const fresh = await reconnect(bot.url, dl.conversationId, dl.token);
    expect(fresh.body.streamUrl).not.toContain('watermark=');
    const onlyNew = await stream(fresh.body.streamUrl);
    // the first stream is closed: one stream per conversation
    await replay.until(() => replay.closed !== undefined);
    expect(replay.closed).toEqual({ code: 1000, reason: 'collision' });
    await new Promise((r) => setTimeout(r, 300));
    expect(onlyNew.activities).toEqual([]);
    await dl.post(message('terima kasih'));
    await onlyNew.until(() => onlyNew.botTexts().length > 0);
    expect(onlyNew.activities[0]).toMatchObject({ text: 'terima kasih', from: { role: 'user' } });

    // a malformed watermark and a foreign conversation, as the reference answers them
    expect((await reconnect(bot.url, dl.conversationId, dl.token, 'abc')).status).toBe(400);
    const other = await connect(bot.url);
    const foreign = await reconnect(bot.url, other.conversationId, dl.token);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({ code: 'BadArgument', message: expect.any(String) });
  });

  test('a reply appended by another process reaches the open stream', async () => {
    const dl = await connect(bot.url, 'en-US');
    const client = await stream(dl.streamUrl);
    await client.until(() => client.botTexts().length > 0);
    const count = client.botTexts().length;
    // what the staff CLI does: its own connection, its own store, an append to the conversation
    const store = new DirectLineStore(other.db);
    const startedAt = Date.now();
    await store.append(dl.conversationId, {
      type: 'message',
      text: 'A reply from customer service',
      from: { id: 'bot', name: 'Support Bot', role: 'bot' } as any,
      conversation: { id: dl.conversationId } as any,
    });
    await client.until(() => client.botTexts().length > count);
    expect(client.botTexts().at(-1)).toBe('A reply from customer service');
    // found by the process's poll (every 200 ms here), not by a client poll
    expect(Date.now() - startedAt).toBeLessThan(3000);
  });

  test('a turn that takes a while shows a typing indicator on the stream (never stored, so never polled)', async () => {
    const dl = await connect(bot.url, 'en-US');
    const client = await stream(dl.streamUrl);
    await client.until(() => client.botTexts().length > 0);
    const before = client.activities.length;
    // a turn of the web chat adapter whose logic takes 600 ms (the typing indicator goes out after 150 ms)
    await bot.feature.adapter.processActivity(
      {
        type: 'message',
        text: 'slow question',
        channelId: 'webchat',
        conversation: { id: dl.conversationId } as any,
        from: { id: dl.userId, role: 'user' } as any,
        recipient: bot.feature.adapter.bot as any,
      },
      async (context) => {
        await new Promise((r) => setTimeout(r, 600));
        await context.sendActivity('slow answer');
      },
    );
    await client.until(() => client.botTexts().includes('slow answer'));
    const after = client.activities.slice(before);
    const typing = after.findIndex((a) => a.type === 'typing');
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(after[typing]).toMatchObject({ from: { role: 'bot' } });
    expect(typing).toBeLessThan(after.findIndex((a) => a.text === 'slow answer'));
    expect((await dl.poll()).some((a: any) => a.type === 'typing')).toBe(false);
  });

  test('shutdown closes the open streams with 1001 (going away)', async () => {
    const dl = await connect(bot.url, 'en-US');
    const client = await stream(dl.streamUrl);
    await client.until(() => client.botTexts().length > 0);
    await bot.http.upgrades.shutdown();
    await client.until(() => client.closed !== undefined);
    expect(client.closed!.code).toBe(1001);
  });
});

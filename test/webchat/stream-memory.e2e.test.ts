/**
 * The stream sends the appends of its own process from memory (no database read per reply), and falls back
 * to the database when another process appended in between (a gap in the sequence), in order, with no
 * repeats. The database poll is set to a minute here, so only these two paths can deliver anything.
 */
import { WebSocket } from 'ws';
import { DirectLineStore } from '../../src/channels/directline/store';
import { type Database, openDatabase } from '../../src/db';
import { type WebChatBot, connect, message, startWebChatBot } from './helpers';

jest.setTimeout(60_000);

describe('the Direct Line stream from memory', () => {
  let bot: WebChatBot;
  let other: Database;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    bot = await startWebChatBot({ RATE_LIMIT_PER_IP: '100000', DIRECT_LINE_STREAM_POLL_MS: '60000', DATABASE_URL: '' });
    const file = bot.runtime.config.database.kind === 'sqlite' ? bot.runtime.config.database.file : '';
    other = await openDatabase({ kind: 'sqlite', file });
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await other?.close();
    await bot?.stop();
  });

  async function open(url: string) {
    const sets: Array<{ activities: Array<Record<string, any>>; watermark: string }> = [];
    const ws = new WebSocket(url);
    sockets.push(ws);
    ws.on('message', (d) => d.toString() !== '' && sets.push(JSON.parse(d.toString())));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!check()) throw new Error(`stream: timed out; got ${JSON.stringify(sets)}`);
    };
    return { sets, until, activities: () => sets.flatMap((s) => s.activities) };
  }

  test("a turn's echo and replies reach the stream with no database read", async () => {
    const dl = await connect(bot.url, 'en-US');
    const s = await open(dl.streamUrl);
    await s.until(() => s.activities().some((a) => a.from?.role === 'bot'));
    const reads = jest.spyOn(bot.feature.store, 'activitiesAfter');
    try {
      const before = s.activities().length;
      expect((await dl.post(message('How do I pay my bill?', 'en-US'))).status).toBe(200);
      await s.until(() => s.activities().slice(before).some((a) => a.from?.role === 'bot'));
      const sent = s.activities().slice(before);
      expect(sent[0]).toMatchObject({ type: 'message', text: 'How do I pay my bill?', from: { role: 'user' } });
      // as the database holds them: same ids, same watermark, the stored (masked) copy
      const stored = await bot.feature.store.activitiesAfter(dl.conversationId, before);
      expect(sent).toEqual(stored.activities.slice(0, sent.length));
      expect(s.sets.at(-1)!.watermark).toBe(String(before + sent.length));
      expect(reads).toHaveBeenCalledTimes(1); // the one just above, by the test
    } finally {
      reads.mockRestore();
    }
  });

  test('an append by another process in between: the next append of this process brings both, in order', async () => {
    const dl = await connect(bot.url, 'en-US');
    const s = await open(dl.streamUrl);
    await s.until(() => s.activities().some((a) => a.from?.role === 'bot'));
    const before = s.activities().length;
    const say = (text: string) => ({ type: 'message', text, from: { id: 'bot', name: 'Support Bot', role: 'bot' } as any, conversation: { id: dl.conversationId } as any });
    // another process (the staff CLI): not seen here until the poll, a minute away
    await new DirectLineStore(other.db).append(dl.conversationId, say('from the staff CLI'));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.activities()).toHaveLength(before);
    // this process appends the next one: held in memory, but it does not follow what was sent
    await bot.feature.store.append(dl.conversationId, say('from this process'));
    await s.until(() => s.activities().length >= before + 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.activities().slice(before).map((a) => a.text)).toEqual(['from the staff CLI', 'from this process']);
    expect(s.sets.at(-1)!.watermark).toBe(String(before + 2));
  });
});

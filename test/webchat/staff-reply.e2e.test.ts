/**
 * A staff reply to a ticket raised in the web chat, sent with the real CLI (`node dist/src/cli/tickets.js
 * reply …`, another process on the same database), arrives live on the customer's open stream, and the
 * ticket records it as delivered through the bot; a web chat past its lifetime is unreachable, so the reply
 * goes by e-mail and the ticket records why. Needs the build (dist/).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { directLineConnection } from '../../src/channels/directline/connection';
import { DirectLineStore } from '../../src/channels/directline/store';
import { type Database, openDatabase } from '../../src/db';
import { MessageCatalog } from '../../src/language/catalog';
import { createLogger } from '../../src/logging';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import { AdapterProactiveMessenger } from '../../src/services/proactive';
import { TicketService } from '../../src/services/tickets';
import { type WebChatBot, connect, startWebChatBot } from './helpers';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/src/cli/tickets.js');
const run = promisify(execFile);

jest.setTimeout(90_000);

describe('a staff reply from the CLI reaches the open web chat', () => {
  let bot: WebChatBot;
  let db: Database;
  let service: TicketService;
  const catalog = MessageCatalog.load(path.join(ROOT, 'knowledge/messages'));
  const silent = createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) });

  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error('build first: npx tsc -b tsconfig.json');
    bot = await startWebChatBot({ RATE_LIMIT_PER_IP: '100000', DIRECT_LINE_STREAM_POLL_MS: '200' });
    const file = bot.runtime.config.database.kind === 'sqlite' ? bot.runtime.config.database.file : '';
    db = await openDatabase({ kind: 'sqlite', file });
    const webchat = directLineConnection(db.db, catalog, bot.runtime.config).adapter;
    service = new TicketService({
      db: db.db,
      mail: new SqlMailOutbox(db.db, { from: 'Bot <bot@example.com>' }),
      catalog,
      log: silent,
      proactive: new AdapterProactiveMessenger('').attach('webchat', webchat),
    });
  });

  afterAll(async () => {
    await db?.close();
    await bot?.stop();
  });

  /** A ticket as the ticket dialog raises it in this conversation (its reference to the conversation). */
  const raise = (conversationId: string, userId: string, key: string) =>
    service.create({
      requestKey: key,
      category: 'billing',
      description: 'Charged twice',
      name: 'Ali',
      email: 'ali@example.com',
      lang: 'en',
      channel: 'webchat',
      channelUserId: userId,
      conversationRef: {
        channelId: 'webchat',
        serviceUrl: `${bot.runtime.config.publicUrl}/directline`,
        conversation: { id: conversationId } as never,
        user: { id: userId, name: '' },
        bot: { id: 'support-bot', name: 'Support Bot' },
      },
    });

  test('live on the stream, recorded as delivered by the bot', async () => {
    const dl = await connect(bot.url, 'en-US');
    const received: Array<Record<string, any>> = [];
    const ws = new WebSocket(dl.streamUrl);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text) received.push(...(JSON.parse(text) as { activities: Array<Record<string, any>> }).activities);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const { ticket } = await raise(dl.conversationId, dl.userId, 'k1');

    const { stdout } = await run(process.execPath, ['--disable-warning=DEP0111', CLI, 'reply', ticket.reference, 'We refunded the second charge.', '--author', 'Aminah'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: bot.runtime.config.dataDir, KNOWLEDGE_DIR: path.join(ROOT, 'knowledge'), DATABASE_URL: '', LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    expect(stdout).toContain('delivered: bot');
    const deadline = Date.now() + 10_000;
    while (!received.some((a) => String(a.text ?? '').includes('We refunded the second charge.')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const reply = received.find((a) => String(a.text ?? '').includes('We refunded the second charge.'));
    expect(reply).toMatchObject({ type: 'message', from: { role: 'bot' }, locale: 'en-MY' });
    expect(reply!.text).toContain(ticket.reference);
    ws.close();
    const after = (await service.get(ticket.reference))!;
    expect(after.replies[0]).toMatchObject({ delivery: 'bot', deliveryError: null });
  });

  test('a web chat past its lifetime cannot see the reply: it goes by e-mail, and the ticket says why', async () => {
    // a conversation started 25 hours ago (the default lifetime is 24)
    const old = new DirectLineStore(db.db, () => Date.now() - 25 * 3_600_000);
    await old.createConversation('old-conversation', 'dl_old');
    const { ticket } = await raise('old-conversation', 'dl_old', 'k2');
    const { reply } = await service.reply(ticket.reference, { text: 'Your refund is on its way.', author: 'Aminah' });
    expect(reply.delivery).toBe('email');
    expect(reply.deliveryError).toMatch(/past its lifetime/);
    expect((await old.activitiesAfter('old-conversation', 0)).activities).toEqual([]);
  });
});

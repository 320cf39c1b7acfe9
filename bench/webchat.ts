/**
 * The web chat under load (issue 16), against the built bot (`node dist/src/index.js`, SQLite, as started in
 * production) on one instance:
 * 1. `chats` concurrent open web chats (default 200), each with its Direct Line WebSocket stream, each sending
 *    `turns` questions at a person's pace (a first one within 5 s, then one every 2 to 8 s, at random: about
 *    40 questions a second from the 200 chats together): "reply visible" is the time from the POST of a
 *    question to the bot's reply arriving on the chat's stream (what the customer waits for); p50 and p99.
 * 2. `idle` more conversations (default 1,000) with their streams open and nothing said: the bot's extra RSS.
 * Run by `npm run bench` (bench/index.ts), or alone: node dist/bench/webchat.js.
 */
import { WebSocket } from 'ws';
import { memoryOf, round, startOurBot } from './http';

export interface WebChatBenchResult {
  chats: number;
  turns: number;
  replyVisible: { p50: number; p99: number; max: number; samples: number };
  /** From the POST of a question to its HTTP answer (the server's turn, which writes the reply before it answers). */
  postAnswered: { p50: number; p99: number; max: number };
  /** Turns whose reply reached the stream only after the POST's answer (else the delivery was not the wait). */
  visibleAfterAnswer: number;
  idleStreams: number;
  rssBeforeMb: number;
  rssWithIdleMb: number;
  extraRssMb: number;
  failures: number;
}

const QUESTIONS = ['How do I pay my Digi bill?', 'camne nk upgrade akaun ebiz', 'Apa beza Pengguna Biasa dan Pengguna Utama?', 'How do I reset my eBiz password?'];

interface Chat {
  conversationId: string;
  token: string;
  ws: WebSocket;
  /** Resolves the wait for the next bot message on the stream. */
  waiting?: (at: number) => void;
}

async function openChat(url: string): Promise<Chat> {
  const generated = (await (await fetch(`${url}/directline/tokens/generate`, { method: 'POST' })).json()) as { token: string };
  const started = await fetch(`${url}/directline/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'en-US' }),
  });
  if (started.status !== 201) throw new Error(`start: HTTP ${started.status}`);
  const conversation = (await started.json()) as { conversationId: string; token: string; streamUrl: string };
  const ws = new WebSocket(conversation.streamUrl, { perMessageDeflate: false });
  const chat: Chat = { conversationId: conversation.conversationId, token: conversation.token, ws };
  let welcomed: () => void;
  const welcome = new Promise<void>((resolve) => (welcomed = resolve));
  ws.on('message', (data) => {
    const text = data.toString();
    if (!text) return;
    const set = JSON.parse(text) as { activities: Array<{ type: string; from?: { role?: string } }> };
    if (set.activities.some((a) => a.type === 'message' && a.from?.role === 'bot')) {
      welcomed();
      const w = chat.waiting;
      chat.waiting = undefined;
      w?.(performance.now());
    }
  });
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  await welcome;
  return chat;
}

/** Opens `count` chats, `parallel` at a time. */
async function openChats(url: string, count: number, parallel: number): Promise<Chat[]> {
  const chats: Chat[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        chats.push(await openChat(url));
      }
    }),
  );
  return chats;
}

async function turn(url: string, chat: Chat, text: string): Promise<{ visible: number; answered: number }> {
  const arrived = new Promise<number>((resolve, reject) => {
    chat.waiting = resolve;
    setTimeout(() => reject(new Error('no reply within 10 s')), 10_000).unref();
  });
  arrived.catch(() => undefined);
  const sent = performance.now();
  const res = await fetch(`${url}/directline/conversations/${chat.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text, locale: 'en-US' }),
  });
  if (res.status !== 200) throw new Error(`post: HTTP ${res.status}`);
  await res.arrayBuffer();
  const answered = performance.now() - sent;
  return { visible: (await arrived) - sent, answered };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * `entry`: the bot's script (default dist/src/index.js); bench/index.ts passes another build's
 * (BENCH_WEBCHAT_BASELINE) to measure it under the same load in the same run, before this build.
 */
export async function runWebChatBench(options: { chats?: number; turns?: number; idle?: number; entry?: string; log: (line: string) => void }): Promise<WebChatBenchResult> {
  const { log } = options;
  const chatsWanted = options.chats ?? 200;
  const turns = options.turns ?? 5;
  const idle = options.idle ?? 1000;
  const bot = await startOurBot('webchat', { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_CONVERSATION: '100000', HTTP_MAX_CONNECTIONS: '0' }, options.entry);
  try {
    // warm-up: a few chats and turns, so the first measured turns do not pay for lazy loading
    const warm = await openChats(bot.url, 5, 5);
    for (const c of warm) await turn(bot.url, c, QUESTIONS[0]!);
    for (const c of warm) c.ws.close();

    log(`  opening ${chatsWanted} web chats (each with its stream)…`);
    const chats = await openChats(bot.url, chatsWanted, 20);
    log(`  ${chatsWanted} chats × ${turns} questions at a person's pace…`);
    const samples: number[] = [];
    const answers: number[] = [];
    let visibleAfterAnswer = 0;
    let failures = 0;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      chats.map(async (chat, i) => {
        await pause(Math.random() * 5000);
        for (let t = 0; t < turns; t++) {
          try {
            const r = await turn(bot.url, chat, QUESTIONS[(i + t) % QUESTIONS.length]!);
            samples.push(r.visible);
            answers.push(r.answered);
            if (r.visible > r.answered + 1) visibleAfterAnswer++;
          } catch {
            failures++;
          }
          await pause(2000 + Math.random() * 6000);
        }
      }),
    );
    samples.sort((a, b) => a - b);
    const replyVisible = { p50: round(percentile(samples, 50), 1), p99: round(percentile(samples, 99), 1), max: round(samples[samples.length - 1] ?? 0, 1), samples: samples.length };
    answers.sort((a, b) => a - b);
    const postAnswered = { p50: round(percentile(answers, 50), 1), p99: round(percentile(answers, 99), 1), max: round(answers[answers.length - 1] ?? 0, 1) };
    log(`  reply visible: p50 ${replyVisible.p50} ms, p99 ${replyVisible.p99} ms, max ${replyVisible.max} ms (${samples.length} turns, ${failures} failed)`);
    log(`  POST answered: p50 ${postAnswered.p50} ms, p99 ${postAnswered.p99} ms, max ${postAnswered.max} ms; reply on the stream after the POST's answer in ${visibleAfterAnswer} turns`);
    for (const c of chats) c.ws.close();
    await new Promise((r) => setTimeout(r, 2000));

    global.gc?.();
    const rssBeforeMb = memoryOf(bot.pid).rssMb;
    log(`  opening ${idle} idle streams…`);
    const idleChats = await openChats(bot.url, idle, 20);
    await new Promise((r) => setTimeout(r, 5000));
    const rssWithIdleMb = memoryOf(bot.pid).rssMb;
    const extraRssMb = round(rssWithIdleMb - rssBeforeMb, 1);
    log(`  RSS ${rssBeforeMb} MB → ${rssWithIdleMb} MB with ${idle} idle streams open (+${extraRssMb} MB)`);
    for (const c of idleChats) c.ws.terminate();
    return { chats: chatsWanted, turns, replyVisible, postAnswered, visibleAfterAnswer, idleStreams: idle, rssBeforeMb, rssWithIdleMb, extraRssMb, failures };
  } finally {
    await bot.stop();
  }
}

if (require.main === module) {
  runWebChatBench({ log: (l) => process.stdout.write(`${l}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`webchat bench failed: ${(err as Error).stack}\n`);
      process.exit(1);
    });
}

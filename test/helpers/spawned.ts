/**
 * The compiled server (dist/, built by `npm test` before jest runs) as its own process on 127.0.0.1 and an
 * ephemeral port: for what only a separate process shows (its open file descriptors in /proc, its own
 * environment such as TMPDIR).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

export interface SpawnedBot {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  dataDir: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function spawnBot(env: Record<string, string> = {}): Promise<SpawnedBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-spawned-'));
  const child = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout!.on('data', (chunk) => (buffer += String(chunk)));
  child.stderr!.on('data', (chunk) => (buffer += String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(check);
      reject(new Error(`the server did not start: ${buffer}`));
    }, 30_000);
    const check = setInterval(() => {
      const m = /listening on http:\/\/localhost:(\d+)/.exec(buffer);
      if (m || child.exitCode !== null) {
        clearInterval(check);
        clearTimeout(timer);
        if (m) resolve(Number(m[1]));
        else reject(new Error(`the server exited: ${buffer}`));
      }
    }, 50);
  });
  return {
    child,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    output: () => buffer,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bot process on a data folder the test owns (kill -9 tests restart it on the same folder). */
export interface BotProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
  /** stdout and stderr so far, chunk by chunk. */
  output: string[];
}

/**
 * Starts dist/src/index.js on `dataDir` with generous HTTP limits (a test's many customers all post from
 * 127.0.0.1) and the test's own settings on top; resolves once it listens.
 */
export async function startBotProcess(dataDir: string, env: Record<string, string> = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_CONVERSATION: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (c) => output.push(String(c)));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${buffer}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      output.push(String(chunk));
      buffer += String(chunk);
      const m = /listening on[^\n]*:(\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, exited, output };
}

/** One message of a local test channel with expectReplies: whether it was answered (200), and the replies' text. */
export async function sayOverHttp(url: string, conv: string, text: string): Promise<{ ok: boolean; text: string }> {
  try {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `${conv}-${Date.now()}-${Math.random()}`,
        text,
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:9',
        deliveryMode: 'expectReplies',
        conversation: { id: conv },
        from: { id: `${conv}-user` },
        recipient: { id: 'bot' },
        locale: 'en-US',
      }),
    });
    const body = (await res.json()) as { activities?: Array<{ text?: string; attachments?: Array<{ content?: { fallbackText?: string } }> }> };
    // a result shown as a card carries its text as the card's fallbackText (src/bot/reply.ts)
    const textOf = (a: { text?: string; attachments?: Array<{ content?: { fallbackText?: string } }> }) => a.text ?? a.attachments?.[0]?.content?.fallbackText ?? '';
    return { ok: res.status === 200, text: (body.activities ?? []).map(textOf).join('\n') };
  } catch {
    return { ok: false, text: '' };
  }
}

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

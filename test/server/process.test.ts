/**
 * The compiled programs as a user runs them: the terminal chat with piped stdin, and the server's graceful
 * shutdown on SIGTERM (dist/ is built by `npm test` before jest runs).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATA_DIR: dataDir,
  LOG_FORMAT: 'json',
  NODE_ENV: 'test',
  ...extra,
});

test('npm run chat: piped lines are answered in order, in their language', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-'));
  const result = spawnSync(process.execPath, [path.join(root, 'dist/src/cli/chat.js')], {
    cwd: root,
    input: 'hai\ncamne nk upgrade akaun\nhow do I upgrade my account\n',
    env: env(dataDir),
    encoding: 'utf8',
    timeout: 30000,
  });
  expect(result.status).toBe(0);
  const out = result.stdout;
  expect(out).toContain('bot> Hai!');
  const ms = out.indexOf('you> camne nk upgrade akaun');
  const en = out.indexOf('you> how do I upgrade my account');
  expect(ms).toBeGreaterThan(0);
  expect(en).toBeGreaterThan(ms);
  expect(out.slice(ms, en)).toContain('kaunter JUPEM');
  expect(out.slice(en)).toMatch(/JUPEM counter/i);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 20000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in: ${buffer}`)), timeoutMs);
    child.stdout!.on('data', (chunk) => {
      buffer += String(chunk);
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

test('SIGTERM: the server stops accepting, finishes, closes the database and exits 0', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-sig-'));
  const child = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: env(dataDir, { PORT: '0', HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = await waitForLine(child, /listening on/);
  const port = Number(/localhost:(\d+)/.exec(listening)![1]);
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(res.status).toBe(200);
  const stopped = waitForLine(child, /"msg":"stopped"/);
  child.kill('SIGTERM');
  await stopped;
  expect(await exited).toBe(0);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

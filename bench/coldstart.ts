/**
 * Cold start: from spawning the process to the first answered message (an FAQ question POSTed with
 * expectReplies, retried every 5 ms until the server answers it). Measured for a first start on an empty
 * DATA_DIR (the database created and migrated) and for a restart on the same DATA_DIR, and for the echo bot
 * as a reference.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, activityBody, botEnv, freePort, median, round } from './http';

export interface ColdStartResult {
  target: string;
  runsMs: number[];
  medianMs: number;
}

/** Spawns `script`, POSTs `text` until it is answered; resolves with the milliseconds it took. */
export async function timeToFirstAnswer(script: string, env: Record<string, string>, text: string, expect: RegExp): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${script} exited before answering`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: activityBody(text, 'coldstart-1'),
        });
        const body = await res.text();
        if (res.status === 200 && expect.test(body)) return round(performance.now() - t0, 1);
        throw new Error(`first answer was ${res.status}: ${body.slice(0, 200)}`);
      } catch (err) {
        if ((err as Error).message.startsWith('first answer')) throw err;
        if (performance.now() - t0 > 30_000) throw new Error(`${script}: no answer within 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

export async function runColdStart(runs = 3, log: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<ColdStartResult[]> {
  const bot = path.join(ROOT, 'dist/src/index.js');
  const echo = path.join(ROOT, 'dist/bench/echo-bot.js');
  const faq = 'how do I upgrade my ebiz account';
  const results: ColdStartResult[] = [];
  const measure = async (target: string, once: () => Promise<number>) => {
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) runsMs.push(await once());
    results.push({ target, runsMs, medianMs: median(runsMs) });
    log(`  cold start ${target}: ${runsMs.join(', ')} ms (median ${median(runsMs)} ms)`);
  };
  const dirs: string[] = [];
  try {
    await measure('bot, first start (empty DATA_DIR: database created and migrated)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
      dirs.push(dir);
      return timeToFirstAnswer(bot, botEnv(dir), faq, /JUPEM counter/);
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-warm-'));
    dirs.push(dir);
    await timeToFirstAnswer(bot, botEnv(dir), faq, /JUPEM counter/);
    await measure('bot, restart (existing DATA_DIR)', () => timeToFirstAnswer(bot, botEnv(dir), faq, /JUPEM counter/));
    await measure('echo bot', () => timeToFirstAnswer(echo, {}, 'hello', /echo: hello/));
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) {
  runColdStart().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}

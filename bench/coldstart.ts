/**
 * Cold start: from spawning the process to the first answered message (an FAQ question POSTed with
 * expectReplies, retried every 5 ms until the server answers it). Measured for a first start on an empty
 * DATA_DIR (the database created and migrated) and for a restart on the same DATA_DIR, and for the echo bot
 * as a reference.
 *
 * Commands (`runCommandTimes`): every CLI command and `npm start`, each run both as a user types it
 * (`npm run …`: npm's own start, the build script's freshness check, then node) and as `node dist/…` (the
 * program alone), round-robin so that a busy moment of a shared machine falls on every command alike; medians
 * of `runs`, with the load average and the time of `node -e 0` (the floor of any node process) beside them.
 * A CLI is timed to its exit, `npm run chat` to its first output (the greeting, shown with the prompt), `npm
 * start` to its first answered message.
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

export interface CommandTime {
  command: string;
  runsMs: number[];
  medianMs: number;
  /** the issue's goal for this command (ms), when it has one */
  goalMs?: number;
}

export interface CommandTimes {
  loadAverage: number[];
  rows: CommandTime[];
}

/**
 * Runs `cmd args` until `until`: its successful exit ('exit'), its exit whatever the status ('any-exit': a
 * command expected to refuse), or its first byte on stdout ('output'; then it is stopped); the milliseconds it took.
 */
export function timeCommand(cmd: string, args: string[], env: Record<string, string>, until: 'exit' | 'any-exit' | 'output' = 'exit'): Promise<number> {
  const untilOutput = until === 'output';
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // its own process group: `npm run` starts sh, which starts node; a kill must reach all of them
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdin.end();
    let stderr = '';
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      const ms = round(performance.now() - t0, 1);
      if (err) reject(err);
      else resolve(ms);
    };
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout.on('data', () => {
      if (!untilOutput || done) return;
      finish();
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    });
    child.once('error', finish);
    child.once('exit', (code) => finish(code === 0 || until !== 'exit' ? undefined : new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`)));
  });
}

/**
 * Start-up of every command, `npm run …` beside `node dist/…` (see the header). The CLI commands read a
 * migrated database in a temporary DATA_DIR; `show` asks for a ticket that does not exist (the same loading,
 * one query).
 */
export async function runCommandTimes(runs = 5, log: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<CommandTimes> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cmd-'));
  const env = botEnv(dir);
  const node = process.execPath;
  const flag = '--disable-warning=DEP0111';
  const bot = path.join(ROOT, 'dist/src/index.js');
  const cli = (name: string) => path.join(ROOT, 'dist/src/cli', `${name}.js`);
  const ticket = 'TKT-20260101-ZZZZ';
  type Cmd = { command: string; run: () => Promise<number>; goalMs?: number };
  const start = async (viaNpm: boolean): Promise<number> => {
    const port = await freePort();
    const e = { ...env, PORT: String(port), HOST: '127.0.0.1' };
    if (!viaNpm) return timeToFirstAnswer(bot, e, 'how do I upgrade my ebiz account', /JUPEM counter/);
    // npm start: the same first answer, through npm and the build check
    const t0 = performance.now();
    const child = spawn('npm', ['start', '-s'], { cwd: ROOT, env: { ...process.env, ...e }, stdio: 'ignore', detached: true });
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error('npm start exited before answering');
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: activityBody('how do I upgrade my ebiz account', 'coldstart-npm'),
          });
          if (res.status === 200 && /JUPEM counter/.test(await res.text())) return round(performance.now() - t0, 1);
        } catch {
          // not listening yet
        }
        if (performance.now() - t0 > 30_000) throw new Error('npm start: no answer within 30 s');
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      });
    }
  };
  const commands: Cmd[] = [
    { command: 'node -e 0 (floor)', run: () => timeCommand(node, ['-e', '0'], env) },
    { command: 'node scripts/build.js (the freshness check alone, nothing changed; the npm scripts preload it)', run: () => timeCommand(node, ['scripts/build.js'], env) },
    { command: 'npm start (first answer)', run: () => start(true), goalMs: 3000 },
    { command: 'node dist/src/index.js (first answer)', run: () => start(false) },
    { command: 'npm run tickets -- list', run: () => timeCommand('npm', ['run', '-s', 'tickets', '--', 'list'], env), goalMs: 1500 },
    { command: 'node dist/src/cli/tickets.js list', run: () => timeCommand(node, [flag, cli('tickets'), 'list'], env) },
    { command: `npm run tickets -- show (unknown ticket)`, run: () => timeCommand('npm', ['run', '-s', 'tickets', '--', 'show', ticket], env, 'any-exit'), goalMs: 1500 },
    { command: 'node dist/src/cli/tickets.js show', run: () => timeCommand(node, [flag, cli('tickets'), 'show', ticket], env, 'any-exit') },
    { command: 'npm run unanswered', run: () => timeCommand('npm', ['run', '-s', 'unanswered'], env), goalMs: 1500 },
    { command: 'node dist/src/cli/unanswered.js', run: () => timeCommand(node, [flag, cli('unanswered')], env) },
    { command: 'npm run kb:check', run: () => timeCommand('npm', ['run', '-s', 'kb:check'], env), goalMs: 1500 },
    { command: 'node dist/src/cli/kb-check.js knowledge', run: () => timeCommand(node, [flag, cli('kb-check'), 'knowledge'], env) },
    { command: 'npm run chat (to the greeting)', run: () => timeCommand('npm', ['run', '-s', 'chat'], env, 'output'), goalMs: 1500 },
    { command: 'node dist/src/cli/chat.js (to the greeting)', run: () => timeCommand(node, [flag, cli('chat')], env, 'output') },
  ];
  try {
    // the database created and migrated once, the caches under DATA_DIR filled: every timed run is a restart
    await start(false);
    const times = new Map<string, number[]>(commands.map((c) => [c.command, []]));
    for (let i = 0; i < runs; i++) for (const c of commands) times.get(c.command)!.push(await c.run());
    const loadAverage = os.loadavg().map((x) => round(x, 2));
    const rows = commands.map((c) => {
      const runsMs = times.get(c.command)!;
      return { command: c.command, runsMs, medianMs: median(runsMs), ...(c.goalMs ? { goalMs: c.goalMs } : {}) };
    });
    log(`  load average ${loadAverage.join(' ')} on ${os.cpus().length} cores`);
    for (const r of rows) log(`  ${r.command}: median ${r.medianMs} ms (${r.runsMs.join(', ')})${r.goalMs ? ` goal < ${r.goalMs} ms` : ''}`);
    return { loadAverage, rows };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--commands') {
  runCommandTimes(Number(process.argv[3] ?? 5)).catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  runColdStart().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}

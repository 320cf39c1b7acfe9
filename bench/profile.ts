/**
 * Profiles turns: starts our bot under `node --cpu-prof`, runs a short load of one scenario (faq or dialog,
 * default faq) at 10 concurrent, stops the bot (the profile is written on exit) and prints the functions
 * with the most self time, and the self time per file/package.
 *
 * Run: node dist/bench/profile.js [faq|dialog] [seconds]   (the .cpuprofile stays in the printed directory)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SCENARIOS, botEnv, freePort, round, runLoad } from './http';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps profile samples with on Linux, shared by every process. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Self time per function and per file, counting only the samples taken within [fromUs, toUs] when given. */
export function summarise(profile: CpuProfile, top = 25, fromUs = -Infinity, toUs = Infinity): { functions: string[]; files: string[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const short = (url: string) => {
    const u = url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    return nm ? `[${nm[1]}]` : u || '(native/vm)';
  };
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    file.set(short(f.url), (file.get(short(f.url)) ?? 0) + us);
  }
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${String(round((100 * us) / total, 1)).padStart(5)} %  ${k}`);
  return { functions: fmt(fn), files: fmt(file) };
}

async function main(): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.name === (process.argv[2] ?? 'faq'));
  if (!scenario) throw new Error('scenario: faq | dialog | echo');
  const seconds = Number(process.argv[3] ?? 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, path.join(ROOT, 'dist/src/index.js')], {
    cwd: ROOT,
    env: { ...process.env, ...botEnv(path.join(dir, 'data')), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 1500) throw new Error('bot did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  await scenario.prepare?.(url, scenario.prefix);
  await runLoad(url, scenario, 4, 2); // warm-up
  const from = monotonicUs();
  const r = await runLoad(url, scenario, 10, seconds);
  const to = monotonicUs();
  process.stdout.write(`${scenario.name}: ${r.rps} turns/s, p50 ${r.p50} ms, p99 ${r.p99} ms, wrong replies ${r.mismatches}\n`);
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const { functions, files } = summarise(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, 30, from, to);
  process.stdout.write(`\nself time by function (during the load only):\n${functions.join('\n')}\n`);
  process.stdout.write(`\nself time by file / package:\n${files.join('\n')}\n\nprofile: ${path.join(dir, file)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}

/**
 * `npm run bench` (after the build: node dist/bench/index.js): every benchmark in one run, side by side —
 * 1. recognition latency: spawns `node dist/bench/nlu.js` (bench/nlu.ts), reads bench/results/nlu.json;
 * 2. cold start (bench/coldstart.ts), and the start-up of every command, `npm run …` beside `node dist/…`
 *    (runCommandTimes there, BENCH_COMMAND_RUNS runs each, default 5);
 * 3. end-to-end HTTP turns and RSS (bench/http.ts): echo ceiling, FAQ turn, mid-dialog turn at each
 *    concurrency, `repeats` runs each, medians and the ratio to the echo ceiling;
 * 4. the web chat (bench/webchat.ts): 200 open chats over their WebSocket streams, reply visible p50/p99;
 *    the extra RSS of 1,000 idle open streams.
 * Writes bench/results/bench.json and bench/results/bench.md, and checks the issue's targets.
 *
 * Options (environment): BENCH_DURATION (s, default 10), BENCH_REPEATS (default 3),
 * BENCH_CONCURRENCY (default "1,10,50"), BENCH_SKIP (comma list of nlu, coldstart, commands, http, webchat),
 * BENCH_WEBCHAT_CHATS (default 200), BENCH_WEBCHAT_IDLE (default 1000), BENCH_WEBCHAT_BASELINE (another build's
 * dist/src/index.js: its web chat is measured first under the same load, and both are shown side by side).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ColdStartResult, type CommandTimes, runColdStart, runCommandTimes } from './coldstart';
import { type HttpBenchResult, ROOT, round, runHttpBench } from './http';
import { type WebChatBenchResult, runWebChatBench } from './webchat';

const RESULTS = path.join(ROOT, 'bench', 'results');

interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

function log(line: string): void {
  process.stdout.write(line + '\n');
}

function runNlu(): unknown {
  log('\n# recognition latency (node dist/bench/nlu.js)');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/bench/nlu.js')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench/nlu.js failed (exit ${r.status})`);
  log(`  (${Math.round((Date.now() - t0) / 1000)} s)`);
  return JSON.parse(fs.readFileSync(path.join(RESULTS, 'nlu.json'), 'utf8'));
}

function targets(http: HttpBenchResult | undefined, cold: ColdStartResult[] | undefined, commands?: CommandTimes, webchat?: WebChatBenchResult): Target[] {
  const out: Target[] = [];
  for (const c of commands?.rows ?? []) {
    if (c.goalMs) out.push({ name: `start-up: ${c.command}`, goal: `< ${c.goalMs} ms (issue 20)`, measured: `${c.medianMs} ms`, met: c.medianMs < c.goalMs });
  }
  if (webchat) {
    const v = webchat.replyVisible;
    out.push({ name: `web chat reply visible p50 (${webchat.chats} open chats)`, goal: '< 100 ms', measured: `${v.p50} ms`, met: v.p50 < 100 });
    out.push({ name: `web chat reply visible p99 (${webchat.chats} open chats)`, goal: '< 250 ms', measured: `${v.p99} ms (${webchat.failures} turns over 10 s)`, met: v.p99 < 250 && webchat.failures === 0 });
    out.push({ name: `extra RSS of ${webchat.idleStreams} idle streams`, goal: '< 150 MB', measured: `${webchat.extraRssMb} MB`, met: webchat.extraRssMb < 150 });
  }
  if (http) {
    const faq10 = http.medians.find((m) => m.scenario === 'faq' && m.connections === 10);
    if (faq10) {
      out.push({ name: 'FAQ throughput at 10 concurrent', goal: '≥ 60 % of echo', measured: `${round(faq10.ratioToEcho! * 100)} %`, met: faq10.ratioToEcho! >= 0.6 });
      out.push({ name: 'FAQ p99 at 10 concurrent', goal: '< 25 ms', measured: `${faq10.p99} ms`, met: faq10.p99 < 25 });
    }
    const dlg10 = http.medians.find((m) => m.scenario === 'dialog' && m.connections === 10);
    if (dlg10) out.push({ name: 'mid-dialog p99 at 10 concurrent', goal: '< 25 ms', measured: `${dlg10.p99} ms`, met: dlg10.p99 < 25 });
    const echo = http.memory.find((m) => m.target === 'echo');
    for (const m of http.memory.filter((x) => x.target !== 'echo')) {
      const ratio = m.peakRssMb / echo!.peakRssMb;
      out.push({ name: `peak RSS (${m.target}) vs echo`, goal: '≤ 1.3 ×', measured: `${round(ratio, 2)} × (${m.peakRssMb} / ${echo!.peakRssMb} MB)`, met: ratio <= 1.3 });
    }
  }
  const restart = cold?.find((c) => c.target.startsWith('bot, restart'));
  const first = cold?.find((c) => c.target.startsWith('bot, first'));
  if (restart) out.push({ name: 'cold start (restart)', goal: '< 1.5 s', measured: `${restart.medianMs} ms`, met: restart.medianMs < 1500 });
  if (first) out.push({ name: 'cold start (first start, empty database)', goal: '< 1.5 s', measured: `${first.medianMs} ms`, met: first.medianMs < 1500 });
  return out;
}

function nluRows(nlu: unknown): string[] {
  // bench/nlu.ts owns its JSON: show its rows when they have the expected fields, else what it holds
  const rows = (nlu as { rows?: Array<Record<string, unknown>> } | undefined)?.rows;
  if (Array.isArray(rows) && rows.every((r) => typeof r.p99Ms === 'number')) {
    const n = (v: unknown, d = 3) => (typeof v === 'number' ? String(round(v, d)) : '—');
    return [
      '| knowledge base | entries | index build ms | p50 ms | p99 ms |',
      '|---|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${String(r.kb ?? '')} | ${n(r.entries, 0)} | ${n(r.buildMs, 0)} | ${n(r.p50Ms)} | ${n(r.p99Ms)} |`),
    ];
  }
  return ['```json', JSON.stringify(nlu, null, 2).slice(0, 4000), '```'];
}

function markdown(
  meta: Record<string, unknown>,
  nlu: unknown,
  cold: ColdStartResult[] | undefined,
  http: HttpBenchResult | undefined,
  goals: Target[],
  commands?: CommandTimes,
): string {
  const lines: string[] = [`# Benchmark results`, '', `${meta.date} · ${meta.cpus} · node ${meta.node} · ${meta.note}`, ''];
  if (goals.length) {
    lines.push('## Targets (issues 9 and 20)', '', '| target | goal | measured | met |', '|---|---|---|---|');
    for (const g of goals) lines.push(`| ${g.name} | ${g.goal} | ${g.measured} | ${g.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  if (http) {
    lines.push(
      `## End-to-end turns over HTTP (median of ${meta.repeats} × ${meta.durationSec} s runs, pool of 1,000 conversations)`,
      '',
      ...http.scenarios.map((s) => `- \`${s.name}\`: ${s.describe}`),
      '',
      '| scenario | concurrent | turns/s | × echo | p50 ms | p99 ms | errors | wrong replies |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const m of http.medians)
      lines.push(`| ${m.scenario} | ${m.connections} | ${m.rps} | ${m.ratioToEcho ?? '—'} | ${m.p50} | ${m.p99} | ${m.errors + m.non2xx} | ${m.mismatches} |`);
    lines.push('', '## Memory (RSS, MB)', '', '| process | idle (warmed up) | after the loads | peak |', '|---|---:|---:|---:|');
    for (const m of http.memory) lines.push(`| ${m.target} | ${m.idleRssMb} | ${m.afterLoadRssMb} | ${m.peakRssMb} |`);
    lines.push('');
  }
  if (cold) {
    lines.push('## Cold start (spawn → first answered message)', '', '| process | runs (ms) | median ms |', '|---|---|---:|');
    for (const c of cold) lines.push(`| ${c.target} | ${c.runsMs.join(', ')} | ${c.medianMs} |`);
    lines.push('');
  }
  if (commands) {
    lines.push(
      `## Start-up of each command (median of ${commands.rows[0]?.runsMs.length ?? 0} runs, round-robin; load average ${commands.loadAverage.join(' ')})`,
      '',
      '| command | runs (ms) | median ms | goal |',
      '|---|---|---:|---|',
    );
    for (const c of commands.rows) lines.push(`| ${c.command} | ${c.runsMs.join(', ')} | ${c.medianMs} | ${c.goalMs ? `< ${c.goalMs} ms` : ''} |`);
    lines.push('');
  }
  if (nlu) {
    lines.push('## Recognition latency (bench/nlu.ts, bench/results/nlu.json)', '', ...nluRows(nlu), '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--render') {
    // bench/results/bench.md again from bench.json (after a change to the layout), without measuring
    const saved = JSON.parse(fs.readFileSync(path.join(RESULTS, 'bench.json'), 'utf8'));
    const md = markdown(saved.meta, saved.nlu, saved.coldStart, saved.http, saved.targets, saved.commands);
    fs.writeFileSync(path.join(RESULTS, 'bench.md'), md + '\n');
    log(md);
    return;
  }
  const durationSec = Number(process.env.BENCH_DURATION ?? 10);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const concurrency = (process.env.BENCH_CONCURRENCY ?? '1,10,50').split(',').map(Number);
  const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
  if (!fs.existsSync(path.join(ROOT, 'dist/src/index.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  fs.mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const meta = {
    date: new Date().toISOString(),
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
    node: process.version,
    durationSec,
    repeats,
    concurrency,
    note: 'load generator (autocannon) and servers share the machine; loads against 127.0.0.1',
  };
  const nlu = skip.has('nlu') ? undefined : runNlu();
  let cold: ColdStartResult[] | undefined;
  if (!skip.has('coldstart')) {
    log('\n# cold start');
    cold = await runColdStart(3, log);
  }
  let commands: CommandTimes | undefined;
  if (!skip.has('commands')) {
    log('\n# start-up of each command (npm run … beside node dist/…)');
    commands = await runCommandTimes(Number(process.env.BENCH_COMMAND_RUNS ?? 5), log);
  }
  let http: HttpBenchResult | undefined;
  if (!skip.has('http')) {
    log(`\n# HTTP turns: ${concurrency.join('/')} concurrent × ${repeats} repeats × ${durationSec} s`);
    http = await runHttpBench({ concurrency, durationSec, repeats, log });
  }
  let webchat: WebChatBenchResult | undefined;
  let webchatBaseline: WebChatBenchResult | undefined;
  if (!skip.has('webchat')) {
    const load = { chats: Number(process.env.BENCH_WEBCHAT_CHATS ?? 200), idle: Number(process.env.BENCH_WEBCHAT_IDLE ?? 1000), log };
    const baseline = process.env.BENCH_WEBCHAT_BASELINE;
    if (baseline) {
      log(`\n# web chat (WebSocket streams), baseline ${baseline}`);
      webchatBaseline = await runWebChatBench({ ...load, entry: path.resolve(baseline) });
    }
    log('\n# web chat (WebSocket streams)');
    webchat = await runWebChatBench(load);
    if (webchatBaseline) {
      const row = (name: string, r: WebChatBenchResult) =>
        `| ${name} | ${r.replyVisible.p50} | ${r.replyVisible.p99} | ${r.postAnswered.p50} | ${r.postAnswered.p99} | ${r.visibleAfterAnswer} | ${r.extraRssMb} |`;
      log('\n| web chat | visible p50 ms | visible p99 ms | POST p50 ms | POST p99 ms | visible after POST | idle RSS MB |');
      log('|---|---|---|---|---|---|---|');
      log(row('baseline', webchatBaseline));
      log(row('this build', webchat));
    }
  }
  const goals = targets(http, cold, commands, webchat);
  const json = { meta: { ...meta, totalSeconds: Math.round((Date.now() - started) / 1000) }, targets: goals, http, coldStart: cold, commands, nlu, webchat, ...(webchatBaseline ? { webchatBaseline } : {}) };
  fs.writeFileSync(path.join(RESULTS, 'bench.json'), JSON.stringify(json, null, 2) + '\n');
  const md = markdown(meta, nlu, cold, http, goals, commands);
  fs.writeFileSync(path.join(RESULTS, 'bench.md'), md + '\n');
  log('\n' + md);
  log(`written: bench/results/bench.json, bench/results/bench.md (${json.meta.totalSeconds} s in all)`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

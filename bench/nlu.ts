/**
 * npm run bench:nlu: p50/p99 latency of one Recognizer.match, the worst-case message's (hardMessages: random
 * words of 800 and 4,000 letters, random text of 100,000 characters), and the index build time, on the real
 * knowledge base and on synthetic ones of 1,000 and 10,000 entries, generated deterministically from the
 * real entries (examples recombined from two real entries plus invented words, not copies).
 * Prints a table and writes bench/results/nlu.json. Times are wall-clock (the targets); the build's CPU time
 * (this process, garbage collector threads included) is printed beside it, as it says more than the wall
 * time on a machine shared with other work.
 */
import fs from 'fs';
import path from 'path';
import { loadKnowledge } from '../src/knowledge';
import type { KnowledgeEntry } from '../src/knowledge/types';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../src/nlu/recognizer';

function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'knowledge', 'lexicon.yaml'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** mulberry32: a small deterministic PRNG */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'la', 'ma', 'ri', 'su', 'to', 'ne', 'ba', 'gi', 'pu', 'da', 'se', 'wo', 'ya', 'hu', 'ze'];

export function synthetic(real: KnowledgeEntry[], n: number, seed = 42): KnowledgeEntry[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const word = () => Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(SYLLABLES)).join('');
  const mix = (a: string, b: string, extra: string[]) => {
    const wa = a.split(/\s+/);
    const wb = b.split(/\s+/);
    return [...wa.slice(0, Math.ceil(wa.length / 2)), ...extra, ...wb.slice(Math.floor(wb.length / 2))].join(' ');
  };
  const out: KnowledgeEntry[] = [];
  for (let i = 0; i < n; i++) {
    const a = pick(real);
    const b = pick(real);
    const topic = [word(), word()];
    const examples = { ms: [] as string[], en: [] as string[] };
    for (const l of ['ms', 'en'] as const) {
      const k = Math.min(a.examples[l].length, b.examples[l].length, 7);
      for (let j = 0; j < k; j++) examples[l].push(mix(pick(a.examples[l]), pick(b.examples[l]), r() < 0.7 ? topic : [topic[0]]));
    }
    out.push({
      ...a,
      id: `synthetic.${i}`,
      pack: 'synthetic',
      question: { ms: examples.ms[0] ?? '', en: examples.en[0] ?? '' },
      label: { ms: `synthetic ${i}`, en: `synthetic ${i}` },
      examples,
      followups: [],
    });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Row { kb: string; entries: number; examples: number; buildMs: number; buildCpuMs: number; p50Ms: number; p99Ms: number; queries: number; worstMs: number }

/**
 * Messages of the largest accepted length with the worst content found (issue 13): single random words of 800
 * and 4,000 letters, 2,000 and 100,000 characters of random words, and 100,000 random code units.
 */
export function hardMessages(seed = 13): string[] {
  const r = rng(seed);
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('');
  const words = (n: number) => {
    let s = '';
    while (s.length < n) s += letters(1 + Math.floor(r() * 16)) + ' ';
    return s.slice(0, n);
  };
  const units = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(r() * 0x10000))).join('');
  return [letters(800), letters(4000), words(2000), words(100_000), units(100_000), `${letters(60)}@`.repeat(1600)];
}

function measure(name: string, entries: KnowledgeEntry[], queries: string[]): Row {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const rec = Recognizer.build(entries, DEFAULT_RECOGNIZER_OPTIONS);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const buildCpuMs = (cpu.user + cpu.system) / 1000;
  // warm-up: steady-state latency is what a running bot shows; the first queries of a fresh process pay for JIT compilation
  for (let i = 0; i < 2000; i++) rec.match(queries[i % queries.length]);
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const s = process.hrtime.bigint();
      rec.match(q);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }
  times.sort((x, y) => x - y);
  // the worst-case message: each hard message 5 times, the best of its 5 (a collection pause is not its cost)
  let worstMs = 0;
  for (const q of hardMessages()) {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const s = process.hrtime.bigint();
      rec.match(q);
      best = Math.min(best, Number(process.hrtime.bigint() - s) / 1e6);
    }
    worstMs = Math.max(worstMs, best);
  }
  return { kb: name, entries: entries.length, examples: rec.size.examples, buildMs, buildCpuMs, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), queries: times.length, worstMs };
}

export function main(): void {
  const root = projectRoot();
  const kb = loadKnowledge(path.join(root, 'knowledge'));
  const evalSet = path.join(root, 'test/eval/utterances.yaml');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  const queries = (parse(fs.readFileSync(evalSet, 'utf8')) as Array<{ text: string }>).map((u) => u.text);
  const rows = [
    measure('real', kb.entries, queries),
    measure('synthetic 1,000', synthetic(kb.entries, 1000), queries),
    measure('synthetic 10,000', synthetic(kb.entries, 10000), queries),
  ];
  const header = ['knowledge base', 'entries', 'examples indexed', 'build (ms)', 'build cpu (ms)', 'p50 (ms)', 'p99 (ms)', 'worst message (ms)'];
  const body = rows.map((r) => [r.kb, String(r.entries), String(r.examples), r.buildMs.toFixed(0), r.buildCpuMs.toFixed(0), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3), r.worstMs.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  for (const line of [header, ...body]) console.log(line.map((c, i) => c.padEnd(widths[i])).join('  '));
  // issue 14's targets (the recognizer now also runs the whole-message model, src/nlu/whole.ts)
  const targets = { realP99Ms: 2, p99At10kMs: 10, buildAt10kMs: 3000 };
  const met = rows[0].p99Ms < targets.realP99Ms && rows[2].p99Ms < targets.p99At10kMs && rows[2].buildMs < targets.buildAt10kMs;
  console.log(`\ntargets (p99 < 2 ms real, < 10 ms at 10,000; build < 3 s at 10,000): ${met ? 'met' : 'NOT met'}`);
  const out = path.join(root, 'bench/results/nlu.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, targets, met, rows }, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) main();

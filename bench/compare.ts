/**
 * Before/after: two builds of the bot side by side, loaded in turn (interleaved repeats, medians), so a
 * performance change is judged on the same noisy machine at the same moments.
 *
 * Run: node dist/bench/compare.js <before: dir holding src/index.js> <after: dir> [faq|dialog] [connections] [seconds] [repeats]
 * e.g. node dist/bench/compare.js /tmp/before/dist dist faq 10 5 5
 */
import path from 'node:path';
import { type LoadResult, ROOT, SCENARIOS, median, memoryOf, runLoad, startOurBot } from './http';

async function main(): Promise<void> {
  const [beforeDir, afterDir, name = 'faq', conns = '10', secs = '5', reps = '5'] = process.argv.slice(2);
  if (!beforeDir || !afterDir) throw new Error('usage: compare.js <before dist> <after dist> [faq|dialog] [connections] [seconds] [repeats]');
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  const builds = [
    ['before', path.resolve(ROOT, beforeDir)],
    ['after', path.resolve(ROOT, afterDir)],
  ] as const;
  const bots = [];
  for (const [label, dir] of builds) bots.push({ label, bot: await startOurBot(label, {}, path.join(dir, 'src/index.js')) });
  try {
    for (const { bot } of bots) {
      await scenario.prepare?.(bot.url, scenario.prefix);
      await runLoad(bot.url, scenario, 4, 2);
    }
    const runs = new Map<string, LoadResult[]>(bots.map((b) => [b.label, []]));
    for (let i = 0; i < Number(reps); i++) {
      for (const { label, bot } of i % 2 ? [...bots].reverse() : bots) {
        const r = await runLoad(bot.url, scenario, Number(conns), Number(secs));
        runs.get(label)!.push(r);
        process.stdout.write(`  ${label.padEnd(6)} #${i + 1}: ${r.rps} turns/s, p50 ${r.p50} ms, p99 ${r.p99} ms, wrong ${r.mismatches}\n`);
      }
    }
    process.stdout.write(`\n${scenario.name}, ${conns} concurrent, median of ${reps} × ${secs} s:\n`);
    for (const { label, bot } of bots) {
      const rs = runs.get(label)!;
      process.stdout.write(
        `  ${label.padEnd(6)} ${median(rs.map((r) => r.rps))} turns/s, p50 ${median(rs.map((r) => r.p50))} ms, p99 ${median(rs.map((r) => r.p99))} ms, peak RSS ${memoryOf(bot.pid).peakRssMb} MB\n`,
      );
    }
  } finally {
    for (const { bot } of bots) await bot.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});

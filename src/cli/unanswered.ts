/**
 * `npm run unanswered [-- --days N] [--limit N] [--json]`: the questions the bot declined or had to clarify,
 * newest first, personal data already masked, for knowledge authors.
 */
import '../config/envFile';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db';
import { UnansweredLog } from '../services/unanswered';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = loadConfigOrExit();
  const days = option(args, 'days');
  const limit = Number(option(args, 'limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit takes a whole number above 0');
  if (days !== undefined && !(Number(days) > 0)) throw new Error('--days takes a number above 0');
  const database = await openDatabase(config.database);
  try {
    const rows = await new UnansweredLog(database.db).list({ limit, sinceDays: days ? Number(days) : undefined });
    if (args.includes('--json')) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('No unanswered questions recorded.\n');
      return;
    }
    for (const r of rows) {
      const top = r.topEntry ? `${r.topEntry} (${r.topScore?.toFixed(2)})` : '-';
      process.stdout.write(`${r.createdAt}  ${r.lang}  ${r.decision.padEnd(8)}  ${top.padEnd(46)}  ${r.text}\n`);
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});

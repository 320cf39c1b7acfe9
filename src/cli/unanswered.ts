/**
 * `npm run unanswered [-- --days N] [--limit N] [--json]`: the questions the bot declined or had to clarify,
 * newest first, personal data already masked, for knowledge authors.
 *
 * The questions are customers' own words: printed through escapeForStaff (src/domain/controlChars.ts), so an
 * escape sequence, a bidi override or an invisible character shows as `\u{XXXX}` instead of acting on the
 * terminal; `--json` writes them as JSON `\uXXXX` escapes.
 */
import '../config/envFile';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db';
import { escapeForStaff, jsonForStaff } from '../domain/controlChars';
import { type UnansweredRow, UnansweredLog } from '../services/unanswered';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The report of `rows` as printed (one line per question), or JSON with `json`. */
export function formatUnanswered(rows: UnansweredRow[], json: boolean): string {
  if (json) return jsonForStaff(rows, 2);
  if (rows.length === 0) return 'No unanswered questions recorded.';
  return rows
    .map((r) => {
      const top = r.topEntry ? `${r.topEntry} (${r.topScore?.toFixed(2)})` : '-';
      // one question per line: line breaks inside a question are escaped too
      return `${r.createdAt}  ${r.lang}  ${r.decision.padEnd(8)}  ${escapeForStaff(top).padEnd(46)}  ${escapeForStaff(r.text)}`;
    })
    .join('\n');
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
    process.stdout.write(formatUnanswered(rows, args.includes('--json')) + '\n');
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${escapeForStaff((err as Error).message)}\n`);
    process.exit(1);
  });
}

/**
 * `npm run kb:export [-- --dir knowledge] [--dry-run]`: writes the reviewed knowledge overlay (the changes
 * knowledge authors made from the console, src/knowledge/overlay.ts) back into the YAML pack files, so the
 * repository stays the source of truth; then runs kb:check's lint on the result and exits 1 on an error
 * (the files are then left as they were). Written changes are marked "exported"; they stay applied by the bot,
 * which changes nothing once the YAML holds them (the overlay skips what is already there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../config/envFile';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db';
import { escapeForStaff } from '../domain/controlChars';
import { formatFinding, lintKnowledge } from '../knowledge/lint';
import { type KnowledgeChange, KnowledgeOverlay, materialise } from '../knowledge/overlay';

export interface ExportResult {
  /** Pack files rewritten (relative to the knowledge dir). */
  files: string[];
  exported: number[];
  errors: string[];
}

/**
 * Writes `changes` into the knowledge folder `dir` when the result passes kb:check's lint without errors;
 * otherwise leaves `dir` untouched and returns the errors.
 */
export function exportOverlay(dir: string, changes: KnowledgeChange[], options: { dryRun?: boolean } = {}): ExportResult {
  const live = changes.filter((c) => c.status !== 'reverted');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-export-'));
  try {
    materialise(dir, tmp, live);
    const errors = lintKnowledge(tmp).filter((f) => f.level === 'error').map(formatFinding);
    if (errors.length > 0) return { files: [], exported: [], errors };
    const packs = path.join(dir, 'packs');
    const files = fs
      .readdirSync(packs)
      .filter((f) => fs.readFileSync(path.join(packs, f), 'utf8') !== fs.readFileSync(path.join(tmp, 'packs', f), 'utf8'))
      .map((f) => path.join('packs', f));
    if (!options.dryRun) for (const f of files) fs.copyFileSync(path.join(tmp, f), path.join(dir, f));
    return { files, exported: live.map((c) => c.id), errors: [] };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const config = loadConfigOrExit();
  const i = args.indexOf('--dir');
  const dir = path.resolve(i >= 0 && args[i + 1] ? args[i + 1]! : config.knowledgeDir);
  const dryRun = args.includes('--dry-run');
  const database = await openDatabase(config.database);
  try {
    const overlay = new KnowledgeOverlay(database.db, dir);
    const result = exportOverlay(dir, await overlay.active(), { dryRun });
    for (const e of result.errors) process.stdout.write(`${escapeForStaff(e)}\n`);
    if (result.errors.length > 0) {
      process.stdout.write(`kb:export: not written (${result.errors.length} error(s) in kb:check)\n`);
      return 1;
    }
    if (!dryRun) await overlay.markExported(result.exported);
    process.stdout.write(`kb:export: ${result.exported.length} change(s); ${result.files.length ? result.files.join(', ') : 'no file'} ${dryRun ? 'would change' : 'written'}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`${escapeForStaff((err as Error).message)}\n`);
      process.exit(1);
    },
  );
}

/**
 * npm run kb:check [dir]: lints the knowledge dir (default "knowledge"), prints one finding per
 * line and exits 1 when there is any error. Entries' procedures are checked against the procedure registry
 * (dialogs/registry.ts; `procedures` for another list).
 */
import path from 'node:path';
import '../config/envFile';
import { loadConfigOrExit } from '../config';
import { formatFinding, lintKnowledge } from '../knowledge/lint';
import { setYamlCacheDir } from '../yamlCache';
import { PROCEDURES, type ProcedureRegistration, procedureIds } from '../../dialogs/registry';

export function main(argv: string[], registry: readonly ProcedureRegistration[] = PROCEDURES): number {
  const dir = argv[2] ?? 'knowledge';
  const findings = lintKnowledge(dir, { procedures: procedureIds(registry) });
  for (const f of findings) console.log(formatFinding(f));
  const count = (level: string) => findings.filter((f) => f.level === level).length;
  const errors = count('error');
  console.log(`kb:check ${dir}: ${errors} error(s), ${count('warning')} warning(s), ${count('info')} info`);
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  // the files are parsed once per content, in the bot's cache (DATA_DIR/cache, src/yamlCache.ts); every check
  // still runs on every run
  setYamlCacheDir(path.join(loadConfigOrExit().dataDir, 'cache'));
  process.exitCode = main(process.argv);
}

/**
 * npm run kb:check [dir]: lints the knowledge dir (default "knowledge"), prints one finding per
 * line and exits 1 when there is any error.
 */
import { formatFinding, lintKnowledge } from '../knowledge/lint';

export function main(argv: string[]): number {
  const dir = argv[2] ?? 'knowledge';
  const findings = lintKnowledge(dir);
  for (const f of findings) console.log(formatFinding(f));
  const count = (level: string) => findings.filter((f) => f.level === level).length;
  const errors = count('error');
  console.log(`kb:check ${dir}: ${errors} error(s), ${count('warning')} warning(s), ${count('info')} info`);
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv);
}

/**
 * The start-up measurement of bench/coldstart.ts (timeCommand): a command is timed to its exit, a refusing one
 * only when refusals are expected, and 'output' stops a long-running command at its first output — the
 * timings `npm run bench` reports for every CLI and for `npm run chat` rest on these.
 */
import { timeCommand } from '../../bench/coldstart';

describe('timeCommand', () => {
  const node = process.execPath;

  it('times a command to its exit', async () => {
    const ms = await timeCommand(node, ['-e', 'setTimeout(() => {}, 300)'], {});
    expect(ms).toBeGreaterThanOrEqual(300);
  });

  it('rejects a failing command unless failures are expected', async () => {
    await expect(timeCommand(node, ['-e', 'process.exit(3)'], {})).rejects.toThrow(/exited 3/);
    await expect(timeCommand(node, ['-e', 'process.exit(3)'], {}, 'any-exit')).resolves.toBeGreaterThan(0);
  });

  it("'output' stops at the first output (a program that would run for a minute)", async () => {
    const ms = await timeCommand(node, ['-e', "setTimeout(() => process.stdout.write('ready\\n'), 200); setTimeout(() => {}, 60000)"], {}, 'output');
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThan(30_000);
  });
});

/**
 * `npm run chat` in a real terminal: the compiled chat runs in a pseudo-terminal (util-linux `script`), so
 * stdin and stdout are TTYs as they are for a person typing. What is typed must be echoed, a number must press
 * the button it names, and no log line may reach the screen (logs go to DATA_DIR/logs/chat.log).
 * dist/ is built by `npm test` before jest runs.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const maybe = hasScript ? test : test.skip;
if (!hasScript) console.warn('util-linux `script` is not installed: the terminal chat test is skipped');

/** Waits until the screen so far (ANSI sequences removed) matches pattern. */
function waitFor(screen: () => string, pattern: RegExp, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (pattern.test(screen())) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} on the screen:\n${screen()}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

maybe('npm run chat in a terminal: typed text is echoed, numbers press buttons, no log lines on screen', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-tty-'));
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'dist/src/cli/chat.js'))}`;
  // -q quiet, -f flush at once, -e the child's exit code, -c the command; the typescript file is /dev/null
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'test', TERM: 'dumb', COLUMNS: '200' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout!.on('data', (d) => (raw += String(d)));
  child.stderr!.on('data', (d) => (raw += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const screen = (): string => plain(raw);
  try {
    await waitFor(screen, /Ctrl\+D to quit\.[^\n]*\n[\s\S]*you> $/);
    expect(screen()).toContain('Tulis mesej dan tekan Enter');
    child.stdin!.write('camne nk upgrade akaun\r');
    await waitFor(screen, /kaunter JUPEM[\s\S]*\[2\] ([^\n]+)\n[\s\S]*you> $/);
    // what was typed is on the screen, after the prompt
    expect(screen()).toMatch(/you> camne nk upgrade akaun\n+bot> /);
    const second = /\[2\] ([^\n]+)\n(?![\s\S]*\[2\])/.exec(screen())![1]!;
    // follow-up buttons show the entry's short label (knowledge: label.ms of the follow-up entry)
    expect(second).toMatch(/Pengguna Biasa\/Utama/);
    const before = screen().length;
    child.stdin!.write('2\r');
    await waitFor(() => screen().slice(before), /bot> [\s\S]*you> $/);
    expect(screen().slice(before)).toMatch(/^2\n+bot> Pengguna Utama boleh/);
    child.stdin!.write('\x04'); // Ctrl+D
    expect(await exited).toBe(0);
    expect(screen()).not.toMatch(/"level":|\bINFO\b|\bWARN\b/);
    const logFile = path.join(dataDir, 'logs', 'chat.log');
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/"msg":"runtime ready"/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 60000);

test('npm run chat piped: neither stdout nor stderr carries log lines; the log file does', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-pipe-'));
  const result = spawnSync(process.execPath, [path.join(root, 'dist/src/cli/chat.js')], {
    cwd: root,
    input: 'hai\nhow do I upgrade my account\n',
    env: { ...process.env, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'test' },
    encoding: 'utf8',
    timeout: 30000,
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('you> how do I upgrade my account');
  expect(result.stdout).toMatch(/JUPEM counter/);
  expect(result.stdout + result.stderr).not.toMatch(/"level":/);
  expect(result.stderr).toBe('');
  expect(fs.readFileSync(path.join(dataDir, 'logs', 'chat.log'), 'utf8')).toMatch(/"msg":"runtime ready"/);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('npm run chat -- --log: logs on stderr, the conversation alone on stdout', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-chat-log-'));
  const result = spawnSync(process.execPath, [path.join(root, 'dist/src/cli/chat.js'), '--log'], {
    cwd: root,
    input: 'hai\n',
    env: { ...process.env, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'test' },
    encoding: 'utf8',
    timeout: 30000,
  });
  expect(result.status).toBe(0);
  expect(result.stdout).not.toMatch(/"level":/);
  expect(result.stderr).toMatch(/"msg":"runtime ready"/);
  expect(fs.existsSync(path.join(dataDir, 'logs', 'chat.log'))).toBe(false);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

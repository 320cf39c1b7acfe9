import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** Runs src/lazyModules.ts (transpiled) in a fresh node process, then the given script; returns its JSON line. */
function run(script: string, env: Record<string, string> = {}): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-'));
  const source = fs.readFileSync(path.join(ROOT, 'src', 'lazyModules.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  fs.writeFileSync(path.join(dir, 'lazyModules.js'), js);
  try {
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, ...env, LAZY_FILE: path.join(dir, 'lazyModules.js') }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SCRIPT = `
  const lazy = require(process.env.LAZY_FILE);
  const loaded = [];
  const deferred = process.env.EAGER_RECOGNIZERS ? [] : lazy.deferRecognizers({ from: process.cwd(), onLoad: (n) => loaded.push(n) });
  // real (not stand-in) Recognizers-Text suites in the module cache
  const heavy = () => Object.entries(require.cache).filter(([f, m]) => /recognizers-text-(suite|number|choice|date-time)[/]dist/.test(f) && !require('util').types.isProxy(m.exports)).length;
  const d = require('botbuilder-dialogs');
  const afterLoad = { heavy: heavy(), loaded: [...loaded], english: d.PromptCultureModels.English.locale };
  const found = d.recognizeChoices('the second one', ['red', 'blue', 'green']);
  console.log(JSON.stringify({ deferred, afterLoad, loaded, choice: found[0] && found[0].resolution.value }));
`;

describe('deferRecognizers', () => {
  it('keeps the Recognizers-Text suites out of memory until a prompt needs one, then works as before', () => {
    const out = run(SCRIPT, { EAGER_RECOGNIZERS: '' });
    expect(out.deferred).toEqual(expect.arrayContaining(['@microsoft/recognizers-text-suite', '@microsoft/recognizers-text-number']));
    expect(out.afterLoad).toEqual({ heavy: 0, loaded: [], english: 'en-us' });
    // an ordinal choice needs the number recognizer: loaded on first use, same answer as without deferral
    expect(out.loaded).toEqual(['@microsoft/recognizers-text-number']);
    expect(out.choice).toBe('blue');
  });

  it('gives the same answers as botbuilder-dialogs loaded eagerly', () => {
    const eager = run(SCRIPT, { EAGER_RECOGNIZERS: '1' });
    expect(eager.deferred).toEqual([]);
    expect((eager.afterLoad as { heavy: number }).heavy).toBeGreaterThan(0);
    expect(eager.choice).toBe('blue');
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const REAL_KB = path.join(REPO, 'knowledge');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'knowledge');
export const MINIMAL = path.join(FIXTURES, 'minimal');
export const BROKEN = path.join(FIXTURES, 'broken');

const made: string[] = [];

/** A temp copy of `base` with some files replaced: { 'packs/demo.yaml': 'broken/x.yaml' (relative to FIXTURES) or literal text }. */
export function fixtureDir(replace: Record<string, { fixture: string } | { text: string } | null> = {}, base = MINIMAL): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
  made.push(dir);
  fs.cpSync(base, dir, { recursive: true });
  for (const [rel, what] of Object.entries(replace)) {
    const target = path.join(dir, rel);
    if (what === null) {
      fs.rmSync(target, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if ('fixture' in what) fs.copyFileSync(path.join(FIXTURES, what.fixture), target);
    else fs.writeFileSync(target, what.text);
  }
  return dir;
}

export function cleanFixtureDirs(): void {
  while (made.length) fs.rmSync(made.pop() as string, { recursive: true, force: true });
}

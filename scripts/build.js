#!/usr/bin/env node
/**
 * The build behind `npm start` and every CLI script: runs tsc (incremental, `tsc -b`) only when a source may
 * have changed since the last build, so starting unchanged code costs a few directory reads, not a compiler.
 *
 * The npm scripts preload it into the program they start (`node --require=./scripts/build.js dist/…`): Node runs
 * a preloaded module before it even looks for the program's file, so a missing or stale dist/ is built first,
 * and an unchanged one costs no second node process (one node start saved on every command). It also runs on
 * its own: `node scripts/build.js`.
 *
 * "Changed" means: no dist/tsconfig.tsbuildinfo yet (fresh clone, `rm -rf dist`), or something newer than it
 * among src/, dialogs/, bench/ (files and directories, so a deleted or renamed file counts), the tsconfig
 * files, package.json and the lockfiles (an `npm install` that changed a dependency's types). When in doubt
 * tsc decides: `tsc -b` itself rebuilds only what changed. `node scripts/build.js --force` always runs tsc
 * (`npm run build`, which `npm test` runs before the full type-check). After tsc, outputs whose source was
 * deleted or moved are removed.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const buildInfo = path.join(root, 'dist', 'tsconfig.tsbuildinfo');
const SOURCE_DIRS = ['src', 'dialogs', 'bench'];
const FILES = ['tsconfig.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

/** True as soon as one entry under dir (or dir itself) is newer than since. */
function newerUnder(dir, since) {
  let entries;
  try {
    if (fs.statSync(dir).mtimeMs > since) return true;
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() ? newerUnder(p, since) : mtime(p) > since) return true;
  }
  return false;
}

function stale() {
  const built = mtime(buildInfo);
  if (built === 0) return true;
  if (FILES.some((f) => mtime(path.join(root, f)) > built)) return true;
  return SOURCE_DIRS.some((d) => newerUnder(path.join(root, d), built));
}

/**
 * Removes what a deleted or moved source left in dist/ (tsc never deletes an output): a stale
 * dist/src/channels/teams.js beside the new teams/ folder would be what require('./teams') finds.
 */
function prune() {
  const walk = (dir, rel) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p, path.join(rel, e.name));
        continue;
      }
      const m = /^(.*?)(\.d\.ts|\.js\.map|\.js)$/.exec(e.name);
      if (!m) continue;
      const source = path.join(root, rel, m[1]);
      if (!fs.existsSync(`${source}.ts`) && !fs.existsSync(`${source}.tsx`)) fs.rmSync(p, { force: true });
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(root, 'dist', d), d);
}

// --force only when run on its own: preloaded, the arguments are the program's
const force = require.main === module && process.argv.includes('--force');
if (force || stale()) {
  const started = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  prune();
  // tsc -b leaves the build info untouched when nothing needed emitting: date the check to when tsc started,
  // so a file saved while tsc ran still counts as changed next time
  if (fs.existsSync(buildInfo)) fs.utimesSync(buildInfo, started, started);
}

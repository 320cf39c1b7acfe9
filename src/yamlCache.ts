/**
 * YAML parsed once per content: the knowledge, the message catalog and the lexicon are YAML, and parsing them
 * with the yaml library is most of what reading them costs at start-up (1.6 s for the ~130 KB of knowledge/ on a
 * busy 2-core machine, load average 13, where JSON.parse of the same values took 60 ms). `parseYaml` returns what
 * `parseDocument(text, { prettyErrors: true, uniqueKeys: true }).toJS()` returns; once a cache folder is set
 * (`setYamlCacheDir`, DATA_DIR/cache by the runtime and kb:check), the value of a text that parsed without
 * error is kept there as JSON, under a hash of the text and the yaml library's version, and read back on the
 * next start instead of parsing. The yaml library itself is loaded only when a text is not in the cache.
 *
 * The cache is derived data: a changed file has another hash (parsed again), a broken or unwritable cache is
 * ignored (parsed as without one), and deleting the folder is always safe. One cache file per source file
 * is kept (the previous version's is removed when a new one is written). Values JSON cannot carry exactly
 * (YAML's .nan and .inf) are not cached.
 * Hand-written: a few lines over node:crypto and node:fs, not worth a dependency.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A text that is not valid YAML; the message is the yaml library's first error. */
export class YamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlError';
  }
}

let cacheDir: string | undefined;
let yamlVersion: string | undefined;

/** Where parsed YAML is kept (undefined: not cached, the default). */
export function setYamlCacheDir(dir: string | undefined): void {
  cacheDir = dir ? path.join(dir, 'yaml') : undefined;
}

function parseWithLibrary(text: string): unknown {
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new YamlError(doc.errors[0]!.message);
  return doc.toJS();
}

/** True when JSON holds the value exactly (no NaN or Infinity from .nan / .inf). */
function jsonSafe(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(jsonSafe);
  if (value && typeof value === 'object') return Object.values(value).every(jsonSafe);
  return true;
}

/**
 * The value of a YAML text (throws YamlError when it is not valid YAML). `source` names the file it came from:
 * the cache keeps one entry per source.
 */
export function parseYaml(text: string, source: string): unknown {
  if (!cacheDir) return parseWithLibrary(text);
  yamlVersion ??= (require('yaml/package.json') as { version: string }).version;
  const sourceKey = createHash('sha256').update(path.resolve(source)).digest('hex').slice(0, 16);
  const contentKey = createHash('sha256').update(`yaml ${yamlVersion}\n`).update(text).digest('hex').slice(0, 32);
  const file = path.join(cacheDir, `${sourceKey}-${contentKey}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    // not cached yet (or unreadable): parse
  }
  const value = parseWithLibrary(text);
  if (jsonSafe(value)) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      for (const old of fs.readdirSync(cacheDir)) if (old.startsWith(`${sourceKey}-`)) fs.rmSync(path.join(cacheDir, old), { force: true });
      // written whole, then renamed: another process never reads half a file
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only or full disk: the next start parses again
    }
  }
  return value;
}

/**
 * src/yamlCache.ts: the cached value is the parsed value; a changed text is parsed again (one cache file per
 * source kept); invalid YAML is an error and is never cached; values JSON cannot hold are not cached; a broken
 * cache file is ignored; without a cache folder nothing is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { YamlError, parseYaml, setYamlCacheDir } from '../../src/yamlCache';

const KNOWLEDGE = path.join(__dirname, '..', '..', 'knowledge');

describe('parseYaml with a cache folder', () => {
  let dir: string;
  const cached = () => (fs.existsSync(path.join(dir, 'yaml')) ? fs.readdirSync(path.join(dir, 'yaml')) : []);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-cache-'));
    setYamlCacheDir(dir);
  });

  afterEach(() => {
    setYamlCacheDir(undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives what the yaml library gives, for every file of knowledge/, from the cache the second time', () => {
    const files = ['lexicon.yaml', 'plans.yaml', 'plan-rules.yaml', ...fs.readdirSync(path.join(KNOWLEDGE, 'packs')).map((f) => `packs/${f}`)];
    for (const f of files) {
      const file = path.join(KNOWLEDGE, f);
      const text = fs.readFileSync(file, 'utf8');
      const expected = parseDocument(text, { uniqueKeys: true }).toJS();
      expect(parseYaml(text, file)).toEqual(expected);
      expect(parseYaml(text, file)).toEqual(expected);
    }
    expect(cached()).toHaveLength(files.length);
    // the second read came from the cache: a cache file changed by hand is what is read
    const one = path.join(dir, 'yaml', cached()[0]!);
    fs.writeFileSync(one, JSON.stringify({ fromCache: true }));
    const source = files.map((f) => path.join(KNOWLEDGE, f)).find((file) => JSON.stringify(parseYaml(fs.readFileSync(file, 'utf8'), file)) === '{"fromCache":true}');
    expect(source).toBeDefined();
  });

  it('parses a changed text again and keeps one cache file per source', () => {
    expect(parseYaml('a: 1\n', 'x.yaml')).toEqual({ a: 1 });
    expect(parseYaml('a: 2\n', 'x.yaml')).toEqual({ a: 2 });
    expect(parseYaml('a: 3\n', 'y.yaml')).toEqual({ a: 3 });
    expect(cached()).toHaveLength(2);
    expect(parseYaml('a: 2\n', 'x.yaml')).toEqual({ a: 2 });
  });

  it('throws YamlError on invalid YAML (a repeated key too) and caches nothing', () => {
    expect(() => parseYaml('a: [1, 2\n', 'bad.yaml')).toThrow(YamlError);
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yaml')).toThrow(/unique|duplicate/i);
    expect(cached()).toEqual([]);
  });

  it('does not cache a value JSON cannot hold', () => {
    expect(parseYaml('x: .nan\ny: .inf\n', 'n.yaml')).toEqual({ x: NaN, y: Infinity });
    expect(cached()).toEqual([]);
  });

  it('ignores a cache file it cannot read back', () => {
    parseYaml('a: 1\n', 'x.yaml');
    fs.writeFileSync(path.join(dir, 'yaml', cached()[0]!), '{not json');
    expect(parseYaml('a: 1\n', 'x.yaml')).toEqual({ a: 1 });
  });
});

describe('parseYaml without a cache folder', () => {
  it('writes nothing', () => {
    const write = jest.spyOn(fs, 'writeFileSync');
    try {
      expect(parseYaml('a: 1\n', 'x.yaml')).toEqual({ a: 1 });
      expect(() => parseYaml('a: [\n', 'x.yaml')).toThrow(YamlError);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});

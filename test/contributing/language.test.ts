/**
 * CONTRIBUTING.md, "Adding a language", and the document as a whole:
 * - every message of the catalog (knowledge/messages/*.yaml) and every knowledge entry has a text in every
 *   language of LANGS, and no other (a language added to LANGS fails here until its texts are written);
 * - every file and folder the document names exists, every symbol it places in a file ("`X` in `path`",
 *   "`X` and `Y` in `path`", "`X` (`path`)", "`X` (in `path`") is in that file, and every `npm run` script it names is in
 *   package.json — so the steps point at code that is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadKnowledge } from '../../src/knowledge';
import { LANGS } from '../../src/knowledge/types';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
/** The document with its line breaks as spaces: a reference may wrap. */
const FLAT = DOC.replace(/\s+/g, ' ');

const PATH_RE = /^(?:src|knowledge|test|dialogs|bench|scripts|public)\/[\w./*-]*$|^\.env\.example$|^package\.json$/;

/** The files a path names: the file, every file under a folder, or the files a `*` pattern matches. */
function filesOf(ref: string): string[] {
  const full = path.join(ROOT, ref);
  if (ref.includes('*')) {
    const dir = path.dirname(full);
    const re = new RegExp(`^${path.basename(ref).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => re.test(f)).map((f) => path.join(dir, f)) : [];
  }
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isDirectory()) {
    return fs.readdirSync(full, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  }
  return [full];
}

describe('CONTRIBUTING.md: adding a language', () => {
  it('every message of the catalog has every language of LANGS, and only those', () => {
    const dir = path.join(ROOT, 'knowledge', 'messages');
    const problems: string[] = [];
    let keys = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const messages = parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, Record<string, unknown>>;
      for (const [key, texts] of Object.entries(messages ?? {})) {
        keys++;
        for (const lang of LANGS) if (typeof texts?.[lang] !== 'string' || !(texts[lang] as string).trim()) problems.push(`${file} ${key}: no ${lang}`);
        for (const other of Object.keys(texts ?? {})) if (!LANGS.includes(other as never)) problems.push(`${file} ${key}: ${other} is not in LANGS`);
      }
    }
    expect(keys).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('every knowledge entry has its label, question, paraphrases and answer (if it has one) in every language of LANGS', () => {
    const kb = loadKnowledge(path.join(ROOT, 'knowledge'));
    const problems: string[] = [];
    for (const e of kb.entries) {
      for (const lang of LANGS) {
        if (!e.question[lang]?.trim()) problems.push(`${e.id}: no ${lang} question`);
        if (!e.label?.[lang]?.trim()) problems.push(`${e.id}: no ${lang} label`);
        if (!(e.examples[lang]?.length > 1)) problems.push(`${e.id}: no ${lang} paraphrases`);
        // a complete FAQ entry has an answer; a procedure entry may have one (then in every language too)
        if ((e.answer || (e.kind === 'faq' && e.status === 'complete')) && !e.answer?.[lang]?.trim()) problems.push(`${e.id}: no ${lang} answer`);
      }
    }
    expect(kb.entries.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});

describe('CONTRIBUTING.md names only what exists', () => {
  const refs = [...DOC.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim());

  it('every file and folder it names exists', () => {
    const paths = [...new Set(refs.filter((r) => PATH_RE.test(r)))];
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => filesOf(p).length === 0)).toEqual([]);
  });

  it('every symbol it places in a file is in that file', () => {
    const claims: Array<{ symbols: string[]; where: string }> = [];
    // "`X` in `path`", "`X` and `Y` in `path`", "`X`, `Y` or `Z` in `path`"
    for (const m of FLAT.matchAll(/((?:`[A-Za-z_][\w.]*`(?:, | and | or ))*`[A-Za-z_][\w.]*`) in `([^`]+)`/g)) {
      claims.push({ symbols: [...m[1]!.matchAll(/`([^`]+)`/g)].map((s) => s[1]!), where: m[2]! });
    }
    // "`X` (`path`)", "`X` (in `path`"
    for (const m of FLAT.matchAll(/`([A-Za-z_][\w.]*)` \((?:in )?`([^`]+)`/g)) claims.push({ symbols: [m[1]!], where: m[2]! });
    const checked = claims.filter((c) => PATH_RE.test(c.where));
    expect(checked.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const { symbols, where } of checked) {
      const text = filesOf(where).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      for (const s of symbols) if (!new RegExp(`\\b${s.replace(/\./g, '\\.')}\\b`).test(text)) wrong.push(`${s} is not in ${where}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every npm script it names is in package.json', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const named = [...FLAT.matchAll(/`npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((n) => !(n in scripts))).toEqual([]);
  });
});

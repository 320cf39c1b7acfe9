/**
 * Issue 13, item 1, at the level of the patterns: every regular expression written in the server's code (src/,
 * dialogs/) runs in linear time on hostile text. The text-cost test sends random messages through the whole bot;
 * a pattern used only on one path (a procedure's answer, a WhatsApp reply, a password) is reached there only by
 * chance. Here each literal is found in the source (the TypeScript parser), compiled with its flags and run on
 * seeded random content of 1,000 and 4,000 characters of each kind that makes a backtracking pattern slow: runs of
 * letters (ASCII, and letters outside ASCII, which "\W" also matches), words, digits and separators, spaces before
 * a word, ". " runs, runs of sentence marks ("!.!!.."), address characters with and without an "@", unclosed
 * brackets, repeated plan words, amounts and dates, random Unicode. Four times the text must cost about four times
 * the time, not sixteen.
 *
 * CI once failed on "[\p{L}\d._%+-]+@[\p{L}\d.-]*" in the ticket procedure: a long run of letters with no "@"
 * was scanned again from each of its letters (63 ms for 2,000 characters, read several times in a turn).
 *
 * Patterns built with `new RegExp(…)` (from word lists, other patterns' sources) are read as the modules build them:
 * the modules that read customer text are loaded afresh with the constructor watched, and every pattern built while
 * they load (the constants) is run the same way. One built later, in a function (from a plan's name, a lexicon), is
 * not seen here: the recognizer's and the whole bot's checks in text-cost.test.ts cover it. TEXT_COST_SEED=<n>
 * replays a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import ts from 'typescript';
import { RandomText, mulberry32 } from '../helpers/random';

const ROOT = path.join(__dirname, '../..');
const SEED = Number(process.env.TEXT_COST_SEED ?? Date.now() % 1_000_000);

/**
 * Patterns whose text is bounded where they are used, each with its bound (file, then the pattern's source). A new
 * entry needs the same: a pattern that can see a customer's message must be linear instead.
 */
const BOUNDED: ReadonlyArray<[file: string, sourceStart: string, why: string]> = [
  ['src/domain/text.ts', '\\([^)]*\\)', 'applied only up to the last ")": no "(" there is left unclosed'],
  ['src/domain/prorata.ts', '\\([^)]*\\)', "a plan's name from the knowledge, never a message"],
  ['src/knowledge/lint.ts', '\\[[^\\]]+\\]\\([^)]+\\)', "the lint of the knowledge's own files, never a message"],
  // (quadratic in a run of white space with new lines: 2.6 ms for 1,000 characters)
  ['dialogs/ticket.ts', '[,.;!?\\n]+\\s*([^,.;!?\\n]{0,60}', 'a story of at most DESCRIPTION_MAX (1,000) characters'],
];
const bounded = (file: string, re: RegExp): boolean => BOUNDED.some(([f, s]) => f === file && re.source.startsWith(s));

interface Literal {
  where: string;
  file: string;
  re: RegExp;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function literals(): Literal[] {
  const out: Literal[] = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('dialogs')]) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = node.getText(sf);
        const slash = lit.lastIndexOf('/');
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
        out.push({ where: `${file}:${line} ${lit.length > 100 ? `${lit.slice(0, 100)}…` : lit}`, file, re: new RegExp(lit.slice(1, slash), lit.slice(slash + 1)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** The modules that read customer text, loaded afresh: every pattern they build as they load. */
function built(): Literal[] {
  const out: Literal[] = [];
  const Original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      const re = new target(...args);
      // (the line that built it, when it is the project's: a library's patterns are its own)
      const line = new Error().stack?.split('\n').slice(1).find((l) => !l.includes('regex-cost.test'));
      const own = line && !line.includes('node_modules') && (line.includes(`${ROOT}/src/`) || line.includes(`${ROOT}/dialogs/`));
      const where = own ? line.slice(line.indexOf(ROOT) + ROOT.length + 1).match(/^[^:)]+:\d+/)?.[0] : undefined;
      if (where) out.push({ where: `${where} new RegExp(/${re.source.length > 100 ? `${re.source.slice(0, 100)}…` : re.source}/${re.flags})`, file: where.split(':')[0]!, re });
      return re;
    },
  });
  try {
    jest.isolateModules(() => {
      for (const m of ['../../src/bot/supportBot', '../../dialogs/ticket', '../../dialogs/eligibility', '../../dialogs/migration', '../../src/domain', '../../src/language/handoff']) require(m);
    });
  } finally {
    globalThis.RegExp = Original;
  }
  return out;
}

class Hostile extends RandomText {
  fill(n: number, unit: () => string): string {
    let s = '';
    while (s.length < n) s += unit();
    return s.slice(0, n);
  }
  /** text of `n` characters of each kind */
  kinds(n: number): Array<[string, string]> {
    const word = () => this.letters(1 + this.int(12));
    return [
      ['ASCII letters', this.letters(n)],
      ['letters outside ASCII', this.letters(n, 'éàçñøßğšžαβγδабвгдежзخدذرزسش中文字')],
      ['words', this.fill(n, () => `${word()} `)],
      ['upper and lower case words', this.fill(n, () => `${this.chance(0.5) ? word().toUpperCase() : word()} `)],
      ['digits', this.letters(n, '0123456789')],
      ['digits and separators', this.letters(n, '0129-. +/')],
      ['spaces then a word', `${' '.repeat(n - 8)}${this.int(10)}th ${this.letters(3)}`],
      ['white space of every kind', this.letters(n, ' \t\n\r\u00a0')],
      ['". " runs then a word', this.fill(n, () => this.pick(['. ', '.', '? ', '!', ' ', '\n'])) + this.letters(3)],
      ['address characters', this.letters(n, 'abcxyz0123456789.-+_%')],
      ['letters then @', `${this.letters(n - 1)}@`],
      ['unclosed brackets', this.fill(n, () => this.pick(['(', '(', '[', this.letters(1)]))],
      ['symbols', this.letters(n, ',;:!?()-–/\'"#%$&*')],
      ['sentence marks', this.letters(n, '.!?,;:')],
      ['ends of sentences', this.letters(n, '.!')],
      ['plan words', this.fill(n, () => `${this.pick(['prepaid', 'postpaid', 'prabayar', 'pasca bayar', 'plan', 'pelan', 'boleh', 'tukar'])} ${word()} `)],
      ['amounts and dates', this.fill(n, () => this.pick([`rm${this.int(999)} `, `RM ${this.int(99)}.${this.int(99)} `, `${1 + this.int(28)} april `, `${this.int(31)}/${1 + this.int(12)} `]))],
      ['random Unicode', this.fill(n, () => String.fromCodePoint(this.pick([0x20 + this.int(0x5f), 0x300 + this.int(0x70), 0x590 + this.int(0x200), 0x1f300 + this.int(0x600), 0x4e00 + this.int(0x500)])))],
    ];
  }
}

/** Best of `tries` runs, in ms: a global pattern replaces every match (as the code's replace/match does), another is tested. */
function cost(re: RegExp, text: string, tries: number): number {
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    re.lastIndex = 0;
    const t = process.hrtime.bigint();
    if (re.global) text.replace(re, '');
    else re.test(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
    if (best > 500) break; // clearly slow: no need to measure it again
  }
  return best;
}

describe(`the patterns of the code (seed ${SEED})`, () => {
  // V8 compiles a pattern with optimisations that spare some super-linear ones most of the time (a quick check of
  // the characters a match can start with); a long-running process has been seen to run them without (a CI worker
  // after many suites: a lookbehind over "\s+" at every space of a run, 1.1 s for 4,000 characters). The patterns
  // are measured as compiled without them: only their own shape keeps them linear.
  beforeAll(() => v8.setFlagsFromString('--no-regexp-optimization'));
  afterAll(() => v8.setFlagsFromString('--regexp-optimization'));
  const all = [...literals(), ...built()];

  test('the source holds the patterns this test reads (the parser finds them)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((l) => l.where.startsWith('dialogs/ticket.ts') && l.re.source.includes('@'))).toBe(true);
    // (and those the modules build as they load: the ticket's contact label at the end of a story, a typed amount)
    const builtHere = all.filter((l) => l.where.includes('new RegExp'));
    expect(builtHere.length).toBeGreaterThan(20);
    expect(builtHere.some((l) => l.file === 'dialogs/ticket.ts' && l.re.source.includes('ialah'))).toBe(true);
    expect(builtHere.some((l) => l.file === 'src/domain/money.ts' && l.re.source.includes('ringgit'))).toBe(true);
    for (const [file] of BOUNDED) expect(all.some((l) => l.file === file && bounded(file, l.re))).toBe(true);
  });

  test('every regular expression literal, and every one the modules build, runs in linear time on hostile text of 1,000 and 4,000 characters', () => {
    const g = new Hostile(mulberry32(SEED));
    const probe = g.kinds(250);
    const small = g.kinds(1000);
    const large = g.kinds(4000);
    const superLinear: string[] = [];
    for (const { where, file, re } of all) {
      if (bounded(file, re)) continue;
      for (let k = 0; k < small.length; k++) {
        const kind = small[k]![0];
        // a cubic or exponential pattern is slow already at 250 characters: it is not run on more
        const p = cost(re, probe[k]![1], 1);
        if (p > 50) {
          superLinear.push(`${where} on ${kind}: ${p.toFixed(0)} ms at 250 characters`);
          continue;
        }
        // 4 times the text: 4 times the time when linear, 16 when quadratic; small times are noise, and a pair that
        // looks super-linear is measured once more, longer (a pause of the shared machine is not a cost)
        const flagged = (tries: number): [number, number] | undefined => {
          const ta = cost(re, small[k]![1], tries);
          const tb = cost(re, large[k]![1], tries);
          return tb > 4 && tb > 8 * Math.max(ta, 0.25) ? [ta, tb] : undefined;
        };
        const slow = flagged(3) && flagged(7);
        if (slow) superLinear.push(`${where} on ${kind}: ${slow[0].toFixed(2)} ms at 1,000, ${slow[1].toFixed(2)} ms at 4,000`);
      }
    }
    expect(superLinear).toEqual([]);
  }, 120_000);
});

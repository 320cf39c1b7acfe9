/**
 * CONTRIBUTING.md, "Adding a procedure", done by the test: a fifth procedure (a callback request) is generated
 * from the document's own blocks — the dialog file, its messages, its registry line and its knowledge entry —
 * into a temporary folder and a copy of knowledge/ (nothing lands in the repository), then:
 * - the dialog and the registry line are type-checked against the project's types with the TypeScript compiler
 *   API, and the dialog with a slot of the wrong type is refused (the check is real);
 * - the compiled procedure is registered (the registry plus its line, RuntimeOptions.procedures), kb:check on
 *   the copy reports no error with it and a dangling-procedure without it;
 * - the bot started on the copy runs it turn by turn in Malay and in English: both values from one message, a
 *   confirmation, the request handed to the mail outbox; a value given alone makes it ask only the other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { main as kbCheck } from '../../src/cli/kb-check';
import { addDays, formatDate, todayInKualaLumpur } from '../../src/domain/dates';
import type { OutboundMail } from '../../src/services/ports';
import { PROCEDURES, type ProcedureRegistration } from '../../dialogs/registry';
import { type TestChat, createTestChat, joined } from '../helpers/bot';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');

/** The section "Adding a procedure" of the document. */
function section(): string {
  const start = DOC.indexOf('## Adding a procedure');
  if (start < 0) throw new Error('CONTRIBUTING.md has no "Adding a procedure" section');
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

/** The section's fenced blocks that name a file ("```ts dialogs/callback.ts"), de-indented, by file. */
function blocks(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of section().matchAll(/^( *)```\w+ (\S+)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1]!.length;
    out.set(m[2]!, m[3]!.split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n'));
  }
  return out;
}

const BLOCKS = blocks();
const block = (file: string): string => {
  const b = BLOCKS.get(file);
  if (b === undefined) throw new Error(`CONTRIBUTING.md's "Adding a procedure" has no block for ${file} (it has ${[...BLOCKS.keys()].join(', ')})`);
  return b;
};

/** The dialog file of the document (the one block under dialogs/ that is not the registry). */
const dialogFile = [...BLOCKS.keys()].find((f) => f.startsWith('dialogs/') && f !== 'dialogs/registry.ts')!;

/**
 * A block written for `dialogs/` rewritten for the temporary folder: a relative import of a file that is in the
 * repository points at it (absolute), a package at the project's node_modules; an import of a file that is not
 * in the repository (the new dialog itself) stays relative.
 */
function relocate(source: string): string {
  const from = path.join(ROOT, 'dialogs');
  const posix = (p: string) => p.split(path.sep).join('/');
  return source.replace(/((?:from|import\()\s*')([^']+)'/g, (all, lead: string, spec: string) => {
    if (!spec.startsWith('.')) {
      const pkg = path.join(ROOT, 'node_modules', spec);
      return fs.existsSync(pkg) ? `${lead}${posix(pkg)}'` : all;
    }
    const target = path.resolve(from, spec);
    const exists = ['.ts', '/index.ts'].some((ext) => fs.existsSync(target + ext));
    return exists ? `${lead}${posix(target)}'` : all;
  });
}

/** The generated TypeScript files in dir: the dialog, and a registry of the product's procedures plus the line. */
function writeSources(dir: string, dialogSource: string): string[] {
  const dialogPath = path.join(dir, path.basename(dialogFile));
  fs.writeFileSync(dialogPath, relocate(dialogSource));
  const registryPath = path.join(dir, 'registry.ts');
  const registryModule = path.join(ROOT, 'dialogs', 'registry').split(path.sep).join('/');
  fs.writeFileSync(
    registryPath,
    relocate(
      [
        `import { PROCEDURES, type ProcedureRegistration } from '${registryModule}';`,
        'export const registry: readonly ProcedureRegistration[] = [',
        '  ...PROCEDURES,',
        block('dialogs/registry.ts').trimEnd(),
        '];',
        '',
      ].join('\n'),
    ),
  );
  return [dialogPath, registryPath];
}

let compilerHost: ts.CompilerHost | undefined;
let previous: ts.Program | undefined;

/** Type-checks the files with the project's compiler options (tsconfig.test.json); emits CommonJS beside them when clean. */
function compile(files: string[]): string[] {
  const configFile = ts.readConfigFile(path.join(ROOT, 'tsconfig.test.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    incremental: false,
    composite: false,
    tsBuildInfoFile: undefined,
    outDir: undefined,
    rootDir: undefined,
    sourceMap: false,
    declaration: false,
  };
  compilerHost ??= ts.createCompilerHost(options);
  const program = ts.createProgram({ rootNames: files, options, host: compilerHost, oldProgram: previous });
  previous = program;
  const diagnostics: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    diagnostics.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  }
  const messages = diagnostics.map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  if (messages.length === 0) {
    for (const file of files) {
      const result = program.emit(program.getSourceFile(file));
      if (result.emitSkipped) messages.push(`${path.basename(file)}: not emitted`);
    }
  }
  return messages;
}

describe('CONTRIBUTING.md: adding a procedure (a fifth procedure generated from its steps)', () => {
  let dir: string;
  let knowledge: string;
  let registry: readonly ProcedureRegistration[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contrib-procedure-'));
    knowledge = path.join(dir, 'knowledge');
    fs.cpSync(path.join(ROOT, 'knowledge'), knowledge, { recursive: true });
    // the messages file as a new file of the catalog; the entry appended to its pack (entries: is the last list)
    const messagesBlock = [...BLOCKS.keys()].find((f) => f.startsWith('knowledge/messages/'))!;
    fs.writeFileSync(path.join(dir, messagesBlock), block(messagesBlock));
    const packBlock = [...BLOCKS.keys()].find((f) => f.startsWith('knowledge/packs/'))!;
    const pack = path.join(dir, packBlock);
    fs.writeFileSync(pack, `${fs.readFileSync(pack, 'utf8').trimEnd()}\n\n${block(packBlock)}`);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the document gives the dialog, its messages, its registry line and its knowledge entry', () => {
    expect(dialogFile).toBeDefined();
    const files = [...BLOCKS.keys()];
    expect(files).toHaveLength(4);
    expect(files).toEqual(
      expect.arrayContaining([dialogFile, 'dialogs/registry.ts', expect.stringMatching(/^knowledge\/messages\/\w+\.yaml$/), expect.stringMatching(/^knowledge\/packs\/\w+\.yaml$/)]),
    );
    // nothing of it is in the repository: the test makes it
    for (const file of BLOCKS.keys()) if (file !== 'dialogs/registry.ts' && !file.startsWith('knowledge/packs/')) expect(fs.existsSync(path.join(ROOT, file))).toBe(false);
    expect(fs.readFileSync(path.join(ROOT, 'dialogs', 'registry.ts'), 'utf8')).not.toContain("id: 'callback'");
  });

  it('a slot of the wrong type does not compile', () => {
    const wrong = fs.mkdtempSync(path.join(dir, 'wrong-'));
    const source = block(dialogFile);
    // the phone slot declared a number: the E.164 string the phone parser gives no longer fits
    const broken = source.replace(/phone\?: string;/, 'phone?: number;');
    expect(broken).not.toBe(source);
    const errors = compile(writeSources(wrong, broken));
    expect(errors.join('\n')).toMatch(/callback\.ts: Type 'string' is not assignable to type 'number'/);
  }, 180_000);

  it('the dialog and its registry line type-check against the project and are registered', () => {
    const files = writeSources(dir, block(dialogFile));
    expect(compile(files)).toEqual([]);
    // the compiled registry: the product's procedures and the new one (required from the temporary folder)
    registry = (require(files[1]!.replace(/\.ts$/, '.js')) as { registry: readonly ProcedureRegistration[] }).registry;
    expect(registry.map((p) => p.id)).toEqual([...PROCEDURES.map((p) => p.id), 'callback']);
  }, 180_000);

  describe('kb:check on the knowledge with the entry', () => {
    let log: jest.SpyInstance;
    beforeEach(() => {
      log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    });
    afterEach(() => log.mockRestore());
    const lines = () => log.mock.calls.map((c) => String(c[0]));

    it('reports no error with the procedure registered', () => {
      expect(kbCheck(['node', 'kb-check', knowledge], registry)).toBe(0);
      expect(lines().find((l) => l.startsWith('kb:check'))).toMatch(/: 0 error\(s\)/);
    });

    it('reports a dangling procedure without the registry line', () => {
      expect(kbCheck(['node', 'kb-check', knowledge])).toBe(1);
      expect(lines().some((l) => l.includes('dangling-procedure') && l.includes('core.callback'))).toBe(true);
    });
  });

  describe('the bot runs it turn by turn', () => {
    let chat: TestChat;
    const mails: OutboundMail[] = [];
    const now = new Date('2026-11-29T03:00:00Z');
    const tomorrow = addDays(todayInKualaLumpur(now), 1);

    beforeAll(async () => {
      chat = await createTestChat({
        procedures: registry,
        now: () => now,
        env: { KNOWLEDGE_DIR: knowledge, SUPPORT_EMAIL: 'cs@example.com' },
        mail: {
          async enqueue(mail) {
            mails.push(mail);
            return { id: String(mails.length), duplicate: false };
          },
        },
      });
    }, 120_000);

    afterAll(async () => {
      await chat?.close();
    });

    const cases = [
      { lang: 'ms', message: 'tolong telefon saya semula esok, nombor saya 012-345 6789', yes: 'ya', confirm: 'Betul?', done: 'khidmat pelanggan akan telefon' },
      { lang: 'en', message: 'please call me back tomorrow on 012-345 6789', yes: 'yes', confirm: 'Is that right?', done: 'customer service will call' },
    ] as const;

    for (const c of cases) {
      it(`${c.lang}: both values from one message, a confirmation, then the request to customer service`, async () => {
        const day = formatDate(tomorrow, c.lang);
        const confirm = joined(await chat.say(c.message));
        // neither value is asked: the confirmation names both
        expect(confirm).toContain(c.confirm);
        expect(confirm).toContain('+60123456789');
        expect(confirm).toContain(day);
        const before = mails.length;
        const done = joined(await chat.say(c.yes));
        expect(done).toContain(c.done);
        expect(done).toContain(day);
        expect(mails.slice(before)).toEqual([
          expect.objectContaining({ to: 'cs@example.com', kind: 'callback-request', lang: c.lang, text: expect.stringContaining('+60123456789') }),
        ]);
        expect(mails[mails.length - 1]!.text).toContain(day);
      });
    }

    it('en: a number alone makes it ask only for the day; a past day is refused', async () => {
      const asked = joined(await chat.say('can someone call me back, my number is 012-345 6789'));
      expect(asked).toContain('Which day would you like us to call?');
      expect(asked).not.toContain('Which mobile number');
      expect(joined(await chat.say('yesterday'))).toContain("I need today's date or a later one");
      const confirm = joined(await chat.say('tomorrow'));
      expect(confirm).toContain(formatDate(tomorrow, 'en'));
      expect(joined(await chat.say('no'))).toContain('no call is arranged');
    });
  });
});

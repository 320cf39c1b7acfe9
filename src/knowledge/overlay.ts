/**
 * The reviewed knowledge overlay: changes a knowledge author makes from the console (a customer's question
 * added as a paraphrase of an entry, or a new entry drafted), stored in the database (knowledge_changes),
 * applied on top of the YAML files by every instance, and written back into the YAML files by
 * `npm run kb:export`, so the repository stays the source of truth.
 *
 * One code path for all three uses: `materialise` copies the knowledge folder and writes the changes into the
 * copy's pack files (the yaml library's Document API, so comments and layout survive). Validation runs the
 * same schema and lint as `npm run kb:check` on that copy (a change that would add an error is refused); the
 * running bot loads the copy (loadKnowledge; paraphrases alone are applied in memory, applyParaphrasesInMemory)
 * and rebuilds its recognizer; the export writes into the real
 * folder. Changes are applied idempotently (a paraphrase already among an entry's examples, or an entry id
 * already in a pack, is skipped), so an exported change that is still active changes nothing once the YAML
 * holds it.
 *
 * Every change is audited in its row (who, when; who reverted it, when) and can be reverted; each change and
 * each revert bumps knowledge_version, which every instance polls (src/features/insight.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Generated, Kysely } from 'kysely';
import { type YAMLMap, type YAMLSeq, isMap, isSeq, parseDocument, stringify } from 'yaml';
import type { DB } from '../db';
import { redactPersonalData } from '../domain/pii';
import { type LintFinding, loadKnowledge } from './loader';
import { lintKnowledge, normalise } from './lint';
import { rawEntrySchema } from './schema';
import type { KnowledgeBase, KnowledgeEntry, Lang } from './types';

interface KnowledgeChangesTable {
  id: Generated<number>;
  kind: string;
  entry_id: string;
  pack: string;
  lang: string | null;
  text: string | null;
  doc: string | null;
  status: string;
  author: string;
  created_at: string;
  reverted_by: string | null;
  reverted_at: string | null;
}

interface KnowledgeVersionTable {
  id: number;
  version: number;
}

declare module '../db/schema' {
  interface DB {
    knowledge_changes: KnowledgeChangesTable;
    knowledge_version: KnowledgeVersionTable;
  }
}

/** The longest paraphrase accepted (a customer's question is at most MAX_MESSAGE_CHARS; a paraphrase is short). */
export const MAX_PARAPHRASE_CHARS = 300;

export interface KnowledgeChange {
  id: number;
  kind: 'paraphrase' | 'entry';
  entryId: string;
  pack: string;
  lang?: Lang;
  text?: string;
  /** A new entry as an author writes it in a pack file (kind entry). */
  doc?: Record<string, unknown>;
  status: 'active' | 'reverted' | 'exported';
  author: string;
  createdAt: string;
  revertedBy?: string;
  revertedAt?: string;
}

export class OverlayError extends Error {
  constructor(
    message: string,
    readonly findings: LintFinding[] = [],
  ) {
    super(message);
    this.name = 'OverlayError';
  }
}

function toChange(r: KnowledgeChangesTable & { id: number }): KnowledgeChange {
  return {
    id: Number(r.id),
    kind: r.kind as KnowledgeChange['kind'],
    entryId: r.entry_id,
    pack: r.pack,
    ...(r.lang ? { lang: r.lang as Lang } : {}),
    ...(r.text !== null ? { text: r.text } : {}),
    ...(r.doc ? { doc: JSON.parse(r.doc) as Record<string, unknown> } : {}),
    status: r.status as KnowledgeChange['status'],
    author: r.author,
    createdAt: r.created_at,
    ...(r.reverted_by ? { revertedBy: r.reverted_by } : {}),
    ...(r.reverted_at ? { revertedAt: r.reverted_at } : {}),
  };
}

/** Copies `from` (a knowledge folder) to `to` and writes `changes` into the copy's pack files. */
export function materialise(from: string, to: string, changes: KnowledgeChange[]): void {
  if (path.resolve(from) !== path.resolve(to)) fs.cpSync(from, to, { recursive: true });
  applyChanges(to, changes);
}

/**
 * Writes the changes into the pack files of `dir` (in place), skipping what is already there. The edits are
 * made in the text (a paraphrase is a new line after the last one of its list; a new entry is appended to the
 * file), found through the yaml library's node ranges, so every other byte of the file stays as the author
 * wrote it (re-serialising the whole document would restyle it).
 */
export function applyChanges(dir: string, changes: KnowledgeChange[]): void {
  const live = changes.filter((c) => c.status !== 'reverted');
  if (live.length === 0) return;
  const packsDir = path.join(dir, 'packs');
  const files = fs
    .readdirSync(packsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(packsDir, f));
  const texts = new Map<string, string>(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const dirty = new Set<string>();
  const packFile = (pack: string) => files.find((f) => parseDocument(texts.get(f)!).get('pack') === pack);
  const findEntry = (id: string): { file: string; entry: YAMLMap; text: string } | undefined => {
    for (const file of files) {
      const text = texts.get(file)!;
      const entries = parseDocument(text).get('entries');
      if (!isSeq(entries)) continue;
      for (const item of (entries as YAMLSeq).items) if (isMap(item) && item.get('id') === id) return { file, entry: item, text };
    }
    return undefined;
  };
  const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (text: string, offset: number) => {
    const i = text.indexOf('\n', offset);
    return i < 0 ? text.length : i;
  };
  for (const change of live) {
    if (change.kind === 'entry' && change.doc) {
      if (findEntry(change.entryId)) continue;
      const file = packFile(change.pack);
      if (!file) continue;
      const text = texts.get(file)!;
      const indent = /^( *)- id:/m.exec(text)?.[1] ?? '  ';
      const block = stringify([change.doc], { lineWidth: 0 })
        .trimEnd()
        .split('\n')
        .map((l) => (l ? indent + l : l))
        .join('\n');
      texts.set(file, `${text.trimEnd()}\n${block}\n`);
      dirty.add(file);
    } else if (change.kind === 'paraphrase' && change.text && change.lang) {
      const found = findEntry(change.entryId);
      if (!found) continue;
      const list = (found.entry.get('paraphrases') as YAMLMap | undefined)?.get(change.lang) as YAMLSeq | undefined;
      if (!list || !isSeq(list)) continue;
      const question = (found.entry.get('question') as YAMLMap | undefined)?.get(change.lang);
      const norm = normalise(change.text);
      const items = list.items as Array<{ value?: unknown; range?: [number, number, number] | null }>;
      const known = [question, ...items.map((i) => i?.value)];
      if (known.some((k) => typeof k === 'string' && normalise(k) === norm)) continue;
      const last = items[items.length - 1];
      const scalar = stringify(change.text, { lineWidth: 0 }).trimEnd();
      const { text } = found;
      if (list.flow || !last?.range || scalar.includes('\n')) continue; // not a block list of one-line items: left to the author
      const start = lineStart(text, last.range[0]);
      const indent = text.slice(start, last.range[0]).match(/^ */)![0];
      const at = lineEnd(text, last.range[1]);
      texts.set(found.file, `${text.slice(0, at)}\n${indent}- ${scalar}${text.slice(at)}`);
      dirty.add(found.file);
    }
  }
  for (const file of dirty) fs.writeFileSync(file, texts.get(file)!);
}

/** Runs `work` on a throw-away copy of the knowledge folder with the changes applied. */
function withCopy<T>(baseDir: string, changes: KnowledgeChange[], work: (dir: string) => T): T {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-overlay-'));
  try {
    materialise(baseDir, tmp, changes);
    return work(tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The knowledge base with the overlay applied (the packs as configured; `procedures`: the registered ids, see ReadOptions). */
export function loadWithOverlay(baseDir: string, changes: KnowledgeChange[], packs?: string[], procedures?: readonly string[]): KnowledgeBase {
  return withCopy(baseDir, changes, (dir) => loadKnowledge(dir, { packs, procedures }));
}

/**
 * The overlay applied in memory to the knowledge loaded from the YAML files, when it holds paraphrases only
 * (the usual change): the same examples, in the same order, as loadWithOverlay gives, without copying and
 * re-reading the folder (that costs about a second on a busy machine, on the event loop of every instance).
 * Undefined when a change needs the full load (a new entry; a text with a placeholder brace).
 */
export function applyParaphrasesInMemory(base: KnowledgeBase, changes: KnowledgeChange[]): KnowledgeBase | undefined {
  const live = changes.filter((c) => c.status !== 'reverted');
  if (live.some((c) => c.kind !== 'paraphrase' || !c.lang || !c.text || c.text.includes('{'))) return undefined;
  const touched = new Map<string, KnowledgeEntry>();
  for (const c of live) {
    const entry = touched.get(c.entryId) ?? base.byId.get(c.entryId);
    if (!entry) continue;
    const lang = c.lang!;
    const norm = normalise(c.text!);
    if ([entry.question[lang], ...entry.examples[lang]].some((x) => normalise(x) === norm)) continue;
    const copy = touched.get(entry.id) ?? { ...entry, examples: { ms: [...entry.examples.ms], en: [...entry.examples.en] } };
    // after the paraphrases, before the story examples: where the YAML path (kb:export, then a load) puts it
    copy.examples[lang].splice(copy.examples[lang].length - (copy.storyExamples?.[lang] ?? 0), 0, c.text!);
    touched.set(entry.id, copy);
  }
  const entries = base.entries.map((e) => touched.get(e.id) ?? e);
  return { ...base, entries, byId: new Map(entries.map((e) => [e.id, e])) };
}

/** kb:check's findings on the knowledge with the overlay applied. */
export function lintWithOverlay(baseDir: string, changes: KnowledgeChange[]): LintFinding[] {
  return withCopy(baseDir, changes, (dir) => lintKnowledge(dir));
}

export class KnowledgeOverlay {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly baseDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async version(): Promise<number> {
    const row = await this.db.selectFrom('knowledge_version').select('version').where('id', '=', 1).executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  /** Every change, newest first (the audit log). */
  async list(limit = 200): Promise<KnowledgeChange[]> {
    const rows = await this.db.selectFrom('knowledge_changes').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => toChange(r as KnowledgeChangesTable & { id: number }));
  }

  /** The changes applied to the running bot, oldest first. */
  async active(): Promise<KnowledgeChange[]> {
    const rows = await this.db.selectFrom('knowledge_changes').selectAll().where('status', '!=', 'reverted').orderBy('id', 'asc').execute();
    return rows.map((r) => toChange(r as KnowledgeChangesTable & { id: number }));
  }

  /**
   * Adds a question as a paraphrase of an entry (personal data masked first). Refused when the entry does not
   * exist, or when the knowledge with the change would fail kb:check (e.g. the text duplicates another entry's example).
   */
  async addParaphrase(input: { entryId: string; lang: Lang; text: string; author: string }, current?: KnowledgeBase): Promise<KnowledgeChange> {
    const text = redactPersonalData(input.text).replace(/\s+/g, ' ').trim();
    if (text.length === 0 || text.length > MAX_PARAPHRASE_CHARS) throw new OverlayError(`a paraphrase has 1 to ${MAX_PARAPHRASE_CHARS} characters`);
    const active = await this.active();
    // the entry as the bot runs it now (overlay applied), or loaded afresh
    const base = current ?? loadWithOverlay(this.baseDir, active);
    const entry = base.byId.get(input.entryId);
    if (!entry) throw new OverlayError(`no entry ${input.entryId}`);
    const change: Omit<KnowledgeChange, 'id'> = {
      kind: 'paraphrase',
      entryId: entry.id,
      pack: entry.pack,
      lang: input.lang,
      text,
      status: 'active',
      author: input.author,
      createdAt: this.now().toISOString(),
    };
    return this.store(change, active);
  }

  /** Drafts a new entry (validated with the pack schema, then with kb:check's lint). */
  async addEntry(input: { doc: unknown; author: string }): Promise<KnowledgeChange> {
    const parsed = rawEntrySchema.safeParse(input.doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new OverlayError(`${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    const doc = input.doc as Record<string, unknown>;
    const id = String(doc.id);
    const pack = id.split('.')[0]!;
    const active = await this.active();
    const base = loadWithOverlay(this.baseDir, active);
    if (base.byId.has(id)) throw new OverlayError(`entry ${id} exists already`);
    if (!base.packs.includes(pack)) throw new OverlayError(`no pack ${pack}`);
    return this.store({ kind: 'entry', entryId: id, pack, doc, status: 'active', author: input.author, createdAt: this.now().toISOString() }, active);
  }

  /** Reverts a change (it stays in the log, marked reverted, by whom and when). */
  async revert(id: number, by: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('knowledge_changes')
        .set({ status: 'reverted', reverted_by: by, reverted_at: this.now().toISOString() })
        .where('id', '=', id)
        .where('status', '!=', 'reverted')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new OverlayError(`no active change ${id}`);
      await trx.updateTable('knowledge_version').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', 1).execute();
    });
  }

  /** Marks changes written back to the YAML files by kb:export (they stay active: applying them again changes nothing). */
  async markExported(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('knowledge_changes').set({ status: 'exported' }).where('id', 'in', ids).where('status', '=', 'active').execute();
  }

  /** Errors kb:check finds with the active changes, by the ids of those changes (a change's own lint then runs once). */
  private errorsBefore: { key: string; count: number } | undefined;

  private async store(change: Omit<KnowledgeChange, 'id'>, active: KnowledgeChange[]): Promise<KnowledgeChange> {
    const key = active.map((c) => `${c.id}:${c.status}`).join(',');
    if (this.errorsBefore?.key !== key) {
      this.errorsBefore = { key, count: lintWithOverlay(this.baseDir, active).filter((f) => f.level === 'error').length };
    }
    const before = this.errorsBefore.count;
    const findings = lintWithOverlay(this.baseDir, [...active, { ...change, id: 0 }]).filter((f) => f.level === 'error');
    if (findings.length > before) throw new OverlayError(findings.map((f) => f.message).join('; '), findings);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('knowledge_changes')
        .values({
          kind: change.kind,
          entry_id: change.entryId,
          pack: change.pack,
          lang: change.lang ?? null,
          text: change.text ?? null,
          doc: change.doc ? JSON.stringify(change.doc) : null,
          status: 'active',
          author: change.author.slice(0, 200),
          created_at: change.createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('knowledge_version').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', 1).execute();
      return Number(row.id);
    });
    return { ...change, id };
  }
}

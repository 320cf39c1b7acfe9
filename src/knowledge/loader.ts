/**
 * Loads knowledge/ (packs/*.yaml, plan-rules.yaml, plans.yaml), validates every file with zod,
 * expands answer placeholders from the plan-switch rules and builds the KnowledgeBase.
 *
 * readKnowledge() collects every problem as a finding (the lint builds on it); loadKnowledge()
 * throws a KnowledgeError naming the file and the entry of the first error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { YamlError, parseYaml } from '../yamlCache';
import type { ZodError } from 'zod';
import { expandAnswer, expandScalar, PlaceholderError } from './placeholders';
import { packFileSchema, plansFileSchema, planRulesSchema, rawEntrySchema, STORY_KINDS } from './schema';
import { PROCEDURE_IDS } from '../../dialogs/registry';
import type { RawEntry } from './schema';
import type { KnowledgeBase, KnowledgeEntry, Lang, Plan, PlanRules } from './types';
import { LANGS, SWITCH_TYPES } from './types';
import type { Lexicon } from '../language/lexicon';
import { compileLexicon, defaultLexiconPath } from '../language/lexicon';

/** The pack that is always enabled. */
export const CORE_PACK = 'core';
/** Fewest paraphrases per language (besides the canonical question). */
export const MIN_PARAPHRASES = 6;

export interface LintFinding {
  level: 'error' | 'warning' | 'info';
  code: string;
  file: string;
  entry?: string;
  message: string;
}

export class KnowledgeError extends Error {
  readonly file: string;
  readonly entry?: string;
  readonly code: string;
  constructor(file: string, entry: string | undefined, message: string, code = 'error') {
    super(`${file}${entry ? ` (entry ${entry})` : ''}: ${message}`);
    this.name = 'KnowledgeError';
    this.file = file;
    this.entry = entry;
    this.code = code;
  }
}

/** An entry as read, with where it came from; `entry` is the built entry when it validated. */
export interface ReadEntry {
  file: string;
  pack: string;
  id: string;
  raw: RawEntry;
  entry: KnowledgeEntry;
}

export interface ReadResult {
  findings: LintFinding[];
  packs: string[];
  entries: ReadEntry[];
  rules?: PlanRules;
  plans?: Plan[];
}

function readYaml(file: string, findings: LintFinding[]): unknown | undefined {
  let src: string;
  try {
    src = fs.readFileSync(file, 'utf8');
  } catch (e) {
    findings.push({ level: 'error', code: 'file-missing', file, message: `cannot read the file: ${(e as Error).message}` });
    return undefined;
  }
  try {
    return parseYaml(src, file);
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    findings.push({ level: 'error', code: 'yaml', file, message: e.message.split('\n')[0] });
    return undefined;
  }
}

function zodMessage(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`)
    .join('; ');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;

/** Reports a language missing in a bilingual field of a raw entry (before the schema, for a clearer finding). */
function missingLanguages(raw: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const field of ['question', 'answer'] as const) {
    const v = raw[field];
    if (v === undefined && field === 'answer') continue;
    for (const lang of LANGS) if (!isObj(v) || !nonEmpty(v[lang])) out.push(`${field}.${lang}`);
  }
  const p = raw.paraphrases;
  for (const lang of LANGS) {
    const list = isObj(p) ? p[lang] : undefined;
    if (!Array.isArray(list) || list.length === 0) out.push(`paraphrases.${lang}`);
    else if (list.some((s) => !nonEmpty(s))) out.push(`paraphrases.${lang} (an empty paraphrase)`);
  }
  return out;
}

/** An entry's story examples in one language (long, indirect, situation, then implied), trimmed and non-empty. */
function storiesOf(raw: RawEntry, lang: Lang): string[] {
  return [...STORY_KINDS, 'implied' as const].flatMap((k) => raw.stories?.[k]?.[lang] ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** An entry's implied needs in one language (stories.implied), trimmed and non-empty: the last of its story examples. */
function impliedOf(raw: RawEntry, lang: Lang): string[] {
  return (raw.stories?.implied?.[lang] ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

function readRules(dir: string, findings: LintFinding[]): PlanRules | undefined {
  const file = path.join(dir, 'plan-rules.yaml');
  const data = readYaml(file, findings);
  if (data === undefined) return undefined;
  const parsed = planRulesSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const entry = first && first.path.length >= 2 ? `${String(first.path[0])}.${String(first.path[1])}` : first?.path.map(String).join('.');
    findings.push({ level: 'error', code: 'schema', file, entry: entry || undefined, message: zodMessage(parsed.error) });
    return undefined;
  }
  const r = parsed.data as unknown as PlanRules;
  const before = findings.length;
  for (const id of SWITCH_TYPES) {
    const st = r.switchTypes[id];
    const entry = `switchTypes.${id}`;
    if (st.id !== id) findings.push({ level: 'error', code: 'rules-reference', file, entry, message: `id "${st.id}" differs from its key "${id}"` });
    const [from, to] = id.split('-');
    if (st.from !== from || st.to !== to) findings.push({ level: 'error', code: 'rules-reference', file, entry, message: `from/to (${st.from} -> ${st.to}) do not match the id` });
    for (const f of st.forfeits) if (!r.forfeits[f]) findings.push({ level: 'error', code: 'rules-reference', file, entry, message: `forfeit "${f}" is not defined under forfeits` });
    for (const n of st.notes) if (!r.notes[n]) findings.push({ level: 'error', code: 'rules-reference', file, entry, message: `note "${n}" is not defined under notes` });
    if (st.onlyAt && !r.places[st.onlyAt]) findings.push({ level: 'error', code: 'rules-reference', file, entry, message: `place "${st.onlyAt}" is not defined under places` });
  }
  if (findings.length > before) return undefined;
  // Expand the scalar placeholders inside the rules' own texts (e.g. the monthly limit in a condition).
  const scalar = { maxSwitchesPerMonth: r.maxSwitchesPerMonth, creditCarryOverCapSen: r.creditCarryOverCapSen };
  const expandTable = (table: Record<string, { ms: string; en: string }>, group: string): boolean => {
    for (const [key, t] of Object.entries(table)) {
      for (const lang of LANGS) {
        try {
          t[lang] = expandScalar(t[lang], scalar, lang);
        } catch (e) {
          if (!(e instanceof PlaceholderError)) throw e;
          findings.push({ level: 'error', code: 'unknown-placeholder', file, entry: `${group}.${key}`, message: `${e.message} (only {{maxSwitchesPerMonth}} and {{creditCarryOverCap}} are allowed in the rules)` });
          return false;
        }
      }
    }
    return true;
  };
  const ok =
    expandTable(r.conditions, 'conditions') &&
    expandTable(r.forfeits, 'forfeits') &&
    expandTable(r.notes, 'notes') &&
    expandTable(r.places, 'places') &&
    expandTable({ prorataFormula: r.prorataFormula }, 'prorataFormula');
  return ok ? r : undefined;
}

function readPlans(dir: string, findings: LintFinding[]): Plan[] | undefined {
  const file = path.join(dir, 'plans.yaml');
  const data = readYaml(file, findings);
  if (data === undefined) return undefined;
  const parsed = plansFileSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    let entry: string | undefined;
    if (first && first.path[0] === 'plans' && typeof first.path[1] === 'number' && isObj(data) && Array.isArray(data.plans)) {
      const p = data.plans[first.path[1]];
      entry = isObj(p) && typeof p.id === 'string' ? p.id : `plans[${first.path[1]}]`;
    }
    findings.push({ level: 'error', code: 'schema', file, entry, message: zodMessage(parsed.error) });
    return undefined;
  }
  const seen = new Set<string>();
  for (const p of parsed.data.plans) {
    if (seen.has(p.id)) findings.push({ level: 'error', code: 'duplicate-id', file, entry: p.id, message: `plan id "${p.id}" is used twice` });
    seen.add(p.id);
  }
  return parsed.data.plans;
}

function packFiles(dir: string, findings: LintFinding[]): string[] {
  const packsDir = path.join(dir, 'packs');
  try {
    return fs
      .readdirSync(packsDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(packsDir, f));
  } catch (e) {
    findings.push({ level: 'error', code: 'file-missing', file: packsDir, message: `cannot read the packs folder: ${(e as Error).message}` });
    return [];
  }
}

function buildEntry(raw: RawEntry, pack: string, packSource: string | undefined, domain: { markers: readonly string[]; rivals: readonly string[]; aboutChange: boolean }, rules: PlanRules | undefined, file: string, findings: LintFinding[]): KnowledgeEntry | undefined {
  let answer: KnowledgeEntry['answer'];
  if (raw.answer) {
    const a = { ms: '', en: '' };
    for (const lang of LANGS as Lang[]) {
      const src = raw.answer[lang].trim();
      try {
        if (!rules && /\{\{/.test(src)) {
          findings.push({ level: 'error', code: 'rules-unavailable', file, entry: raw.id, message: 'the answer has placeholders but plan-rules.yaml did not load' });
          return undefined;
        }
        a[lang] = rules ? expandAnswer(src, rules, lang) : src;
      } catch (e) {
        if (!(e instanceof PlaceholderError)) throw e;
        findings.push({ level: 'error', code: 'unknown-placeholder', file, entry: raw.id, message: `answer.${lang}: ${e.message}` });
        return undefined;
      }
      if (/\{\{|\}\}/.test(a[lang])) {
        findings.push({ level: 'error', code: 'unknown-placeholder', file, entry: raw.id, message: `answer.${lang}: malformed placeholder (write {{name}} or {{name:argument}})` });
        return undefined;
      }
    }
    answer = a;
  }
  const entry: KnowledgeEntry = {
    id: raw.id,
    pack,
    kind: raw.kind,
    question: { ms: raw.question.ms.trim(), en: raw.question.en.trim() },
    label: raw.label
      ? { ms: raw.label.ms.trim(), en: raw.label.en.trim() }
      : { ms: raw.question.ms.trim(), en: raw.question.en.trim() },
    examples: {
      ms: [raw.question.ms.trim(), ...raw.paraphrases.ms.map((s) => s.trim()), ...storiesOf(raw, 'ms')],
      en: [raw.question.en.trim(), ...raw.paraphrases.en.map((s) => s.trim()), ...storiesOf(raw, 'en')],
    },
    ...(raw.stories ? { storyExamples: { ms: storiesOf(raw, 'ms').length, en: storiesOf(raw, 'en').length } } : {}),
    ...(raw.stories?.implied ? { impliedExamples: { ms: impliedOf(raw, 'ms').length, en: impliedOf(raw, 'en').length } } : {}),
    status: raw.status,
    followups: raw.followups,
  };
  if (answer) entry.answer = answer;
  if (raw.incompleteReason) entry.incompleteReason = raw.incompleteReason;
  if (raw.gives.length > 0) entry.gives = raw.gives;
  if (raw.needs.length > 0) entry.needs = raw.needs;
  if (raw.unless.length > 0) entry.unless = raw.unless;
  if (raw.signals.length > 0) entry.signals = raw.signals;
  if (domain.markers.length > 0) entry.markers = [...domain.markers];
  if (domain.rivals.length > 0) entry.rivals = [...domain.rivals];
  if (domain.aboutChange) entry.aboutChange = true;
  if (raw.procedure) entry.procedure = { dialog: raw.procedure.dialog, mode: raw.procedure.mode };
  const source = raw.source ?? packSource;
  if (source) entry.source = source;
  return entry;
}

export interface ReadOptions {
  /**
   * The ids of the procedures the bot runs (procedureIds of the runtime's registry): an entry's
   * `procedure.dialog` must be one of them ("dangling-procedure"). Default: the product's, PROCEDURE_IDS of
   * dialogs/registry.ts.
   */
  procedures?: readonly string[];
}

/** Reads and validates the whole knowledge dir (all packs), collecting every problem as a finding. */
export function readKnowledge(dir: string, options: ReadOptions = {}): ReadResult {
  const procedures = options.procedures ?? PROCEDURE_IDS;
  const findings: LintFinding[] = [];
  const rules = readRules(dir, findings);
  const plans = readPlans(dir, findings);
  const entries: ReadEntry[] = [];
  const packs: string[] = [];
  const firstFileOfId = new Map<string, string>();

  for (const file of packFiles(dir, findings)) {
    const data = readYaml(file, findings);
    if (data === undefined) continue;
    const head = packFileSchema.safeParse(data);
    if (!head.success) {
      findings.push({ level: 'error', code: 'schema', file, message: zodMessage(head.error) });
      continue;
    }
    const { pack, source, markers, rivals, aboutChange } = head.data;
    if (packs.includes(pack)) findings.push({ level: 'error', code: 'duplicate-pack', file, message: `pack "${pack}" is defined in more than one file` });
    else packs.push(pack);
    if (path.basename(file).replace(/\.ya?ml$/, '') !== pack) {
      findings.push({ level: 'warning', code: 'pack-file-name', file, message: `the file of pack "${pack}" should be named ${pack}.yaml` });
    }
    head.data.entries.forEach((rawUnknown, i) => {
      const label = isObj(rawUnknown) && typeof rawUnknown.id === 'string' ? rawUnknown.id : `entries[${i}]`;
      if (!isObj(rawUnknown)) {
        findings.push({ level: 'error', code: 'schema', file, entry: label, message: 'an entry must be a mapping' });
        return;
      }
      const missing = missingLanguages(rawUnknown);
      if (missing.length > 0) {
        findings.push({ level: 'error', code: 'missing-language', file, entry: label, message: `language missing: ${missing.join(', ')}` });
        return;
      }
      const parsed = rawEntrySchema.safeParse(rawUnknown);
      if (!parsed.success) {
        findings.push({ level: 'error', code: 'schema', file, entry: label, message: zodMessage(parsed.error) });
        return;
      }
      const raw = parsed.data;
      if (!raw.id.startsWith(`${pack}.`)) {
        findings.push({ level: 'error', code: 'id-prefix', file, entry: raw.id, message: `id must start with "${pack}."` });
        return;
      }
      const prev = firstFileOfId.get(raw.id);
      if (prev !== undefined) {
        findings.push({ level: 'error', code: 'duplicate-id', file, entry: raw.id, message: `id "${raw.id}" is already used${prev === file ? ' in this file' : ` in ${prev}`}` });
        return;
      }
      firstFileOfId.set(raw.id, file);
      const entry = buildEntry(raw, pack, source, { markers, rivals, aboutChange }, rules, file, findings);
      if (entry) entries.push({ file, pack, id: raw.id, raw, entry });
    });
  }

  if (!packs.includes(CORE_PACK) && findings.every((f) => f.code !== 'file-missing')) {
    findings.push({ level: 'error', code: 'core-missing', file: path.join(dir, 'packs'), message: `the always-enabled pack "${CORE_PACK}" is missing` });
  }
  // Cross references: follow-ups and procedures.
  for (const e of entries) {
    for (const f of e.raw.followups) {
      if (!firstFileOfId.has(f)) findings.push({ level: 'error', code: 'dangling-followup', file: e.file, entry: e.id, message: `follow-up "${f}" is not an entry id` });
      else if (f === e.id) findings.push({ level: 'warning', code: 'self-followup', file: e.file, entry: e.id, message: 'the entry offers itself as a follow-up' });
    }
    if (e.raw.procedure && !procedures.includes(e.raw.procedure.dialog)) {
      findings.push({ level: 'error', code: 'dangling-procedure', file: e.file, entry: e.id, message: `procedure "${e.raw.procedure.dialog}" is not one of the registered procedures (${procedures.join(', ')})` });
    }
  }
  return { findings, packs, entries, rules, plans };
}

/**
 * The lexicon of a knowledge dir (the words the bot understands: short forms, concepts, commands, months...):
 * <dir>/lexicon.yaml, or the project's knowledge/lexicon.yaml for a dir without one (a dir of packs only, the
 * test fixtures). A lexicon that does not validate is a 'lexicon' error naming the problem.
 */
export function readLexicon(dir: string, findings: LintFinding[] = []): Lexicon | undefined {
  const own = path.join(dir, 'lexicon.yaml');
  const file = fs.existsSync(own) ? own : defaultLexiconPath();
  const data = readYaml(file, findings);
  if (data === undefined) return undefined;
  try {
    return compileLexicon(data, path.dirname(file));
  } catch (e) {
    findings.push({ level: 'error', code: 'lexicon', file, message: (e as Error).message });
    return undefined;
  }
}

/** Problems that stop loading (the rest are the lint's business). */
const LOAD_ERRORS = new Set([
  'file-missing',
  'yaml',
  'schema',
  'missing-language',
  'id-prefix',
  'duplicate-id',
  'duplicate-pack',
  'unknown-placeholder',
  'rules-reference',
  'rules-unavailable',
  'dangling-followup',
  'dangling-procedure',
  'core-missing',
]);

/**
 * Loads the knowledge base. `packs`: the enabled packs (KNOWLEDGE_PACKS); default all; the core pack
 * is always enabled. Throws KnowledgeError (naming the file and the entry) on the first error.
 */
export function loadKnowledge(dir: string, opts: { packs?: string[] } & ReadOptions = {}): KnowledgeBase {
  const read = readKnowledge(dir, opts);
  const fatal = read.findings.find((f) => f.level === 'error' && LOAD_ERRORS.has(f.code));
  if (fatal) throw new KnowledgeError(fatal.file, fatal.entry, fatal.message, fatal.code);
  const rules = read.rules as PlanRules;
  const plans = read.plans as Plan[];

  let enabled = read.packs;
  if (opts.packs) {
    const wanted = [...new Set(opts.packs.map((p) => p.trim()).filter((p) => p.length > 0))];
    const unknown = wanted.filter((p) => !read.packs.includes(p));
    if (unknown.length > 0) {
      throw new KnowledgeError(path.join(dir, 'packs'), undefined, `unknown pack(s) ${unknown.join(', ')}; available: ${read.packs.join(', ')}`, 'unknown-pack');
    }
    enabled = read.packs.filter((p) => p === CORE_PACK || wanted.includes(p));
  }
  const entries = read.entries.filter((e) => enabled.includes(e.pack)).map((e) => e.entry);
  const byId = new Map(entries.map((e) => [e.id, e]));
  // A follow-up into a disabled pack is not offered.
  for (const e of entries) e.followups = e.followups.filter((f) => byId.has(f));
  return { packs: enabled, entries, byId, rules, plans, procedures: opts.procedures ?? PROCEDURE_IDS };
}

/**
 * Loads the lexicon of a knowledge dir once (see readLexicon): the runtime injects it into the recognizer, and
 * through it into every turn's analysis. Throws KnowledgeError naming the file on a problem. Apart from
 * loadKnowledge, which it would double in time (the lexicon is the largest YAML file).
 */
export function loadKnowledgeLexicon(dir: string): Lexicon {
  const findings: LintFinding[] = [];
  const lexicon = readLexicon(dir, findings);
  const error = findings.find((f) => f.level === 'error');
  if (error || !lexicon) throw new KnowledgeError(error?.file ?? path.join(dir, 'lexicon.yaml'), undefined, error?.message ?? 'no lexicon', error?.code ?? 'lexicon');
  return lexicon;
}

/** Parses KNOWLEDGE_PACKS ("ebiz,planswitch"); empty or "all" means every pack. */
export function parsePackList(value: string | undefined): string[] | undefined {
  if (!value || value.trim() === '' || value.trim().toLowerCase() === 'all') return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

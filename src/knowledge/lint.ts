/**
 * The knowledge lint (npm run kb:check): everything readKnowledge() finds while loading, plus the
 * quality checks that do not stop loading: too few paraphrases, identical or near-identical
 * examples in different entries, an answer equal to its question, markup a channel cannot show,
 * image placeholders copied from the source, over-long answers, templated examples within an entry (one sentence
 * frame with one word swapped), an example that names none of the concepts its entry needs or another pack's domain
 * and not its own (pack markers), and the list of incomplete entries.
 */
import { MIN_PARAPHRASES, readKnowledge, readLexicon } from './loader';
import type { LintFinding, ReadEntry, ReadOptions } from './loader';
import type { Lang } from './types';
import { LANGS } from './types';
import { normaliseText } from '../domain/text';
import { analyze, namesConcept, namesCue } from '../language/normalize';

/** Token Jaccard (unigrams and bigrams) at or above this: near-identical examples. */
export const NEAR_DUPLICATE_THRESHOLD = 0.9;
/** A button label longer than this is cut by some channel (WhatsApp reply buttons: 20). */
export const LABEL_MAX_CHARS = 20;
/** Answers longer than this read badly in a chat bubble. */
export const MAX_ANSWER_CHARS = 700;

/** Lower case, no accents, no punctuation, single spaces: the lint's comparison key (src/domain/text.ts normaliseText). */
export function normalise(text: string): string {
  return normaliseText(text, { wordsOnly: true });
}

/** The unigrams and bigrams of a normalised text: word order counts ("prepaid ke postpaid" is not "postpaid ke prepaid"). */
export function shingles(text: string): Set<string> {
  const tokens = normalise(text).split(' ').filter((t) => t.length > 0);
  const out = new Set<string>(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** Examples of one entry this long (in words) or longer are compared for templating; shorter ones may differ by a word. */
export const TEMPLATE_MIN_WORDS = 4;

/**
 * Whether two examples of one entry are the same sentence frame with one word swapped, added or dropped
 * ("how do i upgrade my account" / "how do i upgrade my acc"): word-level edit distance of at most 1 over
 * texts of TEMPLATE_MIN_WORDS words or more. Such an example teaches the recognizer nothing the other does not,
 * and stands where a differently worded one should be.
 */
export function templated(a: string[], b: string[]): boolean {
  if (Math.max(a.length, b.length) < TEMPLATE_MIN_WORDS || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  // what is left between the common prefix and suffix: at most one word on each side
  return a.length - i - j <= 1 && b.length - i - j <= 1;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Markup that some channel (WhatsApp, Teams, Web Chat plain text) cannot show as intended. */
const MARKUP: { re: RegExp; what: string }[] = [
  { re: /^\s{0,3}#{1,6}\s/m, what: 'a markdown heading (#)' },
  { re: /<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?\/?>/, what: 'an HTML tag' },
  { re: /^[ \t]*\|.*\|[ \t]*$/m, what: 'a table row (|...|)' },
  { re: /\|\s*:?-{3,}/, what: 'a table rule (|---|)' },
  { re: /\*\*[^*]+\*\*|__[^_]+__/, what: 'bold markup (** or __)' },
  { re: /`/, what: 'code markup (`)' },
  { re: /\[[^\]]+\]\([^)]+\)/, what: 'a markdown link [..](..)' },
];

const IMAGE_PLACEHOLDER = /\b[\w-]+\.(png|jpe?g|gif)\b/i;

interface Example {
  entry: ReadEntry;
  lang: Lang;
  text: string;
  norm: string;
  grams: Set<string>;
}

function qualityChecks(entries: ReadEntry[]): LintFinding[] {
  const out: LintFinding[] = [];
  const examples: Example[] = [];
  const labels = new Map<string, string>();

  for (const e of entries) {
    const { entry, raw, file, id } = e;
    for (const lang of LANGS) {
      const label = raw.label?.[lang].trim();
      if (!label) {
        out.push({ level: 'error', code: 'missing-label', file, entry: id, message: `no ${lang} label: every entry needs a short button label (at most ${LABEL_MAX_CHARS} characters)` });
      } else if (label.length > LABEL_MAX_CHARS) {
        out.push({ level: 'error', code: 'label-too-long', file, entry: id, message: `the ${lang} label "${label}" has ${label.length} characters (at most ${LABEL_MAX_CHARS}: buttons cut longer ones)` });
      } else {
        const other = labels.get(`${lang}:${label.toLowerCase()}`);
        if (other) out.push({ level: 'error', code: 'duplicate-label', file, entry: id, message: `the ${lang} label "${label}" is also ${other}'s: a customer could not tell the buttons apart` });
        else labels.set(`${lang}:${label.toLowerCase()}`, id);
      }
      const count = raw.paraphrases[lang].length;
      if (count < MIN_PARAPHRASES) {
        out.push({ level: 'error', code: 'too-few-paraphrases', file, entry: id, message: `${count} ${lang} paraphrase(s); at least ${MIN_PARAPHRASES} are needed` });
      }
      const seen = new Set<string>();
      const words: Array<{ text: string; words: string[] }> = [];
      for (const text of entry.examples[lang]) {
        const norm = normalise(text);
        if (seen.has(norm)) {
          out.push({ level: 'warning', code: 'repeated-example', file, entry: id, message: `${lang} example "${text}" is written twice in this entry` });
          continue;
        }
        seen.add(norm);
        examples.push({ entry: e, lang, text, norm, grams: shingles(text) });
        const w = norm.split(' ').filter((t) => t.length > 0);
        const twin = words.find((x) => templated(x.words, w));
        if (twin) {
          out.push({ level: 'warning', code: 'templated-example', file, entry: id, message: `${lang} example "${text}" is "${twin.text}" with one word changed: write it differently or drop it` });
        }
        words.push({ text, words: w });
      }
      if (entry.answer) {
        const answer = entry.answer[lang];
        if (normalise(answer) === normalise(entry.question[lang])) {
          out.push({ level: 'error', code: 'answer-equals-question', file, entry: id, message: `the ${lang} answer only repeats the question` });
        }
        for (const m of MARKUP) {
          if (m.re.test(answer)) out.push({ level: 'error', code: 'markup', file, entry: id, message: `the ${lang} answer has ${m.what}, which a channel cannot show` });
        }
        if (answer.length > MAX_ANSWER_CHARS) {
          out.push({ level: 'warning', code: 'answer-too-long', file, entry: id, message: `the ${lang} answer has ${answer.length} characters (at most ${MAX_ANSWER_CHARS} read well in a chat)` });
        }
      }
      const texts = [entry.question[lang], ...entry.examples[lang], entry.answer?.[lang] ?? ''];
      const image = texts.map((t) => IMAGE_PLACEHOLDER.exec(t)).find((m) => m);
      if (image) {
        out.push({ level: 'error', code: 'image-placeholder', file, entry: id, message: `"${image[0]}" is an image placeholder copied from the source; write what it stood for` });
      }
    }
    if (entry.status === 'incomplete') {
      out.push({ level: 'info', code: 'incomplete', file, entry: id, message: `incomplete, never shown as an answer: ${entry.incompleteReason ?? ''}`.trim() });
    }
  }

  // Identical or near-identical examples in different entries (same language).
  for (const lang of LANGS) {
    const list = examples.filter((x) => x.lang === lang);
    const byNorm = new Map<string, Example>();
    for (const x of list) {
      const prev = byNorm.get(x.norm);
      if (prev && prev.entry.id !== x.entry.id) {
        out.push({ level: 'error', code: 'duplicate-example', file: x.entry.file, entry: x.entry.id, message: `${lang} example "${x.text}" is identical to one of ${prev.entry.id} ("${prev.text}")` });
      } else if (!prev) byNorm.set(x.norm, x);
    }
    const unique = [...byNorm.values()];
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) {
        const a = unique[i];
        const b = unique[j];
        if (a.entry.id === b.entry.id) continue;
        const score = jaccard(a.grams, b.grams);
        if (score >= NEAR_DUPLICATE_THRESHOLD) {
          out.push({
            level: 'warning',
            code: 'near-duplicate-example',
            file: b.entry.file,
            entry: b.entry.id,
            message: `${lang} example "${b.text}" is near-identical (${score.toFixed(2)}) to one of ${a.entry.id} ("${a.text}")`,
          });
        }
      }
    }
  }
  return out;
}

/** Lints the knowledge dir (procedure ids against `options.procedures`, see ReadOptions); findings sorted errors first. */
export function lintKnowledge(dir: string, options: ReadOptions = {}): LintFinding[] {
  const read = readKnowledge(dir, options);
  const findings = [...read.findings, ...qualityChecks(read.entries)];
  const lex = readLexicon(dir, findings);
  if (lex) {
    // (an entry that needs a concept the lexicon does not have could never be answered)
    const concepts = new Set(lex.conceptTerms.values());
    // (the markers of each pack: KnowledgeEntry.markers)
    const markersOf = new Map<string, readonly string[]>();
    for (const { entry } of read.entries) if (entry.markers) markersOf.set(entry.pack, entry.markers);
    // (a pack's rivals are out-of-scope terms of the lexicon: KnowledgeEntry.rivals; an example that names one could never
    // be answered)
    const rivalsOf = new Map<string, readonly string[]>();
    for (const { entry } of read.entries) if (entry.rivals) rivalsOf.set(entry.pack, entry.rivals);
    for (const [pack, rivals] of rivalsOf) {
      const file = read.entries.find((e) => e.pack === pack)!.file;
      for (const t of rivals) {
        if (!lex.outOfScope.has(t)) findings.push({ level: 'error', code: 'unknown-term', file, message: `pack "${pack}" has the rival "${t}", which is no out-of-scope term of the lexicon: no message would name it` });
      }
    }
    for (const [pack, markers] of markersOf) {
      const file = read.entries.find((e) => e.pack === pack)!.file;
      for (const c of markers) {
        if (!concepts.has(c)) findings.push({ level: 'error', code: 'unknown-concept', file, message: `pack "${pack}" has the marker "${c}", which is no concept of the lexicon: no message could name it` });
      }
    }
    for (const { entry, file, id } of read.entries) {
      for (const c of entry.needs ?? []) {
        if (!concepts.has(c) && !lex.cues.has(c)) findings.push({ level: 'error', code: 'unknown-concept', file, entry: id, message: `needs "${c}", which is no concept nor cue of the lexicon: no message could name it` });
      }
      for (const c of entry.unless ?? []) {
        if (!concepts.has(c) && !lex.cues.has(c)) findings.push({ level: 'error', code: 'unknown-concept', file, entry: id, message: `unless "${c}", which is no concept nor cue of the lexicon: it could never rule a message out` });
      }
      for (const c of (entry.signals ?? []).flat()) {
        if (!concepts.has(c) && !lex.cues.has(c)) findings.push({ level: 'error', code: 'unknown-concept', file, entry: id, message: `signals "${c}", which is no concept nor cue of the lexicon: no message could name it` });
      }
      // (an example that names none of them is one the entry could never answer: read in either language, as the
      // recognizer reads a message's needs; so is one that names another pack's domain and not its own)
      // (and one that says the contrary of the entry, naming what rules it out and none of its signals)
      const needs = entry.needs ?? [];
      const unless = entry.unless ?? [];
      const others = entry.markers ? [...markersOf].filter(([pack]) => pack !== entry.pack).flatMap(([, m]) => m) : [];
      if (needs.length === 0 && unless.length === 0 && others.length === 0 && !entry.rivals) continue;
      for (const l of LANGS) {
        for (const example of entry.examples[l]) {
          const ms = analyze(example, 'ms', { lex });
          const features = new Set([...ms.features, ...analyze(example, 'en', { lex }).features]);
          if (needs.length > 0 && !needs.some((c) => namesConcept(features, c) || namesCue(ms.tokens, c, lex))) {
            findings.push({ level: 'warning', code: 'example-lacks-need', file, entry: id, message: `example "${example}" names none of the concepts or cues the entry needs (${needs.join(', ')}): it could never be answered by it` });
          }
          const contrary = unless.find((c) => namesConcept(features, c) || namesCue(ms.tokens, c, lex));
          if (contrary && !(entry.signals ?? []).some((set) => set.every((c) => namesConcept(features, c) || namesCue(ms.tokens, c, lex)))) {
            findings.push({ level: 'warning', code: 'example-names-unless', file, entry: id, message: `example "${example}" names "${contrary}", which rules the entry out, and none of its signals: it could never be answered by it` });
          }
          const rival = ms.outOfScope.find((t) => entry.rivals?.includes(t));
          if (rival) {
            findings.push({ level: 'warning', code: 'example-names-rival', file, entry: id, message: `example "${example}" names "${rival}", a rival of its pack's domain: it could never be answered by it` });
          }
          const foreign = others.filter((c) => namesConcept(features, c));
          if (foreign.length > 0 && !entry.markers!.some((c) => namesConcept(features, c))) {
            findings.push({ level: 'warning', code: 'example-names-other-domain', file, entry: id, message: `example "${example}" names another pack's domain (${foreign.join(', ')}) and not its own (${entry.markers!.join(', ')}): it could never be answered by it` });
          }
        }
      }
    }
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank[a.f.level] - rank[b.f.level] || a.i - b.i).map((x) => x.f);
}

export function formatFinding(f: LintFinding): string {
  return `${f.level.toUpperCase()} ${f.code} ${f.file}${f.entry ? ` [${f.entry}]` : ''}: ${f.message}`;
}

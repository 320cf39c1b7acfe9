/**
 * npm run eval:bot [-- --set dev-2078] [--verbose]
 *
 * What a customer gets on a first message, next to what the recognizer alone decides (`npm run eval`). The bot
 * routes some messages before the recognizer: a request for a person goes to the handoff (src/language/handoff.ts, whose
 * rule the recognizer reads too), a request for a ticket starts the ticket procedure, a line number with a switch starts
 * the eligibility check. The recognizer's measure counts those by its own decision; this one sends each message of every evaluation set as the
 * first message of its own conversation to the whole bot (the runtime of `npm start` with the demo data, staff on
 * duty, one SQLite database) and reads what the turn did from its outcome events (src/bot/outcome.ts), not from its
 * words:
 * - an FAQ answered: that entry; a procedure started: the entry that runs it instead of (or right after) an answer (the
 *   ticket procedure is "contact customer service", the check of a line "can my line switch plan?"), or the entry it
 *   was started for when that entry runs it so or has no answer of its own (a ticket about the remit);
 * - a request for a person queued for staff: the customer-service entry;
 * - a clarification: not an answer (as in the strict measure);
 * - an entry whose source asks its question without answering it (status incomplete): that entry, when the bot says so
 *   and offers a ticket (the turn's FAQ outcome, src/bot/context.ts recordOutcome, names it);
 * - declined, or no entry at all (a greeting, small talk, "what are you?"): declined.
 * Right as in `isRight` of src/cli/eval.ts. No floors: the recognizer's measure keeps them. Prints per set and style
 * both measures and how many messages differ; with --verbose the messages of the sets not held out whose outcome
 * differs (never a numbers-only set's). Writes bench/results/eval-bot.json (counts only).
 */
import '../config/envFile';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestAdapter } from 'botbuilder';
import { turnOutcomes, type ProcedureOutcome } from '../bot/context';
import { turnEvents, type TurnEvent } from '../bot/outcome';
import { loadConfig } from '../config';
import type { KnowledgeEntry } from '../knowledge/types';
import { createLogger } from '../logging';
import { createRuntime, type Runtime } from '../runtime';
import type { SmsSender } from '../services/ports';
import { type EvalSet, OUT_OF_SCOPE, type Prediction, SETS, STYLES, byGroup, isRight, loadUtterances, projectRoot, type Utterance } from './eval';

/** The entry of a request for a person: its examples ask for one ("talk to a human please"), and the bot queues them. */
export const HANDOFF_ENTRY = 'core.contact-customer-service';

/** The outcomes that decide a first turn, in the order they are looked for. */
const DECIDING = new Set<TurnEvent['outcome']>(['answered', 'procedure_started', 'handed_off', 'clarified', 'declined']);

/** The knowledge a first turn's events are read with. */
export interface Routes {
  /** procedure (dialog id) → the entry that runs it instead of (or right after) an answer */
  procedures: ReadonlyMap<string, string>;
  entries: ReadonlyMap<string, KnowledgeEntry>;
}

export function routesOf(entries: readonly KnowledgeEntry[]): Routes {
  return { procedures: procedureEntries(entries), entries: new Map(entries.map((e) => [e.id, e])) };
}

/** The entry a procedure started for `entryId` stands for: that entry when it runs the procedure so or has no answer. */
function startedFor(procedure: string | undefined, entryId: string | undefined, routes: Routes): string {
  const entry = entryId ? routes.entries.get(entryId) : undefined;
  const own = entry?.procedure?.dialog === procedure && (entry?.procedure?.mode !== 'offer' || !entry?.answer);
  return (own ? entryId : routes.procedures.get(procedure ?? '')) ?? entryId ?? `(procedure ${procedure})`;
}

/**
 * What a first turn did, as a prediction of the strict measure: the first deciding event of the turn; `outcomes` are the
 * turn's procedure outcomes (an entry declined for want of an answer, yet responded to, is among them).
 */
export function firstTurnPrediction(events: readonly TurnEvent[], routes: Routes, outcomes: readonly ProcedureOutcome[] = []): Prediction {
  const e = events.find((x) => DECIDING.has(x.outcome));
  if (!e) return { label: '(none)', decision: 'fallback', score: 0 };
  switch (e.outcome) {
    case 'answered':
      return { label: e.entryId ?? '(none)', decision: 'answer', score: 1 };
    case 'procedure_started':
      return { label: startedFor(e.procedure, e.entryId, routes), decision: 'answer', score: 1 };
    case 'handed_off':
      return { label: HANDOFF_ENTRY, decision: 'answer', score: 1 };
    case 'clarified':
      return { label: e.entryId ?? '(none)', decision: 'clarify', score: 0.5 };
    default: {
      const responded = !!e.entryId && outcomes.some((o) => o.procedure === 'faq' && o.entryId === e.entryId);
      return { label: e.entryId ?? '(none)', decision: responded ? 'answer' : 'fallback', score: responded ? 1 : 0 };
    }
  }
}

/** Procedure (dialog id) → the entry that runs it instead of (or right after) an answer. */
function procedureEntries(entries: readonly KnowledgeEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const p = e.procedure;
    if (p && (p.mode === 'instead' || p.mode === 'after') && !out.has(p.dialog)) out.set(p.dialog, e.id);
  }
  return out;
}

/** One bot for many first messages: each message is the first of its own conversation, from its own customer. */
export interface FirstTurns {
  runtime: Runtime;
  predict(text: string): Promise<Prediction>;
  close(): Promise<void>;
}

export async function firstTurns(rootDir: string): Promise<FirstTurns> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-bot-'));
  const sms: SmsSender = { async send() {} };
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development', HANDOFF_DAYS: '1-7', HANDOFF_OPEN: '00:00', HANDOFF_CLOSE: '24:00' },
    rootDir,
  );
  const runtime = await createRuntime(config, createLogger({ level: 'silent', format: 'json' }), { sms });
  const routes = routesOf(runtime.knowledge.entries);
  let events: readonly TurnEvent[] = [];
  let outcomes: readonly ProcedureOutcome[] = [];
  // the template holds no conversation or sender: TestAdapter copies its template over every activity
  const adapter = new TestAdapter(
    async (context) => {
      await runtime.runTurn(context);
      events = [...turnEvents(context)];
      outcomes = [...turnOutcomes(context)];
    },
    { channelId: 'webchat', locale: 'en-MY' },
  );
  let n = 0;
  return {
    runtime,
    async predict(text) {
      n++;
      events = [];
      outcomes = [];
      await adapter.processActivity({ type: 'message', text, from: { id: `eval-${n}`, name: 'Customer' }, conversation: { id: `eval-conv-${n}` } as never });
      adapter.activeQueue.splice(0);
      return firstTurnPrediction(events, routes, outcomes);
    },
    async close() {
      await runtime.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface SetReport {
  set: string;
  numbersOnly: boolean;
  n: number;
  recognizer: Record<string, { n: number; right: number; accuracy: number }>;
  bot: Record<string, { n: number; right: number; accuracy: number }>;
  /** messages right by one measure and wrong by the other */
  botOnly: number;
  recognizerOnly: number;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--set') ? args[args.indexOf('--set') + 1] : undefined;
  const verbose = args.includes('--verbose');
  const root = projectRoot();
  const bot = await firstTurns(root);
  const recognizer = bot.runtime.recognizer;
  const reports: SetReport[] = [];
  const sets: EvalSet[] = SETS.filter((s) => fs.existsSync(path.join(root, s.file)) && (!only || path.basename(s.file, '.yaml') === only));
  try {
    for (const set of sets) {
      const us: Utterance[] = loadUtterances(path.join(root, set.file));
      const byRecognizer: Prediction[] = [];
      const byBot: Prediction[] = [];
      for (const u of us) {
        const r = recognizer.match(u.text);
        byRecognizer.push({ label: r.candidates[0]?.entry.id ?? '(none)', decision: r.decision, score: r.candidates[0]?.score ?? 0 });
        byBot.push(await bot.predict(u.text));
      }
      let botOnly = 0;
      let recognizerOnly = 0;
      const differ: string[] = [];
      us.forEach((u, i) => {
        const a = isRight(u, byRecognizer[i]);
        const b = isRight(u, byBot[i]);
        if (a === b) return;
        if (b) botOnly++;
        else recognizerOnly++;
        differ.push(`  ${b ? '+' : '-'} [${u.lang}] "${u.text}"  expected ${u.label}; recognizer ${byRecognizer[i].decision} ${byRecognizer[i].label}; bot ${byBot[i].decision} ${byBot[i].label}`);
      });
      const report: SetReport = { set: set.name, numbersOnly: !!set.numbersOnly, n: us.length, recognizer: byGroup(us, byRecognizer), bot: byGroup(us, byBot), botOnly, recognizerOnly };
      reports.push(report);
      console.log(`\n=== ${set.name} (${set.file}): ${us.length} messages; right by the bot only ${botOnly}, by the recognizer only ${recognizerOnly}`);
      const keys = Object.keys(report.recognizer);
      const order = ['overall', 'lang:ms', 'lang:en', ...STYLES, ...keys.filter((k) => k !== 'overall' && !k.startsWith('lang:') && !STYLES.includes(k)).sort()];
      for (const k of order) {
        const g = report.recognizer[k];
        if (!g) continue;
        console.log(`  ${`${k} (n=${g.n})`.padEnd(30)} recognizer ${pct(g.accuracy).padStart(6)}   bot's first turn ${pct(report.bot[k].accuracy).padStart(6)}`);
      }
      if (verbose && !set.numbersOnly) for (const line of differ) console.log(line);
    }
  } finally {
    await bot.close();
  }
  const sum = (pick: (r: SetReport) => { right: number; n: number }) => reports.reduce((a, r) => ({ right: a.right + pick(r).right, n: a.n + pick(r).n }), { right: 0, n: 0 });
  const rec = sum((r) => r.recognizer.overall);
  const got = sum((r) => r.bot.overall);
  console.log(`\nAll sets: recognizer ${rec.right}/${rec.n} = ${pct(rec.right / rec.n)}; bot's first turn ${got.right}/${got.n} = ${pct(got.right / got.n)}`);
  const oos = (g: Record<string, { n: number; right: number }>) => ({ right: (g['oos-easy']?.right ?? 0) + (g['oos-hard']?.right ?? 0), n: (g['oos-easy']?.n ?? 0) + (g['oos-hard']?.n ?? 0) });
  const ro = sum((r) => oos(r.recognizer));
  const bo = sum((r) => oos(r.bot));
  if (ro.n) console.log(`Out of scope declined (style-tagged): recognizer ${pct(ro.right / ro.n)}; bot's first turn ${pct(bo.right / bo.n)}`);
  if (!only) {
    const out = path.join(root, 'bench/results/eval-bot.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), outOfScope: OUT_OF_SCOPE, sets: reports }, null, 2));
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
}

/**
 * npm run eval:procedures [-- --file test/procedures/blind-scripts-2.yaml] [--floor 0.95] [--verbose: failed scripts turn by turn]
 *   [--transcript: every script turn by turn] [--only <id>]
 *
 * Runs multi-turn customer scripts (format: docs of the blind set, see parseScripts) against the whole bot in
 * this process — the runtime of `npm start` with the demo data, a fresh SQLite database per script, SMS caught
 * in memory — checks each script's expectations and prints pass/fail per script and per tag. Exits 1 when the
 * share of passing scripts is below the floor (default 0.95), 2 on a bad file.
 *
 * What the bot did is read from data, not from its words: the turn's procedure outcomes (src/bot/context.ts
 * recordOutcome: the bill's total, the line checked and its verdict, FAQ answers), the mail outbox (the
 * migration link's recipient), the tickets table and the procedure open at the end.
 */
import '../config/envFile';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Activity, TestAdapter } from 'botbuilder';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { activeProcedure, setVerifiedPhone, turnOutcomes, type ProcedureOutcome } from '../bot/context';
import { loadConfig } from '../config';
import { detectLanguage } from '../language/detect';
import { createLogger } from '../logging';
import { createRuntime } from '../runtime';
import type { OutboundSms, SmsSender } from '../services/ports';

const Expect = z
  .object({
    migration_mail_to: z.string().optional(),
    eligibility_line: z.union([z.string(), z.number()]).optional(),
    eligible: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
    prorata_total: z.union([z.string(), z.number()]).optional(),
    ticket_created: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
    ticket_category: z.string().nullable().optional(),
    final_procedure: z.string().optional(),
    answered_faq: z.string().optional(),
    reply_language: z.enum(['ms', 'en']).optional(),
  })
  // a key this harness does not know is reported (warnings), not a reason to refuse the whole file
  .passthrough();

const KNOWN_EXPECTATIONS = new Set(Object.keys(Expect.shape));

const Script = z.object({
  id: z.string(),
  lang: z.enum(['ms', 'en']),
  // webchat | whatsapp (another name, e.g. teams, runs as a card channel like the web chat)
  channel: z.string().default('webchat'),
  from: z.union([z.string(), z.number()]).optional(),
  tags: z.array(z.string()).default([]),
  turns: z.array(z.string()).min(1).max(40),
  expect: Expect.default({}),
});
export type ProcedureScript = z.infer<typeof Script>;

export function parseScripts(text: string): ProcedureScript[] {
  return z.array(Script).parse(parseYaml(text));
}

interface Reply {
  text: string;
  lang?: 'ms' | 'en';
}

interface Run {
  replies: Reply[][];
  outcomes: ProcedureOutcome[];
  finalProcedure: string;
  mailsTo: string[];
  tickets: { category: string }[];
  /** The procedure each knowledge entry of kind procedure runs (answered_faq naming one: that procedure's outcome). */
  entryProcedures?: Record<string, string>;
  /** Index of the first turn after the last language change. */
  lastLanguageChange: number;
  apologies: number;
}

const MAX_TURN_CHARS = 2000;

/** The 6-digit code of the latest SMS (the bot's SMS say "…: 123456. …"). */
function lastCode(sent: OutboundSms[]): string | undefined {
  for (let i = sent.length - 1; i >= 0; i--) {
    const m = /\b(\d{6})\b/.exec(sent[i]!.text);
    if (m) return m[1];
  }
  return undefined;
}

function wrongCode(code: string | undefined): string {
  const c = code ?? '000000';
  return c === '123450' ? '123451' : c === '999999' ? '999998' : c.split('').reverse().join('') === c ? '123450' : c.split('').reverse().join('');
}

function cardFallback(a: Partial<Activity>): string {
  const card = a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content as { fallbackText?: string } | undefined;
  return card?.fallbackText ?? '';
}

export async function runScript(script: ProcedureScript, options: { rootDir: string }): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-proc-'));
  const sent: OutboundSms[] = [];
  const sms: SmsSender = {
    async send(message) {
      sent.push(message);
    },
  };
  // staff on duty at any hour (the demo's office hours would make a request for a person queue or offer a ticket
  // depending on when the scripts run)
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development', HANDOFF_DAYS: '1-7', HANDOFF_OPEN: '00:00', HANDOFF_CLOSE: '24:00' },
    options.rootDir,
  );
  const log = createLogger({ level: 'silent', format: 'json' });
  const runtime = await createRuntime(config, log, { sms });
  const apologies = new Set(['ms', 'en'].flatMap((l) => ['error.turn', 'error.unavailable'].map((k) => runtime.catalog.t(l as 'ms' | 'en', k))));
  const switched = new Set(['ms', 'en'].map((l) => runtime.catalog.t(l as 'ms' | 'en', 'lang.switched')));
  const outcomes: ProcedureOutcome[] = [];
  let finalProcedure = 'none';
  const from = script.from !== undefined ? String(script.from).replace(/\D/g, '') : undefined;
  const adapter = new TestAdapter(
    async (context) => {
      if (script.channel === 'whatsapp' && from) setVerifiedPhone(context, `+${from}`);
      await runtime.runTurn(context);
      outcomes.push(...turnOutcomes(context));
      const active = activeProcedure(context);
      if (active !== undefined) finalProcedure = active ?? 'none';
    },
    {
      channelId: script.channel === 'whatsapp' ? 'whatsapp' : script.channel === 'teams' || script.channel === 'msteams' ? 'msteams' : 'webchat',
      from: { id: from ? `wa-${from}` : `web-${script.id}`, name: 'Customer' },
      locale: script.lang === 'ms' ? 'ms-MY' : 'en-MY',
    },
  );
  const replies: Reply[][] = [];
  let lastLanguageChange = 0;
  let previousLang: 'ms' | 'en' | undefined;
  let apologyCount = 0;
  try {
    for (const [i, raw] of script.turns.entries()) {
      if (raw.includes('{code}') || raw.includes('{wrong_code}')) {
        // the SMS leaves through the outbox just after the turn that committed it: wait until every SMS committed
        // so far has reached the sender (a reused live code commits none: then the latest one stands). Waiting for
        // "a new one" instead took an older line's code when a new line's SMS was still in the outbox.
        const until = Date.now() + 3000;
        for (;;) {
          const row = await runtime.database.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
          if (sent.length >= Number(row?.n ?? 0) || Date.now() > until) break;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      const code = lastCode(sent);
      const text = raw.replaceAll('{code}', code ?? '000000').replaceAll('{wrong_code}', wrongCode(code)).slice(0, MAX_TURN_CHARS);
      await adapter.processActivity({ type: 'message', text });
      await new Promise((r) => setImmediate(r)); // SMS kicked after the commit
      const turn: Reply[] = [];
      while (adapter.activeQueue.length > 0) {
        const a = adapter.activeQueue.shift()!;
        if (a.type !== 'message') continue;
        const body = a.text ?? cardFallback(a);
        const locale = a.locale?.toLowerCase();
        turn.push({ text: body, lang: locale?.startsWith('ms') ? 'ms' : locale?.startsWith('en') ? 'en' : undefined });
        if (apologies.has(body)) apologyCount++;
      }
      replies.push(turn);
      const guess = detectLanguage(text, {}).lang;
      if (turn.some((r) => switched.has(r.text)) || (previousLang && guess !== previousLang && text.split(/\s+/).length >= 3)) lastLanguageChange = i;
      if (text.split(/\s+/).length >= 3) previousLang = guess;
    }
    const db = runtime.database.db;
    const mails = await db.selectFrom('mail_outbox').select(['to_addr', 'kind']).execute();
    const tickets = await db.selectFrom('tickets').select(['category']).execute();
    return {
      replies,
      outcomes,
      finalProcedure,
      mailsTo: mails.filter((m) => m.kind === 'migration-link').map((m) => m.to_addr),
      tickets,
      entryProcedures: Object.fromEntries(runtime.knowledge.entries.filter((x) => x.kind === 'procedure' && x.procedure).map((x) => [x.id, x.procedure!.dialog])),
      lastLanguageChange,
      apologies: apologyCount,
    };
  } finally {
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const localLine = (e164: string) => (e164.startsWith('+60') ? `0${e164.slice(3)}` : e164.replace(/\D/g, ''));

/** The expectations of a script that do not hold on this run (empty: the script passes). */
export function check(script: ProcedureScript, run: Run): string[] {
  const e = script.expect;
  const fails: string[] = [];
  for (const key of Object.keys(e)) if (!KNOWN_EXPECTATIONS.has(key)) console.warn(`${script.id}: unknown expectation "${key}" not checked`);
  const last = <T extends ProcedureOutcome['procedure']>(p: T) =>
    [...run.outcomes].reverse().find((o): o is Extract<ProcedureOutcome, { procedure: T }> => o.procedure === p);
  if (run.apologies > 0) fails.push(`the bot apologised for an error ${run.apologies} time(s)`);
  if (e.migration_mail_to !== undefined) {
    const to = run.mailsTo[run.mailsTo.length - 1] ?? 'none';
    const wrong = e.migration_mail_to === 'none' ? run.mailsTo.length > 0 : to.toLowerCase() !== e.migration_mail_to.toLowerCase() || run.mailsTo.length !== 1;
    if (wrong) fails.push(`migration_mail_to: expected ${e.migration_mail_to}, got ${run.mailsTo.join(',') || 'none'}`);
  }
  const elig = last('eligibility');
  if (e.eligibility_line !== undefined) {
    const want = String(e.eligibility_line).replace(/\D/g, '') || String(e.eligibility_line);
    const got = elig ? localLine(elig.msisdn) : 'none';
    if (want !== got) fails.push(`eligibility_line: expected ${e.eligibility_line}, got ${got}`);
  }
  if (e.eligible !== undefined && elig?.eligible !== e.eligible) fails.push(`eligible: expected ${e.eligible}, got ${elig ? elig.eligible : 'no result'}`);
  if (e.prorata_total !== undefined) {
    const bill = last('prorata');
    const got = bill ? (bill.totalSen / 100).toFixed(2) : 'none';
    const want = String(e.prorata_total) === 'none' ? 'none' : Number(e.prorata_total).toFixed(2);
    if (got !== want) fails.push(`prorata_total: expected ${want}, got ${got}`);
  }
  if (e.ticket_created !== undefined && run.tickets.length > 0 !== e.ticket_created) fails.push(`ticket_created: expected ${e.ticket_created}, got ${run.tickets.length}`);
  if (e.ticket_category) {
    const got = run.tickets[run.tickets.length - 1]?.category ?? 'none';
    if (got !== e.ticket_category) fails.push(`ticket_category: expected ${e.ticket_category}, got ${got}`);
  }
  if (e.final_procedure !== undefined && run.finalProcedure !== e.final_procedure) fails.push(`final_procedure: expected ${e.final_procedure}, got ${run.finalProcedure}`);
  // (an entry that runs a procedure, "core.ticket-status", is answered by that procedure's outcome: the status shown)
  // (and the entry that opens a ticket, customer service, also by a person asked for: the handoff)
  const runs = e.answered_faq ? run.entryProcedures?.[e.answered_faq] : undefined;
  const answeredBy = (o: ProcedureOutcome) =>
    (o.procedure === 'faq' && o.entryId === e.answered_faq) || (runs !== undefined && (o.procedure === runs || (runs === 'ticket' && o.procedure === 'handoff')));
  if (e.answered_faq && !run.outcomes.some(answeredBy)) {
    const got = run.outcomes.filter((o) => o.procedure === 'faq').map((o) => (o as { entryId: string }).entryId);
    fails.push(`answered_faq: expected ${e.answered_faq}, got ${got.join(',') || 'none'}`);
  }
  if (e.reply_language) {
    const after = run.replies.slice(run.lastLanguageChange).flat();
    const wrong = after.filter((r) => (r.lang ?? detectLanguage(r.text, {}).lang) !== e.reply_language);
    if (wrong.length > 0) fails.push(`reply_language: ${wrong.length} repl(ies) not in ${e.reply_language}: "${wrong[0]!.text.slice(0, 80)}"`);
  }
  return fails;
}

function argOf(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rootDir = path.resolve(__dirname, '../../..');
  const file = path.resolve(argOf(args, '--file') ?? path.join(rootDir, 'test/procedures/blind-scripts-2.yaml'));
  const floor = Number(argOf(args, '--floor') ?? '0.95');
  const verbose = args.includes('--verbose');
  const transcript = args.includes('--transcript');
  const only = argOf(args, '--only');
  let scripts: ProcedureScript[];
  try {
    scripts = parseScripts(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`cannot read ${file}: ${(err as Error).message}`);
    process.exit(2);
  }
  if (only) scripts = scripts.filter((s) => s.id === only);
  const byTag = new Map<string, { pass: number; total: number }>();
  let passed = 0;
  for (const script of scripts) {
    const run = await runScript(script, { rootDir });
    const fails = check(script, run);
    const ok = fails.length === 0;
    if (ok) passed++;
    for (const tag of [`lang:${script.lang}`, `channel:${script.channel}`, ...script.tags]) {
      const t = byTag.get(tag) ?? { pass: 0, total: 0 };
      t.total++;
      if (ok) t.pass++;
      byTag.set(tag, t);
    }
    console.log(`${ok ? 'PASS' : 'FAIL'} ${script.id}${ok ? '' : `: ${fails.join('; ')}`}`);
    if ((verbose && !ok) || transcript) {
      script.turns.forEach((turn, i) => {
        console.log(`   > ${turn}`);
        for (const r of run.replies[i] ?? []) console.log(`     < ${r.text.replace(/\n/g, ' / ').slice(0, 200)}`);
      });
    }
  }
  console.log('\nby tag:');
  for (const [tag, t] of [...byTag.entries()].sort()) console.log(`  ${tag.padEnd(24)} ${t.pass}/${t.total}`);
  const share = scripts.length ? passed / scripts.length : 0;
  console.log(`\n${passed}/${scripts.length} scripts pass (${(share * 100).toFixed(1)} %), floor ${(floor * 100).toFixed(0)} %`);
  process.exit(share >= floor ? 0 : 1);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(2);
  });
}

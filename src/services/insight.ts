/**
 * The insight log: one row per message turn (what it did: answered which entry, clarified, declined, which
 * procedure started, completed or was abandoned), the customers' votes on answers, and the dashboard's
 * aggregates over them, per day (Asia/Kuala_Lumpur) and language. No identifier is stored: the conversation
 * is a truncated hash (to count conversations), the question is masked (src/domain/pii.ts) and kept only
 * for answered turns (the feedback needs it) — unanswered questions are in the unanswered log.
 */
import { createHash } from 'node:crypto';
import type { Generated, Kysely } from 'kysely';
import type { DB } from '../db';
import { todayInKualaLumpur, toIsoDate } from '../domain/dates';
import { redactPersonalData } from '../domain/pii';

interface InsightTurnsTable {
  id: Generated<number>;
  day: string;
  created_at: string;
  channel: string;
  lang: string;
  outcome: string;
  entry_id: string | null;
  procedure: string | null;
  conversation: string;
  ref: string | null;
  question: string | null;
}

interface AnswerFeedbackTable {
  id: Generated<number>;
  day: string;
  created_at: string;
  entry_id: string;
  vote: string;
  lang: string;
  channel: string;
  conversation: string;
  ref: string;
  question: string;
}

declare module '../db/schema' {
  interface DB {
    insight_turns: InsightTurnsTable;
    answer_feedback: AnswerFeedbackTable;
  }
}

/** Characters of a question kept (masked) with an answered turn. */
const MAX_QUESTION_CHARS = 500;

export function conversationHash(channel: string, conversationId: string): string {
  return createHash('sha256').update(`${channel}\u0000${conversationId}`).digest('hex').slice(0, 24);
}

export interface TurnRecord {
  channel: string;
  lang: string;
  outcome: string;
  entryId?: string;
  procedure?: string;
  conversationId: string;
  ref?: string;
  question?: string;
}

export type Vote = 'helpful' | 'not_helpful';

export interface DayRow {
  day: string;
  lang: string;
  conversations: number;
  turns: number;
  answered: number;
  clarified: number;
  declined: number;
  /** Turns that put the customer in the queue for a person (live handoff). */
  handedOff: number;
}

export interface Dashboard {
  from: string;
  to: string;
  days: DayRow[];
  topEntries: Array<{ entryId: string; count: number }>;
  topUnanswered: Array<{ text: string; lang: string; count: number; nearest: string | null }>;
  feedback: Array<{ entryId: string; helpful: number; notHelpful: number; ratio: number }>;
  tickets: Array<{ category: string; count: number }>;
  funnels: Array<{ procedure: string; started: number; completed: number; abandoned: number }>;
}

export class InsightLog {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private day(): string {
    return toIsoDate(todayInKualaLumpur(this.now()));
  }

  async recordTurns(records: TurnRecord[]): Promise<void> {
    if (records.length === 0) return;
    const created = this.now().toISOString();
    const day = this.day();
    await this.db
      .insertInto('insight_turns')
      .values(
        records.map((r) => ({
          day,
          created_at: created,
          channel: r.channel.slice(0, 32),
          lang: r.lang.slice(0, 8),
          outcome: r.outcome.slice(0, 32),
          entry_id: r.entryId?.slice(0, 128) ?? null,
          procedure: r.procedure?.slice(0, 32) ?? null,
          conversation: conversationHash(r.channel, r.conversationId),
          ref: r.ref ?? null,
          question: r.question !== undefined ? redactPersonalData(r.question).slice(0, MAX_QUESTION_CHARS) : null,
        })),
      )
      .execute();
  }

  /** The answer a "did this help?" button refers to, if it was given in this conversation. */
  async answer(ref: string, channel: string, conversationId: string): Promise<{ entryId: string; question: string; lang: string } | undefined> {
    const row = await this.db
      .selectFrom('insight_turns')
      .select(['entry_id', 'question', 'lang'])
      .where('ref', '=', ref)
      .where('conversation', '=', conversationHash(channel, conversationId))
      .executeTakeFirst();
    if (!row?.entry_id) return undefined;
    return { entryId: row.entry_id, question: row.question ?? '', lang: row.lang };
  }

  /** Stores a vote; false when this answer already has one (a second press changes nothing). */
  async recordFeedback(input: { ref: string; entryId: string; vote: Vote; lang: string; channel: string; conversationId: string; question: string }): Promise<boolean> {
    const existing = await this.db.selectFrom('answer_feedback').select('id').where('ref', '=', input.ref).executeTakeFirst();
    if (existing) return false;
    try {
      await this.db
        .insertInto('answer_feedback')
        .values({
          day: this.day(),
          created_at: this.now().toISOString(),
          entry_id: input.entryId.slice(0, 128),
          vote: input.vote,
          lang: input.lang.slice(0, 8),
          channel: input.channel.slice(0, 32),
          conversation: conversationHash(input.channel, input.conversationId),
          ref: input.ref,
          question: redactPersonalData(input.question).slice(0, MAX_QUESTION_CHARS),
        })
        .execute();
      return true;
    } catch (err) {
      // two presses at once: the unique ref kept one
      const again = await this.db.selectFrom('answer_feedback').select('id').where('ref', '=', input.ref).executeTakeFirst();
      if (again) return false;
      throw err;
    }
  }

  /** "Didn't help" questions (masked), newest first, for the knowledge loop. */
  async notHelpful(sinceIso: string, limit = 500): Promise<Array<{ text: string; lang: string; entryId: string }>> {
    const rows = await this.db
      .selectFrom('answer_feedback')
      .select(['question', 'lang', 'entry_id'])
      .where('vote', '=', 'not_helpful')
      .where('created_at', '>=', sinceIso)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ text: r.question, lang: r.lang, entryId: r.entry_id }));
  }

  /** The dashboard's aggregates for days [from, to] (YYYY-MM-DD, Kuala Lumpur), optionally one language. */
  async dashboard(from: string, to: string, lang?: string): Promise<Dashboard> {
    const db = this.db;
    let turns = db.selectFrom('insight_turns').where('day', '>=', from).where('day', '<=', to);
    if (lang) turns = turns.where('lang', '=', lang);
    const perDay = await turns
      .select((eb) => ['day', 'lang', eb.fn.count<number>('id').as('turns')])
      .groupBy(['day', 'lang'])
      .execute();
    // conversations: the distinct (day, language, conversation) rows, counted here
    const conv = await turns.select(['day', 'lang', 'conversation']).distinct().execute();
    const outcomes = await turns.select((eb) => ['day', 'lang', 'outcome', eb.fn.count<number>('id').as('n')]).groupBy(['day', 'lang', 'outcome']).execute();
    const key = (d: string, l: string) => `${d}|${l}`;
    const days = new Map<string, DayRow>();
    const row = (d: string, l: string): DayRow => {
      let r = days.get(key(d, l));
      if (!r) days.set(key(d, l), (r = { day: d, lang: l, conversations: 0, turns: 0, answered: 0, clarified: 0, declined: 0, handedOff: 0 }));
      return r;
    };
    for (const r of perDay) row(r.day, r.lang).turns = Number(r.turns);
    for (const r of conv) row(r.day, r.lang).conversations++;
    for (const r of outcomes) {
      const o = r.outcome;
      if (o === 'answered' || o === 'clarified' || o === 'declined') row(r.day, r.lang)[o] += Number(r.n);
      else if (o === 'handed_off') row(r.day, r.lang).handedOff += Number(r.n);
    }
    const topEntries = await turns
      .select((eb) => ['entry_id', eb.fn.count<number>('id').as('n')])
      .where('outcome', '=', 'answered')
      .where('entry_id', 'is not', null)
      .groupBy('entry_id')
      .orderBy('n', 'desc')
      .limit(10)
      .execute();
    const fromIso = `${from}T00:00:00+08:00`;
    const toIso = new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000).toISOString();
    let unanswered = db
      .selectFrom('unanswered')
      .select((eb) => ['text', 'lang', 'top_entry', eb.fn.count<number>('id').as('n')])
      .where('created_at', '>=', new Date(fromIso).toISOString())
      .where('created_at', '<', toIso);
    if (lang) unanswered = unanswered.where('lang', '=', lang);
    const topUnanswered = await unanswered.groupBy(['text', 'lang', 'top_entry']).orderBy('n', 'desc').limit(10).execute();
    let fb = db.selectFrom('answer_feedback').select((eb) => ['entry_id', 'vote', eb.fn.count<number>('id').as('n')]).where('day', '>=', from).where('day', '<=', to);
    if (lang) fb = fb.where('lang', '=', lang);
    const votes = await fb.groupBy(['entry_id', 'vote']).execute();
    const feedback = new Map<string, { entryId: string; helpful: number; notHelpful: number; ratio: number }>();
    for (const v of votes) {
      let f = feedback.get(v.entry_id);
      if (!f) feedback.set(v.entry_id, (f = { entryId: v.entry_id, helpful: 0, notHelpful: 0, ratio: 0 }));
      if (v.vote === 'helpful') f.helpful += Number(v.n);
      else f.notHelpful += Number(v.n);
    }
    for (const f of feedback.values()) f.ratio = Math.round((f.helpful / Math.max(1, f.helpful + f.notHelpful)) * 1000) / 1000;
    let ticketQuery = db
      .selectFrom('tickets')
      .select((eb) => ['category', eb.fn.count<number>('id').as('n')])
      .where('created_at', '>=', new Date(fromIso).toISOString())
      .where('created_at', '<', toIso);
    if (lang) ticketQuery = ticketQuery.where('lang', '=', lang);
    const tickets = await ticketQuery.groupBy('category').orderBy('n', 'desc').execute();
    const procs = await turns
      .select((eb) => ['procedure', 'outcome', eb.fn.count<number>('id').as('n')])
      .where('procedure', 'is not', null)
      .groupBy(['procedure', 'outcome'])
      .execute();
    const funnels = new Map<string, { procedure: string; started: number; completed: number; abandoned: number }>();
    for (const p of procs) {
      const name = p.procedure!;
      let f = funnels.get(name);
      if (!f) funnels.set(name, (f = { procedure: name, started: 0, completed: 0, abandoned: 0 }));
      if (p.outcome === 'procedure_started') f.started += Number(p.n);
      if (p.outcome === 'procedure_completed') f.completed += Number(p.n);
      if (p.outcome === 'procedure_abandoned') f.abandoned += Number(p.n);
    }
    return {
      from,
      to,
      days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day) || a.lang.localeCompare(b.lang)),
      topEntries: topEntries.map((r) => ({ entryId: r.entry_id!, count: Number(r.n) })),
      topUnanswered: topUnanswered.map((r) => ({ text: r.text, lang: r.lang, count: Number(r.n), nearest: r.top_entry })),
      feedback: [...feedback.values()].sort((a, b) => a.ratio - b.ratio || b.notHelpful - a.notHelpful),
      tickets: tickets.map((t) => ({ category: t.category, count: Number(t.n) })),
      funnels: [...funnels.values()],
    };
  }
}

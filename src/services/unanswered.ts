/**
 * The unanswered-question log: questions the bot declined or had to clarify, personal data masked, for
 * knowledge authors to turn into entries or paraphrases (`npm run unanswered`).
 */
import type { Kysely } from 'kysely';
import type { UnansweredRecorder } from '../bot/supportBot';
import type { DB } from '../db';
import { redactPersonalData } from '../domain/pii';

export interface UnansweredRow {
  id: number;
  text: string;
  lang: string;
  decision: string;
  topEntry: string | null;
  topScore: number | null;
  channel: string;
  createdAt: string;
}

export class UnansweredLog implements UnansweredRecorder {
  constructor(private readonly db: Kysely<DB>) {}

  async record(item: Parameters<UnansweredRecorder['record']>[0]): Promise<void> {
    const top = item.recognition.candidates[0];
    await this.db
      .insertInto('unanswered')
      .values({
        text: redactPersonalData(item.text).slice(0, 1000),
        lang: item.lang,
        decision: item.recognition.decision,
        top_entry: top?.entry.id ?? null,
        top_score: top ? Math.round(top.score * 1000) / 1000 : null,
        channel: item.channel.slice(0, 64),
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  async list(options: { limit?: number; sinceDays?: number } = {}): Promise<UnansweredRow[]> {
    let query = this.db.selectFrom('unanswered').selectAll().orderBy('id', 'desc').limit(options.limit ?? 100);
    if (options.sinceDays !== undefined) {
      query = query.where('created_at', '>=', new Date(Date.now() - options.sinceDays * 86_400_000).toISOString());
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      text: r.text,
      lang: r.lang,
      decision: r.decision,
      topEntry: r.top_entry,
      topScore: r.top_score,
      channel: r.channel,
      createdAt: r.created_at,
    }));
  }
}

/**
 * Table types for Kysely. Timestamps are ISO-8601 strings (UTC) on both engines. Features add their tables
 * to `DB` by module augmentation (see ./migrate.ts).
 */
import type { Generated } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export interface BotStateTable {
  key: string;
  doc: string;
  etag: string;
  updated_at: string;
}

export interface UnansweredTable {
  id: Generated<number>;
  /** The question, personal data masked. */
  text: string;
  lang: string;
  /** answer | clarify | fallback */
  decision: string;
  top_entry: string | null;
  top_score: number | null;
  channel: string;
  created_at: string;
}

export interface DB {
  bot_state: BotStateTable;
  unanswered: UnansweredTable;
}

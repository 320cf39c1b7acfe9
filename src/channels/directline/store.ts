/**
 * The Direct Line conversations of the bot's own connection, in the database: every activity of a
 * conversation (the customer's, echoed, and the bot's) with a per-conversation sequence number, which is
 * the watermark a polling client sends back. Any bot instance can append and any instance can answer a poll.
 *
 * Personal data at rest: every activity is masked before it is stored (redactPersonalData, the masker of the
 * logs; see redactTranscriptActivity below), the customer's and the bot's alike. The bot reads the customer's
 * activity as it was posted (the caller passes it on in memory); only the stored copy is masked, so Web Chat
 * shows the customer's own message masked once the server's copy replaces its local echo and after a reload
 * ("IC saya ••••••-••-5672"): accepted, and safer on a shared computer.
 *
 * Order: an append takes the conversation's next sequence number (last_seq + 1, on the conversation row)
 * and inserts the activity in one transaction; the row stays locked until the insert commits, so seq N
 * becomes visible only after every seq < N is committed, and a poll never skips an activity.
 */
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Generated, Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { type RedactOptions, redactPersonalData } from '../../domain/pii';

interface DirectLineConversationsTable {
  id: string;
  user_id: string;
  last_seq: Generated<number>;
  created_at: number;
  updated_at: number;
}

interface DirectLineActivitiesTable {
  conversation_id: string;
  seq: number;
  activity: string;
  created_at: number;
}

interface DirectLineKeysTable {
  name: string;
  secret: string;
  created_at: number;
}

declare module '../../db/schema' {
  interface DB {
    directline_conversations: DirectLineConversationsTable;
    directline_activities: DirectLineActivitiesTable;
    directline_keys: DirectLineKeysTable;
  }
}

export interface StoredConversation {
  id: string;
  userId: string;
  createdAt: number;
}

export interface ActivitySet {
  activities: Partial<Activity>[];
  /** The watermark to send with the next poll. */
  watermark: string;
}

/** Activities of one poll at most (a client that is far behind catches up over several polls). */
export const MAX_ACTIVITIES_PER_POLL = 100;

const SIGNING_KEY = 'token-signing';

/** The id of the activity with sequence number `seq`, in the shape Direct Line uses (`conversation|0000001`). */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

// Values the Direct Line protocol and Web Chat need as they are: ids, times, kinds, the conversation. Web Chat
// matches the server's copy of a posted activity with its local echo by channelData.clientActivityID.
const STRUCTURAL_KEYS = new Set([
  'id',
  'type',
  'timestamp',
  'localTimestamp',
  'channelId',
  'serviceUrl',
  'conversation',
  'replyToId',
  'locale',
  'textFormat',
  'inputHint',
  'role',
  'contentType',
  'contentUrl',
  'thumbnailUrl',
  'clientActivityID',
  'clientTimestamp',
]);
/** Deeper than this an activity holds no text a person reads: the rest is dropped from the stored copy. */
const MAX_DEPTH = 24;

function maskValue(value: unknown, options: RedactOptions, depth: number): unknown {
  if (typeof value === 'string') return redactPersonalData(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, options, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = STRUCTURAL_KEYS.has(k) ? v : maskValue(v, options, depth + 1);
  return out;
}

/**
 * The copy of an activity that is stored: every text in it (the message, card texts, button titles and
 * values, a submitted form's values, the sender's display name, channelData) masked with the masker of the
 * logs. Also masked: standalone numbers of 5–8 digits (`codes`), since the customer types the one-time code
 * of the eligibility check here, and the store cannot know whether a code is expected; a transcript loses
 * little by it (amounts with "RM", dates, ticket references and plan names stay). The bot's own replies keep
 * the example values of its message catalog ("for example 012-345 6789"), `examples`; a customer's message
 * keeps none.
 */
export function redactTranscriptActivity(activity: Partial<Activity>, examples?: ReadonlySet<string>): Partial<Activity> {
  const fromBot = activity.from?.role === 'bot';
  const options: RedactOptions = { codes: true, ...(fromBot && examples ? { keep: examples } : {}) };
  return maskValue(activity, options, 0) as Partial<Activity>;
}

export interface DirectLineStoreOptions {
  /** The example values in the bot's own words, kept in its stored replies (personalDataExamples of the catalog). */
  examples?: ReadonlySet<string>;
}

export class DirectLineStore {
  private key?: Promise<Buffer>;
  /**
   * Called after each append has committed, with its sequence number and the stored activity's JSON (what
   * activitiesAfter reads back): the stream of this process sends it at once, from memory.
   */
  onAppend?: (conversationId: string, appended: { seq: number; json: string }) => void;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
    private readonly options: DirectLineStoreOptions = {},
  ) {}

  /**
   * The key that signs conversation tokens: created once per installation and kept in the database, so
   * every instance verifies the tokens of every other one.
   */
  signingKey(): Promise<Buffer> {
    this.key ??= (async () => {
      await this.db
        .insertInto('directline_keys')
        .values({ name: SIGNING_KEY, secret: randomBytes(32).toString('base64url'), created_at: this.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await this.db.selectFrom('directline_keys').select('secret').where('name', '=', SIGNING_KEY).executeTakeFirstOrThrow();
      return Buffer.from(row.secret, 'base64url');
    })().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /** Records a conversation; true when it is new (false when it already existed). */
  async createConversation(id: string, userId: string): Promise<boolean> {
    const now = this.now();
    const result = await this.db
      .insertInto('directline_conversations')
      .values({ id, user_id: userId, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    const row = await this.db.selectFrom('directline_conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, userId: row.user_id, createdAt: Number(row.created_at) } : undefined;
  }

  /**
   * Appends one activity to a conversation; returns its id. The stored copy is masked
   * (redactTranscriptActivity) and gets the id and, when it has none, a timestamp; the activity passed in is
   * not changed. Throws when the conversation does not exist.
   */
  async append(conversationId: string, activity: Partial<Activity>): Promise<string> {
    const appended = await this.db.transaction().execute(async (trx) => {
      const now = this.now();
      const row = await trx
        .updateTable('directline_conversations')
        .set((eb) => ({ last_seq: eb('last_seq', '+', 1), updated_at: now }))
        .where('id', '=', conversationId)
        .returning('last_seq')
        .executeTakeFirst();
      if (!row) throw new Error('Direct Line: no such conversation');
      const seq = Number(row.last_seq);
      const id = activityId(conversationId, seq);
      const stored = { ...redactTranscriptActivity(activity, this.options.examples), id, timestamp: activity.timestamp ?? new Date(now) };
      const json = JSON.stringify(stored);
      await trx.insertInto('directline_activities').values({ conversation_id: conversationId, seq, activity: json, created_at: now }).execute();
      return { seq, id, json };
    });
    this.onAppend?.(conversationId, { seq: appended.seq, json: appended.json });
    return appended.id;
  }

  /** The conversation's last sequence number (its current watermark); undefined when it does not exist. */
  async lastSeq(conversationId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('directline_conversations').select('last_seq').where('id', '=', conversationId).executeTakeFirst();
    return row ? Number(row.last_seq) : undefined;
  }

  /**
   * The conversations appended to at or after `since` (ms), with their last sequence number: what the stream
   * poll of each process reads (by the updated_at index) to find activities appended by other processes.
   */
  async updatedSince(since: number, limit = 10_000): Promise<Array<{ id: string; lastSeq: number }>> {
    const rows = await this.db
      .selectFrom('directline_conversations')
      .select(['id', 'last_seq'])
      .where('updated_at', '>=', since)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, lastSeq: Number(r.last_seq) }));
  }

  /** The activities after a watermark (oldest first) and the watermark that follows them. */
  async activitiesAfter(conversationId: string, watermark: number, limit = MAX_ACTIVITIES_PER_POLL): Promise<ActivitySet> {
    const rows = await this.db
      .selectFrom('directline_activities')
      .select(['seq', 'activity'])
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', watermark)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    const last = rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : watermark;
    return { activities: rows.map((r) => JSON.parse(r.activity) as Partial<Activity>), watermark: String(last) };
  }
}

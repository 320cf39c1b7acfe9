/**
 * Live handoff to a person: the queue, the conversations staff hold, and the messages between them.
 *
 * Everything is in the database (handoff_sessions, handoff_messages), never in a process's memory, so any
 * number of bot instances share one queue: a customer may write to one instance while the staff member who
 * holds the conversation works on another. Taking a conversation is one conditional UPDATE (status still
 * "queued"): of two staff members clicking at once, exactly one wins. One open session per conversation is
 * guaranteed by a partial unique index (migration 1100).
 *
 * A session is queued → held (a staff member took it) → ended (handed back, cancelled by the customer); or
 * queued → offered (nobody picked it up in time: a ticket with the conversation attached is offered) →
 * ended. Outside office hours a request is "offered" straight away.
 *
 * Staff messages reach the customer through the one delivery path, ProactiveMessenger.send (never a second
 * path): stored first, then sent.
 *
 * Text: customer messages in a held conversation are stored as written (staff must read what the customer
 * says; the console masks personal data by default, with an audited reveal) after cleaning control
 * characters and capping at MESSAGE_MAX; lines of the conversation before a handoff are stored masked.
 */
import type { ConversationReference } from 'botbuilder';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { cleanInboundText } from '../domain/controlChars';
import { type OfficeHours, isOpen } from '../domain/officeHours';
import { redactPersonalData } from '../domain/pii';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import type { ProactiveMessenger } from './ports';

export const MESSAGE_MAX = 2000;
/** Lines of the conversation before a handoff kept per conversation (older ones are deleted as new come). */
export const RECENT_LINES = 12;
/** A ticket offer is answered within this time, or forgotten. */
export const OFFER_TTL_MS = 60 * 60_000;

export type HandoffStatus = 'queued' | 'held' | 'offered' | 'ended';
export type HandoffReason = 'asked' | 'failures';
export type MessageRole = 'customer' | 'bot' | 'staff' | 'system';

interface HandoffSessionsTable {
  id: import('kysely').Generated<number>;
  conversation_key: string;
  channel: string;
  lang: string;
  conversation_ref: string;
  customer_name: string | null;
  status: string;
  reason: string;
  agent_id: number | null;
  agent_name: string | null;
  queued_at: string;
  taken_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  updated_at: string;
}

interface HandoffMessagesTable {
  id: import('kysely').Generated<number>;
  conversation_key: string;
  session_id: number | null;
  role: string;
  kind: string | null;
  text: string;
  created_at: string;
}

declare module '../db/schema' {
  interface DB {
    handoff_sessions: HandoffSessionsTable;
    handoff_messages: HandoffMessagesTable;
  }
}

export interface HandoffSession {
  id: number;
  conversationKey: string;
  channel: string;
  lang: Lang;
  reference: Partial<ConversationReference>;
  customerName: string | null;
  status: HandoffStatus;
  reason: HandoffReason;
  agentId: number | null;
  agentName: string | null;
  queuedAt: string;
  takenAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface HandoffMessage {
  id: number;
  sessionId: number | null;
  role: MessageRole;
  kind: string | null;
  text: string;
  createdAt: string;
}

export interface QueuePlace {
  session: HandoffSession;
  /** 1 = next to be picked up. */
  position: number;
  waitMinutes: number;
}

export class HandoffError extends Error {
  constructor(
    readonly code: 'not-found' | 'taken' | 'not-holder' | 'invalid' | 'undelivered',
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}

export interface HandoffServiceDeps {
  db: Kysely<DB>;
  catalog: MessageCatalog;
  log: Logger;
  proactive: ProactiveMessenger;
  hours: OfficeHours;
  pickupTimeoutMs: number;
  minutesPerCustomer: number;
  now?: () => Date;
}

const OPEN_STATUSES = ['queued', 'held'] as const;

export class HandoffService {
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Staff are on duty now (office hours, Malaysia time, public holidays excepted). */
  isOpen(): boolean {
    return isOpen(this.deps.hours, this.now());
  }

  /** The conversation's queued or held session, if any. */
  async open(conversationKey: string): Promise<HandoffSession | undefined> {
    const row = await this.deps.db
      .selectFrom('handoff_sessions')
      .selectAll()
      .where('conversation_key', '=', conversationKey)
      .where('status', 'in', [...OPEN_STATUSES])
      .executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  /** The conversation's latest session when it is a ticket offer still open (recent enough). */
  async pendingOffer(conversationKey: string): Promise<HandoffSession | undefined> {
    const { offer } = await this.current(conversationKey);
    return offer;
  }

  /**
   * In one query, what a customer's message meets: the open (queued or held) session, or a ticket offer still
   * open. The latest session of a conversation is the open one when there is one (a new session is only
   * created while none is open: the partial unique index of migration 1100).
   */
  async current(conversationKey: string): Promise<{ open?: HandoffSession; offer?: HandoffSession }> {
    const row = await this.deps.db
      .selectFrom('handoff_sessions')
      .selectAll()
      .where('conversation_key', '=', conversationKey)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return {};
    if (row.status === 'queued' || row.status === 'held') return { open: toSession(row) };
    if (row.status === 'offered' && this.now().getTime() - Date.parse(row.updated_at) <= OFFER_TTL_MS) return { offer: toSession(row) };
    return {};
  }

  async get(id: number): Promise<HandoffSession | undefined> {
    const row = await this.deps.db.selectFrom('handoff_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  /**
   * Puts the conversation in the queue (or returns its open session: a second request, or a concurrent turn
   * on another instance). Outside office hours the session is created "offered" (a ticket is offered instead).
   */
  async request(input: {
    conversationKey: string;
    channel: string;
    lang: Lang;
    reference: Partial<ConversationReference>;
    customerName?: string;
    reason: HandoffReason;
  }): Promise<{ session: HandoffSession; created: boolean }> {
    const existing = await this.open(input.conversationKey);
    if (existing) return { session: existing, created: false };
    const at = this.now().toISOString();
    const status: HandoffStatus = this.isOpen() ? 'queued' : 'offered';
    try {
      const inserted = await this.deps.db
        .insertInto('handoff_sessions')
        .values({
          conversation_key: input.conversationKey,
          channel: input.channel,
          lang: input.lang,
          conversation_ref: JSON.stringify(input.reference),
          customer_name: input.customerName ? cleanInboundText(input.customerName).slice(0, 200) : null,
          status,
          reason: input.reason,
          agent_id: null,
          agent_name: null,
          queued_at: at,
          taken_at: null,
          ended_at: null,
          end_reason: status === 'offered' ? 'closed' : null,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const session = (await this.get(Number(inserted.id)))!;
      // what the bot tried: the recent lines of this conversation belong to the session from now on
      await this.deps.db
        .updateTable('handoff_messages')
        .set({ session_id: session.id })
        .where('conversation_key', '=', input.conversationKey)
        .where('session_id', 'is', null)
        .execute();
      await this.addMessage(session, 'system', status === 'queued' ? 'queued' : 'closed', input.reason);
      this.deps.log.info({ session: session.id, channel: session.channel, status, reason: input.reason }, 'handoff requested');
      return { session, created: true };
    } catch (err) {
      const again = await this.open(input.conversationKey);
      if (again) return { session: again, created: false };
      throw err;
    }
  }

  /** Where a queued session stands: its position and the expected wait. */
  async place(session: HandoffSession): Promise<QueuePlace> {
    const ahead = await this.deps.db
      .selectFrom('handoff_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('queued_at', '<', session.queuedAt), eb.and([eb('queued_at', '=', session.queuedAt), eb('id', '<', session.id)])]))
      .executeTakeFirstOrThrow();
    const position = Number(ahead.n) + 1;
    return { session, position, waitMinutes: position * this.deps.minutesPerCustomer };
  }

  /** The queue, oldest first. */
  async queue(limit = 100): Promise<QueuePlace[]> {
    const rows = await this.deps.db
      .selectFrom('handoff_sessions')
      .selectAll()
      .where('status', '=', 'queued')
      .orderBy('queued_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r, i) => ({ session: toSession(r), position: i + 1, waitMinutes: (i + 1) * this.deps.minutesPerCustomer }));
  }

  /** Conversations held now (by one staff member, or by anyone). */
  async held(agentId?: number): Promise<HandoffSession[]> {
    let q = this.deps.db.selectFrom('handoff_sessions').selectAll().where('status', '=', 'held');
    if (agentId !== undefined) q = q.where('agent_id', '=', agentId);
    return (await q.orderBy('taken_at').limit(200).execute()).map(toSession);
  }

  /**
   * A session's messages (the conversation with the bot before it, then the live exchange), oldest first:
   * the latest `limit` of them (a very long conversation shows its end).
   */
  async messages(sessionId: number, limit = 500): Promise<HandoffMessage[]> {
    const rows = await this.deps.db
      .selectFrom('handoff_messages')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(toMessage);
  }

  /** The transcript as plain lines (for a ticket), personal data masked, at most maxChars. */
  async transcript(sessionId: number, maxChars = 1000): Promise<string> {
    const lines = (await this.messages(sessionId))
      .filter((m) => m.role !== 'system')
      .map((m) => `${m.role === 'staff' ? `staff (${m.kind ?? ''})` : m.role}: ${redactPersonalData(m.text.replace(/\s+/g, ' '))}`);
    // the end of a long conversation matters most: keep the last lines that fit
    const out: string[] = [];
    let size = 0;
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.slice(0, 300);
      if (size + line.length + 1 > maxChars) break;
      out.unshift(line);
      size += line.length + 1;
    }
    return out.join('\n');
  }

  /**
   * Records a line of a conversation that is with the bot (no open session): masked, and only the last
   * RECENT_LINES are kept per conversation (they become "what the bot tried" if a handoff follows).
   */
  async recordRecent(conversationKey: string, role: 'customer' | 'bot', text: string, kind?: string): Promise<void> {
    const clean = redactPersonalData(cleanInboundText(text).slice(0, 500));
    if (clean.trim() === '') return;
    const at = this.now().toISOString();
    await this.deps.db
      .insertInto('handoff_messages')
      .values({ conversation_key: conversationKey, session_id: null, role, kind: kind ?? null, text: clean, created_at: at })
      .execute();
    // the older lines go in one DELETE that keeps the newest RECENT_LINES
    await this.deps.db
      .deleteFrom('handoff_messages')
      .where('conversation_key', '=', conversationKey)
      .where('session_id', 'is', null)
      .where('id', 'not in', (eb) =>
        eb
          .selectFrom('handoff_messages as keep')
          .select('keep.id')
          .where('keep.conversation_key', '=', conversationKey)
          .where('keep.session_id', 'is', null)
          .orderBy('keep.id', 'desc')
          .limit(RECENT_LINES),
      )
      .execute();
  }

  /** How many times in a row the bot has just failed to answer in this conversation (its last bot lines). */
  async consecutiveFailures(conversationKey: string): Promise<number> {
    const rows = await this.deps.db
      .selectFrom('handoff_messages')
      .select(['role', 'kind'])
      .where('conversation_key', '=', conversationKey)
      .where('session_id', 'is', null)
      .where('role', '=', 'bot')
      .orderBy('id', 'desc')
      .limit(RECENT_LINES)
      .execute();
    let n = 0;
    for (const r of rows) {
      if (r.kind !== 'fallback') break;
      n++;
    }
    return n;
  }

  /** A customer's message in an open session (stored for the staff side). */
  async customerMessage(session: HandoffSession, text: string, lang: Lang): Promise<HandoffMessage> {
    const at = this.now().toISOString();
    await this.deps.db
      .updateTable('handoff_sessions')
      .set({ lang, updated_at: at })
      .where('id', '=', session.id)
      .execute();
    return this.addMessage(session, 'customer', null, cleanInboundText(text).slice(0, MESSAGE_MAX));
  }

  /** The customer left the queue (or the held conversation) with "batal"/"cancel". */
  async cancel(session: HandoffSession): Promise<boolean> {
    const ended = await this.end(session.id, ['queued', 'held'], 'cancelled');
    if (ended) await this.addMessage(session, 'system', 'cancelled', 'customer');
    return ended;
  }

  /** A staff member takes a queued conversation; false when someone else was quicker (or it left the queue). */
  async take(sessionId: number, agent: { id: number; name: string }): Promise<boolean> {
    const at = this.now().toISOString();
    const result = await this.deps.db
      .updateTable('handoff_sessions')
      .set({ status: 'held', agent_id: agent.id, agent_name: agent.name, taken_at: at, updated_at: at })
      .where('id', '=', sessionId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    const session = (await this.get(sessionId))!;
    await this.addMessage(session, 'system', 'taken', agent.name);
    await this.tell(session, 'handoff.taken', { name: agent.name });
    this.deps.log.info({ session: sessionId, agent: agent.id }, 'handoff taken');
    return true;
  }

  /** A staff member's message: stored, then delivered to the customer through the proactive messenger. */
  async staffMessage(sessionId: number, agent: { id: number; name: string }, text: string): Promise<HandoffMessage> {
    const clean = cleanInboundText(text ?? '').trim();
    if (clean === '' || clean.length > MESSAGE_MAX) throw new HandoffError('invalid', `a message is 1 to ${MESSAGE_MAX} characters`);
    const session = await this.get(sessionId);
    if (!session) throw new HandoffError('not-found', 'no such conversation');
    if (session.status !== 'held' || session.agentId !== agent.id) throw new HandoffError('not-holder', 'this conversation is not held by you');
    const message = await this.addMessage(session, 'staff', agent.name, clean);
    try {
      await this.deps.proactive.send(session.reference, { text: this.deps.catalog.t(session.lang, 'handoff.staff-message', { name: agent.name, text: clean }), lang: session.lang });
    } catch (err) {
      this.deps.log.warn({ err, session: sessionId }, 'staff message could not reach the customer');
      await this.addMessage(session, 'system', 'undelivered', String((err as Error).message ?? err).slice(0, 200));
      throw new HandoffError('undelivered', 'the message was stored but could not reach the customer');
    }
    return message;
  }

  /** The staff member gives the conversation back to the bot. */
  async handBack(sessionId: number, agent: { id: number; name: string }): Promise<boolean> {
    const session = await this.get(sessionId);
    if (!session || session.status !== 'held' || session.agentId !== agent.id) return false;
    if (!(await this.end(sessionId, ['held'], 'handed-back'))) return false;
    await this.addMessage(session, 'system', 'handed-back', agent.name);
    await this.tell(session, 'handoff.handed-back');
    this.deps.log.info({ session: sessionId, agent: agent.id }, 'handoff handed back');
    return true;
  }

  /** Closes a ticket offer: the customer accepted (a ticket follows) or declined. */
  async closeOffer(session: HandoffSession, reason: 'ticket' | 'declined'): Promise<void> {
    await this.end(session.id, ['offered'], reason);
  }

  /**
   * What the customer wrote before joining the queue ("what the bot tried") and since, masked, in order: the account a
   * ticket filed from the queue tells.
   */
  async customerAccount(sessionId: number): Promise<{ before: string[]; since: string[] }> {
    const account: { before: string[]; since: string[] } = { before: [], since: [] };
    let queued = false;
    for (const m of await this.messages(sessionId)) {
      if (m.role === 'system' && m.kind === 'queued') queued = true;
      else if (m.role === 'customer' && m.text.trim() !== '') (queued ? account.since : account.before).push(redactPersonalData(m.text.replace(/\s+/g, ' ').trim()));
    }
    return account;
  }

  /**
   * A ticket offered to a customer waiting in the queue (they left a way to reach them), or their answer to it:
   * `offered` while it stands, `declined` when they said no. Staff see both in the transcript.
   */
  async noteQueueTicket(session: HandoffSession, event: 'offered' | 'declined'): Promise<void> {
    await this.addMessage(session, 'system', `ticket-${event}`, null);
  }

  /** Whether a ticket offered in the queue stands (offered, not declined, the session not ended for it). */
  async queueTicketPending(sessionId: number): Promise<boolean> {
    const last = await this.deps.db
      .selectFrom('handoff_messages')
      .select('kind')
      .where('session_id', '=', sessionId)
      .where('role', '=', 'system')
      .where('kind', 'in', ['ticket-offered', 'ticket-declined'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.kind === 'ticket-offered';
  }

  /** The customer submitted the ticket offered in the queue: out of the queue, its reference in the transcript. */
  async leftForTicket(session: HandoffSession, reference: string): Promise<boolean> {
    const ended = await this.end(session.id, ['queued', 'offered'], 'ticket');
    if (ended) await this.addMessage(session, 'system', 'ticket', reference);
    return ended;
  }

  /**
   * Queued sessions nobody picked up within the pick-up timeout become ticket offers; the customer is told
   * (proactively). Each session is claimed by one conditional UPDATE, so of several instances running this,
   * exactly one tells the customer. Returns how many were offered.
   */
  async expireUnpicked(): Promise<number> {
    const before = new Date(this.now().getTime() - this.deps.pickupTimeoutMs).toISOString();
    const rows = await this.deps.db
      .selectFrom('handoff_sessions')
      .selectAll()
      .where('status', '=', 'queued')
      .where('queued_at', '<', before)
      .orderBy('queued_at')
      .limit(50)
      .execute();
    let n = 0;
    for (const row of rows) {
      const at = this.now().toISOString();
      const result = await this.deps.db
        .updateTable('handoff_sessions')
        .set({ status: 'offered', end_reason: 'timeout', updated_at: at })
        .where('id', '=', row.id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      const session = toSession({ ...row, status: 'offered' });
      await this.addMessage(session, 'system', 'timeout', null);
      await this.tell(session, 'handoff.timeout');
      n++;
    }
    return n;
  }

  private async end(id: number, from: readonly string[], reason: string): Promise<boolean> {
    const at = this.now().toISOString();
    const result = await this.deps.db
      .updateTable('handoff_sessions')
      .set({ status: 'ended', end_reason: reason, ended_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A message from the bot to the customer outside a turn (taken, handed back, timeout). Logged, never thrown. */
  private async tell(session: HandoffSession, key: string, vars: Record<string, string> = {}): Promise<void> {
    try {
      await this.deps.proactive.send(session.reference, { text: this.deps.catalog.t(session.lang, key, vars), lang: session.lang });
    } catch (err) {
      this.deps.log.warn({ err, session: session.id, key }, 'could not tell the customer');
    }
  }

  private async addMessage(session: HandoffSession, role: MessageRole, kind: string | null, text: string | null): Promise<HandoffMessage> {
    const at = this.now().toISOString();
    const inserted = await this.deps.db
      .insertInto('handoff_messages')
      .values({ conversation_key: session.conversationKey, session_id: session.id, role, kind, text: text ?? '', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(inserted.id), sessionId: session.id, role, kind, text: text ?? '', createdAt: at };
  }
}

function toSession(r: Omit<HandoffSessionsTable, 'id'> & { id: number }): HandoffSession {
  return {
    id: Number(r.id),
    conversationKey: r.conversation_key,
    channel: r.channel,
    lang: r.lang === 'en' ? 'en' : 'ms',
    reference: JSON.parse(r.conversation_ref) as Partial<ConversationReference>,
    customerName: r.customer_name,
    status: r.status as HandoffStatus,
    reason: r.reason as HandoffReason,
    agentId: r.agent_id === null ? null : Number(r.agent_id),
    agentName: r.agent_name,
    queuedAt: r.queued_at,
    takenAt: r.taken_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
  };
}

function toMessage(r: Omit<HandoffMessagesTable, 'id'> & { id: number }): HandoffMessage {
  return { id: Number(r.id), sessionId: r.session_id === null ? null : Number(r.session_id), role: r.role as MessageRole, kind: r.kind, text: r.text, createdAt: r.created_at };
}

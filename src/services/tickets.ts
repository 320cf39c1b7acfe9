/**
 * Support tickets: created by the ticket procedure, worked by customer service through the admin API and
 * the CLI, answered back to the customer (proactively through the bot, or by e-mail).
 *
 * Every write is one transaction; the notification to customer service (SUPPORT_EMAIL) is enqueued in the
 * outbox inside the ticket's own transaction, so a ticket is never stored without its mail or vice versa.
 * A staff reply is stored first (delivery "pending"), then delivered, then its delivery recorded.
 *
 * What the bot promises the customer is committed with the work: the confirmation reply (the reference, in the
 * customer's language) is written in the ticket's own transaction and marked delivered only once the turn's
 * replies have gone out. One still undelivered (the process stopped between the commit and the reply) is
 * delivered on the customer's next message in that conversation, and proactively where the conversation can
 * be reached (deliverPendingConfirmations).
 *
 * Customer text is cleaned here again (NUL, lone surrogates, stray controls), whatever the caller did: a
 * PostgreSQL text column cannot hold NUL, and the admin API, CLI and mails pass the text on.
 */
import { createHash, randomInt } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../db/schema';
import { maskEmail, maskPhone, parseEmail, parsePhone, redactPersonalData, startOfDayInKualaLumpur, todayInKualaLumpur } from '../domain';
import { cleanInboundText, escapeForStaff } from '../domain/controlChars';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { AnalysedText } from '../language/normalize';
import type { Logger } from '../logging';
import type { MailOutbox, ProactiveMessenger } from './ports';

export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_for_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_CATEGORIES = ['ebiz-account', 'ebiz-purchase', 'plan-switch', 'billing', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const DESCRIPTION_MIN = 5;
export const DESCRIPTION_MAX = 1000;
export const NAME_MAX = 100;
export const REPLY_MAX = 4000;
export const EXCERPT_MAX = 2000;

/** Unambiguous characters: no 0/O, 1/I/L. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_RE = /^TKT-(\d{8})-([23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4})$/;
/** A reference-like token in a sentence (any case; validated with REFERENCE_RE after upper-casing). */
export const REFERENCE_IN_TEXT_RE = /\bTKT[-\s]?\d{8}[-\s]?[A-Za-z0-9]{4}\b/i;

interface TicketsTable {
  id: import('kysely').Generated<number>;
  reference: string;
  request_key: string;
  status: string;
  category: string;
  description: string;
  name: string;
  email: string | null;
  phone: string | null;
  consent_at: string;
  lang: string;
  channel: string;
  owner_key: string;
  conversation_ref: string | null;
  excerpt: string | null;
  source: string | null;
  assignee: string | null;
  created_at: string;
  updated_at: string;
  /** sha256 of channel + conversation id (migration 0310). */
  conversation_key: string | null;
  /** The confirmation reply promised to the customer; null once delivered (and for tickets before 0310). */
  confirmation_text: string | null;
  confirmation_delivered_at: string | null;
  confirmation_attempts: import('kysely').Generated<number>;
}

interface TicketRepliesTable {
  id: import('kysely').Generated<number>;
  ticket_id: number;
  author: string;
  text: string;
  delivery: string;
  delivery_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

declare module '../db/schema' {
  interface DB {
    tickets: TicketsTable;
    ticket_replies: TicketRepliesTable;
  }
}

export type Delivery = 'pending' | 'bot' | 'email' | 'none';

export interface TicketReply {
  id: number;
  author: string;
  text: string;
  delivery: Delivery;
  deliveryError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface Ticket {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  description: string;
  name: string;
  email: string | null;
  phone: string | null;
  consentAt: string;
  lang: Lang;
  channel: string;
  conversationRef: Partial<ConversationReference> | null;
  excerpt: string | null;
  source: string | null;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
  /** The confirmation reply (with the reference) has not reached the customer yet. */
  confirmationPending: boolean;
  replies: TicketReply[];
}

/** What a customer sees of one of their tickets in "my tickets". */
export interface CustomerTicketLine {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  createdAt: string;
  updatedAt: string;
}

/** A confirmation promised in a reply and not yet delivered. */
export interface PendingConfirmation {
  reference: string;
  text: string;
  lang: Lang;
}

/** A ticket as shown in lists: personal data masked, no conversation reference. */
export interface TicketSummary {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  name: string;
  email: string | null;
  phone: string | null;
  lang: Lang;
  channel: string;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewTicket {
  /** The procedure's draft id: the same key twice is the same ticket (a retried turn). */
  requestKey: string;
  category: TicketCategory;
  description: string;
  /** Optional (the customer may give only a way to reach them): stored as '' when not given. */
  name?: string;
  email?: string;
  phone?: string;
  lang: Lang;
  channel: string;
  /** The channel's user id (never stored in clear: only a hash, to recognise the same customer). */
  channelUserId: string;
  conversationRef?: Partial<ConversationReference>;
  /** Recent customer messages; masked again here whatever the caller did. */
  excerpt?: string;
  source?: string;
}

export interface TicketFilter {
  status?: TicketStatus;
  category?: TicketCategory;
  channel?: string;
  /** ISO date (YYYY-MM-DD, a calendar date in Kuala Lumpur) or an ISO timestamp; inclusive. */
  createdFrom?: string;
  createdTo?: string;
  assignee?: string;
  /** The customer's language. */
  lang?: Lang;
  /** A reference, or words of the description (at most 100 characters; matched as written, case-insensitively). */
  search?: string;
  limit?: number;
  offset?: number;
}

export type TicketErrorCode = 'not-found' | 'closed' | 'invalid';

export class TicketError extends Error {
  constructor(
    readonly code: TicketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}

export interface TicketServiceDeps {
  db: Kysely<DB>;
  mail: MailOutbox;
  catalog: MessageCatalog;
  log: Logger;
  /** Customer service's address; unset: tickets are stored but nobody is notified by e-mail. */
  supportEmail?: string;
  /** Where staff find the ticket (the bot's public URL). */
  publicUrl?: string;
  /** Reaches the customer's conversation; unset: staff replies go by e-mail only. */
  proactive?: ProactiveMessenger;
  now?: () => Date;
}

/** The hash that recognises "the same conversation" without storing the conversation id. */
export function conversationKey(channel: string, conversationId: string): string {
  return createHash('sha256').update(`conversation\u0000${channel}\u0000${conversationId}`).digest('hex');
}

/** The hash that recognises "the same customer on the same channel" without storing the channel user id. */
export function ownerKey(channel: string, channelUserId: string): string {
  return createHash('sha256').update(`${channel}\u0000${channelUserId}`).digest('hex');
}

/** "tkt 20261122 7qf3" → "TKT-20261122-7QF3"; undefined when it is not a well-formed reference. */
export function normaliseReference(text: string): string | undefined {
  const compact = text.trim().toUpperCase().replace(/[\s-]+/g, '');
  const m = /^TKT(\d{8})([A-Z0-9]{4})$/.exec(compact);
  if (!m) return undefined;
  const ref = `TKT-${m[1]}-${m[2]}`;
  return REFERENCE_RE.test(ref) ? ref : undefined;
}

/** The first reference-shaped token of a sentence, normalised, or undefined. */
export function findReference(text: string): { found: boolean; reference?: string } {
  const m = REFERENCE_IN_TEXT_RE.exec(text);
  if (!m) return { found: /\bTKT\b/i.test(text) };
  return { found: true, reference: normaliseReference(m[0]) };
}

/**
 * Whether a message names a ticket by a reference: ours, well formed or not (findReference: "TKT-…"), or one in another
 * form after a word naming it ("no ruj 48817", "Reference CS-5567": an identifier of the analysis, lexicon
 * ticketReferenceWords).
 */
export function namesReference(input: AnalysedText): boolean {
  return input.identifiers.some((x) => x.kind === 'ticket') || findReference(input.text.slice(0, REFERENCE_SEARCH_CHARS)).found;
}

/** A reference in another form than ours ("ref 88213", "CS-5567"), as typed; undefined when the message gives none. */
export function otherReference(input: AnalysedText): string | undefined {
  return input.identifiers.find((x) => x.kind === 'ticket' && !/^tkt/i.test(x.value))?.value;
}

/** Characters of a message searched for a reference of ours written anyhow ("TKT 123"; an identifier when well formed). */
const REFERENCE_SEARCH_CHARS = 500;

export function isStatus(v: string): v is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(v);
}

export function isCategory(v: string): v is TicketCategory {
  return (TICKET_CATEGORIES as readonly string[]).includes(v);
}

/** "2026-11-22" (a Kuala Lumpur calendar date) → the UTC instant its day starts (or ends, for an upper bound). */
function boundary(value: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const start = startOfDayInKualaLumpur({ y, m, d });
    return new Date(end ? start + 86_400_000 - 1 : start).toISOString();
  }
  return new Date(value).toISOString();
}

export class TicketService {
  private readonly now: () => Date;
  private warnedNoSupportEmail = false;

  constructor(private readonly deps: TicketServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A fresh reference: TKT-YYYYMMDD-XXXX, the date in Kuala Lumpur, XXXX random (crypto). */
  newReference(): string {
    const day = todayInKualaLumpur(this.now());
    const date = `${day.y}${String(day.m).padStart(2, '0')}${String(day.d).padStart(2, '0')}`;
    let tail = '';
    for (let i = 0; i < 4; i++) tail += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
    return `TKT-${date}-${tail}`;
  }

  /** The confirmation reply of a ticket: its reference, in the customer's language. */
  confirmationText(reference: string, lang: Lang): string {
    return this.deps.catalog.t(lang, 'tickets.created', { reference });
  }

  /**
   * Validates and stores a ticket with its notification mail and the confirmation reply promised to the
   * customer, in one transaction. The same requestKey twice returns the first ticket. The caller sends
   * `confirmation` and, once it has gone out, calls confirmationDelivered().
   */
  async create(input: NewTicket): Promise<{ ticket: Ticket; duplicate: boolean; confirmation: string }> {
    const withConfirmation = (ticket: Ticket, duplicate: boolean) => ({ ticket, duplicate, confirmation: this.confirmationText(ticket.reference, ticket.lang) });
    const clean = this.validateNew(input);
    const existing = await this.byRequestKey(clean.requestKey);
    if (existing) return withConfirmation(existing, true);
    for (let attempt = 1; ; attempt++) {
      try {
        const reference = await this.deps.db.transaction().execute(async (trx) => {
          let reference = this.newReference();
          for (let i = 0; i < 10; i++) {
            const taken = await trx.selectFrom('tickets').select('id').where('reference', '=', reference).executeTakeFirst();
            if (!taken) break;
            reference = this.newReference();
          }
          const at = this.now().toISOString();
          await trx
            .insertInto('tickets')
            .values({
              reference,
              request_key: clean.requestKey,
              status: 'open',
              category: clean.category,
              description: clean.description,
              name: clean.name ?? '',
              email: clean.email ?? null,
              phone: clean.phone ?? null,
              consent_at: at,
              lang: clean.lang,
              channel: clean.channel,
              owner_key: ownerKey(clean.channel, clean.channelUserId),
              conversation_ref: clean.conversationRef ? JSON.stringify(clean.conversationRef) : null,
              excerpt: clean.excerpt ?? null,
              source: clean.source ?? null,
              assignee: null,
              created_at: at,
              updated_at: at,
              conversation_key: clean.conversationRef?.conversation?.id ? conversationKey(clean.channel, clean.conversationRef.conversation.id) : null,
              confirmation_text: this.confirmationText(reference, clean.lang),
              confirmation_delivered_at: null,
            })
            .execute();
          await this.notifySupport(trx, reference, clean);
          return reference;
        });
        const ticket = (await this.get(reference))!;
        this.deps.log.info({ reference, category: ticket.category, channel: ticket.channel }, 'ticket created');
        return withConfirmation(ticket, false);
      } catch (err) {
        // a concurrent turn with the same draft, or a reference drawn twice at the same instant
        const again = await this.byRequestKey(clean.requestKey).catch(() => undefined);
        if (again) return withConfirmation(again, true);
        if (attempt >= 3 || !isUniqueViolation(err)) throw err;
      }
    }
  }

  async get(reference: string): Promise<Ticket | undefined> {
    const ref = normaliseReference(reference);
    if (!ref) return undefined;
    const row = await this.deps.db.selectFrom('tickets').selectAll().where('reference', '=', ref).executeTakeFirst();
    if (!row) return undefined;
    const replies = await this.deps.db
      .selectFrom('ticket_replies')
      .selectAll()
      .where('ticket_id', '=', row.id)
      .orderBy('id', 'asc')
      .execute();
    return toTicket(row, replies);
  }

  /** The ticket when it belongs to this channel user; undefined otherwise (unknown and foreign alike). */
  async getForOwner(reference: string, channel: string, channelUserId: string): Promise<Ticket | undefined> {
    const ticket = await this.get(reference);
    if (!ticket) return undefined;
    const row = await this.deps.db.selectFrom('tickets').select('owner_key').where('reference', '=', ticket.reference).executeTakeFirst();
    return row && row.owner_key === ownerKey(channel, channelUserId) ? ticket : undefined;
  }

  /** true when the text is the e-mail address or mobile number given on the ticket. */
  contactMatches(ticket: Ticket, text: string): boolean {
    const t = text.trim();
    const email = parseEmail(t);
    if (email.ok && ticket.email) return email.value.toLowerCase() === ticket.email.toLowerCase();
    const phone = parsePhone(t);
    if (phone.ok && ticket.phone) return phone.value === ticket.phone;
    return false;
  }

  /** Records that the confirmation reply of a ticket has gone out (its text is no longer kept). */
  async confirmationDelivered(reference: string): Promise<void> {
    await this.deps.db
      .updateTable('tickets')
      .set({ confirmation_delivered_at: this.now().toISOString(), confirmation_text: null })
      .where('reference', '=', reference)
      .where('confirmation_delivered_at', 'is', null)
      .execute();
  }

  /** Confirmations promised in this conversation and not delivered yet, oldest first. */
  async pendingConfirmations(channel: string, conversationId: string): Promise<PendingConfirmation[]> {
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['reference', 'confirmation_text', 'lang'])
      .where('conversation_key', '=', conversationKey(channel, conversationId))
      .where('confirmation_delivered_at', 'is', null)
      .where('confirmation_text', 'is not', null)
      .orderBy('id', 'asc')
      .limit(20)
      .execute();
    return rows.map((r) => ({ reference: r.reference, text: r.confirmation_text!, lang: r.lang === 'en' ? 'en' : 'ms' }));
  }

  /**
   * Delivers confirmations still pending after `olderThanMs` (the process stopped between the ticket's commit
   * and its reply) to conversations the ProactiveMessenger reaches; each is tried at most `maxAttempts` times
   * (after that, the customer's next message in the conversation still gets it). Returns how many went out.
   */
  async deliverPendingConfirmations(options: { olderThanMs?: number; maxAttempts?: number } = {}): Promise<number> {
    const proactive = this.deps.proactive;
    if (!proactive) return 0;
    const before = new Date(this.now().getTime() - (options.olderThanMs ?? 30_000)).toISOString();
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['id', 'reference', 'confirmation_text', 'lang', 'conversation_ref'])
      .where('confirmation_delivered_at', 'is', null)
      .where('confirmation_text', 'is not', null)
      .where('conversation_ref', 'is not', null)
      .where('confirmation_attempts', '<', options.maxAttempts ?? 5)
      .where('created_at', '<', before)
      .orderBy('id')
      .limit(100)
      .execute();
    let sent = 0;
    for (const row of rows) {
      await this.deps.db
        .updateTable('tickets')
        .set((eb) => ({ confirmation_attempts: eb('confirmation_attempts', '+', 1) }))
        .where('id', '=', row.id)
        .execute();
      try {
        await proactive.send(JSON.parse(row.conversation_ref!) as Partial<ConversationReference>, {
          text: row.confirmation_text!,
          lang: row.lang === 'en' ? 'en' : 'ms',
        });
        await this.confirmationDelivered(row.reference);
        sent++;
        this.deps.log.info({ reference: row.reference }, 'ticket confirmation delivered after a restart');
      } catch (err) {
        this.deps.log.info({ reference: row.reference, err: (err as Error).message }, 'ticket confirmation not reachable proactively; waits for the next message');
      }
    }
    return sent;
  }

  /** The tickets raised in this conversation or by this channel user, newest first (at most `limit`). */
  async listForCustomer(who: { channel: string; channelUserId: string; conversationId?: string }, limit = 10): Promise<CustomerTicketLine[]> {
    const owner = ownerKey(who.channel, who.channelUserId);
    const conv = who.conversationId ? conversationKey(who.channel, who.conversationId) : undefined;
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['reference', 'status', 'category', 'created_at', 'updated_at'])
      .where((eb) => (conv ? eb.or([eb('owner_key', '=', owner), eb('conversation_key', '=', conv)]) : eb('owner_key', '=', owner)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toLine);
  }

  /** The tickets that carry the same contact (e-mail or mobile number) as `ticket`, the contact the customer has just verified. */
  async listByContact(ticket: Ticket, limit = 10): Promise<CustomerTicketLine[]> {
    const rows = await this.deps.db
      .selectFrom('tickets')
      .select(['reference', 'status', 'category', 'created_at', 'updated_at'])
      .where((eb) => {
        const same = [];
        if (ticket.email) same.push(eb('email', '=', ticket.email));
        if (ticket.phone) same.push(eb('phone', '=', ticket.phone));
        return same.length > 0 ? eb.or(same) : eb('reference', '=', ticket.reference);
      })
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toLine);
  }

  async list(filter: TicketFilter = {}): Promise<{ items: TicketSummary[]; total: number; limit: number; offset: number }> {
    const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
    const offset = Math.max(filter.offset ?? 0, 0);
    let q = this.deps.db.selectFrom('tickets');
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.category) q = q.where('category', '=', filter.category);
    if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.assignee) q = q.where('assignee', '=', filter.assignee);
    if (filter.lang) q = q.where('lang', '=', filter.lang);
    const search = filter.search?.trim().slice(0, 100);
    if (search) {
      const reference = normaliseReference(search);
      // LIKE with its wildcards escaped: the staff member's text is matched as written
      const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = reference ? q.where('reference', '=', reference) : q.where(sql`lower(description)`, 'like', sql`${pattern} escape '\\'`);
    }
    if (filter.createdFrom) q = q.where('created_at', '>=', boundary(filter.createdFrom, false));
    if (filter.createdTo) q = q.where('created_at', '<=', boundary(filter.createdTo, true));
    const [{ n }] = [await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()];
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return {
      items: rows.map((r) => summarise(toTicket(r, []))),
      total: Number(n),
      limit,
      offset,
    };
  }

  /** Changes status and/or assignee. */
  async update(reference: string, change: { status?: TicketStatus; assignee?: string | null }): Promise<Ticket> {
    const ref = this.requireReference(reference);
    if (change.status !== undefined && !isStatus(change.status)) throw new TicketError('invalid', `unknown status "${String(change.status)}"`);
    if (change.assignee !== undefined && change.assignee !== null && (change.assignee.trim() === '' || change.assignee.length > 200)) {
      throw new TicketError('invalid', 'assignee must be 1 to 200 characters (or null)');
    }
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('tickets').select(['id', 'status']).where('reference', '=', ref).executeTakeFirst();
      if (!row) throw new TicketError('not-found', `no ticket ${ref}`);
      const values: { updated_at: string; status?: string; assignee?: string | null } = { updated_at: this.now().toISOString() };
      if (change.status !== undefined) values.status = change.status;
      if (change.assignee !== undefined) values.assignee = change.assignee === null ? null : change.assignee.trim();
      await trx.updateTable('tickets').set(values).where('id', '=', row.id).execute();
    });
    this.deps.log.info({ reference: ref, status: change.status, assigned: change.assignee !== undefined }, 'ticket updated');
    return (await this.get(ref))!;
  }

  /**
   * A staff reply: stored (and the status changed, default "waiting_for_customer") in one transaction, then
   * delivered to the customer in the customer's language: through the bot when the conversation can be
   * reached, otherwise by e-mail through the outbox; how it went is recorded on the reply.
   */
  async reply(
    reference: string,
    input: { text: string; author: string; status?: TicketStatus },
  ): Promise<{ ticket: Ticket; reply: TicketReply }> {
    const ref = this.requireReference(reference);
    const text = cleanInboundText(input.text ?? '').trim();
    if (text === '') throw new TicketError('invalid', 'the reply is empty');
    if (text.length > REPLY_MAX) throw new TicketError('invalid', `the reply is longer than ${REPLY_MAX} characters`);
    const author = cleanInboundText(input.author ?? '').trim();
    if (author === '' || author.length > 200) throw new TicketError('invalid', 'author must be 1 to 200 characters');
    if (input.status !== undefined && !isStatus(input.status)) throw new TicketError('invalid', `unknown status "${String(input.status)}"`);
    const at = this.now().toISOString();
    const replyId = await this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('tickets').select(['id', 'status']).where('reference', '=', ref).executeTakeFirst();
      if (!row) throw new TicketError('not-found', `no ticket ${ref}`);
      if (row.status === 'closed') throw new TicketError('closed', `ticket ${ref} is closed`);
      const inserted = await trx
        .insertInto('ticket_replies')
        .values({ ticket_id: row.id, author, text, delivery: 'pending', delivery_error: null, created_at: at, delivered_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('tickets')
        .set({ status: input.status ?? 'waiting_for_customer', updated_at: at })
        .where('id', '=', row.id)
        .execute();
      return Number(inserted.id);
    });
    const ticket = (await this.get(ref))!;
    await this.deliver(ticket, replyId, text);
    const after = (await this.get(ref))!;
    return { ticket: after, reply: after.replies.find((r) => r.id === replyId)! };
  }

  /** Delivers a stored reply (also used to retry a reply whose delivery is still pending). */
  async deliver(ticket: Ticket, replyId: number, text: string): Promise<Delivery> {
    const lang = ticket.lang;
    const { catalog, log } = this.deps;
    let error: string | null = null;
    if (ticket.conversationRef && this.deps.proactive) {
      try {
        await this.deps.proactive.send(ticket.conversationRef, {
          text: catalog.t(lang, 'tickets.reply.chat', { reference: ticket.reference, text }),
          lang,
          origin: replyOrigin(ticket.reference, replyId),
        });
        // committed to the channel outbox: delivered_at waits for the platform's answer (onOutboundOutcome)
        await this.recordDelivery(replyId, 'bot', null);
        log.info({ reference: ticket.reference, replyId, delivery: 'bot' }, 'staff reply queued for the conversation');
        return 'bot';
      } catch (err) {
        error = `bot: ${(err as Error).message ?? String(err)}`.slice(0, 500);
        log.warn({ reference: ticket.reference, replyId, err }, 'staff reply could not reach the conversation; trying e-mail');
      }
    } else {
      error = ticket.conversationRef ? 'bot: no proactive messenger' : 'bot: no conversation reference';
    }
    if (ticket.email) {
      const email = ticket.email;
      await this.deps.db.transaction().execute(async (trx) => {
        await this.deps.mail.enqueue(
          {
            to: email,
            subject: catalog.t(lang, 'tickets.mail.reply.subject', { reference: ticket.reference }),
            text: catalog.t(lang, 'tickets.mail.reply.body', { name: ticket.name || catalog.t(lang, 'tickets.name.none'), reference: ticket.reference, text }),
            lang,
            kind: 'ticket-reply',
            dedupeKey: `ticket-reply:${ticket.reference}:${replyId}`,
          },
          trx,
        );
        await this.recordDelivery(replyId, 'email', error, trx);
      });
      log.info({ reference: ticket.reference, replyId, delivery: 'email', to: maskEmail(email) }, 'staff reply sent by e-mail');
      return 'email';
    }
    await this.recordDelivery(replyId, 'none', error);
    log.warn({ reference: ticket.reference, replyId }, 'staff reply stored but the customer cannot be reached (no conversation, no e-mail)');
    return 'none';
  }

  /**
   * The channel outbox's word on a staff reply sent through the bot (its origin names the reply): delivered →
   * delivered_at; held by WhatsApp's closed window → not delivered yet, and why; failed for good → e-mail
   * (when the ticket has an address) or "none", with the platform's reason. The ticket never says delivered
   * for a reply the customer did not get.
   */
  async onOutboundOutcome(event: { origin: string | null; status: 'sent' | 'failed' | 'held' | 'pending'; reason?: string }): Promise<void> {
    const m = /^ticket-reply:([A-Za-z0-9-]{1,64}):(\d{1,12})$/.exec(event.origin ?? '');
    if (!m || event.status === 'pending') return;
    const reference = m[1]!;
    const replyId = Number(m[2]);
    const { db, log } = this.deps;
    if (event.status === 'sent') {
      await db.updateTable('ticket_replies').set({ delivered_at: this.now().toISOString(), delivery_error: null }).where('id', '=', replyId).where('delivery', '=', 'bot').execute();
      return;
    }
    const reason = `bot: ${event.reason ?? event.status}`.slice(0, 500);
    if (event.status === 'held') {
      await db.updateTable('ticket_replies').set({ delivered_at: null, delivery_error: reason }).where('id', '=', replyId).where('delivery', '=', 'bot').execute();
      log.info({ reference, replyId }, 'staff reply waits for the customer to write again (24-hour window)');
      return;
    }
    const ticket = await this.get(reference);
    const reply = await db.selectFrom('ticket_replies').select(['text', 'delivery']).where('id', '=', replyId).executeTakeFirst();
    if (!ticket || !reply || reply.delivery !== 'bot') return;
    if (ticket.email) {
      const email = ticket.email;
      const { catalog } = this.deps;
      await db.transaction().execute(async (trx) => {
        await this.deps.mail.enqueue(
          {
            to: email,
            subject: catalog.t(ticket.lang, 'tickets.mail.reply.subject', { reference }),
            text: catalog.t(ticket.lang, 'tickets.mail.reply.body', { name: ticket.name || catalog.t(ticket.lang, 'tickets.name.none'), reference, text: reply.text }),
            lang: ticket.lang,
            kind: 'ticket-reply',
            dedupeKey: `ticket-reply:${reference}:${replyId}`,
          },
          trx,
        );
        await this.recordDelivery(replyId, 'email', reason, trx);
      });
      log.warn({ reference, replyId, delivery: 'email' }, 'staff reply did not reach the conversation; sent by e-mail instead');
    } else {
      await this.recordDelivery(replyId, 'none', reason);
      log.warn({ reference, replyId }, 'staff reply did not reach the conversation and the ticket has no e-mail');
    }
  }

  /** Delivers replies left "pending" (the process stopped between storing and delivering them). */
  async deliverPending(olderThanMs = 60_000): Promise<number> {
    const before = new Date(this.now().getTime() - olderThanMs).toISOString();
    const rows = await this.deps.db
      .selectFrom('ticket_replies')
      .innerJoin('tickets', 'tickets.id', 'ticket_replies.ticket_id')
      .select(['ticket_replies.id as id', 'ticket_replies.text as text', 'tickets.reference as reference'])
      .where('ticket_replies.delivery', '=', 'pending')
      .where('ticket_replies.created_at', '<', before)
      .orderBy('ticket_replies.id')
      .limit(100)
      .execute();
    for (const row of rows) {
      const ticket = await this.get(row.reference);
      if (ticket) await this.deliver(ticket, Number(row.id), row.text);
    }
    return rows.length;
  }

  private async recordDelivery(replyId: number, delivery: Delivery, error: string | null, db: Kysely<DB> | Transaction<DB> = this.deps.db) {
    await db
      .updateTable('ticket_replies')
      // 'bot': committed to the channel outbox; delivered_at follows the platform's answer (onOutboundOutcome)
      .set({ delivery, delivery_error: error, delivered_at: delivery === 'none' || delivery === 'bot' ? null : this.now().toISOString() })
      .where('id', '=', replyId)
      .execute();
  }

  private async notifySupport(trx: Transaction<DB>, reference: string, t: NewTicket): Promise<void> {
    const to = this.deps.supportEmail;
    if (!to) {
      if (!this.warnedNoSupportEmail) {
        this.warnedNoSupportEmail = true;
        this.deps.log.warn('SUPPORT_EMAIL is not set: customer service is not notified of new tickets by e-mail (tickets are still stored)');
      }
      return;
    }
    const { catalog } = this.deps;
    const vars = {
      reference,
      category: catalog.t('ms', `tickets.category.${t.category}`) + ' / ' + catalog.t('en', `tickets.category.${t.category}`),
      // the text part is read by staff, possibly in a terminal mail reader: customer text escaped
      name: t.name ? escapeForStaff(t.name) : '-',
      email: t.email ? maskEmail(t.email) : '-',
      phone: t.phone ? maskPhone(t.phone) : '-',
      lang: t.lang,
      channel: escapeForStaff(t.channel),
      description: escapeForStaff(redactPersonalData(t.description), { multiline: true }),
      excerpt: t.excerpt ? escapeForStaff(t.excerpt, { multiline: true }) : '-',
      link: `${(this.deps.publicUrl ?? '').replace(/\/+$/, '')}/api/admin/tickets/${reference}`,
    };
    await this.deps.mail.enqueue(
      {
        to,
        subject: catalog.t('ms', 'tickets.mail.support.subject', vars),
        text: catalog.both('tickets.mail.support.body', vars),
        lang: 'ms',
        kind: 'ticket-created',
        dedupeKey: `ticket-created:${t.requestKey}`,
      },
      trx,
    );
  }

  /** The ticket created for a procedure's draft, if it was stored. */
  async findByRequestKey(requestKey: string): Promise<Ticket | undefined> {
    return this.byRequestKey(requestKey);
  }

  private async byRequestKey(requestKey: string): Promise<Ticket | undefined> {
    const row = await this.deps.db.selectFrom('tickets').select('reference').where('request_key', '=', requestKey).executeTakeFirst();
    return row ? this.get(row.reference) : undefined;
  }

  private requireReference(reference: string): string {
    const ref = normaliseReference(reference ?? '');
    if (!ref) throw new TicketError('not-found', 'not a ticket reference (TKT-YYYYMMDD-XXXX)');
    return ref;
  }

  private validateNew(input: NewTicket): NewTicket {
    const description = cleanInboundText(input.description ?? '').trim();
    if (description.length < DESCRIPTION_MIN || description.length > DESCRIPTION_MAX) {
      throw new TicketError('invalid', `the description must be ${DESCRIPTION_MIN} to ${DESCRIPTION_MAX} characters`);
    }
    const name = cleanInboundText(input.name ?? '').trim().replace(/\s+/g, ' ');
    // the name is optional; a name given has 2 to NAME_MAX characters
    if (name !== '' && (name.length < 2 || name.length > NAME_MAX)) throw new TicketError('invalid', `the name must be 2 to ${NAME_MAX} characters`);
    if (!isCategory(input.category)) throw new TicketError('invalid', `unknown category "${String(input.category)}"`);
    let email: string | undefined;
    let phone: string | undefined;
    if (input.email) {
      const e = parseEmail(input.email);
      if (!e.ok) throw new TicketError('invalid', `invalid e-mail address (${e.reason})`);
      email = e.value;
    }
    if (input.phone) {
      const p = parsePhone(input.phone);
      if (!p.ok) throw new TicketError('invalid', `invalid mobile number (${p.reason})`);
      phone = p.value;
    }
    if (!email && !phone) throw new TicketError('invalid', 'an e-mail address or a mobile number is required');
    if (!input.requestKey || input.requestKey.length > 64) throw new TicketError('invalid', 'requestKey must be 1 to 64 characters');
    if (!input.channel || !input.channelUserId) throw new TicketError('invalid', 'channel and channelUserId are required');
    const excerpt = input.excerpt ? redactPersonalData(cleanInboundText(input.excerpt)).slice(0, EXCERPT_MAX) : undefined;
    const source = input.source ? cleanInboundText(input.source) : undefined;
    return { ...input, description, name, email, phone, excerpt, source };
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

function toLine(r: { reference: string; status: string; category: string; created_at: string; updated_at: string }): CustomerTicketLine {
  return { reference: r.reference, status: r.status as TicketStatus, category: r.category as TicketCategory, createdAt: r.created_at, updatedAt: r.updated_at };
}

function toTicket(row: Omit<TicketsTable, 'id' | 'confirmation_attempts'> & { id: number; confirmation_attempts: number }, replies: Array<Omit<TicketRepliesTable, 'id'> & { id: number }>): Ticket {
  return {
    reference: row.reference,
    status: row.status as TicketStatus,
    category: row.category as TicketCategory,
    description: row.description,
    name: row.name,
    email: row.email,
    phone: row.phone,
    consentAt: row.consent_at,
    lang: row.lang === 'en' ? 'en' : 'ms',
    channel: row.channel,
    conversationRef: row.conversation_ref ? (JSON.parse(row.conversation_ref) as Partial<ConversationReference>) : null,
    excerpt: row.excerpt,
    source: row.source,
    assignee: row.assignee,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmationPending: row.confirmation_text !== null && row.confirmation_delivered_at === null,
    replies: replies.map((r) => ({
      id: Number(r.id),
      author: r.author,
      text: r.text,
      delivery: r.delivery as Delivery,
      deliveryError: r.delivery_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    })),
  };
}

/** The list view: personal data masked. */
export function summarise(t: Ticket): TicketSummary {
  return {
    reference: t.reference,
    status: t.status,
    category: t.category,
    name: t.name,
    email: t.email ? maskEmail(t.email) : null,
    phone: t.phone ? maskPhone(t.phone) : null,
    lang: t.lang,
    channel: t.channel,
    assignee: t.assignee,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** The admin view of one ticket: everything staff need, but not the raw conversation reference. */
export function adminView(t: Ticket): Omit<Ticket, 'conversationRef'> & { reachableInChat: boolean } {
  const { conversationRef, ...rest } = t;
  return { ...rest, reachableInChat: !!conversationRef };
}

/** The outbox origin of a staff reply (see TicketService.onOutboundOutcome). */
export function replyOrigin(reference: string, replyId: number): string {
  return `ticket-reply:${reference}:${replyId}`;
}

/**
 * The console's routes (all under /console):
 *   GET  /console/sign-in, POST /console/sign-in, POST /console/sign-out
 *   GET  /console                                   the live queue and the conversations this agent holds
 *   GET  /console/fragments/queue                   the same, as an HTML fragment (polled)
 *   GET  /console/conversations/:id                 a conversation: details, what the bot tried, transcript
 *   GET  /console/conversations/:id/fragment        its transcript since the handoff (polled)
 *   POST /console/conversations/:id/take|send|hand-back|reveal
 *   GET  /console/tickets?status&category&language&assignee&q   the ticket inbox (?lang= is the page's language)
 *   GET  /console/tickets/:reference                ticket detail
 *   POST /console/tickets/:reference/reply|status|assign|note|reveal
 *   GET  /console/audit                             the staff audit, newest first (supervisor, admin)
 *   GET  /console/console.js                        the polling script
 * Every action is written to the staff audit; forms are urlencoded, at most 16 KiB; every POST carries the
 * session's CSRF token (./auth.ts). After a POST the browser is redirected (303) to the page it came from.
 */
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import type { Request, Response } from 'restify';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { Logger } from '../logging';
import { readBody } from '../server/body';
import { failureStatus } from '../server/http';
import { HandoffError, type HandoffService } from '../services/handoff';
import type { RateLimiter } from '../services/ports';
import type { StaffMember, StaffService } from '../services/staff';
import { TicketError, type TicketService, type Ticket, isCategory, isStatus } from '../services/tickets';
import type { AttachmentStore, StoredAttachment } from '../channels/directline/uploads';
import { keepsUploads } from '../channels';
import { LANG_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, consoleLang, consoleRefusal, cookie, cookieHeader, createRequireStaff, safeEqual, staffSessionOf } from './auth';
import {
  CONSOLE_HEADERS,
  auditPage,
  CONSOLE_SCRIPT,
  type Frame,
  conversationPage,
  homePage,
  inboxPage,
  messagePage,
  queueFragment,
  signInPage,
  ticketPage,
  translator,
  transcriptFragment,
} from './pages';

export interface ConsoleDeps {
  catalog: MessageCatalog;
  staff: StaffService;
  handoff: HandoffService;
  tickets: TicketService;
  log: Logger;
  publicUrl: string;
  sessionHours: number;
  databaseAnswers: () => Promise<boolean>;
  /** The files web chat customers attached (shown on their tickets); optional (tests without it). */
  attachments?: AttachmentStore;
  /**
   * Sign-in attempts per client address per window (shared by every instance): against password spraying
   * across accounts, which the per-account lockout does not see. Optional (tests without it).
   */
  signInLimit?: { limiter: RateLimiter; perAddress: number; windowSeconds: number; address: (req: Request) => string };
}

function send(res: Response, status: number, body: string | Buffer, type = 'text/html; charset=utf-8', extra: Record<string, string | string[]> = {}): void {
  res.status(status);
  for (const [k, v] of Object.entries({ ...CONSOLE_HEADERS, ...extra })) res.setHeader(k, v);
  res.setHeader('Content-Type', type);
  res.end(body);
}

function redirect(res: Response, location: string, extra: Record<string, string | string[]> = {}): void {
  res.status(303);
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  res.end();
}

const field = (req: Request, name: string, max = 4000): string => {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
};

/** Only a path inside the console is a place to return to after sign-in (no open redirect). */
const safeNext = (next: string) => (/^\/console(\/[\w\-/.]*)?$/.test(next) ? next : '/console');

export function registerConsoleRoutes(server: restify.Server, deps: ConsoleDeps): void {
  const { catalog, staff, handoff, tickets, log } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  const refuse = consoleRefusal(catalog);
  const requireStaff = createRequireStaff({ staff, refuse });
  const form = readBody({
    accept: ['form'],
    maxBodySize: 16 * 1024,
    refuse: (req, res, status) => {
      const lang = consoleLang(req);
      send(res, status, messagePage({ lang, t: translator(catalog, lang), path: '/console' }, 'console.error.title', 'console.error.text'));
    },
  });
  const langCookie = (req: Request): Record<string, string> => {
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
    return q === 'ms' || q === 'en' ? { 'Set-Cookie': cookieHeader(LANG_COOKIE, q, { secure, maxAgeSeconds: 365 * 86_400 }) } : {};
  };
  const frameOf = (req: Request, member?: StaffMember): Frame => {
    const lang: Lang = consoleLang(req);
    const url = new URL(req.url ?? '/console', 'http://localhost');
    url.searchParams.delete('lang');
    return { lang, t: translator(catalog, lang), staff: member, csrf: staffSessionOf(req)?.csrf, path: url.pathname + url.search };
  };
  const who = (m: StaffMember) => ({ id: m.id, username: m.username });
  const agentOf = (m: StaffMember) => ({ id: m.id, name: m.displayName });

  /** Runs a handler; an unexpected failure is a 500 page (503 with Retry-After while the database is away). */
  const handle = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (err) {
      const status = await failureStatus(res, deps.databaseAnswers);
      log.error({ err, path: req.path(), status }, 'console request failed');
      if (!res.headersSent) send(res, status, messagePage(frameOf(req), 'console.error.title', 'console.error.text'));
    }
  };

  server.get('/console/console.js', async (_req: Request, res: Response) => send(res, 200, CONSOLE_SCRIPT, 'text/javascript; charset=utf-8'));

  // --- sign-in
  server.get(
    '/console/sign-in',
    handle(async (req, res) => {
      const csrf = randomBytes(24).toString('base64url');
      const next = safeNext(new URL(req.url ?? '/', 'http://localhost').searchParams.get('next') ?? '/console');
      send(res, 200, signInPage(frameOf(req), { csrf, next }), undefined, {
        'Set-Cookie': [cookieHeader(PRE_CSRF_COOKIE, csrf, { secure, maxAgeSeconds: 3600 }), ...Object.values(langCookie(req))],
      });
    }),
  );
  server.post(
    '/console/sign-in',
    form,
    handle(async (req, res) => {
      const frame = frameOf(req);
      const csrf = field(req, '_csrf', 100);
      const username = field(req, 'username', 64);
      const next = safeNext(field(req, 'next', 200));
      const again = (status: number, error: string) => {
        const fresh = randomBytes(24).toString('base64url');
        send(res, status, signInPage(frame, { csrf: fresh, next, error, username }), undefined, { 'Set-Cookie': cookieHeader(PRE_CSRF_COOKIE, fresh, { secure, maxAgeSeconds: 3600 }) });
      };
      if (!safeEqual(csrf, cookie(req, PRE_CSRF_COOKIE) ?? '')) return again(403, 'console.sign-in.error.csrf');
      if (deps.signInLimit) {
        const { limiter, perAddress, windowSeconds, address } = deps.signInLimit;
        const hit = await limiter.hit('console-sign-in', address(req), perAddress, windowSeconds);
        if (!hit.allowed) {
          res.setHeader('Retry-After', String(hit.retryAfterSeconds));
          await staff.audit({ id: null, username: username.toLowerCase() || '-' }, 'sign-in-throttled');
          return again(429, 'console.sign-in.error.locked');
        }
      }
      const result = await staff.signIn(username, field(req, 'password', 200));
      if (!result.ok) {
        await staff.audit({ id: null, username: username.toLowerCase() || '-' }, result.reason === 'locked' ? 'sign-in-locked' : 'sign-in-failed');
        return again(result.reason === 'locked' ? 429 : 401, result.reason === 'locked' ? 'console.sign-in.error.locked' : 'console.sign-in.error.invalid');
      }
      const session = await staff.createSession(result.staff.id);
      await staff.audit(who(result.staff), 'sign-in');
      redirect(res, next, {
        'Set-Cookie': [
          cookieHeader(SESSION_COOKIE, session.token, { secure, maxAgeSeconds: deps.sessionHours * 3600 }),
          cookieHeader(PRE_CSRF_COOKIE, '', { secure, maxAgeSeconds: 0 }),
        ],
      });
    }),
  );
  server.post(
    '/console/sign-out',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      await staff.endSession(cookie(req, SESSION_COOKIE) ?? '');
      await staff.audit(who(member), 'sign-out');
      redirect(res, '/console/sign-in', { 'Set-Cookie': cookieHeader(SESSION_COOKIE, '', { secure, maxAgeSeconds: 0 }) });
    }),
  );

  // --- the queue
  const queueHtml = async (req: Request, member: StaffMember) => queueFragment(frameOf(req, member), await handoff.queue(), await handoff.held(member.id));
  server.get(
    '/console',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const notice = new URL(req.url ?? '/', 'http://localhost').searchParams.get('notice');
      send(res, 200, homePage(frameOf(req, member), await queueHtml(req, member), notice === 'taken-by-other' ? 'console.notice.taken-by-other' : undefined), undefined, langCookie(req));
    }),
  );
  server.get(
    '/console/fragments/queue',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      send(res, 200, await queueHtml(req, member));
    }),
  );

  // --- a conversation
  const sessionId = (req: Request) => {
    const id = Number(req.params.id);
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
  };
  const conversation = async (req: Request, res: Response, member: StaffMember, extra: { reveal?: boolean; error?: string } = {}) => {
    const session = await handoff.get(sessionId(req));
    if (!session) return send(res, 404, messagePage(frameOf(req, member), 'console.not-found.title', 'console.not-found.text'));
    const messages = await handoff.messages(session.id);
    const position = session.status === 'queued' ? (await handoff.place(session)).position : undefined;
    send(res, extra.error ? 409 : 200, conversationPage(frameOf(req, member), { session, messages, reveal: !!extra.reveal, error: extra.error, position }), undefined, langCookie(req));
  };
  server.get(
    '/console/conversations/:id',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (member) await conversation(req, res, member);
    }),
  );
  server.get(
    '/console/conversations/:id/fragment',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const messages = await handoff.messages(sessionId(req));
      const first = messages.findIndex((m) => m.role === 'system');
      send(res, 200, transcriptFragment(frameOf(req, member), first < 0 ? messages : messages.slice(first)));
    }),
  );
  server.post(
    '/console/conversations/:id/take',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const id = sessionId(req);
      const taken = await handoff.take(id, agentOf(member));
      await staff.audit(who(member), taken ? 'take' : 'take-lost', `conversation:${id}`);
      redirect(res, taken ? `/console/conversations/${id}` : '/console?notice=taken-by-other');
    }),
  );
  server.post(
    '/console/conversations/:id/send',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const id = sessionId(req);
      try {
        await handoff.staffMessage(id, agentOf(member), field(req, 'text', 4000));
        await staff.audit(who(member), 'send', `conversation:${id}`);
        redirect(res, `/console/conversations/${id}`);
      } catch (err) {
        if (!(err instanceof HandoffError)) throw err;
        await staff.audit(who(member), 'send-failed', `conversation:${id}`, err.code);
        await conversation(req, res, member, { error: `console.error.${err.code}` });
      }
    }),
  );
  server.post(
    '/console/conversations/:id/hand-back',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const id = sessionId(req);
      const done = await handoff.handBack(id, agentOf(member));
      await staff.audit(who(member), done ? 'hand-back' : 'hand-back-refused', `conversation:${id}`);
      if (!done) return conversation(req, res, member, { error: 'console.error.not-holder' });
      redirect(res, '/console');
    }),
  );
  server.post(
    '/console/conversations/:id/reveal',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      await staff.audit(who(member), 'reveal', `conversation:${sessionId(req)}`);
      await conversation(req, res, member, { reveal: true });
    }),
  );

  // --- the audit (who did what), for supervisors and admins
  server.get(
    '/console/audit',
    handle(async (req, res) => {
      const member = await requireStaff(req, res, ['supervisor', 'admin']);
      if (!member) return;
      send(res, 200, auditPage(frameOf(req, member), await staff.auditLog(200)), undefined, langCookie(req));
    }),
  );

  // --- tickets
  server.get(
    '/console/tickets',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const get = (k: string) => (params.get(k) ?? '').trim().slice(0, 100) || undefined;
      const filter = { status: get('status'), category: get('category'), lang: get('language'), assignee: get('assignee'), q: get('q') };
      const page = await tickets.list({
        status: filter.status && isStatus(filter.status) ? filter.status : undefined,
        category: filter.category && isCategory(filter.category) ? filter.category : undefined,
        lang: filter.lang === 'ms' || filter.lang === 'en' ? filter.lang : undefined,
        assignee: filter.assignee,
        search: filter.q,
        limit: 100,
      });
      send(res, 200, inboxPage(frameOf(req, member), { items: page.items, total: page.total, filter, staff: await staff.list() }), undefined, langCookie(req));
    }),
  );
  const ticketView = async (req: Request, res: Response, member: StaffMember, extra: { reveal?: boolean; error?: string; notice?: string; status?: number } = {}) => {
    const ticket = await tickets.get(String(req.params.reference ?? ''));
    if (!ticket) return send(res, 404, messagePage(frameOf(req, member), 'console.not-found.title', 'console.not-found.text'));
    send(
      res,
      extra.status ?? 200,
      ticketPage(frameOf(req, member), { ticket, notes: await staff.notes(ticket.reference), staff: await staff.list(), files: await ticketFiles(ticket), reveal: !!extra.reveal, error: extra.error, notice: extra.notice }),
      undefined,
      langCookie(req),
    );
  };
  server.get(
    '/console/tickets/:reference',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const notice = new URL(req.url ?? '/', 'http://localhost').searchParams.get('notice');
      const known = ['replied', 'saved', 'noted'];
      await ticketView(req, res, member, { notice: notice && known.includes(notice) ? `console.notice.${notice}` : undefined });
    }),
  );
  // the files the customer attached in the web chat that raised the ticket
  const ticketFiles = async (ticket: Ticket): Promise<StoredAttachment[]> => {
    const conversationId = ticket.conversationRef?.conversation?.id;
    if (!deps.attachments || !keepsUploads(ticket.conversationRef?.channelId) || !conversationId) return [];
    return deps.attachments.list(conversationId);
  };
  server.get(
    '/console/tickets/:reference/attachments/:id',
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const reference = String(req.params.reference ?? '');
      const ticket = await tickets.get(reference).catch(() => undefined);
      const conversationId = ticket?.conversationRef?.conversation?.id;
      const file = ticket && conversationId && keepsUploads(ticket.conversationRef?.channelId) && deps.attachments ? await deps.attachments.get(conversationId, String(req.params.id ?? '')) : undefined;
      if (!file) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
      // a customer's file is personal data: every download is in the audit
      await staff.audit(who(member), 'attachment-download', reference, file.id);
      send(res, 200, file.data, file.contentType, {
        'content-disposition': `attachment; filename="${file.name.replace(/[^\w.\- ]+/g, '_')}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
    }),
  );
  const ticketAction = (what: string, act: (req: Request, member: StaffMember, reference: string) => Promise<string>) =>
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      const reference = String(req.params.reference ?? '');
      try {
        const notice = await act(req, member, reference);
        await staff.audit(who(member), `ticket-${what}`, reference);
        redirect(res, `/console/tickets/${encodeURIComponent(reference)}?notice=${notice}`);
      } catch (err) {
        if (!(err instanceof TicketError)) throw err;
        await staff.audit(who(member), `ticket-${what}-failed`, reference, err.code);
        if (err.code === 'not-found') return ticketView(req, res, member);
        await ticketView(req, res, member, { error: `console.error.ticket-${err.code}`, status: err.code === 'closed' ? 409 : 400 });
      }
    });
  server.post(
    '/console/tickets/:reference/reply',
    form,
    ticketAction('reply', async (req, member, reference) => {
      // the tickets service's own reply path: stored, then delivered through the proactive messenger (or e-mail)
      await tickets.reply(reference, { text: field(req, 'text'), author: member.displayName });
      return 'replied';
    }),
  );
  server.post(
    '/console/tickets/:reference/status',
    form,
    ticketAction('status', async (req, _member, reference) => {
      const status = field(req, 'status', 40);
      if (!isStatus(status)) throw new TicketError('invalid', 'unknown status');
      await tickets.update(reference, { status });
      return 'saved';
    }),
  );
  server.post(
    '/console/tickets/:reference/assign',
    form,
    ticketAction('assign', async (req, _member, reference) => {
      const assignee = field(req, 'assignee', 64);
      if (assignee && !(await staff.byUsername(assignee))) throw new TicketError('invalid', 'unknown staff member');
      await tickets.update(reference, { assignee: assignee || null });
      return 'saved';
    }),
  );
  server.post(
    '/console/tickets/:reference/note',
    form,
    ticketAction('note', async (req, member, reference) => {
      const ticket = await tickets.get(reference);
      if (!ticket) throw new TicketError('not-found', 'no ticket');
      try {
        await staff.addNote(ticket.reference, member.displayName, field(req, 'text'));
      } catch {
        throw new TicketError('invalid', 'empty note');
      }
      return 'noted';
    }),
  );
  server.post(
    '/console/tickets/:reference/reveal',
    form,
    handle(async (req, res) => {
      const member = await requireStaff(req, res);
      if (!member) return;
      await staff.audit(who(member), 'reveal', String(req.params.reference ?? '').slice(0, 40));
      await ticketView(req, res, member, { reveal: true });
    }),
  );
}

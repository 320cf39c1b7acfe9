/**
 * Support tickets as a feature: the ticket, ticket-status and my-tickets procedures, the delivery of ticket
 * confirmations a crash cut off (on the customer's next message, and proactively at start and every few
 * minutes), and the admin API under
 * /api/admin (bearer ADMIN_TOKEN, compared in constant time; no token configured → every request 401).
 *
 *   GET   /api/admin/openapi.json                 this API's OpenAPI description
 *   GET   /api/admin/tickets?status&category&channel&assignee&created_from&created_to&limit&offset
 *   GET   /api/admin/tickets/:reference
 *   PATCH /api/admin/tickets/:reference           { status?, assignee? }
 *   POST  /api/admin/tickets/:reference/replies   { text, author, status? } → delivered to the customer
 *
 * Requests are validated, and responses typed, with the zod schemas in ./tickets.schemas.ts; the OpenAPI document
 * (./tickets.openapi.ts) is generated from the same schemas.
 *
 * The admin API's JSON is written with control, bidi and invisible characters as \uXXXX escapes (jsonForStaff):
 * the same data once parsed, but nothing in a customer's text can drive the terminal of staff using curl.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { Request, Response } from 'restify';
import type { z } from 'zod';
import { TicketDialog, deliverConfirmation } from '../../dialogs/ticket';
import { TicketStatusDialog } from '../../dialogs/ticketStatus';
import { AdapterProactiveMessenger } from '../services/proactive';
import { AttachmentStore } from '../channels/directline/uploads';
import { keepsUploads } from '../channels';
import { TicketError, TicketService, adminView } from '../services/tickets';
import { adminOpenApi } from './tickets.openapi';
import { type AttachmentView, type ErrorView, type ReplyCreatedView, type TicketPageView, type TicketView, listQuery, patchBody, replyBody } from './tickets.schemas';
import type { Feature, FeatureDeps } from './types';
import { readBody } from '../server/body';
import { failureStatus, sendJson as sendJsonAs } from '../server/http';
import { jsonForStaff } from '../domain/controlChars';


const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** true when the request carries `Authorization: Bearer <token>` equal to the configured token (constant time). */
export function adminAuthorised(header: string | undefined, token: string | undefined): boolean {
  if (!token) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  // compare hashes: equal length whatever was sent, so the comparison time says nothing about the token
  const given = digest(m ? m[1]! : '');
  return timingSafeEqual(given, digest(token)) && !!m;
}

/** JSON for staff: customer text inside cannot carry raw control, bidi or invisible characters (see controlChars). */
function sendJson(res: Response, status: number, body: ErrorView | TicketPageView | TicketView | ReplyCreatedView | typeof adminOpenApi): void {
  sendJsonAs(res, status, body, jsonForStaff);
}

/**
 * A confirmation younger than this may belong to a turn still running (on this or another instance), which
 * marks it delivered itself once its replies are out: proactive delivery leaves it alone until then.
 */
const CONFIRMATION_GRACE_MS = 10_000;

function invalid(res: Response, error: z.ZodError): void {
  const issue = error.issues[0]!;
  const body: ErrorView = { error: 'invalid request', field: issue.path.join('.') || 'body', problem: issue.message };
  sendJson(res, 400, body);
}

export function createTicketService(deps: FeatureDeps): TicketService {
  return new TicketService({
    db: deps.db,
    mail: deps.mail,
    catalog: deps.catalog,
    log: deps.log.child({ feature: 'tickets' }),
    supportEmail: deps.config.SUPPORT_EMAIL,
    publicUrl: deps.config.publicUrl,
    proactive: deps.proactive,
  });
}

export function createTicketFeature(deps: FeatureDeps, service: TicketService = createTicketService(deps)): Feature {
  const log = deps.log.child({ feature: 'tickets' });
  if (!deps.config.SUPPORT_EMAIL) log.warn('SUPPORT_EMAIL is not set: customer service is not notified of new tickets by e-mail (tickets are still stored)');
  if (!deps.config.ADMIN_TOKEN) log.warn('ADMIN_TOKEN is not set: the admin API refuses every request');
  // whether a staff reply reached the conversation is known when the outbox's worker has tried it
  deps.outbound.worker.onOutcome((event) =>
    service.onOutboundOutcome({
      origin: event.row.origin,
      status: event.status,
      ...('reason' in event.outcome ? { reason: event.outcome.reason } : {}),
    }),
  );
  let pendingTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;

  return {
    name: 'tickets',
    dialogs: [
      new TicketDialog({ catalog: deps.catalog, tickets: service, log }),
      new TicketStatusDialog({ catalog: deps.catalog, tickets: service, rateLimiter: deps.rateLimiter, log }),
      new TicketStatusDialog({ catalog: deps.catalog, tickets: service, rateLimiter: deps.rateLimiter, log }, 'myTickets'),
    ],
    async onMessage(context) {
      // a confirmation promised in this conversation but cut off (the process stopped after the commit)
      const conversationId = context.activity.conversation?.id;
      if (!conversationId) return;
      try {
        for (const pending of await service.pendingConfirmations(context.activity.channelId, conversationId)) {
          await deliverConfirmation(context, service, log, pending);
        }
      } catch (err) {
        log.warn({ err }, 'could not look up pending ticket confirmations');
      }
    },
    routes(http) {
      // the Bot Framework adapter reaches every Bot Framework channel; WhatsApp attaches its own adapter
      if (deps.proactive instanceof AdapterProactiveMessenger && !deps.proactive.has('*')) deps.proactive.attach('*', http.adapter);

      const { server } = http;
      // JSON only (anything else → 415 before it is read), after the token check
      const json = readBody({ accept: ['json'], maxBodySize: 64 * 1024, maxDepth: deps.config.MAX_JSON_DEPTH });
      /** The token check runs first: an unauthenticated caller cannot make the server parse a body. */
      const auth = (req: Request, res: Response, next: restify.Next) => {
        if (adminAuthorised(req.header('authorization'), deps.config.ADMIN_TOKEN)) return next();
        log.info({ path: req.path(), configured: !!deps.config.ADMIN_TOKEN }, 'admin request refused');
        res.setHeader('www-authenticate', 'Bearer realm="admin"');
        sendJson(res, 401, { error: 'unauthorized' });
        return next(false);
      };
      const handle = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
        try {
          await handler(req, res);
        } catch (err) {
          if (err instanceof TicketError) {
            if (err.code === 'not-found') return sendJson(res, 404, { error: 'ticket not found' });
            if (err.code === 'closed') return sendJson(res, 409, { error: 'ticket is closed' });
            return sendJson(res, 400, { error: 'invalid request', problem: err.message });
          }
          // the database unreachable: 503 with Retry-After; anything else is a bug: 500
          const status = await failureStatus(res, () => http.databaseAnswers());
          log.error({ err, path: req.path(), status }, 'admin request failed');
          if (!res.headersSent) sendJson(res, status, { error: status === 503 ? 'temporarily unavailable; try again later' : 'internal error' });
        }
      };
      const body = (req: Request): unknown => (req.body === undefined || req.body === '' ? {} : req.body);

      server.get(
        '/api/admin/openapi.json',
        auth,
        handle(async (_req, res) => sendJson(res, 200, adminOpenApi)),
      );
      server.get(
        '/api/admin/tickets',
        auth,
        handle(async (req, res) => {
          const params = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
          const parsed = listQuery.safeParse(params);
          if (!parsed.success) return invalid(res, parsed.error);
          const q = parsed.data;
          const page: TicketPageView = await service.list({
            status: q.status,
            category: q.category,
            channel: q.channel,
            assignee: q.assignee,
            createdFrom: q.created_from,
            createdTo: q.created_to,
            limit: q.limit,
            offset: q.offset,
          });
          sendJson(res, 200, page);
        }),
      );
      server.get(
        '/api/admin/tickets/:reference',
        auth,
        handle(async (req, res) => {
          const ticket = await service.get(String(req.params.reference ?? ''));
          if (!ticket) return sendJson(res, 404, { error: 'ticket not found' });
          const view: TicketView = adminView(ticket);
          // the files of a web chat conversation (the web chat's table; none for other channels)
          const conversationId = ticket.conversationRef?.conversation?.id;
          if (keepsUploads(ticket.conversationRef?.channelId) && conversationId) {
            const files = await new AttachmentStore(deps.db).list(conversationId);
            view.attachments = files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType as AttachmentView['contentType'], size: f.size, createdAt: new Date(f.createdAt).toISOString() }));
          }
          sendJson(res, 200, view);
        }),
      );
      server.patch(
        '/api/admin/tickets/:reference',
        auth,
        json,
        handle(async (req, res) => {
          const parsed = patchBody.safeParse(body(req));
          if (!parsed.success) return invalid(res, parsed.error);
          const ticket = await service.update(String(req.params.reference ?? ''), parsed.data);
          log.info({ reference: ticket.reference, status: parsed.data.status }, 'ticket changed through the admin API');
          const view: TicketView = adminView(ticket);
          // the files of a web chat conversation (the web chat's table; none for other channels)
          const conversationId = ticket.conversationRef?.conversation?.id;
          if (keepsUploads(ticket.conversationRef?.channelId) && conversationId) {
            const files = await new AttachmentStore(deps.db).list(conversationId);
            view.attachments = files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType as AttachmentView['contentType'], size: f.size, createdAt: new Date(f.createdAt).toISOString() }));
          }
          sendJson(res, 200, view);
        }),
      );
      server.post(
        '/api/admin/tickets/:reference/replies',
        auth,
        json,
        handle(async (req, res) => {
          const parsed = replyBody.safeParse(body(req));
          if (!parsed.success) return invalid(res, parsed.error);
          const { ticket, reply } = await service.reply(String(req.params.reference ?? ''), parsed.data);
          const created: ReplyCreatedView = { ticket: adminView(ticket), reply };
          sendJson(res, 201, created);
        }),
      );
    },
    start() {
      // replies stored but not delivered when the process stopped
      // and ticket confirmations promised but cut off, where the conversation can be reached
      const run = async () => {
        await service.deliverPending().catch((err: unknown) => log.warn({ err }, 'could not deliver pending ticket replies'));
        await service
          .deliverPendingConfirmations({ olderThanMs: CONFIRMATION_GRACE_MS })
          .catch((err: unknown) => log.warn({ err }, 'could not deliver pending ticket confirmations'));
      };
      void run();
      // once more when confirmations cut off just before the restart are past their grace period
      graceTimer = setTimeout(() => void run(), CONFIRMATION_GRACE_MS + 1000);
      graceTimer.unref();
      pendingTimer = setInterval(run, 5 * 60_000);
      pendingTimer.unref();
    },
    async stop() {
      if (pendingTimer) clearInterval(pendingTimer);
      if (graceTimer) clearTimeout(graceTimer);
    },
  };
}

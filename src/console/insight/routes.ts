/**
 * The staff console's insight pages and their API, mounted behind ONE authorisation function
 * (`authorize(req)` → the staff member and role, or null). Every route asks it first; reading needs any staff
 * role, changing the knowledge needs supervisor or admin. In this branch it is the admin bearer token
 * (src/features/insight.ts: adminTokenAuthorizer); the console's sign-in replaces it.
 *
 *   GET  /console/dashboard?from&to&lang&ui     charts and tables (server-rendered; charts drawn by uPlot)
 *   GET  /console/dashboard.csv?from&to&lang    the per-day figures as CSV
 *   GET  /console/dashboard.json?from&to&lang   every aggregate as JSON
 *   GET  /console/knowledge?ui                  unanswered and "didn't help" questions by nearest entry; the change log
 *   GET  /console/knowledge/changes             the change log (JSON)
 *   POST /console/knowledge/paraphrases         { entryId, lang, text } → 201 (validated like kb:check) | 400
 *   POST /console/knowledge/entries             { entry: <a pack entry> } → 201 | 400
 *   POST /console/knowledge/changes/:id/revert  → 200 | 404
 *   GET  /console/assets/{uplot.min.js,uplot.min.css,insight.js,insight.css}
 */
import fs from 'node:fs';
import { escapeHtml } from '../../domain/text';
import path from 'node:path';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { KnowledgeBase, Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import type { Logger } from '../../logging';
import { type KnowledgeOverlay, OverlayError } from '../../knowledge/overlay';
import { normalise } from '../../knowledge/lint';
import type { InsightLog } from '../../services/insight';
import type { UnansweredLog } from '../../services/unanswered';
import { todayInKualaLumpur, toIsoDate } from '../../domain/dates';
import { readBody } from '../../server/body';
import { failureStatus, sendJson } from '../../server/http';
import { jsonForStaff } from '../../domain/controlChars';
import { dashboardCsv, dashboardPage, knowledgePage, type QuestionGroup } from './pages';

export type StaffRole = 'agent' | 'supervisor' | 'admin';
/** The staff member behind a request, or null; `csrf`: the token a signed-in page's scripts send back (X-CSRF-Token). */
export type StaffAuthorizer = (req: Request) => Promise<{ id: string; role: StaffRole; csrf?: string } | null>;

/** Several ways in (the console's sign-in, the admin bearer token for machine clients): the first that knows the caller. */
export function anyOf(...authorizers: StaffAuthorizer[]): StaffAuthorizer {
  return async (req) => {
    for (const authorize of authorizers) {
      const staff = await authorize(req);
      if (staff) return staff;
    }
    return null;
  };
}

export interface InsightRoutesDeps {
  authorize: StaffAuthorizer;
  catalog: MessageCatalog;
  insight: InsightLog;
  overlay: KnowledgeOverlay;
  unanswered: UnansweredLog;
  /** The knowledge the bot runs now (overlay applied). */
  knowledge(): KnowledgeBase;
  /** Applies the overlay on this instance at once (other instances follow within KNOWLEDGE_POLL_MS). */
  refresh(): Promise<boolean>;
  log: Logger;
  databaseAnswers(): Promise<boolean>;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  'uplot.min.js': { file: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.min.css': { file: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
  'insight.js': { file: path.join(consoleAssetsDir(), 'insight.js'), type: 'text/javascript; charset=utf-8' },
  'insight.css': { file: path.join(consoleAssetsDir(), 'insight.css'), type: 'text/css; charset=utf-8' },
};

/** public/console (the pages' script and style), from src/console/insight (ts-jest) or dist/src/console/insight (built). */
function consoleAssetsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'public', 'console');
    if (fs.existsSync(path.join(candidate, 'insight.js'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('console pages: public/console/insight.js not found');
  }
}

export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 366;

/** The period asked for (default: the last 14 days in Kuala Lumpur), at most MAX_RANGE_DAYS. */
export function period(query: URLSearchParams, now = new Date()): { from: string; to: string; lang?: Lang } {
  const today = toIsoDate(todayInKualaLumpur(now));
  let to = query.get('to') ?? '';
  if (!DAY.test(to) || Number.isNaN(Date.parse(to))) to = today;
  let from = query.get('from') ?? '';
  const earliest = new Date(Date.parse(to) - (MAX_RANGE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  if (!DAY.test(from) || Number.isNaN(Date.parse(from))) from = new Date(Date.parse(to) - 13 * 86_400_000).toISOString().slice(0, 10);
  if (from < earliest) from = earliest;
  if (from > to) from = to;
  const lang = query.get('lang');
  return { from, to, ...(lang === 'ms' || lang === 'en' ? { lang } : {}) };
}

function uiLang(query: URLSearchParams): Lang {
  return query.get('ui') === 'en' ? 'en' : 'ms';
}

const paraphraseBody = z.object({ entryId: z.string().min(3).max(128), lang: z.enum(['ms', 'en']), text: z.string().min(1).max(2000) }).strict();
const entryBody = z.object({ entry: z.record(z.string(), z.unknown()) }).strict();

/** Groups questions (unanswered, and answered but "didn't help") by the bot's nearest entry; counts repeats. */
export function groupQuestions(
  unanswered: Array<{ text: string; lang: string; topEntry: string | null }>,
  notHelpful: Array<{ text: string; lang: string; entryId: string }>,
  maxPerGroup = 20,
): QuestionGroup[] {
  const groups = new Map<string, QuestionGroup>();
  const add = (entry: string | null, text: string, lang: string, source: 'unanswered' | 'notHelpful') => {
    const key = entry ?? '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { entryId: entry, questions: [], total: 0 }));
    g.total++;
    const norm = normalise(text);
    const q = g.questions.find((x) => x.norm === norm && x.lang === lang);
    if (q) q.count++;
    else if (g.questions.length < maxPerGroup) g.questions.push({ text, lang: lang === 'en' ? 'en' : 'ms', count: 1, source, norm });
  };
  for (const u of unanswered) add(u.topEntry, u.text, u.lang, 'unanswered');
  for (const n of notHelpful) add(n.entryId, n.text, n.lang, 'notHelpful');
  for (const g of groups.values()) g.questions.sort((a, b) => b.count - a.count);
  return [...groups.values()].sort((a, b) => b.total - a.total);
}

export function mountInsight(server: Server, deps: InsightRoutesDeps): void {
  const { catalog, log } = deps;
  const json = readBody({ accept: ['json'], maxBodySize: 64 * 1024, maxDepth: 16 });

  type Staff = { id: string; role: StaffRole; csrf?: string };
  const guarded =
    (need: 'read' | 'supervise' | 'write', handler: (req: Request, res: Response, staff: Staff) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      const staff = await deps.authorize(req).catch(() => null);
      if (!staff && req.method === 'GET' && !req.header('authorization') && /text\/html/.test(String(req.header('accept') ?? ''))) {
        // a person in a browser: to the console's sign-in, and back here after it
        res.writeHead(303, { location: `/console/sign-in?next=${encodeURIComponent(req.path())}`, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (!staff) {
        res.setHeader('www-authenticate', 'Bearer realm="console"');
        sendJson(res, 401, { error: 'unauthorized' });
        return;
      }
      // the dashboard is the supervisors' (issue 19); changing the knowledge too; reading it, any staff
      if ((need === 'write' || need === 'supervise') && staff.role === 'agent') {
        sendJson(res, 403, { error: 'forbidden' });
        return;
      }
      try {
        await handler(req, res, staff);
      } catch (err) {
        const status = await failureStatus(res, deps.databaseAnswers);
        log.error({ err, path: req.path(), status }, 'console insight request failed');
        if (!res.headersSent) sendJson(res, status, { error: status === 503 ? 'temporarily unavailable; try again later' : 'internal error' });
      }
    };
  const query = (req: Request) => new URL(req.url ?? '/', 'http://localhost').searchParams;
  const html = (res: Response, body: string, lang: Lang, staff?: Staff) => {
    // a signed-in page's scripts send the session's CSRF token back with every change (X-CSRF-Token)
    if (staff?.csrf) body = body.replace('<head>', `<head><meta name="csrf-token" content="${escapeHtml(staff.csrf)}">`);
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-language': lang });
    res.end(body);
  };

  server.get('/console/assets/:name', async (req: Request, res: Response) => {
    const asset = ASSETS[String(req.params.name)];
    if (!asset) return sendJson(res, 404, { error: 'not found' });
    const body = await fs.promises.readFile(asset.file);
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.end(body);
  });

  server.get(
    '/console/dashboard',
    guarded('supervise', async (req, res, staff) => {
      const q = query(req);
      const p = period(q);
      const data = await deps.insight.dashboard(p.from, p.to, p.lang);
      html(res, dashboardPage(catalog, uiLang(q), data, p.lang), uiLang(q), staff);
    }),
  );
  server.get(
    '/console/dashboard.json',
    guarded('supervise', async (req, res) => {
      const p = period(query(req));
      sendJson(res, 200, await deps.insight.dashboard(p.from, p.to, p.lang), jsonForStaff);
    }),
  );
  server.get(
    '/console/dashboard.csv',
    guarded('supervise', async (req, res) => {
      const p = period(query(req));
      const data = await deps.insight.dashboard(p.from, p.to, p.lang);
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="dashboard-${p.from}-${p.to}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(dashboardCsv(data));
    }),
  );
  server.get(
    '/console/knowledge',
    guarded('read', async (req, res, staff) => {
      const q = query(req);
      const since = new Date(Date.now() - 30 * 86_400_000);
      const [unanswered, notHelpful, changes] = await Promise.all([
        deps.unanswered.list({ limit: 500, sinceDays: 30 }),
        deps.insight.notHelpful(since.toISOString(), 500),
        deps.overlay.list(100),
      ]);
      const groups = groupQuestions(unanswered, notHelpful).slice(0, 30);
      const lang = uiLang(q);
      html(res, knowledgePage(catalog, lang, { groups, changes, knowledge: deps.knowledge(), canWrite: staff.role !== 'agent' }), lang, staff);
    }),
  );
  server.get(
    '/console/knowledge/changes',
    guarded('read', async (_req, res) => sendJson(res, 200, { changes: await deps.overlay.list(500) }, jsonForStaff)),
  );
  const changed = async (res: Response, work: () => Promise<unknown>) => {
    try {
      const change = await work();
      await deps.refresh();
      sendJson(res, 201, { change }, jsonForStaff);
    } catch (err) {
      if (err instanceof OverlayError) return sendJson(res, 400, { error: 'invalid change', problem: err.message }, jsonForStaff);
      throw err;
    }
  };
  // writes: the staff check first, then the body is read (an unauthenticated caller cannot make the server parse one)
  const staffFirst = (need: 'write') => (req: Request, res: Response, next: Next) => {
    deps.authorize(req).then(
      (staff) => {
        if (!staff) {
          res.setHeader('www-authenticate', 'Bearer realm="console"');
          sendJson(res, 401, { error: 'unauthorized' });
          return next(false);
        }
        if (need === 'write' && staff.role === 'agent') {
          sendJson(res, 403, { error: 'forbidden' });
          return next(false);
        }
        return next();
      },
      () => {
        sendJson(res, 401, { error: 'unauthorized' });
        next(false);
      },
    );
  };
  const invalid = (res: Response, error: z.ZodError) => {
    const issue = error.issues[0]!;
    sendJson(res, 400, { error: 'invalid request', field: issue.path.join('.') || 'body', problem: issue.message }, jsonForStaff);
  };
  server.post(
    '/console/knowledge/paraphrases',
    staffFirst('write'),
    json,
    guarded('write', async (req, res, staff) => {
      const body = paraphraseBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      await changed(res, () => deps.overlay.addParaphrase({ ...body.data, author: staff.id }, deps.knowledge()));
    }),
  );
  server.post(
    '/console/knowledge/entries',
    staffFirst('write'),
    json,
    guarded('write', async (req, res, staff) => {
      const body = entryBody.safeParse(req.body);
      if (!body.success) return invalid(res, body.error);
      await changed(res, () => deps.overlay.addEntry({ doc: body.data.entry, author: staff.id }));
    }),
  );
  server.post(
    '/console/knowledge/changes/:id/revert',
    staffFirst('write'),
    guarded('write', async (req, res, staff) => {
      const id = Number(req.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) return sendJson(res, 404, { error: 'no such change' });
      try {
        await deps.overlay.revert(id, staff.id);
      } catch (err) {
        if (err instanceof OverlayError) return sendJson(res, 404, { error: 'no such change' });
        throw err;
      }
      await deps.refresh();
      sendJson(res, 200, { reverted: id });
    }),
  );
}

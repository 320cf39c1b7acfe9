/**
 * Who is signed in to the console: the session cookie, the CSRF check, the role check. See ./index.ts for
 * how other pages use requireStaff.
 *
 * Cookies: `console_session` (HttpOnly, SameSite=Strict, Path=/console, Secure when PUBLIC_URL is https;
 * only its sha256 is stored) and, before sign-in, `console_csrf` (the sign-in form's double-submit token).
 * Every state-changing request (anything but GET/HEAD) must carry the session's CSRF token in the `_csrf`
 * form field or the `X-CSRF-Token` header, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { StaffMember, StaffRole, StaffService, StaffSession } from '../services/staff';
import { messagePage, translator } from './pages';

export const SESSION_COOKIE = 'console_session';
export const PRE_CSRF_COOKIE = 'console_csrf';
export const LANG_COOKIE = 'console_lang';

const SESSION = Symbol('staffSession');

export function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function cookieHeader(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/console; HttpOnly; SameSite=Strict${options.maxAgeSeconds !== undefined ? `; Max-Age=${options.maxAgeSeconds}` : ''}${options.secure ? '; Secure' : ''}`;
}

export function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return a !== '' && b !== '' && timingSafeEqual(h(a), h(b)) && a.length === b.length;
}

/** The form field or header a state-changing request carries its CSRF token in. */
export function sentCsrf(req: Request): string {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const field = typeof body._csrf === 'string' ? body._csrf : '';
  return field || String(req.header('x-csrf-token') ?? '');
}

/** The console's language: ?lang=, else the cookie, else the browser's first choice if English, else Malay. */
export function consoleLang(req: Request): Lang {
  const q = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
  if (q === 'ms' || q === 'en') return q;
  const c = cookie(req, LANG_COOKIE);
  if (c === 'ms' || c === 'en') return c;
  return /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'ms';
}

/** The signed-in session requireStaff found for this request (for the CSRF token of the page's forms). */
export function staffSessionOf(req: Request): StaffSession | undefined {
  return (req as unknown as Record<symbol, StaffSession | undefined>)[SESSION];
}

export type RequireStaff = (req: Request, res: Response, roles?: readonly StaffRole[]) => Promise<StaffMember | null>;

export interface GuardOptions {
  staff: StaffService;
  /**
   * Answers a refused request, in the console's language: 401 (a form posted without a session, e.g. after
   * it expired) or 403 (the wrong role, a missing or wrong CSRF token).
   */
  refuse: (req: Request, res: Response, status: 401 | 403) => void;
}

/**
 * Builds requireStaff: resolves to the signed-in staff member, or answers the request itself and resolves
 * to null (not signed in: a GET is redirected to the sign-in page, anything else gets 401; the wrong role
 * or a missing/wrong CSRF token on a state-changing request: 403).
 */
export function createRequireStaff(options: GuardOptions): RequireStaff {
  return async (req, res, roles) => {
    const token = cookie(req, SESSION_COOKIE) ?? '';
    const session = token ? await options.staff.session(token) : undefined;
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const url = new URL(req.url ?? '/console', 'http://localhost');
        const lang = url.searchParams.get('lang');
        res.status(303);
        res.setHeader('Location', `/console/sign-in?next=${encodeURIComponent(url.pathname)}${lang === 'ms' || lang === 'en' ? `&lang=${lang}` : ''}`);
        res.setHeader('Cache-Control', 'no-store');
        res.end();
      } else options.refuse(req, res, 401);
      return null;
    }
    if (roles && roles.length > 0 && !roles.includes(session.staff.role)) {
      options.refuse(req, res, 403);
      return null;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !safeEqual(sentCsrf(req), session.csrf)) {
      options.refuse(req, res, 403);
      return null;
    }
    (req as unknown as Record<symbol, StaffSession>)[SESSION] = session;
    return session.staff;
  };
}

/**
 * The console's sign-in for pages mounted elsewhere that check access themselves (the insight pages): the signed-in
 * staff member, or null. A state-changing request must carry the session's CSRF token in the X-CSRF-Token header
 * (these callers read JSON bodies after the check, so the form field is not available). Answers nothing itself.
 */
export function createSessionAuthorizer(staff: StaffService): (req: Request) => Promise<{ id: string; role: StaffRole; csrf: string } | null> {
  return async (req) => {
    const token = cookie(req, SESSION_COOKIE) ?? '';
    const session = token ? await staff.session(token) : undefined;
    if (!session) return null;
    if (req.method !== 'GET' && req.method !== 'HEAD' && !safeEqual(String(req.header('x-csrf-token') ?? ''), session.csrf)) return null;
    return { id: session.staff.username, role: session.staff.role, csrf: session.csrf };
  };
}

/**
 * How the console refuses a request (createRequireStaff's `refuse`): a page in the console's language, 401
 * "sign in again" (a form posted after the session ended) or 403 "not allowed".
 */
export function consoleRefusal(catalog: MessageCatalog): GuardOptions['refuse'] {
  return (req, res, status) => {
    const lang = consoleLang(req);
    const key = status === 401 ? 'console.sign-in-first' : 'console.forbidden';
    res.status(status);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(messagePage({ lang, t: translator(catalog, lang), path: '/console' }, `${key}.title`, `${key}.text`));
  };
}

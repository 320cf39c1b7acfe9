/**
 * GET /migrate/:token — the form, prefilled with the legacy details; POST /migrate/:token — the submit.
 * Each load of the form gets a random nonce; its CSRF value (an HMAC of the migration token's hash and the
 * nonce under a server secret) travels in a hidden field and a SameSite=Strict cookie and must match both
 * on POST. Used or expired links get 410, unknown links 404, a failure 500 (503 with Retry-After while the
 * database is unreachable), a body that is not a urlencoded form 415 before it is read — always an HTML page
 * in the customer's language, never a stack trace.
 *
 * Completion is idempotent (issue 13): the transaction that migrates the account also burns the token and
 * records the hash of the submitting form's CSRF value. If the process dies after that commit and before
 * the answer, the same browser's resubmit (or reload of the link) finds its own completion and gets the
 * success page again; any other use of the link gets the honest "already used" page.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type restify from 'restify';
import type { Request, Response } from 'restify';
import type { DB } from '../../db/schema';
import { maskMyKad, maskPassport, maskEmail } from '../../domain';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import type { Logger } from '../../logging';
import type { LegacyAccount, LegacyAccountDirectory } from '../../services/legacyAccounts';
import { hashToken, hmac, type MigrationTokens, safeEqual } from '../../services/migrationTokens';
import { readBody } from '../../server/body';
import { failureStatus } from '../../server/http';
import { hashPassword, validateMigrationForm } from './form';
import { type MessagePage, SECURITY_HEADERS, formPage, messagePage } from './pages';

export interface MigrationRoutesDeps {
  catalog: MessageCatalog;
  tokens: MigrationTokens;
  directory: LegacyAccountDirectory;
  db: Kysely<DB>;
  log: Logger;
  publicUrl: string;
  /** The CSRF key. */
  secret: () => Promise<Buffer>;
  /** The database answers now (a failure is then a 500, otherwise a 503). */
  databaseAnswers: () => Promise<boolean>;
}

const COOKIE = 'mig_csrf';

function queryLang(req: Request): Lang | undefined {
  const lang = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
  return lang === 'ms' || lang === 'en' ? lang : undefined;
}

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function html(res: Response, status: number, body: string, extra: Record<string, string> = {}): void {
  res.status(status);
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...extra })) res.setHeader(k, v);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(body);
}

function accountLabel(account: LegacyAccount): string {
  return account.mykad ? maskMyKad(account.mykad) : account.passport ? maskPassport(account.passport) : maskEmail(account.email);
}

export function registerMigrationRoutes(server: restify.Server, deps: MigrationRoutesDeps): void {
  const { catalog, tokens, directory, log } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  const path = (token: string) => `/migrate/${encodeURIComponent(token)}`;
  const other = (token: string, lang: Lang) => `${path(token)}?lang=${lang === 'ms' ? 'en' : 'ms'}`;
  const statusOf: Record<'expired' | 'used' | 'unknown', number> = { expired: 410, used: 410, unknown: 404 };

  const csrfFor = async (tokenHash: string, nonce: string) => hmac(await deps.secret(), 'csrf', tokenHash, nonce);
  const completionOf = (csrf: string) => createHash('sha256').update(csrf).digest('hex');
  const clearCookie = { 'Set-Cookie': `${COOKIE}=; Path=/migrate; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}` };
  /** This browser completed the migration of this link: its cookie (and form) carry the recorded CSRF value. */
  const ownCompletion = (state: { completionHash?: string }, csrf: string) =>
    !!state.completionHash && csrf !== '' && safeEqual(completionOf(csrf), state.completionHash);

  const page = (res: Response, status: number, lang: Lang, which: MessagePage) => html(res, status, messagePage(catalog, lang, which));
  /** An unexpected failure: 503 with Retry-After while the database is unreachable, else 500. */
  const failed = async (res: Response, lang: Lang, err: unknown, what: string) => {
    const status = await failureStatus(res, deps.databaseAnswers);
    log.error({ err, status }, what);
    page(res, status, lang, 'error');
  };
  /** Only a urlencoded form of at most 16 KiB is read; anything else is refused from its headers. */
  const formBody = readBody({
    accept: ['form'],
    maxBodySize: 16 * 1024,
    refuse: (req, res, status) => page(res, status, queryLang(req) ?? 'ms', 'error'),
  });

  server.get('/migrate/:token', async (req: Request, res: Response) => {
    const token = String(req.params.token ?? '');
    let lang: Lang = queryLang(req) ?? 'ms';
    try {
      const state = await tokens.inspect(token);
      if (state.status !== 'unknown') lang = queryLang(req) ?? state.lang;
      if (state.status === 'used' && ownCompletion(state, cookie(req, COOKIE) ?? '')) {
        return html(res, 200, messagePage(catalog, lang, 'done'), clearCookie);
      }
      if (state.status !== 'valid') return page(res, statusOf[state.status], lang, state.status);
      const account = await directory.get(state.accountId);
      if (!account) return page(res, 404, lang, 'unknown');
      const nonce = randomBytes(16).toString('base64url');
      const csrf = await csrfFor(state.tokenHash, nonce);
      const body = formPage(catalog, {
        lang,
        action: path(token),
        csrf,
        nonce,
        values: { name: account.name, phone: account.phone ?? '', email: account.email },
        otherLangHref: other(token, lang),
        account: accountLabel(account),
      });
      html(res, 200, body, {
        'Set-Cookie': `${COOKIE}=${csrf}; Path=/migrate; HttpOnly; SameSite=Strict; Max-Age=3600${secure ? '; Secure' : ''}`,
      });
    } catch (err) {
      await failed(res, lang, err, 'migration form failed');
    }
  });

  server.post(
    '/migrate/:token',
    formBody,
    async (req: Request, res: Response) => {
      const token = String(req.params.token ?? '');
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      let lang: Lang = body.lang === 'en' || body.lang === 'ms' ? body.lang : 'ms';
      try {
        const state = await tokens.inspect(token);
        if (state.status !== 'unknown' && !(body.lang === 'en' || body.lang === 'ms')) lang = state.lang;
        if (state.status === 'unknown' || state.status === 'expired') return page(res, statusOf[state.status], lang, state.status);
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return page(res, 415, lang, 'error');
        const nonce = typeof body._nonce === 'string' ? body._nonce.slice(0, 64) : '';
        const expected = await csrfFor(state.tokenHash, nonce);
        const sent = typeof body._csrf === 'string' ? body._csrf : '';
        const fromCookie = cookie(req, COOKIE) ?? '';
        const csrfOk = nonce !== '' && safeEqual(sent, expected) && safeEqual(fromCookie, expected);
        if (state.status === 'used') {
          // the resubmit of the very form whose submit completed the migration (a crash before the answer)
          if (csrfOk && ownCompletion(state, expected)) {
            log.info({ token: state.tokenHash.slice(0, 8) }, 'migration form resubmitted after completion: success page again');
            return html(res, 200, messagePage(catalog, lang, 'done'), clearCookie);
          }
          return page(res, 410, lang, 'used');
        }
        if (!csrfOk) {
          log.warn({ reqId: req.getId() }, 'migration form rejected: CSRF token missing or wrong');
          return page(res, 403, lang, 'csrf');
        }
        const account = await directory.get(state.accountId);
        if (!account) return page(res, 404, lang, 'unknown');
        const checked = validateMigrationForm(body, {
          names: [account.name],
          emails: [account.email],
          numbers: [account.mykad, account.passport, account.phone].filter((v): v is string => !!v),
        });
        if (!checked.ok) {
          const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
          return html(
            res,
            422,
            formPage(catalog, {
              lang,
              action: path(token),
              csrf: expected,
              nonce,
              values: { name: str('name'), phone: str('phone'), email: str('email') },
              errors: checked.errors,
              otherLangHref: other(token, lang),
              account: accountLabel(account),
            }),
          );
        }
        const passwordHash = await hashPassword(checked.value.password);
        const burned = await deps.db.transaction().execute(async (trx) => {
          if (!(await tokens.consume(token, trx, completionOf(expected)))) return false;
          await directory.markMigrated(
            account.id,
            { name: checked.value.name, phone: checked.value.phone, email: checked.value.email, passwordHash },
            trx,
          );
          return true;
        });
        if (!burned) {
          // another submit won the race: if it was this same form (a double click), it is this one's success too
          const now = await tokens.inspect(token);
          if (now.status === 'used' && ownCompletion(now, expected)) return html(res, 200, messagePage(catalog, lang, 'done'), clearCookie);
          return page(res, 410, lang, 'used');
        }
        log.info(
          { account: accountLabel(account), emailChanged: checked.value.email.toLowerCase() !== account.email.toLowerCase(), token: hashToken(token).slice(0, 8) },
          'legacy account migrated',
        );
        html(res, 200, messagePage(catalog, lang, 'done'), clearCookie);
      } catch (err) {
        await failed(res, lang, err, 'migration submit failed');
      }
    },
  );
}

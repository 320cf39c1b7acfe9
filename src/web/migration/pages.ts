/**
 * Server-rendered pages of the migration link: the form, the confirmation, and the pages for a used,
 * expired or unknown link and for a failure. One language per page (the link's, or ?lang=), a link to the
 * other language, labels bound to their fields, errors announced (role="alert") and tied to their field
 * (aria-describedby). No script at all; the one inline style is allowed by its hash in the CSP.
 */
import { createHash } from 'node:crypto';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import { escapeHtml } from '../../domain/text';
import type { FieldName } from './form';

const STYLE = `
body{margin:0;background:#f4f5f7;color:#1d2129;font:16px/1.5 Arial,Helvetica,sans-serif}
main{max-width:560px;margin:0 auto;padding:24px;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:1.5rem;margin:0 0 12px}
.lang{text-align:right;margin:0 0 8px}
label{display:block;font-weight:bold;margin:16px 0 4px}
input{width:100%;box-sizing:border-box;padding:10px;font-size:1rem;border:1px solid #767676;border-radius:4px}
input:focus{outline:3px solid #0b5cad;outline-offset:1px}
input[aria-invalid=true]{border:2px solid #b00020}
.hint{font-size:.9rem;color:#444;margin:4px 0 0}
.error{color:#b00020;font-weight:bold;margin:4px 0 0}
.summary{border:2px solid #b00020;padding:12px;margin:16px 0;border-radius:4px}
button{margin-top:24px;padding:12px 20px;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:6px;cursor:pointer}
button:focus{outline:3px solid #1d2129;outline-offset:2px}
a{color:#0b5cad}
`.trim();

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function layout(catalog: MessageCatalog, lang: Lang, title: string, body: string, otherLangHref?: string): string {
  const other: Lang = lang === 'ms' ? 'en' : 'ms';
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="robots" content="noindex,nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    otherLangHref
      ? `<p class="lang"><a href="${escapeHtml(otherLangHref)}" lang="${other}" hreflang="${other}">${escapeHtml(catalog.t(other, 'migration.page.this-lang'))}</a></p>`
      : '',
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</main></body></html>',
  ].join('\n');
}

export type MessagePage = 'done' | 'expired' | 'used' | 'unknown' | 'error' | 'csrf' | 'busy';

export function messagePage(catalog: MessageCatalog, lang: Lang, page: MessagePage, otherLangHref?: string): string {
  const text = catalog.t(lang, `migration.page.${page}-text`);
  return layout(catalog, lang, catalog.t(lang, `migration.page.${page}-title`), `<p>${escapeHtml(text)}</p>`, otherLangHref);
}

export interface FormView {
  lang: Lang;
  action: string;
  csrf: string;
  /** The per-load form nonce (the CSRF value is its HMAC; a completed migration records its hash). */
  nonce: string;
  values: { name: string; phone: string; email: string };
  errors?: Partial<Record<FieldName, string>>;
  otherLangHref: string;
  /** The masked identifier of the old account. */
  account: string;
}

export function formPage(catalog: MessageCatalog, view: FormView): string {
  const { lang, errors = {} } = view;
  const t = (key: string, vars?: Record<string, string | number>) => escapeHtml(catalog.t(lang, key, vars));
  const field = (name: FieldName, type: string, autocomplete: string, value: string | undefined, hintKey?: string) => {
    const error = errors[name];
    const describedBy = [hintKey ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return [
      `<label for="${name}">${t(`migration.page.field.${name}`)}</label>`,
      `<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required` +
        (value !== undefined ? ` value="${escapeHtml(value)}"` : '') +
        (describedBy ? ` aria-describedby="${describedBy}"` : '') +
        (error ? ' aria-invalid="true"' : '') +
        '>',
      hintKey ? `<p class="hint" id="${name}-hint">${t(hintKey)}</p>` : '',
      error ? `<p class="error" id="${name}-error">${t(error)}</p>` : '',
    ].join('\n');
  };
  const errorList = Object.entries(errors)
    .filter(([, key]) => key)
    .map(([name, key]) => `<li><a href="#${name}">${t(key!)}</a></li>`)
    .join('');
  const body = [
    `<p>${t('migration.page.intro', { account: view.account })}</p>`,
    errorList ? `<div class="summary" role="alert"><p><strong>${t('migration.page.errors-title')}</strong></p><ul>${errorList}</ul></div>` : '',
    `<form method="post" action="${escapeHtml(view.action)}" novalidate>`,
    `<input type="hidden" name="_csrf" value="${escapeHtml(view.csrf)}">`,
    `<input type="hidden" name="_nonce" value="${escapeHtml(view.nonce)}">`,
    `<input type="hidden" name="lang" value="${lang}">`,
    field('name', 'text', 'name', view.values.name),
    field('phone', 'tel', 'tel', view.values.phone, 'migration.page.hint.phone'),
    field('email', 'email', 'email', view.values.email, 'migration.page.hint.email'),
    field('password', 'password', 'new-password', undefined, 'migration.page.hint.password'),
    field('password_confirm', 'password', 'new-password', undefined),
    `<button type="submit">${t('migration.page.submit')}</button>`,
    '</form>',
  ].join('\n');
  return layout(catalog, lang, catalog.t(lang, 'migration.page.form-title'), body, view.otherLangHref);
}

/**
 * The console's server-rendered pages, one language per page (Malay or English, from the message catalog),
 * every value escaped. A small script (/console/console.js, allowed by the CSP as 'self') refreshes the
 * parts marked data-refresh every two seconds (short polling: every instance reads the same database, so
 * it works behind a load balancer without sticky sessions); without JavaScript the pages work on reload.
 */
import { createHash } from 'node:crypto';
import { maskEmail, maskPhone } from '../domain';
import { redactPersonalData } from '../domain/pii';
import { escapeHtml } from '../domain/text';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { HandoffMessage, HandoffSession, QueuePlace } from '../services/handoff';
import type { AuditEntry, StaffMember } from '../services/staff';
import { TICKET_CATEGORIES, TICKET_STATUSES, type Ticket, type TicketSummary } from '../services/tickets';
import type { StoredAttachment } from '../channels/directline/uploads';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1d2129;font:15px/1.45 Arial,Helvetica,sans-serif}
header{background:#0b3d6e;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:12px;align-items:center}
header a,header button{color:#fff}
header nav{display:flex;gap:12px;flex-wrap:wrap;flex:1}
header form{margin:0}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.4rem;margin:8px 0 12px}
h2{font-size:1.1rem;margin:20px 0 8px}
section{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:12px 16px;margin:0 0 16px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
label{display:block;font-weight:bold;margin:10px 0 4px}
input,select,textarea{font:inherit;padding:8px;border:1px solid #767676;border-radius:4px;max-width:100%}
textarea{width:100%;min-height:70px}
button{font:inherit;padding:8px 14px;background:#0b5cad;color:#fff;border:0;border-radius:5px;cursor:pointer}
button.secondary{background:#5a6270}
header button{background:transparent;border:1px solid #fff;padding:4px 10px}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
.filters label{margin:0 0 4px}
.msg{margin:6px 0;padding:8px 10px;border-radius:6px;max-width:80%;white-space:pre-wrap;word-wrap:break-word}
.msg.customer{background:#eef2f7}
.msg.staff{background:#dff0e0;margin-left:auto}
.msg.bot{background:#f7f1e3}
.msg.system{background:none;color:#555;font-style:italic;max-width:100%}
.meta{font-size:.85rem;color:#444}
.error{color:#b00020;font-weight:bold}
.notice{background:#fff7d6;border:1px solid #e5c100;padding:8px 12px;border-radius:5px}
.inline{display:inline}
section form+form{margin-top:10px}
a{color:#0b5cad}
@media (max-width:600px){th.opt,td.opt{display:none}.msg{max-width:100%}}
`.trim();

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** Refreshes every [data-refresh] element from its URL (an HTML fragment rendered by the server). */
export const CONSOLE_SCRIPT = `
(function () {
  var els = document.querySelectorAll('[data-refresh]');
  els.forEach(function (el) {
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(el.getAttribute('data-refresh'), { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) {
          // signed out meanwhile (the session expired): the fetch followed the redirect to the sign-in page
          if (r.redirected) { window.location.reload(); return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== el.innerHTML) {
            el.innerHTML = html;
            if (el.hasAttribute('data-scroll')) el.scrollTop = el.scrollHeight;
          }
        })
        .catch(function () {})
        .then(function () { busy = false; });
    }, 2000);
    if (el.hasAttribute('data-scroll')) el.scrollTop = el.scrollHeight;
  });
})();
`.trim();

export type T = (key: string, vars?: Record<string, string | number>) => string;

export function translator(catalog: MessageCatalog, lang: Lang): T {
  return (key, vars) => escapeHtml(catalog.t(lang, key, vars));
}

const e = escapeHtml;

export interface Frame {
  lang: Lang;
  t: T;
  staff?: StaffMember;
  csrf?: string;
  /** The same page in the other language. */
  path: string;
}

export function layout(frame: Frame, title: string, body: string): string {
  const { t, lang } = frame;
  const other: Lang = lang === 'ms' ? 'en' : 'ms';
  const sep = frame.path.includes('?') ? '&' : '?';
  const nav = frame.staff
    ? [
        `<nav><a href="/console">${t('console.nav.queue')}</a><a href="/console/tickets">${t('console.nav.tickets')}</a>`,
        frame.staff.role === 'agent' ? '' : `<a href="/console/dashboard?ui=${lang}">${t('console.nav.dashboard')}</a>`,
        `<a href="/console/knowledge?ui=${lang}">${t('console.nav.knowledge')}</a>`,
        frame.staff.role === 'agent' ? '' : `<a href="/console/audit">${t('console.nav.audit')}</a>`,
        `<a href="${e(frame.path + sep)}lang=${other}" lang="${other}" hreflang="${other}">${t('console.nav.other-lang')}</a></nav>`,
        `<span>${e(frame.staff.displayName)} (${t(`console.role.${frame.staff.role}`)})</span>`,
        `<form method="post" action="/console/sign-out"><input type="hidden" name="_csrf" value="${e(frame.csrf ?? '')}"><button type="submit">${t('console.sign-out')}</button></form>`,
      ].join('')
    : `<nav><a href="${e(frame.path + sep)}lang=${other}" lang="${other}" hreflang="${other}">${t('console.nav.other-lang')}</a></nav>`;
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow">',
    `<title>${e(title)} · ${t('console.title')}</title>`,
    `<style>${STYLE}</style><script src="/console/console.js" defer></script></head>`,
    `<body><header><strong>${t('console.title')}</strong>${nav}</header><main>`,
    `<h1>${e(title)}</h1>`,
    body,
    '</main></body></html>',
  ].join('\n');
}

export function signInPage(frame: Frame, view: { csrf: string; next: string; error?: string; username?: string }): string {
  const { t } = frame;
  return layout(
    frame,
    frame.t('console.sign-in.title'),
    [
      view.error ? `<p class="error" role="alert">${t(view.error)}</p>` : '',
      '<section><form method="post" action="/console/sign-in">',
      `<input type="hidden" name="_csrf" value="${e(view.csrf)}"><input type="hidden" name="next" value="${e(view.next)}">`,
      `<label for="username">${t('console.sign-in.username')}</label><input id="username" name="username" autocomplete="username" required value="${e(view.username ?? '')}">`,
      `<label for="password">${t('console.sign-in.password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>`,
      `<p><button type="submit">${t('console.sign-in.submit')}</button></p>`,
      '</form></section>',
    ].join('\n'),
  );
}

export function messagePage(frame: Frame, titleKey: string, textKey: string): string {
  return layout(frame, frame.t(titleKey), `<p>${frame.t(textKey)}</p><p><a href="/console">${frame.t('console.nav.queue')}</a></p>`);
}

/** "14:09" in Malaysia time (UTC+8, no daylight saving), where staff work. */
const myt = (iso: string, withDate = false): string => {
  const local = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return withDate ? `${local.slice(0, 10)} ${local.slice(11, 16)}` : local.slice(11, 16);
};

const ago = (iso: string, now: number) => Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));

/** "A••• B•••": a name shown masked until revealed. */
export function maskName(name: string | null): string {
  if (!name || name.trim() === '') return '—';
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0]}•••`)
    .join(' ');
}

function hidden(frame: Frame): string {
  return `<input type="hidden" name="_csrf" value="${e(frame.csrf ?? '')}">`;
}

/** The queue and the conversations this staff member holds (the home page's live part). */
/** How a customer is named in the console: the name masked (or revealed), else the session's number. */
export function customerLabel(session: HandoffSession, reveal = false): string {
  const name = session.customerName?.trim();
  if (!name) return `#${session.id}`;
  return reveal ? name : maskName(name);
}

export function queueFragment(frame: Frame, queue: QueuePlace[], mine: HandoffSession[], now = Date.now()): string {
  const { t } = frame;
  const rows = queue
    .map(
      (p) =>
        `<tr><td>${p.position}</td><td>${e(customerLabel(p.session))}</td><td>${t(`console.lang.${p.session.lang}`)}</td><td class="opt">${e(p.session.channel)}</td>` +
        `<td class="opt">${t(`console.reason.${p.session.reason}`)}</td><td>${t('console.minutes', { n: ago(p.session.queuedAt, now) })}</td>` +
        `<td><a href="/console/conversations/${p.session.id}">${t('console.open')}</a> <form class="inline" method="post" action="/console/conversations/${p.session.id}/take">${hidden(frame)}<button type="submit" data-take="${p.session.id}">${t('console.take')}</button></form></td></tr>`,
    )
    .join('');
  const held = mine
    .map((s) => `<li><a href="/console/conversations/${s.id}">${e(customerLabel(s))} · ${t(`console.lang.${s.lang}`)} · ${e(s.channel)}</a></li>`)
    .join('');
  return [
    `<h2>${t('console.queue.title', { n: queue.length })}</h2>`,
    queue.length === 0
      ? `<p>${t('console.queue.empty')}</p>`
      : `<table><thead><tr><th>#</th><th>${t('console.customer')}</th><th>${t('console.language')}</th><th class="opt">${t('console.channel')}</th><th class="opt">${t('console.reason')}</th><th>${t('console.waiting')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
    `<h2>${t('console.mine.title')}</h2>`,
    mine.length === 0 ? `<p>${t('console.mine.empty')}</p>` : `<ul>${held}</ul>`,
  ].join('\n');
}

export function homePage(frame: Frame, fragment: string, notice?: string): string {
  return layout(
    frame,
    frame.t('console.home.title'),
    `${notice ? `<p class="notice" role="status">${frame.t(notice)}</p>` : ''}<section id="queue" data-refresh="/console/fragments/queue" aria-live="polite">${fragment}</section>`,
  );
}

function messageLine(frame: Frame, m: HandoffMessage, reveal: boolean): string {
  const { t } = frame;
  const time = `<span class="meta">${e(myt(m.createdAt))}</span>`;
  if (m.role === 'system') {
    const known = ['queued', 'closed', 'taken', 'handed-back', 'cancelled', 'timeout', 'undelivered', 'ticket-offered', 'ticket-declined', 'ticket'];
    const kind = m.kind && known.includes(m.kind) ? m.kind : 'other';
    // queued/closed events carry the reason (asked, failures): shown in the page's language; the already
    // escaped text goes into the translated sentence through a NUL placeholder (escapeHtml leaves NUL alone)
    const whoText = (kind === 'queued' || kind === 'closed') && (m.text === 'asked' || m.text === 'failures') ? frame.t(`console.reason.${m.text}`) : e(m.text);
    return `<div class="msg system">${time} ${t(`console.event.${kind}`, { who: '\u0000' }).replace('\u0000', whoText)}</div>`;
  }
  const who = m.role === 'staff' ? e(m.kind ?? '') : t(`console.role-line.${m.role}`);
  const text = reveal ? m.text : redactPersonalData(m.text);
  return `<div class="msg ${m.role}"><span class="meta">${who} · ${e(myt(m.createdAt))}</span>\n${e(text)}</div>`;
}

export function transcriptFragment(frame: Frame, messages: HandoffMessage[], reveal = false): string {
  if (messages.length === 0) return `<p>${frame.t('console.transcript.empty')}</p>`;
  return messages.map((m) => messageLine(frame, m, reveal)).join('\n');
}

export function conversationPage(
  frame: Frame,
  view: { session: HandoffSession; messages: HandoffMessage[]; reveal: boolean; error?: string; position?: number },
): string {
  const { t } = frame;
  const { session } = view;
  const mine = session.status === 'held' && session.agentId === frame.staff?.id;
  // what the bot tried: the lines before the handoff began (up to the first event)
  const firstEvent = view.messages.findIndex((m) => m.role === 'system');
  const before = firstEvent < 0 ? [] : view.messages.slice(0, firstEvent);
  const after = firstEvent < 0 ? view.messages : view.messages.slice(firstEvent);
  const lastId = view.messages.at(-1)?.id ?? 0;
  const actions: string[] = [];
  if (session.status === 'queued') {
    actions.push(`<form method="post" action="/console/conversations/${session.id}/take">${hidden(frame)}<button type="submit">${t('console.take')}</button></form>`);
  }
  if (mine) {
    actions.push(
      `<form method="post" action="/console/conversations/${session.id}/send">${hidden(frame)}<label for="text">${t('console.send.label')}</label>` +
        `<textarea id="text" name="text" maxlength="2000" required></textarea><p><button type="submit">${t('console.send')}</button></p></form>`,
      `<form method="post" action="/console/conversations/${session.id}/hand-back">${hidden(frame)}<button type="submit" class="secondary">${t('console.hand-back')}</button></form>`,
    );
  }
  if (!view.reveal) {
    actions.push(`<form method="post" action="/console/conversations/${session.id}/reveal">${hidden(frame)}<button type="submit" class="secondary">${t('console.reveal')}</button></form>`);
  }
  const name = e(customerLabel(session, view.reveal));
  return layout(
    frame,
    frame.t('console.conversation.title', { name: customerLabel(session, view.reveal) }),
    [
      view.error ? `<p class="error" role="alert">${t(view.error)}</p>` : '',
      view.reveal ? `<p class="notice">${t('console.revealed')}</p>` : '',
      '<section><table>',
      `<tr><th>${t('console.customer')}</th><td>${name}</td></tr>`,
      `<tr><th>${t('console.language')}</th><td>${t(`console.lang.${session.lang}`)}</td></tr>`,
      `<tr><th>${t('console.channel')}</th><td>${e(session.channel)}</td></tr>`,
      `<tr><th>${t('console.status')}</th><td id="status">${t(`console.session.${session.status}`)}${session.agentName ? ` · ${e(session.agentName)}` : ''}${view.position ? ` · #${view.position}` : ''}</td></tr>`,
      `<tr><th>${t('console.reason')}</th><td>${t(`console.reason.${session.reason}`)}</td></tr>`,
      '</table></section>',
      `<section><h2>${t('console.bot-tried')}</h2>${before.length ? transcriptFragment(frame, before, view.reveal) : `<p>${t('console.transcript.empty')}</p>`}</section>`,
      `<section><h2>${t('console.transcript')}</h2><div id="transcript" ${view.reveal ? '' : `data-refresh="/console/conversations/${session.id}/fragment" data-scroll`} aria-live="polite" data-last="${lastId}">${transcriptFragment(frame, after, view.reveal)}</div></section>`,
      `<section>${actions.join('\n')}</section>`,
    ].join('\n'),
  );
}

export interface InboxFilter {
  status?: string;
  category?: string;
  lang?: string;
  assignee?: string;
  q?: string;
}

export function inboxPage(frame: Frame, view: { items: TicketSummary[]; total: number; filter: InboxFilter; staff: StaffMember[] }): string {
  const { t } = frame;
  const f = view.filter;
  const select = (name: string, label: string, options: Array<[string, string]>, value?: string) =>
    `<div><label for="${name}">${label}</label><select id="${name}" name="${name}"><option value="">${t('console.any')}</option>${options
      .map(([v, l]) => `<option value="${e(v)}"${v === value ? ' selected' : ''}>${l}</option>`)
      .join('')}</select></div>`;
  const rows = view.items
    .map(
      (s) =>
        `<tr><td><a href="/console/tickets/${e(s.reference)}">${e(s.reference)}</a></td><td>${t(`console.ticket-status.${s.status}`)}</td><td class="opt">${t(`tickets.category.${s.category}`)}</td>` +
        `<td>${t(`console.lang.${s.lang}`)}</td><td class="opt">${e(maskName(s.name))}</td><td class="opt">${e(s.assignee ?? '—')}</td><td class="opt">${e(myt(s.updatedAt, true))}</td></tr>`,
    )
    .join('');
  return layout(
    frame,
    t('console.inbox.title'),
    [
      '<section><form method="get" action="/console/tickets" class="filters">',
      select('status', t('console.status'), TICKET_STATUSES.map((s) => [s, t(`console.ticket-status.${s}`)]), f.status),
      select('category', t('console.category'), TICKET_CATEGORIES.map((c) => [c, t(`tickets.category.${c}`)]), f.category),
      select('language', t('console.language'), [['ms', t('console.lang.ms')], ['en', t('console.lang.en')]], f.lang),
      select('assignee', t('console.assignee'), view.staff.map((s) => [s.username, e(s.displayName)]), f.assignee),
      `<div><label for="q">${t('console.search')}</label><input id="q" name="q" maxlength="100" value="${e(f.q ?? '')}"></div>`,
      `<div><button type="submit">${t('console.filter')}</button></div>`,
      '</form></section>',
      `<section><p>${t('console.inbox.count', { n: view.total })}</p>`,
      view.items.length === 0
        ? `<p>${t('console.inbox.empty')}</p>`
        : `<table><thead><tr><th>${t('console.reference')}</th><th>${t('console.status')}</th><th class="opt">${t('console.category')}</th><th>${t('console.language')}</th><th class="opt">${t('console.customer')}</th><th class="opt">${t('console.assignee')}</th><th class="opt">${t('console.updated')}</th></tr></thead><tbody>${rows}</tbody></table>`,
      '</section>',
    ].join('\n'),
  );
}

export function ticketPage(
  frame: Frame,
  view: { ticket: Ticket; notes: Array<{ author: string; text: string; createdAt: string }>; staff: StaffMember[]; files?: StoredAttachment[]; reveal: boolean; error?: string; notice?: string },
): string {
  const { t } = frame;
  const tk = view.ticket;
  const ref = e(tk.reference);
  const action = (what: string) => `/console/tickets/${ref}/${what}`;
  const mask = (s: string | null, fn: (v: string) => string) => (s ? (view.reveal ? e(s) : e(fn(s))) : '—');
  const text = (s: string) => e(view.reveal ? s : redactPersonalData(s));
  const replies = tk.replies
    .map((r) => `<div class="msg staff"><span class="meta">${e(r.author)} · ${e(myt(r.createdAt, true))} · ${t(`console.delivery.${r.delivery}`)}</span>\n${e(r.text)}</div>`)
    .join('');
  const notes = view.notes.map((n) => `<div class="msg bot"><span class="meta">${e(n.author)} · ${e(myt(n.createdAt, true))}</span>\n${e(n.text)}</div>`).join('');
  return layout(
    frame,
    t('console.ticket.title', { reference: tk.reference }),
    [
      view.error ? `<p class="error" role="alert">${t(view.error)}</p>` : '',
      view.notice ? `<p class="notice" role="status">${t(view.notice)}</p>` : '',
      view.reveal ? `<p class="notice">${t('console.revealed')}</p>` : '',
      '<section><table>',
      `<tr><th>${t('console.status')}</th><td id="ticket-status">${t(`console.ticket-status.${tk.status}`)}</td></tr>`,
      `<tr><th>${t('console.category')}</th><td>${t(`tickets.category.${tk.category}`)}</td></tr>`,
      `<tr><th>${t('console.language')}</th><td>${t(`console.lang.${tk.lang}`)}</td></tr>`,
      `<tr><th>${t('console.channel')}</th><td>${e(tk.channel)}</td></tr>`,
      `<tr><th>${t('console.customer')}</th><td>${view.reveal ? e(tk.name) : e(maskName(tk.name))}</td></tr>`,
      `<tr><th>${t('console.email')}</th><td>${mask(tk.email, maskEmail)}</td></tr>`,
      `<tr><th>${t('console.phone')}</th><td>${mask(tk.phone, maskPhone)}</td></tr>`,
      `<tr><th>${t('console.assignee')}</th><td>${e(tk.assignee ?? '—')}</td></tr>`,
      `<tr><th>${t('console.created')}</th><td>${e(myt(tk.createdAt, true))}</td></tr>`,
      '</table>',
      view.reveal ? '' : `<form method="post" action="${action('reveal')}">${hidden(frame)}<button type="submit" class="secondary">${t('console.reveal')}</button></form>`,
      '</section>',
      `<section><h2>${t('console.description')}</h2><div class="msg customer">${text(tk.description)}</div>`,
      tk.excerpt ? `<h2>${t('console.transcript')}</h2><div class="msg customer">${text(tk.excerpt)}</div>` : '',
      view.files && view.files.length > 0
        ? `<h2>${t('console.attachments')}</h2><ul id="attachments">${view.files
            .map((f) => `<li><a href="/console/tickets/${ref}/attachments/${encodeURIComponent(f.id)}">${e(f.name)}</a> · ${e(f.contentType)} · ${Math.max(1, Math.round(f.size / 1024))} KB · ${e(myt(new Date(f.createdAt).toISOString(), true))}</li>`)
            .join('')}</ul>`
        : '',
      '</section>',
      `<section><h2>${t('console.replies')}</h2>${replies || `<p>${t('console.replies.empty')}</p>`}`,
      tk.status === 'closed'
        ? ''
        : `<form method="post" action="${action('reply')}">${hidden(frame)}<label for="reply">${t('console.reply.label', { lang: t(`console.lang.${tk.lang}`) })}</label><textarea id="reply" name="text" maxlength="4000" required></textarea><p><button type="submit">${t('console.reply')}</button></p></form>`,
      '</section>',
      `<section><h2>${t('console.manage')}</h2><div class="filters">`,
      `<form method="post" action="${action('status')}" class="filters">${hidden(frame)}<div><label for="new-status">${t('console.status')}</label><select id="new-status" name="status">${TICKET_STATUSES.map((s) => `<option value="${s}"${s === tk.status ? ' selected' : ''}>${t(`console.ticket-status.${s}`)}</option>`).join('')}</select></div><div><button type="submit">${t('console.save')}</button></div></form>`,
      `<form method="post" action="${action('assign')}" class="filters">${hidden(frame)}<div><label for="new-assignee">${t('console.assignee')}</label><select id="new-assignee" name="assignee"><option value="">—</option>${view.staff
        .filter((s) => !s.disabled)
        .map((s) => `<option value="${e(s.username)}"${s.username === tk.assignee ? ' selected' : ''}>${e(s.displayName)}</option>`)
        .join('')}</select></div><div><button type="submit">${t('console.save')}</button></div></form>`,
      '</div></section>',
      `<section><h2>${t('console.notes')}</h2>${notes || `<p>${t('console.notes.empty')}</p>`}`,
      `<form method="post" action="${action('note')}">${hidden(frame)}<label for="note">${t('console.note.label')}</label><textarea id="note" name="text" maxlength="4000" required></textarea><p><button type="submit" class="secondary">${t('console.note.add')}</button></p></form></section>`,
    ].join('\n'),
  );
}

/** The staff audit, newest first (supervisors and admins). */
export function auditPage(frame: Frame, entries: AuditEntry[]): string {
  const { t } = frame;
  const rows = entries
    .map((a) => `<tr><td>${e(myt(a.createdAt, true))}</td><td>${e(a.username)}</td><td>${e(a.action)}</td><td>${e(a.target ?? '')}</td><td class="opt">${e(a.detail ?? '')}</td></tr>`)
    .join('');
  return layout(
    frame,
    t('console.audit.title'),
    `<section><table><thead><tr><th>${t('console.audit.when')}</th><th>${t('console.audit.who')}</th><th>${t('console.audit.action')}</th><th>${t('console.audit.target')}</th><th class="opt">${t('console.audit.detail')}</th></tr></thead><tbody>${rows}</tbody></table></section>`,
  );
}

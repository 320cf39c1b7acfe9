/**
 * One e-mail layout for every procedure, in the customer's language: a greeting, paragraphs, an optional
 * action link (a button in HTML, the bare URL in text), closing paragraphs and the footer of mail.yaml.
 * Text comes from the message catalog; the HTML escapes it.
 */
import { escapeHtml } from '../../domain/text';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';

export interface MailContent {
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after?: string[];
}

export function renderMail(catalog: MessageCatalog, lang: Lang, content: MailContent): { text: string; html: string } {
  const footer = catalog.t(lang, 'mail.footer');
  const signature = catalog.t(lang, 'mail.signature');
  const after = content.after ?? [];
  const text = [
    content.greeting,
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...after,
    signature,
    `--\n${footer}`,
  ].join('\n\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d2129;font-size:16px;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">',
    p(content.greeting),
    ...content.paragraphs.map(p),
    ...(content.action
      ? [
          `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(content.action.label)}</a></p>`,
          `<p style="margin:0 0 16px;font-size:13px;color:#555">${escapeHtml(content.action.url)}</p>`,
        ]
      : []),
    ...after.map(p),
    p(signature),
    `<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#666">${escapeHtml(footer)}</p>`,
    '</div></body></html>',
  ].join('\n');
  return { text, html };
}

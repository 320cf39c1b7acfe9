/**
 * Microsoft Teams' pages: the privacy notice and the terms of use the Teams manifest names
 * (teams/manifest.json: privacyUrl https://PUBLIC_HOST/legal/privacy, termsOfUseUrl …/legal/terms). Teams
 * opens them from the app's details, so they are plain server-rendered pages, in Malay and English on one
 * page (Malay first; ?lang=en puts English first), from the message catalog, with the retention horizons
 * the bot actually applies.
 */
import type { Request, Response } from 'restify';
import { escapeHtml } from '../../domain/text';
import type { Lang } from '../../knowledge/types';
import type { Feature, FeatureDeps } from '../../features/types';

const HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'public, max-age=3600',
};

export function legalPage(deps: Pick<FeatureDeps, 'catalog' | 'config'>, page: 'privacy' | 'terms', first: Lang): string {
  const { catalog, config } = deps;
  const vars = { stateDays: config.STATE_IDLE_DAYS, retentionDays: config.RETENTION_DAYS, ticketDays: config.TICKET_RETENTION_DAYS };
  const section = (lang: Lang) => {
    const title = catalog.t(lang, `channels.teams.${page}.title`);
    const paragraphs = catalog
      .t(lang, `channels.teams.${page}.body`, vars)
      .split(/\n\s*\n/)
      .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
      .join('\n');
    return `<section lang="${lang}"><h1>${escapeHtml(title)}</h1>\n${paragraphs}</section>`;
  };
  const order: Lang[] = first === 'en' ? ['en', 'ms'] : ['ms', 'en'];
  return `<!doctype html>
<html lang="${order[0]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(catalog.t(order[0]!, `channels.teams.${page}.title`))}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b}section+section{border-top:1px solid #ccc;margin-top:2rem}h1{font-size:1.4rem}</style>
</head><body>
${order.map(section).join('\n')}
</body></html>
`;
}

export function createTeamsFeature(deps: FeatureDeps): Feature {
  return {
    name: 'teams',
    routes(http) {
      for (const page of ['privacy', 'terms'] as const) {
        http.server.get(`/legal/${page}`, async (req: Request, res: Response) => {
          const lang = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang') === 'en' ? 'en' : 'ms';
          res.status(200);
          for (const [k, v] of Object.entries(HEADERS)) res.setHeader(k, v);
          res.end(legalPage(deps, page, lang));
        });
      }
    },
  };
}

/**
 * The website chat widget: the chat page (GET /), Bot Framework Web Chat served by the bot itself
 * (GET /webchat/webchat.js, from node_modules/botframework-webchat, no CDN), the bot's own Direct Line
 * connection (/directline, src/channels/directline) and, for a real website behind Azure Bot Service,
 * POST /api/directline/token (DIRECT_LINE_SECRET exchanged for a conversation token; see docs/embed.md).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ShowTypingMiddleware } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { DirectLineAdapter } from '../channels/directline/adapter';
import { directLineConnection } from '../channels/directline/connection';
import { StreamHub } from '../channels/directline/stream';
import { AZURE_DIRECT_LINE_URL, generateAzureToken } from '../channels/directline/azure';
import { mountDirectLine } from '../channels/directline/server';
import type { DirectLineStore } from '../channels/directline/store';
import type { Lang } from '../knowledge/types';
import type { MessageCatalog } from '../language/catalog';
import type { Feature, FeatureDeps } from './types';
import { readBody } from '../server/body';
import { failureStatus, sendJson } from '../server/http';
import { clientAddress } from '../server/clientAddress';
import { escapeHtml } from '../domain/text';

export interface WebChatFeatureOptions {
  /** Azure's Direct Line base URL (tests point it at a local server). */
  azureDirectLineUrl?: string;
  /** The folder holding index.html, app.js and app.css (default: the project's public/). */
  publicDir?: string;
  /** Web Chat's bundle (default: node_modules/botframework-webchat/dist/webchat.js). */
  webChatBundle?: string;
}

export interface WebChatFeature extends Feature {
  /** The adapter of channel "webchat": the proactive messenger reaches web conversations through it. */
  adapter: DirectLineAdapter;
  store: DirectLineStore;
  /** The open WebSocket streams of this process. */
  streams: StreamHub;
}

/** A typing indicator goes out when a turn has taken this long (a quicker reply needs none), then every 2 s. */
export const TYPING_DELAY_MS = 150;

/** The page's security headers: no inline script, nothing from another origin. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Web Chat styles itself with <style> elements it creates at run time
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const gzip = promisify(zlib.gzip);

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  etag: string;
  type: string;
  cacheControl: string;
}

/** Fills {{lang}}, {{t:key}} (the page's language), {{ms:key}} and {{en:key}} from the catalog, HTML-escaped. */
export function renderPage(template: string, catalog: MessageCatalog, lang: Lang): string {
  return template.replace(/\{\{(?:(t|ms|en):)?([\w.-]+)\}\}/g, (_m, which: string | undefined, key: string) => {
    if (!which) {
      if (key === 'lang') return lang;
      throw new Error(`chat page: unknown placeholder {{${key}}}`);
    }
    return escapeHtml(catalog.t(which === 't' ? lang : (which as Lang), key));
  });
}

/** The page's language: ?lang=, else the browser's first Malay or English preference, else Malay. */
export function pageLanguage(query: string | null, acceptLanguage: string | undefined): Lang {
  if (query === 'ms' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'ms' || tag.startsWith('ms-') || tag === 'id' || tag.startsWith('id-')) return 'ms';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'ms';
}

/** The project's public/ folder, from src/features (ts-jest) or dist/src/features (built). */
function findPublicDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'public');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('chat page: public/index.html not found');
  }
}

function webChatBundlePath(): string {
  // the package's "exports" hide dist/: resolve its main entry (lib/index.js) and go from there
  return path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

function makeAsset(body: Buffer, type: string, cacheControl: string): Asset {
  return { body, type, cacheControl, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function sendAsset(req: Request, res: Response, asset: Asset, extraHeaders: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...extraHeaders })) res.setHeader(name, value);
  res.setHeader('content-type', asset.type);
  res.setHeader('cache-control', asset.cacheControl);
  res.setHeader('etag', asset.etag);
  res.setHeader('vary', 'Accept-Encoding');
  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === asset.etag)) {
    res.status(304);
    res.end();
    return;
  }
  const useGzip = !!asset.gzipped && /\bgzip\b/.test(req.header('accept-encoding') ?? '');
  const body = useGzip ? asset.gzipped! : asset.body;
  if (useGzip) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', String(body.length));
  res.status(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}


export function createWebChatFeature(deps: FeatureDeps, options: WebChatFeatureOptions = {}): WebChatFeature {
  const { config, log, catalog, rateLimiter } = deps;
  const publicDir = options.publicDir ?? findPublicDir();
  const { store, adapter } = directLineConnection(deps.db, catalog, config);
  const streams = new StreamHub(store, log, { pollMs: config.DIRECT_LINE_STREAM_POLL_MS });
  // an append of this process goes out on its stream at once; other processes' appends are found by the hub's poll
  store.onAppend = (conversationId) => streams.notify(conversationId);
  adapter.typing = (conversationId, activity) => streams.ephemeral(conversationId, activity);
  adapter.use(new ShowTypingMiddleware(TYPING_DELAY_MS, 2000));

  // the page in both languages, rendered once: a missing catalog key stops the start, not a request
  const template = fs.readFileSync(path.join(publicDir, 'index.html'), 'utf8');
  const pages: Record<Lang, Asset> = {
    ms: makeAsset(Buffer.from(renderPage(template, catalog, 'ms')), 'text/html; charset=utf-8', 'no-cache'),
    en: makeAsset(Buffer.from(renderPage(template, catalog, 'en')), 'text/html; charset=utf-8', 'no-cache'),
  };
  // a Map, not an object literal: a file name from the URL ("constructor", "__proto__") must never find
  // something inherited from Object.prototype
  const pageAssets = new Map<string, Asset>([
    ['app.js', makeAsset(fs.readFileSync(path.join(publicDir, 'app.js')), 'application/javascript; charset=utf-8', 'no-cache')],
    ['app.css', makeAsset(fs.readFileSync(path.join(publicDir, 'app.css')), 'text/css; charset=utf-8', 'no-cache')],
  ]);
  const bundlePath = options.webChatBundle ?? webChatBundlePath();
  let bundle: Promise<Asset> | undefined;
  const webChatBundle = (): Promise<Asset> => {
    bundle ??= (async () => {
      const body = await fs.promises.readFile(bundlePath);
      const asset = makeAsset(body, 'application/javascript; charset=utf-8', 'public, max-age=86400');
      asset.gzipped = await gzip(body, { level: 9 });
      return asset;
    })().catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    return bundle;
  };

  return {
    name: 'webchat',
    adapter,
    store,
    streams,
    routes(http) {
      const { server } = http;
      http.upgrades.onShutdown(() => streams.close());
      // Web Chat through Azure Bot Service is channel "webchat" too: those conversations go back through /api/messages' adapter
      adapter.fallback = http.adapter;

      server.get('/', async (req: Request, res: Response) => {
        const lang = pageLanguage(new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang'), req.header('accept-language'));
        sendAsset(req, res, pages[lang], { 'content-security-policy': PAGE_CSP, 'content-language': lang });
      });
      server.get('/webchat/:file', async (req: Request, res: Response) => {
        const file = String(req.params.file);
        try {
          const asset = file === 'webchat.js' ? await webChatBundle() : pageAssets.get(file);
          if (!asset) return sendJson(res, 404, { error: 'not found' });
          sendAsset(req, res, asset);
        } catch (err) {
          log.error({ err, file }, 'chat page: asset unavailable');
          sendJson(res, 500, { error: 'internal error' });
        }
      });

      mountDirectLine(server, http, {
        store,
        adapter,
        rateLimiter,
        log,
        streams,
        publicUrl: config.publicUrl,
        addressOf: (req) => clientAddress(req, config),
        limits: {
          maxBodyBytes: config.MAX_BODY_BYTES,
          maxJsonDepth: config.MAX_JSON_DEPTH,
          perConversation: config.RATE_LIMIT_PER_CONVERSATION,
          perIp: config.RATE_LIMIT_PER_IP,
          windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
          conversationMaxSeconds: config.DIRECT_LINE_CONVERSATION_MAX_HOURS * 3600,
        },
      });

      // a real website behind Azure Bot Service: the secret stays here, the browser gets a conversation token
      // the body (none, or JSON) is not used; anything else is refused before it is read
      const noBody = readBody({ accept: ['json'], maxBodySize: config.MAX_BODY_BYTES, maxDepth: config.MAX_JSON_DEPTH });
      server.post('/api/directline/token', noBody, async (req: Request, res: Response) => {
        const secret = config.DIRECT_LINE_SECRET;
        if (!secret) {
          return sendJson(res, 404, {
            error: 'Direct Line is not configured: set DIRECT_LINE_SECRET (the chat page at / uses the bot’s own Direct Line at /directline)',
          });
        }
        let limited;
        try {
          limited = await rateLimiter.hit('directline-azure-token', clientAddress(req, config), config.RATE_LIMIT_PER_IP, config.RATE_LIMIT_WINDOW_SECONDS);
        } catch (err) {
          // the limit lives in the database: an outage is a 503 with Retry-After, anything else a 500
          const status = await failureStatus(res, () => http.databaseAnswers());
          log.warn({ err: { message: (err as Error).message }, status }, 'direct line: token request could not be counted');
          return sendJson(res, status, { error: status === 503 ? 'temporarily unavailable; try again later' : 'internal error' });
        }
        if (!limited.allowed) {
          res.setHeader('retry-after', String(limited.retryAfterSeconds));
          return sendJson(res, 429, { error: 'too many token requests; try again later' });
        }
        try {
          const token = await generateAzureToken(secret, { baseUrl: options.azureDirectLineUrl ?? AZURE_DIRECT_LINE_URL });
          sendJson(res, 200, token);
        } catch (err) {
          log.warn({ err: { message: (err as Error).message, status: (err as { status?: number }).status } }, 'direct line: token exchange failed');
          sendJson(res, 502, { error: 'could not get a Direct Line token; try again later' });
        }
      });
    },
    async stop() {
      await streams.close();
    },
    // old conversations are purged by the retention job (src/features/retention.ts)
  };
}

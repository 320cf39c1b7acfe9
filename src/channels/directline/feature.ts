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
import type { DirectLineAdapter } from './adapter';
import { directLineConnection } from './connection';
import { StreamHub } from './stream';
import { AttachmentStore } from './uploads';
import { AZURE_DIRECT_LINE_URL, generateAzureToken } from './azure';
import { OriginPolicy } from './origins';
import { mountDirectLine } from './server';
import type { DirectLineStore } from './store';
import type { Lang } from '../../knowledge/types';
import type { MessageCatalog } from '../../language/catalog';
import type { Feature, FeatureDeps } from '../../features/types';
import { readBody } from '../../server/body';
import { failureStatus, sendJson } from '../../server/http';
import { clientAddress } from '../../server/clientAddress';
import { escapeHtml } from '../../domain/text';

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
  // blob: Web Chat reads a file the customer attaches from its blob: URL before uploading it
  "connect-src 'self' blob:",
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
const brotli = promisify(zlib.brotliCompress);

interface Asset {
  body: Buffer;
  gzipped?: Buffer;
  brotli?: Buffer;
  etag: string;
  type: string;
  cacheControl: string;
}

/** A hashed asset URL never changes content: cached for a year, never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The content hash in an asset's URL (12 base64url characters of its SHA-256). */
export function contentHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 12);
}

/** `app.js` → `app.<hash>.js` */
function hashedName(file: string, hash: string): string {
  const dot = file.lastIndexOf('.');
  return `${file.slice(0, dot)}.${hash}${file.slice(dot)}`;
}

/** Both compressed forms of an asset (brotli at quality 9: nearly the size of 11 in a fraction of the time). */
async function compress(asset: Asset): Promise<Asset> {
  const [gz, br] = await Promise.all([
    gzip(asset.body, { level: 9 }),
    brotli(asset.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } }),
  ]);
  asset.gzipped = gz;
  asset.brotli = br;
  return asset;
}

/** The encoding to send: brotli, else gzip, when the client accepts it (q=0 refuses). */
function pickEncoding(acceptEncoding: string | undefined, asset: Asset): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (asset.brotli && ok('br')) return 'br';
  if (asset.gzipped && ok('gzip')) return 'gzip';
  return undefined;
}

export interface PageValues {
  /** The longest message a customer can send (MAX_MESSAGE_CHARS). */
  maxChars?: number;
  /** The URL of each asset by file name (app.js → /webchat/app.<hash>.js). */
  assets?: ReadonlyMap<string, string>;
}

/**
 * Fills {{lang}}, {{t:key}} (the page's language), {{ms:key}} and {{en:key}} from the catalog, HTML-escaped;
 * {{maxChars}} and {{asset:file}} from `values`. In catalog texts, {max} is the message limit and {count} is
 * left for the page's script to fill.
 */
export function renderPage(template: string, catalog: MessageCatalog, lang: Lang, values: PageValues = {}): string {
  const vars = { max: String(values.maxChars ?? ''), count: '{count}' };
  return template.replace(/\{\{(?:(t|ms|en|asset):)?([\w.-]+)\}\}/g, (_m, which: string | undefined, key: string) => {
    if (!which) {
      if (key === 'lang') return lang;
      if (key === 'maxChars' && values.maxChars !== undefined) return String(values.maxChars);
      throw new Error(`chat page: unknown placeholder {{${key}}}`);
    }
    if (which === 'asset') {
      const url = values.assets?.get(key);
      if (!url) throw new Error(`chat page: unknown asset {{asset:${key}}}`);
      return escapeHtml(url);
    }
    return escapeHtml(catalog.t(which === 't' ? lang : (which as Lang), key, vars));
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

/** The project's public/ folder, from src/channels/directline (ts-jest) or dist/src/channels/directline (built). */
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
  const encoding = pickEncoding(req.header('accept-encoding'), asset);
  const body = encoding === 'br' ? asset.brotli! : encoding === 'gzip' ? asset.gzipped! : asset.body;
  if (encoding) res.setHeader('content-encoding', encoding);
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
  store.onAppend = (conversationId, appended) => streams.notify(conversationId, appended);
  adapter.typing = (conversationId, activity) => streams.ephemeral(conversationId, activity);
  adapter.use(new ShowTypingMiddleware(TYPING_DELAY_MS, 2000));

  // The page's files and Web Chat's bundle, each under its own name (revalidated: no-cache) and under a name
  // with its content hash (cached for a year: a new version has a new name). Compressed (brotli, gzip) once,
  // on first use; the bundle in the background as soon as the server listens.
  const bundlePath = options.webChatBundle ?? webChatBundlePath();
  const sources: Array<[string, string, string]> = [
    ['app.js', path.join(publicDir, 'app.js'), 'application/javascript; charset=utf-8'],
    ['app.css', path.join(publicDir, 'app.css'), 'text/css; charset=utf-8'],
    ['webchat.js', bundlePath, 'application/javascript; charset=utf-8'],
  ];
  // a Map, not an object literal: a file name from the URL ("constructor", "__proto__") must never find
  // something inherited from Object.prototype
  const files = new Map<string, { plain: Asset; hashed: Asset; hash: string; compressed?: Promise<void> }>();
  const byUrlName = new Map<string, { file: string; hashed: boolean }>();
  const assetUrls = new Map<string, string>();
  for (const [file, full, type] of sources) {
    const body = fs.readFileSync(full);
    const hashed = hashedName(file, contentHash(body));
    const plain = makeAsset(body, type, 'no-cache');
    files.set(file, { plain, hashed: { ...plain, cacheControl: IMMUTABLE }, hash: contentHash(body) });
    byUrlName.set(file, { file, hashed: false });
    byUrlName.set(hashed, { file, hashed: true });
    assetUrls.set(file, `/webchat/${hashed}`);
  }
  // Web Chat's bundle compressed costs about half a second of CPU: kept under DATA_DIR/cache by its content
  // hash, so a restart reads it back instead (a damaged or missing copy is made again)
  const cacheDir = path.join(config.dataDir, 'cache');
  const fromCache = async (file: string, hash: string): Promise<Pick<Asset, 'gzipped' | 'brotli'> | undefined> => {
    if (file !== 'webchat.js') return undefined;
    try {
      const [gz, br] = await Promise.all(['gz', 'br'].map((ext) => fs.promises.readFile(path.join(cacheDir, `${file}.${hash}.${ext}`))));
      return { gzipped: gz, brotli: br };
    } catch {
      return undefined;
    }
  };
  const toCache = async (file: string, hash: string, asset: Asset): Promise<void> => {
    if (file !== 'webchat.js') return;
    try {
      await fs.promises.mkdir(cacheDir, { recursive: true });
      for (const [ext, data] of [['gz', asset.gzipped!], ['br', asset.brotli!]] as const) {
        // written whole under a temporary name, then renamed: a reader never sees half a file
        const target = path.join(cacheDir, `${file}.${hash}.${ext}`);
        await fs.promises.writeFile(`${target}.${process.pid}.tmp`, data);
        await fs.promises.rename(`${target}.${process.pid}.tmp`, target);
      }
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'chat page: could not keep the compressed bundle');
    }
  };
  const compressed = (file: string): Promise<void> => {
    const entry = files.get(file)!;
    entry.compressed ??= (async () => {
      const cached = await fromCache(file, entry.hash);
      if (cached && zlib.gunzipSync(cached.gzipped!).length === entry.plain.body.length) return cached;
      const asset = await compress({ ...entry.plain });
      await toCache(file, entry.hash, asset);
      return { gzipped: asset.gzipped, brotli: asset.brotli };
    })()
      .then((forms) => {
        Object.assign(entry.plain, forms);
        Object.assign(entry.hashed, forms);
      })
      .catch((err: unknown) => {
        entry.compressed = undefined;
        throw err;
      });
    return entry.compressed;
  };

  // the page in both languages, rendered once: a missing catalog key stops the start, not a request
  const template = fs.readFileSync(path.join(publicDir, 'index.html'), 'utf8');
  const values: PageValues = { maxChars: config.MAX_MESSAGE_CHARS, assets: assetUrls };
  const pages: Record<Lang, Asset> = {
    ms: makeAsset(Buffer.from(renderPage(template, catalog, 'ms', values)), 'text/html; charset=utf-8', 'no-cache'),
    en: makeAsset(Buffer.from(renderPage(template, catalog, 'en', values)), 'text/html; charset=utf-8', 'no-cache'),
  };
  void compress(pages.ms).catch(() => undefined);
  void compress(pages.en).catch(() => undefined);

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
          const found = byUrlName.get(file);
          if (!found) return sendJson(res, 404, { error: 'not found' });
          await compressed(found.file);
          const entry = files.get(found.file)!;
          sendAsset(req, res, found.hashed ? entry.hashed : entry.plain);
        } catch (err) {
          log.error({ err, file }, 'chat page: asset unavailable');
          sendJson(res, 500, { error: 'internal error' });
        }
      });

      // websites of other origins (WEBCHAT_ALLOWED_ORIGINS): CORS on the Direct Line and the token endpoint
      const origins = new OriginPolicy(config.webchatAllowedOrigins, config.publicUrl);
      server.pre(
        origins.middleware(
          (p) => p.startsWith('/directline/') || p === '/api/directline/token',
          (res, p) => {
            const message = 'this website is not allowed to use the chat (WEBCHAT_ALLOWED_ORIGINS)';
            // each route's own error shape: Direct Line's { error: { code, message } }, the token endpoint's { error }
            sendJson(res, 403, p === '/api/directline/token' ? { error: message } : { error: { code: 'BadArgument', message } });
          },
        ),
      );
      mountDirectLine(server, http, {
        originAllowed: (req) => origins.allows(req),
        store,
        adapter,
        rateLimiter,
        log,
        streams,
        publicUrl: config.publicUrl,
        uploads: {
          store: new AttachmentStore(deps.db),
          maxFileBytes: config.DIRECT_LINE_UPLOAD_MAX_BYTES,
          say: (lang, key, vars) => catalog.t(lang, key, vars),
        },
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
    start() {
      // the bundle compressed before the first customer asks for it
      void compressed('webchat.js').catch((err: unknown) => log.warn({ err }, 'chat page: could not compress the Web Chat bundle'));
    },
    async stop() {
      await streams.close();
    },
    // old conversations are purged by the retention job (src/features/retention.ts)
  };
}

/**
 * The WhatsApp Cloud API channel: GET /api/whatsapp (the verification handshake) and POST /api/whatsapp (signed
 * webhooks, acknowledged at once and processed in the background). The adapter is exposed on the returned
 * feature so the proactive messenger can reach WhatsApp conversations (channel "whatsapp") through it.
 */
import type { Request, Response } from 'restify';
import { WhatsAppAdapter, type WhatsAppAdapterOptions, whatsappSettings } from './adapter';
import { WhatsAppSender } from './sender';
import { handshake } from './webhook';
import type { Feature, FeatureDeps } from '../../features/types';
import { readBody } from '../../server/body';

export interface WhatsAppFeature extends Feature {
  adapter: WhatsAppAdapter;
}

export interface WhatsAppFeatureOptions {
  /** Graph client retry tuning (tests). */
  graph?: WhatsAppAdapterOptions['graph'];
  now?: () => number;
}

function sendText(res: Response, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.setHeader('content-type', type);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'no-store');
  res.writeHead(status);
  res.end(body);
}

/** The request body as raw bytes (the signature is over exactly these), refused beyond `max` bytes. */
function readRawBody(req: Request, max: number): Promise<Buffer | 'too-large'> {
  const already = (req as unknown as { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(already)) return Promise.resolve(already);
  if (typeof already === 'string') return Promise.resolve(Buffer.from(already, 'utf8'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function createWhatsAppFeature(deps: FeatureDeps, options: WhatsAppFeatureOptions = {}): WhatsAppFeature {
  const { config, log } = deps;
  const wlog = log.child({ channel: 'whatsapp' });
  const adapter = new WhatsAppAdapter({
    settings: whatsappSettings(config),
    db: deps.db,
    catalog: deps.catalog,
    log: wlog,
    outbox: deps.outbound.queue,
    settled: () => deps.outbound.worker.settled(),
    // e.g. a staff reply's ticket then says it did not arrive (and e-mails it)
    failedLater: (row, code, reason) => deps.outbound.worker.report({ row, outcome: { kind: 'failed', code, reason }, status: 'failed' }),
    ...(options.graph ? { graph: options.graph } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  deps.outbound.worker.register(
    new WhatsAppSender({
      graph: adapter.graph,
      store: adapter.store,
      templates: { ms: config.WHATSAPP_TEMPLATE_MS, en: config.WHATSAPP_TEMPLATE_EN },
      now: options.now ?? Date.now,
      ...(config.WHATSAPP_MESSAGES_PER_SECOND > 0 ? { perSecond: config.WHATSAPP_MESSAGES_PER_SECOND } : {}),
    }),
  );

  return {
    name: 'whatsapp',
    adapter,
    routes(http) {
      adapter.attach({ runTurn: http.runTurn, serialise: http.serialise });

      http.server.get('/api/whatsapp', async (req: Request, res: Response) => {
        const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
        const result = handshake(params, config.WHATSAPP_VERIFY_TOKEN);
        if (result.status === 200) {
          wlog.info('WhatsApp webhook verified');
          sendText(res, 200, result.challenge);
        } else {
          wlog.warn({ reason: result.reason }, 'WhatsApp webhook verification refused');
          sendText(res, result.status, result.status === 403 ? 'Forbidden' : 'Bad Request');
        }
      });

      // JSON only, refused (415) before it is read; the raw bytes are kept for the signature check below
      const rawJson = readBody({ accept: ['json'], maxBodySize: config.MAX_BODY_BYTES, raw: true });
      http.server.post('/api/whatsapp', rawJson, async (req: Request, res: Response) => {
        let raw: Buffer | 'too-large';
        try {
          raw = await readRawBody(req, config.MAX_BODY_BYTES);
        } catch (err) {
          wlog.info({ err }, 'WhatsApp webhook body could not be read');
          sendText(res, 400, JSON.stringify({ error: 'bad request' }), 'application/json; charset=utf-8');
          return;
        }
        if (raw === 'too-large') {
          sendText(res, 413, JSON.stringify({ error: 'request body too large' }), 'application/json; charset=utf-8');
          return;
        }
        const signature = req.header('x-hub-signature-256') || undefined;
        const result = adapter.receive(raw, signature);
        if (result.status === 200) sendText(res, 200, JSON.stringify({ status: 'ok' }), 'application/json; charset=utf-8');
        else sendText(res, result.status, JSON.stringify({ error: result.reason }), 'application/json; charset=utf-8');
      });
    },
    // old message ids and contacts are purged by the retention job (src/features/retention.ts)
    async stop() {
      // the turns in flight finish (their replies are committed); the outbox keeps what is not sent yet
      await adapter.turnsDone();
    },
  };
}

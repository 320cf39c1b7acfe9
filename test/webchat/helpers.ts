/**
 * The real bot (runtime + restify server) with the web chat feature, on 127.0.0.1 and an ephemeral port.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { type WebChatFeature, type WebChatFeatureOptions, createWebChatFeature } from '../../src/channels/directline/feature';
import { type Runtime, createRuntime } from '../../src/runtime';
import { type HttpServer, createHttpServer } from '../../src/server';
import { memoryLogger } from '../helpers/log';

export interface WebChatBot {
  url: string;
  runtime: Runtime;
  http: HttpServer;
  feature: WebChatFeature;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The real knowledge with only the message catalogs this feature's bot needs (core + web), so the tests do
 * not depend on the catalogs of features that are not part of this bot.
 */
export function webChatKnowledgeDir(root: string): string {
  const real = path.join(__dirname, '../../knowledge');
  const dir = path.join(root, 'knowledge');
  fs.mkdirSync(path.join(dir, 'messages'), { recursive: true });
  for (const entry of fs.readdirSync(real)) {
    if (entry !== 'messages') fs.symlinkSync(path.join(real, entry), path.join(dir, entry));
  }
  for (const file of ['core.yaml', 'web.yaml']) fs.symlinkSync(path.join(real, 'messages', file), path.join(dir, 'messages', file));
  return dir;
}

/**
 * `place`: a port and DATA_DIR to reuse (a restart of the same server: same address, same database); a
 * DATA_DIR given here is left in place at stop.
 */
export async function startWebChatBot(
  env: Record<string, string> = {},
  options: WebChatFeatureOptions = {},
  place: { port?: number; dataDir?: string } = {},
): Promise<WebChatBot> {
  const dataDir = place.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bot-webchat-'));
  if (place.dataDir) fs.rmSync(path.join(dataDir, 'knowledge'), { recursive: true, force: true });
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: webChatKnowledgeDir(dataDir),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    },
    path.join(__dirname, '../..'),
  );
  const { log, lines: logs } = memoryLogger('info');
  let feature: WebChatFeature | undefined;
  const runtime = await createRuntime(config, log, {
    features: (deps) => {
      feature = createWebChatFeature(deps, options);
      return [feature];
    },
  });
  const http = createHttpServer(runtime, log);
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(place.port ?? 0, '127.0.0.1', () => resolve(http.server.address() as AddressInfo));
  });
  feature!.start?.();
  return {
    url: `http://127.0.0.1:${address.port}`,
    runtime,
    http,
    feature: feature!,
    logs,
    async stop() {
      // as the app does: open streams first (server.close waits for them)
      await http.upgrades.shutdown();
      await new Promise<void>((resolve) => http.server.close(() => resolve()));
      http.server.server.closeAllConnections?.();
      await http.queue.drain();
      await runtime.close();
      if (!place.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface DirectLineClient {
  conversationId: string;
  token: string;
  userId: string;
  watermark: string;
  /** The WebSocket stream URL the start answered with. */
  streamUrl: string;
  /** Posts an activity; returns the HTTP status and body. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** The activities after the client's watermark (moves the watermark on). */
  poll(): Promise<any[]>;
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Does what Web Chat's Direct Line client does: token, start, post, poll. */
export async function connect(url: string, locale = 'ms-MY'): Promise<DirectLineClient> {
  const generated = await json(await fetch(`${url}/directline/tokens/generate`, { method: 'POST' }));
  const started = await fetch(`${url}/directline/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: 'whoever' }, locale }),
  });
  if (started.status !== 201) throw new Error(`start: HTTP ${started.status}`);
  const conversation = await json(started);
  const client: DirectLineClient = {
    conversationId: conversation.conversationId,
    token: conversation.token,
    userId: generated.userId,
    watermark: '',
    streamUrl: conversation.streamUrl,
    async post(activity) {
      const res = await fetch(`${url}/directline/conversations/${client.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      return { status: res.status, body: await json(res) };
    },
    async poll() {
      const res = await fetch(`${url}/directline/conversations/${client.conversationId}/activities?watermark=${client.watermark}`, {
        headers: { authorization: `Bearer ${client.token}` },
      });
      if (res.status !== 200) throw new Error(`poll: HTTP ${res.status}`);
      const body = await json(res);
      client.watermark = body.watermark;
      return body.activities;
    },
  };
  return client;
}

/** A message as Web Chat posts it. */
export function message(text: string, locale = 'ms-MY', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    text,
    locale,
    textFormat: 'plain',
    from: { id: 'r_spoofed', name: '', role: 'user' },
    channelData: { clientActivityID: `c-${Math.random().toString(36).slice(2)}`, clientTimestamp: new Date().toISOString() },
    ...extra,
  };
}

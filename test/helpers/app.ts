/**
 * Starts the real bot (runtime + restify server) on 127.0.0.1 and an ephemeral port, with its own DATA_DIR,
 * and talks to it over HTTP the way a Bot Framework channel does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from './log';

export interface RunningBot {
  app: App;
  url: string;
  dataDir: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function startBot(env: Record<string, string> = {}, dataDir?: string): Promise<RunningBot> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bot-e2e-'));
  const config = loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '3000', ...env }, path.join(__dirname, '../..'));
  const { log, lines: logs } = memoryLogger('info');
  const app = await createApp(config, { log });
  const address = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${address.port}`, dataDir: dir, logs, stop: () => app.close() };
}

let counter = 0;

export function activity(text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    type: 'message',
    id: `act-${counter}`,
    text,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    conversation: { id: 'conv-1' },
    from: { id: 'user-1', name: 'Customer' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: 'en-US',
    ...overrides,
  };
}

export interface Posted {
  status: number;
  body: any;
  headers: Headers;
}

export async function post(url: string, body: unknown, init: { raw?: boolean; headers?: Record<string, string> } = {}): Promise<Posted> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    body: init.raw ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The texts of the replies in an expectReplies response. */
export function texts(posted: Posted): string[] {
  return ((posted.body?.activities ?? []) as Array<{ text?: string }>).map((a) => a.text ?? '');
}

/** The suggested-action titles of the last reply. */
export function buttons(posted: Posted): string[] {
  const acts = (posted.body?.activities ?? []) as Array<{ suggestedActions?: { actions: Array<{ title: string }> } }>;
  const last = acts[acts.length - 1];
  return (last?.suggestedActions?.actions ?? []).map((a) => a.title);
}

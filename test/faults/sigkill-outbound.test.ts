/**
 * Issue 17: the process killed with SIGKILL while WhatsApp replies wait in the channel outbox (the Graph API
 * answering 503 at the time). The compiled server (dist/src/index.js) runs on SQLite; 12 customers write 3
 * messages each through signed webhooks; once every turn's replies are committed the process is killed; the
 * platform recovers and the server restarts on the same folder. Afterwards every committed reply has been
 * delivered exactly once (the fake Graph API sees each row's biz_opaque_callback_data once), each
 * customer's replies in their order, and the outbox holds no row still to go.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { signBody } from '../../src/channels/whatsapp/webhook';
import { type BotProcess, startBotProcess } from '../helpers/spawned';

const SECRET = 'sigkill-app-secret';

class FlakyGraph {
  up = false;
  delivered: Array<{ row: number; to: string }> = [];
  refused = 0;
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      if (body.status === 'read') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"success":true}');
        return;
      }
      if (!this.up) {
        this.refused++;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: '(#131016) Service unavailable', code: 131016 } }));
        return;
      }
      const row = Number(/^ob:(\d+)$/.exec(body.biz_opaque_callback_data ?? '')?.[1] ?? -1);
      this.delivered.push({ row, to: body.to });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messages: [{ id: `wamid.${this.delivered.length}` }] }));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

function outboxRows(dataDir: string): Array<{ id: number; status: string; payload: string }> {
  const db = new BetterSqlite3(path.join(dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("select id, status, payload from channel_outbox where channel = 'whatsapp' order by id").all() as never;
  } finally {
    db.close();
  }
}

function turnsTaken(dataDir: string): number {
  const db = new BetterSqlite3(path.join(dataDir, 'bot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    // each turn's reply rows carry the turn's message id in their dedupe key ("wa:<message id>:<n>")
    const rows = db.prepare("select dedupe_key from channel_outbox where dedupe_key like 'wa:%'").all() as Array<{ dedupe_key: string }>;
    return new Set(rows.map((r) => r.dedupe_key.split(':')[1])).size;
  } finally {
    db.close();
  }
}

test('SIGKILL with replies in the outbox: after the restart each is delivered exactly once, in order', async () => {
  const graph = new FlakyGraph();
  await graph.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-kill-out-'));
  const env = {
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'verify',
    WHATSAPP_ACCESS_TOKEN: 'token',
    WHATSAPP_PHONE_NUMBER_ID: '1098765432',
    WHATSAPP_GRAPH_URL: graph.url,
    OUTBOUND_POLL_MS: '50',
    OUTBOUND_BACKOFF_MS: '20',
    OUTBOUND_MAX_BACKOFF_MS: '200',
    OUTBOUND_LEASE_MS: '1500',
    OUTBOUND_MAX_ATTEMPTS: '100',
  };
  const customers = Array.from({ length: 12 }, (_, i) => `6012300${String(4000 + i)}`);
  const words = ['hai', 'camne nk upgrade akaun ebiz', 'terima kasih'];
  let server: BotProcess | undefined;
  try {
    server = await startBotProcess(dataDir, env);
    for (const [k, word] of words.entries()) {
      const messages = customers.map((from) => ({ from, id: `wamid.kill-${from}-${k}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: word } }));
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'W', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1098765432' }, messages } }] }],
      });
      const res = await fetch(`${server.url}/api/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, SECRET) }, body: raw });
      expect(res.status).toBe(200);
    }
    // every turn's replies committed (the platform refusing meanwhile), then the process dies
    const until = Date.now() + 30_000;
    while (turnsTaken(dataDir) < customers.length * words.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(turnsTaken(dataDir)).toBe(customers.length * words.length);
    expect(graph.refused).toBeGreaterThan(0);
    server.child.kill('SIGKILL');
    await server.exited;
    server = undefined;
    const committed = outboxRows(dataDir);
    expect(committed.length).toBeGreaterThanOrEqual(customers.length * words.length);
    expect(graph.delivered).toHaveLength(0);

    graph.up = true;
    server = await startBotProcess(dataDir, env);
    const done = Date.now() + 40_000;
    while (Date.now() < done && outboxRows(dataDir).some((r) => r.status !== 'sent')) await new Promise((r) => setTimeout(r, 100));
    const rows = outboxRows(dataDir);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    // exactly once: every committed row, each once
    const seen = graph.delivered.map((d) => d.row);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    // in order per customer
    for (const to of customers) {
      const ids = graph.delivered.filter((d) => d.to === to).map((d) => d.row);
      expect(ids.length).toBeGreaterThanOrEqual(words.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  } finally {
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await graph.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

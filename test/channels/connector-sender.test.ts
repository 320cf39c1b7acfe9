/**
 * The Bot Framework connector's sender against a fake connector on 127.0.0.1 answering the documented statuses
 * (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#http-status-codes):
 * 429 (with Retry-After) and 5xx are retried, the other 4xx fail with the connector's reason, no answer is retried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ConnectorSender } from '../../src/channels/botframework/sender';
import type { OutboundRow } from '../../src/services/outbound';

class FakeConnector {
  calls: Array<{ path: string; body: any }> = [];
  script: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      this.calls.push({ path: req.url ?? '', body: data ? JSON.parse(data) : undefined });
      const next = this.script.shift() ?? { status: 200, body: { id: `act-${this.calls.length}` } };
      res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
      res.end(JSON.stringify(next.body ?? {}));
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const connector = new FakeConnector();
let sender: ConnectorSender;
beforeAll(async () => {
  await connector.start();
  // authentication off (no app id): the adapter posts without a token, as to the Emulator
  sender = new ConnectorSender(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})), '');
});
afterAll(() => connector.stop());
beforeEach(() => {
  connector.calls = [];
  connector.script = [];
});

const row = (serviceUrl: string, replyToId?: string): OutboundRow =>
  ({
    id: 1,
    channel: 'botframework',
    payload: JSON.stringify({
      reference: { channelId: 'msteams', serviceUrl, conversation: { id: 'a:conv-1' }, bot: { id: '28:bot', name: 'Bot' }, user: { id: '29:user', name: 'U' } },
      activity: { type: 'message', text: 'Your ticket was answered.', ...(replyToId ? { replyToId } : {}) },
    }),
  }) as unknown as OutboundRow;

const errorBody = (code: string, message: string) => ({ error: { code, message } });

test('200: sent with the connector\'s activity id; a reply to an activity goes to its thread', async () => {
  expect(await sender.deliver(row(connector.url))).toEqual({ kind: 'sent', platformId: 'act-1' });
  expect(connector.calls[0]!.path).toBe('/v3/conversations/a%3Aconv-1/activities');
  expect(connector.calls[0]!.body.text).toBe('Your ticket was answered.');
  await sender.deliver(row(connector.url, 'msg-7'));
  expect(connector.calls[1]!.path).toBe('/v3/conversations/a%3Aconv-1/activities/msg-7');
});

test.each([
  [429, 'retry', { 'retry-after': '3' }, 3000],
  [500, 'retry', {}, undefined],
  [502, 'retry', {}, undefined],
  [503, 'retry', {}, undefined],
  [504, 'retry', {}, undefined],
  [400, 'failed', {}, undefined],
  [401, 'failed', {}, undefined],
  [403, 'failed', {}, undefined],
  [404, 'failed', {}, undefined],
])('HTTP %i → %s', async (status, kind, headers, retryAfterMs) => {
  // the connector may retry a 429/5xx itself before answering: script enough answers
  connector.script = Array.from({ length: 5 }, () => ({ status, headers, body: errorBody('ServiceError', `status ${status} from the connector`) }));
  const outcome = await sender.deliver(row(connector.url));
  expect(outcome).toMatchObject({ kind, code: `http-${status}` });
  expect((outcome as { reason: string }).reason).toContain(`status ${status} from the connector`);
  if (retryAfterMs) expect((outcome as { retryAfterMs?: number }).retryAfterMs).toBe(retryAfterMs);
}, 30_000);

test('no answer at all (nothing listening) is retried', async () => {
  const outcome = await sender.deliver(row('http://127.0.0.1:9'));
  expect(outcome.kind).toBe('retry');
}, 30_000);

/**
 * WhatsApp pieces on their own: rendering (buttons, lists, numbered text, shortened titles, hashed ids), the
 * store on every engine (dedupe across instances, the 24-hour clock, offered choices), the Graph client's
 * Retry-After, and the configuration guards (no verify token → 403, no app secret → 401).
 */
import { toActivity } from '../../src/bot/reply';
import { OutboundQueue } from '../../src/services/outbound/queue';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { createLogger } from '../../src/logging';
import { GraphClient, parseRetryAfter } from '../../src/channels/whatsapp/graph';
import {
  LIMITS,
  cardText,
  choiceId,
  renderActivity,
  resolveChoiceId,
  resolveNumberedReply,
  shorten,
  splitText,
} from '../../src/channels/whatsapp/render';
import { WhatsAppStore } from '../../src/channels/whatsapp/store';
import { handshake, parseWebhook, signBody, verifySignature } from '../../src/channels/whatsapp/webhook';
import { WhatsAppAdapter } from '../../src/channels/whatsapp/adapter';
import { engines, openTestDatabase } from '../helpers/databases';

const words = { listButton: 'See options', chooseOne: 'Please choose one:', numberedHint: 'Reply with the number.' };
const silent = createLogger({ level: 'silent', format: 'json', destination: new Writable({ write: (_c, _e, d) => d() }) });
const withChoices = (n: number, title = (i: number) => `Choice number ${i + 1} with a rather long title`): Partial<Activity> => ({
  type: 'message',
  text: 'Pick one',
  suggestedActions: { to: [], actions: Array.from({ length: n }, (_, i) => ({ type: 'imBack', title: title(i), value: `value ${i + 1}` })) },
});

describe('rendering activities as WhatsApp messages', () => {
  test('1–3 choices whose labels fit: reply buttons with the labels whole, ids carrying the value', () => {
    const r = renderActivity(withChoices(3, (i) => ['Upgrade eBiz', 'Switch plan', 'Talk to staff'][i]!), words);
    const buttons = (r.messages[0] as any).interactive.action.buttons;
    expect(buttons.map((b: any) => b.reply.title)).toEqual(['Upgrade eBiz', 'Switch plan', 'Talk to staff']);
    expect(resolveChoiceId(buttons[2].reply.id, r.offered)).toBe('value 3');
    expect(r.offered).toEqual({ mode: 'buttons', values: ['value 1', 'value 2', 'value 3'] });
  });

  test('labels too long for a button are never cut to a fragment: a list with the whole wording beside them', () => {
    const r = renderActivity(withChoices(3, () => 'Exactly the same long title'), words);
    const list = (r.messages[0] as any).interactive;
    expect(list.type).toBe('list');
    const rows = list.action.sections[0].rows;
    expect(new Set(rows.map((row: any) => row.title)).size).toBe(3);
    for (const row of rows) {
      expect(row.title.length).toBeLessThanOrEqual(LIMITS.rowTitle);
      expect(row.description).toBe('Exactly the same long title');
    }
    // wording too long even for a row's description: numbered text, whole
    const long = 'How do I move my old eBiz login to the new portal without losing my company records?';
    const numbered = renderActivity(withChoices(2, () => long), words);
    expect((numbered.messages[0] as any).text.body).toContain(`1. ${long}`);
  });

  test('short labels from the knowledge: list rows titled by the label with the full question as description', () => {
    const questions = ['How do I upgrade my eBiz account?', 'Can I switch from postpaid to prepaid?', 'What does it cost to switch plans mid-cycle?', 'Who do I contact?'];
    const labels = ['Upgrade eBiz', 'Postpaid to prepaid', 'Mid-cycle cost', 'Contact'];
    const activity = toActivity({ text: 'Related questions', choices: questions.map((q, i) => ({ title: labels[i]!, value: q, description: q })) });
    const r = renderActivity(activity, words);
    const rows = (r.messages[0] as any).interactive.action.sections[0].rows;
    expect(rows.map((row: any) => row.title)).toEqual(labels);
    expect(rows.map((row: any) => row.description)).toEqual(questions);
    expect(r.offered!.values).toEqual(questions);
  });

  test('4–10 choices: a list with short row titles and the full wording in the description', () => {
    const r = renderActivity(withChoices(10), words);
    const list = (r.messages[0] as any).interactive;
    expect(list.type).toBe('list');
    expect(list.action.button).toBe('See options');
    const rows = list.action.sections[0].rows;
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.title.length).toBeLessThanOrEqual(LIMITS.rowTitle);
      expect(row.description.length).toBeLessThanOrEqual(LIMITS.rowDescription);
    }
    expect(rows[0].description).toBe('Choice number 1 with a rather long title');
  });

  test('more than 10 choices: numbered text, and "2" maps to the second choice', () => {
    const r = renderActivity(withChoices(12), words);
    expect(r.messages).toHaveLength(1);
    const body = (r.messages[0] as any).text.body as string;
    expect(body).toContain('1. Choice number 1');
    expect(body).toContain('12. Choice number 12');
    expect(body).toContain('Reply with the number.');
    expect(resolveNumberedReply('2', r.offered)).toBe('value 2');
    expect(resolveNumberedReply(' 12. ', r.offered)).toBe('value 12');
    expect(resolveNumberedReply('13', r.offered)).toBeUndefined();
    expect(resolveNumberedReply('2 lines', r.offered)).toBeUndefined();
    expect(resolveNumberedReply('2', { mode: 'buttons', values: ['a', 'b'] })).toBeUndefined();
  });

  test('a value too long for an id is sent as its hash and found again among the offered choices', () => {
    const long = 'x'.repeat(300);
    const id = choiceId(long, LIMITS.buttonId);
    expect(id.length).toBeLessThanOrEqual(LIMITS.buttonId);
    expect(resolveChoiceId(id, { mode: 'buttons', values: ['a', long] })).toBe(long);
    expect(resolveChoiceId(id, undefined)).toBeUndefined();
  });

  test('long text goes first on its own; cards become text; plain text is split at 4096', () => {
    const r = renderActivity({ ...withChoices(2), text: 'y '.repeat(700) }, words);
    expect(r.messages[0]).toMatchObject({ type: 'text' });
    expect((r.messages[1] as any).interactive.body.text).toBe('Please choose one:');
    const card = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Bill' }, { type: 'FactSet', facts: [{ title: 'Total', value: 'RM 12.30' }] }] };
    expect(cardText(card)).toBe('Bill\nTotal: RM 12.30');
    const fromCard = renderActivity({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }, words);
    expect((fromCard.messages[0] as any).text.body).toBe('Bill\nTotal: RM 12.30');
    const parts = splitText('word '.repeat(2000));
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(shorten('Semak kelayakan saya sekarang', 20)).toBe('Semak kelayakan…');
  });
});

describe('webhook guards', () => {
  test('handshake without a configured verify token is refused', () => {
    const params = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' });
    expect(handshake(params, undefined).status).toBe(403);
  });

  test('signature: constant-time check of the raw bytes', () => {
    const raw = Buffer.from('{"a":"é"}');
    expect(verifySignature(raw, signBody(raw, 's'), 's')).toBe(true);
    expect(verifySignature(Buffer.from('{"a":"e"}'), signBody(raw, 's'), 's')).toBe(false);
    expect(verifySignature(raw, signBody(raw, 's'), '')).toBe(false);
  });

  test('without WHATSAPP_APP_SECRET every POST is refused', async () => {
    const db = await openTestDatabase('sqlite');
    try {
      const adapter = new WhatsAppAdapter({
        settings: { graphUrl: 'http://127.0.0.1:9', apiVersion: 'v21.0', templates: {} },
        db: db.database.db,
        catalog: { t: () => 'x' } as never,
        log: silent,
        outbox: new OutboundQueue(db.database.db),
      });
      const raw = Buffer.from('{}');
      expect(adapter.receive(raw, signBody(raw, ''))).toMatchObject({ status: 401 });
    } finally {
      await db.dispose();
    }
  });

  test('message kinds: text, button, list, template button, welcome, reaction, image', () => {
    const m = (type: string, extra: object) => ({ from: '60123456789', id: `id-${type}`, timestamp: '1700000000', type, ...extra });
    const parsed = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          changes: [
            {
              field: 'messages',
              value: {
                messages: [
                  m('text', { text: { body: 'hai' } }),
                  m('interactive', { interactive: { type: 'button_reply', button_reply: { id: 'v:a', title: 'A' } } }),
                  m('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'v:b', title: 'B' } } }),
                  m('button', { button: { text: 'Yes', payload: 'yes' } }),
                  m('request_welcome', {}),
                  m('reaction', { reaction: { emoji: '👍' } }),
                  m('image', { image: { id: '1' } }),
                ],
              },
            },
          ],
        },
      ],
    });
    expect(parsed.messages.map((x) => x.kind)).toEqual(['text', 'choice', 'choice', 'templateButton', 'welcome', 'ignored', 'unreadable']);
  });
});

describe.each(engines())('WhatsApp store on %s', (engine) => {
  test('a message id is claimed once across instances; the window clock and offered choices persist', async () => {
    const db = await openTestDatabase(engine);
    try {
      const a = new WhatsAppStore(db.database.db);
      const other = await db.reopen();
      const b = new WhatsAppStore(other.db);
      const results = await Promise.all([a.claimMessage('wamid.1'), b.claimMessage('wamid.1')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.claimMessage('wamid.2')).toBe(true);

      expect(await a.lastInbound('60123456789')).toBeUndefined();
      await a.recordInbound('60123456789', 2_000);
      await b.recordInbound('60123456789', 1_000); // an older, late delivery does not move the clock back
      expect(await b.lastInbound('60123456789')).toBe(2_000);

      await a.setOfferedChoices('60123456789', { mode: 'numbered', values: ['x', 'y'] });
      expect(await b.offeredChoices('60123456789')).toEqual({ mode: 'numbered', values: ['x', 'y'] });
      await b.setOfferedChoices('60123456789', undefined);
      expect(await a.offeredChoices('60123456789')).toBeUndefined();
      expect(await a.lastInbound('60123456789')).toBe(2_000);
      // the number itself is not stored
      const rows = await db.database.db.selectFrom('whatsapp_contacts').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain('60123456789');
    } finally {
      await db.dispose();
    }
  });
});

describe('Graph client', () => {
  test('one request per attempt: Retry-After on a 429 and Meta\'s code on a 5xx classified for the outbox\'s retry', async () => {
    const times: number[] = [];
    const server = http.createServer((req, res) => {
      times.push(Date.now());
      req.resume();
      req.on('end', () => {
        if (times.length === 1) {
          res.writeHead(429, { 'retry-after': '0.3' });
          res.end('{}');
        } else {
          res.writeHead(503);
          res.end('{"error":{"message":"down","code":2}}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const client = new GraphClient({ graphUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiVersion: 'v21.0', phoneNumberId: '1', accessToken: 't' });
      const message = { to: '60123456789', type: 'text', text: { body: 'x' } };
      expect(await client.attempt(message)).toMatchObject({ ok: false, verdict: 'retry', status: 429, codeText: 'http-429', retryAfterMs: 300 });
      expect(times).toHaveLength(1);
      expect(await client.attempt(message)).toMatchObject({ ok: false, verdict: 'retry', status: 503, code: 2, codeText: '2' });
      expect(times).toHaveLength(2);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

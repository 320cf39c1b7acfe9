/**
 * The web chat feature through a real restify server on 127.0.0.1: the page and its security headers,
 * Web Chat's bundle, the bot's own Direct Line (tokens, start + welcome, post + poll, watermarks, language
 * toggle, bad input, rate limits, proactive messages) and the Azure token exchange against a local stand-in.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import type { TurnContext } from 'botbuilder';
import { Client } from 'pg';
import { type WebChatBot, connect, message, startWebChatBot } from './helpers';

describe('web chat feature over HTTP', () => {
  let bot: WebChatBot;

  beforeAll(async () => {
    bot = await startWebChatBot({ RATE_LIMIT_PER_CONVERSATION: '12' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  describe('the page', () => {
    it('serves the page in Malay by default, with a strict CSP and no inline script', async () => {
      const res = await fetch(`${bot.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html).toContain('<html lang="ms">');
      expect(html).toContain('>Khidmat Pelanggan</h1>');
      expect(html).toContain('data-en="Customer Support"');
      expect(html).toMatch(/<script src="\/webchat\/webchat\.[\w-]{12}\.js" defer><\/script>/);
      // every <script> has a src: nothing inline for the CSP to block
      const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
      expect(scripts.length).toBe(2);
      for (const s of scripts) expect(s).toMatch(/^<script src="[^"]+" defer><\/script>$/);
      expect(html).not.toMatch(/\{\{/);
      expect(html).not.toMatch(/cdn|unpkg|jsdelivr/i);
    });

    it('follows ?lang= and Accept-Language', async () => {
      const en = await (await fetch(`${bot.url}/?lang=en`)).text();
      expect(en).toContain('<html lang="en">');
      expect(en).toContain('>Customer Support</h1>');
      const accepted = await (await fetch(`${bot.url}/`, { headers: { 'accept-language': 'fr-FR, en-GB;q=0.8, ms;q=0.5' } })).text();
      expect(accepted).toContain('<html lang="en">');
      const malay = await (await fetch(`${bot.url}/`, { headers: { 'accept-language': 'ms-MY,en;q=0.9' } })).text();
      expect(malay).toContain('<html lang="ms">');
    });

    it('serves Web Chat from node_modules under its content hash, compressed (brotli, gzip) and cached for good', async () => {
      const html = await (await fetch(`${bot.url}/`)).text();
      const hashed = /src="(\/webchat\/webchat\.[\w-]{12}\.js)"/.exec(html)![1]!;
      const res = await fetch(`${bot.url}${hashed}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = await res.text();
      expect(body.length).toBeGreaterThan(1_000_000);
      expect(body).toContain('renderWebChat');
      // the name is the content's: SHA-256, base64url, 12 characters
      expect(hashed).toContain(`.${createHash('sha256').update(body).digest('base64url').slice(0, 12)}.`);
      // the plain name still answers (an embedding page may use it), revalidated each time
      const plain = await fetch(`${bot.url}/webchat/webchat.js`);
      expect(plain.headers.get('cache-control')).toBe('no-cache');
      const etag = plain.headers.get('etag')!;
      await plain.arrayBuffer();
      const again = await fetch(`${bot.url}/webchat/webchat.js`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      // raw requests to see the wire: brotli when accepted, else gzip, else none
      const raw = (encoding: string) =>
        new Promise<{ encoding?: string; vary?: string; body: Buffer }>((resolve, reject) => {
          http
            .get(`${bot.url}${hashed}`, { headers: { 'accept-encoding': encoding } }, (r) => {
              const chunks: Buffer[] = [];
              r.on('data', (c: Buffer) => chunks.push(c));
              r.on('end', () => resolve({ encoding: r.headers['content-encoding'], vary: r.headers.vary, body: Buffer.concat(chunks) }));
            })
            .on('error', reject);
        });
      const br = await raw('gzip, deflate, br');
      expect(br.encoding).toBe('br');
      expect(br.vary).toBe('Accept-Encoding');
      expect(zlib.brotliDecompressSync(br.body).toString('utf8')).toBe(body);
      expect(br.body.length).toBeLessThan(body.length / 4);
      const gz = await raw('gzip');
      expect(gz.encoding).toBe('gzip');
      expect(zlib.gunzipSync(gz.body).toString('utf8')).toBe(body);
      expect(gz.body.length).toBeLessThan(body.length / 3);
      expect((await raw('br;q=0, identity')).encoding).toBeUndefined();
      // the compressed forms are kept by content hash under DATA_DIR/cache for the next start
      const hash = /webchat\.([\w-]{12})\.js/.exec(hashed)![1]!;
      const cached = path.join(bot.runtime.config.dataDir, 'cache', `webchat.js.${hash}.br`);
      expect(zlib.brotliDecompressSync(fs.readFileSync(cached)).toString('utf8')).toBe(body);
    });

    it('serves the page script and style, and nothing else from /webchat', async () => {
      const js = await fetch(`${bot.url}/webchat/app.js`);
      expect(js.status).toBe(200);
      expect(await js.text()).toContain('setLanguage');
      expect((await fetch(`${bot.url}/webchat/app.css`)).headers.get('content-type')).toMatch(/^text\/css/);
      expect((await fetch(`${bot.url}/webchat/..%2Fpackage.json`)).status).toBe(404);
      expect((await fetch(`${bot.url}/webchat/index.html`)).status).toBe(404);
    });
  });

  describe('the Direct Line connection', () => {
    it('welcomes a new conversation, then answers a Malay question with suggested actions', async () => {
      const dl = await connect(bot.url);
      const welcome = await dl.poll();
      expect(welcome).toHaveLength(1);
      expect(welcome[0].from.role).toBe('bot');
      expect(welcome[0].text).toContain('Hai!');
      expect(welcome[0].suggestedActions.actions.length).toBeGreaterThan(0);
      expect(welcome[0].id).toBe(`${dl.conversationId}|0000001`);
      expect(dl.watermark).toBe('1');

      const sent = message('camne nk upgrade akaun ebiz');
      const posted = await dl.post(sent);
      expect(posted.status).toBe(200);
      const activities = await dl.poll();
      // the echo first (Web Chat matches it by clientActivityID), then the answer
      expect(activities[0].from).toEqual({ id: dl.userId, name: '', role: 'user' });
      expect(activities[0].id).toBe(posted.body.id);
      expect(activities[0].channelData.clientActivityID).toBe((sent.channelData as { clientActivityID: string }).clientActivityID);
      const answer = activities[1];
      expect(answer.from.role).toBe('bot');
      expect(answer.channelId).toBe('webchat');
      expect(answer.conversation.id).toBe(dl.conversationId);
      expect(answer.text).toContain('kaunter JUPEM');
      const actions = answer.suggestedActions.actions as Array<{ type: string; title: string; text: string; value: { choice: string } }>;
      expect(actions.length).toBeGreaterThan(0);

      // a suggested action (messageBack) sends its text back as a message, with its choice as the value
      await dl.post({ ...message(actions[0]!.text), value: actions[0]!.value });
      const followup = await dl.poll();
      expect(followup[0].text).toBe(actions[0]!.text);
      expect(followup.length).toBeGreaterThan(1);
      expect(followup[1].from.role).toBe('bot');
      expect(followup[1].text).not.toBe(answer.text);

      // nothing new: the same watermark, no activities
      const before = dl.watermark;
      expect(await dl.poll()).toEqual([]);
      expect(dl.watermark).toBe(before);
    });

    it('welcomes in the page language and honours the BM / EN toggle (setLanguage event)', async () => {
      const dl = await connect(bot.url, 'en-US');
      const [welcome] = await dl.poll();
      // the welcome is bilingual; its buttons follow the page language
      expect(welcome.suggestedActions.actions.map((a: { title: string }) => a.title)).toContain('Raise a ticket');

      expect((await dl.post({ type: 'event', name: 'setLanguage', value: 'en', locale: 'en-US' })).status).toBe(200);
      const switched = await dl.poll();
      expect(switched.map((a) => a.text)).toContain("OK, I'll reply in English.");
      await dl.post(message('upgrade akaun', 'en-US'));
      const reply = (await dl.poll()).filter((a) => a.from.role === 'bot');
      expect(reply[0].text).toMatch(/JUPEM counter/);

      await dl.post({ type: 'event', name: 'setLanguage', value: 'ms', locale: 'ms-MY' });
      expect((await dl.poll()).map((a) => a.text)).toContain('Baik, saya akan menjawab dalam Bahasa Melayu.');
    });

    it('refuses other conversations, bad tokens and expired watermarks politely', async () => {
      const a = await connect(bot.url);
      const b = await connect(bot.url);
      const foreign = await fetch(`${bot.url}/directline/conversations/${b.conversationId}/activities`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as any).error.code).toBe('BadArgument');
      const postForeign = await fetch(`${bot.url}/directline/conversations/${b.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(message('hai')),
      });
      expect(postForeign.status).toBe(403);

      const [header, payload, sig] = a.token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, conv: b.conversationId })).toString('base64url')}.${sig}`;
      for (const auth of [`Bearer ${forged}`, 'Bearer nonsense']) {
        const res = await fetch(`${bot.url}/directline/conversations/${b.conversationId}/activities`, { headers: { authorization: auth } });
        expect(res.status).toBe(403);
        expect(((await res.json()) as any).error.code).toBe('TokenExpired');
      }
      // no token at all: 401, as the Direct Line reference answers a missing Authorization header
      for (const auth of ['', 'Basic abc']) {
        const res = await fetch(`${bot.url}/directline/conversations/${b.conversationId}/activities`, { headers: { authorization: auth } });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
      const badWatermark = await fetch(`${bot.url}/directline/conversations/${a.conversationId}/activities?watermark=abc`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(badWatermark.status).toBe(400);
      // b's conversation saw nothing of a's attempts
      expect((await b.poll()).map((x) => x.from.role)).toEqual(['bot']);
    });

    it('uses the token user id, whatever the body says', async () => {
      const dl = await connect(bot.url);
      await dl.poll();
      await dl.post(message('hai', 'ms-MY', { from: { id: 'someone-else', name: 'Mallory' } }));
      const [echo] = await dl.poll();
      expect(echo.from.id).toBe(dl.userId);
      expect(echo.from.id).toMatch(/^dl_/);
    });

    it('answers bad input with an error, never a crash', async () => {
      const dl = await connect(bot.url);
      await dl.poll();
      const url = `${bot.url}/directline/conversations/${dl.conversationId}/activities`;
      const headers = { authorization: `Bearer ${dl.token}`, 'content-type': 'application/json' };
      const malformed = await fetch(url, { method: 'POST', headers, body: '{"type": "message", "text": ' });
      expect(malformed.status).toBe(400);
      const unknownType = await dl.post({ type: 'invoke', name: 'x' });
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.error.message).toMatch(/type/);
      const badLocale = await dl.post(message('hai', '<script>'));
      expect(badLocale.status).toBe(400);
      const tooBig = await fetch(url, { method: 'POST', headers, body: JSON.stringify(message('a'.repeat(300 * 1024))) });
      expect(tooBig.status).toBe(413);
      // a picture without text: the bot says what it can read
      const picture = await dl.post(message('', 'en-US', { attachments: [{ contentType: 'image/png', contentUrl: 'blob:x' }] }));
      expect(picture.status).toBe(200);
      const replies = (await dl.poll()).filter((a) => a.from.role === 'bot');
      expect(replies).toHaveLength(1);
      expect(replies[0].text.length).toBeGreaterThan(0);
      const typing = await dl.post({ type: 'typing' });
      expect(typing.status).toBe(200);
      expect(await dl.poll()).toEqual([]);
      const upload = await fetch(`${url.replace(/activities$/, 'upload')}?userId=x`, { method: 'POST', headers });
      expect(upload.status).toBe(415);
    });

    it('refreshes tokens and reconnects to a conversation', async () => {
      const dl = await connect(bot.url);
      const refreshed = await fetch(`${bot.url}/directline/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${dl.token}` } });
      expect(refreshed.status).toBe(200);
      const body = (await refreshed.json()) as any;
      expect(body.conversationId).toBe(dl.conversationId);
      const reconnect = await fetch(`${bot.url}/directline/conversations/${dl.conversationId}?watermark=0`, {
        headers: { authorization: `Bearer ${body.token}` },
      });
      expect(reconnect.status).toBe(200);
      // starting the same conversation again is not a second welcome
      const again = await fetch(`${bot.url}/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${body.token}` } });
      expect(again.status).toBe(200);
      expect((await dl.poll()).filter((a) => a.from.role === 'bot')).toHaveLength(1);
    });

    it('limits the messages of one conversation', async () => {
      const dl = await connect(bot.url);
      const statuses: number[] = [];
      for (let i = 0; i < 13; i++) statuses.push((await dl.post(message('terima kasih'))).status);
      expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
      expect(statuses[12]).toBe(429);
    });

    it('reaches a conversation outside a turn (a staff reply)', async () => {
      const dl = await connect(bot.url);
      await dl.poll();
      await bot.feature.adapter.continueConversationAsync(
        'support-bot',
        { conversation: { id: dl.conversationId, isGroup: false, conversationType: '', name: '' }, user: { id: dl.userId, name: '' }, channelId: 'webchat' },
        async (context: TurnContext) => {
          await context.sendActivity('Balasan daripada staf');
        },
      );
      const [reply] = await dl.poll();
      expect(reply.text).toBe('Balasan daripada staf');
      expect(reply.from.role).toBe('bot');
      // a "webchat" conversation that is not this connection's (Web Chat through Azure) goes to the Bot Framework adapter
      const cloud = jest.spyOn(bot.http.adapter, 'continueConversationAsync').mockResolvedValue(undefined);
      const azureReference = { conversation: { id: 'AzConv-9', isGroup: false, conversationType: '', name: '' }, channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/' };
      const logic = async (c: TurnContext) => {
        await c.sendActivity('x');
      };
      await bot.feature.adapter.continueConversationAsync('support-bot', azureReference, logic);
      expect(cloud).toHaveBeenCalledWith('support-bot', azureReference, logic);
      cloud.mockRestore();
    });
  });

  describe('/api/directline/token without DIRECT_LINE_SECRET', () => {
    it('says clearly that Direct Line is not configured', async () => {
      const res = await fetch(`${bot.url}/api/directline/token`, { method: 'POST' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error).toMatch(/DIRECT_LINE_SECRET/);
    });
  });
});

describe('/api/directline/token with DIRECT_LINE_SECRET (Azure stand-in on 127.0.0.1)', () => {
  let azure: http.Server;
  let azureUrl: string;
  let bot: WebChatBot;
  const requests: Array<{ url?: string; auth?: string; body: any }> = [];
  let failNext = false;

  beforeAll(async () => {
    azure = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        requests.push({ url: req.url, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined });
        // (restify, loaded in this process, patches writeHead: set the status, then end)
        res.setHeader('content-type', 'application/json');
        if (failNext) {
          failNext = false;
          res.statusCode = 500;
          res.end('{"error":{"code":"ServiceError"}}');
        } else if (req.headers.authorization !== 'Bearer s3cret-direct-line') {
          res.statusCode = 403;
          res.end('{"error":{"code":"BadArgument"}}');
        } else {
          res.statusCode = 200;
          res.end(JSON.stringify({ conversationId: 'AzConv-1', token: 'az.token.1', expires_in: 1800 }));
        }
      });
    });
    await new Promise<void>((resolve) => azure.listen(0, '127.0.0.1', resolve));
    azureUrl = `http://127.0.0.1:${(azure.address() as AddressInfo).port}/v3/directline`;
    bot = await startWebChatBot({ DIRECT_LINE_SECRET: 's3cret-direct-line' }, { azureDirectLineUrl: azureUrl });
  });
  afterAll(async () => {
    await bot?.stop();
    await new Promise((resolve) => azure?.close(resolve));
  });

  it('exchanges the secret for a conversation token; the secret never reaches the browser', async () => {
    const res = await fetch(`${bot.url}/api/directline/token`, { method: 'POST' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('s3cret');
    const body = JSON.parse(text);
    expect(body).toMatchObject({ token: 'az.token.1', conversationId: 'AzConv-1', expires_in: 1800 });
    expect(body.userId).toMatch(/^dl_[0-9a-f]{24}$/);
    const seen = requests[requests.length - 1]!;
    expect(seen.url).toBe('/v3/directline/tokens/generate');
    expect(seen.auth).toBe('Bearer s3cret-direct-line');
    expect(seen.body).toEqual({ user: { id: body.userId } });
    expect(bot.logs.join('')).not.toContain('s3cret');
  });

  it('answers 502 when Azure fails', async () => {
    failNext = true;
    const res = await fetch(`${bot.url}/api/directline/token`, { method: 'POST' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).error).toMatch(/try again/);
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
(pgUrl ? describe : describe.skip)('two bot instances on one PostgreSQL database (stateless web chat)', () => {
  // named with the run's prefix: dropped after the whole run (test/helpers/pg-global.js)
  const schema = `${process.env.TEST_SCHEMA_PREFIX ?? 't_'}webchat_${process.pid}_${Date.now().toString(36)}`;
  let a: WebChatBot;
  let b: WebChatBot;

  beforeAll(async () => {
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const url = new URL(pgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    a = await startWebChatBot({ DATABASE_URL: url.toString() });
    b = await startWebChatBot({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('starts a conversation on one instance, talks on the other, and polls anywhere', async () => {
    const dl = await connect(a.url);
    // the other instance verifies the token (one signing key in the database) and sees the welcome
    const res = await fetch(`${b.url}/directline/conversations/${dl.conversationId}/activities?watermark=`, {
      headers: { authorization: `Bearer ${dl.token}` },
    });
    expect(res.status).toBe(200);
    const first = (await res.json()) as any;
    expect(first.activities[0].text).toContain('Hai!');
    const posted = await fetch(`${b.url}/directline/conversations/${dl.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dl.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(message('camne nk upgrade akaun ebiz')),
    });
    expect(posted.status).toBe(200);
    const all = await dl.poll(); // from instance a
    expect(all.map((x) => x.from.role)).toEqual(['bot', 'user', 'bot']);
    expect(all[2].text).toContain('kaunter JUPEM');
  });
});

/**
 * The real server on an ephemeral port: expectReplies answers, welcome, persistence across a restart,
 * health and readiness, and bad input that must never produce a 500 or stop the server.
 */
import { type RunningBot, activity, buttons, post, startBot, texts } from '../helpers/app';

describe('HTTP end to end', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  test('GET /healthz and /readyz answer JSON', async () => {
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', knowledge: { entries: expect.any(Number) } });
  });

  test('expectReplies returns the answer in the body, in the language of the question', async () => {
    const ms = await post(bot.url, activity('camne nk upgrade akaun ebiz', { conversation: { id: 'lang-ms' } }));
    expect(ms.status).toBe(200);
    expect(texts(ms).join('\n')).toContain('kaunter JUPEM');
    const en = await post(bot.url, activity('how do I upgrade my ebiz account', { conversation: { id: 'lang-en' } }));
    expect(en.status).toBe(200);
    expect(texts(en).join('\n')).toMatch(/JUPEM counter/i);
  });

  test('no trace activity reaches the expectReplies body', async () => {
    const res = await post(bot.url, activity('hello', { conversation: { id: 'trace' } }));
    for (const a of res.body.activities) expect(a.type).not.toBe('trace');
  });

  test('a new conversation is welcomed in both languages with suggested actions', async () => {
    const res = await post(
      bot.url,
      activity('', { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'user-9' }], conversation: { id: 'welcome' } }),
    );
    expect(res.status).toBe(200);
    const [welcome] = texts(res);
    expect(welcome).toContain('Hai!');
    expect(welcome).toContain('Hi!');
    expect(buttons(res).length).toBeGreaterThanOrEqual(2);
  });

  test('an out-of-scope question gets an honest fallback with a ticket offer, in its language', async () => {
    const res = await post(bot.url, activity('what is the weather in Penang tomorrow', { conversation: { id: 'oos' } }));
    expect(texts(res).join('\n')).toMatch(/not sure/i);
    expect(buttons(res)).toContain('Raise a ticket');
  });

  describe('bad input never breaks the server', () => {
    test.each([
      ['malformed JSON', 400, '{"type": "message", '],
      ['a JSON array', 400, '[1,2,3]'],
      ['a JSON string', 400, '"hello"'],
      ['an empty body', 400, ''],
    ])('%s → %d', async (_name, status, raw) => {
      const res = await post(bot.url, raw, { raw: true });
      expect(res.status).toBe(status);
      expect(res.body).toHaveProperty('error');
    });

    test('a body over MAX_BODY_BYTES → 413', async () => {
      const res = await post(bot.url, activity('x'.repeat(300 * 1024)));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'request body too large' });
    });

    test.each([
      ['no type', { type: undefined }],
      ['an empty type', { type: '' }],
      ['no conversation', { conversation: undefined }],
      ['no conversation id', { conversation: {} }],
      ['a numeric text', { text: 42 }],
      ['a conversation id that is an object', { conversation: { id: { $ne: 1 } } }],
    ])('an activity with %s → 400', async (_name, override) => {
      const res = await post(bot.url, activity('hai', override));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid activity');
    });

    test('an unknown activity type is a polite no-op', async () => {
      const res = await post(bot.url, activity('', { type: 'somethingNew', conversation: { id: 'unknown-type' } }));
      expect(res.status).toBe(200);
      expect(texts(res)).toEqual([]);
    });

    test('a message with no text (a picture) gets a polite answer', async () => {
      const res = await post(
        bot.url,
        activity('', { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/x.png' }], conversation: { id: 'img' } }),
      );
      expect(res.status).toBe(200);
      expect(texts(res)[0]).toMatch(/text messages/);
    });

    test('a message over MAX_MESSAGE_CHARS is answered politely in its language', async () => {
      const res = await post(bot.url, activity('saya nak tanya tentang akaun '.repeat(100), { conversation: { id: 'long' } }));
      expect(res.status).toBe(200);
      expect(texts(res)[0]).toMatch(/terlalu panjang/);
    });

    test('the server still answers afterwards', async () => {
      const res = await post(bot.url, activity('hi', { conversation: { id: 'after-bad' } }));
      expect(res.status).toBe(200);
      expect(texts(res).length).toBeGreaterThan(0);
    });
  });

  test('messages of one conversation sent together are all answered, in order', async () => {
    const questions = Array.from({ length: 8 }, (_, i) => (i % 2 ? 'hai' : 'hello'));
    const results = await Promise.all(questions.map((q) => post(bot.url, activity(q, { conversation: { id: 'burst' } }))));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(texts(r).length).toBeGreaterThan(0);
    }
  });
});

describe('state survives a restart', () => {
  test('the explicit language choice is still there after the server restarts', async () => {
    const first = await startBot();
    const user = { from: { id: 'user-restart' }, conversation: { id: 'restart-1' }, locale: 'ms-MY' };
    const switched = await post(first.url, activity('English please', user));
    expect(texts(switched)).toEqual(["OK, I'll reply in English."]);
    await first.stop();

    const second = await startBot({}, first.dataDir);
    try {
      // "menu" says nothing about the language: the stored choice decides
      const res = await post(second.url, activity('menu', { ...user, conversation: { id: 'restart-2' } }));
      expect(texts(res)).toEqual(['What can I help you with?']);
    } finally {
      await second.stop();
    }
  });
});

describe('rate limits', () => {
  test('a flooding conversation gets one polite message, then nothing until the window ends', async () => {
    const bot = await startBot({ RATE_LIMIT_PER_CONVERSATION: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const conv = { conversation: { id: 'flood' } };
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(texts(await post(bot.url, activity('camne nk upgrade akaun', conv))));
      expect(replies.slice(0, 3).every((r) => r.length > 0)).toBe(true);
      expect(replies[3]![0]).toMatch(/^Anda menghantar mesej terlalu cepat\. Sila tunggu \d+ saat/);
      expect(replies[4]).toEqual([]);
      // another conversation is not affected
      expect(texts(await post(bot.url, activity('hai', { conversation: { id: 'calm' } }))).length).toBeGreaterThan(0);
    } finally {
      await bot.stop();
    }
  });

  test('a client over the per-IP limit gets 429 with Retry-After', async () => {
    const bot = await startBot({ RATE_LIMIT_PER_IP: '4', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const statuses = [];
      let last;
      for (let i = 0; i < 6; i++) {
        last = await post(bot.url, activity('hai', { conversation: { id: `ip-${i}` } }));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.body).toMatchObject({ error: 'too many requests' });
    } finally {
      await bot.stop();
    }
  });
});

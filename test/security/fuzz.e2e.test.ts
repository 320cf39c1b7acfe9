/**
 * Issue 10, item 2: fuzzing the real server. 2,100 generated and mutated activities (random JSON, wrong
 * types, huge strings of random words and letters (issue 13: random content, words of up to 4,000 letters),
 * deep nesting, emoji, right-to-left and control characters, unknown activity types,
 * missing ids, every channel id) are posted to /api/messages on 127.0.0.1. Nothing may answer 5xx, the
 * process must stay up, a normal message is answered afterwards in conversations the fuzzer hit, and the
 * stored state is intact: every bot_state document is a JSON object and a conversation the fuzzer never
 * touched still has exactly its old state. The PRNG is seeded (FUZZ_SEED to replay a failure).
 */
import { sql } from 'kysely';
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';
import { RandomText, mulberry32 } from '../helpers/random';

const SEED = Number(process.env.FUZZ_SEED ?? 20241010);
const COUNT = Number(process.env.FUZZ_COUNT ?? 2100);
const CONCURRENCY = 8;

class Gen extends RandomText {
  /** random words, digits and punctuation, about n characters */
  words(n: number): string {
    let s = '';
    while (s.length < n) s += (this.chance(0.1) ? this.word() : this.letters(1 + this.int(12), 'abcdefghijklmnopqrstuvwxyz0123456789@.-')) + this.pick([' ', ' ', ', ', '. ', '? ', '\n', '-']);
    return s.slice(0, n);
  }
  string(): string {
    // the random pieces are generated only when picked (string() is called for every scalar of the JSON)
    const pieces: Array<string | (() => string)> = [
      'hai', 'hello', 'macam mana nak tukar pelan', 'how do I migrate my eBiz login', 'tiket', 'batal', 'menu', 'help',
      '😀🔥👍🏽', '👨‍👩‍👧‍👦', 'مرحبا بالعالم', 'שלום', '\u202Eevil\u202C', '\u200B\u200D\uFEFF', '\u0000\u0001\u0007\u001b[31m',
      '\uD800', '\uDFFF', '%s%n%x', "'; DROP TABLE bot_state; --", '<script>alert(1)</script>', '{{7*7}}', '${process.exit()}',
      '../../etc/passwd', () => this.letters(this.int(50)), () => this.word(), () => this.words(this.int(300)), '880101-14-5566', 'ali@example.com', '+60 12-345 6789', '\r\n\t', 'null',
      'Ｆｕｌｌｗｉｄｔｈ', 'ǅemo', 'İstanbul', 'ß', '\u0301\u0301\u0301',
    ];
    let s = '';
    const n = 1 + this.int(6);
    for (let i = 0; i < n; i++) {
      const piece = this.pick(pieces);
      s += (typeof piece === 'string' ? piece : piece()) + (this.chance(0.5) ? ' ' : '');
    }
    if (this.chance(0.005)) s += this.words(2000 + this.int(60_000)); // longer than MAX_MESSAGE_CHARS
    if (this.chance(0.02)) s = String.fromCharCode(...Array.from({ length: 200 }, () => this.int(0x10000)));
    return s;
  }
  /** a message's text: a string(), or random words up to MAX_MESSAGE_CHARS (2,000 by default) and beyond */
  text(): string {
    if (this.chance(0.1)) return this.words(1 + this.int(2000));
    if (this.chance(0.03)) return this.words(2000 + this.int(60_000));
    return this.string();
  }
  scalar(): unknown {
    return this.pick([
      () => null,
      () => true,
      () => this.int(1e9) - 5e8,
      () => this.rnd() * 1e308,
      () => -0,
      () => this.string(),
      () => '',
      () => [],
      () => ({}),
    ])();
  }
  value(depth = 0): unknown {
    if (depth > 4 || this.chance(0.5)) return this.scalar();
    if (this.chance(0.5)) return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0, n = this.int(5); i < n; i++) o[this.pick(['a', 'type', 'id', 'text', '__proto__', 'constructor', 'value', this.string().slice(0, 20)])] = this.value(depth + 1);
    return o;
  }
  deep(levels: number): unknown {
    let v: unknown = 'bottom';
    for (let i = 0; i < levels; i++) v = this.chance(0.5) ? [v] : { n: v };
    return v;
  }
}

const TYPES = ['message', 'message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'endOfConversation', 'messageReaction', 'installationUpdate', 'messageUpdate', 'messageDelete', 'handoff', 'trace', 'zzz-unknown', '🤖', ''];
// with authentication off only local channels reach the bot (the rest: 403); most cases use one
const CHANNELS = ['test', 'test', 'test', 'test', 'test', 'emulator', 'emulator', 'emulator', 'msteams', 'webchat', 'directline', 'whatsapp', 'slack', '', '../x'];
const FIELDS = ['type', 'id', 'text', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'locale', 'deliveryMode', 'value', 'channelData', 'entities', 'attachments', 'membersAdded', 'name', 'timestamp', 'replyToId', 'suggestedActions', 'textFormat'];

/** One fuzz case: a body to post (object, or a raw string when `raw`). */
function makeCase(g: Gen, i: number): { body: unknown; raw?: boolean; conv?: string } {
  const kind = g.int(100);
  if (kind < 6) return { body: g.value(), raw: false }; // random JSON of any shape
  if (kind < 10) {
    // broken JSON, wrong encodings
    const s = JSON.stringify(activity(g.text(), { conversation: { id: `fz-${i}` } }));
    return { body: g.pick([s.slice(0, g.int(s.length)), s.replace(/"/g, ''), `${s}}`, '\uFEFF' + s, '', 'null', '[]', '"x"', '1e999999']), raw: true };
  }
  const conv = g.chance(0.4) ? `fz-shared-${g.int(6)}` : `fz-${i}`;
  const a: Record<string, unknown> = activity(g.text(), {
    conversation: { id: conv },
    from: { id: `fz-user-${g.int(20)}`, name: g.string().slice(0, 40) },
    type: g.pick(TYPES),
    channelId: g.pick(CHANNELS),
    locale: g.pick(['ms-MY', 'en-US', 'ms', 'ar-SA', 'he-IL', 'xx', '', '💥']),
  });
  if (g.chance(0.15)) delete a.id;
  if (g.chance(0.05)) delete a.conversation;
  if (g.chance(0.1)) delete a.from;
  if (g.chance(0.05)) delete a.recipient;
  if (g.chance(0.1)) delete a.deliveryMode; // replies go to serviceUrl, which refuses the connection
  // wrong types and odd values in a few fields
  for (let k = 0, n = g.int(4); k < n; k++) {
    const f = g.pick(FIELDS);
    a[f] = f === 'conversation' && g.chance(0.5) ? { id: g.value(), isGroup: g.value(), tenantId: g.value() } : g.value();
  }
  if (g.chance(0.1)) a.channelData = g.pick([{ tenant: g.value() }, { postBack: g.value() }, { clientActivityID: g.value() }, g.value()]);
  if (g.chance(0.08)) a.value = g.pick([{ action: g.value(), choice: g.value() }, { lang: g.value() }, g.value()]);
  if (g.chance(0.05)) a.entities = [{ type: 'mention', mentioned: { id: g.value() }, text: g.value() }, g.value()];
  if (g.chance(0.05)) a.membersAdded = [{ id: g.value() }, g.value()];
  if (g.chance(0.04)) a.channelData = g.deep(100 + g.int(3000)); // deep nesting
  if (g.chance(0.02)) a.attachments = Array.from({ length: 500 }, () => ({ contentType: g.string(), content: g.value() }));
  return { body: a, conv };
}

describe('fuzzing /api/messages', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_CONVERSATION: '100000' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  test(`${COUNT} generated and mutated activities: no 5xx, no crash, state intact, normal messages still answered (seed ${SEED})`, async () => {
    // a conversation the fuzzer never touches, mid-procedure, in Malay
    const keeper = { conversation: { id: 'keeper' }, from: { id: 'keeper-user' }, locale: 'ms-MY' };
    expect(texts(await post(bot.url, activity('saya nak buat aduan', keeper))).length).toBeGreaterThan(0);
    const db = bot.app.runtime.database.db as any;
    const snapshot = async () =>
      (await db.selectFrom('bot_state').select(['key', 'doc', 'etag']).where('key', 'like', '%keeper%').orderBy('key').execute()) as unknown[];
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);

    const g = new Gen(mulberry32(SEED));
    const cases = Array.from({ length: COUNT }, (_, i) => makeCase(g, i));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        let status: number;
        try {
          status = (await post(bot.url, c.raw ? c.body : c.body, { raw: c.raw })).status;
        } catch (err) {
          status = -1;
          failures.push(`case ${i}: request failed: ${(err as Error).message} ${String((err as { cause?: unknown }).cause)}`);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 && failures.length < 10) failures.push(`case ${i}: ${status} for ${JSON.stringify(c.body).slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    // eslint-disable-next-line no-console
    console.log(`fuzz: ${COUNT} cases in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 200 && s < 500)).toBe(true);
    // the generator did reach the interesting outcomes
    expect(statuses.get(200) ?? 0).toBeGreaterThan(COUNT / 6);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0);

    // still alive and ready
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    // conversations the fuzzer hit hardest answer a normal message normally, in the customer's language
    for (let k = 0; k < 6; k++) {
      const en = await post(bot.url, activity('how do I upgrade my account', { conversation: { id: `fz-shared-${k}` }, from: { id: 'fz-user-1' } }));
      expect(en.status).toBe(200);
      const reply = texts(en).join('\n');
      expect(reply.length).toBeGreaterThan(0);
    }
    const fresh = await post(bot.url, activity('how do I upgrade my account', { conversation: { id: 'after-fuzz' } }));
    expect(texts(fresh).join('\n')).toMatch(/JUPEM counter/i);

    // stored state: every document parses to an object; the untouched conversation is exactly as it was
    const rows = (await db.selectFrom('bot_state').select(['key', 'doc']).execute()) as Array<{ key: string; doc: string }>;
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      const doc = JSON.parse(r.doc);
      expect(typeof doc).toBe('object');
      expect(doc).not.toBeNull();
    }
    expect(await snapshot()).toEqual(before);
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(integrity.rows[0]?.integrity_check).toBe('ok');
    // the keeper's procedure goes on where it was
    expect(texts(await post(bot.url, activity('batal', keeper))).length).toBeGreaterThan(0);
  }, 120_000);
});

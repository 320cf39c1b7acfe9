/**
 * One-time codes against pumping, enumeration and guessing (issue 13, items 4 and 12), on SQLite and
 * PostgreSQL, with an injected clock: sliding windows across a fixed-window boundary, fresh codes that do not
 * reset a stranger's guesses, codes only to lines (a decoy for any other number, through the same steps),
 * the per-line SMS cap binding to the latest live code, the hourly budget with its alarm, concurrent
 * guesses, and comparable timing for lines and other numbers.
 */
import type { KyselyPlugin } from 'kysely';
import { OtpService, type OtpOptions } from '../../src/services/otp';
import type { OutboundSms } from '../../src/services/ports';
import { SmsOutbox } from '../../src/services/smsOutbox';
import { SqlSubscriberDirectory } from '../../src/services/subscribers';
import { engines, openTestDatabase, type TestDatabase } from '../helpers/databases';
import { memoryLogger } from '../helpers/log';

const W = 900_000;
const LINE = '+60121000001';
const OTHER = '+60199999999'; // not a line of ours
const msg = (code: string, minutes: number) => `code ${code} for ${minutes} min`;

describe.each(engines())('one-time codes on %s', (engine) => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await openTestDatabase(engine);
  });
  afterEach(async () => tdb.dispose());

  function setup(options: Partial<OtpOptions> = {}, start = 10 * W - 1000) {
    const clock = { t: start }; // one second before a 15-minute boundary
    const sent: OutboundSms[] = [];
    const { log, lines } = memoryLogger('debug');
    const db = tdb.database.db;
    const outbox = new SmsOutbox({ db, sender: { send: async (m: OutboundSms) => void sent.push(m) }, log, now: () => clock.t });
    const directory = new SqlSubscriberDirectory(db, { seedDemo: true });
    const otp = new OtpService({ db, engine: tdb.database.engine, directory, outbox, log }, { ttlSeconds: 300, maxTries: 3, now: () => clock.t, ...options });
    const lastCode = async () => {
      await outbox.drain();
      return /code (\d{6})/.exec(sent.at(-1)!.text)![1]!;
    };
    return { clock, sent, otp, outbox, lines, lastCode };
  }
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  test('guesses per line are counted over a SLIDING window: never more than the limit in any window, across a boundary', async () => {
    const { clock, otp, lastCode } = setup({ guessesPerLine: 4, guessesPerClient: 100, sendsPerLine: 100, sendsPerConversation: 100 });
    const tested: number[] = [];
    // strangers in several conversations, one guess every 20 s for 40 minutes, each with fresh codes as needed
    for (let i = 0; i < 120; i++) {
      const conversationId = `s${Math.floor(i / 3)}`;
      if (i % 3 === 0) await otp.issue({ msisdn: LINE, conversationId, message: msg });
      const code = i % 3 === 0 ? await lastCode() : undefined;
      const v = await otp.verify({ msisdn: LINE, conversationId, code: code ? wrongFor(code) : '000000' });
      if (!(v.ok === false && v.reason === 'guess-limited')) tested.push(clock.t);
      clock.t += 20_000;
    }
    // a fixed 15-minute window would let 4 through just before the boundary and 4 more just after it
    let worst = 0;
    for (const start of tested) worst = Math.max(worst, tested.filter((t) => t >= start && t < start + W).length);
    expect(worst).toBe(4);
    expect(tested.length).toBeGreaterThanOrEqual(8); // guesses resume as the window slides
  });

  test('at the boundary: four guesses just before it leave none just after it, until they slide out', async () => {
    const { clock, otp, lastCode } = setup({ guessesPerLine: 4, guessesPerClient: 100 });
    await otp.issue({ msisdn: LINE, conversationId: 'a', message: msg });
    const a = await lastCode();
    await otp.issue({ msisdn: LINE, conversationId: 'b', message: msg });
    const b = await lastCode();
    for (const [conversationId, code] of [['a', a], ['a', a], ['b', b], ['b', b]] as const) {
      expect(await otp.verify({ msisdn: LINE, conversationId, code: wrongFor(code) })).toMatchObject({ reason: 'wrong' });
    }
    clock.t += 2000; // past the fixed boundary
    const limited = await otp.verify({ msisdn: LINE, conversationId: 'b', code: b });
    expect(limited).toMatchObject({ ok: false, reason: 'guess-limited' });
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(800);
    clock.t += W - 2000; // the first guesses have slid out (the codes are long expired: issue fresh ones)
    await otp.issue({ msisdn: LINE, conversationId: 'b', resend: true, message: msg });
    expect(await otp.verify({ msisdn: LINE, conversationId: 'b', code: await lastCode() })).toEqual({ ok: true });
  });

  test('a fresh code does not give a stranger fresh guesses; the owner, elsewhere, still verifies', async () => {
    const { otp, lastCode } = setup({ guessesPerClient: 5, guessesPerLine: 10 });
    const s = { msisdn: LINE, conversationId: 'stranger', address: '198.51.100.9' };
    await otp.issue({ ...s, message: msg });
    const first = await lastCode();
    for (let i = 0; i < 3; i++) await otp.verify({ ...s, code: wrongFor(first) });
    await otp.issue({ ...s, resend: true, message: msg });
    const second = await lastCode();
    expect(await otp.verify({ ...s, code: wrongFor(second) })).toMatchObject({ reason: 'wrong', triesLeft: 2 });
    expect(await otp.verify({ ...s, code: wrongFor(second) })).toMatchObject({ reason: 'wrong', triesLeft: 1 });
    // five guesses from this conversation: the sixth is refused, right or wrong, whatever the code's tries
    expect(await otp.verify({ ...s, code: second })).toMatchObject({ ok: false, reason: 'guess-limited' });
    // the same address from another conversation is capped too
    await otp.issue({ ...s, conversationId: 'stranger-2', message: msg });
    expect(await otp.verify({ ...s, conversationId: 'stranger-2', code: await lastCode() })).toMatchObject({ reason: 'guess-limited' });
    // the owner, in their own conversation from their own address
    await otp.issue({ msisdn: LINE, conversationId: 'owner', address: '203.0.113.5', message: msg });
    expect(await otp.verify({ msisdn: LINE, conversationId: 'owner', address: '203.0.113.5', code: await lastCode() })).toEqual({ ok: true });
  });

  test('codes only to lines: a decoy for any other number, the same answers, every code fails like a wrong one', async () => {
    const { otp, outbox, sent } = setup();
    const line = await otp.issue({ msisdn: LINE, conversationId: 'c1', message: msg });
    const other = await otp.issue({ msisdn: OTHER, conversationId: 'c2', message: msg });
    expect(other).toEqual(line);
    await outbox.drain();
    expect(sent.map((m) => m.to)).toEqual([LINE]);
    const db = tdb.database.db;
    expect(await db.selectFrom('sms_outbox').select('msisdn').where('status', '!=', 'void').execute()).toEqual([{ msisdn: LINE }]);
    // any of the million codes fails for the decoy exactly as a wrong code does for a line
    expect(await otp.verify({ msisdn: LINE, conversationId: 'c1', code: wrongFor(/code (\d{6})/.exec(sent[0]!.text)![1]!) })).toEqual({ ok: false, reason: 'wrong', triesLeft: 2 });
    for (const [code, left] of [['123456', 2], ['000000', 1]] as const) {
      expect(await otp.verify({ msisdn: OTHER, conversationId: 'c2', code })).toEqual({ ok: false, reason: 'wrong', triesLeft: left });
    }
    expect(await otp.verify({ msisdn: OTHER, conversationId: 'c2', code: '999999' })).toEqual({ ok: false, reason: 'too-many-tries' });
    // the same limits: three requests per conversation, for a line or not
    for (const msisdn of [LINE, OTHER]) {
      const id = `limit-${msisdn}`;
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await otp.issue({ msisdn, conversationId: id, resend: true, message: msg }));
      expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    }
  });

  test("the line's SMS cap: later requests send nothing and bind to the latest live code; none live: wait (same for any number)", async () => {
    const { clock, otp, sent, lastCode } = setup({ sendsPerLine: 2 });
    for (const msisdn of [LINE, OTHER]) {
      await otp.issue({ msisdn, conversationId: `x1-${msisdn}`, message: msg });
      await otp.issue({ msisdn, conversationId: `x2-${msisdn}`, message: msg });
    }
    const latest = await lastCode();
    expect(sent).toHaveLength(2);
    expect(await otp.issue({ msisdn: LINE, conversationId: 'owner', message: msg })).toEqual({ ok: true, expiresInSeconds: 300 });
    expect(await otp.issue({ msisdn: OTHER, conversationId: 'owner', message: msg })).toEqual({ ok: true, expiresInSeconds: 300 });
    expect(await lastCode()).toBe(latest);
    expect(sent).toHaveLength(2);
    expect(await otp.verify({ msisdn: LINE, conversationId: 'owner', code: latest })).toEqual({ ok: true });
    // one-time: the conversation it was first sent for cannot use it any more
    expect(await otp.verify({ msisdn: LINE, conversationId: `x2-${LINE}`, code: latest })).toEqual({ ok: false, reason: 'none' });
    // the latest code has expired and the cap still holds: the requester is told to wait
    clock.t += 301_000;
    for (const msisdn of [LINE, OTHER]) {
      const r = await otp.issue({ msisdn, conversationId: 'late', message: msg });
      expect(r).toMatchObject({ ok: false, reason: 'rate-limited' });
      expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBe(600);
    }
  });

  test('the hourly SMS budget: refused for every number, alarmed once per hour at error level', async () => {
    const { clock, otp, sent, outbox, lines } = setup({ hourlyBudget: 2 }, 100 * 3_600_000);
    expect((await otp.issue({ msisdn: LINE, conversationId: 'b1', message: msg })).ok).toBe(true);
    expect((await otp.issue({ msisdn: '+60131000001', conversationId: 'b2', message: msg })).ok).toBe(true);
    const refused = await otp.issue({ msisdn: '+60121000002', conversationId: 'b3', message: msg });
    expect(refused).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(await otp.issue({ msisdn: OTHER, conversationId: 'b4', message: msg })).toEqual(refused);
    await outbox.drain();
    expect(sent).toHaveLength(2);
    const alarms = () => lines.map((l) => JSON.parse(l)).filter((l) => l.alarm === 'sms-budget-exhausted');
    expect(alarms()).toHaveLength(1);
    expect(alarms()[0].level).toBe(50);
    clock.t += 30 * 60_000; // same clock hour, still spent
    await otp.issue({ msisdn: OTHER, conversationId: 'b5', message: msg });
    expect(alarms()).toHaveLength(1);
    clock.t += 31 * 60_000; // the sends have slid out of the hour
    expect((await otp.issue({ msisdn: '+60121000002', conversationId: 'b6', message: msg })).ok).toBe(true);
  });

  test('concurrent wrong guesses from many conversations never exceed the line limit', async () => {
    const { otp } = setup({ guessesPerLine: 5, guessesPerClient: 100 });
    const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const id of ids) await otp.issue({ msisdn: LINE, conversationId: id, message: msg });
    const results = await Promise.all(ids.map((id) => otp.verify({ msisdn: LINE, conversationId: id, code: '000000' })));
    expect(results.filter((r) => !(r.ok === false && r.reason === 'guess-limited')).length).toBeLessThanOrEqual(5);
  });

  test('a request does the same database work, in the same order, for a line and for any other number', async () => {
    // every statement the service runs, as "kind table" (no timing noise: the work itself is compared)
    const seen: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        const table = /"name":"(otp_codes|otp_events|sms_outbox|subscriber_lines)"/.exec(JSON.stringify(args.node))?.[1] ?? '';
        seen.push(`${args.node.kind} ${table}`);
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    };
    const { log } = memoryLogger('debug');
    const db = tdb.database.db.withPlugin(plugin);
    const outbox = new SmsOutbox({ db, sender: { send: async () => undefined }, log });
    (outbox as unknown as { kick(): void }).kick = () => undefined; // delivery runs later, apart from the request
    const otp = new OtpService({ db, engine: tdb.database.engine, directory: new SqlSubscriberDirectory(db, { seedDemo: true }), outbox, log }, { ttlSeconds: 300, maxTries: 3, sendsPerLine: 1 });
    const trace = async (msisdn: string, conversationId: string, resend = false) => {
      seen.length = 0;
      const r = await otp.issue({ msisdn, conversationId, resend, message: msg });
      return { r, work: [...seen] };
    };
    await trace(LINE, 'warm-up'); // seeds the demo lines
    await trace(OTHER, 'warm-up');
    for (const step of [
      [LINE, OTHER, 'first'], // a new code (SMS or decoy)
      [LINE, OTHER, 'second'], // over the line's send cap: bound to the latest code
      [LINE, OTHER, 'first'], // asked again: the live code is reused
    ] as const) {
      const line = await trace(step[0], step[2]);
      const other = await trace(step[1], step[2]);
      expect(other.r).toEqual(line.r);
      expect(other.work).toEqual(line.work);
    }
  });

  test('the request takes about as long for a line as for any other number', async () => {
    const { otp, outbox } = setup({ sendsPerConversation: 1000, sendsPerLine: 1000, sendsPerAddress: 1000, hourlyBudget: 100_000 });
    // the request alone: delivery starts after the reply (kick's delay) and is measured apart
    (outbox as unknown as { kick(): void }).kick = () => undefined;
    const times: Record<string, number[]> = { line: [], other: [] };
    const n = engine === 'postgres' ? 40 : 80;
    for (let i = -10; i < n; i++) {
      // alternate which goes first; the first ten pairs warm up (statement caches, JIT)
      const pair = i % 2 === 0 ? ([['line', LINE], ['other', OTHER]] as const) : ([['other', OTHER], ['line', LINE]] as const);
      for (const [kind, msisdn] of pair) {
        const t0 = process.hrtime.bigint();
        await otp.issue({ msisdn, conversationId: `t${i}`, message: msg });
        if (i >= 0) times[kind]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    // quantiles: the lower quartile is the least disturbed by other work on a shared machine
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;
    const line = q(times.line!, 0.25);
    const other = q(times.other!, 0.25);
    const diff = Math.abs(line - other);
    // eslint-disable-next-line no-console
    console.log(
      `otp issue on ${engine}: line p25 ${line.toFixed(2)} ms / median ${q(times.line!, 0.5).toFixed(2)} ms; other p25 ${other.toFixed(2)} ms / median ${q(times.other!, 0.5).toFixed(2)} ms`,
    );
    // the same statements run either way (previous test); what is left is the machine's noise, which grows
    // with its load: a generous allowance
    expect(diff).toBeLessThan(Math.max(2, 0.3 * Math.max(line, other)));
  });
});

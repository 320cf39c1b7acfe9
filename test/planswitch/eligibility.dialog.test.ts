/**
 * The eligibility procedure through the whole bot: each condition failing alone for each switch type (demo
 * lines), the one-time code path (wrong code, expiry with an injected clock, rate limit), the WhatsApp
 * verified sender, and the next steps (pro-rata bill with what is known, a ticket with a handover).
 */
import type { Activity, ConversationAccount } from 'botbuilder';
import fs from 'node:fs';
import path from 'node:path';
import { Dialog, type DialogContext } from 'botbuilder-dialogs';
import { setClientAddress, setVerifiedPhone } from '../../src/bot/context';
import type { ProcedureOptions } from '../../src/bot/supportBot';
import { createPlanSwitchFeature } from '../../src/features/planswitch';
import { createTestChat, joined, type Said, type TestChat } from '../helpers/bot';
import { RecordingSms } from '../helpers/sms';

class RecordingTicket extends Dialog {
  started: ProcedureOptions[] = [];
  constructor() {
    super('ticket');
  }
  async beginDialog(dc: DialogContext, options?: ProcedureOptions) {
    this.started.push(options ?? {});
    await dc.context.sendActivity('ticket dialog started');
    return dc.endDialog();
  }
}

// 20 April 2026, 10:00 in Kuala Lumpur
const START = new Date('2026-04-20T02:00:00Z').getTime();

async function open(options: { ticket?: RecordingTicket; env?: Record<string, string> } = {}) {
  const sms = new RecordingSms();
  const clock = { t: START };
  const chat = await createTestChat({
    features: (deps) => [
      createPlanSwitchFeature(deps, { now: () => new Date(clock.t) }),
      { name: 'ticket-stub', dialogs: options.ticket ? [options.ticket] : [] },
    ],
    sms,
    ...(options.env ? { env: options.env } : {}),
  });
  return { chat, sms, clock };
}

const checklistFailures = (said: Said[]) =>
  joined(said)
    .split('\n')
    .filter((l) => l.startsWith('✗ ') && !/^✗ (Line|Talian) \+/.test(l));

describe('EligibilityDialog: each condition failing alone, for each switch type', () => {
  const cases: Array<[string, string, string, string, string | null]> = [
    // switch type button, target plan, line, expected failing item (English label start), or null when eligible
    ['Postpaid to Postpaid', 'Digi Postpaid 80', '012-100 0001', '', null],
    ['Postpaid to Postpaid', 'Digi Postpaid 80', '0121000002', 'You have no outstanding bill', null],
    ['Postpaid to Postpaid', 'Digi Postpaid 58', '+60 12-100 0003', 'Your line is still active', null],
    ['Postpaid to Postpaid', 'Digi Postpaid 58', '60121000004', 'You have not switched your mobile plan more than two times', null],
    // a postpaid switch on a prepaid line is no longer offered (the line is asked first): no "Line type" case
    ['Postpaid to Prepaid', 'Demo Prepaid 30', '0121000002', 'You have no outstanding bill', null],
    ['Postpaid to Prepaid', 'Demo Prepaid 30', '0121000003', 'Your line is still active', null],
    ['Postpaid to Prepaid', 'Demo Prepaid 30', '0121000004', 'You have not switched', null],
    ['Postpaid to Prepaid', 'Demo Prepaid 30', '0121000005', '', 'a penalty of RM300.00'],
    ['Prepaid to Prepaid', 'Demo Prepaid 35', '0131000001', '', 'Balance RM50.00'.toLowerCase()],
    ['Prepaid to Prepaid', 'Demo Prepaid 35', '0131000002', 'You have enough balance', 'top up at least RM25.00'],
    ['Prepaid to Prepaid', 'Demo Prepaid 35', '0131000004', 'Your line is still active', null],
    ['Prepaid to Prepaid', 'Demo Prepaid 30', '0131000005', 'You have not switched', null],
    ['Prepaid to Postpaid', 'Digi Postpaid 58', '0131000004', 'Your line is still active', null],
    ['Prepaid to Postpaid', 'Digi Postpaid 58', '0131000005', 'You have not switched', null],
    ['Prepaid to Postpaid', 'Digi Postpaid 58', '0131000003', '', 'Credit carried over: RM100.00 of your RM150.00 balance'],
  ];

  test.each(cases)('%s to %s, line %s: fails on "%s"', async (type, plan, line, failing, extra) => {
    const { chat, sms } = await open();
    try {
      // the line first (issue 15), proved by the code; then only the switches that line can make
      expect(joined(await chat.say("Check my line's eligibility"))).toContain('Which line should I check');
      const ask = joined(await chat.say(line));
      expect(ask).toContain('6-digit code');
      expect(ask).toMatch(/\+601[23]•••••0\d/);
      expect(ask).not.toMatch(/RM\d/); // no account data before the code
      const offer = await chat.say(await sms.nextCode());
      if (['Your line is still active', 'You have not switched', 'You have no outstanding bill'].some((c) => failing.startsWith(c))) {
        // a condition every switch of the line's type has (active, the monthly limit; no outstanding bill for postpaid)
        // failing: the line can make none of its switches, so which is not asked; said, with the checklist
        expect(joined(offer)).toMatch(/cannot switch to any plan right now|cannot make any plan switch right now/);
        expect(checklistFailures(offer).map((f) => f.slice(0, 2 + failing.length))).toEqual([`✗ ${failing}`]);
        return;
      }
      expect(joined(offer)).toContain('Which kind of switch');
      const from = type.split(' ')[0]!;
      expect(offer[offer.length - 1]!.buttons.every((b) => b.startsWith(from))).toBe(true);
      // the switch and the plan in one message (a plan is asked only when the verdict depends on it)
      const result = await chat.say(`${type} ${plan}`);
      const text = joined(result);
      const failures = checklistFailures(result);
      if (failing) {
        expect(failures).toHaveLength(1);
        expect(failures[0]!.startsWith(`✗ ${failing}`)).toBe(true);
        expect(text).toContain('cannot make the');
      } else {
        expect(failures).toEqual([]);
        expect(text).toContain('can make the');
      }
      if (extra) expect(text.toLowerCase()).toContain(extra.toLowerCase());
      expect(text).toContain('How the month is counted');
      expect(text).toContain('What you lose');
      expect(text).not.toMatch(/\+601[23]\d{7}/); // the number is masked
      expect(result.some((s) => s.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
    } finally {
      await chat.close();
    }
  });
});

describe('EligibilityDialog: the conversation', () => {
  test('Malay, from a conditions entry (switch type preselected), with the Digi Store and penalty', async () => {
    const { chat, sms } = await open();
    try {
      const answer = await chat.say('Apakah syarat untuk menukar pelan postpaid kepada pelan prepaid?');
      expect(answer[0]!.buttons).toContain('Semak kelayakan talian saya');
      // the line first (issue 15), then the switches of a postpaid line
      expect(joined(await chat.say('Semak kelayakan talian saya'))).toContain('Nombor talian mana');
      expect(joined(await chat.say('012-100 0005'))).toContain('kod 6 digit');
      // the switch the conditions answered just before were for: not asked again
      const text = joined(await chat.say(await sms.nextCode()));
      expect(text).not.toContain('Penukaran jenis apa');
      expect(text).toContain('✓ Talian +6012•••••05 layak untuk penukaran Postpaid kepada Prepaid');
      expect(text).toContain('hanya boleh dibuat di Digi Store');
      expect(text).toContain('penalti RM300.00');
      expect(text).toContain('Cara sebulan dikira');
      expect(text).toContain('21 Mac 2026 – 20 April 2026');
    } finally {
      await chat.close();
    }
  });

  test('everything in the first message, and the entry preselects nothing it should not', async () => {
    const { chat, sms } = await open();
    try {
      const said = joined(await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80'));
      expect(said).toContain('6-digit code');
      expect(joined(await chat.say(await sms.nextCode()))).toContain('✓ Line +6012•••••01 can make the Postpaid to Postpaid switch to Digi Postpaid 80');
    } finally {
      await chat.close();
    }
  });

  test('wrong code, then too many wrong codes, then a new code works', async () => {
    const { chat, sms } = await open();
    try {
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      const right = await sms.nextCode();
      const wrong = right === '000000' ? '111111' : '000000';
      expect(joined(await chat.say(wrong))).toContain('Tries left: 2');
      expect(joined(await chat.say('12ab'))).toContain('The code has 6 digits');
      expect(joined(await chat.say(wrong))).toContain('Tries left: 1');
      const third = joined(await chat.say(wrong));
      expect(third).toContain('Too many wrong codes');
      expect(third).toContain('Shall I send a new code?');
      expect(joined(await chat.say(right))).not.toContain('can make the'); // the old code is dead: this is no "yes"
    } finally {
      await chat.close();
    }
  });

  test('an expired code (injected clock), a new code on request', async () => {
    const { chat, sms, clock } = await open();
    try {
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      const first = await sms.nextCode();
      clock.t += 301_000;
      const expired = joined(await chat.say(first));
      expect(expired).toContain('That code has expired');
      expect(joined(await chat.say('Send a new code'))).toContain('6-digit code');
      const second = await sms.nextCode();
      expect(sms.sent).toHaveLength(2);
      expect(joined(await chat.say(second))).toContain('can make the');
    } finally {
      await chat.close();
    }
  });

  test('code requests are rate-limited per conversation', async () => {
    const { chat, sms } = await open();
    try {
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      expect(joined(await chat.say('Send a new code'))).toContain('6-digit code');
      expect(joined(await chat.say('resend'))).toContain('6-digit code');
      const limited = joined(await chat.say('resend'));
      expect(limited).toContain('Too many codes have been sent');
      await sms.settle();
      expect(sms.sent).toHaveLength(3);
    } finally {
      await chat.close();
    }
  });


  test('a bad number is re-prompted in the customer language', async () => {
    const { chat } = await open();
    try {
      await chat.say('Semak kelayakan talian saya');
      await chat.say('Prepaid kepada Postpaid');
      await chat.say('Digi Postpaid 58');
      expect(joined(await chat.say('03-2345 6789'))).toContain('bukan nombor telefon bimbit');
      expect(joined(await chat.say('+65 9123 4567'))).toContain('nombor telefon bimbit Malaysia');
    } finally {
      await chat.close();
    }
  });

  test('WhatsApp: the verified sender is the line, no code; then the pro-rata bill with what is known', async () => {
    const { chat, sms } = await open();
    try {
      chat.adapter.use(async (context, next) => {
        setVerifiedPhone(context, '+60121000001');
        await next();
      });
      await chat.say("Check my line's eligibility");
      const result = await chat.say('Postpaid to Postpaid Digi Postpaid 80');
      expect(joined(result)).toContain('✓ Line +6012•••••01 can make');
      expect(sms.sent).toHaveLength(0);
      expect(result.at(-1)!.buttons).toEqual(['Calculate the pro-rata bill']);
      expect(joined(await chat.press(1))).toContain('billing period start');
      const bill = joined(await chat.say('prorate on 11 April 2026, bill cycle starts 1 April 2026'));
      expect(bill).toContain('Old plan (Digi Postpaid 58): 10 days × 58.00 / 30 = RM19.33');
      expect(bill).toContain('Total: RM19.33 + RM53.33 = RM72.66');
    } finally {
      await chat.close();
    }
  });

  test.each([
    ['ms', 'semak kelayakan tukar pelan', /Talian \+6013•••••04 ditamatkan\..*tidak boleh menukar ke mana-mana pelan/, '+60131000004'],
    ['en', "Check my line's eligibility", /Line \+6013•••••05 cannot make any plan switch right now, because this condition is not met: You have not switched/, '+60131000005'],
    ['ms', 'semak kelayakan tukar pelan', /Talian \+6012•••••04 tidak boleh membuat sebarang penukaran pelan sekarang/, '+60121000004'],
    ['en', "Check my line's eligibility", /Line \+6013•••••04 is terminated\..*cannot switch to any plan/, '+60131000004'],
  ] as const)('%s: a line that can make none of its switches for one shared reason is not asked which: said, with its checklist', async (_lang, request, said, line) => {
    const { chat, sms } = await open();
    try {
      chat.adapter.use(async (context, next) => {
        setVerifiedPhone(context, line);
        await next();
      });
      const result = joined(await chat.say(request));
      expect(result).toMatch(said);
      expect(result).toMatch(/✗/);
      expect(sms.sent).toHaveLength(0);
    } finally {
      await chat.close();
    }
  });

  test('raise a ticket hands over the summary; another question leaves the check', async () => {
    const ticket = new RecordingTicket();
    const { chat, sms } = await open({ ticket });
    try {
      await chat.say('check if my line 012-100 0002 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      const result = await chat.say(await sms.nextCode());
      expect(result.at(-1)!.buttons).toEqual(['Calculate the pro-rata bill', 'Raise a ticket']);
      expect(joined(await chat.press(2))).toContain('ticket dialog started');
      expect(ticket.started[0]!.handover).toMatchObject({ from: 'eligibility', category: 'plan-switch' });
      expect(ticket.started[0]!.handover!.summary).toContain('+6012•••••02');
      expect(ticket.started[0]!.handover!.summary).toContain('RM45.20 outstanding');

      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      await chat.say(await sms.nextCode());
      const next = joined(await chat.say('what is the pro-rata formula?'));
      expect(next).not.toContain('ticket dialog started');
      expect(next.length).toBeGreaterThan(20);
    } finally {
      await chat.close();
    }
  });
});

describe('EligibilityDialog: interruptions through the whole bot', () => {
  test.each([
    ['ms', 'Semak kelayakan talian saya', '012-100 0001', 'batal', 'Nombor talian mana', 'kod 6 digit'],
    ['en', "Check my line's eligibility", '012-100 0001', 'cancel', 'Which line', '6-digit code'],
  ])('%s: cancel midway: the check is closed, a code typed afterwards proves nothing', async (_lang, start, line, cancel, askLine, askCode) => {
    const { chat, sms } = await open();
    try {
      await chat.say(start);
      const asked = joined(await chat.say(line));
      expect(asked).toContain(askCode);
      const code = await sms.nextCode();
      const cancelled = joined(await chat.say(cancel));
      expect(cancelled).not.toContain(askCode);
      expect(cancelled).not.toContain(askLine);
      const after = joined(await chat.say(code));
      expect(after).not.toMatch(/✓ (Line|Talian)/);
    } finally {
      await chat.close();
    }
  });

  test.each([
    ['ms', 'Semak kelayakan talian saya', 'jap, kalau tukar nanti freebies yg blm tebus hangus ke?', 'ok. kod', '✗ Talian +6012•••••02'],
    ['en', "Check my line's eligibility", 'btw what happens to my freebies that are not redeemed yet if I switch?', 'ok the code is', '✗ Line +6012•••••02'],
  ])('%s: an FAQ question midway is answered, then the check goes on with what it had', async (_lang, start, question, words, verdict) => {
    const { chat, sms } = await open();
    try {
      await chat.say(start);
      await chat.say(_lang === 'ms' ? '0121000002 postpaid ke prepaid' : '0121000002 postpaid to prepaid');
      const code = await sms.nextCode();
      const answer = await chat.say(question);
      // the answer, then the code question again — not a complaint about the code's format
      expect(answer.length).toBeGreaterThanOrEqual(2);
      expect(joined(answer)).not.toMatch(/6 digits|mempunyai 6 digit/);
      expect(joined(answer.slice(-1))).toMatch(/6-digit code|kod 6 digit/);
      expect(joined(await chat.say(`${words} ${code}`))).toContain(verdict);
    } finally {
      await chat.close();
    }
  });
});

describe('EligibilityDialog: a correction right after the result', () => {
  test.each([
    ['ms', 'Semak kelayakan talian saya', '012-100 0001 postpaid ke prepaid', 'eh salah, nombor sy 012-100 0003', 'kod 6 digit', '✗ Talian +6012•••••03'],
    ['en', "Check my line's eligibility", '012-100 0001 postpaid to prepaid', 'sorry I meant 012-100 0003', '6-digit code', '✗ Line +6012•••••03'],
  ])('%s: the corrected line is proved and checked', async (_lang, start, line, correction, askCode, verdict) => {
    const { chat, sms } = await open();
    try {
      await chat.say(start);
      await chat.say(line);
      expect(joined(await chat.say(await sms.nextCode()))).toContain('+6012•••••01');
      const asked = joined(await chat.say(correction));
      expect(asked).toContain(askCode);
      expect(asked).toContain('+6012•••••03');
      expect(joined(await chat.say(await sms.nextCode()))).toContain(verdict);
    } finally {
      await chat.close();
    }
  });
});

/** The reply with the masked number blanked: what tells a line of ours from any other number, if anything. */
const shape = (said: Said[]) => joined(said).replace(/\+60\d{1,2}•+\d{2}/g, '<phone>');
const conv = (id: string): Partial<Activity> => ({ conversation: { id } as ConversationAccount });

describe('EligibilityDialog: no SMS pumping, no line enumeration (issue 13, item 4)', () => {
  test.each([
    ['en', "Check my line's eligibility", 'Postpaid to Postpaid', 'Digi Postpaid 80', 'That code is not right. Tries left: 2'],
    ['ms', 'Semak kelayakan talian saya', 'Postpaid kepada Postpaid', 'Digi Postpaid 80', 'Kod itu tidak betul. Baki cubaan: 2'],
  ])('%s: a number that is not a line gets the same replies as a line, no SMS, and every code fails like a wrong one', async (_lang, start, type, plan, wrong) => {
    const { chat, sms } = await open();
    try {
      const run = async (id: string, number: string, code: () => Promise<string>) => {
        await chat.say(start, conv(id));
        await chat.say(type, conv(id));
        await chat.say(plan, conv(id));
        const ask = await chat.say(number, conv(id));
        const first = await chat.say(await code(), conv(id));
        return { ask, first };
      };
      const line = await run('line', '012-100 0001', async () => {
        const right = await sms.nextCode();
        return right === '000000' ? '111111' : '000000';
      });
      const stranger = await run('stranger', '019-999 9999', async () => '123456');
      expect(shape(stranger.ask)).toBe(shape(line.ask));
      expect(shape(stranger.ask)).toMatch(/6 digit|6-digit/);
      expect(joined(stranger.first)).toContain(wrong);
      expect(shape(stranger.first)).toBe(shape(line.first));
      await sms.settle();
      expect(sms.sent.map((m) => m.to)).toEqual(['+60121000001']); // nothing went to the stranger's number
    } finally {
      await chat.close();
    }
  });

  test('one address asking for codes for many numbers: nothing is sent to non-customers, and the address is capped', async () => {
    const { chat, sms } = await open();
    try {
      chat.adapter.use(async (context, next) => {
        setClientAddress(context, '203.0.113.7');
        await next();
      });
      const replies: string[] = [];
      for (let i = 0; i < 15; i++) {
        const number = `019-${String(200 + i).padStart(3, '0')} ${String(1000 + i)}`;
        replies.push(shape(await chat.say(`check if my line ${number} is eligible to switch plan postpaid to postpaid Digi Postpaid 80`, conv(`pump-${i}`))));
      }
      // OTP_SENDS_PER_ADDRESS (10): the first ten look sent, the rest are told to wait
      expect(replies.slice(0, 10).every((r) => r.includes('6-digit code'))).toBe(true);
      expect(replies.slice(10).every((r) => r.includes('Too many codes have been sent'))).toBe(true);
      await sms.settle();
      expect(sms.sent).toHaveLength(0);
      // and a real line asked for from that address is capped the same way
      expect(shape(await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80', conv('pump-line')))).toContain('Too many codes');
      await sms.settle();
      expect(sms.sent).toHaveLength(0);
    } finally {
      await chat.close();
    }
  });

  test('Malay: strangers asking for the owner\'s line from other conversations cannot lock the owner out', async () => {
    const { chat, sms } = await open();
    try {
      // three strangers, three conversations: the line's SMS cap (OTP_SENDS_PER_LINE = 3) is reached and they
      // guess wrong
      for (const id of ['s1', 's2', 's3']) {
        await chat.say('semak sama ada talian 012-100 0001 boleh tukar pelan postpaid kepada postpaid Digi Postpaid 80', conv(id));
        await sms.nextCode();
        expect(joined(await chat.say('000001', conv(id)))).toMatch(/tidak betul|Terlalu banyak/);
      }
      const latest = /\b(\d{6})\b/.exec(sms.sent.at(-1)!.text)![1]!;
      expect(sms.sent).toHaveLength(3);
      // the owner asks in their own conversation: no fourth SMS, and the latest code on their phone works
      const ask = joined(await chat.say('semak sama ada talian 012-100 0001 boleh tukar pelan postpaid kepada postpaid Digi Postpaid 80', conv('owner')));
      expect(ask).toContain('kod 6 digit');
      const result = joined(await chat.say(latest, conv('owner')));
      expect(result).toContain('✓ Talian +6012•••••01 layak');
      await sms.settle();
      expect(sms.sent).toHaveLength(3);
    } finally {
      await chat.close();
    }
  });

  test.each([
    ['en', 'check if my line 012-100 0002 is eligible to switch plan postpaid to postpaid Digi Postpaid 80', "Sorry, I can't send a verification code right now", 'WhatsApp'],
    ['ms', 'semak sama ada talian 012-100 0002 boleh tukar pelan postpaid kepada postpaid Digi Postpaid 80', 'Maaf, saya tidak dapat menghantar kod pengesahan sekarang', 'WhatsApp'],
  ])('%s: the hourly SMS budget: a polite refusal for every number, one error alarm, a metric', async (_lang, ask, sorry, other) => {
    const { chat, sms } = await open({ env: { SMS_HOURLY_BUDGET: '2' } });
    const before = async (name: string) => (await chat.runtime.metrics.values(name))[0]?.value ?? 0;
    const exhaustedBefore = await before('bot_sms_budget_exhausted_total');
    try {
      for (const [id, number] of [['b1', '012-100 0001'], ['b2', '013-100 0001']] as const) {
        expect(joined(await chat.say(`check if my line ${number} is eligible to switch plan postpaid to postpaid Digi Postpaid 80`, conv(id)))).toContain('6-digit code');
        await sms.nextCode();
      }
      const refused = joined(await chat.say(ask, conv('b3')));
      expect(refused).toContain(sorry);
      expect(refused).toContain(other);
      // a number that is not a line gets the same refusal (the budget tells nothing about lines)
      expect(shape(await chat.say(ask.replace('012-100 0002', '019-999 9999'), conv('b4')))).toBe(shape(await chat.say(ask, conv('b5'))));
      await sms.settle();
      expect(sms.sent).toHaveLength(2);
      const alarms = chat.logs.map((l) => JSON.parse(l)).filter((l) => l.alarm === 'sms-budget-exhausted');
      expect(alarms).toHaveLength(1); // once per window, not once per refusal
      expect(alarms[0].level).toBe(50); // error
      expect((await before('bot_sms_budget_exhausted_total')) - exhaustedBefore).toBe(3);
      expect(await before('bot_sms_sent_total')).toBeGreaterThanOrEqual(2);
    } finally {
      await chat.close();
    }
  });

  test('no code reaches the logs in development (DEV_LOG_SECRETS off); the local SMS folder is the phone', async () => {
    const clock = { t: START };
    const chat = await createTestChat({
      features: (deps) => [createPlanSwitchFeature(deps, { now: () => new Date(clock.t) })],
      env: { NODE_ENV: 'development' },
    });
    try {
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      const dir = path.join(chat.runtime.config.dataDir, 'outbox', 'sms');
      const files = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []);
      for (const until = Date.now() + 3000; files().length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
      const code = /\b(\d{6})\b/.exec(JSON.parse(fs.readFileSync(path.join(dir, files()[0]!), 'utf8')).text)![1]!;
      await chat.say(code === '000000' ? '111111' : '000000');
      expect(joined(await chat.say(code))).toContain('can make the');
      const logs = chat.logs.join('\n');
      expect(logs).not.toContain(code);
      expect(logs).not.toContain('+60121000001');
    } finally {
      await chat.close();
    }
  });
});

describe('EligibilityDialog: code guesses (issue 13, item 12)', () => {
  test('a fresh code does not give fresh guesses: five per conversation in any window, then a polite stop', async () => {
    const { chat, sms, clock } = await open();
    try {
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80');
      const first = await sms.nextCode();
      const wrong = (c: string) => (c === '000000' ? '111111' : '000000');
      for (let i = 0; i < 3; i++) await chat.say(wrong(first));
      expect(joined(await chat.say('yes'))).toContain('6-digit code');
      const second = await sms.nextCode();
      expect(joined(await chat.say(wrong(second)))).toContain('Tries left: 2');
      expect(joined(await chat.say(wrong(second)))).toContain('Tries left: 1');
      // the sixth guess in the window, even the right code, is not tested
      const stopped = joined(await chat.say(second));
      expect(stopped).toContain('Too many code attempts for this line for now');
      expect(stopped).not.toContain('can make the');
      // a minute later, past any fixed 15-minute boundary the clock may cross, still refused in Malay too
      clock.t += 60_000;
      await chat.say('semak sama ada talian 012-100 0001 boleh tukar pelan postpaid kepada postpaid Digi Postpaid 80');
      expect(joined(await chat.say('123456'))).toContain('Terlalu banyak cubaan kod');
    } finally {
      await chat.close();
    }
  });
});

describe('EligibilityDialog: a code whose "sent" reply was lost (issue 13, item 8)', () => {
  test('asking again reuses the live code (no second SMS), and a code typed at the number prompt is checked', async () => {
    const { chat, sms } = await open();
    const db = chat.runtime.deps.db;
    try {
      // a turn that committed the code and its SMS, then "crashed" before its state was saved: the state is gone
      await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80', conv('lost'));
      const code = await sms.nextCode();
      await db.deleteFrom('bot_state').execute();
      // the customer, who saw no reply, asks again: the live code is reused, no second SMS
      expect(joined(await chat.say('check if my line 012-100 0001 is eligible to switch plan postpaid to postpaid Digi Postpaid 80', conv('lost')))).toContain('6-digit code');
      await sms.settle();
      expect(sms.sent).toHaveLength(1);
      expect(joined(await chat.say(code, conv('lost')))).toContain('can make the');

      // the state rolled back to the number prompt, and the customer types the code from the SMS there
      await chat.say("Check my line's eligibility", conv('lost-2'));
      await chat.say('Postpaid to Postpaid', conv('lost-2'));
      await chat.say('Digi Postpaid 80', conv('lost-2'));
      const atPrompt = await db.selectFrom('bot_state').selectAll().execute();
      await chat.say('012-100 0001', conv('lost-2'));
      const code2 = await sms.nextCode();
      for (const row of atPrompt) await db.updateTable('bot_state').set({ doc: row.doc, etag: row.etag }).where('key', '=', row.key).execute();
      expect(joined(await chat.say(code2, conv('lost-2')))).toContain('can make the');
    } finally {
      await chat.close();
    }
  });
});

describe('after the verdict', () => {
  test.each([
    ['ms', 'boleh tak line 012-100 0001 tukar ke Digi Postpaid 80?', 'ok tq'],
    ['en', 'can my line 012-100 0001 switch to Digi Postpaid 80?', 'thanks'],
  ] as const)('%s: thanks after the result (which offers next steps) is thanks, not a wrong choice', async (lang, ask, thanks) => {
    const { chat, sms } = await open();
    try {
      await chat.say(ask);
      expect(joined(await chat.say(await sms.nextCode()))).toContain('+6012•••••01');
      const said = joined(await chat.say(thanks));
      expect(said).toContain(chat.runtime.catalog.t(lang, 'thanks.reply'));
      expect(said).not.toContain(chat.runtime.catalog.t(lang, 'fallback.text').slice(0, 20));
    } finally {
      await chat.close();
    }
  });
});

describe('context from the question answered just before', () => {
  test.each([
    ['ms', 'Sy masih dlm kontrak telefon. Kalau sy tukar postpaid ke prepaid skrg, kena penalti ke?', 'ok semak line sy 012-100 0005'],
    ['en', "I'm still on contract for my phone. If I switch my postpaid to prepaid now, will I get charged a penalty?", 'ok can you check my line anyway, 012-100 0005'],
  ] as const)('%s: the switch the previous question named is the one checked; the switch type is not asked', async (lang, question, check) => {
    const { chat, sms } = await open();
    try {
      await chat.say(question);
      await chat.say(check);
      const said = joined(await chat.say(await sms.nextCode()));
      expect(said).toContain('+6012•••••05');
      expect(said).not.toContain(chat.runtime.catalog.t(lang, 'eligibility.ask.switchType').slice(0, 20));
      expect(said).toContain(lang === 'ms' ? 'Postpaid kepada Prepaid' : 'Postpaid to Prepaid');
    } finally {
      await chat.close();
    }
  });

  test('a question two turns back gives no context', async () => {
    const { chat, sms } = await open();
    try {
      await chat.say("If I switch my postpaid to prepaid now, will I get charged a penalty?");
      await chat.say('what is the weather in Ipoh?');
      await chat.say('can you check my line 012-100 0005');
      expect(joined(await chat.say(await sms.nextCode()))).toContain(chat.runtime.catalog.t('en', 'eligibility.ask.switchType').slice(0, 20));
    } finally {
      await chat.close();
    }
  });
});

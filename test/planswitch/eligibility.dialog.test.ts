/**
 * The eligibility procedure through the whole bot: each condition failing alone for each switch type (demo
 * lines), the one-time code path (wrong code, expiry with an injected clock, rate limit), the WhatsApp
 * verified sender, and the next steps (pro-rata bill with what is known, a ticket with a handover).
 */
import { Dialog, type DialogContext } from 'botbuilder-dialogs';
import { setVerifiedPhone } from '../../src/bot/context';
import type { ProcedureOptions } from '../../src/bot/supportBot';
import { createPlanSwitchFeature } from '../../src/features/planswitch';
import type { OutboundSms, SmsSender } from '../../src/services/ports';
import { createTestChat, joined, type Said, type TestChat } from '../helpers/bot';

class RecordingSms implements SmsSender {
  sent: OutboundSms[] = [];
  async send(m: OutboundSms) {
    this.sent.push(m);
  }
  lastCode(): string {
    const m = /\b(\d{6})\b/.exec(this.sent[this.sent.length - 1]?.text ?? '');
    if (!m) throw new Error('no code sent');
    return m[1]!;
  }
}

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

async function open(options: { ticket?: RecordingTicket } = {}) {
  const sms = new RecordingSms();
  const clock = { t: START };
  const chat = await createTestChat({
    features: (deps) => [
      createPlanSwitchFeature(deps, { now: () => new Date(clock.t) }),
      { name: 'ticket-stub', dialogs: options.ticket ? [options.ticket] : [] },
    ],
    sms,
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
    ['Postpaid to Postpaid', 'Digi Postpaid 80', '013-100 0001', 'Line type', null],
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
      expect(joined(await chat.say("Check my line's eligibility"))).toContain('Which kind of switch');
      expect(joined(await chat.say(type))).toContain('plan do you want to switch to');
      expect(joined(await chat.say(plan))).toContain('Which line should I check');
      const ask = joined(await chat.say(line));
      expect(ask).toContain('6-digit code');
      expect(ask).toMatch(/\+601[23]•••••0\d/);
      expect(ask).not.toMatch(/RM\d/); // no account data before the code
      const result = await chat.say(sms.lastCode());
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
      expect(joined(await chat.say('Semak kelayakan talian saya'))).toContain('Penukaran jenis apa');
      await chat.say('Postpaid kepada Prepaid');
      await chat.say('Demo Prepaid 30');
      expect(joined(await chat.say('012-100 0005'))).toContain('kod 6 digit');
      const text = joined(await chat.say(sms.lastCode()));
      expect(text).toContain('✓ Talian +6012•••••05 layak');
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
      const said = joined(await chat.say('check if my line 012-100 0001 can switch plan postpaid to postpaid Digi Postpaid 80'));
      expect(said).toContain('6-digit code');
      expect(joined(await chat.say(sms.lastCode()))).toContain('✓ Line +6012•••••01 can make the Postpaid to Postpaid switch to Digi Postpaid 80');
    } finally {
      await chat.close();
    }
  });

  test('wrong code, then too many wrong codes, then a new code works', async () => {
    const { chat, sms } = await open();
    try {
      await chat.say('check if my line 012-100 0001 can switch plan postpaid to postpaid Digi Postpaid 80');
      const right = sms.lastCode();
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
      await chat.say('check if my line 012-100 0001 can switch plan postpaid to postpaid Digi Postpaid 80');
      const first = sms.lastCode();
      clock.t += 301_000;
      const expired = joined(await chat.say(first));
      expect(expired).toContain('That code has expired');
      expect(joined(await chat.say('Send a new code'))).toContain('6-digit code');
      expect(sms.sent).toHaveLength(2);
      expect(joined(await chat.say(sms.lastCode()))).toContain('can make the');
    } finally {
      await chat.close();
    }
  });

  test('codes are rate-limited per line', async () => {
    const { chat, sms } = await open();
    try {
      await chat.say('check if my line 012-100 0001 can switch plan postpaid to postpaid Digi Postpaid 80');
      expect(joined(await chat.say('Send a new code'))).toContain('6-digit code');
      expect(joined(await chat.say('resend'))).toContain('6-digit code');
      const limited = joined(await chat.say('resend'));
      expect(limited).toContain('Too many codes have been sent');
      expect(sms.sent).toHaveLength(3);
    } finally {
      await chat.close();
    }
  });

  test('a number that is not a line gets the same replies until the code is right', async () => {
    const { chat, sms } = await open();
    try {
      const ask = joined(await chat.say('check if my line 019-999 9999 can switch plan postpaid to postpaid Digi Postpaid 80'));
      expect(ask).toContain('I have sent a 6-digit code by SMS to +6019•••••99');
      expect(joined(await chat.say(sms.lastCode()))).toContain("can't find a Digi line for +6019•••••99");
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
      await chat.say('Postpaid to Postpaid');
      const result = await chat.say('Digi Postpaid 80');
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

  test('raise a ticket hands over the summary; another question leaves the check', async () => {
    const ticket = new RecordingTicket();
    const { chat, sms } = await open({ ticket });
    try {
      await chat.say('check if my line 012-100 0002 can switch plan postpaid to postpaid Digi Postpaid 80');
      const result = await chat.say(sms.lastCode());
      expect(result.at(-1)!.buttons).toEqual(['Calculate the pro-rata bill', 'Raise a ticket']);
      expect(joined(await chat.press(2))).toContain('ticket dialog started');
      expect(ticket.started[0]!.handover).toMatchObject({ from: 'eligibility', category: 'plan-switch' });
      expect(ticket.started[0]!.handover!.summary).toContain('+6012•••••02');
      expect(ticket.started[0]!.handover!.summary).toContain('RM45.20 outstanding');

      await chat.say('check if my line 012-100 0001 can switch plan postpaid to postpaid Digi Postpaid 80');
      await chat.say(sms.lastCode());
      const next = joined(await chat.say('what is the pro-rata formula?'));
      expect(next).not.toContain('ticket dialog started');
      expect(next.length).toBeGreaterThan(20);
    } finally {
      await chat.close();
    }
  });
});

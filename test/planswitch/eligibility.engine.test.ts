/**
 * The eligibility procedure on the slot engine, turn by turn with botbuilder-testing's DialogTestClient (no
 * server, no database: a fake code service and the demo lines), in Malay and English: the number and the switch
 * in one message; a number corrected before the code (the code goes to, and the check is of, the corrected line
 * only); a code inside a sentence; three wrong codes (the bot says the code is dead and asks, never claims to
 * have sent one); a code typed at "shall I send a new code?"; WhatsApp's verified sender; a prepaid line asking
 * for a postpaid switch; cancel midway. An FAQ question midway is the router's (SupportBot.continueProcedure):
 * covered through the whole bot by `npm run eval:procedures`.
 */
import { renderForChannel } from '../../src/channels';
import path from 'node:path';
import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { setTurnLang, setVerifiedPhone } from '../../src/bot/context';
import { loadKnowledge } from '../../src/knowledge';
import type { Lang } from '../../src/knowledge/types';
import { MessageCatalog } from '../../src/language/catalog';
import { EligibilityDialog } from '../../dialogs/eligibility';
import type { OtpService } from '../../src/services/otp';
import { type SubscriberDirectory, demoLines } from '../../src/services/subscribers';
import { memoryLogger } from '../helpers/log';

const root = path.join(__dirname, '../..');
const knowledge = loadKnowledge(path.join(root, 'knowledge'));
const catalog = MessageCatalog.load(path.join(root, 'knowledge/messages'));
const today = () => ({ y: 2026, m: 4, d: 20 });

/** Every reply of the turn (a card's fallback text where there is no text), and the activities. */
async function turn(client: DialogTestClient, text: string): Promise<{ text: string; activities: Partial<Activity>[] }> {
  const activities: Partial<Activity>[] = [];
  for (let a = await client.sendActivity(text); a; a = client.getNextReply()) activities.push(a);
  const out = activities.map((a) => a.text ?? (a.attachments?.[0]?.content as { fallbackText?: string } | undefined)?.fallbackText ?? '');
  return { text: out.join('\n'), activities };
}
const say = async (client: DialogTestClient, text: string) => (await turn(client, text)).text;

/** A code service that sends codes to the demo lines (recorded) and checks them like OtpService: three tries. */
function fakeOtp() {
  const sent: Array<{ msisdn: string; code: string }> = [];
  const live = new Map<string, { code: string; tries: number }>();
  let n = 0;
  const otp = {
    ttlSeconds: 300,
    async issue(input: { msisdn: string; resend?: boolean }) {
      const existing = live.get(input.msisdn);
      if (existing && existing.tries > 0 && !input.resend) return { ok: true as const, expiresInSeconds: 300 };
      n++;
      const code = String(400000 + n * 1111);
      live.set(input.msisdn, { code, tries: 3 });
      sent.push({ msisdn: input.msisdn, code });
      return { ok: true as const, expiresInSeconds: 300 };
    },
    async verify(input: { msisdn: string; code: string }) {
      const entry = live.get(input.msisdn);
      if (!entry) return { ok: false as const, reason: 'none' as const };
      if (entry.tries <= 0) return { ok: false as const, reason: 'too-many-tries' as const };
      if (entry.code === input.code) return { ok: true as const };
      entry.tries--;
      if (entry.tries <= 0) return { ok: false as const, reason: 'too-many-tries' as const };
      return { ok: false as const, reason: 'wrong' as const, triesLeft: entry.tries };
    },
    async pendingLine() {
      return undefined;
    },
  };
  return { otp: otp as unknown as OtpService, sent };
}

function open(lang: Lang, options: { text?: string; verified?: string; channelId?: string; entryId?: string } = {}) {
  const { otp, sent } = fakeOtp();
  const lines = demoLines(today());
  const looked: string[] = [];
  const directory = {
    findLine: async (msisdn: string) => {
      looked.push(msisdn);
      return lines.find((l) => l.msisdn === msisdn);
    },
  } as unknown as SubscriberDirectory;
  const dialog = new EligibilityDialog({ catalog, knowledge, directory, otp, today, log: memoryLogger().log });
  const middlewares = [
    {
      async onTurn(context: TurnContext, next: () => Promise<void>) {
        setTurnLang(context, lang);
        if (options.verified) setVerifiedPhone(context, options.verified);
        if (options.channelId) context.activity.channelId = options.channelId;
        await next();
      },
    },
  ];
  const client = new DialogTestClient(options.channelId ?? 'test', dialog, { ...(options.text ? { text: options.text } : {}), ...(options.entryId ? { entryId: options.entryId } : {}) }, middlewares);
  return { client, sent, looked };
}

const t = (lang: Lang, key: string, vars?: Record<string, string | number>) => catalog.t(lang, key, vars);

describe('eligibility on the engine', () => {
  test.each([
    ['ms', 'boleh tak line 012-100 0003 tukar dari postpaid ke prepaid?', 'kod dia', '✗ Talian +6012•••••03'],
    ['en', 'can my line 012-100 0003 switch from postpaid to prepaid?', 'the code is', '✗ Line +6012•••••03'],
  ] as const)('%s: the number and the switch in one message; the code inside a sentence gives the verdict', async (lang, first, words, verdict) => {
    const { client, sent, looked } = open(lang, { text: first });
    const ask = await say(client, 'start');
    expect(ask).toContain('+6012•••••03');
    expect(ask).not.toMatch(/RM\d/);
    expect(looked).toEqual([]); // no account data is read before the code
    expect(sent.map((s) => s.msisdn)).toEqual(['+60121000003']);
    const result = await say(client, `${words} ${sent[0]!.code}`);
    expect(result).toContain(verdict);
    expect(result).not.toContain(t(lang, 'eligibility.ask.switchType'));
  });

  test.each([
    ['ms', 'nak semak line 0121000002 boleh tukar ke prepaid', 'eh salah, nombor sy 012-100 0001', '✓ Talian +6012•••••01'],
    ['en', 'check line 0121000002 for a switch to prepaid', 'sorry I meant 012-100 0001', '✓ Line +6012•••••01'],
  ] as const)('%s: a number corrected before the code: only the corrected line is proved and checked', async (lang, first, correction, verdict) => {
    const { client, sent, looked } = open(lang, { text: first });
    await say(client, 'start');
    expect(await say(client, correction)).toContain('+6012•••••01');
    expect(sent.map((s) => s.msisdn)).toEqual(['+60121000002', '+60121000001']);
    // the first line's code proves nothing now
    expect(await say(client, sent[0]!.code)).toContain(t(lang, 'eligibility.otp.wrong', { tries: 2 }));
    const result = await say(client, sent[1]!.code);
    expect(result).toContain(verdict);
    expect(looked.every((m) => m === '+60121000001')).toBe(true);
  });

  test.each([['ms'], ['en']] as const)('%s: three wrong codes: the bot says the code is dead and asks; no code is claimed sent', async (lang) => {
    const { client, sent } = open(lang, { text: '0121000001 postpaid ke postpaid' });
    await say(client, 'start');
    expect(await say(client, '000001')).toContain(t(lang, 'eligibility.otp.wrong', { tries: 2 }));
    expect(await say(client, 'kod 000002')).toContain(t(lang, 'eligibility.otp.wrong', { tries: 1 }));
    const third = await say(client, '000003');
    expect(third).toContain(t(lang, 'eligibility.otp.too-many'));
    expect(third).toContain(t(lang, 'eligibility.otp.ask-resend'));
    expect(third).not.toContain(t(lang, 'eligibility.otp.ask', { phone: '+6012•••••01', minutes: 5 }));
    expect(sent).toHaveLength(1);
    // yes: a new code, said as sent only now
    expect(await say(client, lang === 'ms' ? 'ya' : 'yes')).toContain(t(lang, 'eligibility.otp.ask', { phone: '+6012•••••01', minutes: 5 }));
    expect(sent).toHaveLength(2);
  });

  test.each([['ms'], ['en']] as const)('%s: a code typed at "shall I send a new code?" is taken as the code', async (lang) => {
    const { client, sent } = open(lang, { text: '0121000001 postpaid ke postpaid' });
    await say(client, 'start');
    for (const wrong of ['000001', '000002', '000003']) await say(client, wrong);
    // the dead code: said so again, the question stays (not dropped, not a "yes")
    const dead = await say(client, sent[0]!.code);
    expect(dead).toContain(t(lang, 'eligibility.otp.too-many'));
    expect(dead).toContain(t(lang, 'eligibility.otp.ask-resend'));
    await say(client, t(lang, 'eligibility.button.resend'));
    expect(sent).toHaveLength(2);
    // a live code typed in a sentence at the question of the next round works too
    expect(await say(client, `ni kod ${sent[1]!.code}`)).toContain('+6012•••••01');
  });

  test.each([['ms'], ['en']] as const)('%s: "no" at "shall I send a new code?" stops the check, and says so', async (lang) => {
    const { client } = open(lang, { text: '0121000001 postpaid ke postpaid' });
    await say(client, 'start');
    for (const wrong of ['000001', '000002', '000003']) await say(client, wrong);
    expect(await say(client, lang === 'ms' ? 'tak' : 'no')).toContain(t(lang, 'eligibility.stopped'));
  });

  test.each([
    ['ms', 'line sy boleh tukar ke prepaid?', '✓ Talian +6012•••••01'],
    ['en', 'can my line switch to prepaid?', '✓ Line +6012•••••01'],
  ] as const)("%s: WhatsApp: the verified sender's number is the line, no code", async (lang, first, verdict) => {
    const { client, sent } = open(lang, { text: first, verified: '+60121000001' });
    expect(await say(client, 'start')).toContain(verdict);
    expect(sent).toEqual([]);
  });

  test.each([['ms'], ['en']] as const)('%s: WhatsApp: another number typed is proved by a code (the sender proves only their own)', async (lang) => {
    const { client, sent } = open(lang, { text: 'line 013-100 0001 ke postpaid', verified: '+60171234567' });
    expect(await say(client, 'start')).toContain('+6013•••••01');
    expect(sent.map((s) => s.msisdn)).toEqual(['+60131000001']);
  });

  test.each([
    ['ms', 'line prepaid sy boleh tukar ke postpaid?', 'nombor dia 0131000004', '✗ Talian +6013•••••04'],
    ['en', 'can my prepaid line switch to postpaid?', 'the number is 0131000004', '✗ Line +6013•••••04'],
  ] as const)("%s: WhatsApp: a sender who is not a Digi line is asked for the line; the switch wanted is kept", async (lang, first, number, verdict) => {
    const { client, sent } = open(lang, { text: first, verified: '+60178889999' });
    const asked = await say(client, 'start');
    expect(asked).toContain(t(lang, 'eligibility.sender-not-line', { phone: '+6017•••••99' }));
    expect(asked).toContain(t(lang, 'eligibility.ask.phone'));
    expect(await say(client, number)).toContain('+6013•••••04');
    const result = await say(client, sent[0]!.code);
    // prepaid → postpaid, as first asked: not asked again
    expect(result).toContain(verdict);
    expect(result).not.toContain(t(lang, 'eligibility.ask.switchType'));
  });

  test.each([
    ['ms', 'line prepaid sy 0131000002 boleh tukar ke pelan prepaid lain?', 'eh salah, sy nk tukar ke postpaid, bukan prepaid', '✓ Talian +6013•••••02'],
    ['en', 'can my prepaid line 0131000002 change to another prepaid plan?', 'oh wait sorry, I meant switch to a postpaid plan, not prepaid', '✓ Line +6013•••••02'],
  ] as const)('%s: a switch corrected with the old one negated: the corrected switch is checked', async (lang, first, correction, verdict) => {
    const { client, sent } = open(lang, { text: first });
    await say(client, 'start');
    await say(client, correction);
    const result = await say(client, sent.at(-1)!.code);
    // 0131000002: balance RM10, too low for prepaid → prepaid but not a condition of prepaid → postpaid
    expect(result).toContain(verdict);
    expect(result).toMatch(/Postpaid/);
  });

  test.each([
    ['ms', 'tolong check dulu line 0121000001 boleh tukar ke postpaid 80 tak', '✓ Talian +6012•••••01'],
    ['en', 'please check whether line 0121000001 can switch to postpaid 80', '✓ Line +6012•••••01'],
  ] as const)('%s: a conditions entry the message was recognised as gives where to, not where from: the line decides', async (lang, first, verdict) => {
    // the recognizer may pick the prepaid → postpaid entry for a postpaid line's question
    const { client, sent } = open(lang, { text: first, entryId: 'planswitch.conditions-prepaid-postpaid' });
    await say(client, 'start');
    const result = await say(client, sent[0]!.code);
    expect(result).not.toContain(t(lang, 'eligibility.retry.switchType-line', { type: 'postpaid' }));
    expect(result).toContain(verdict);
  });

  test.each([
    ['ms', 'semak line 0131000001 postpaid ke prepaid', 'Prepaid kepada Postpaid'],
    ['en', 'check line 0131000001 postpaid to prepaid', 'Prepaid to Postpaid'],
  ] as const)('%s: a prepaid line asking a postpaid switch: told, and offered only its own switches', async (lang, first, own) => {
    const { client, sent } = open(lang, { text: first });
    await say(client, 'start');
    const { text, activities } = await turn(client, sent[0]!.code);
    expect(text).toContain(t(lang, 'eligibility.retry.switchType-line', { type: 'prepaid' }));
    expect(text).toContain(t(lang, 'eligibility.ask.switchType'));
    const buttons = (activities.at(-1)!.suggestedActions?.actions ?? []).map((a) => a.title);
    expect(buttons).toContain(own);
    expect(buttons.every((b) => /^Prepaid/.test(b!))).toBe(true);
    // the button press carries the switch as a value
    expect(await say(client, own)).toContain('+6013•••••01');
  });

  test.each([
    ['ms', '✗ Talian +6013•••••02', 'Demo Prepaid 35'],
    ['en', '✗ Line +6013•••••02', 'Demo Prepaid 35'],
  ] as const)('%s: no plan asked when every plan gives the same verdict; a named plan is the one checked', async (lang, verdict, plan) => {
    // 0131000002: prepaid, RM10.00: no other prepaid plan is covered, whichever is chosen
    const whole = open(lang, { text: '0131000002 prepaid ke prepaid' });
    await say(whole.client, 'start');
    const result = await say(whole.client, whole.sent[0]!.code);
    expect(result).toContain(verdict);
    expect(result).not.toContain(t(lang, 'eligibility.ask.plan', { type: 'prepaid' }));
    const named = open(lang, { text: `0131000002 prepaid ke prepaid ${plan}` });
    await say(named.client, 'start');
    expect(await say(named.client, named.sent[0]!.code)).toContain(verdict);
    expect(await say(open(lang, { text: `0131000001 ${plan}`, verified: '+60131000001' }).client, 'start')).toContain(plan);
  });

  test.each([
    ['ms', 'kod 123456 eh salah, nombor sy 012-100 0004'],
    ['en', 'sorry I meant 012-100 0004'],
  ] as const)('%s: a correction at the code question never acts on the corrected-away line', async (lang, correction) => {
    const { client, sent, looked } = open(lang, { text: 'check line 012-100 0001 postpaid to prepaid' });
    await say(client, 'start');
    await say(client, correction);
    expect(sent.at(-1)!.msisdn).toBe('+60121000004');
    const result = await say(client, sent.at(-1)!.code);
    expect(result).toContain('+6012•••••04');
    expect(looked).not.toContain('+60121000001');
  });

  test.each([['ms'], ['en']] as const)('%s: the result is shown once: a card with its text as fallback on card channels, text elsewhere', async (lang) => {
    for (const [channelId, card] of [['webchat', true], ['whatsapp', false]] as const) {
      const { client } = open(lang, { text: 'semak line 0121000001 ke prepaid', verified: '+60121000001', channelId });
      // the dialog speaks channel-neutral replies; what leaves for the channel is its renderer's (src/channels)
      const activities = (await turn(client, 'start')).activities.map((a) => renderForChannel(a, channelId));
      const results = activities.filter((a) => (a.text ?? '').includes('+6012•••••01') || a.attachments?.length);
      expect(results).toHaveLength(1);
      const attachment = results[0]!.attachments?.[0];
      if (card) {
        expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        expect((attachment!.content as { fallbackText: string }).fallbackText).toContain('+6012•••••01');
        expect(results[0]!.text).toBeUndefined();
      } else {
        expect(attachment).toBeUndefined();
        expect(results[0]!.text).toContain('+6012•••••01');
      }
    }
  });
});


describe('a request for the check, read by the router (givesValues)', () => {
  const dialog = new EligibilityDialog({ catalog, knowledge, directory: {} as SubscriberDirectory, otp: fakeOtp().otp, today, log: memoryLogger().log });
  const contextFrom = (text: string, verified?: string) => {
    const context = new TurnContext(new TestAdapter(), { type: 'message', text, channelId: 'whatsapp', conversation: { id: 'c' } as never, from: { id: 'u', name: 'Customer' } } as unknown as Activity);
    if (verified) setVerifiedPhone(context, verified);
    return context;
  };
  test.each([
    'line ni postpaid. nak tukar ke pelan postpaid lain, boleh ke?',
    'hey, can this number switch to another prepaid plan?',
  ])('WhatsApp, the chat\'s number proved: "%s" asks for its check', (text) => {
    expect(dialog.givesValues(text, contextFrom(text, '+60121000003'))).toBe(true);
    // the same words from a chat whose number is not proved: a question the FAQ answers
    expect(dialog.givesValues(text, contextFrom(text))).toBe(false);
  });
});

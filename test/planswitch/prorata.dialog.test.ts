/**
 * The pro-rata procedure through the whole bot, turn by turn, in Malay and English: the one-message forms of
 * the issue, asking only for what is missing, and bad input re-prompted in the customer's language.
 */
import { createPlanSwitchFeature } from '../../src/features/planswitch';
import type { OutboundSms, SmsSender } from '../../src/services/ports';
import { createTestChat, joined, type TestChat } from '../helpers/bot';

const sms: SmsSender & { sent: OutboundSms[] } = { sent: [], async send(m) { this.sent.push(m); } };
// 20 April 2026, 10:00 in Kuala Lumpur
const clock = { now: new Date('2026-04-20T02:00:00Z') };

describe('ProRataDialog', () => {
  let chat: TestChat;
  beforeEach(async () => {
    chat = await createTestChat({ features: (deps) => [createPlanSwitchFeature(deps, { now: () => clock.now })], sms });
  });
  afterEach(async () => chat.close());

  test('the Malay one-message form gives the worked example at once, with the formula and the convention', async () => {
    expect(joined(await chat.say('Kira bil pro-rata'))).toContain('pelan lama');
    const said = await chat.say('Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026');
    const text = joined(said);
    expect(text).toContain('10 hari × 58.00 / 30 = RM19.33');
    expect(text).toContain('20 hari × 80.00 / 30 = RM53.33');
    expect(text).toContain('Jumlah: RM19.33 + RM53.33 = RM72.66');
    expect(text).toContain('Tempoh bil: 1 April 2026 – 30 April 2026 (30 hari)');
    expect(text).toContain('sehari sebelum penukaran');
    expect(said.some((s) => (s.activity.attachments ?? []).length === 1)).toBe(true);
    const card = JSON.stringify(said.find((s) => s.activity.attachments?.length)!.activity.attachments![0]!.content);
    expect(card).toContain('"version":"1.5"');
    expect(card).toContain('RM72.66');
  });

  test('the English one-message form with day-only dates', async () => {
    expect(joined(await chat.say('Calculate the pro-rata bill'))).toContain('old plan');
    const said = await chat.say('prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st');
    const text = joined(said);
    expect(text).toContain('10 days × 58.00 / 30 = RM19.33');
    expect(text).toContain('20 days × 80.00 / 30 = RM53.33');
    expect(text).toContain('Total: RM19.33 + RM53.33 = RM72.66');
    expect(text).toContain('the day before the switch');
  });

  test('asks only for what is missing, in English, and accepts plan names and date forms', async () => {
    const first = joined(await chat.say('Calculate the pro-rata bill'));
    expect(first).toContain('old plan');
    expect(joined(await chat.say('Digi Postpaid 58'))).toContain('new plan');
    expect(joined(await chat.say('RM80'))).toContain('billing period start');
    expect(joined(await chat.say('1 March 2026'))).toContain('between 1 March 2026 and 31 March 2026');
    const bill = joined(await chat.say('March 11'));
    expect(bill).toContain('Billing period: 1 March 2026 – 31 March 2026 (31 days)');
    expect(bill).toContain('10 days × 58.00 / 31 = RM18.71');
    expect(bill).toContain('21 days × 80.00 / 31 = RM54.19');
    expect(bill).toContain('Total: RM18.71 + RM54.19 = RM72.90');
    expect(bill).toContain('Digi Postpaid 58');
  });

  test('asks only for what is missing, in Malay, with a cycle day (1hb) and 11/3/2026', async () => {
    expect(joined(await chat.say('Kira bil pro-rata'))).toContain('pelan lama');
    expect(joined(await chat.say('dari RM58 ke RM80'))).toContain('tempoh bil anda bermula');
    expect(joined(await chat.say('1hb'))).toContain('Pada tarikh apakah pelan ditukar');
    const bill = joined(await chat.say('11/3/2026'));
    expect(bill).toContain('Tempoh bil: 1 Mac 2026 – 31 Mac 2026 (31 hari)');
    expect(bill).toContain('Jumlah: RM18.71 + RM54.19 = RM72.90');
  });

  test('bad input gets a clear re-prompt in the customer language, never NaN', async () => {
    expect(joined(await chat.say('Kira bil pro-rata'))).toContain('pelan lama');
    expect(joined(await chat.say('RM-5'))).toContain('tidak boleh negatif');
    expect(joined(await chat.say('RM5000000'))).toContain('terlalu besar');
    await chat.say('RM58');
    await chat.say('RM80');
    const bad = joined(await chat.say('31 Februari 2026'));
    expect(bad).toContain('31 Februari 2026 tidak wujud');
    await chat.say('1 April 2026');
    const outside = joined(await chat.say('11 Mei 2026'));
    expect(outside).toContain('di luar tempoh bil 1 April 2026 – 30 April 2026');
    const bill = joined(await chat.say('11 April 2026'));
    expect(bill).toContain('RM72.66');
    expect(bill).not.toMatch(/NaN|undefined/);
  });

  test('three wrong answers for one value end politely in English', async () => {
    await chat.say('Calculate the pro-rata bill');
    await chat.say('from RM58 to RM80');
    expect(joined(await chat.say('whenever'))).toContain("didn't understand the billing period");
    await chat.say('soon');
    const end = joined(await chat.say('later'));
    expect(end).toContain("I'll stop here");
    // the bot is free again
    expect(joined(await chat.say('menu'))).toContain('What can I help you with?');
  });

  test('prepaid to postpaid: only the first postpaid month, from the switch day', async () => {
    await chat.say('Calculate the pro-rata bill');
    const text = joined(await chat.say('prorate prepaid to postpaid RM80, switched on 11 April 2026, bill cycle starts 1 April 2026'));
    expect(text).toContain('first postpaid bill');
    expect(text).toContain('20 days × 80.00 / 30 = RM53.33');
    expect(text).toContain('Total: RM53.33');
    expect(text).not.toContain('Old plan');
  });

  test('postpaid to prepaid: the final bill up to the day before the switch', async () => {
    await chat.say('Kira bil pro-rata');
    const text = joined(await chat.say('kira pro-rata postpaid ke prepaid RM58 pada 11 April 2026, kitaran bil bermula 1 April 2026'));
    expect(text).toContain('bil terakhir postpaid');
    expect(text).toContain('10 hari × 58.00 / 30 = RM19.33');
    expect(text).toContain('Jumlah: RM19.33');
    expect(text).not.toContain('Pelan baru');
  });
});

/**
 * What happens AROUND a running procedure (issue 15), through the whole bot turn by turn, in Malay and English:
 * a value whose words name another slot goes to that slot; a request for another procedure wins over a value it
 * happens to give; a cancel naming the procedure set aside by such a switch closes it instead of starting it; a
 * cancel clause closes a procedure that waits for free text (a description merely holding the words does not);
 * an FAQ question at an offer that is only a next step closes it instead of asking again.
 */
import { createTestChat, joined, type TestChat } from '../helpers/bot';

describe('around a running procedure', () => {
  let chat: TestChat;
  beforeEach(async () => {
    chat = await createTestChat();
  });
  afterEach(async () => chat.close());

  test.each([
    ['ms', 'kira bil prorata', 'pelan lama RM60, pelan baru RM90', 'pertukaran pada 16 Jun 2026', 'kitaran bil mula 1 Jun 2026', 'Bilakah tempoh bil'],
    ['en', 'work out my prorata bill', 'old plan RM60, new plan RM90', 'the change happens on 16 June 2026', 'billing cycle starts 1 June 2026', 'When does your billing period'],
  ] as const)('%s: a switch date named as such, given while the period is asked, is the switch date', async (_lang, start, fees, switchDate, period, askPeriod) => {
    await chat.say(start);
    expect(joined(await chat.say(fees))).toContain(askPeriod);
    // not taken as the period's start: the period is asked again, the switch date kept
    expect(joined(await chat.say(switchDate))).toContain(askPeriod);
    const bill = joined(await chat.say(period));
    // June 2026 (30 days): 15 days × 60 / 30 + 15 days × 90 / 30
    expect(bill).toContain('RM75.00');
  });

  test.each([
    ['ms', 'kira bil prorata', 'pelan lama RM58', 'eh sebelum tu, tolong semak dulu line 0121000001 boleh tukar ke postpaid 80 tak', 'saya hentikan yang tadi'],
    ['en', 'calculate my prorata bill', 'old plan RM58', 'hold on, first check whether line 0121000001 can switch to postpaid 80', "I'll stop the previous one"],
  ] as const)('%s: a request for another procedure is not swallowed as the value it happens to give', async (_lang, start, fee, request, switched) => {
    await chat.say(start);
    await chat.say(fee);
    const said = joined(await chat.say(request));
    expect(said).toContain(switched);
    expect(said).not.toMatch(/pro-rata|prorata/i);
  });

  test.each([
    [
      'ms',
      'nak pindahkan akaun ebiz lama ke sistem baru',
      'eh lupakan dulu, kira prorata: RM80 ke RM58, tukar 20 Jun 2026, kitaran bil mula 1 Jun 2026',
      'ok. pindah akaun tu x payah la, batal',
      'saya batalkan',
    ],
    [
      'en',
      'I want to migrate my old eBiz account',
      'never mind, first work out my pro-rata: RM80 to RM58, switching on 20 June 2026, cycle starts 1 June 2026',
      'thanks. drop the eBiz account migration, cancel it',
      'OK, cancelled',
    ],
  ] as const)('%s: a cancel clause before a request switches; a later cancel naming the one set aside closes it instead of starting it', async (_lang, first, other, cancel, done) => {
    await chat.say(first);
    const bill = joined(await chat.say(other));
    expect(bill).toContain('RM71.94');
    const said = await chat.say(cancel);
    expect(joined(said)).toContain(done);
    // nothing asked: the migration did not start again
    expect(joined(said)).not.toMatch(/MyKad|e-?mel|e-mail/i);
  });

  test.each([
    ['ms', 'nak buat aduan', 'tambah nilai prabayar eBiz saya belum masuk', 'eh tak jadi, baru semak dah masuk. batal je', 'saya batalkan'],
    ['en', 'I want to raise a complaint', 'my eBiz prepaid top-up has not arrived', 'oh never mind, it just arrived. cancel', 'OK, cancelled'],
  ] as const)('%s: a cancel clause closes a ticket that waits for free text', async (_lang, start, about, cancel, done) => {
    await chat.say(start);
    await chat.say(about);
    expect(joined(await chat.say(cancel))).toContain(done);
  });

  test.each([
    ['ms', 'nak buat aduan', 'bayaran peta digital sy tak jadi tapi duit dah tolak'],
    ['en', 'I want to raise a complaint', 'my payment for the digital map did not go through, never mind the receipt, the money was taken'],
  ] as const)('%s: a description that merely holds cancel words is the description', async (_lang, start, description) => {
    await chat.say(start);
    const said = joined(await chat.say(description));
    expect(said).not.toMatch(/saya batalkan|OK, cancelled/);
  });

  test.each([
    ['ms', 'senarai tiket saya', 'btw, boleh tambah nilai prabayar eBiz di kaunter?', 'Kaunter Ibu Pejabat', 'nombor rujukan'],
    ['en', 'list my tickets', 'by the way, can I top up my eBiz prepaid at the counter?', 'HQ', 'ticket reference'],
  ] as const)('%s: an FAQ question at "my tickets"\' look-up offer is answered and the offer closed', async (_lang, list, question, answer, reference) => {
    expect(joined(await chat.say(list))).toContain(reference);
    const said = joined(await chat.say(question));
    expect(said).toContain(answer);
    expect(said).not.toContain(reference);
  });
});

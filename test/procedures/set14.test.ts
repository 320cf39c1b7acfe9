/**
 * What blind procedure set 14 found, through the whole bot turn by turn, in Malay and English: two questions in one
 * message are each answered under their own label; a number given with "can I switch?" starts that line's check; a
 * fee after "ke"/"to" in a correction is the new plan's; a what-if that goes for another plan changes the new fee;
 * a language asked for before a value ("BM boleh? IC sy …") switches and reads the value; a ticket's category given
 * as a head before a colon stays the ticket's; after a verdict, another line with its switch is checked in turn; a
 * long account of a wrong bill, told while a ticket waits for a contact, is the ticket's (no bill computed instead).
 */
import { createTestChat, joined, type TestChat } from '../helpers/bot';
import { RecordingSms } from '../helpers/sms';

describe('blind set 14', () => {
  let chat: TestChat;
  beforeEach(async () => {
    chat = await createTestChat();
  });
  afterEach(async () => chat.close());

  test.each([
    ['ms', 'ada 2 soalan: 1) boleh ke topup prabayar ebiz di kaunter? 2) data terhad boleh dibeli secara online tak?', 'Topup di kaunter', 'Data terhad online'],
    ['en', 'two questions. can I top up my eBiz prepaid at the counter? and can restricted data be bought online?', 'Top up at counter', 'Restricted data'],
  ] as const)('%s: two questions in one message are each answered under their label', async (_lang, message, first, second) => {
    const said = await chat.say(message);
    const text = joined(said);
    expect(text).toContain(`${first}:`);
    expect(text).toContain(`${second}:`);
    expect(text.indexOf(first)).toBeLessThan(text.indexOf(second));
  });

  test.each([
    ['ms', 'macam mana nak naik taraf akaun ebiz saya? parking kat situ senang ke?'],
    ['en', 'how do I upgrade my eBiz account? is parking easy there?'],
  ] as const)('%s: a second question the bot cannot answer leaves the message one question', async (_lang, message) => {
    const text = joined(await chat.say(message));
    expect(text).not.toMatch(/^[^\n]{1,20}:\n/);
    expect(text).toMatch(/JUPEM/);
  });

  test.each([
    ['ms', 'dah 2 kali tukar pelan bulan ni sebab pelan pertama x ngam, yg kedua mahal pulak. skrg nak tukar lagi, boleh ke? no sy 012-100 0004', 'kod 6 digit'],
    ['en', "changed my plan twice this month because the first didn't suit me and the second was pricey. now I want to change again, can I? my no. 012-100 0004", '6-digit code'],
  ] as const)('%s: a number given with "can I switch?" starts that line\'s check', async (_lang, message, code) => {
    expect(joined(await chat.say(message))).toContain(code);
  });

  test.each([
    ['ms', 'nak kira bil prorata', 'dari pelan RM48 ke RM98.. eh silap, ke RM128 sebenarnya', 'tukar 10 Feb 2026, kitaran bil mula 1 Feb 2026'],
    ['en', 'work out my pro-rata bill', 'from RM48 to RM98.. oops no, to RM128 actually', 'switching on 10 Feb 2026, billing cycle starts 1 Feb 2026'],
  ] as const)('%s: a fee after "ke"/"to" in a correction is the new plan\'s', async (_lang, start, fees, dates) => {
    await chat.say(start);
    await chat.say(fees);
    const bill = joined(await chat.say(dates));
    // February 2026 (28 days): 9 days × 48 / 28 = 15.43, 19 days × 128 / 28 = 86.86
    expect(bill).toContain('RM15.43');
    expect(bill).toContain('RM86.86');
    expect(bill).toContain('RM102.29');
  });

  test.each([
    ['ms', 'kira prorata: pelan RM39.95 ke RM58, tukar 10 Jun 2026, kitaran bil mula 1 Jun 2026', 'kalau sy pilih pelan RM68 pulak, tarikh sama?'],
    ['en', "pro-rata please: I'm on RM39.95 moving to RM58 on 10 June 2026, cycle starts 1 June 2026", 'what if I go for the RM68 plan instead, same dates?'],
  ] as const)('%s: a what-if that goes for another plan changes the new fee', async (_lang, bill, whatIf) => {
    expect(joined(await chat.say(bill))).toContain('RM11.99');
    const again = joined(await chat.say(whatIf));
    // June 2026 (30 days): 9 days × 39.95 / 30 = 11.985 → 11.99; 21 days × 68 / 30 = 47.60
    expect(again).toContain('RM11.99');
    expect(again).toContain('RM47.60');
    expect(again).toContain('RM59.59');
  });

  test.each([
    ['ms', 'I need to migrate my old eBiz login', 'BM boleh? IC sy 900101-10-5431', 'Bahasa Melayu', 't••••'],
    ['en', 'nak pindah akaun ebiz lama', 'English please. my IC is 900101-10-5431', 'English', 't••••'],
  ] as const)('%s: a language asked for before a value switches and reads the value', async (_lang, start, message, switched, masked) => {
    await chat.say(start);
    const said = joined(await chat.say(message));
    expect(said).toContain(switched);
    expect(said).toContain(masked);
  });

  test.each([
    ['ms', 'saya nak buka tiket', 'pasal pembelian ebiz: sy dah bayar data peta digital semalam tapi fail tak keluar. hubungi sy di lim.kh@example.com', 'Kategori: Pembelian dan bayaran eBiz'],
    ['en', 'I want to open a ticket', "it's about an eBiz purchase: I paid for digital map data yesterday but the download never came. reach me at lim.kh@example.com", 'Category: eBiz purchases and payments'],
  ] as const)('%s: a ticket\'s category given before a colon stays the ticket\'s', async (_lang, start, details, category) => {
    await chat.say(start);
    const said = joined(await chat.say(details));
    // the ticket, shown for consent with its category and the masked address: no migration started on that address
    expect(said).toContain(category);
    expect(said).toContain('l••••@e••••.com');
    expect(said).not.toMatch(/migrat|pindah/i);
  });

  test.each([
    ['ms', 'semak line anak sy 013-100 0005, dia nak tukar pelan prabayar lain', 'ok, skrg line anak perempuan sy 013-100 0001, pun nak pelan prabayar lain', 'kod 6 digit', '+6013•••••01'],
    ['en', "first my son's line 013-100 0005, he wants another prepaid plan", "ok, now my daughter's line 013-100 0001, also to a different prepaid plan", '6-digit code', '+6013•••••01'],
  ] as const)('%s: after a verdict, another line given with its switch is checked in turn', async (_lang, first, second, code, masked) => {
    const sms = new RecordingSms();
    const withSms = await createTestChat({ sms });
    try {
      expect(joined(await withSms.say(first))).toContain(code);
      expect(joined(await withSms.say(await sms.nextCode()))).toMatch(/✗/);
      const next = joined(await withSms.say(second));
      expect(next).toContain(code);
      expect(next).toContain(masked);
      expect(joined(await withSms.say(await sms.nextCode()))).toContain(masked);
    } finally {
      await withSms.close();
    }
  });

  test.each([
    [
      'ms',
      'sepatutnya x sampai RM100 pun. sy nk buat aduan bil',
      'Bil Jun 2026 caj penuh pelan lama RM80 dan pelan baru RM100 walaupun sy tukar pada 30 Jun. Mohon semak dan pulangkan lebihan caj.',
      'Bil pro-rata',
    ],
    [
      'en',
      "that's wrong, it shouldn't even reach RM100. I want to complain about my bill",
      'My June 2026 bill charged the full RM80 old plan and the full RM100 new plan although I switched on 30 June. Please check and refund the extra charge.',
      'Pro-rata bill',
    ],
  ] as const)('%s: a long account of a wrong bill told to a ticket stays the ticket\'s', async (_lang, start, account, bill) => {
    await chat.say(start);
    const said = joined(await chat.say(account));
    expect(said).not.toContain(bill);
    expect(said).not.toMatch(/(?:tempoh bil|billing period) anda bermula|When does your billing period/i);
  });

  test.each([
    ['ms', 'Selamat pagi. Sy tolong mak sy, Aminah, masuk eBiz baru. Dia guna sistem lama bertahun-tahun untuk beli peta, sekarang ID lama dia tak boleh pakai. Emel dia aminah.abdullah@example.com', 'a••••@e••••.com'],
    ['en', "Good morning. I'm helping my mother, Aminah, get into the new eBiz. She used the old system for years to buy maps and now her old ID doesn't work. Her email is aminah.abdullah@example.com", 'a••••@e••••.com'],
  ] as const)('%s: a story of an old login that gives the e-mail starts the migration with it', async (_lang, story, masked) => {
    const said = joined(await chat.say(story));
    expect(said).toContain(masked);
    expect(said).not.toMatch(/Did you mean|Adakah anda maksudkan/);
  });

  test.each([
    ['ms', 'Nak buat aduan kategori bil: bil bulan Mac sy kena caj yuran bulanan dua kali. Hubungi sy di faridah.hassan@example.com', 'Kategori: Bil'],
    ['en', "Reporting a problem: bought NDCDB data on eBiz but the download link doesn't work. Category eBiz purchase. email kumar.dev@example.com", 'Category: eBiz purchases and payments'],
  ] as const)('%s: a head before a colon that names the ticket is a request for it, its details after', async (_lang, message, category) => {
    expect(joined(await chat.say(message))).toContain(category);
  });

  test.each([
    ['ms', 'nak buat aduan', 'Bil dan caj', 'sy kena caj dua kali untuk pelan yang sama bulan ni', 'Ahmad Faiz ahmad@exampel.com', 'ya', 'maaf, emel yang betul ahmad@example.com'],
    ['en', 'raise a ticket', 'Bills and charges', 'I was charged twice for the same plan this month', 'Ahmad Faiz ahmad@exampel.com', 'yes', 'sorry, the correct email is ahmad@example.com'],
  ] as const)('%s: an address corrected after a ticket is submitted starts no migration', async (_lang, ...turns) => {
    let last = '';
    for (const turn of turns) last = joined(await chat.say(turn));
    expect(last).not.toContain('a••••@e••••.com. ');
    expect(last).not.toMatch(/migrat|pindah|registered for this account|berdaftar untuk akaun/i);
  });
});

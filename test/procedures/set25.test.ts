/**
 * What blind procedure set 25 found, through the whole bot turn by turn, in Malay and English: a request for a person
 * followed by its subject ("I need to speak to a staff member about …") is a request for a person; a ticket hearing
 * the customer's account with the contact takes the account, even when it names a pro-rata amount, and adds it to the
 * description; "hold on, let me check my old bill" after a bill is waited for, and the correction after it is read;
 * "kena pi mana nak tukar?" asks where to switch.
 */
import { chatWithStaffOnDuty, joined } from '../helpers/bot';

describe('blind set 25', () => {
  const t = chatWithStaffOnDuty();

  test.each([
    ['en', 'I need to speak to a staff member about changing my company representative on eBiz', 'in the queue'],
    ['ms', 'sy nak bercakap dgn pegawai pasal tukar wakil syarikat dalam akaun eBiz kami yang lama', 'dalam giliran'],
  ] as const)('%s: a request for a person followed by its subject queues', async (_lang, request, queued) => {
    expect(joined(await t.chat.say(request))).toContain(queued);
  });

  test.each([
    [
      'en',
      'pro-rata: RM58 to RM80, switched on 6 Jan 2026, cycle starts 1 Jan 2026',
      'hmm my actual bill shows way more than that. I want to file a complaint',
      'my January bill charged the full RM58 plus the full RM80, pro-rata should be around RM76. email tan.weiming@example.com.my',
      'Please check your ticket',
    ],
    [
      'ms',
      'kira prorata: RM58 ke RM80, tukar 6 Jan 2026, kitaran mula 1 Jan 2026',
      'hmm bil sebenar sy jauh lebih tinggi dari tu. sy nak buat aduan',
      'bil Januari sy caj penuh RM58 dan penuh RM80, prorata sepatutnya lebih kurang RM76. emel tan.weiming@example.com.my',
      'Sila semak tiket anda',
    ],
  ] as const)('%s: the account told with the contact stays in the ticket and is added to its description', async (_lang, bill, complaint, account, summary) => {
    await t.chat.say(bill);
    await t.chat.say(complaint);
    const reply = joined(await t.chat.say(account));
    expect(reply).toContain(summary);
    expect(reply).toContain('RM76');
    expect(reply).not.toContain('tan.weiming@');
  });

  test.each([
    // 15 May - 14 Jun 2026 (31 days): 5 days x 40 / 31 = 6.45, 26 days x 80 / 31 = 67.10
    ['en', "my billing cycle starts on the 15th. switching from RM40 to RM58 on 20 May 2026, what's the pro-rata?", 'hold on, let me check my old bill', 'take your time', 'ok sorry, not 58, 80', 'RM73.55'],
    ['ms', 'kitaran bil sy mula 15hb. tukar dari RM40 ke RM58 pada 20 Mei 2026, berapa prorata?', 'kejap, biar sy tengok bil lama', 'Saya tunggu', 'ok maaf, bukan 58, 80', 'RM73.55'],
  ] as const)('%s: "hold on, let me check" after a bill is waited for; the correction after it is read', async (_lang, bill, holdOn, wait, correction, total) => {
    await t.chat.say(bill);
    expect(joined(await t.chat.say(holdOn))).toContain(wait);
    expect(joined(await t.chat.say(correction))).toContain(total);
  });

  test.each([
    ['ms', 'ok tq. kena pi mana nak tukar tu?', 'di tempat tertentu'],
    ['ms', 'nak g mana utk tukar plan', 'di tempat tertentu'],
  ] as const)('%s: "kena pi mana nak tukar" asks where to switch', async (_lang, question, answer) => {
    expect(joined(await t.chat.say(question))).toContain(answer);
  });
});

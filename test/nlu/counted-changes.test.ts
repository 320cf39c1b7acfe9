/**
 * How often a plan is changed, told or asked (2026-12-07, development set 2119), on the real knowledge base, in Malay
 * and English. None of these messages is in an evaluation set; those not marked as guards failed at dea72a6.
 * - "time" alone counts nothing ("at a time", "perfect timing", "time to go postpaid"): lexicon concept times.
 * - A change told as made again, marked by the switch limit's signals, is that entry when it is among the first few
 *   close to the first, not only the second.
 * - "How many times can …" asks for a frequency, which only the switch limit gives (lexicon quantityQuestions.frequency):
 *   of anything else it is declined, and a story that leans to the check of a line is still the limit's.
 */
import { answered, decided } from '../helpers/recognizer';

test.each([
  ['Topped up RM80 last night and moving to postpaid this weekend. Perfect timing.', 'planswitch.prepaid-credit-carryover'],
  // (a guard: Malay says it with no "time")
  ['Sy dah topup RM80 semalam, hujung minggu ni nak tukar ke postpaid. Tepat pada masanya.', 'planswitch.prepaid-credit-carryover'],
  // (guards: a count is still one)
  ['can i change plan 3 times a month', 'planswitch.switch-limit-per-month'],
  ['dah tukar pelan 3 kali bulan ni, boleh lagi?', 'planswitch.switch-limit-per-month'],
])('"time" alone counts nothing: %s', (text, id) => {
  answered(text, id);
});

test.each([
  ['Switched plan on the 5th and switched again on the 12th. Just saw a better one.', 'planswitch.switch-limit-per-month'],
  // (a guard)
  ['Tukar pelan 5hb lepas tu tukar lagi 12hb. Baru nampak satu pelan lagi best.', 'planswitch.switch-limit-per-month'],
])('a change told as made again is the limit of changes a month: %s', (text, id) => {
  answered(text, id);
});

test.each([
  ['how many times can I top up my prepaid in a day'],
  ['berapa kali boleh topup prepaid sehari'],
])('"how many times can" of what the switch limit is not about is declined: %s', (text) => {
  expect(decided(text).decision).toBe('fallback');
});

test.each([
  ['Sy guna line ni utk bisnes kek. Awal bulan turun ke pelan postpaid murah, lepas tu naik balik sbb tempahan raya banyak. Skrg tempahan dah kurang, mungkin nak turun lagi. Sebelum kena error, berapa kali boleh satu line tukar pelan dalam sebulan?', 'planswitch.switch-limit-per-month'],
  ['This line is for my cake business. Early this month I dropped to a cheaper postpaid plan, then went back up when raya orders came in. Orders are slow again so I may drop once more. Before I hit an error, how many times can a line change plan in one month?', 'planswitch.switch-limit-per-month'],
  // (a count told, not asked, asks for no frequency)
  ['dah cuba berapa kali dah tapi x boleh login ebiz guna id lama', 'ebiz.login-old-user-id'],
])('(guards) a frequency asked after a story of a line is the limit\'s; a count told asks none: %s', (text, id) => {
  answered(text, id);
});

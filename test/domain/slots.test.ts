/**
 * The parsers of Malaysian input inside sentences (issue 15 item 2), table by table: codes, dates, fee pairs,
 * MyKad with spaces and dashes, phone numbers in every local form, correction markers and fuzzy choices.
 */
import { findCode, findCorrection, findFeePair, fuzzyPick, MAX_SLOT_TEXT, withoutNegatedValues } from '../../src/domain/slots';
import { findDates, toIsoDate } from '../../src/domain/dates';
import { findMyKads } from '../../src/domain/mykad';
import { findPhone } from '../../src/domain/phone';

const reference = { y: 2026, m: 4, d: 20 };

describe('findCode', () => {
  test.each([
    ['415764', '415764'],
    ['kod dia 415764', '415764'],
    ['kod yang sampai tadi 123456', '123456'],
    ['the code is 415 764 thanks', '415764'],
    ['code: 415-764', '415764'],
    ['bukan 111111, 222222', '222222'],
    ['my number is 0123456789', undefined],
    ['IC 900101-10-5431', undefined],
    ['12345', undefined],
    ['1234567', undefined],
    ['RM58.50', undefined],
    // a code at the end of a sentence; not a number with decimals
    ['Kod yang saya terima ialah 415764. Terima kasih.', '415764'],
    ['code 415764, thanks', '415764'],
    ['123456.50', undefined],
    ['123456,50', undefined],
  ])('%s → %s', (text, code) => expect(findCode(text)).toBe(code));
});

describe('dates inside sentences', () => {
  test.each([
    ['tukar 11hb', '2026-04-11'],
    ['kitaran 1hb', '2026-04-01'],
    ['saya tukar hari ni', '2026-04-20'],
    ['tukar harini', '2026-04-20'],
    ['semalam saya tukar', '2026-04-19'],
    ['pada 15 haribulan', '2026-04-15'],
    ['switched on the 15th', '2026-04-15'],
    ['on 11 April 2026', '2026-04-11'],
    ['11/3/2026', '2026-03-11'],
  ])('%s → %s', (text, iso) => {
    const found = findDates(text, { reference });
    expect(found[0]?.result.ok && toIsoDate(found[0].result.value)).toBe(iso);
  });
});

describe('withoutNegatedValues', () => {
  const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();
  test.each([
    ['pelan baru RM98 bukan 80', 'pelan baru RM98'],
    ['switch to a postpaid plan, not prepaid', 'switch to a postpaid plan,'],
    ['tukar pada 9hb, bukan 19hb', 'tukar pada 9hb,'],
    ['the 9th August, not the 19th August', 'the 9th August,'],
    ['email sy ali@example.com bukannya ali@example.my', 'email sy ali@example.com'],
    ['use 0121000001 instead of 0121000002', 'use 0121000001'],
    // not values: kept
    ['bukan, yang betul 0121000001', 'bukan, yang betul 0121000001'],
    ['bukan saya yang buat', 'bukan saya yang buat'],
    ['not sure which plan', 'not sure which plan'],
  ])('%s → %s', (text, kept) => {
    const out = withoutNegatedValues(text);
    expect(out).toHaveLength(text.length);
    expect(squeeze(out)).toBe(kept);
  });
});

describe('findFeePair', () => {
  test.each([
    ['58 ke 80', [5800, 8000]],
    ['from 29.90 plan to 49.90 plan, switching 15 Feb 2027', [2990, 4990]],
    ['tolong kira prorata pelan 40 ke 98, tukar 20hb', [4000, 9800]],
    ['plan 98 ke 128', [9800, 12800]],
    ['RM40 to RM98', [4000, 9800]],
    ['from rm 38.50 to rm68', [3850, 6800]],
    ['dari pelan 58 kepada pelan 80', [5800, 8000]],
    ['1 to 30 April', undefined],
    ['5hb ke 20hb', undefined],
    ['3 ke 4 hari', undefined],
    ['0 ke 80', undefined],
    ['how much if I go from the 48 plan to the 68 one?', [4800, 6800]],
    ['I switched from the 58 plan to the 98 plan on 5 Jan 2026', [5800, 9800]],
    ['nak tukar dari 58 ke yg 80 pd 5hb', [5800, 8000]],
    ['5 to the 20 of April', undefined],
  ])('%s → %j', (text, pair) => {
    const found = findFeePair(text);
    expect(found ? [found.oldSen, found.newSen] : undefined).toEqual(pair);
  });
});

describe('MyKad with spaces and dashes inside sentences', () => {
  test.each([
    ['IC saya 850312145672', '850312145672'],
    ['ic sebenarnya 900101-10-5431', '900101105431'],
    ['no kp 900101 10 5431 ya', '900101105431'],
  ])('%s → %s', (text, digits) => {
    const found = findMyKads(text, { reference });
    expect(found[0]?.result.ok && found[0].result.value.value).toBe(digits);
  });
});

describe('phone numbers in every local form', () => {
  test.each([
    ['nombor saya 0121000001', '+60121000001'],
    ['012-100 0001', '+60121000001'],
    ['012 1000001', '+60121000001'],
    ['+60 12-100 0001', '+60121000001'],
    ['60121000001', '+60121000001'],
    ['(012) 100-0001', '+60121000001'],
    ['no tel 011-1234 5678', '+601112345678'],
    ['+6011 12345678', '+601112345678'],
  ])('%s → %s', (text, e164) => expect(findPhone(text)?.value).toBe(e164));
});

describe('findCorrection', () => {
  test.each([
    ['eh salah, 0123456789', 'eh salah', ', 0123456789'],
    ['bukan, yang betul 0123456789', 'bukan, yang betul', ' 0123456789'],
    ['alamak silap taip, IC saya sebenarnya 900101-10-5431', 'alamak silap taip', ', IC saya sebenarnya 900101-10-5431'],
    ['sorry I meant tan@example.com', 'sorry I meant', ' tan@example.com'],
    ['the correct email is a@b.com', 'the correct email is', ' a@b.com'],
    ['oops wrong number, 0123456789', 'oops', ' wrong number, 0123456789'],
    ['pelan baru RM85.. eh silap, RM58 la', 'silap', ', RM58 la'],
  ])('%s', (text, marker, after) => expect(findCorrection(text)).toEqual({ marker, after, index: text.indexOf(marker) }));
  test.each([
    // a value said not to be meant beside a correction's own word: both known
    ['sorry not 58, it was 48 actually', { marker: 'actually', after: '', index: 24, negated: '58' }],
    ['sori bukan 58, sebenarnya 48', { marker: 'sebenarnya', after: ' 48', index: 15, negated: '58' }],
    ['RM98, not 80', { marker: 'not 80', after: 'RM98, not 80', index: 6, negated: '80' }],
  ])('%s: the marker and the value said not to be meant', (text, correction) => expect(findCorrection(text)).toEqual(correction));
  test.each(['0123456789', 'ya betul', 'nak semak kelayakan', 'salam', 'silapkan'])('no correction in %s', (text) =>
    expect(findCorrection(text)).toBeUndefined(),
  );
});

describe('fuzzyPick', () => {
  const options = [
    { value: 'technical', labels: ['Masalah teknikal', 'Technical problem'] },
    { value: 'billing', labels: ['Bil dan bayaran', 'Billing and payment'] },
    { value: 'account', labels: ['Akaun eBiz', 'eBiz account'] },
  ];
  test.each([
    ['teknikal', 'technical'],
    ['Technicl problem', 'technical'],
    ['billing', 'billing'],
    ['akaun ebiz', 'account'],
    ['zzzz', undefined],
    ['x'.repeat(200), undefined],
  ])('%s → %s', (text, value) => expect(fuzzyPick(text, options)).toBe(value));
});

test('bounded cost on long input', () => {
  const long = '58 ke 80 '.repeat(5000) + 'kod 123456';
  const started = Date.now();
  findCode(long);
  findFeePair(long);
  findCorrection(long);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(findCode(long)).toBeUndefined(); // beyond MAX_SLOT_TEXT
  expect(long.length).toBeGreaterThan(MAX_SLOT_TEXT);
});

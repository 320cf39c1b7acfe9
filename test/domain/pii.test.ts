import { containsPersonalData, redactPersonalData } from '../../src/domain/pii';

describe('redactPersonalData', () => {
  test.each([
    ['IC saya 900101-14-5678', 'IC saya ••••••-••-5678'],
    ['ic 900101145678.', 'ic ••••••-••-5678.'],
    ['emel ali.baba@gmail.com, terima kasih', 'emel a••••@g••••.com, terima kasih'],
    ['call 012-345 6789 or +60 11-1234 5678', 'call +6012•••••89 or +6011••••••78'],
    ['nombor 0123456789', 'nombor +6012•••••89'],
    ['my number is +65 9123 4567', 'my number is +••••••••67'],
    ['passport no: A12345678', 'passport no: •••••5678'],
    ['MyKad tersalah 909999-14-5678', 'MyKad tersalah ••••••-••-5678'], // mistyped: still masked
    [
      'IC 900101-14-5678, emel Ali@Gmail.com, tel 012-345 6789, RM58 ke RM80 pada 11 April 2026',
      'IC ••••••-••-5678, emel A••••@g••••.com, tel +6012•••••89, RM58 ke RM80 pada 11 April 2026',
    ],
  ])('%s', (text, expected) => expect(redactPersonalData(text)).toBe(expected));

  test.each([
    'RM58 ke RM80, total RM72.66',
    'RM1,234.50 dan RM 100000',
    '11 April 2026, 2026-03-11, 11/3/2026, 11-03-2026',
    'Tiket TKT-20261122-7QF3 telah dibuka',
    'ticket TKT-20261122-7QF3 on 2026-11-22',
    '10 days × 58.00 / 30 = RM19.33',
    'order 12345678, postpaid 80, 30 hari',
    'kod 123456',
  ])('leaves alone: %s', (text) => {
    expect(redactPersonalData(text)).toBe(text);
    expect(containsPersonalData(text)).toBe(false);
  });

  test('idempotent', () => {
    const once = redactPersonalData('IC 900101-14-5678, ali@gmail.com, 012-345 6789, +65 9123 4567');
    expect(redactPersonalData(once)).toBe(once);
    expect(once).not.toMatch(/\d{6}-\d{2}-\d{4}|ali@|345 6789|9123/);
  });
});

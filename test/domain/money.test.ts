import { findRinggit, formatRinggit, formatSenPlain, mulDivRoundHalfUp, parseRinggit } from '../../src/domain/money';

describe('parseRinggit', () => {
  test.each([
    ['RM58', 5800],
    ['rm 58.00', 5800],
    ['58', 5800],
    ['58.5', 5850],
    ['58.05', 5805],
    ['RM1,234.50', 123450],
    ['58 ringgit', 5800],
    ['58 hengget', 5800],
    ['80 Ringit', 8000],
    ['  RM 80  ', 8000],
    ['RM0.50', 50],
    ['.50', 50],
    ['RM100000', 10000000],
    ['1,000,000', null], // over the default cap
  ])('%s → %s sen', (text, sen) => {
    const r = parseRinggit(text);
    if (sen === null) expect(r).toEqual({ ok: false, reason: 'too-large' });
    else expect(r).toEqual({ ok: true, value: sen });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['RM58.005', 'too-many-decimals'],
    ['58.123', 'too-many-decimals'],
    ['-58', 'negative'],
    ['RM-58', 'negative'],
    ['-RM58', 'negative'],
    ['0', 'zero'],
    ['RM0.00', 'zero'],
    ['RM100000.01', 'too-large'],
    ['99999999999999999999999', 'too-large'],
    ['abc', 'not-a-number'],
    ['RM', 'not-a-number'],
    ['58 ringgit 20', 'not-a-number'],
    ['1,23', 'not-a-number'],
    ['RM5 8', 'not-a-number'],
  ])('%j is an error: %s', (text, reason) => {
    expect(parseRinggit(text)).toEqual({ ok: false, reason });
  });

  test('the cap is a parameter; zero may be allowed', () => {
    expect(parseRinggit('RM500', { maxSen: 40000 })).toEqual({ ok: false, reason: 'too-large' });
    expect(parseRinggit('RM400', { maxSen: 40000 })).toEqual({ ok: true, value: 40000 });
    expect(parseRinggit('0', { allowZero: true })).toEqual({ ok: true, value: 0 });
  });
});

describe('findRinggit', () => {
  test('amounts in a sentence, in order', () => {
    const found = findRinggit('tukar dari pelan RM58 ke pelan RM 80.50, bukan 11 April atau 2026');
    expect(found.map((f) => [f.text, f.result])).toEqual([
      ['RM58', { ok: true, value: 5800 }],
      ['RM 80.50', { ok: true, value: 8050 }],
    ]);
  });
  test('ringgit as customers write it ("58 hengget ke 80 hengget")', () => {
    expect(findRinggit('dr 58 hengget ke 80 hinggit').map((f) => f.result)).toEqual([{ ok: true, value: 5800 }, { ok: true, value: 8000 }]);
  });
  test('ringgit suffix, bad amounts reported', () => {
    const found = findRinggit('from 58 ringgit to RM-5 or RM58.005.');
    expect(found.map((f) => f.result)).toEqual([
      { ok: true, value: 5800 },
      { ok: false, reason: 'negative' },
      { ok: false, reason: 'too-many-decimals' },
    ]);
  });
});

describe('formatRinggit', () => {
  test.each([
    [1933, 'RM19.33'],
    [123450, 'RM1,234.50'],
    [0, 'RM0.00'],
    [5, 'RM0.05'],
    [100000000, 'RM1,000,000.00'],
    [-500, '-RM5.00'],
  ])('%d → %s', (sen, text) => expect(formatRinggit(sen)).toBe(text));
  test('plain', () => {
    expect(formatSenPlain(5800)).toBe('58.00');
    expect(formatSenPlain(123456)).toBe('1234.56');
  });
  test('rejects non-integers', () => expect(() => formatRinggit(1.5)).toThrow(RangeError));
});

describe('mulDivRoundHalfUp', () => {
  test.each([
    [10, 5800, 30, 1933], // 1933.33
    [20, 8000, 30, 5333], // 5333.33
    [1, 5, 2, 3], // 2.5 → 3
    [1, 3, 2, 2], // 1.5 → 2
    [1, 1, 3, 0], // 0.33 → 0
    [2, 1, 3, 1], // 0.67 → 1
    [15, 5800, 30, 2900],
    [1, -5, 2, -3], // half away from zero
    [0, 9999, 31, 0],
    [9007199254740991, 1, 1, 9007199254740991],
    [4503599627370496, 2, 4, 2251799813685248], // product beyond 2^53 is still exact
    [1, 1, -2, -1],
  ])('%d × %d / %d = %d', (a, b, c, r) => expect(mulDivRoundHalfUp(a, b, c)).toBe(r));
  test('errors', () => {
    expect(() => mulDivRoundHalfUp(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(1.5, 1, 1)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(9007199254740991, 2, 1)).toThrow(RangeError);
  });
});

test('formatRinggit drops zero cents only when asked (prose such as "up to RM100")', () => {
  expect(formatRinggit(10000, { dropZeroCents: true })).toBe('RM100');
  expect(formatRinggit(15050, { dropZeroCents: true })).toBe('RM150.50');
  expect(formatRinggit(10000)).toBe('RM100.00');
});

import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  daysInMonth,
  findDates,
  formatDate,
  fromIsoDate,
  isLeapYear,
  isValidDate,
  makeDate,
  parseDate,
  toIsoDate,
  todayInKualaLumpur,
  type CalendarDate,
} from '../../src/domain/dates';

const d = (y: number, m: number, day: number): CalendarDate => ({ y, m, d: day });
const REF = d(2026, 4, 20); // 20 April 2026
const iso = (text: string, reference = REF) => {
  const r = parseDate(text, { reference });
  return r.ok ? toIsoDate(r.value) : `error:${r.reason}`;
};

describe('calendar arithmetic', () => {
  test.each([
    [2024, true], [2026, false], [2028, true], [1900, false], [2000, true], [2100, false],
  ])('leap year %d: %s', (y, leap) => expect(isLeapYear(y)).toBe(leap));

  test.each([
    [2026, 2, 28], [2028, 2, 29], [2026, 4, 30], [2026, 1, 31], [2026, 12, 31], [2026, 9, 30],
  ])('days in %d-%d = %d', (y, m, n) => expect(daysInMonth(y, m)).toBe(n));

  test.each([
    [2026, 2, 29, false], [2028, 2, 29, true], [2026, 2, 31, false], [2026, 4, 31, false], [2026, 13, 1, false],
    [2026, 0, 1, false], [2026, 1, 0, false], [2026, 1, 31, true], [2026, 1.5, 1, false],
  ])('%d-%d-%d valid: %s', (y, m, day, v) => expect(isValidDate(y, m, day)).toBe(v));

  test('days between and add days', () => {
    expect(daysBetween(d(2026, 4, 1), d(2026, 4, 11))).toBe(10);
    expect(daysBetween(d(2026, 4, 11), d(2026, 4, 1))).toBe(-10);
    expect(daysBetween(d(2026, 1, 1), d(2027, 1, 1))).toBe(365);
    expect(daysBetween(d(2028, 1, 1), d(2029, 1, 1))).toBe(366);
    expect(addDays(d(2026, 2, 28), 1)).toEqual(d(2026, 3, 1));
    expect(addDays(d(2028, 2, 28), 1)).toEqual(d(2028, 2, 29));
    expect(addDays(d(2026, 1, 1), -1)).toEqual(d(2025, 12, 31));
  });

  test.each([
    [d(2026, 1, 31), 1, d(2026, 2, 28)],
    [d(2028, 1, 31), 1, d(2028, 2, 29)],
    [d(2026, 3, 31), -1, d(2026, 2, 28)],
    [d(2026, 12, 15), 1, d(2027, 1, 15)],
    [d(2026, 1, 15), -1, d(2025, 12, 15)],
    [d(2026, 5, 31), -1, d(2026, 4, 30)],
    [d(2026, 4, 11), 12, d(2027, 4, 11)],
  ])('%j + %d months = %j', (a, n, b) => expect(addMonths(a, n)).toEqual(b));

  test('compare, iso round trip, makeDate', () => {
    expect(compareDates(d(2026, 4, 1), d(2026, 4, 2))).toBe(-1);
    expect(compareDates(d(2026, 5, 1), d(2026, 4, 30))).toBe(1);
    expect(compareDates(d(2026, 4, 1), d(2026, 4, 1))).toBe(0);
    expect(toIsoDate(d(2026, 3, 1))).toBe('2026-03-01');
    expect(fromIsoDate('2026-03-01')).toEqual({ ok: true, value: d(2026, 3, 1) });
    expect(fromIsoDate('2026-02-30')).toEqual({ ok: false, reason: 'invalid-date', parts: { y: 2026, m: 2, d: 30 } });
    expect(makeDate(1800, 1, 1)).toMatchObject({ ok: false, reason: 'year-out-of-range' });
  });

  test('today in Kuala Lumpur is UTC+8', () => {
    expect(todayInKualaLumpur(new Date('2026-04-10T15:59:59Z'))).toEqual(d(2026, 4, 10));
    expect(todayInKualaLumpur(new Date('2026-04-10T16:00:00Z'))).toEqual(d(2026, 4, 11));
    expect(todayInKualaLumpur(new Date('2026-12-31T16:30:00Z'))).toEqual(d(2027, 1, 1));
  });

  test('format in both languages', () => {
    expect(formatDate(d(2026, 3, 11), 'ms')).toBe('11 Mac 2026');
    expect(formatDate(d(2026, 3, 11), 'en')).toBe('11 March 2026');
    expect(formatDate(d(2026, 8, 1), 'ms')).toBe('1 Ogos 2026');
  });
});

describe('parseDate: every form, Malay and English', () => {
  test.each([
    // full dates
    ['11 April 2026', '2026-04-11'],
    ['11 Apr 2026', '2026-04-11'],
    ['11 apr. 2026', '2026-04-11'],
    ['11 April, 2026', '2026-04-11'],
    ['11 Mac 2026', '2026-03-11'],
    ['11hb Mac 2026', '2026-03-11'],
    ['11 hb April', '2026-04-11'],
    ['11 haribulan Disember 2025', '2025-12-11'],
    ['March 11', '2026-03-11'],
    ['March 11, 2026', '2026-03-11'],
    ['March 11th 2027', '2027-03-11'],
    ['11th of March 2026', '2026-03-11'],
    ['11/3/2026', '2026-03-11'],
    ['11/03/26', '2026-03-11'],
    ['11-03-2026', '2026-03-11'],
    ['11.03.2026', '2026-03-11'],
    ['11/3', '2026-03-11'],
    ['tarikh 5/5', '2026-05-05'],
    ['2026-03-11', '2026-03-11'],
    // day without month and year: month and year of the reference
    ['11hb', '2026-04-11'],
    ['11 hb', '2026-04-11'],
    ['1hb', '2026-04-01'],
    ['the 11th', '2026-04-11'],
    ['on the 11th', '2026-04-11'],
    ['on the 1st', '2026-04-01'],
    ['pada 11hb', '2026-04-11'],
    ['11', '2026-04-11'],
    ['11 Mac', '2026-03-11'],
    // relative
    ['hari ini', '2026-04-20'],
    ['Hari Ini', '2026-04-20'],
    ['harini', '2026-04-20'],
    ['today', '2026-04-20'],
    ['semalam', '2026-04-19'],
    ['yesterday', '2026-04-19'],
    ['esok', '2026-04-21'],
    // Malay month names, full and short
    ['1 Januari 2026', '2026-01-01'], ['1 Jan 2026', '2026-01-01'],
    ['1 Februari 2026', '2026-02-01'], ['1 Feb 2026', '2026-02-01'],
    ['1 Mac 2026', '2026-03-01'],
    ['1 April 2026', '2026-04-01'], ['1 Apr 2026', '2026-04-01'],
    ['1 Mei 2026', '2026-05-01'],
    ['1 Jun 2026', '2026-06-01'],
    ['1 Julai 2026', '2026-07-01'], ['1 Jul 2026', '2026-07-01'],
    ['1 Ogos 2026', '2026-08-01'], ['1 Ogs 2026', '2026-08-01'],
    ['1 September 2026', '2026-09-01'], ['1 Sep 2026', '2026-09-01'],
    ['1 Oktober 2026', '2026-10-01'], ['1 Okt 2026', '2026-10-01'],
    ['1 November 2026', '2026-11-01'], ['1 Nov 2026', '2026-11-01'],
    ['1 Disember 2026', '2026-12-01'], ['1 Dis 2026', '2026-12-01'],
    // English month names
    ['1 January 2026', '2026-01-01'], ['1 February 2026', '2026-02-01'], ['1 March 2026', '2026-03-01'],
    ['1 May 2026', '2026-05-01'], ['1 June 2026', '2026-06-01'], ['1 July 2026', '2026-07-01'],
    ['1 August 2026', '2026-08-01'], ['1 Aug 2026', '2026-08-01'], ['1 Sept 2026', '2026-09-01'],
    ['1 October 2026', '2026-10-01'], ['1 Oct 2026', '2026-10-01'], ['1 December 2026', '2026-12-01'],
    ['1 Dec 2026', '2026-12-01'],
    // leap day
    ['29 Februari 2028', '2028-02-29'],
    ['29/2/2028', '2028-02-29'],
  ])('%s → %s', (text, expected) => expect(iso(text)).toBe(expected));

  test.each([
    ['31 Februari 2026', 'error:invalid-date'],
    ['29 Februari 2026', 'error:invalid-date'],
    ['31 April 2026', 'error:invalid-date'],
    ['30/2/2026', 'error:invalid-date'],
    ['2026-02-30', 'error:invalid-date'],
    ['11/13/2026', 'error:invalid-date'],
    ['32hb', 'error:invalid-date'],
    ['31', 'error:invalid-date'], // April has 30 days
    ['0', 'error:invalid-date'],
    ['', 'error:empty'],
    ['bila-bila', 'error:unrecognised'],
    ['RM58', 'error:unrecognised'],
    ['1 April dan 11 April', 'error:several-dates'],
  ])('%j → %s', (text, expected) => expect(iso(text)).toBe(expected));

  test('an impossible date is reported with its parts, never rolled over', () => {
    expect(parseDate('31 Februari 2026', { reference: REF })).toEqual({
      ok: false,
      reason: 'invalid-date',
      parts: { y: 2026, m: 2, d: 31 },
    });
  });
  test('a day-only date takes the reference month: 31hb in February is invalid', () => {
    expect(iso('31hb', d(2026, 2, 10))).toBe('error:invalid-date');
    expect(iso('29hb', d(2028, 2, 10))).toBe('2028-02-29');
  });
});

describe('findDates', () => {
  const texts = (text: string) =>
    findDates(text, { reference: REF }).map((f) => (f.result.ok ? toIsoDate(f.result.value) : f.result.reason));
  test('Malay one-message request', () => {
    expect(
      texts('Kira pro-rata: tukar dari pelan RM58 ke pelan RM80 pada 11 April 2026, kitaran bil bermula 1 April 2026'),
    ).toEqual(['2026-04-11', '2026-04-01']);
  });
  test('English one-message request', () => {
    expect(texts('prorate RM58 to RM80, switched on the 11th, bill cycle starts on the 1st')).toEqual([
      '2026-04-11',
      '2026-04-01',
    ]);
  });
  test('mixed forms, in order', () => {
    expect(texts('dari 11/3/2026 hingga 2026-04-01, kemudian March 5 dan 7hb')).toEqual([
      '2026-03-11',
      '2026-04-01',
      '2026-03-05',
      '2026-04-07',
    ]);
  });
  test('does not read amounts, plan numbers, ticket references or counts as dates', () => {
    expect(texts('Digi Postpaid 80 costs RM80, ticket TKT-20261122-7QF3, my 2nd switch, 30 days')).toEqual([]);
  });
  test('ranges: the start borrows the end\'s month and year', () => {
    expect(texts('tempoh 1–30 April 2026')).toEqual(['2026-04-01', '2026-04-30']);
    expect(texts('dari 1 hingga 30 April')).toEqual(['2026-04-01', '2026-04-30']);
    expect(texts('15 to 20 Mac 2027')).toEqual(['2027-03-15', '2027-03-20']);
    expect(findDates('1 - 28 Feb 2026', { reference: REF }).map((f) => f.range)).toEqual(['start', 'end']);
    expect(texts('postpaid 80 to 11 April')).toEqual(['2026-04-11']); // not a range
  });
  test('ranges whose start is written with its own suffix ("1hb-30hb Jun 2026", "1st to 30th June")', () => {
    expect(texts('kitaran bil 1hb-30hb Jun 2026')).toEqual(['2026-06-01', '2026-06-30']);
    expect(texts('1hb hingga 30hb Jun 2026')).toEqual(['2026-06-01', '2026-06-30']);
    expect(texts('billing 1st to 30th of June 2027')).toEqual(['2027-06-01', '2027-06-30']);
    expect(findDates('1hb-28hb Feb 2026', { reference: REF }).map((f) => [f.text, f.range])).toEqual([['1hb', 'start'], ['28hb Feb 2026', 'end']]);
  });
  test('an impossible date in a sentence is reported', () => {
    expect(texts('tukar pada 31 Februari 2026')).toEqual(['invalid-date']);
  });
  test('named parts are reported', () => {
    const [a, b] = findDates('11hb April dan 12hb', { reference: REF });
    expect(a.named).toEqual({ day: true, month: true, year: false });
    expect(b.named).toEqual({ day: true, month: false, year: false });
  });
});

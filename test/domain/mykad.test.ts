import {
  findMyKad,
  findMyKads,
  formatMyKad,
  maskMyKad,
  maskPassport,
  parseMyKad,
  parsePassport,
  placeOfBirthKind,
} from '../../src/domain/mykad';
import { ACCEPTED_MYKADS, ACCEPTED_PASSPORTS } from '../fixtures/identifiers';

const REF = { y: 2026, m: 4, d: 20 };

describe('parseMyKad', () => {
  test.each(ACCEPTED_MYKADS)('%s is valid', (text, value, birth, place, kind, sex) => {
    const r = parseMyKad(text, { reference: REF });
    if (!r.ok) throw new Error(r.reason);
    const b = r.value.birthDate!;
    expect([r.value.value, `${b.y}-${String(b.m).padStart(2, '0')}-${String(b.d).padStart(2, '0')}`, r.value.placeCode, r.value.placeKind, r.value.sex]).toEqual([
      value, birth, place, kind, sex,
    ]);
  });

  test.each([
    ['', 'empty'],
    ['90010114567', 'length'], // 11 digits
    ['9001011456789', 'length'], // 13 digits
    ['900101-14-567', 'length'],
    ['900101-14-567A', 'format'],
    ['IC 900101145678', 'format'],
    ['900230-14-5678', 'date'], // 30 February
    ['250229-14-5678', 'date'], // 29 February 2025 / 1925: not leap years
    ['901301-14-5678', 'date'], // month 13
    ['900100-14-5678', 'date'], // day 0
    ['900431-14-5678', 'date'], // 31 April
    ['900101-00-5678', 'place'],
    ['900101-17-5678', 'place'],
    ['900101-18-5678', 'place'],
    ['900101-19-5678', 'place'],
    ['900101-20-5678', 'place'],
    ['900101-69-5678', 'place'],
    ['900101-70-5678', 'place'],
    ['900101-73-5678', 'place'],
    ['900101-80-5678', 'place'],
    ['900101-81-5678', 'place'],
    ['900101-94-5678', 'place'],
    ['900101-97-5678', 'place'],
    ['900101 -  14 5678', 'format'], // more than three separators in a row: not one number
  ])('%j → %s', (text, reason) => expect(parseMyKad(text, { reference: REF })).toEqual({ ok: false, reason }));

  test('leap day 2028 vs 1928 depends on the reference', () => {
    // 280229: 2028-02-29 is after the reference, 1928 is a leap year too → 1928
    const r = parseMyKad('280229-14-5678', { reference: REF });
    expect(r.ok && r.value.birthDate).toEqual({ y: 1928, m: 2, d: 29 });
    const later = parseMyKad('280229-14-5678', { reference: { y: 2028, m: 3, d: 1 } });
    expect(later.ok && later.value.birthDate).toEqual({ y: 2028, m: 2, d: 29 });
  });

  test('without a reference the date must exist in one of the centuries; no birth date is given', () => {
    const r = parseMyKad('000229-14-5678');
    expect(r.ok && r.value.birthDate).toBeUndefined();
    expect(parseMyKad('010229-14-5678')).toEqual({ ok: false, reason: 'date' });
  });

  test('place code table', () => {
    const issued = Array.from({ length: 100 }, (_, i) => i).filter((i) => placeOfBirthKind(i) !== undefined);
    expect(issued.length).toBe(100 - 14);
    expect(placeOfBirthKind(16)).toBe('state');
    expect(placeOfBirthKind(59)).toBe('state');
    expect(placeOfBirthKind(60)).toBe('foreign');
    expect(placeOfBirthKind(100)).toBeUndefined();
  });
});

describe('find, format, mask', () => {
  test('find in a sentence', () => {
    const f = findMyKad('No IC saya 900101-14-5678, terima kasih');
    expect(f?.text).toBe('900101-14-5678');
    expect(f?.result.ok).toBe(true);
    expect(findMyKads('ic 900101145678 dan 880808 66 1112').map((x) => x.text)).toEqual(['900101145678', '880808 66 1112']);
    expect(findMyKad('ticket TKT-20261122-7QF3, phone 0123456789, 1234567890123')).toBeUndefined();
  });
  test('format', () => expect(formatMyKad('900101145678')).toBe('900101-14-5678'));
  test.each([
    ['900101-14-5678', '••••••-••-5678'],
    ['900101145678', '••••••-••-5678'],
    ['900101 14 5678', '••••••-••-5678'],
    ['12345', '•••45'],
  ])('mask %s → %s', (text, masked) => expect(maskMyKad(text)).toBe(masked));
});

describe('passports', () => {
  test.each(ACCEPTED_PASSPORTS)('%s → %s', (text, value) => expect(parsePassport(text)).toEqual({ ok: true, value }));
  test.each([
    ['', 'empty'],
    ['12345678', 'format'],
    ['ABC123456', 'format'],
    ['A12345', 'format'],
    ['A1234567890', 'format'],
    ['A1234567X', 'format'],
    ['A 1234  5678', 'format'], // one separator at most after the letters and once among the digits
    ['on 2026-11-22', 'format'], // a date after a two-letter word is not a passport
    ['is 123456789', 'format'], // two lower-case letters and a space: a word, not a passport
  ])('%j → %s', (text, reason) => expect(parsePassport(text)).toEqual({ ok: false, reason }));
  test('mask', () => {
    expect(maskPassport('A12345678')).toBe('•••••5678');
    expect(maskPassport('K123456')).toBe('••••456');
  });
});

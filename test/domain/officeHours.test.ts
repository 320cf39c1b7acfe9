/** Office hours in Malaysia time (src/domain/officeHours.ts): weekdays, opening and closing, public holidays. */
import { formatHours, isOpen, parseOfficeHours } from '../../src/domain/officeHours';

describe('office hours (Malaysia time)', () => {
  const hours = parseOfficeHours('1-5', '09:00', '18:00', '2026-12-25, 2027-01-01');
  // instants in UTC; Malaysia is UTC+8 all year
  const at = (iso: string) => new Date(iso);

  test('open on a weekday between opening and closing, Malaysia time', () => {
    expect(isOpen(hours, at('2026-11-23T01:00:00Z'))).toBe(true); // Monday 09:00 MYT
    expect(isOpen(hours, at('2026-11-23T00:59:00Z'))).toBe(false); // Monday 08:59 MYT
    expect(isOpen(hours, at('2026-11-23T09:59:00Z'))).toBe(true); // Monday 17:59 MYT
    expect(isOpen(hours, at('2026-11-23T10:00:00Z'))).toBe(false); // Monday 18:00 MYT: closed
  });

  test('the Malaysian calendar day decides the weekday (late Friday UTC is Saturday in Kuala Lumpur)', () => {
    expect(isOpen(hours, at('2026-11-27T02:00:00Z'))).toBe(true); // Friday 10:00 MYT
    expect(isOpen(hours, at('2026-11-28T02:00:00Z'))).toBe(false); // Saturday 10:00 MYT
    expect(isOpen(parseOfficeHours('6', '00:00', '24:00', ''), at('2026-11-27T16:30:00Z'))).toBe(true); // Saturday 00:30 MYT
  });

  test('public holidays are closed, by the Malaysian date', () => {
    expect(isOpen(hours, at('2026-12-25T02:00:00Z'))).toBe(false); // Friday 25 December, 10:00 MYT
    expect(isOpen(hours, at('2026-12-24T02:00:00Z'))).toBe(true);
    expect(isOpen(hours, at('2027-01-01T02:00:00Z'))).toBe(false); // Friday 1 January 2027, 10:00 MYT
    expect(isOpen(hours, at('2026-12-31T17:00:00Z'))).toBe(false); // 1 January 01:00 MYT, though still 31 December in UTC
  });

  test('day lists and ranges; 24:00 closes at midnight; the hours as shown', () => {
    const h = parseOfficeHours('1,3,5-7', '00:00', '24:00', '');
    expect([...h.days].sort()).toEqual([1, 3, 5, 6, 7]);
    expect(isOpen(h, at('2026-11-24T15:59:00Z'))).toBe(false); // Tuesday 23:59 MYT
    expect(isOpen(h, at('2026-11-25T15:59:00Z'))).toBe(true); // Wednesday 23:59 MYT
    expect(formatHours(hours)).toBe('09:00–18:00');
  });
});

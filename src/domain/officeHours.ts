/**
 * Office hours in Malaysia time (UTC+8 all year: no daylight saving), for the live handoff: ISO weekdays,
 * an opening and a closing time, and public holidays as calendar dates. Pure: no clock, no I/O.
 */
export interface OfficeHours {
  /** ISO weekdays open: 1 = Monday … 7 = Sunday. */
  days: Set<number>;
  /** Minutes after midnight. */
  open: number;
  /** Minutes after midnight (1440 = midnight at the end of the day). */
  close: number;
  /** YYYY-MM-DD dates closed. */
  holidays: Set<string>;
}

const KL_OFFSET_MS = 8 * 3_600_000;

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** From the settings' text: days "1-5" or "1,3,5-7", times "HH:MM", holidays "2026-12-25,2027-01-01". */
export function parseOfficeHours(days: string, open: string, close: string, holidays: string): OfficeHours {
  const set = new Set<number>();
  for (const part of days.split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    if (!a) continue;
    for (let d = a; d <= (b ?? a); d++) set.add(d);
  }
  return {
    days: set,
    open: minutes(open),
    close: minutes(close),
    holidays: new Set(holidays.split(',').map((h) => h.trim()).filter(Boolean)),
  };
}

/** Staff are on duty at this instant (Kuala Lumpur wall clock). */
export function isOpen(hours: OfficeHours, at: Date): boolean {
  const local = new Date(at.getTime() + KL_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  if (hours.holidays.has(date)) return false;
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  if (!hours.days.has(weekday)) return false;
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return m >= hours.open && m < hours.close;
}

/** "09:00–18:00" for the customer. */
export function formatHours(hours: OfficeHours): string {
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(hours.open)}–${f(hours.close)}`;
}

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  chinaDay,
  EMPTY_CALENDAR,
  isWorkingDay,
  loadCalendar,
  parseCalendar,
  workingDeadline,
} from './calendar.js';

const CN_2025 = loadCalendar(fileURLToPath(new URL('../../../calendars/cn-2025.json', import.meta.url)));

describe('working-day calendar', () => {
  it('skips weekends only when there is no calendar', () => {
    // Thu 2025-09-25 + 1 = Fri; + 2 = Mon; + 5 = Thu of the next week.
    expect(addWorkingDays('2025-09-25', 1, EMPTY_CALENDAR)).toBe('2025-09-26');
    expect(addWorkingDays('2025-09-25', 2, EMPTY_CALENDAR)).toBe('2025-09-29');
    expect(addWorkingDays('2025-09-25', 5, EMPTY_CALENDAR)).toBe('2025-10-02');
    expect(addWorkingDays('2025-09-27', 0, EMPTY_CALENDAR)).toBe('2025-09-27');
  });

  it('skips the National Day holiday week and counts the make-up Sunday and Saturday (调休)', () => {
    expect(isWorkingDay('2025-09-28', CN_2025)).toBe(true); // Sunday, make-up working day
    expect(isWorkingDay('2025-10-06', CN_2025)).toBe(false); // Monday, holiday
    expect(isWorkingDay('2025-10-11', CN_2025)).toBe(true); // Saturday, make-up working day
    expect(isWorkingDay('2025-10-12', CN_2025)).toBe(false); // plain Sunday
    // Fri 26 Sep: Sun 28 (1), Mon 29 (2), Tue 30 (3), 1–8 Oct off, Thu 9 (4), Fri 10 (5).
    expect(addWorkingDays('2025-09-26', 5, CN_2025)).toBe('2025-10-10');
    // Thu 9 Oct: Fri 10 (1), Sat 11 make-up (2), Mon 13 (3).
    expect(addWorkingDays('2025-10-09', 3, CN_2025)).toBe('2025-10-13');
    // Spring Festival: Fri 24 Jan 2025 → Sun 26 make-up (1), Mon 27 (2), 28 Jan–4 Feb off, Wed 5 Feb (3).
    expect(addWorkingDays('2025-01-24', 3, CN_2025)).toBe('2025-02-05');
  });

  it('puts the deadline at the end of the China day', () => {
    // 17:00 UTC on Thu 25 Sep is already Fri 26 Sep in China.
    const now = new Date('2025-09-25T17:00:00Z');
    expect(chinaDay(now)).toBe('2025-09-26');
    expect(workingDeadline(now, 5, CN_2025)).toBe('2025-10-10T15:59:59.999Z');
  });

  it('refuses malformed calendars', () => {
    expect(() => parseCalendar({ holidays: ['2025-02-30'] })).toThrow(/2025-02-30/);
    expect(() => parseCalendar({ holidays: '2025-01-01' })).toThrow(/array/);
    expect(() => parseCalendar({ holidays: ['2025-01-01'], workdays: ['2025-01-01'] })).toThrow(/both/);
    expect(() => parseCalendar([])).toThrow(/object/);
    expect(parseCalendar({}).holidays.size).toBe(0);
  });
});

/**
 * Working days for problem-data deadlines: Monday to Friday, less the public holidays, plus the
 * make-up working days (调休) that fall on a weekend. The province publishes both every year
 * (国务院办公厅 holiday notice); the hub reads them from a JSON file (config `holidayCalendar`).
 * Dates are calendar dates in China time (UTC+8): a deadline falls at the end of a China day.
 */
import { readFileSync } from 'node:fs';

/** The holiday calendar file: `{ "holidays": ["YYYY-MM-DD"…], "workdays": ["YYYY-MM-DD"…] }`. */
export interface WorkingCalendar {
  /** Days off that would otherwise be working days (and may as well list weekend days). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休上班). */
  workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: WorkingCalendar = { holidays: new Set(), workdays: new Set() };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** Parses a calendar document; throws an Error saying what is wrong. */
export function parseCalendar(document: unknown): WorkingCalendar {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new Error('a holiday calendar is a JSON object { "holidays": [...], "workdays": [...] }');
  const lists: Record<'holidays' | 'workdays', Set<string>> = { holidays: new Set(), workdays: new Set() };
  for (const name of ['holidays', 'workdays'] as const) {
    const list = (document as Record<string, unknown>)[name] ?? [];
    if (!Array.isArray(list)) throw new Error(`"${name}" must be an array of YYYY-MM-DD dates`);
    for (const value of list) {
      if (!isDate(value))
        throw new Error(`"${name}" holds "${String(value)}", which is not a YYYY-MM-DD date`);
      lists[name].add(value);
    }
  }
  const both = [...lists.holidays].find((day) => lists.workdays.has(day));
  if (both) throw new Error(`${both} is both a holiday and a make-up working day`);
  return lists;
}

/** Reads and parses a calendar file. */
export function loadCalendar(path: string): WorkingCalendar {
  return parseCalendar(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}

function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a date (YYYY-MM-DD) is a working day. */
export function isWorkingDay(day: string, calendar: WorkingCalendar): boolean {
  if (calendar.workdays.has(day)) return true;
  if (calendar.holidays.has(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The date `n` working days after `start` (YYYY-MM-DD); `start` itself does not count, so a
 * ticket opened on a Friday with n = 1 is due on Monday. n = 0 answers `start`.
 */
export function addWorkingDays(start: string, n: number, calendar: WorkingCalendar): string {
  if (!isDate(start)) throw new RangeError(`not a YYYY-MM-DD date: ${String(start)}`);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer: ${n}`);
  let day = start;
  for (let left = n; left > 0;) {
    day = shift(day, 1);
    if (isWorkingDay(day, calendar)) left -= 1;
  }
  return day;
}

/** The China (UTC+8) calendar date of an instant. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A deadline `n` working days after an instant: the end (23:59:59.999 China time) of the n-th
 * working day after the China date of `now`, as an ISO instant in UTC.
 */
export function workingDeadline(now: Date, n: number, calendar: WorkingCalendar): string {
  const due = addWorkingDays(chinaDay(now), n, calendar);
  return new Date(Date.parse(`${due}T00:00:00Z`) + DAY_MS - CHINA_OFFSET_MS - 1).toISOString();
}

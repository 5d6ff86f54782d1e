/**
 * Dates as data officers type them, to ISO `YYYY-MM-DD`. Every reading is year-month-day, the
 * order of Chinese (and ISO) dates: `2023/05/06` is 6 May. Anything that could be read two ways
 * (a two-digit year, the year last) or is not a real day is refused (undefined).
 */

const DAY_MS = 86_400_000;
/** The last day Excel can hold, 9999-12-31. */
const MAX_SERIAL = 2_958_465;
/**
 * Smaller numbers are refused: a date column holding `2023` more likely means the year typed
 * alone than 1905-07-15, and serials below 10000 (before 1927-05-18) do not occur in catalogs.
 */
const MIN_PLAUSIBLE_SERIAL = 10_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The ISO date of a year, month and day, or undefined when that day does not exist. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * The date of an Excel serial number (1900 date system). Excel counts a 29 February 1900 that
 * never was (kept from Lotus 1-2-3): serial 60 is refused, and from 61 on the count is one day
 * ahead, so 61 is 1900-03-01 and 44927 is 2023-01-01. Fractions (times of day) are refused.
 */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL || serial === 60) return undefined;
  const daysSince1900 = serial < 60 ? serial - 1 : serial - 2;
  return new Date(Date.UTC(1900, 0, 1) + daysSince1900 * DAY_MS).toISOString().slice(0, 10);
}

const READINGS: RegExp[] = [
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/u,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/u,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/u,
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/u,
  /^(\d{4})(\d{2})(\d{2})$/u,
];

/**
 * Reads a date typed as text or as a number: `2023年5月1日`, `2023.5.1`, `2023/05/01`,
 * `2023-5-1`, `20230501`, or an Excel serial number (`44927`, as a number or as text, from
 * 10000 on). The text must already be half-width and trimmed. Returns undefined when the value
 * is none of these or names no real day.
 */
export function readDate(value: string | number): string | undefined {
  const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : value;
  if (/^\d{5,7}$/u.test(text)) {
    const serial = Number(text);
    return serial >= MIN_PLAUSIBLE_SERIAL ? excelSerialToDate(serial) : undefined;
  }
  for (const reading of READINGS) {
    const match = reading.exec(text);
    if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  }
  return undefined;
}

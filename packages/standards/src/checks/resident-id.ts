import { isIdentifierRegion } from './region.js';
import {
  echo,
  firstBadChar,
  lastCheckCharText,
  pass,
  prepare,
  readOption,
  reject,
  showChar,
} from './result.js';
import type { Bilingual, CheckOptions, CheckResult } from './result.js';

/** GB 11643-1999 18-digit 公民身份号码 (standards.md §3.1). */

export interface ResidentIdCheckOptions extends CheckOptions {
  /** The current time, for the "birth date not in the future" rule; tests pass a fixed date. */
  now?: Date;
}

/** ISO 7064 MOD 11-2 weights: W[i] = 2^(17-i) mod 11. */
export const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
export const RESIDENT_ID_CHECK_CHARS = '10X98765432';
const WEIGHTS = RESIDENT_ID_WEIGHTS;
const CHECK_CHARS = RESIDENT_ID_CHECK_CHARS;
/** Older dates are data-entry errors, not people (the oldest recorded person was born 1875). */
const EARLIEST_BIRTH = '18500101';
/** Birth dates are Beijing time (UTC+8), whatever the server's zone. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const WHAT: Bilingual = { zh: '公民身份号码', en: 'Resident ID number' };

/** The check character for the first 17 digits; undefined unless given exactly 17 digits. */
export function residentIdCheckDigit(first17: string): string | undefined {
  if (typeof first17 !== 'string' || !/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11];
}

function lengthFailure(value: string, length: number): Bilingual {
  if (length === 15 && /^\d{15}$/.test(value)) {
    return {
      zh: '公民身份号码应为 18 位，实际为 15 位：这是 1999 年以前的 15 位旧号码（GB 11643-1989，无世纪位和校验码），不予接受，请使用 18 位号码',
      en: 'A resident ID number must have 18 characters, got 15: this is the legacy 15-digit form (GB 11643-1989, no century and no check digit), which is not accepted; use the 18-digit number',
    };
  }
  const zhFound = length === 0 ? '为空' : `为 ${length} 位`;
  const enFound = length === 0 ? 'an empty value' : `${length}`;
  return {
    zh: `公民身份号码应为 18 位，实际${zhFound}`,
    en: `A resident ID number must have 18 characters, got ${enFound}`,
  };
}

function charsFailure(value: string): Bilingual | undefined {
  const bad = firstBadChar(value, (ch, i) => /^\d$/.test(ch) || (i === 17 && ch === 'X'));
  if (!bad) return undefined;
  const shown = showChar(bad.char);
  if (bad.position === 18) {
    return {
      zh: `公民身份号码第 18 位（校验码）应为数字或 X，实际为 ${shown}`,
      en: `Character 18 (the check character) of a resident ID number must be a digit or X, got ${shown}`,
    };
  }
  return {
    zh: `公民身份号码前 17 位应为数字，第 ${bad.position} 位实际为 ${shown}`,
    en: `The first 17 characters of a resident ID number must be digits; character ${bad.position} is ${shown}`,
  };
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; Date.UTC handles leap years.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function todayInChina(now: unknown): string {
  let time = Date.now();
  try {
    if (now instanceof Date && Number.isFinite(now.getTime())) time = now.getTime();
  } catch {
    // A hostile `now` (a revoked Proxy, a throwing getTime) falls back to the clock.
  }
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

const dashed = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

function birthDateFailure(birth: string, now: unknown): Bilingual | undefined {
  if (!isCalendarDate(birth)) {
    return {
      zh: `出生日期码（第 7–14 位）${birth} 不是有效的日期`,
      en: `The birth date (characters 7–14) ${birth} is not a valid calendar date`,
    };
  }
  const today = todayInChina(now);
  if (birth > today) {
    return {
      zh: `出生日期 ${dashed(birth)} 晚于当前日期 ${dashed(today)}`,
      en: `The birth date ${dashed(birth)} is after today (${dashed(today)})`,
    };
  }
  if (birth < EARLIEST_BIRTH) {
    return {
      zh: `出生日期 ${dashed(birth)} 早于 1850-01-01，不可信`,
      en: `The birth date ${dashed(birth)} is before 1850-01-01 and cannot be right`,
    };
  }
  return undefined;
}

/** Checks an 18-character 公民身份号码: length, characters, region, birth date, check digit. */
export function checkResidentId(value: unknown, options?: ResidentIdCheckOptions): CheckResult {
  const prepared = prepare(value, WHAT, options);
  if ('failure' in prepared) return prepared.failure;
  const id = prepared.value;
  const shown = echo(prepared);
  if (prepared.length !== 18)
    return reject('CHK-RID-LENGTH', lengthFailure(id, prepared.length), options, shown);
  const chars = charsFailure(id);
  if (chars) return reject('CHK-RID-CHARS', chars, options, shown);
  const region = id.slice(0, 6);
  if (!isIdentifierRegion(region)) {
    const text = {
      zh: `地址码（第 1–6 位）${region} 不是 GB/T 2260 行政区划代码（现行或历史），也不属于已知的地级行政区`,
      en: `The region code (characters 1–6) ${region} is not a GB/T 2260 code (current or historic) nor under a known prefecture`,
    };
    return reject('CHK-RID-REGION', text, options, shown);
  }
  const birth = birthDateFailure(id.slice(6, 14), readOption(options, 'now'));
  if (birth) return reject('CHK-RID-BIRTHDATE', birth, options, shown);
  const expected = residentIdCheckDigit(id.slice(0, 17));
  if (expected !== id[17]) {
    const text = lastCheckCharText(expected, id[17]);
    return reject('CHK-RID-CHECKSUM', text, options, shown);
  }
  return pass(id);
}

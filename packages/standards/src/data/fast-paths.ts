/**
 * Fast acceptance of valid values on the hot path. The standards' checks build messages and
 * normalise defensively, which costs about 2 µs per resident ID: too much for millions of rows.
 * These functions only ever say "certainly valid"; anything else goes to the standards' check,
 * which stays the single source of the rules and of the messages.
 */
import {
  isIdentifierRegion,
  orgCodeCheckChar,
  USCC_AUTHORITIES,
  USCC_CENTRAL_REGION,
  usccCheckChar,
} from '../checks/index.js';
import { RESIDENT_ID_CHECK_CHARS, RESIDENT_ID_WEIGHTS } from '../checks/resident-id.js';
import { detached, isCalendarDay } from './data-values.js';

const WEIGHTS = RESIDENT_ID_WEIGHTS;
const CHECK_CHARS = RESIDENT_ID_CHECK_CHARS;
const EARLIEST_BIRTH = '18500101';
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today as YYYYMMDD in Beijing time, fixed for the run: birth dates must not be later. */
function todayInChina(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A predicate true only for canonical (upper-case X), fully valid 18-character resident IDs. */
/** isIdentifierRegion, memoised: a file holds few distinct regions. */
function identifierRegions(): (code: string) => boolean {
  const known = new Map<string, boolean>();
  return (code) => {
    let ok = known.get(code);
    if (ok === undefined) {
      ok = isIdentifierRegion(code);
      if (known.size < 10_000) known.set(detached(code), ok);
    }
    return ok;
  };
}

export function residentIdFastPath(now = new Date()): (value: string) => boolean {
  const today = todayInChina(now);
  const isRegion = identifierRegions();
  return (value) => {
    if (value.length !== 18) return false;
    let sum = 0;
    for (let i = 0; i < 17; i += 1) {
      const digit = value.charCodeAt(i) - 0x30;
      if (digit < 0 || digit > 9) return false;
      sum += digit * (WEIGHTS[i] as number);
    }
    if (value.charAt(17) !== CHECK_CHARS.charAt(sum % 11)) return false;
    const birth = value.slice(6, 14);
    if (birth > today || birth < EARLIEST_BIRTH) return false;
    const year = Number(birth.slice(0, 4));
    if (!isCalendarDay(year, Number(birth.slice(4, 6)), Number(birth.slice(6, 8)))) return false;
    return isRegion(value.slice(0, 6));
  };
}

function allDigits(value: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** True only for canonical, fully valid USCCs (GB 32100), by the standards' own check characters. */
export function usccFastPath(): (value: string) => boolean {
  const isRegion = identifierRegions();
  return (value) => {
    if (value.length !== 18 || !allDigits(value, 2, 8)) return false;
    if (usccCheckChar(value.slice(0, 17)) !== value.charAt(17)) return false;
    if (!USCC_AUTHORITIES[value.charAt(0)]?.categories.includes(value.charAt(1))) return false;
    if (orgCodeCheckChar(value.slice(8, 16)) !== value.charAt(16)) return false;
    const region = value.slice(2, 8);
    return region === USCC_CENTRAL_REGION || isRegion(region);
  };
}

/** True only for valid organisation codes, bare (XXXXXXXXC) or printed (XXXXXXXX-C). */
export function orgCodeFastPath(): (value: string) => boolean {
  return (value) => {
    const printed = value.length === 10 && value.charCodeAt(8) === 0x2d;
    if (value.length !== 9 && !printed) return false;
    return orgCodeCheckChar(value.slice(0, 8)) === value.charAt(value.length - 1);
  };
}

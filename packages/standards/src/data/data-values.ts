/**
 * Readers of typed values in data cells: dates, date-times, numbers, booleans. They work on char
 * codes where the hot path needs it (every date cell of every row), and recognise the common
 * non-standard forms so that a finding can suggest the corrected value.
 */

const ZERO = 0x30;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - ZERO;
  }
  return value;
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  if (day <= 28) return true;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `text` is exactly YYYY-MM-DD and a real calendar day. */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  return year >= 0 && month >= 0 && day >= 0 && isCalendarDay(year, month, day);
}

const pad2 = (value: string): string => value.padStart(2, '0');

// YYYYMMDD, 2023/5/1, 2023.5.1, 2023-5-1, 2023年5月1日 (also with spaces).
const LOOSE_DATE = /^(\d{4})(?:(\d{2})(\d{2})|\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?)$/u;

/** YYYY-MM-DD for a date written in another common form; undefined when it is no date. */
export function reformatDate(text: string): string | undefined {
  const match = LOOSE_DATE.exec(text);
  if (!match) return undefined;
  const [, year = '', m1, d1, m2, d2] = match;
  const date = `${year}-${pad2(m1 ?? m2 ?? '')}-${pad2(d1 ?? d2 ?? '')}`;
  return isIsoDate(date) ? date : undefined;
}

function isTime(text: string, start: number): boolean {
  if (text.charCodeAt(start + 2) !== 0x3a || text.charCodeAt(start + 5) !== 0x3a) return false;
  const hour = digits(text, start, 2);
  const minute = digits(text, start + 3, 2);
  const second = digits(text, start + 6, 2);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

const ISO_TAIL = /^(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/u;

/** `YYYY-MM-DD HH:MM:SS` or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`. */
export function isDateTime(text: string): boolean {
  if (text.length < 19 || !isIsoDate(text.slice(0, 10))) return false;
  const separator = text.charCodeAt(10);
  if (separator !== 0x20 && separator !== 0x54) return false;
  if (!isTime(text, 11)) return false;
  return text.length === 19 || ISO_TAIL.test(text.slice(19));
}

const LOOSE_DATETIME = /^(.+?)[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/u;

/** `YYYY-MM-DD HH:MM:SS` for a date-time in another common form (2023/5/1 8:05). */
export function reformatDateTime(text: string): string | undefined {
  const match = LOOSE_DATETIME.exec(text);
  if (!match) return undefined;
  const [, day = '', hour = '', minute = '', second = '00'] = match;
  const date = isIsoDate(day) ? day : reformatDate(day);
  const result = `${date ?? ''} ${pad2(hour)}:${minute}:${second}`;
  return date !== undefined && isDateTime(result) ? result : undefined;
}

export interface NumberShape {
  integerDigits: number;
  fractionDigits: number;
}

/** Digits of a plain decimal (`-12.50`, `+3`, `.5`); undefined when it is not one. */
export function decimalShape(text: string): NumberShape | undefined {
  let at = 0;
  const first = text.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) at = 1;
  let integerDigits = 0;
  while (at < text.length && isDigit(text.charCodeAt(at))) {
    integerDigits += 1;
    at += 1;
  }
  let fractionDigits = 0;
  if (at < text.length && text.charCodeAt(at) === 0x2e) {
    at += 1;
    while (at < text.length && isDigit(text.charCodeAt(at))) {
      fractionDigits += 1;
      at += 1;
    }
  }
  if (at !== text.length || integerDigits + fractionDigits === 0) return undefined;
  return { integerDigits, fractionDigits };
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;

export function isFloat(text: string): boolean {
  return FLOAT.test(text);
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 't', '真', '有']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'f', '假', '无']);

/** `true`/`false`/`1`/`0` are canonical; other yes/no words map to a suggested fix. */
export function booleanFix(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (TRUE_WORDS.has(lower) || lower === 'true') return 'true';
  if (FALSE_WORDS.has(lower) || lower === 'false') return 'false';
  return undefined;
}

/** Full-width ASCII (from Chinese input methods) and U+3000 folded to half-width. */
export function foldWidth(text: string): string {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code >= 0xff01 && code <= 0xff5e) || code === 0x3000) {
      return text.replace(/[\uFF01-\uFF5E\u3000]/gu, (ch) =>
        ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
      );
    }
  }
  return text;
}

/** Characters as people count them: code points, not UTF-16 units. */
export function charCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) count -= 1;
  }
  return count;
}

/**
 * A copy of a string that does not keep its source alive. Cells cut from a decoded chunk of a
 * file are V8 sliced strings holding the whole chunk (a megabyte): one kept in a finding or a
 * memo would keep its chunk, and a finding in every chunk would keep the whole file in memory.
 */
export function detached(text: string): string {
  // Concatenation flattens into a new string; slicing that refers only to the new one.
  return ` ${text}`.slice(1);
}

import { echo, firstBadChar, pass, prepare, reject, showChar } from './result.js';
import type { Bilingual, CheckOptions, CheckResult } from './result.js';

/**
 * GB 11714-1997 组织机构代码: 8 body characters and a check character (standards.md §3.3).
 *
 * Both the printed form `XXXXXXXX-C` and the bare form `XXXXXXXXC` are accepted. `normalized` is
 * the bare 9-character form, because that is what positions 9–17 of a USCC hold and what
 * databases store; add the hyphen only for display.
 */

const VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

const WHAT: Bilingual = { zh: '组织机构代码', en: 'Organisation code' };

/** The GB 11714 check character of an 8-character body (0-9A-Z); undefined for any other input. */
export function orgCodeCheckChar(body: string): string | undefined {
  if (typeof body !== 'string' || !/^[0-9A-Z]{8}$/.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += VALUES.indexOf(body[i] as string) * (WEIGHTS[i] as number);
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/** Drops the hyphen of the printed form; undefined when the length fits neither form. */
function bareForm(value: string, length: number): string | undefined {
  if (length === 10 && value[8] === '-') return value.slice(0, 8) + value.slice(9);
  if (length === 10 && value.includes('-')) return value; // misplaced hyphen: a character error
  return length === 9 ? value : undefined;
}

function charsFailure(code: string): Bilingual | undefined {
  const bad = firstBadChar(code, (ch, i) => (i < 8 ? /^[0-9A-Z]$/.test(ch) : /^[0-9X]$/.test(ch)));
  if (!bad) return undefined;
  if (bad.char === '-') {
    return {
      zh: '组织机构代码中的连字符只能位于校验码之前（XXXXXXXX-X）',
      en: 'The hyphen in an organisation code may only stand before the check character (XXXXXXXX-X)',
    };
  }
  const shown = showChar(bad.char);
  if (bad.position === 9 && code.length === 9) {
    return {
      zh: `组织机构代码的校验码（第 9 位）应为数字或 X，实际为 ${shown}`,
      en: `The check character (character 9) of an organisation code must be a digit or X, got ${shown}`,
    };
  }
  return {
    zh: `组织机构代码本体（前 8 位）应为数字或大写字母，第 ${bad.position} 位实际为 ${shown}`,
    en: `The first 8 characters of an organisation code must be digits or letters; character ${bad.position} is ${shown}`,
  };
}

/** Checks a GB 11714 organisation code, with or without the hyphen before the check character. */
export function checkOrgCode(value: unknown, options?: CheckOptions): CheckResult {
  const prepared = prepare(value, WHAT, options);
  if ('failure' in prepared) return prepared.failure;
  const shown = echo(prepared);
  const code = bareForm(prepared.value, prepared.length);
  if (code === undefined) {
    const text = {
      zh: `组织机构代码应为 9 位（或带连字符的 XXXXXXXX-X 共 10 位），实际为 ${prepared.length} 位`,
      en: `An organisation code must have 9 characters (10 as XXXXXXXX-X), got ${prepared.length}`,
    };
    return reject('CHK-ORG-LENGTH', text, options, shown);
  }
  const chars = charsFailure(code);
  if (chars) return reject('CHK-ORG-CHARS', chars, options, shown);
  const expected = orgCodeCheckChar(code.slice(0, 8));
  if (expected !== code[8]) {
    const text = {
      zh: `组织机构代码的校验码应为 ${expected}，实际为 ${code[8]}`,
      en: `The check character of the organisation code should be ${expected}, got ${code[8]}`,
    };
    return reject('CHK-ORG-CHECKSUM', text, options, shown);
  }
  return pass(code);
}

/** The outcome of a check. The check functions never throw; every failure is a result. */
export interface CheckResult {
  ok: boolean;
  /** The value in canonical form (trimmed, upper-case), when it could be read as a string. */
  normalized?: string;
  /** A stable failure code such as `CHK-RID-CHECKSUM`; absent when ok. */
  code?: string;
  /** A human-readable explanation in the requested language; absent when ok. */
  message?: string;
}

export type CheckLang = 'zh-CN' | 'en';

export interface CheckOptions {
  /** Language of `message`; zh-CN by default. */
  lang?: CheckLang;
}

/** A message in both languages; the language is picked when the result is built. */
export interface Bilingual {
  zh: string;
  en: string;
}

export function pass(normalized: string): CheckResult {
  return { ok: true, normalized };
}

export function reject(
  code: string,
  text: Bilingual,
  options: CheckOptions | undefined,
  normalized?: string,
): CheckResult {
  const message = langOf(options) === 'en' ? text.en : text.zh;
  return normalized === undefined ? { ok: false, code, message } : { ok: false, code, message, normalized };
}

/** The message of a wrong final check character (position 18 of resident IDs and USCCs). */
export function lastCheckCharText(expected: string | undefined, found: string | undefined): Bilingual {
  return {
    zh: `校验码（第 18 位）应为 ${expected}，实际为 ${found}`,
    en: `The check character (character 18) should be ${expected}, got ${found}`,
  };
}

/** Options come from callers that may be untyped JavaScript: read them defensively. */
function langOf(options: CheckOptions | undefined): CheckLang {
  return readOption(options, 'lang') === 'en' ? 'en' : 'zh-CN';
}

/** One option's value, or undefined when options are not an object or reading them fails (a revoked Proxy). */
export function readOption<K extends string>(options: unknown, key: K): unknown {
  if (typeof options !== 'object' || options === null) return undefined;
  try {
    return (options as Record<K, unknown>)[key];
  } catch {
    return undefined;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  try {
    return Array.isArray(value) ? 'array' : typeof value;
  } catch {
    return typeof value; // Array.isArray throws on a revoked Proxy
  }
}

/** Past this length an input cannot be any identifier: it is measured, never folded or echoed. */
const MAX_INPUT = 64;

/** Either the normalised string or the failure to report. */
export type Prepared = { value: string; length: number } | { failure: CheckResult };

/**
 * Reads an untrusted input: strings only (a number cannot hold a trailing X and loses digits past
 * 2^53), trims whitespace including U+3000, folds the full-width ASCII that Chinese input methods
 * produce, and upper-cases, so that a lowercase x is accepted. `length` counts code points.
 */
export function prepare(value: unknown, what: Bilingual, options: CheckOptions | undefined): Prepared {
  if (typeof value !== 'string') {
    const found = typeName(value);
    const text = {
      zh: `${what.zh}应为字符串，实际为 ${found}`,
      en: `${what.en} must be a string, got ${found}`,
    };
    return { failure: reject('CHK-INPUT-TYPE', text, options) };
  }
  const trimmed = value.trim();
  if (trimmed.length > MAX_INPUT) return { value: trimmed, length: trimmed.length };
  const folded = trimmed
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .toUpperCase();
  return { value: folded, length: Array.from(folded).length };
}

/** The normalised value to return with a failure; long values are not echoed back. */
export function echo(prepared: { value: string; length: number }): string | undefined {
  return prepared.length > MAX_INPUT ? undefined : prepared.value;
}

/** Shows one character of the input in a message; invisible ones (controls, format, lone surrogates, spaces) as U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (/[\p{C}\p{Z}]/u.test(ch)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${ch}”`;
}

/** The first character that is not allowed at its position, with its 1-based position. */
export function firstBadChar(
  value: string,
  allowed: (ch: string, index: number) => boolean,
): { position: number; char: string } | undefined {
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (!allowed(ch, i)) return { position: i + 1, char: ch };
  }
  return undefined;
}

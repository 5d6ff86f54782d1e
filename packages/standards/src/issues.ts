/** The languages every message exists in; zh-CN is the default. */
export type Lang = 'zh-CN' | 'en';

export type Severity = 'error' | 'warning';

/**
 * One finding about a document. Every issue has a stable code, a location (JSON Pointer into
 * the validated document), a message in the requested language, and a hint on how to fix it.
 */
export interface Issue {
  /** Stable code, e.g. `CAT-013` (a rule) or `SCH-001` (a schema keyword). */
  code: string;
  severity: Severity;
  /** JSON Pointer (RFC 6901) to the offending value; "" is the whole document. */
  location: string;
  message: string;
  hint?: string;
  /** What the standard allows, when that can be said briefly. */
  expected?: string;
  /** The offending value, shortened; absent when it would repeat the location. */
  found?: string;
}

/** Options shared by every validate function. */
export interface ValidateOptions {
  /** Message language; zh-CN unless told otherwise. */
  lang?: Lang;
  /** Report every problem (default) or stop at the first schema error (servers, untrusted input). */
  allErrors?: boolean;
  /** The clock for date rules; tests pin it. */
  now?: Date;
}

/** True when an issue list holds no error (warnings allowed). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** Escapes one JSON Pointer reference token (RFC 6901 §3). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins reference tokens into a JSON Pointer. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((token) => `/${pointerToken(token)}`).join('');
}

const FOUND_MAX = 80;

/** JSON text of any value: never throws (BigInt, symbols, cycles and functions included). */
export function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? `${item}n` : item,
    );
    return text ?? String(typeof value === 'symbol' ? value.description : typeof value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Renders an offending value for a message, short enough for a terminal line. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : safeJson(value);
  return text.length > FOUND_MAX ? `${text.slice(0, FOUND_MAX - 1)}…` : text;
}

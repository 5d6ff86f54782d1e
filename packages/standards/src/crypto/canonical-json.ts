/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form in which Minjiang signs and
 * hashes JSON (receipts, audit-log leaves), so a verifier rebuilds the same bytes from parsed
 * JSON. Object keys are sorted by UTF-16 code units; numbers and strings are written as
 * ECMAScript's JSON.stringify writes them, which is what RFC 8785 specifies.
 */
export function canonicalJson(value: unknown): string {
  // A value already in canonical order is what JSON.stringify writes, and the native writer is
  // twice as fast: the audit leaf and evidence of every exchange call are built in that order.
  if (inCanonicalOrder(value)) return JSON.stringify(value);
  return canonicalValue(value);
}

/**
 * True when JSON.stringify writes `value` exactly as JCS does: plain objects and arrays only (no
 * toJSON, no boxed values), members already in UTF-16 order (as enumerated, integer-like names
 * included), finite numbers, nothing JSON.stringify would silently drop.
 */
function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (Array.isArray(value)) {
        if (prototype !== Array.prototype) return false;
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (item !== undefined && !inCanonicalOrder(item)) return false;
        }
        return true;
      }
      if (prototype !== Object.prototype && prototype !== null) return false;
      const keys = Object.keys(value);
      for (let index = 0; index < keys.length; index += 1) {
        if (index > 0 && keys[index - 1]! >= keys[index]!) return false;
        const item = (value as Record<string, unknown>)[keys[index]!];
        if (item !== undefined && !inCanonicalOrder(item)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function canonicalValue(value: unknown): string {
  // Written with loops and string appends, not entries/filter/map/join: every audit entry
  // canonicalises its leaf and its evidence, and this was a tenth of an exchange call's CPU.
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JCS cannot represent NaN or Infinity');
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`JCS cannot represent a ${typeof value}`);
  }
}

function canonicalArray(value: readonly unknown[]): string {
  let out = '[';
  for (let index = 0; index < value.length; index += 1) {
    if (index > 0) out += ',';
    out += canonicalValue(value[index] ?? null);
  }
  return `${out}]`;
}

/** Members in UTF-16 code-unit order of their names (the default sort's order); undefined ones left out. */
function canonicalObject(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalValue(item)}`;
  }
  return `${out}}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** RFC 8785 as plainly as it can be written: the reference the fast writer is held to. */
function reference(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS cannot represent NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => reference(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
  }
  throw new TypeError(`JCS cannot represent a ${typeof value}`);
}

function outcome(write: (value: unknown) => string, value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    return `refused: ${(error as Error).constructor.name}`;
  }
}

describe('canonicalJson', () => {
  it('writes RFC 8785’s examples: members sorted by UTF-16 code units, numbers as ECMAScript writes them', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 0, '\r': 1, '\ud83d\ude00': 2, ö: 3 })).toBe(
      '{"\\r":1,"a":[true,null,"x"],"b":1,"ö":3,"€":0,"😀":2}',
    );
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 333333333.3333333])).toBe(
      '[1e+21,1e-7,0,0.30000000000000004,333333333.3333333]',
    );
    expect(canonicalJson({ gone: undefined, kept: [undefined] })).toBe('{"kept":[null]}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });

  it('gives the reference’s bytes for values already in canonical order (the native writer’s path)', () => {
    const sortedDeep = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sortedDeep)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((key) => [key, sortedDeep((value as never)[key])]),
            )
          : value;
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const sorted = sortedDeep(json);
        expect(canonicalJson(sorted)).toBe(reference(sorted));
      }),
      { numRuns: 300 },
    );
    // In order, yet not what JSON.stringify writes as JCS: each must take the careful path.
    const date = new Date(0);
    expect(canonicalJson({ a: date, b: 1 })).toBe('{"a":{},"b":1}');
    expect(() => canonicalJson({ a: { toJSON: () => 'x' } })).toThrow(TypeError);
    expect(canonicalJson({ 1: 'a', 10: 'b', 2: 'c' })).toBe('{"1":"a","10":"b","2":"c"}');
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(() => canonicalJson({ a: 1, b: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson([() => 1])).toThrow(TypeError);
    expect(() => canonicalJson({ a: -Infinity })).toThrow(TypeError);
  });

  it('gives the reference’s bytes for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.object({ withNullPrototype: false }), (json, object) => {
        expect(canonicalJson(json)).toBe(reference(json));
        // Any object (with undefined, NaN, -0, …): the same bytes, or a refusal from both.
        expect(outcome(canonicalJson, object)).toBe(outcome(reference, object));
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { chainHash, GENESIS_CHAIN_HASH, sm3Hex } from './sm3.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null], é: 'x', A: undefined, '\u{1F600}': 0, '\uFB33': 1 })).toBe(
      '{"a":[true,null],"b":1,"é":"x","\u{1F600}":0,"\uFB33":1}',
    );
  });

  it('writes numbers as ECMAScript does (the RFC 8785 sample values)', () => {
    expect(canonicalJson([Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000001, -0])).toBe(
      '[333333333.3333333,1e+30,4.5,0.002,0.000001,0]',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });

  it('gives the same text for any key order, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const reordered = JSON.parse(JSON.stringify(value), function (this: unknown, _key, item: unknown) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
          return Object.fromEntries(Object.entries(item as Record<string, unknown>).reverse());
        }) as unknown;
        return canonicalJson(reordered) === text && canonicalJson(JSON.parse(text)) === text;
      }),
    );
  });
});

describe('SM3', () => {
  it('passes the GB/T 32905 test vector "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('chains entries so that each link depends on every earlier one', () => {
    const first = chainHash(GENESIS_CHAIN_HASH, sm3Hex('a'));
    expect(chainHash(first, sm3Hex('b'))).not.toBe(
      chainHash(chainHash(GENESIS_CHAIN_HASH, sm3Hex('c')), sm3Hex('b')),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatResourceCode, parseResourceCode } from './resource-code.js';

describe('resource codes', () => {
  it('parses a Fujian code into its parts, keeping leading zeros', () => {
    const parsed = parseResourceCode('3350010001/000001');
    expect(parsed).toEqual({
      ok: true,
      normalized: '3350010001/000001',
      parts: { category: '3', item: '35', target: '001', detail: '0001', sequence: '000001' },
    });
  });

  it.each([
    ['3350010001-000001', 'SHAPE'],
    ['4350010001/000001', 'CATEGORY'],
    ['33500100A1/000001', 'DETAIL'],
    ['3350010001/0001', 'SEQUENCE'],
    ['33500100010001000100/000001', 'DETAIL'],
  ])('rejects %s under the Fujian profile (%s)', (code, fault) => {
    const parsed = parseResourceCode(code, 'fujian');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? undefined : parsed.fault).toBe(fault);
  });

  it('accepts letters in 细目 and short sequences under the national profile', () => {
    expect(parseResourceCode('112461465423A/7', 'national-2017').ok).toBe(true);
  });

  it('formats with the profile padding and round-trips', () => {
    const code = formatResourceCode({
      category: '3',
      item: '35',
      target: '001',
      detail: '0001',
      sequence: 42,
    });
    expect(code).toBe('3350010001/000042');
    expect(parseResourceCode(code).ok).toBe(true);
  });

  it('refuses to format parts that break the profile', () => {
    expect(() =>
      formatResourceCode({ category: '3', item: '35', target: '001', detail: 'AB', sequence: 1 }),
    ).toThrow(RangeError);
  });

  it('never throws on any input', () => {
    fc.assert(fc.property(fc.anything(), (value) => typeof parseResourceCode(value).ok === 'boolean'));
  });
});

import { describe, expect, it } from 'vitest';
import { isIdentifierRegion, isRegionCode, regionOf } from './region.js';

describe('regionOf', () => {
  it('describes current and historic codes', () => {
    expect(regionOf('350000')).toEqual({
      code: '350000',
      name: '福建省',
      level: 'province',
      current: true,
      historic: false,
    });
    expect(regionOf('350100')).toMatchObject({ name: '福州市', level: 'prefecture', current: true });
    expect(regionOf('110103')).toEqual({
      code: '110103',
      name: '崇文区',
      level: 'county',
      current: false,
      historic: true,
    });
  });

  it('knows the 2021 Fujian changes', () => {
    expect(regionOf('350404')).toMatchObject({ name: '三元区', current: true });
    expect(regionOf('350405')).toMatchObject({ name: '沙县区', current: true });
    expect(regionOf('350604')).toMatchObject({ name: '龙海区', current: true });
    expect(regionOf('350605')).toMatchObject({ name: '长泰区', current: true });
    for (const old of ['350402', '350403', '350427', '350681', '350625']) {
      expect(regionOf(old), old).toMatchObject({ current: false, historic: true });
    }
  });

  it('returns undefined for unknown or malformed codes, never throwing', () => {
    expect(regionOf('999999')).toBeUndefined();
    expect(regionOf('35000')).toBeUndefined();
    expect(regionOf(350000 as unknown as string)).toBeUndefined();
  });

  it('returns a copy that callers cannot use to corrupt the index', () => {
    const info = regionOf('350000');
    if (info) info.name = 'x';
    expect(regionOf('350000')?.name).toBe('福建省');
  });
});

describe('isRegionCode', () => {
  it('accepts historic codes unless told not to', () => {
    expect(isRegionCode('110103')).toBe(true);
    expect(isRegionCode('110103', { historic: false })).toBe(false);
    expect(isRegionCode('110105', { historic: false })).toBe(true);
    expect(isRegionCode('350128', { historic: false })).toBe(true);
    expect(isRegionCode('000000')).toBe(false);
  });
});

describe('isIdentifierRegion', () => {
  it('accepts known codes and county codes under a known prefecture or municipality', () => {
    expect(isIdentifierRegion('110103')).toBe(true);
    expect(isIdentifierRegion('340524')).toBe(true); // GB 11643-1999 worked example, under 340500
    expect(isIdentifierRegion('350101')).toBe(true); // 市辖区 placeholder
    expect(isIdentifierRegion('110199')).toBe(true); // Beijing has no prefecture row
  });

  it('rejects codes under unknown prefectures and province-shaped unknowns', () => {
    expect(isIdentifierRegion('999999')).toBe(false);
    expect(isIdentifierRegion('359901')).toBe(false);
    expect(isIdentifierRegion('350099')).toBe(false);
    expect(isIdentifierRegion('359900')).toBe(false);
    expect(isIdentifierRegion('830000')).toBe(false);
    expect(isIdentifierRegion('12345')).toBe(false);
  });
});

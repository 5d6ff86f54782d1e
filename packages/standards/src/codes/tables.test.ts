import { describe, expect, it } from 'vitest';
import { checkUscc } from '../checks/uscc.js';
import { regionOf } from '../checks/region.js';
import { canonicalValues, codeTable, normalizeCode } from './code-table.js';

const rows = (name: string) => codeTable(name).data;

describe('gb2260', () => {
  const table = codeTable('gb2260');

  it('covers the whole country, sorted by code, with the level from the code shape', () => {
    expect(table.data.length).toBeGreaterThan(6500);
    const codes = table.data.map((entry) => entry.code);
    expect(codes).toEqual([...codes].sort());
    for (const entry of table.data) {
      const level = entry.code.endsWith('0000')
        ? 'province'
        : entry.code.endsWith('00')
          ? 'prefecture'
          : 'county';
      expect(entry['level'], entry.code).toBe(level);
    }
    expect(
      table.data.filter((entry) => entry['level'] === 'province' && entry['current'] === true),
    ).toHaveLength(34);
  });

  it('has Fujian and its 9 prefecture-level cities, current', () => {
    const cities = ['350100', '350200', '350300', '350400', '350500', '350600', '350700', '350800', '350900'];
    for (const code of ['350000', ...cities]) expect(regionOf(code)?.current, code).toBe(true);
    const fujianPrefectures = table.data.filter(
      (entry) => entry.code.startsWith('35') && entry['level'] === 'prefecture' && entry['current'] === true,
    );
    expect(fujianPrefectures.map((entry) => entry.code)).toEqual(cities);
  });

  it('merges the 2021 Fujian changes: new codes current, replaced codes historic', () => {
    const byCode = new Map(table.data.map((entry) => [entry.code, entry]));
    expect(byCode.get('350404')).toMatchObject({
      label: '三元区',
      current: true,
      replaces: ['350402', '350403'],
    });
    expect(byCode.get('350405')).toMatchObject({ label: '沙县区', current: true, replaces: ['350427'] });
    expect(byCode.get('350604')).toMatchObject({ label: '龙海区', current: true, replaces: ['350681'] });
    expect(byCode.get('350605')).toMatchObject({ label: '长泰区', current: true, replaces: ['350625'] });
    for (const [old, by] of [
      ['350402', '350404'],
      ['350403', '350404'],
      ['350427', '350405'],
      ['350681', '350604'],
      ['350625', '350605'],
    ]) {
      expect(byCode.get(old as string), old).toMatchObject({
        current: false,
        lastRevision: '202012',
        replacedBy: [by],
      });
    }
  });

  it('keeps former names and abolished codes', () => {
    expect(regionOf('110103')).toMatchObject({ name: '崇文区', current: false });
    expect(rows('gb2260').find((entry) => entry.code === '350111')?.['formerNames']).toEqual(['郊区']);
  });
});

describe('gbt3304-ethnicity', () => {
  it('has exactly the 56 nationalities 01..56 plus the extensions 97 and 98', () => {
    const standard = rows('gbt3304-ethnicity').filter((entry) => entry['extension'] === false);
    expect(standard.map((entry) => entry.code)).toEqual(
      Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    const alphas = standard.map((entry) => entry['alpha'] as string);
    expect(new Set(alphas).size).toBe(56);
    for (const alpha of alphas) expect(alpha).toMatch(/^[A-Z]{2}$/);
    const extensions = rows('gbt3304-ethnicity').filter((entry) => entry['extension'] === true);
    expect(extensions.map((entry) => entry.code)).toEqual(['97', '98']);
    expect(normalizeCode('gbt3304-ethnicity', '畲族')).toBe('22');
    expect(normalizeCode('gbt3304-ethnicity', 'Han')).toBe('01');
  });
});

describe('fujian-departments', () => {
  it('has about twenty departments whose illustrative USCCs pass checkUscc', () => {
    const departments = rows('fujian-departments');
    expect(departments.length).toBeGreaterThanOrEqual(20);
    for (const entry of departments) {
      expect(checkUscc(entry['uscc']), entry.label).toEqual({ ok: true, normalized: entry['uscc'] });
      expect((entry['uscc'] as string).slice(0, 8)).toBe('11350000');
      expect(entry['regionCode']).toBe('350000');
    }
    expect(normalizeCode('fujian-departments', '省公安厅')).toBe('GAT');
  });
});

describe('fujian-platforms', () => {
  it('is "1+10": the province and ten city platforms, Pingtan as 350128', () => {
    const platforms = rows('fujian-platforms');
    expect(platforms.filter((entry) => entry['role'] === 'province').map((entry) => entry.code)).toEqual([
      '350000',
    ]);
    const cities = platforms.filter((entry) => entry['role'] === 'city');
    expect(cities).toHaveLength(10);
    for (const city of cities) {
      expect(city['parent']).toBe('350000');
      expect(regionOf(city.code)?.current, city.code).toBe(true);
    }
    expect(normalizeCode('fujian-platforms', '平潭')).toBe('350128');
  });
});

describe('format-category', () => {
  it('links each category to share-method types and lower-case format types, each type in one category', () => {
    const methods = canonicalValues('share-method-type');
    const seen = new Set<string>();
    for (const entry of rows('format-category')) {
      for (const method of entry['shareMethodTypes'] as string[]) expect(methods).toContain(method);
      for (const type of entry['types'] as string[]) {
        expect(type).toMatch(/^[a-z0-9-]+$/);
        expect(seen.has(type), type).toBe(false);
        seen.add(type);
      }
    }
    expect(rows('format-category').find((entry) => entry.label === '服务接口')?.['shareMethodTypes']).toEqual(
      ['接口'],
    );
  });
});

describe('item-data-type and grading-level', () => {
  it('require a length for C, N, Y, B and F only', () => {
    const required = rows('item-data-type').filter((entry) => entry['lengthRequired'] === true);
    expect(required.map((entry) => entry.code)).toEqual(['C', 'N', 'Y', 'B', 'F']);
  });

  it('rank the grading levels 6 (core) down to 1', () => {
    expect(rows('grading-level').map((entry) => entry['rank'])).toEqual([6, 5, 4, 3, 2, 1]);
  });
});

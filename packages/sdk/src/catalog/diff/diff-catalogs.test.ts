import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCatalogFile, type CatalogFile } from '../catalog-file.js';
import { diffCatalogs } from './diff-catalogs.js';
import type { BreakingChange } from './types.js';

type Json = Record<string, unknown>;

const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));

function resource(code: string, overrides: Json = {}): Json {
  return {
    code,
    name: `资源 ${code}`,
    resourceClass: '部门信息资源',
    provider: { name: '福州市市场监督管理局', uscc: '11350100FJ01000501' },
    summary: '摘要',
    format: { category: '数据库', type: 'mysql' },
    items: [
      { name: '统一社会信用代码', dataType: 'C', length: 18, isKey: true, required: true },
      { name: '企业名称', dataType: 'C', length: 200 },
      { name: '注册资本', dataType: 'N', length: 18, precision: 4 },
      { name: '成立日期', dataType: 'D' },
    ],
    sharing: { type: '有条件共享', condition: '按需' },
    opening: { type: '有条件开放', condition: '申请' },
    updateCycle: '每日',
    publishedAt: '2023-01-01',
    grading: { level: '一般数据2级' },
    ...overrides,
  };
}

function catalogOf(...resources: Json[]): CatalogFile {
  return { resources };
}

/** The before catalog with its one resource changed by `change`. */
function changed(change: (after: Json) => void): [CatalogFile, CatalogFile] {
  const before = resource('3350050101/000001');
  const after = structuredClone(before);
  change(after);
  return [catalogOf(before), catalogOf(after)];
}

function items(value: Json): Json[] {
  return value.items as Json[];
}

function kinds(breaking: BreakingChange[]): string[] {
  return breaking.map((change) => `${change.kind} ${change.pointer ?? ''}`.trim());
}

describe('diffCatalogs: what is breaking', () => {
  it('a removed resource', () => {
    const before = catalogOf(resource('3350050101/000001'), resource('3350050101/000002'));
    const after = catalogOf(resource('3350050101/000002'));
    const diff = diffCatalogs(before, after);
    expect(diff).toMatchObject({ added: [], removed: ['3350050101/000001'], changed: [] });
    expect(diff.breaking).toEqual([
      {
        code: '3350050101/000001',
        kind: 'resource-removed',
        message:
          '资源“资源 3350050101/000001”（3350050101/000001）已删除，使用该资源的部门将无法继续获取数据',
      },
    ]);
  });

  it('a removed item, pointed at in the earlier catalog', () => {
    const [before, after] = changed((r) => void items(r).splice(1, 1));
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([
      {
        code: '3350050101/000001',
        kind: 'item-removed',
        pointer: '/resources/0/items/1',
        from: '企业名称',
        message: '信息项“企业名称”已删除',
      },
    ]);
    expect(diff.changed).toEqual([{ code: '3350050101/000001', pointers: ['/resources/0/items'] }]);
  });

  it('a retyped item, reported once even though its length changed too', () => {
    const [before, after] = changed((r) => Object.assign(items(r)[1] as Json, { dataType: 'M', length: 20 }));
    const diff = diffCatalogs(before, after, { lang: 'en' });
    expect(diff.breaking).toEqual([
      {
        code: '3350050101/000001',
        kind: 'item-retyped',
        pointer: '/resources/0/items/1/dataType',
        from: 'C',
        to: 'M',
        message: 'The data type of item "企业名称" changed from C to M',
      },
    ]);
  });

  it('a length or precision made smaller', () => {
    const [before, after] = changed((r) => {
      (items(r)[1] as Json).length = 100;
      (items(r)[2] as Json).precision = 2;
    });
    const diff = diffCatalogs(before, after);
    expect(kinds(diff.breaking)).toEqual([
      'item-narrowed /resources/0/items/1/length',
      'item-narrowed /resources/0/items/2/precision',
    ]);
    expect(diff.breaking[0]).toMatchObject({
      from: 200,
      to: 100,
      message: '信息项“企业名称”的数据长度由 200 缩小为 100，已有数据可能放不下',
    });
  });

  it('a share or open type made stricter, for the resource', () => {
    const [before, after] = changed((r) => {
      r.sharing = { type: '不予共享', legalBasis: '法' };
      r.opening = { type: '不予开放' };
    });
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([
      {
        code: '3350050101/000001',
        kind: 'share-tightened',
        pointer: '/resources/0/sharing/type',
        from: '有条件共享',
        to: '不予共享',
        message: '资源的共享类型由“有条件共享”收紧为“不予共享”',
      },
      {
        code: '3350050101/000001',
        kind: 'open-tightened',
        pointer: '/resources/0/opening/type',
        from: '有条件开放',
        to: '不予开放',
        message: '资源的开放类型由“有条件开放”收紧为“不予开放”',
      },
    ]);
  });

  it('a share or open type made stricter for an item, against what it inherited from the resource', () => {
    const [before, after] = changed((r) => {
      Object.assign(items(r)[1] as Json, { shareType: '不予共享', shareCondition: '个人信息' });
      Object.assign(items(r)[2] as Json, { openType: '不予开放' });
    });
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([
      expect.objectContaining({
        kind: 'share-tightened',
        pointer: '/resources/0/items/1/shareType',
        from: '有条件共享',
        to: '不予共享',
      }),
      expect.objectContaining({
        kind: 'open-tightened',
        pointer: '/resources/0/items/2/openType',
        from: '有条件开放',
        to: '不予开放',
      }),
    ]);
    expect(diff.breaking[0]?.message).toBe('信息项“企业名称”的共享类型由“有条件共享”收紧为“不予共享”');
  });

  it('a change of key items', () => {
    const [before, after] = changed((r) =>
      Object.assign(items(r)[1] as Json, { isKey: true, required: true }),
    );
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([
      {
        code: '3350050101/000001',
        kind: 'key-changed',
        pointer: '/resources/0/items',
        from: ['统一社会信用代码'],
        to: ['统一社会信用代码', '企业名称'],
        message:
          '主键信息项由 [统一社会信用代码] 改为 [统一社会信用代码, 企业名称]，按主键汇聚或定位的数据将对不上',
      },
    ]);
  });

  it('a removed key item is both a removed item and a key change', () => {
    const [before, after] = changed((r) => void items(r).splice(0, 1));
    expect(kinds(diffCatalogs(before, after).breaking)).toEqual([
      'item-removed /resources/0/items/0',
      'key-changed /resources/0/items',
    ]);
  });
});

describe('diffCatalogs: what is not breaking', () => {
  it('added resources and items, looser types, longer lengths', () => {
    const [before, after] = changed((r) => {
      items(r).push({ name: '经营范围', dataType: 'M' });
      (items(r)[1] as Json).length = 400;
      r.sharing = { type: '无条件共享' };
      r.opening = { type: '无条件开放' };
    });
    after.resources.push(resource('3350050101/000009'));
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([]);
    expect(diff.added).toEqual(['3350050101/000009']);
    expect(diff.changed).toEqual([
      {
        code: '3350050101/000001',
        pointers: [
          '/resources/0/sharing/type',
          '/resources/0/sharing/condition',
          '/resources/0/opening/type',
          '/resources/0/opening/condition',
          '/resources/0/items/1/length',
          '/resources/0/items/4',
        ],
      },
    ]);
  });

  it('aliases, codes and English labels for the same value, and reordered resources', () => {
    const before = catalogOf(resource('3350050101/000001'), resource('3350050101/000002'));
    const after = catalogOf(
      resource('3350050101/000002'),
      resource('3350050101/000001', {
        sharing: { type: 2, condition: '按需' },
        opening: { type: 'conditional', condition: '申请' },
        updateCycle: 'daily',
      }),
    );
    expect(diffCatalogs(before, after)).toEqual({ added: [], removed: [], changed: [], breaking: [] });
  });

  it('a code typed full-width or with spaces matches its resource', () => {
    const before = catalogOf(resource('3350050101/000001'));
    const after = catalogOf(
      resource('３３５００５０１０１／０００００１', { name: '资源 3350050101/000001' }),
    );
    const diff = diffCatalogs(before, after);
    expect(diff).toMatchObject({ added: [], removed: [], breaking: [] });
    expect(diff.changed).toEqual([
      { code: '３３５００５０１０１／０００００１', pointers: ['/resources/0/code'] },
    ]);
  });

  it('items matched by name, not position, whatever their spacing or width', () => {
    const [before, after] = changed((r) => {
      items(r).reverse();
      (items(r)[0] as Json).name = '成立 日期';
    });
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([]);
    expect(diff.changed).toEqual([
      { code: '3350050101/000001', pointers: ['/resources/0/items', '/resources/0/items/0/name'] },
    ]);
  });

  it('the same catalog gives no difference at all', async () => {
    const catalog = await readCatalogFile(join(catalogs, 'fujian-province.json'));
    expect(diffCatalogs(catalog, structuredClone(catalog))).toEqual({
      added: [],
      removed: [],
      changed: [],
      breaking: [],
    });
  });

  it('resources without a code, and values of the wrong shape, are passed over', () => {
    const before = catalogOf(
      { name: '无代码' },
      resource('3350050101/000001', { items: '信息项', sharing: null }),
    );
    const after = catalogOf(resource('3350050101/000001', { items: [], sharing: 7 }));
    const diff = diffCatalogs(before, after);
    expect(diff.breaking).toEqual([]);
    expect(diff.changed).toEqual([
      { code: '3350050101/000001', pointers: ['/resources/0/sharing', '/resources/0/items'] },
    ]);
  });
});

describe('diffCatalogs on the department draft against the province catalog', () => {
  it('has no resource in common: all of one are added, all of the other removed', async () => {
    const draft = await readCatalogFile(join(catalogs, 'department-draft.yaml'));
    const province = await readCatalogFile(join(catalogs, 'fujian-province.json'));
    const diff = diffCatalogs(province, draft);
    expect(diff.added).toHaveLength(draft.resources.length);
    expect(diff.removed).toHaveLength(province.resources.length);
    expect(new Set(diff.breaking.map((change) => change.kind))).toEqual(new Set(['resource-removed']));
  });
});

describe('diffCatalogs on any input', () => {
  const anyResource = fc.oneof(
    fc.jsonValue(),
    fc.record({
      code: fc.constantFrom('3350050101/000001', '３３５００５０１０１／０００００１', ' 1'),
      items: fc.jsonValue(),
    }),
  );

  it('never throws, and finds no difference between a catalog and a copy of itself', () => {
    fc.assert(
      fc.property(fc.array(anyResource, { maxLength: 4 }), (resources) => {
        const catalog = { resources };
        expect(diffCatalogs(catalog, structuredClone(catalog))).toEqual({
          added: [],
          removed: [],
          changed: [],
          breaking: [],
        });
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { CellValue } from './cell-values.js';
import { detectLayout } from './layouts.js';
import { locateIn, type TabularIndex } from './locator.js';
import { MINJIANG_LAYOUT } from './minjiang-columns.js';
import { bindHeader, CatalogRowReader, resourceRows, warningSink, type Layout } from './tabular.js';

const place = { file: 'catalog.xlsx', sheet: '目录' };

/** Reads rows under a header the way the file readers do. */
function read(header: CellValue[], rows: CellValue[][], layout: Layout = MINJIANG_LAYOUT) {
  const sink = warningSink(place);
  const binding = bindHeader(layout, { row: 1, cells: header }, sink);
  const reader = new CatalogRowReader(layout, binding, sink);
  rows.forEach((cells, index) => reader.push({ row: index + 2, cells }));
  reader.finish();
  const index: TabularIndex = {
    place,
    layout,
    headerRow: 1,
    binding,
    groups: reader.groups,
    stamp: { size: 0, mtimeMs: 0 },
  };
  return { resources: reader.resources, warnings: sink.warnings, locate: (p: string) => locateIn(index, p) };
}

describe('header row', () => {
  it('accepts headers with spaces, full-width parentheses, a * mark, line breaks, or the field path', () => {
    const { resources } = read(
      [
        ' 信息资源代码 ',
        '信息资源\n名称*',
        '数据存储总量（GB）',
        'sharing.type',
        'items.dataType',
        '信息项名称',
      ],
      [['3350010001/000001', '常住人口', '820', '有条件共享', 'C', '公民身份号码']],
    );
    expect(resources).toEqual([
      {
        code: '3350010001/000001',
        name: '常住人口',
        sharing: { type: '有条件共享' },
        statistics: { storageGB: 820 },
        items: [{ name: '公民身份号码', dataType: 'C' }],
      },
    ]);
  });

  it('warns about unknown and repeated columns, with their cells, and ignores them', () => {
    const { resources, warnings } = read(
      ['信息资源代码', '备注', '信息资源名称', '信息资源代码'],
      [['1', '内部', '名', '2']],
    );
    expect(resources).toEqual([{ code: '1', name: '名' }]);
    expect(warnings).toEqual([
      {
        code: 'TAB-UNKNOWN-COLUMN',
        message: expect.stringContaining('备注') as string,
        location: { file: 'catalog.xlsx', sheet: '目录', row: 1, column: 'B', header: '备注' },
      },
      {
        code: 'TAB-DUPLICATE-COLUMN',
        message: expect.stringContaining('信息资源代码') as string,
        location: { file: 'catalog.xlsx', sheet: '目录', row: 1, column: 'D', header: '信息资源代码' },
      },
    ]);
  });

  it('tells the national template from the Minjiang one, and refuses a row that is no header', () => {
    expect(detectLayout(['序号', '项分类', '信息资源名称', '信息资源代码'])?.id).toBe('national');
    expect(detectLayout(['信息资源代码', '信息资源名称', '提供方名称'])?.id).toBe('minjiang');
    expect(detectLayout(['共享类型', '开放类型', '更新周期'])).toBeUndefined();
    expect(detectLayout(['姓名', '年龄'])).toBeUndefined();
  });
});

describe('one row per information item', () => {
  const header = ['信息资源代码', '信息资源名称', '关键字', '信息项名称', '数据类型', '数据长度'];

  it('continues a resource on rows whose code and name are blank, and gives an item-less resource one row', () => {
    const { resources, locate } = read(header, [
      ['A/1', '甲', '人口,,户籍', '姓名', 'C', '50'],
      [undefined, undefined, undefined, '性别', 'C', 1],
      ['', '', '', '', '', ''],
      [undefined, undefined, undefined, '出生日期', 'D', undefined],
      ['A/2', '乙'],
      ['A/2', '乙', undefined, '坐落', 'C', 200],
    ]);
    expect(resources).toEqual([
      {
        code: 'A/1',
        name: '甲',
        keywords: ['人口', '', '户籍'],
        items: [
          { name: '姓名', dataType: 'C', length: 50 },
          { name: '性别', dataType: 'C', length: 1 },
          { name: '出生日期', dataType: 'D' },
        ],
      },
      // A row repeating the resource's code and name continues it too.
      { code: 'A/2', name: '乙', items: [{ name: '坐落', dataType: 'C', length: 200 }] },
    ]);
    expect(locate('/resources/0/items/2/dataType')).toEqual({
      ...place,
      row: 5,
      column: 'E',
      header: '数据类型',
    });
    expect(locate('/resources/1/items/0/name')).toEqual({
      ...place,
      row: 7,
      column: 'D',
      header: '信息项名称',
    });
  });

  it('reports a resource value typed on a continuation row instead of silently using it', () => {
    const { resources, warnings } = read(header, [
      ['A/1', '甲', '人口', '姓名', 'C'],
      [undefined, undefined, '户籍', '性别', 'C'],
    ]);
    expect(resources[0]).toMatchObject({ keywords: ['人口'] });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'TAB-CONTINUATION-VALUE',
        location: { ...place, row: 3, column: 'C', header: '关键字' },
      }),
    ]);
  });

  it('locates list elements to the list cell, resources to their first row, unknown pointers to the row or file', () => {
    const { locate } = read(header, [
      ['A/1', '甲', '人口、户籍', '姓名', 'C'],
      [undefined, undefined, undefined, '性别', 'C'],
    ]);
    expect(locate('/resources/0/keywords/1')).toEqual({ ...place, row: 2, column: 'C', header: '关键字' });
    expect(locate('/resources/0')).toEqual({ ...place, row: 2 });
    expect(locate('/resources/0/summery')).toEqual({ ...place, row: 2 });
    expect(locate('/resources/0/items/1')).toEqual({ ...place, row: 3 });
    expect(locate('/resources/0/items/9/name')).toEqual({ ...place, row: 2 });
    expect(locate('/resources/5/name')).toEqual(place);
    expect(locate('')).toEqual(place);
  });
});

describe('writing rows', () => {
  it('puts the resource on its first row and each item on a row of its own', () => {
    const rows = resourceRows(
      MINJIANG_LAYOUT,
      { code: 'A/1', items: [{ name: '姓名' }, { name: '性别' }] },
      0,
    );
    const code = MINJIANG_LAYOUT.columns.findIndex((column) => column.header === '信息资源代码');
    const item = MINJIANG_LAYOUT.columns.findIndex((column) => column.header === '信息项名称');
    expect(rows.map((row) => [row.cells[code], row.cells[item], row.item])).toEqual([
      ['A/1', '姓名', 0],
      [undefined, '性别', 1],
    ]);
    expect(resourceRows(MINJIANG_LAYOUT, { code: 'A/2' }, 1)).toHaveLength(1);
  });
});

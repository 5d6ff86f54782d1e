import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { NATIONAL_COLUMNS } from './national-columns.js';
import { writeBackCells } from './write-back.js';
import { readCatalogXlsx } from './xlsx-read.js';
import { writeCatalogNationalXlsx } from './xlsx-national.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-national-'));

const NATIONAL_ORDER = [
  '序号', '部门类信息资源分类', '项分类', '目分类', '细目分类1', '细目分类1.1', '关联业务事项', '信息资源名称',
  '信息资源代码', '下设机构', '信息资源摘要', '信息资源格式分类', '信息资源格式类型', '其他类型资源格式描述',
  '信息项名称', '数据类型', '数据长度', '共享类型', '共享条件/不予共享依据', '共享方式分类', '共享方式类型',
  '是否向社会开放', '开放条件', '更新周期', '发布日期', '开放主题分类',
]; // prettier-ignore

const resource = {
  code: '3350010001/000001',
  name: '常住人口基本信息',
  provider: { name: '福建省公安厅', uscc: '11350000FJ0000017T' },
  summary: '全省常住人口信息。',
  format: { category: '数据库', type: 'oracle' },
  items: [
    { name: '公民身份号码', dataType: 'C', length: 18, isKey: true },
    { name: '户籍地址', dataType: 'C', length: 200, shareType: '有条件共享', shareCondition: '仅限核验住址' },
    { name: '姓名', dataType: 'C', length: 50, shareType: '不予共享' },
    { name: '更新时间', dataType: 'T', openType: '不予开放' },
  ],
  sharing: {
    type: '无条件共享',
    condition: '无条件',
    legalBasis: '《条例》',
    methodTypes: ['接口', '数据库'],
  },
  opening: { type: '有条件开放', condition: '经审核后开放' },
  updateCycle: '每日',
  publishedAt: '2019-06-28',
  grading: { level: '重要数据' },
};

async function sheetOf(path: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.getWorksheet('目录') as ExcelJS.Worksheet;
}

describe('the national template', () => {
  const path = join(dir, 'national.xlsx');

  it('writes the national columns in order, then the extensions, one item per row with merged resource cells', async () => {
    await writeCatalogNationalXlsx(path, {
      resources: [resource, { ...resource, code: '3350010001/000002', items: [] }],
    });
    const sheet = await sheetOf(path);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 26)).toEqual(NATIONAL_ORDER);
    expect(headers.slice(26)).toEqual(
      expect.arrayContaining(['提供方名称', '提供方统一社会信用代码', '数据分级', '共享依据']),
    );
    expect(headers).toHaveLength(NATIONAL_COLUMNS.length);
    expect(sheet.model.merges).toEqual(expect.arrayContaining(['H2:H5', 'I2:I5', 'A2:A5', 'B2:B5']));
    expect(sheet.model.merges).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(O|R|S|V|W)2:/u)]),
    );
    expect([2, 3, 4, 5].map((row) => sheet.getCell(`O${row}`).value)).toEqual([
      '公民身份号码',
      '户籍地址',
      '姓名',
      '更新时间',
    ]);
    expect(['A2', 'B2', 'C2', 'D2', 'E2', 'F2'].map((cell) => sheet.getCell(cell).value)).toEqual([
      1,
      '3',
      '35',
      '001',
      '0001',
      null,
    ]);
    // 有条件开放 with a condition is 是 + the condition; an item of its own shows its own values.
    expect(
      [2, 3, 4, 5].map((row) => [sheet.getCell(`R${row}`).value, sheet.getCell(`V${row}`).value]),
    ).toEqual([
      ['无条件共享', '是'],
      ['有条件共享', '是'],
      ['不予共享', '是'],
      ['无条件共享', '否'],
    ]);
    expect(sheet.getCell('W2').value).toBe('经审核后开放');
    expect(sheet.getCell('A6').value).toBe(2);
  });

  it('reads back the same resources, item-level sharing and opening included', async () => {
    const loaded = await readCatalogXlsx(path);
    expect(loaded.format).toBe('xlsx-national');
    expect(loaded.resources).toEqual([
      resource,
      { ...resource, code: '3350010001/000002', items: undefined },
    ]);
    expect(loaded.locate('/resources/0/items/1/shareType')).toMatchObject({
      row: 3,
      column: 'R',
      header: '共享类型',
    });
    expect(loaded.locate('/resources/0/opening/type')).toMatchObject({
      row: 2,
      column: 'V',
      header: '是否向社会开放',
    });
    expect(loaded.locate('/resources/0/provider/uscc')).toMatchObject({
      row: 2,
      header: '提供方统一社会信用代码',
    });
  });

  it('gives a first item with its own sharing a row of its own', async () => {
    const own = join(dir, 'first-item.xlsx');
    const first = {
      ...resource,
      items: [{ name: '户籍地址', dataType: 'C', shareType: '有条件共享', shareCondition: '限核验' }],
    };
    await writeCatalogNationalXlsx(own, { resources: [first] });
    const sheet = await sheetOf(own);
    expect([sheet.getCell('O2').value, sheet.getCell('O3').value]).toEqual([null, '户籍地址']);
    expect((await readCatalogXlsx(own)).resources).toEqual([first]);
  });
});

describe('reading a national workbook from elsewhere', () => {
  it('maps 是否向社会开放, keeps unknown values as typed, and warns about classification and themes', async () => {
    const path = join(dir, 'foreign.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['XX 厅政务信息资源目录']);
    sheet.addRow(NATIONAL_ORDER);
    const row = (values: Record<string, unknown>) => NATIONAL_ORDER.map((header) => values[header] ?? null);
    sheet.addRow(row({ 部门类信息资源分类: '部门类', 项分类: 36, 目分类: '001', 信息资源名称: '甲', 信息资源代码: '3350010001/000001', 信息项名称: 'a', 共享类型: '有条件共享', 是否向社会开放: '否', 开放主题分类: '经济建设' })); // prettier-ignore
    sheet.addRow(row({ 信息项名称: 'b', 共享类型: '有条件共享', 是否向社会开放: 'Y', 开放条件: '脱敏后' }));
    sheet.addRow(row({ 信息资源名称: '乙', 信息资源代码: '3350010001/000002', 是否向社会开放: '是' }));
    sheet.addRow(row({ 信息资源名称: '丙', 信息资源代码: '3350010001/000003', 是否向社会开放: '开放' }));
    await workbook.xlsx.writeFile(path);

    const loaded = await readCatalogXlsx(path);
    expect(loaded.resources).toEqual([
      {
        code: '3350010001/000001',
        name: '甲',
        items: [{ name: 'a' }, { name: 'b', openType: '有条件开放' }],
        sharing: { type: '有条件共享' },
        opening: { type: '不予开放' },
      },
      { code: '3350010001/000002', name: '乙', opening: { type: '无条件开放' } },
      { code: '3350010001/000003', name: '丙', opening: { type: '开放' } },
    ]);
    expect(loaded.warnings?.map((warning) => [warning.code, warning.location.column])).toEqual([
      ['NAT-CLASS-MISMATCH', 'C'],
      ['NAT-ITEM-OPEN-CONDITION', 'W'],
      ['NAT-THEME-IGNORED', 'Z'],
    ]);
    expect(loaded.warnings?.[0]?.message).toContain('35');
  });

  it('writes a fixed resource-level sharing type back on every row of the resource', async () => {
    const path = join(dir, 'write-back.xlsx');
    await writeCatalogNationalXlsx(path, {
      resources: [{ ...resource, sharing: { ...resource.sharing, type: '无条件' } }],
    });
    const loaded = await readCatalogXlsx(path);
    const fixed = { resources: [resource] };
    await writeBackCells(loaded, fixed, ['/resources/0/sharing/type']);
    const sheet = await sheetOf(path);
    expect([2, 3, 4, 5].map((row) => sheet.getCell(`R${row}`).value)).toEqual([
      '无条件共享',
      '有条件共享',
      '不予共享',
      '无条件共享',
    ]);
    expect(sheet.model.merges).toEqual(expect.arrayContaining(['H2:H5']));
    expect((await readCatalogXlsx(path)).resources).toEqual([resource]);
  });

  it('refuses to give the item sharing the resource row a sharing type of its own', async () => {
    const path = join(dir, 'shared-row.xlsx');
    await writeCatalogNationalXlsx(path, { resources: [resource] });
    const loaded = await readCatalogXlsx(path);
    const fixed = structuredClone({ resources: [resource] });
    Object.assign(fixed.resources[0]?.items[0] ?? {}, { shareType: '不予共享' });
    await expect(writeBackCells(loaded, fixed, ['/resources/0/items/0/shareType'])).rejects.toMatchObject({
      code: 'WRITE-BACK-NO-CELL',
    });
    expect((await readCatalogXlsx(path)).resources).toEqual([resource]);
  });
});

import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { validateCatalogEntry } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { MINJIANG_COLUMNS } from './minjiang-columns.js';
import { TEMPLATE_EXAMPLE } from './template-guide.js';
import { writeBackCells } from './write-back.js';
import { readCatalogXlsx, writeCatalogTemplate, writeCatalogXlsx } from './xlsx-minjiang.js';

const dir = mkdtempSync(join(tmpdir(), 'minjiang-xlsx-'));
const now = new Date('2026-01-01T00:00:00+08:00');

async function openWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

function validations(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.DataValidation> {
  return (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
    .dataValidations.model;
}

describe('the Minjiang template', () => {
  const path = join(dir, 'template.xlsx');

  it('has 目录 with a frozen header row, 填写说明, and a hidden 码表', async () => {
    await writeCatalogTemplate(path);
    const workbook = await openWorkbook(path);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['目录', 'visible'],
      ['填写说明', 'visible'],
      ['码表', 'hidden'],
    ]);
    const sheet = workbook.getWorksheet('目录') as ExcelJS.Worksheet;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(
      MINJIANG_COLUMNS.map((column) => column.header),
    );
    expect(sheet.getColumn(9).width).toBe(40);
    const guide = (workbook.getWorksheet('填写说明') as ExcelJS.Worksheet)
      .getColumn(2)
      .values.filter((value): value is string => typeof value === 'string')
      .join('\n');
    expect(guide).toContain('每行一个信息项');
    expect(guide).toContain('提供方统一社会信用代码');
  });

  it('has a dropdown on every enumeration column, rows 2 to 5000, listing the 码表 values', async () => {
    const workbook = await openWorkbook(path);
    const sheet = workbook.getWorksheet('目录') as ExcelJS.Worksheet;
    const codes = workbook.getWorksheet('码表') as ExcelJS.Worksheet;
    const model = validations(sheet);
    const enumerated = MINJIANG_COLUMNS.map((column, index) => ({ column, index })).filter(
      ({ column }) => column.choices,
    );
    expect(enumerated.length).toBeGreaterThanOrEqual(18);
    for (const { column, index } of enumerated) {
      const letter = sheet.getColumn(index + 1).letter;
      const first = model[`${letter}2`];
      expect(first, column.header).toMatchObject({ type: 'list' });
      expect(model[`${letter}5000`]).toBe(first);
      const [, codeColumn, from, to] = /^'码表'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/u.exec(
        (first as ExcelJS.DataValidation).formulae[0] as string,
      ) as string[];
      const values = codes.getColumn(codeColumn as string).values.slice(Number(from), Number(to) + 1);
      expect(values.length).toBeGreaterThanOrEqual(2);
    }
    const shareType = MINJIANG_COLUMNS.findIndex((column) => column.header === '共享类型');
    const formula = (model[`${sheet.getColumn(shareType + 1).letter}2`] as ExcelJS.DataValidation)
      .formulae[0] as string;
    const letter = /\$([A-Z]+)\$2/u.exec(formula)?.[1] as string;
    expect(codes.getColumn(letter).values.slice(1)).toEqual([
      '共享类型',
      '无条件共享',
      '有条件共享',
      '不予共享',
    ]);
  });

  it('leaves no file open after reads, the sheets it did not need included', async () => {
    // Only descriptors on this workbook count: other files of the same worker open and close meanwhile.
    const target = realpathSync(path);
    const open = () =>
      existsSync('/proc/self/fd')
        ? readdirSync('/proc/self/fd').filter((fd) => {
            try {
              return readlinkSync(`/proc/self/fd/${fd}`) === target;
            } catch {
              return false; // closed between the listing and the read
            }
          }).length
        : 0;
    for (let round = 0; round < 5; round += 1) await readCatalogXlsx(path);
    // Streams close their files asynchronously after destroy().
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(open()).toBe(0);
  });

  it('holds exactly one example resource, with 3 items, that passes validation', async () => {
    const loaded = await readCatalogXlsx(path);
    expect(loaded.format).toBe('xlsx-minjiang');
    expect(loaded.resources).toEqual([TEMPLATE_EXAMPLE]);
    expect(TEMPLATE_EXAMPLE.items).toHaveLength(3);
    expect(validateCatalogEntry(loaded.resources[0], { now })).toEqual([]);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('reading a workbook a person typed', () => {
  const path = join(dir, 'typed.xlsx');

  it('keeps values as typed and converts only real date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('我的目录');
    sheet.addRow(['福州市某局目录']); // a title row above the header
    sheet.addRow([
      '信息资源代码',
      '信息资源名称',
      '发布日期',
      '数据起始日期',
      '关键字',
      '是否涉密',
      '信息项名称',
      '数据长度',
      '是否主键',
    ]);
    sheet.addRow([
      '3350010001/000001',
      ' 常住人口 ',
      44927,
      new Date(Date.UTC(2015, 9, 1)),
      '人口,,户籍',
      'Y',
      '姓名',
      '50',
      1,
    ]);
    sheet.addRow([
      null,
      null,
      null,
      null,
      null,
      null,
      { richText: [{ text: '性' }, { text: '别' }] },
      { formula: '1+0', result: 1 },
      'N',
    ]);
    sheet.addRow(['3350010001/000002', '户口迁移', '2023年5月1日', null, null, '否', null, null, null]);
    sheet.getCell('D3').numFmt = 'yyyy-mm-dd';
    await workbook.xlsx.writeFile(path);

    const loaded = await readCatalogXlsx(path);
    expect(loaded.resources).toEqual([
      {
        code: '3350010001/000001',
        name: ' 常住人口 ',
        keywords: ['人口', '', '户籍'],
        publishedAt: 44927,
        grading: { classified: true },
        timeRange: { from: '2015-10-01' },
        items: [
          { name: '姓名', length: 50, isKey: true },
          { name: '性别', length: 1, isKey: false },
        ],
      },
      {
        code: '3350010001/000002',
        name: '户口迁移',
        publishedAt: '2023年5月1日',
        grading: { classified: false },
      },
    ]);
    expect(loaded.locate('/resources/0/items/1/isKey')).toEqual({
      file: path,
      sheet: '我的目录',
      row: 4,
      column: 'I',
      header: '是否主键',
    });
  });

  it('round-trips what it writes, including values that break the rules', async () => {
    const out = join(dir, 'round-trip.xlsx');
    const odd = {
      code: '３３５００１/１',
      name: '　名称　',
      publishedAt: 44927,
      keywords: ['人口', '', ' 户籍'],
      sharing: { type: 2, methodTypes: ['接口', '数据库'] },
      items: [{ name: '甲', length: '十八', isKey: '不确定' }],
    };
    await writeCatalogXlsx(out, { resources: [TEMPLATE_EXAMPLE, odd] });
    const loaded = await readCatalogXlsx(out);
    // A number in a text column reads back as its digits: that is what the cell shows.
    expect(loaded.resources).toEqual([TEMPLATE_EXAMPLE, { ...odd, sharing: { ...odd.sharing, type: '2' } }]);
  });
});

describe('write-back into the workbook', () => {
  it('rewrites only the changed cells and keeps the dropdowns, the hidden sheet and the other values', async () => {
    const path = join(dir, 'write-back.xlsx');
    await writeCatalogTemplate(path);
    const loaded = await readCatalogXlsx(path);
    const fixed = structuredClone({ resources: loaded.resources }) as {
      resources: (typeof TEMPLATE_EXAMPLE)[];
    };
    const resource = fixed.resources[0] as typeof TEMPLATE_EXAMPLE;
    resource.keywords[1] = '许可';
    resource.items[2] = { ...resource.items[2], dataType: 'D' } as (typeof resource.items)[2];
    resource.publishedAt = '2024-02-01';
    await writeBackCells(loaded, fixed, [
      '/resources/0/keywords/1',
      '/resources/0/items/2/dataType',
      '/resources/0/publishedAt',
    ]);

    const again = await readCatalogXlsx(path);
    expect(again.resources).toEqual(fixed.resources);
    const workbook = await openWorkbook(path);
    const sheet = workbook.getWorksheet('目录') as ExcelJS.Worksheet;
    expect(sheet.getCell('J2').value).toBe('食品经营、许可');
    expect(workbook.getWorksheet('码表')?.state).toBe('hidden');
    expect(validations(sheet)['C4999']).toMatchObject({ type: 'list' });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a change that has no cell, and a file changed since it was read, writing nothing', async () => {
    const path = join(dir, 'refuse.xlsx');
    await writeCatalogTemplate(path);
    const loaded = await readCatalogXlsx(path);
    const before = statSync(path).mtimeMs;
    const fixed = {
      resources: [{ ...TEMPLATE_EXAMPLE, items: [...TEMPLATE_EXAMPLE.items, { name: '新', dataType: 'C' }] }],
    };
    await expect(writeBackCells(loaded, fixed, ['/resources/0/items/3/name'])).rejects.toMatchObject({
      code: 'WRITE-BACK-NO-CELL',
    });
    expect(statSync(path).mtimeMs).toBe(before);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await expect(writeBackCells(loaded, fixed, ['/resources/0/name'])).rejects.toMatchObject({
      code: 'FILE-CHANGED',
    });
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { DataResource } from '@minjiang/standards';
import { readCatalogFile } from '../../catalog/catalog-file.js';
import { validateDataFile } from '../validate-data.js';
import { defaultFixedPath, fixDataFile } from './fix-data.js';

const fixtures = fileURLToPath(new URL('../../../../../fixtures/', import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'minjiang-fix-'));

async function population(): Promise<DataResource> {
  const catalog = await readCatalogFile(join(fixtures, 'catalogs/fujian-province.yaml'));
  const resource = (catalog.resources as DataResource[]).find((r) => r.name === '常住人口基本信息');
  if (!resource) throw new Error('fixture resource missing');
  return resource;
}

/** The three mechanical fixes of the fixture: rows 9, 12 and 18 (lines 10, 13 and 19). */
const EXPECTED_CHANGES = [
  { row: 9, line: 10, column: '性别', item: '性别', from: '1', to: '2', codes: ['DATA-GENDER-MISMATCH'] },
  {
    row: 12,
    line: 13,
    column: '出生日期',
    item: '出生日期',
    from: '1964-12-12',
    to: '1963-12-12',
    codes: ['DATA-BIRTHDATE-MISMATCH'],
  },
  {
    row: 18,
    line: 19,
    column: '出生日期',
    item: '出生日期',
    from: '2023年5月1日',
    to: '2023-05-01',
    codes: ['DATA-DATE-FORMAT'],
  },
];

/** What no mechanical fix can settle: a bad check digit, a code, a length, a duplicate, a gap. */
const REMAINING = {
  'DATA-RESIDENT-ID': 1,
  'DATA-CODE': 1,
  'DATA-LENGTH': 1,
  'DATA-DUPLICATE-KEY': 1,
  'DATA-REQUIRED': 1,
};

describe('fixDataFile on the household-population fixtures', () => {
  it.each([
    ['household-population.csv', 'utf-8'],
    ['household-population.gbk.csv', 'gbk'],
  ])('%s: three fixes, five findings left, every other line byte for byte', async (name, encoding) => {
    const input = join(fixtures, 'data', name);
    const output = join(tmp(), name);
    const result = await fixDataFile(input, await population(), { output });
    expect(result).toMatchObject({
      format: 'csv',
      encoding,
      output,
      written: true,
      rows: 30,
      changedRows: 3,
      changedCells: 3,
      omitted: 0,
      fixed: { 'DATA-GENDER-MISMATCH': 1, 'DATA-BIRTHDATE-MISMATCH': 1, 'DATA-DATE-FORMAT': 1 },
      before: { errors: 8, warnings: 0, validRows: 22 },
      remaining: { errors: 5, warnings: 0, validRows: 25, counts: REMAINING },
    });
    expect(result.changes).toEqual(EXPECTED_CHANGES);

    const decode = (bytes: Buffer): string => iconv.decode(bytes, encoding);
    const before = decode(readFileSync(input)).split('\r\n');
    const after = decode(readFileSync(output)).split('\r\n');
    expect(after).toHaveLength(before.length);
    const differing = after.flatMap((line, index) => (line === before[index] ? [] : [index + 1]));
    expect(differing).toEqual([10, 13, 19]);
    expect(after[9]).toBe(before[9]?.replace(',蔡淑芬,1,19,', ',蔡淑芬,2,19,'));
    expect(after[18]).toBe(before[18]?.replace('2023年5月1日', '2023-05-01'));
    // Quoted cells of unchanged rows keep their quotes.
    expect(after[7]).toContain('"漳州市芗城区五一路129号“金山”小区""A""座"');

    const again = await validateDataFile(output, await population());
    expect(again.encoding).toBe(encoding);
    expect(again.counts).toEqual(REMAINING);
    expect(again.validRows).toBe(25);
  });

  it('the GBK twin fixed is the UTF-8 fixture fixed, in GBK', async () => {
    const dir = tmp();
    const utf8 = join(dir, 'a.csv');
    const gbk = join(dir, 'b.csv');
    await fixDataFile(join(fixtures, 'data/household-population.csv'), await population(), { output: utf8 });
    await fixDataFile(join(fixtures, 'data/household-population.gbk.csv'), await population(), {
      output: gbk,
    });
    expect(readFileSync(gbk).equals(iconv.encode(readFileSync(utf8, 'utf8'), 'gbk'))).toBe(true);
  });

  it('writes nothing on a dry run, and leaves no temporary file', async () => {
    const dir = tmp();
    const input = join(dir, 'data.csv');
    writeFileSync(input, readFileSync(join(fixtures, 'data/household-population.csv')));
    const result = await fixDataFile(input, await population(), { dryRun: true });
    expect(result).toMatchObject({ written: false, changedRows: 3, remaining: { errors: 5 } });
    expect(result.output).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['data.csv']);
  });

  it('refuses a header that does not fit the resource, writing nothing', async () => {
    const dir = tmp();
    const input = join(dir, 'data.csv');
    writeFileSync(input, '姓名,性别\n张三,1\n');
    const output = join(dir, 'out.csv');
    await expect(fixDataFile(input, await population(), { output })).rejects.toMatchObject({
      code: 'DATA-HEADER',
      location: input,
    });
    expect(existsSync(output)).toBe(false);
  });

  it('leaves no output and no temporary file when the input breaks half-way', async () => {
    const dir = tmp();
    const input = join(dir, 'data.csv');
    const lines = readFileSync(join(fixtures, 'data/household-population.csv'), 'utf8').split('\r\n');
    writeFileSync(input, [...lines.slice(0, 12), '350102195004088267,"林雅婷,,2'].join('\r\n'));
    const output = join(dir, 'out.csv');
    await expect(fixDataFile(input, await population(), { output })).rejects.toMatchObject({
      code: 'CSV-PARSE',
    });
    expect(readdirSync(dir)).toEqual(['data.csv']);
  });

  it('names the default output next to the input', () => {
    expect(defaultFixedPath('/d/人口.csv')).toBe('/d/人口.fixed.csv');
    expect(defaultFixedPath('rows.jsonl')).toBe('rows.fixed.jsonl');
  });
});

const resource: DataResource = {
  name: '测试资源',
  items: [
    { name: '编号', technicalName: 'BH', dataType: 'C', length: 4, isKey: true },
    { name: '金额', technicalName: 'JE', dataType: 'N', length: 8, precision: 2 },
    { name: '日期', technicalName: 'RQ', dataType: 'D' },
    { name: '性别', technicalName: 'XB', dataType: 'C', length: 1, codeTable: 'gbt2261-1-gender' },
    { name: '备注', technicalName: 'BZ', dataType: 'C', length: 50 },
    {
      name: '信用代码',
      technicalName: 'TYSHXYDM',
      dataType: 'C',
      length: 18,
      check: 'uscc',
      sensitive: true,
    },
  ],
};

describe('fixDataFile in other shapes', () => {
  it('keeps a semicolon delimiter, LF breaks, cells spanning lines and a missing final break', async () => {
    const dir = tmp();
    const input = join(dir, 'data.csv');
    writeFileSync(
      input,
      [
        'BH;JE;RQ;XB;BZ;TYSHXYDM',
        'K1;1;2024/1/5;男;"两行\n备注";91350100M000100Y43',
        '"K2";2;2024-01-05;1;"多\r\n行";91350100M000100Y43 ',
        '',
        'K3;3;2024-01-05;2;"a;b";９１350100M000100Y43',
        'K4;4;2024-01-05;2;"不变\n的";',
      ].join('\n'),
    );
    const output = join(dir, 'out.csv');
    const result = await fixDataFile(input, resource, { output });
    expect(readFileSync(output, 'utf8')).toBe(
      [
        'BH;JE;RQ;XB;BZ;TYSHXYDM',
        'K1;1;2024-01-05;1;"两行\n备注";91350100M000100Y43',
        'K2;2;2024-01-05;1;"多\r\n行";91350100M000100Y43',
        '',
        'K3;3;2024-01-05;2;"a;b";91350100M000100Y43',
        'K4;4;2024-01-05;2;"不变\n的";',
      ].join('\n'),
    );
    // The file has the real identifier; the result masks it.
    expect(result.changes.filter((change) => change.column === 'TYSHXYDM')).toEqual([
      {
        row: 2,
        line: 4,
        column: 'TYSHXYDM',
        item: '信用代码',
        from: '9135***********Y43 ',
        to: '9135**********0Y43',
        codes: ['DATA-WHITESPACE'],
      },
      {
        row: 3,
        line: 7,
        column: 'TYSHXYDM',
        item: '信用代码',
        from: '９１35**********0Y43',
        to: '9135**********0Y43',
        codes: ['DATA-NORMALIZE'],
      },
    ]);
    expect(result).toMatchObject({ rows: 4, changedRows: 3, remaining: { errors: 0, warnings: 0 } });
  });

  it('rewrites only the changed keys of a JSON Lines row; other values keep their type', async () => {
    const dir = tmp();
    const input = join(dir, 'data.jsonl');
    writeFileSync(
      input,
      '\uFEFF{"BH": "K1", "JE": 12.5, "RQ": "2024年2月3日"}\r\n\r\n{"BH": "K2", "JE": 3, "RQ": "2024-02-03"}\r\n',
    );
    const output = join(dir, 'out.jsonl');
    const result = await fixDataFile(input, resource, { output });
    expect(readFileSync(output, 'utf8')).toBe(
      '\uFEFF{"BH":"K1","JE":12.5,"RQ":"2024-02-03"}\r\n\r\n{"BH": "K2", "JE": 3, "RQ": "2024-02-03"}\r\n',
    );
    expect(result).toMatchObject({ format: 'jsonl', changedRows: 1, remaining: { errors: 0 } });
  });

  it('writes an xlsx as a new workbook of text cells, header first', async () => {
    const dir = tmp();
    const input = join(dir, 'data.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['测试资源数据']);
    sheet.addRow(['编号', '日期', '性别', '金额']);
    sheet.addRow(['K1', '2024年1月31日', '女', 12.5]);
    sheet.addRow(['K2', new Date(Date.UTC(2024, 0, 31)), '1', null]);
    await workbook.xlsx.writeFile(input);
    const output = join(dir, 'out.xlsx');
    const result = await fixDataFile(input, resource, { output });
    expect(result).toMatchObject({ format: 'xlsx', rows: 2, changedRows: 1, remaining: { errors: 0 } });
    const written = new ExcelJS.Workbook();
    await written.xlsx.readFile(output);
    const rows = (written.worksheets[0]?.getSheetValues() ?? [])
      .slice(1)
      .map((row) => (row as unknown[]).slice(1));
    expect(rows).toEqual([
      ['编号', '日期', '性别', '金额'],
      ['K1', '2024-01-31', '2', '12.5'],
      ['K2', '2024-01-31', '1'],
    ]);
  });

  it('keeps only maxChanges changes and counts the rest', async () => {
    const dir = tmp();
    const input = join(dir, 'data.csv');
    writeFileSync(input, 'BH,RQ\nK1,2024/1/1\nK2,2024/1/2\nK3,2024/1/3\n');
    const result = await fixDataFile(input, resource, { dryRun: true, maxChanges: 1 });
    expect(result).toMatchObject({ changedCells: 3, omitted: 2, fixed: { 'DATA-DATE-FORMAT': 3 } });
    expect(result.changes).toHaveLength(1);
  });
});

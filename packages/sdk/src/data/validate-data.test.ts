import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readCatalogFile } from '../catalog/catalog-file.js';
import { validateDataFile, validateDataRows } from './validate-data.js';
import type { DataResource } from '@minjiang/standards';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const expected = JSON.parse(
  readFileSync(join(fixtures, 'data/household-population.expected.json'), 'utf8'),
) as unknown[];

async function population(): Promise<DataResource> {
  const catalog = await readCatalogFile(join(fixtures, 'catalogs/fujian-province.yaml'));
  const resource = (catalog.resources as DataResource[]).find((r) => r.name === '常住人口基本信息');
  if (!resource) throw new Error('fixture resource missing');
  return resource;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'minjiang-data-'));

describe('validateDataFile on the household-population fixtures', () => {
  it.each([
    ['household-population.csv', 'utf-8'],
    ['household-population.gbk.csv', 'gbk'],
  ])('%s gives exactly the expected findings', async (name, encoding) => {
    const report = await validateDataFile(join(fixtures, 'data', name), await population());
    expect(report.encoding).toBe(encoding);
    expect(report.rows).toBe(30);
    expect(report.validRows).toBe(22);
    expect(report.findings.map(({ row, column, code }) => ({ row, column, code }))).toEqual(expected);
  });

  it('masks sensitive values and suggests fixes', async () => {
    const report = await validateDataFile(
      join(fixtures, 'data/household-population.csv'),
      await population(),
    );
    const byCode = new Map(report.findings.map((finding) => [finding.code, finding]));
    expect(byCode.get('DATA-RESIDENT-ID')?.value).toMatch(/^\d{4}\*{10}[\dX]{4}$/u);
    expect(byCode.get('DATA-DUPLICATE-KEY')?.message).toContain('与第 3 行相同');
    expect(byCode.get('DATA-DATE-FORMAT')).toMatchObject({
      value: '2023年5月1日',
      fix: '2023-05-01',
      severity: 'error',
    });
    expect(byCode.get('DATA-GENDER-MISMATCH')?.fix).toMatch(/^[12]$/u);
    expect(report.counts).toEqual(
      Object.fromEntries((expected as { code: string }[]).map((e) => [e.code, 1])),
    );
  });

  it('speaks English on request and counts findings past maxFindings', async () => {
    const report = await validateDataFile(
      join(fixtures, 'data/household-population.csv'),
      await population(),
      { lang: 'en', maxFindings: 3 },
    );
    expect(report.findings).toHaveLength(3);
    expect(report.omitted).toBe(5);
    expect(report.summary.errors).toBe(8);
    expect(report.findings[0]?.message).toMatch(/check character/u);
  });
});

const resource: DataResource = {
  name: '测试资源',
  items: [
    { name: '编号', technicalName: 'BH', dataType: 'C', length: 4, isKey: true },
    { name: '金额', technicalName: 'JE', dataType: 'N', length: 6, precision: 2 },
    { name: '日期', technicalName: 'RQ', dataType: 'D', required: true },
    { name: '时间', technicalName: 'SJ', dataType: 'T' },
    { name: '有效', technicalName: 'YX', dataType: 'L' },
    { name: '性别', technicalName: 'XB', dataType: 'C', length: 1, codeTable: 'gbt2261-1-gender' },
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

async function validateCsv(text: string, target = resource) {
  const path = join(tmp(), 'data.csv');
  writeFileSync(path, text);
  return validateDataFile(path, target);
}

const findings = (report: Awaited<ReturnType<typeof validateCsv>>) =>
  report.findings.map(({ row, column, code, fix }) => ({
    row,
    column,
    code,
    ...(fix !== undefined ? { fix } : {}),
  }));

describe('value checks', () => {
  it('checks types, precision, codes and fixes normalisable values', async () => {
    const report = await validateCsv(
      [
        'bh, je ,RQ,sj,yx,XB,TYSHXYDM',
        'A1,1234.5,2024-02-29,2024-01-01 08:00:00,true,1,91350100M000100Y43',
        'A2,12345.6,20240301,2024/1/1 8:05,是,男性,',
        'A3,1.234,2023-02-29,yesterday,maybe,7,91350100M000100Y44',
        'Ａ4 ,abc,2024-1-5, ,1,１,',
      ].join('\n'),
    );
    expect(findings(report)).toEqual([
      { row: 2, column: 'je', code: 'DATA-LENGTH' },
      { row: 2, column: 'RQ', code: 'DATA-DATE-FORMAT', fix: '2024-03-01' },
      { row: 2, column: 'sj', code: 'DATA-DATETIME-FORMAT', fix: '2024-01-01 08:05:00' },
      { row: 2, column: 'yx', code: 'DATA-BOOLEAN', fix: 'true' },
      { row: 2, column: 'XB', code: 'DATA-CODE-LABEL', fix: '1' },
      { row: 3, column: 'je', code: 'DATA-PRECISION' },
      { row: 3, column: 'RQ', code: 'DATA-DATE' },
      { row: 3, column: 'sj', code: 'DATA-DATETIME' },
      { row: 3, column: 'yx', code: 'DATA-BOOLEAN' },
      { row: 3, column: 'XB', code: 'DATA-CODE' },
      { row: 3, column: 'TYSHXYDM', code: 'DATA-USCC' },
      { row: 4, column: 'bh', code: 'DATA-WHITESPACE', fix: 'Ａ4' },
      { row: 4, column: 'je', code: 'DATA-NUMBER' },
      { row: 4, column: 'RQ', code: 'DATA-DATE-FORMAT', fix: '2024-01-05' },
      { row: 4, column: 'XB', code: 'DATA-NORMALIZE', fix: '1' },
    ]);
    expect(report.validRows).toBe(1);
    expect(report.findings.find((f) => f.code === 'DATA-USCC')?.value).toBe('9135**********0Y44');
  });

  it('reports duplicate keys with the first row, and required values', async () => {
    const report = await validateCsv('BH,RQ\nK1,2024-01-01\nK2,\nK1,2024-01-02\n');
    expect(findings(report)).toEqual([
      { row: 0, column: undefined, code: 'DATA-HEADER-MISSING' },
      { row: 0, column: undefined, code: 'DATA-HEADER-MISSING' },
      { row: 0, column: undefined, code: 'DATA-HEADER-MISSING' },
      { row: 0, column: undefined, code: 'DATA-HEADER-MISSING' },
      { row: 0, column: undefined, code: 'DATA-HEADER-MISSING' },
      { row: 2, column: 'RQ', code: 'DATA-REQUIRED' },
      { row: 3, column: 'BH', code: 'DATA-DUPLICATE-KEY' },
    ]);
    expect(report.findings.at(-1)?.message).toContain('与第 1 行相同');
  });

  it('refuses a header without a required item and warns of unknown columns', async () => {
    const error: unknown = await validateCsv('BH,JE\nK1,1\n').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATA-HEADER' });
    expect((error as Error).message).toContain('日期（RQ）');
    const report = await validateCsv('编号,日期,时间,有效,性别,信用代码,金额,备注\nK1,2024-01-01,,,,,,x\n');
    expect(findings(report)).toEqual([{ row: 0, column: '备注', code: 'DATA-HEADER-UNKNOWN' }]);
  });
});

describe('other formats', () => {
  it('reads JSON Lines keyed by technical names', async () => {
    const path = join(tmp(), 'data.jsonl');
    writeFileSync(path, '{"BH":"K1","RQ":"2024-01-01","JE":12.5}\n\n{"BH":"K2","RQ":"bad"}\n');
    const report = await validateDataFile(path, { ...resource, items: resource.items?.slice(0, 3) });
    expect(findings(report)).toEqual([{ row: 2, column: 'RQ', code: 'DATA-DATE' }]);
    expect(report.findings[0]?.line).toBe(3);
  });

  it('refuses a JSON Lines key the first line does not have', async () => {
    const path = join(tmp(), 'data.jsonl');
    writeFileSync(path, '{"BH":"K1","RQ":"2024-01-01"}\n{"BH":"K2","RQ":"2024-01-01","XX":1}\n');
    await expect(validateDataFile(path, resource)).rejects.toMatchObject({
      code: 'JSONL-KEYS',
      location: `${path}:2`,
    });
  });

  it('reads the first sheet of an xlsx file below a title row', async () => {
    const path = join(tmp(), 'data.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['测试资源数据']);
    sheet.addRow(['编号', '日期', '金额']);
    sheet.addRow(['K1', new Date(Date.UTC(2024, 0, 31)), 12.5]);
    sheet.addRow(['K2', '2024年13月1日', 1]);
    await workbook.xlsx.writeFile(path);
    const report = await validateDataFile(path, resource);
    expect(report.rows).toBe(2);
    expect(findings(report).filter((f) => f.row > 0)).toEqual([
      { row: 2, column: '日期', code: 'DATA-DATE' },
    ]);
    expect(report.findings.at(-1)?.line).toBe(4);
  });
});

describe('xlsx safety', () => {
  it('refuses a file that is not a zip before exceljs opens it', async () => {
    const path = join(tmp(), 'fake.xlsx');
    writeFileSync(path, 'GMSFHM,XM\n');
    await expect(validateDataFile(path, resource)).rejects.toMatchObject({ code: 'XLSX-CORRUPT' });
  });
});

describe('validateDataRows', () => {
  it('validates rows made in memory', async () => {
    async function* rows() {
      yield { row: 1, values: ['K1', '2024-01-01'] };
      yield { row: 2, values: ['K1', '2024-01-01'] };
    }
    const report = await validateDataRows(
      { file: 'memory', format: 'csv', header: ['BH', 'RQ'], rows: rows(), close: () => undefined },
      { name: 'r', items: resource.items?.filter((item) => ['BH', 'RQ'].includes(item.technicalName ?? '')) },
    );
    expect(report).toMatchObject({ rows: 2, validRows: 1, counts: { 'DATA-DUPLICATE-KEY': 1 } });
  });
});

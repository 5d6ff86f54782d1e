import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ProblemItem } from '../../client/data-types.js';
import { protectCell, restoreCell } from './cells.js';
import { readFixSheet } from './read.js';
import { writeFixSheet } from './write.js';

const header = ['公民身份号码', '姓名', '性别', '备注'];
const TRICKY = [
  '=HYPERLINK("http://evil.example","点我")',
  '+1',
  '-5',
  '@SUM(A1)',
  '\tx',
  '\rx',
  "'=x",
  "''+y",
  "'plain",
  'ok',
];

function problems(): ProblemItem[] {
  return [
    {
      id: 'urn:ses:problem:350000:2025:1',
      rowNumber: 5,
      key: { 公民身份号码: '350104198008068970' },
      row: { 公民身份号码: '350104198008068970', 姓名: '林雅婷', 性别: '1', 备注: TRICKY[0]! },
      status: 'open',
      findings: [
        {
          code: 'DATA-RESIDENT-ID',
          severity: 'error',
          row: 5,
          column: '公民身份号码',
          item: '公民身份号码',
          value: '3501**********8970',
          message: '校验位错误',
          fix: '3501**********8972',
        },
        {
          code: 'DATA-GENDER-MISMATCH',
          severity: 'error',
          row: 5,
          item: '性别',
          value: '1',
          message: '性别与身份号码不符',
          fix: '2',
        },
      ],
    },
    {
      id: 'urn:ses:problem:350000:2025:2',
      rowNumber: 9,
      row: { 公民身份号码: '350111195810084101', 姓名: '', 性别: '2', 备注: '-' },
      status: 'open',
      findings: [
        {
          code: 'DATA-REQUIRED',
          severity: 'error',
          row: 9,
          item: '姓名',
          message: '必填',
          fix: '=cmd|/c calc',
        },
      ],
    },
  ];
}

/** Fills the 更正值 column (I) of the given sheet lines (1-based, header = 1). */
async function fillXlsx(path: string, values: Record<number, string>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0]!;
  for (const [line, value] of Object.entries(values)) sheet.getRow(Number(line)).getCell(9).value = value;
  await workbook.xlsx.writeFile(path);
}

describe('protectCell / restoreCell', () => {
  it.each(TRICKY)('%j is inert in a spreadsheet and reads back exactly', (value) => {
    const written = protectCell(value);
    expect(/^[=+\-@\t\r]/.test(written)).toBe(false);
    expect(restoreCell(written)).toBe(value);
  });
});

describe('fix sheet round trip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-fix-sheet-'));

  it('writes an xlsx with one line per finding, neutralised cells and a highlighted 更正值 column', async () => {
    const path = join(dir, 'fix.xlsx');
    const summary = await writeFixSheet(problems(), header, path, 'xlsx', { ticket: 'T-1' });
    expect(summary).toMatchObject({ problems: 2, lines: 3 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('问题数据');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const head = sheet.getRow(1);
    expect(head.getCell(9).value).toBe('更正值');
    expect(head.getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(9).fill).toMatchObject({ type: 'pattern' });
    expect(sheet.getRow(2).getCell(13).value).toBe(`'${TRICKY[0]}`);
    expect(sheet.getRow(4).getCell(8).value).toBe("'=cmd|/c calc");
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.text).not.toMatch(/^[=+\-@\t\r]/)));
  });

  it('reads back the 更正值 cells grouped by problem, exactly as typed, HYPERLINK included', async () => {
    const path = join(dir, 'fill.xlsx');
    await writeFixSheet(problems(), header, path, 'xlsx', { ticket: 'T-1' });
    await fillXlsx(path, { 2: '350104198008068972', 3: '2', 4: TRICKY[0]! });
    const reading = await readFixSheet(path);
    expect(reading.tickets).toEqual([
      {
        ticket: 'T-1',
        corrections: [
          {
            problem: 'urn:ses:problem:350000:2025:1',
            values: { 公民身份号码: '350104198008068972', 性别: '2' },
          },
          { problem: 'urn:ses:problem:350000:2025:2', values: { 姓名: TRICKY[0] } },
        ],
      },
    ]);
  });

  it('takes suggestions where 更正值 is empty, but never a masked one, and un-neutralises them', async () => {
    const path = join(dir, 'suggest.csv');
    await writeFixSheet(problems(), header, path, 'csv', { ticket: 'T-1' });
    const reading = await readFixSheet(path, { acceptSuggestions: true });
    expect(reading.tickets[0]?.corrections).toEqual([
      { problem: 'urn:ses:problem:350000:2025:1', values: { 性别: '2' } },
      { problem: 'urn:ses:problem:350000:2025:2', values: { 姓名: '=cmd|/c calc' } },
    ]);
    expect(reading.maskedSuggestions).toEqual([
      { problem: 'urn:ses:problem:350000:2025:1', item: '公民身份号码', location: 'suggest.csv!H2' },
    ]);
  });

  it('writes CSV as UTF-8 with a BOM, every cell neutralised, and reads it back', async () => {
    const path = join(dir, 'fix.csv');
    await writeFixSheet(problems(), header, path, 'csv', { ticket: 'T-1' });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    for (const line of text.trimEnd().split('\r\n'))
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    const lines = text.split('\r\n');
    // A user fills 更正值 by hand with a protected value; it is restored.
    const filled = lines.map((line, index) => {
      if (index !== 3) return line;
      const cells = line.split(',');
      cells[8] = `'${TRICKY[0]!.replace(/"/g, '""')}`;
      return cells.map((c, i) => (i === 8 ? `"${c}"` : c)).join(',');
    });
    writeFileSync(path, `\uFEFF${filled.join('\r\n')}`);
    const reading = await readFixSheet(path);
    expect(reading.tickets[0]?.corrections).toEqual([
      { problem: 'urn:ses:problem:350000:2025:2', values: { 姓名: TRICKY[0] } },
    ]);
  });

  it('refuses a file that is not a fix sheet, and a correction for an unknown problem, at the cell', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, '姓名,性别\n张三,1\n');
    await expect(readFixSheet(other)).rejects.toMatchObject({
      code: 'FIXSHEET-NOT-A-FIX-SHEET',
      location: 'other.csv!A1',
    });
    const path = join(dir, 'unknown.xlsx');
    await writeFixSheet(problems(), header, path, 'xlsx', { ticket: 'T-1' });
    await fillXlsx(path, { 4: '张三' });
    await expect(
      readFixSheet(path, { knownProblems: () => new Set(['urn:ses:problem:350000:2025:1']) }),
    ).rejects.toMatchObject({ code: 'FIXSHEET-UNKNOWN-PROBLEM', location: 'unknown.xlsx 问题数据!B4' });
  });

  it('refuses two different values for one item of one problem', async () => {
    const path = join(dir, 'conflict.xlsx');
    const twice = problems();
    twice[0]!.findings[1] = { ...twice[0]!.findings[1]!, item: '公民身份号码' };
    await writeFixSheet(twice, header, path, 'xlsx', { ticket: 'T-1' });
    await fillXlsx(path, { 2: 'a', 3: 'b' });
    await expect(readFixSheet(path)).rejects.toMatchObject({
      code: 'FIXSHEET-CONFLICT',
      location: 'conflict.xlsx 问题数据!I3',
    });
  });
});

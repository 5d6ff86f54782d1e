import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AssessedOrganisation, AssessmentReport } from './assessment.js';
import { isAssessmentPeriod } from './assessment.js';
import { assessmentCsv, HEADER_ROW, writeAssessmentReport } from './assessment-report.js';

function org(rank: number, id: string, name: string, total: number, calls: number): AssessedOrganisation {
  return {
    rank,
    id,
    name,
    kind: 'department',
    total,
    indicators: {
      catalog: {
        score: 70.83,
        resources: 3,
        requiredFilled: 33,
        requiredTotal: 33,
        recommendedFilled: 24,
        recommendedTotal: 24,
        items: 24,
        describedItems: 3,
      },
      timeliness: { score: 16.67, resources: 3, withData: 1, timely: 0 },
      quality: {
        score: 73.1,
        resources: 1,
        completeness: 0.875,
        validity: 0.8,
        uniqueness: 0.75,
        timeliness: 0.5,
      },
      tickets: { score: 50, tickets: 2, onTime: 1, late: 1, pending: 0 },
      response: {
        score: 65,
        applications: 2,
        demands: 2,
        onTime: 2,
        late: 2,
        pending: 0,
        meanWorkingDays: null,
      },
      sharing: { score: calls === 0 ? 0 : 100, calls, grants: calls === 0 ? 0 : 1 },
    },
  };
}

const REPORT: AssessmentReport = {
  period: {
    label: '2025-10',
    from: '2025-09-30T16:00:00.000Z',
    to: '2025-10-31T16:00:00.000Z',
    firstDay: '2025-10-01',
    lastDay: '2025-10-31',
    timezone: 'Asia/Shanghai',
  },
  generatedAt: '2025-11-20T02:00:00.000Z',
  evaluatedAt: '2025-10-31T16:00:00.000Z',
  weights: { catalog: 0.2, timeliness: 0.15, quality: 0.2, tickets: 0.15, response: 0.15, sharing: 0.15 },
  organisations: [
    org(1, '350000/GOV/A', '福建省公安厅', 63.54, 4),
    // A name that a spreadsheet would run as a formula.
    org(2, '350000/GOV/B', '=HYPERLINK("http://x","点我")', 48.54, 0),
  ],
  digest: `sm3:${'0'.repeat(64)}`,
};

describe('assessment report files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-assessment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes xlsx: a summary and one sheet per indicator, set up for printing', async () => {
    const path = join(dir, 'report.xlsx');
    await writeAssessmentReport(REPORT, path, 'xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总',
      '目录完整度',
      '数据及时性',
      '数据质量',
      '问题数据按期办结',
      '申请与需求响应',
      '共享服务量',
    ]);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(HEADER_ROW).values).toEqual([
      undefined,
      '排名',
      '机构名称',
      '机构标识',
      '总分',
      '目录完整度（20%）',
      '数据及时性（15%）',
      '数据质量（20%）',
      '问题数据按期办结（15%）',
      '申请与需求响应（15%）',
      '共享服务量（15%）',
    ]);
    expect(summary.getRow(HEADER_ROW + 1).values).toEqual([
      undefined,
      1,
      '福建省公安厅',
      '350000/GOV/A',
      63.54,
      70.83,
      16.67,
      73.1,
      50,
      65,
      100,
    ]);
    expect(summary.getCell(HEADER_ROW + 2, 2).value).toBe('\'=HYPERLINK("http://x","点我")');
    expect(summary.getCell(HEADER_ROW + 1, 5).numFmt).toBe('0.00');
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
    expect(summary.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    });
    expect(summary.getCell(1, 1).text).toContain('2025-10-01 至 2025-10-31');
    const quality = workbook.getWorksheet('数据质量')!;
    expect(quality.getRow(HEADER_ROW).values).toEqual([
      undefined,
      '排名',
      '机构名称',
      '机构标识',
      '得分',
      '有数据的资源',
      '完整性',
      '有效性',
      '唯一性',
      '及时性',
    ]);
    expect(quality.getCell(HEADER_ROW + 1, 6).value).toBe(0.875);
    expect(quality.getCell(HEADER_ROW + 1, 6).numFmt).toBe('0.0%');
    expect([2, 3, 5].map((n) => summary.getColumn(n).width)).toEqual([30, 36, 14]);
  });

  it('writes CSV as UTF-8 with a BOM and CRLF, one wide table, formulas neutralised', async () => {
    const path = join(dir, 'report.csv');
    await writeAssessmentReport(REPORT, path, 'csv');
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF排名,机构名称,机构标识,总分,目录完整度（20%）')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, two organisations, the final line break
    expect(lines[0]).toContain('共享服务量·服务调用次数');
    expect(lines[1]).toMatch(/^1,福建省公安厅,350000\/GOV\/A,63.54,70.83,16.67,73.1,50,65,100,3,33/);
    expect(lines[2]).toContain(`'=HYPERLINK(""http://x"",""点我"")"`);
    expect(assessmentCsv(REPORT, 'en')).toMatch(
      /^\uFEFFRank,Organisation,Organisation id,Total,Catalog completeness \(20%\)/,
    );
  });

  it('writes JSON as the hub answered it', async () => {
    const path = join(dir, 'report.json');
    await writeAssessmentReport(REPORT, path, 'json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(REPORT);
  });

  it.each([
    ['2026', true],
    ['2026-Q4', true],
    ['2026-11', true],
    ['2026-Q5', false],
    ['2026-13', false],
    ['Q4', false],
  ])('checks the form of period %s', (label, ok) => {
    expect(isAssessmentPeriod(label)).toBe(ok);
  });
});

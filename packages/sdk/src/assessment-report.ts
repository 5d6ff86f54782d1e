/**
 * Writes an assessment report as a file for people: xlsx formatted for printing (a 汇总 summary
 * sheet and one sheet per indicator with its raw figures; header row frozen and repeated on
 * every printed page, landscape, fitted to the page width, number formats, column widths), CSV
 * (one wide table, UTF-8 with a BOM so that Excel and WPS read the Chinese right, CRLF), or JSON.
 * Text cells a spreadsheet could run as formulas are neutralised (`neutraliseFormula`, as the
 * fix sheet does); numbers stay numbers. Files are replaced atomically.
 */
import { writeFile } from 'node:fs/promises';
import type { Workbook, Worksheet } from 'exceljs';
import { replaceFile } from './core/atomic-file.js';
import { neutraliseFormula } from './data/fix/neutralise-formula.js';
import { ASSESSMENT_INDICATORS, type AssessmentReport } from './assessment.js';
import {
  FORMATS,
  INDICATOR_NAMES,
  LEAD,
  RAW,
  SCORE,
  SUMMARY_NAME,
  TOTAL_COLUMN,
  scoreColumn,
  type ReportColumn,
  type ReportLang,
} from './assessment-columns.js';

export type AssessmentFormat = 'xlsx' | 'csv' | 'json';

export interface AssessmentSheet {
  name: string;
  columns: ReportColumn[];
}

/** The header row of every xlsx sheet (rows 1–2 say what the report is). */
export const HEADER_ROW = 3;

function percent(weight: number): string {
  return `${Math.round(weight * 1000) / 10}%`;
}

/** The summary first, then one sheet per indicator, as the xlsx holds them. */
export function assessmentSheets(report: AssessmentReport, lang: ReportLang = 'zh-CN'): AssessmentSheet[] {
  const summary = ASSESSMENT_INDICATORS.map((key) => {
    const name = INDICATOR_NAMES[key][lang];
    const weight = percent(report.weights[key]);
    const heading = lang === 'en' ? `${name} (${weight})` : `${name}（${weight}）`;
    return scoreColumn(key, { 'zh-CN': heading, en: heading });
  });
  return [
    { name: SUMMARY_NAME[lang], columns: [...LEAD, TOTAL_COLUMN, ...summary] },
    ...ASSESSMENT_INDICATORS.map((key) => ({
      name: INDICATOR_NAMES[key][lang],
      columns: [...LEAD, scoreColumn(key, SCORE), ...RAW[key]],
    })),
  ];
}

function cell(value: string | number | null): string | number | null {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

function title(report: AssessmentReport, lang: ReportLang): [string, string] {
  const { period } = report;
  if (lang === 'en')
    return [
      `Assessment ${period.label} (${period.firstDay} to ${period.lastDay}, China time)`,
      `Generated ${report.generatedAt}; snapshot indicators measured at ${report.evaluatedAt}; digest ${report.digest}`,
    ];
  return [
    `考核评价 ${period.label}（${period.firstDay} 至 ${period.lastDay}，北京时间）`,
    `生成于 ${report.generatedAt}；目录与质量按 ${report.evaluatedAt} 的状态计；摘要 ${report.digest}`,
  ];
}

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } } as const;
const THIN = { style: 'thin', color: { argb: 'FFBFBFBF' } } as const;

function addSheet(workbook: Workbook, sheet: AssessmentSheet, report: AssessmentReport, lang: ReportLang) {
  const worksheet: Worksheet = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROW }],
    pageSetup: {
      orientation: 'landscape',
      paperSize: 9, // A4
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddHeader: `&L${neutraliseFormula(report.period.label)}&C${neutraliseFormula(sheet.name)}`,
      oddFooter: lang === 'en' ? '&CPage &P of &N' : '&C第 &P 页，共 &N 页',
    },
  });
  worksheet.columns = sheet.columns.map((column) => ({
    width: column.width,
    style: { numFmt: FORMATS[column.format] },
  }));
  const [heading, detail] = title(report, lang);
  worksheet.getCell(1, 1).value = neutraliseFormula(heading);
  worksheet.getCell(1, 1).font = { bold: true, size: 14 };
  worksheet.getCell(2, 1).value = neutraliseFormula(detail);
  worksheet.getCell(2, 1).font = { size: 9, color: { argb: 'FF595959' } };
  const header = worksheet.getRow(HEADER_ROW);
  header.values = sheet.columns.map((column) => neutraliseFormula(column.label[lang]));
  header.eachCell((item) => {
    item.font = { bold: true };
    item.fill = HEADER_FILL;
    item.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    item.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  header.height = 30;
  for (const org of report.organisations) {
    const row = worksheet.addRow(sheet.columns.map((column) => cell(column.value(org))));
    row.eachCell((item) => (item.border = { bottom: THIN }));
  }
}

async function writeXlsx(report: AssessmentReport, temporary: string, lang: ReportLang): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'minjiang';
  workbook.title = title(report, lang)[0];
  workbook.created = new Date(report.generatedAt);
  for (const sheet of assessmentSheets(report, lang)) addSheet(workbook, sheet, report, lang);
  await workbook.xlsx.writeFile(temporary);
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV: one line per organisation, ranked; the summary's columns, then each indicator's raw
 * figures headed `<indicator>·<figure>`. A CSV holds one table, so the sheets sit side by side.
 */
export function assessmentCsv(report: AssessmentReport, lang: ReportLang = 'zh-CN'): string {
  const [summary] = assessmentSheets(report, lang);
  const columns = [
    ...summary!.columns,
    ...ASSESSMENT_INDICATORS.flatMap((key) =>
      RAW[key].map((column) => {
        const heading = `${INDICATOR_NAMES[key][lang]}·${column.label[lang]}`;
        return { ...column, label: { 'zh-CN': heading, en: heading } };
      }),
    ),
  ];
  const lines = [
    columns.map((column) => csvCell(column.label[lang])).join(','),
    ...report.organisations.map((org) => columns.map((column) => csvCell(column.value(org))).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Writes the report to `path` in a format. */
export async function writeAssessmentReport(
  report: AssessmentReport,
  path: string,
  format: AssessmentFormat,
  options: { lang?: ReportLang } = {},
): Promise<void> {
  const lang = options.lang ?? 'zh-CN';
  await replaceFile(path, async (temporary) => {
    if (format === 'xlsx') return writeXlsx(report, temporary, lang);
    const body = format === 'csv' ? assessmentCsv(report, lang) : `${JSON.stringify(report, null, 2)}\n`;
    await writeFile(temporary, body, 'utf8');
  });
}

/**
 * The fix sheet of a problem ticket (`feedback pull`): one line per finding — ticket, problem id,
 * row number, key, item, original value, the problem, the suggested fix, an empty 更正值 column
 * to fill — then the original row's values. xlsx (bold frozen header, widths, text cells, the
 * 更正值 column highlighted) or CSV (UTF-8 with BOM, CRLF, for Excel and WPS). Every cell is
 * made inert for spreadsheets (see cells.ts). Streams: memory stays flat whatever the ticket size.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { replaceFile } from '../../core/atomic-file.js';
import type { CellValue, ProblemItem } from '../../client/data-types.js';
import { protectCell } from './cells.js';
import { CORRECTION_INDEX, FIX_SHEET_NAME, FIXED_HEADER, FIXED_WIDTHS, ITEM_WIDTH } from './columns.js';

export type FixSheetFormat = 'xlsx' | 'csv';

export interface FixSheetWriteOptions {
  /** The ticket the problems belong to: written on every line, so a sheet says where to send it. */
  ticket: string;
}

export interface FixSheetSummary {
  path: string;
  format: FixSheetFormat;
  problems: number;
  lines: number;
}

/** The format of a fix-sheet path: `.xlsx` or `.csv`. */
export function fixSheetFormatOf(path: string): FixSheetFormat {
  return extname(path).toLowerCase() === '.csv' ? 'csv' : 'xlsx';
}

function text(value: CellValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The key as people read it: `item=value` pairs, or the values in key order. */
export function keyText(key: ProblemItem['key']): string {
  if (key === undefined) return '';
  if (Array.isArray(key)) return key.join(' | ');
  return Object.entries(key)
    .map(([item, value]) => `${item}=${value}`)
    .join('; ');
}

/** The lines of one problem record: one per finding (one line when it has none). */
export function problemLines(ticket: string, problem: ProblemItem, header: readonly string[]): string[][] {
  const original = header.map((item) => text(problem.row[item]));
  const findings = problem.findings.length > 0 ? problem.findings : [undefined];
  return findings.map((finding) => {
    const item = finding?.item ?? finding?.column ?? '';
    const value = finding?.value ?? (item ? text(problem.row[item]) : '');
    const issue = finding ? `${finding.message}（${finding.code}）` : '';
    return [
      ticket,
      problem.id,
      problem.rowNumber === undefined ? '' : String(problem.rowNumber),
      keyText(problem.key),
      item,
      value,
      issue,
      finding?.fix ?? '',
      '',
      ...original,
    ].map(protectCell);
  });
}

interface LineSink {
  line(cells: string[]): Promise<void>;
  finish(): Promise<void>;
}

function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

async function csvSink(temporary: string): Promise<LineSink> {
  const handle = await open(temporary, 'wx');
  let buffer = '\uFEFF';
  const flush = async () => {
    await handle.write(buffer);
    buffer = '';
  };
  return {
    async line(cells) {
      buffer += `${cells.map(csvCell).join(',')}\r\n`;
      if (buffer.length > 1 << 16) await flush();
    },
    async finish() {
      try {
        await flush();
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

const HIGHLIGHT = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } as const;
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } } as const;

async function xlsxSink(temporary: string, header: readonly string[]): Promise<LineSink> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: temporary,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(FIX_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [...FIXED_HEADER, ...header].map((_, index) => ({
    width: FIXED_WIDTHS[index] ?? ITEM_WIDTH,
    style: { numFmt: '@' },
  }));
  let first = true;
  return {
    async line(cells) {
      const row = sheet.addRow(cells);
      if (first) {
        row.eachCell((cell) => {
          cell.font = { bold: true };
          cell.fill = HEADER_FILL;
        });
        first = false;
      }
      row.getCell(CORRECTION_INDEX + 1).fill = HIGHLIGHT;
      row.commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

/**
 * Writes a fix sheet for the problems of one ticket, atomically (temporary file, then rename).
 * `header` is the item names of the rows (the problems page's `header`).
 */
export async function writeFixSheet(
  problems: AsyncIterable<ProblemItem> | Iterable<ProblemItem>,
  header: readonly string[],
  path: string,
  format: FixSheetFormat,
  options: FixSheetWriteOptions,
): Promise<FixSheetSummary> {
  const summary: FixSheetSummary = { path, format, problems: 0, lines: 0 };
  await replaceFile(path, async (temporary) => {
    const sink = format === 'csv' ? await csvSink(temporary) : await xlsxSink(temporary, header);
    await sink.line([...FIXED_HEADER, ...header].map(protectCell));
    for await (const problem of problems) {
      summary.problems += 1;
      for (const line of problemLines(options.ticket, problem, header)) {
        await sink.line(line);
        summary.lines += 1;
      }
    }
    await sink.finish();
  });
  return summary;
}

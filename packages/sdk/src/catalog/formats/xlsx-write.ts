/**
 * Writing a catalog workbook with exceljs's streaming writer: sheet 目录 (frozen header row,
 * widths, text format for codes, dropdowns on enumeration columns), an optional 填写说明, and a
 * hidden 码表 holding the allowed values the dropdowns refer to.
 */
import ExcelJS from 'exceljs';
import { canonicalValues, codeTable } from '@minjiang/standards';
import type { CellValue } from './cell-values.js';
import { columnLetter, type ColumnChoices, type ColumnDef } from './columns.js';
import { replaceFile } from '../../core/atomic-file.js';
import { resourceRows, type Layout } from './tabular.js';
import { cellTooLarge, MAX_CELL_LENGTH } from './xlsx-stream.js';
import { stampZipEntries } from './xlsx-zip.js';

export const CATALOG_SHEET = '目录';
export const GUIDE_SHEET = '填写说明';
export const CODES_SHEET = '码表';
/** Dropdowns cover at least this many rows, so a department can add resources below ours. */
const VALIDATED_ROWS = 5000;

export interface WorkbookOptions {
  /** Stamped into the file (properties and zip entries), so equal input gives equal bytes. */
  date?: Date;
}

export interface CatalogWorkbook {
  layout: Layout;
  resources: readonly unknown[];
  /** Merge each resource's own columns over its rows (national template). */
  merge: boolean;
  /** Rows of the 填写说明 sheet, when there is one. */
  guide?: CellValue[][];
  date: Date;
}

/** One column of 码表: the allowed values of an enumeration, canonical form first. */
export interface Enumeration {
  title: string;
  values: string[];
  letter: string;
}

/** The enumerations a layout's columns use, one 码表 column each, in column order. */
export function enumerations(columns: readonly ColumnDef[]): Map<string, Enumeration> {
  const found = new Map<string, Enumeration>();
  const keyOf = (choices: ColumnChoices) => ('table' in choices ? choices.table : choices.title);
  for (const { choices } of columns) {
    if (!choices || found.has(keyOf(choices))) continue;
    const [title, values] =
      'table' in choices
        ? [codeTable(choices.table).title, canonicalValues(choices.table)]
        : [choices.title, [...choices.values]];
    found.set(keyOf(choices), { title, values, letter: columnLetter(found.size) });
  }
  return found;
}

export function choicesKey(choices: ColumnChoices): string {
  return 'table' in choices ? choices.table : choices.title;
}

interface SheetWriter {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
  // exceljs's merge check compares each merge with every earlier one; ours never overlap, and
  // at 10,000 resources that check alone takes minutes, so merges are recorded directly.
  _merges: string[];
}

function writeHeader(sheet: ExcelJS.Worksheet, columns: readonly ColumnDef[]): void {
  const row = sheet.getRow(1);
  columns.forEach((column, index) => {
    const cell = row.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true, color: { argb: column.required ? 'FFC00000' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  row.height = 30;
  row.commit();
}

function writeRow(sheet: ExcelJS.Worksheet, number: number, cells: CellValue[]): void {
  const row = sheet.getRow(number);
  cells.forEach((value, index) => {
    if (value === undefined) return;
    const cell = row.getCell(index + 1);
    cell.value = value;
    // Columns are formatted as text so typed codes keep their zeros; numbers stay numbers.
    if (typeof value === 'number') cell.numFmt = 'General';
  });
  row.commit();
}

function addDropdowns(sheet: ExcelJS.Worksheet, columns: readonly ColumnDef[], lastRow: number): void {
  const lists = enumerations(columns);
  columns.forEach((column, index) => {
    const list = column.choices ? lists.get(choicesKey(column.choices)) : undefined;
    if (!list) return;
    const letter = columnLetter(index);
    (sheet as unknown as SheetWriter).dataValidations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'${CODES_SHEET}'!$${list.letter}$2:$${list.letter}$${list.values.length + 1}`],
      showErrorMessage: true,
      // A list column takes several values (数据库、接口): warn instead of refusing them.
      errorStyle: column.kind === 'list' ? 'warning' : 'stop',
      errorTitle: column.header,
      error: `请从下拉列表中选择：${list.values.join('、')}`,
    });
  });
}

function writeCatalogSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, plan: CatalogWorkbook): void {
  const { columns } = plan.layout;
  const sheet = workbook.addWorksheet(CATALOG_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  columns.forEach((column, index) => {
    const target = sheet.getColumn(index + 1);
    target.width = column.width ?? 14;
    if (column.kind !== 'integer' && column.kind !== 'number') target.numFmt = '@';
  });
  writeHeader(sheet, columns);
  let next = 2;
  plan.resources.forEach((resource, resourceIndex) => {
    const rows = resourceRows(plan.layout, resource, resourceIndex);
    const first = next;
    for (const { cells } of rows) {
      writeRow(sheet, next, cells);
      next += 1;
    }
    if (plan.merge && rows.length > 1) {
      columns.forEach((column, index) => {
        if (column.scope !== 'resource') return;
        const letter = columnLetter(index);
        (sheet as unknown as SheetWriter)._merges.push(`${letter}${first}:${letter}${next - 1}`);
      });
    }
  });
  addDropdowns(sheet, columns, Math.max(VALIDATED_ROWS, next + 1000));
  sheet.commit();
}

/** Refuses a value longer than a cell can hold before anything is written. */
function checkSizes(plan: CatalogWorkbook, path: string): void {
  let row = 2;
  plan.resources.forEach((resource, resourceIndex) => {
    for (const { cells } of resourceRows(plan.layout, resource, resourceIndex)) {
      const index = cells.findIndex((value) => typeof value === 'string' && value.length > MAX_CELL_LENGTH);
      if (index >= 0) throw cellTooLarge(path, CATALOG_SHEET, row, index, String(cells[index]).length);
      row += 1;
    }
  });
}

function writeGuideSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, rows: CellValue[][]): void {
  const sheet = workbook.addWorksheet(GUIDE_SHEET);
  [10, 22, 26, 10, 8, 48, 40, 28].forEach((width, index) => (sheet.getColumn(index + 1).width = width));
  rows.forEach((cells, index) => {
    const row = sheet.getRow(index + 1);
    cells.forEach((value, column) => {
      if (value === undefined) return;
      const cell = row.getCell(column + 1);
      cell.value = value;
      cell.alignment = { vertical: 'top', wrapText: true };
      if (index === 0) cell.font = { bold: true, size: 14 };
    });
    row.commit();
  });
  sheet.commit();
}

function writeCodesSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, columns: readonly ColumnDef[]): void {
  const sheet = workbook.addWorksheet(CODES_SHEET, { state: 'hidden' });
  const lists = [...enumerations(columns).values()];
  const height = Math.max(0, ...lists.map((list) => list.values.length));
  for (let index = 0; index <= height; index += 1) {
    const row = sheet.getRow(index + 1);
    lists.forEach((list, column) => {
      const value = index === 0 ? list.title : list.values[index - 1];
      if (value !== undefined) row.getCell(column + 1).value = value;
    });
    row.commit();
  }
  sheet.commit();
}

/**
 * Writes a catalog workbook atomically. Refuses, before writing anything, a value longer than an
 * Excel cell can hold (CELL-TOO-LARGE).
 */
export async function writeCatalogWorkbook(path: string, plan: CatalogWorkbook): Promise<void> {
  checkSizes(plan, path);
  await replaceFile(path, async (temporary) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: temporary,
      useStyles: true,
      useSharedStrings: true,
    });
    Object.assign(workbook, {
      creator: 'Minjiang',
      lastModifiedBy: 'Minjiang',
      created: plan.date,
      modified: plan.date,
    });
    writeCatalogSheet(workbook, plan);
    if (plan.guide) writeGuideSheet(workbook, plan.guide);
    writeCodesSheet(workbook, plan.layout.columns);
    await workbook.commit();
    await stampZipEntries(temporary, plan.date);
  });
}

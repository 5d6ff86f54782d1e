/**
 * Write-back into a catalog workbook: the workbook is opened whole (exceljs, not streaming), the
 * changed cells are set in place, so formatting, merges, dropdowns and the other sheets stay, and
 * the file is replaced atomically.
 */
import ExcelJS from 'exceljs';
import { columnLetter } from './columns.js';
import { replaceFile } from '../../core/atomic-file.js';
import type { TabularIndex } from './locator.js';
import type { CellEdit } from './write-back.js';
import { cellTooLarge, MAX_CELL_LENGTH } from './xlsx-stream.js';
import { checkXlsxArchive, corruptXlsx } from './xlsx-zip.js';

type Validations = Record<string, ExcelJS.DataValidation | undefined>;

/** `B2:B5000`-style ranges covering a set of addresses, one run of rows per column. */
function ranges(addresses: string[]): string[] {
  const rowsByColumn = new Map<string, number[]>();
  for (const address of addresses) {
    const match = /^([A-Z]+)(\d+)$/u.exec(address);
    if (!match) continue;
    const rows = rowsByColumn.get(match[1] as string) ?? [];
    rows.push(Number(match[2]));
    rowsByColumn.set(match[1] as string, rows);
  }
  const result: string[] = [];
  for (const [column, rows] of rowsByColumn) {
    rows.sort((a, b) => a - b);
    let start = rows[0] as number;
    rows.forEach((row, index) => {
      const next = rows[index + 1];
      if (next === row + 1) return;
      result.push(start === row ? `${column}${row}` : `${column}${start}:${column}${row}`);
      if (next !== undefined) start = next;
    });
  }
  return result;
}

/**
 * exceljs reads a validated range as one entry per cell, and writes them back as overlapping
 * ranges that Excel reports as damaged: put the ranges back together before saving.
 */
function compactValidations(sheet: ExcelJS.Worksheet): void {
  const holder = sheet as unknown as { dataValidations: { model: Validations } };
  const byValidation = new Map<ExcelJS.DataValidation, string[]>();
  for (const [address, validation] of Object.entries(holder.dataValidations.model)) {
    if (!validation) continue;
    const addresses = byValidation.get(validation) ?? [];
    addresses.push(address);
    byValidation.set(validation, addresses);
  }
  const compact: Validations = {};
  for (const [validation, addresses] of byValidation) {
    for (const range of ranges(addresses)) compact[range] = validation;
  }
  holder.dataValidations.model = compact;
}

/** Sets the edited cells of a workbook in place and saves it atomically. */
export async function writeBackXlsx(index: TabularIndex, edits: CellEdit[]): Promise<void> {
  const { file, sheet: sheetName = '' } = index.place;
  for (const edit of edits) {
    if (typeof edit.value === 'string' && edit.value.length > MAX_CELL_LENGTH) {
      throw cellTooLarge(file, sheetName, edit.row, edit.column, edit.value.length);
    }
  }
  await checkXlsxArchive(file);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw corruptXlsx(file, '无法打开工作簿', error);
  }
  const sheet = workbook.getWorksheet(sheetName);
  if (!sheet) throw corruptXlsx(file, `找不到工作表“${sheetName}”`);
  for (const edit of edits) {
    const cell = sheet.getCell(`${columnLetter(edit.column)}${edit.row}`);
    cell.value = edit.value ?? null;
    // Styles may be shared between cells: give this cell its own copy before changing it.
    if (typeof edit.value === 'number' && cell.numFmt === '@')
      cell.style = { ...cell.style, numFmt: 'General' };
  }
  compactValidations(sheet);
  await replaceFile(file, (temporary) => workbook.xlsx.writeFile(temporary));
}

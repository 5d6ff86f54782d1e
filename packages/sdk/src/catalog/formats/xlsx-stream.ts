/**
 * Streaming xlsx reading with exceljs's WorkbookReader: rows are handed over as they are parsed,
 * so a national workbook of 10,000 resources is read without building the whole workbook.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { FileFormatError } from '../../core/errors.js';
import type { CellValue } from './cell-values.js';
import { columnLetter } from './columns.js';
import type { TabularRow } from './tabular.js';
import { corruptXlsx } from './xlsx-zip.js';

/** Excel's own limit on the characters of one cell. */
export const MAX_CELL_LENGTH = 32_767;
/** How far down a sheet the header row is looked for (title rows may sit above it). */
const HEADER_SEARCH_ROWS = 10;
/** Sheets of our own template that never hold the catalog. */
const SKIPPED_SHEETS = new Set(['填写说明', '码表']);

interface ExcelRichValue {
  richText?: { text?: string }[];
  text?: unknown;
  result?: unknown;
  formula?: unknown;
  sharedFormula?: unknown;
  error?: unknown;
}

/** An exceljs cell value reduced to text, number, boolean or date: formulas give their result. */
export function toCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const rich = value as ExcelRichValue;
    if (Array.isArray(rich.richText)) return rich.richText.map((run) => run.text ?? '').join('');
    if ('result' in rich || rich.formula !== undefined || rich.sharedFormula !== undefined) {
      return toCellValue(rich.result);
    }
    if (rich.text !== undefined) return toCellValue(rich.text);
    if (typeof rich.error === 'string') return rich.error;
  }
  // Nothing exceljs produces reaches here; keep whatever it is visible rather than lose it.
  return typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? '');
}

export function cellTooLarge(file: string, sheet: string, row: number, index: number, length: number) {
  const cell = `${columnLetter(index)}${row}`;
  return new FileFormatError(
    'CELL-TOO-LARGE',
    `${sheet}!${cell} 有 ${length} 个字符，超过 Excel 单元格上限 ${MAX_CELL_LENGTH}`,
    {
      location: `${file} ${sheet}!${cell}`,
      hint: '单元格内容过长：摘要等长文本请精简；若是误粘贴的大段内容，请删除后重新保存。',
    },
  );
}

function rowCells(values: unknown, file: string, sheet: string, row: number): CellValue[] {
  // exceljs puts column A at index 1.
  const cells = (Array.isArray(values) ? (values as unknown[]).slice(1) : []).map(toCellValue);
  cells.forEach((cell, index) => {
    if (typeof cell === 'string' && cell.length > MAX_CELL_LENGTH) {
      throw cellTooLarge(file, sheet, row, index, cell.length);
    }
  });
  return cells;
}

interface SheetReader {
  name: string;
  state?: string;
  [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: unknown }>;
}

async function* sheetRows(sheet: SheetReader, file: string): AsyncGenerator<TabularRow> {
  for await (const row of sheet) {
    yield { row: row.number, cells: rowCells(row.values, file, sheet.name, row.number) };
  }
}

async function* rest(iterator: AsyncIterator<TabularRow>): AsyncGenerator<TabularRow> {
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}

/** Text of a stream of UTF-8 chunks, never splitting a character between two pieces. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
  _parseSharedStrings(entry: Readable): unknown;
  _parseWorkbook(entry: Readable): unknown;
}

/**
 * exceljs 4.4 decodes each chunk of a zip entry on its own, so a Chinese character split between
 * two chunks becomes "���". This reader gets whole characters: sheets through a stateful decoder,
 * shared strings and the workbook (sheet names) as text streams. Returns the sheets' own input
 * streams (temporary files, for sheets stored before the shared strings), to be closed at the end
 * whether they were read or not.
 */
function decodeWholeCharacters(reader: ExcelJS.stream.xlsx.WorkbookReader): unknown[] {
  const internals = reader as unknown as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  const parseWorkbook = internals._parseWorkbook.bind(reader);
  const inputs: unknown[] = [];
  internals._parseWorksheet = (iterator, sheetNo) => {
    // exceljs deletes a sheet's temporary file once the sheet is passed over, maybe before the
    // stream it opened on it has opened: that error concerns a sheet nobody reads. Read sheets
    // still get their errors through iteration.
    (iterator as Partial<Readable>).on?.('error', () => undefined);
    inputs.push(iterator);
    return parseWorksheet(utf8Text(iterator), sheetNo);
  };
  internals._parseSharedStrings = (entry) => parseSharedStrings(entry.setEncoding('utf8'));
  internals._parseWorkbook = (entry) => parseWorkbook(entry.setEncoding('utf8'));
  return inputs;
}

function close(input: unknown): void {
  const stream = input as Partial<Readable> | undefined;
  if (typeof stream?.destroy === 'function') stream.destroy();
}

export interface HeaderFound<T> {
  sheet: string;
  match: T;
  header: TabularRow;
  rows: AsyncIterable<TabularRow>;
}

/** Looks for the header row in the first rows of a sheet; hands over the rest of the sheet. */
async function findHeader<T>(
  sheet: SheetReader,
  file: string,
  pick: (cells: CellValue[]) => T | undefined,
): Promise<HeaderFound<T> | undefined> {
  const iterator = sheetRows(sheet, file)[Symbol.asyncIterator]();
  for (let seen = 0; seen < HEADER_SEARCH_ROWS; seen += 1) {
    const next = await iterator.next();
    if (next.done) return undefined;
    const match = pick(next.value.cells);
    if (match !== undefined) return { sheet: sheet.name, match, header: next.value, rows: rest(iterator) };
  }
  return undefined;
}

/**
 * Streams the first visible sheet that has a header row `pick` recognises and gives its rows to
 * `consume`. Throws XLSX-NO-HEADER when no sheet has one and XLSX-CORRUPT when exceljs cannot
 * parse the workbook; the zip container must have been checked before (xlsx-zip.ts).
 */
export async function streamCatalogSheet<T, R>(
  path: string,
  pick: (cells: CellValue[]) => T | undefined,
  consume: (found: HeaderFound<T>) => Promise<R>,
): Promise<R> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell date cells from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const inputs = decodeWholeCharacters(reader);
  let result: { value: R } | undefined;
  try {
    // The loop runs to its end even after the catalog sheet, so exceljs deletes its temporary files.
    for await (const worksheet of reader) {
      const sheet = worksheet as unknown as SheetReader;
      const hidden = sheet.state !== undefined && sheet.state !== 'visible';
      if (result || hidden || SKIPPED_SHEETS.has(sheet.name)) {
        close(inputs.at(-1));
        continue;
      }
      const found = await findHeader(sheet, path, pick);
      if (found) result = { value: await consume(found) };
    }
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw corruptXlsx(path, '工作表内容无法解析', error);
  } finally {
    inputs.forEach(close);
    close((reader as unknown as { stream?: Readable }).stream);
  }
  if (result) return result.value;
  throw new FileFormatError('XLSX-NO-HEADER', `${path} 中没有找到目录的表头行`, {
    location: path,
    hint: '目录表的前 10 行中应有一行表头，至少包含“信息资源代码”或“信息资源名称”以及其他两列，如“信息项名称”“数据类型”。可用 `minjiang catalog template` 生成模板。',
  });
}

/**
 * The catalog as CSV: the columns of the Minjiang template (a national header is recognised
 * too), one row per information item, in UTF-8, GBK or GB18030. Lines are the rows of locations.
 */
import { open } from 'node:fs/promises';
import type { CatalogFile } from '../catalog-file.js';
import type { LoadedCatalog, ReadCatalogOptions } from '../source.js';
import { FileFormatError } from '../../core/errors.js';
import { isoDay, type CellValue } from './cell-values.js';
import { readCsvRows, writeCsvRows } from './csv-rows.js';
import { detectLayout } from './layouts.js';
import { tabularCatalog, type TabularIndex } from './locator.js';
import { MINJIANG_LAYOUT } from './minjiang-columns.js';
import { bindHeader, CatalogRowReader, resourceRows, warningSink } from './tabular.js';
import { normaliseEncoding } from './text-encoding.js';
import type { CellEdit } from './write-back.js';
import { fileStamp } from './xlsx-read.js';
import { MAX_CELL_LENGTH } from './xlsx-stream.js';

export interface CsvCatalogWriteOptions {
  /** `utf-8` (default), `gbk` or `gb18030`. */
  encoding?: string;
  /** UTF-8 byte order mark, so Excel opens the file as UTF-8; true by default. */
  bom?: boolean;
}

/** CSV keeps text: numbers and dates are written as Excel would show them. */
function csvText(value: CellValue): string {
  if (value === undefined) return '';
  return value instanceof Date ? isoDay(value) : String(value);
}

function checkLength(text: string, path: string, line: number, column: number): void {
  if (text.length <= MAX_CELL_LENGTH) return;
  throw new FileFormatError(
    'CELL-TOO-LARGE',
    `第 ${line} 行第 ${column + 1} 列有 ${text.length} 个字符，超过上限 ${MAX_CELL_LENGTH}`,
    {
      location: `${path}:${line}`,
      hint: '单元格内容过长（Excel 最多 32767 个字符）：请精简该值。',
    },
  );
}

/** Reads a catalog kept as CSV; values are kept as typed (see cell-values.ts). */
export async function readCatalogCsv(path: string, options: ReadCatalogOptions = {}): Promise<LoadedCatalog> {
  const stamp = await fileStamp(path);
  const csv = await readCsvRows(path, options.encoding === undefined ? {} : { encoding: options.encoding });
  const layout = detectLayout(csv.header);
  if (!layout) {
    throw new FileFormatError('CSV-NO-HEADER', `${path} 的第一行不是目录表头`, {
      location: `${path}:1`,
      hint: '第一行应为列名，至少包含“信息资源代码”或“信息资源名称”以及其他两列。可用 `minjiang catalog template` 生成模板后另存为 CSV。',
    });
  }
  const place = { file: path, text: true };
  const sink = warningSink(place);
  const header = { row: 1, cells: csv.header };
  const binding = bindHeader(layout, header, sink);
  const reader = new CatalogRowReader(layout, binding, sink);
  for (const row of csv.rows) reader.push({ row: row.line, cells: row.cells });
  reader.finish();
  const index: TabularIndex = {
    place,
    layout,
    headerRow: 1,
    binding,
    groups: reader.groups,
    stamp,
    encoding: csv.encoding,
  };
  return tabularCatalog({
    format: 'csv',
    path,
    resources: reader.resources,
    index,
    warnings: sink.warnings,
    encoding: csv.encoding,
  });
}

/** Writes a catalog as CSV with the Minjiang template's columns, replacing the file atomically. */
export async function writeCatalogCsv(
  path: string,
  catalog: CatalogFile,
  options: CsvCatalogWriteOptions = {},
): Promise<void> {
  const rows = [MINJIANG_LAYOUT.columns.map((column) => column.header)];
  catalog.resources.forEach((resource, resourceIndex) => {
    for (const { cells } of resourceRows(MINJIANG_LAYOUT, resource, resourceIndex)) {
      const texts = cells.map(csvText);
      texts.forEach((text, column) => checkLength(text, path, rows.length + 1, column));
      rows.push(texts);
    }
  });
  const encoding = normaliseEncoding(options.encoding ?? 'utf-8', path);
  await writeCsvRows(path, rows, { encoding, bom: options.bom ?? true });
}

async function startsWithBom(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    return bytesRead === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    await handle.close();
  }
}

/** Sets the edited cells of a CSV catalog, keeping its encoding, delimiter and byte order mark. */
export async function writeBackCsv(index: TabularIndex, edits: CellEdit[]): Promise<void> {
  const path = index.place.file;
  const csv = await readCsvRows(path, index.encoding === undefined ? {} : { encoding: index.encoding });
  const rowOfLine = new Map(csv.rows.map((row, position) => [row.line, position]));
  const rows = csv.rows.map((row) => [...row.cells]);
  for (const edit of edits) {
    const cells = rows[rowOfLine.get(edit.row) ?? -1];
    if (!cells)
      throw new FileFormatError('FILE-CHANGED', `${path} 第 ${edit.row} 行已不存在`, { location: path });
    const text = csvText(edit.value);
    checkLength(text, path, edit.row, edit.column);
    cells[edit.column] = text;
  }
  const bom = await startsWithBom(path);
  await writeCsvRows(path, [csv.header, ...rows], { encoding: csv.encoding, bom, delimiter: csv.delimiter });
}

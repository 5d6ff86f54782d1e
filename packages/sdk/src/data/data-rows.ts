/**
 * Rows of a data file, whatever its format, as strings in header order: what the validator
 * consumes. Every reader streams, so memory stays flat whatever the file size.
 */
import { extname } from 'node:path';
import { FileFormatError } from '../core/errors.js';
import { openCsvRows } from './data-csv.js';
import { openJsonlRows } from './data-jsonl.js';
import { openXlsxRows } from './data-xlsx.js';

export type DataFormat = 'csv' | 'jsonl' | 'xlsx';

/** One data row. */
export interface DataRow {
  /** 1-based data row; the header and blank rows are not counted. */
  row: number;
  /** Where the row starts: the physical line (CSV, JSON Lines) or the sheet row (xlsx). */
  line?: number;
  /** Cell texts in header order; '' for an empty cell. */
  values: string[];
}

export interface DataRowSource {
  file: string;
  format: DataFormat;
  /** The text encoding, for CSV and JSON Lines. */
  encoding?: string;
  /** Header cells as written (trimmed): column titles, or the keys of JSON Lines. */
  header: string[];
  /** Can be iterated once; iterating to the end (or breaking out) releases the file. */
  rows: AsyncIterable<DataRow>;
  /**
   * The same rows in the groups they were read in, when the reader has them (CSV): one await a
   * group instead of one a row, for loops over millions of rows. Iterate `rows` or `batches`,
   * not both.
   */
  batches?: AsyncIterable<DataRow[]>;
  /** Releases the file when the rows will not be iterated. */
  close(): void;
}

export interface ReadDataOptions {
  /** For CSV: `utf-8`, `gbk`, `gb18030` (also `utf8`, `cp936` …); detected when absent. */
  encoding?: string;
  /** Taken from the file extension when absent (.csv/.txt, .jsonl/.ndjson, .xlsx). */
  format?: DataFormat;
}

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.xlsx': 'xlsx',
};

export function dataFormatOf(path: string): DataFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (format) return format;
  throw new FileFormatError('DATA-FORMAT', `无法从扩展名判断数据文件 ${path} 的格式`, {
    location: path,
    hint: '数据文件应为 .csv、.jsonl（每行一个 JSON 对象）或 .xlsx；扩展名不同时请指定格式。',
  });
}

/** Opens a data file: the header is read at once, the rows stream on iteration. */
export async function readDataRows(path: string, options: ReadDataOptions = {}): Promise<DataRowSource> {
  const format = options.format ?? dataFormatOf(path);
  if (format === 'csv') return openCsvRows(path, options.encoding);
  if (format === 'jsonl') return openJsonlRows(path);
  return openXlsxRows(path);
}

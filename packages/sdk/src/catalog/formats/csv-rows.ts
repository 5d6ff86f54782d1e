/**
 * CSV as data officers produce it: Excel's "CSV" (GBK on Chinese Windows), "CSV UTF-8" (with a
 * BOM), or a script's UTF-8; comma-separated, or `;`/tab from some locales and tools. Every cell
 * stays a string, so codes such as `0591` keep their leading zeros.
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { FileFormatError } from '../../core/errors.js';
import { MiB, readFileLimited, writeFileAtomic } from './text-io.js';
import {
  decodeAs,
  detectEncoding,
  firstUndecodableLine,
  firstUtf8ChineseLine,
  gbVariant,
  mixedEncodingError,
  normaliseEncoding,
  type TextEncoding,
} from './text-encoding.js';
import { parseCsv, type CsvRecord } from './text-csv-parse.js';

/** Excel's limit on the characters of one cell. */
export const EXCEL_MAX_CELL_LENGTH = 32_767;
const MAX_CSV_BYTES = 256 * MiB;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// Checks encodability against the decoder the reader uses: it differs from iconv-lite on a few
// private-use code points that GB18030-2022 remapped.
const gbDecoder = new TextDecoder('gb18030');

export interface CsvReadOptions {
  /** `utf-8`, `gbk` or `gb18030` (also `utf8`, `cp936` …); detected when absent. */
  encoding?: string;
  /** Longest cell accepted, in UTF-16 code units; Excel's 32,767 by default. */
  maxCellLength?: number;
  /** Largest file accepted; 256 MiB by default. */
  maxBytes?: number;
}

export interface CsvRows {
  encoding: TextEncoding;
  delimiter: string;
  header: string[];
  /** `line` is the 1-based physical line where the record starts. */
  rows: { line: number; cells: string[] }[];
}

export interface CsvWriteOptions {
  encoding: TextEncoding;
  /** Byte order mark for UTF-8, so Excel does not read the file as GBK; true by default. */
  bom?: boolean;
  delimiter?: string;
}

function mismatch(file: string, line: number, given: TextEncoding, message: string): FileFormatError {
  const other = given === 'utf-8' ? 'gbk' : 'utf-8';
  return new FileFormatError('CSV-ENCODING-MISMATCH', message, {
    location: `${file}:${line}`,
    hint: `文件不是 ${given.toUpperCase()} 编码。去掉 --encoding 让程序自动识别，或改用 --encoding ${other}。`,
  });
}

/** An explicit encoding is honoured only where it cannot silently garble the text. */
function decodeGiven(body: Uint8Array, hasBom: boolean, given: TextEncoding, file: string) {
  if (given !== 'utf-8') {
    const utf8Line = hasBom ? 1 : firstUtf8ChineseLine(body);
    if (utf8Line !== undefined) {
      const message = `文件${hasBom ? '带有 UTF-8 字节顺序标记' : `第 ${utf8Line} 行是 UTF-8 编码的中文`}，按 ${given.toUpperCase()} 读取会成为乱码`;
      throw mismatch(file, utf8Line, given, message);
    }
  }
  const text = decodeAs(body, given);
  if (text === undefined) {
    const line = firstUndecodableLine(body, given);
    throw mismatch(file, line, given, `按指定的编码 ${given.toUpperCase()} 无法读取第 ${line} 行`);
  }
  return { text, encoding: given === 'utf-8' ? given : gbVariant(body) };
}

function decodeCsv(raw: Buffer, file: string, override?: string): { text: string; encoding: TextEncoding } {
  if ((raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff)) {
    throw new FileFormatError(
      'CSV-ENCODING-UNSUPPORTED',
      `${file} 是 UTF-16 编码（Excel 的“Unicode 文本”）`,
      {
        location: file,
        hint: '请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”。',
      },
    );
  }
  const hasBom = raw.subarray(0, 3).equals(UTF8_BOM);
  const body = hasBom ? raw.subarray(3) : raw;
  if (override !== undefined) return decodeGiven(body, hasBom, normaliseEncoding(override, file), file);
  if (hasBom) {
    const text = decodeAs(body, 'utf-8');
    if (text === undefined)
      throw mixedEncodingError(file, firstUndecodableLine(body, 'utf-8'), 'utf-8', 'gb');
    return { text, encoding: 'utf-8' };
  }
  const encoding = detectEncoding(body, file);
  return { text: decodeAs(body, encoding) ?? '', encoding };
}

/** `;` or tab when the header line uses it more than commas, else `,`. */
export function detectDelimiter(text: string): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text.slice(0, 64 * 1024)) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const commas = counts.get(',') ?? 0;
  const [best, most] = [...counts].filter(([char]) => char !== ',').sort((a, b) => b[1] - a[1])[0] ?? [
    ',',
    0,
  ];
  return most > commas ? best : ',';
}

function checkCells(record: CsvRecord, header: string[], file: string, maxCellLength: number): void {
  record.cells.forEach((cell, index) => {
    if (cell.length <= maxCellLength) return;
    const start = record.starts[index] ?? { line: record.line, column: 1 };
    const title = header[index] ? `（${header[index]}）` : '';
    throw new FileFormatError(
      'CELL-TOO-LARGE',
      `第 ${start.line} 行第 ${index + 1} 列${title}有 ${cell.length} 个字符，超过上限 ${maxCellLength}`,
      {
        location: `${file}:${start.line}:${start.column}`,
        hint: '单元格内容过长（Excel 最多 32767 个字符），常见原因是引号未闭合把后面的行并进了一个单元格。',
      },
    );
  });
}

function fitToHeader(record: CsvRecord, header: string[], file: string): string[] {
  const cells = record.cells;
  if (cells.length <= header.length)
    return [...cells, ...Array<string>(header.length - cells.length).fill('')];
  // Some tools end every line with a delimiter; empty cells past the header carry nothing.
  if (cells.slice(header.length).every((cell) => cell === '')) return cells.slice(0, header.length);
  const start = record.starts[header.length] ?? { line: record.line, column: 1 };
  throw new FileFormatError(
    'CSV-COLUMNS',
    `第 ${record.line} 行有 ${cells.length} 列，而表头只有 ${header.length} 列`,
    {
      location: `${file}:${start.line}:${start.column}`,
      hint: '检查该行是否多了分隔符：含逗号的内容要用英文双引号括起来，或者补上缺少的表头。',
    },
  );
}

/**
 * Reads a CSV file into a header and string rows. Empty lines and rows whose cells are all empty
 * (Excel writes `,,,` for formatted blank rows) are skipped; short rows are padded with ''.
 */
export async function readCsvRows(path: string, options: CsvReadOptions = {}): Promise<CsvRows> {
  const raw = await readFileLimited(path, options.maxBytes ?? MAX_CSV_BYTES);
  const { text, encoding } = decodeCsv(raw, path, options.encoding);
  const delimiter = detectDelimiter(text);
  const maxCellLength = options.maxCellLength ?? EXCEL_MAX_CELL_LENGTH;
  const records = parseCsv(text, delimiter, path).filter((record) =>
    record.cells.some((cell) => cell !== ''),
  );
  const [first, ...rest] = records;
  if (!first) return { encoding, delimiter, header: [], rows: [] };
  checkCells(first, [], path, maxCellLength);
  const header = first.cells.map((cell) => cell.trim());
  const rows = rest.map((record) => {
    checkCells(record, header, path, maxCellLength);
    return { line: record.line, cells: fitToHeader(record, header, path) };
  });
  return { encoding, delimiter, header, rows };
}

function quoteCell(cell: string, delimiter: string): string {
  const needsQuotes = cell.includes(delimiter) || /["\r\n]/.test(cell) || /^\s|\s$/.test(cell);
  return needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function checkEncodable(rows: string[][], encoding: 'gbk' | 'gb18030', file: string): void {
  rows.forEach((row, rowIndex) => {
    row.forEach((cell, columnIndex) => {
      const roundTrips = (text: string): boolean => gbDecoder.decode(iconv.encode(text, encoding)) === text;
      if (roundTrips(cell)) return;
      const bad = [...cell].find((char) => !roundTrips(char));
      throw new FileFormatError(
        'CSV-UNENCODABLE',
        `第 ${rowIndex + 1} 行第 ${columnIndex + 1} 列的字符“${bad ?? '?'}”无法用 ${encoding.toUpperCase()} 表示`,
        {
          location: `${file}:${rowIndex + 1}`,
          hint: '改用 UTF-8（推荐）或 GB18030 编码保存；GBK 不含部分生僻字和扩展区汉字。',
        },
      );
    });
  });
}

/**
 * Writes rows as CSV the way Excel does: CRLF line ends, quotes only where needed, UTF-8 with a
 * BOM by default. The file is replaced atomically; nothing is written if a cell cannot be encoded.
 */
export async function writeCsvRows(path: string, rows: string[][], options: CsvWriteOptions): Promise<void> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new FileFormatError('CSV-DELIMITER', `不能用“${delimiter}”作 CSV 分隔符`, {
      location: path,
      hint: '分隔符应为一个字符，如逗号、分号或制表符。',
    });
  }
  const text = rows
    .map((row) => row.map((cell) => quoteCell(cell, delimiter)).join(delimiter) + '\r\n')
    .join('');
  if (options.encoding !== 'utf-8') {
    checkEncodable(rows, options.encoding, path);
    return writeFileAtomic(path, iconv.encode(text, options.encoding));
  }
  const body = Buffer.from(text, 'utf8');
  return writeFileAtomic(path, options.bom === false ? body : Buffer.concat([UTF8_BOM, body]));
}

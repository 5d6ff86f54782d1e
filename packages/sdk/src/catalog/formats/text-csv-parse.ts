/**
 * An RFC 4180 CSV parser that keeps positions: each record's first physical line and where each
 * cell starts, so an error can name the line a data officer must edit. CRLF, LF and a lone CR all
 * end a line; a quoted cell may span lines and doubles its quotes.
 */
import { FileFormatError } from '../../core/errors.js';

/** Where a cell starts: 1-based physical line and column (UTF-16 code units). */
export interface CellStart {
  line: number;
  column: number;
}

export interface CsvRecord {
  line: number;
  cells: string[];
  starts: CellStart[];
}

interface Cursor {
  text: string;
  index: number;
  line: number;
  lineStart: number;
}

function parseError(file: string, at: CellStart, message: string, hint: string): FileFormatError {
  return new FileFormatError('CSV-PARSE', message, { location: `${file}:${at.line}:${at.column}`, hint });
}

function here(cursor: Cursor): CellStart {
  return { line: cursor.line, column: cursor.index - cursor.lineStart + 1 };
}

/** Moves past `end`, counting the line breaks inside a quoted cell. */
function advanceOver(cursor: Cursor, end: number): void {
  const { text } = cursor;
  for (let i = cursor.index; i < end; i += 1) {
    const char = text[i];
    if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) {
      cursor.line += 1;
      cursor.lineStart = i + 1;
    }
  }
  cursor.index = end;
}

function quotedCell(cursor: Cursor, delimiter: string, file: string): string {
  const start = here(cursor);
  const { text } = cursor;
  let value = '';
  cursor.index += 1;
  for (;;) {
    const quote = text.indexOf('"', cursor.index);
    if (quote === -1) {
      throw parseError(
        file,
        start,
        `第 ${start.line} 行第 ${start.column} 个字符处的引号一直没有闭合`,
        '以英文双引号开头的单元格必须以双引号结束；单元格内的双引号要写成两个（""）。',
      );
    }
    value += text.slice(cursor.index, quote);
    advanceOver(cursor, quote + 1);
    if (text[cursor.index] !== '"') break;
    value += '"';
    cursor.index += 1;
  }
  const next = text[cursor.index];
  if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
    const at = here(cursor);
    throw parseError(
      file,
      at,
      `第 ${at.line} 行第 ${at.column} 个字符：右引号后面紧跟着“${next}”`,
      '单元格内的双引号要写成两个（""），或者在右引号后加上分隔符。',
    );
  }
  return value;
}

function plainCell(cursor: Cursor, pattern: RegExp): string {
  pattern.lastIndex = cursor.index;
  const match = pattern.exec(cursor.text);
  const value = match?.[0] ?? '';
  cursor.index += value.length;
  return value;
}

function endLine(cursor: Cursor): void {
  // The cursor is on a CR or an LF: a cell ends only there, at a delimiter or at the end.
  const isCr = cursor.text[cursor.index] === '\r';
  cursor.index += isCr && cursor.text[cursor.index + 1] === '\n' ? 2 : 1;
  cursor.line += 1;
  cursor.lineStart = cursor.index;
}

function parseRecord(cursor: Cursor, delimiter: string, plain: RegExp, file: string): CsvRecord {
  const record: CsvRecord = { line: cursor.line, cells: [], starts: [] };
  for (;;) {
    record.starts.push(here(cursor));
    const quoted = cursor.text[cursor.index] === '"';
    record.cells.push(quoted ? quotedCell(cursor, delimiter, file) : plainCell(cursor, plain));
    if (cursor.text[cursor.index] !== delimiter) break;
    cursor.index += 1;
  }
  if (cursor.index < cursor.text.length) endLine(cursor);
  return record;
}

/** Parses CSV text into records; a trailing line break does not start a record. */
export function parseCsv(text: string, delimiter: string, file: string): CsvRecord[] {
  const escaped = delimiter.replace(/[\\\]^-]/g, '\\$&');
  const plain = new RegExp(`[^${escaped}\\r\\n]*`, 'y');
  const cursor: Cursor = { text, index: 0, line: 1, lineStart: 0 };
  const records: CsvRecord[] = [];
  while (cursor.index < text.length) records.push(parseRecord(cursor, delimiter, plain, file));
  return records;
}

/**
 * A streaming RFC 4180 parser for data files, on the hot path of validation (millions of rows):
 * it scans decoded text with charCodeAt and slices whole cells, so no per-character strings are
 * made. Text arrives in chunks; a record cut by a chunk boundary is re-scanned from its start when
 * the next chunk comes, which costs one partial record per chunk. Memory stays bounded because a
 * cell longer than the cell limit fails at once (an unclosed quote would otherwise swallow the file).
 */
import { FileFormatError } from '../core/errors.js';

/** Excel's limit on the characters of one cell. */
export const MAX_DATA_CELL_LENGTH = 32_767;

export interface CsvStreamRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  cells: string[];
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
/** Marks a record that the current text does not complete. */
const INCOMPLETE = -1;

export class CsvStreamParser {
  private text = '';
  private line = 1;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly file: string,
    private readonly maxCellLength = MAX_DATA_CELL_LENGTH,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses the records completed by `chunk`; `final` flushes the last record at end of input. */
  push(chunk: string, final = false): CsvStreamRecord[] {
    const text = this.text.length > 0 ? this.text + chunk : chunk;
    const records: CsvStreamRecord[] = [];
    let at = 0;
    while (at < text.length) {
      const cells: string[] = [];
      const line = this.line;
      const next = this.record(text, at, cells, final);
      if (next === INCOMPLETE) break;
      records.push({ line, cells });
      at = next;
    }
    this.text = at < text.length ? text.slice(at) : '';
    return records;
  }

  /** The line the parser has reached: where an undecodable byte sequence is reported. */
  get currentLine(): number {
    return this.line;
  }

  /** Reads one record from `start`; returns where the next starts, or INCOMPLETE. */
  private record(text: string, start: number, cells: string[], final: boolean): number {
    let at = start;
    let lines = 0;
    for (;;) {
      let end: number;
      if (text.charCodeAt(at) === QUOTE) {
        const quoted = this.quoted(text, at, cells, final, lines);
        if (quoted === INCOMPLETE) return INCOMPLETE;
        lines += quoted.lines;
        end = quoted.end;
      } else {
        end = this.plain(text, at);
        if (end === text.length && !final) return INCOMPLETE;
        cells.push(text.slice(at, end));
      }
      const code = text.charCodeAt(end);
      if (code === this.delimiter) {
        at = end + 1;
        continue;
      }
      // CR at the very end of a chunk may be the first half of CRLF.
      if (code === CR && end + 1 === text.length && !final) return INCOMPLETE;
      this.line += lines + 1;
      if (code === CR && text.charCodeAt(end + 1) === LF) return end + 2;
      return end + 1;
    }
  }

  /** The end of an unquoted cell: the next delimiter, CR, LF or the end of the text. */
  private plain(text: string, start: number): number {
    const delimiter = this.delimiter;
    const length = text.length;
    let at = start;
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code === delimiter || code === LF || code === CR) break;
      at += 1;
    }
    if (at - start > this.maxCellLength) throw this.tooLarge(this.line, at - start, cellsHint);
    return at;
  }

  private quoted(
    text: string,
    start: number,
    cells: string[],
    final: boolean,
    linesBefore: number,
  ): { end: number; lines: number } | typeof INCOMPLETE {
    let at = start + 1;
    let doubled = false;
    for (;;) {
      const quote = text.indexOf('"', at);
      if (quote === -1 || (quote + 1 === text.length && !final)) {
        if (text.length - start > this.maxCellLength + 2) {
          throw this.tooLarge(this.line + linesBefore, text.length - start, quoteHint);
        }
        if (final) throw this.unclosed(this.line + linesBefore);
        return INCOMPLETE;
      }
      if (text.charCodeAt(quote + 1) !== QUOTE) {
        at = quote + 1;
        break;
      }
      doubled = true;
      at = quote + 2;
    }
    const raw = text.slice(start + 1, at - 1);
    if (raw.length > this.maxCellLength) throw this.tooLarge(this.line + linesBefore, raw.length, quoteHint);
    const next = text.charCodeAt(at);
    if (at < text.length && next !== this.delimiter && next !== CR && next !== LF) {
      throw this.strayQuote(this.line + linesBefore + countLines(raw), text.charAt(at));
    }
    cells.push(doubled ? raw.replaceAll('""', '"') : raw);
    return { end: at, lines: countLines(raw) };
  }

  private unclosed(line: number): FileFormatError {
    return new FileFormatError('CSV-PARSE', `第 ${line} 行的引号一直没有闭合`, {
      location: `${this.file}:${line}`,
      hint: '以英文双引号开头的单元格必须以双引号结束；单元格内的双引号要写成两个（""）。',
    });
  }

  private strayQuote(line: number, next: string): FileFormatError {
    return new FileFormatError('CSV-PARSE', `第 ${line} 行：右引号后面紧跟着“${next}”`, {
      location: `${this.file}:${line}`,
      hint: '单元格内的双引号要写成两个（""），或者在右引号后加上分隔符。',
    });
  }

  private tooLarge(line: number, length: number, hint: string): FileFormatError {
    return new FileFormatError(
      'CELL-TOO-LARGE',
      `第 ${line} 行有一个单元格超过 ${this.maxCellLength} 个字符（至少 ${length} 个）`,
      { location: `${this.file}:${line}`, hint },
    );
  }
}

const cellsHint = '单元格内容过长（Excel 最多 32767 个字符），请精简或拆分该列内容。';
const quoteHint =
  '单元格内容过长（Excel 最多 32767 个字符），常见原因是引号未闭合，把后面的行并进了一个单元格。';

/** Line breaks inside a quoted cell: CRLF, LF and a lone CR each count once. */
function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== LF) lines += 1;
  }
  return lines;
}

/**
 * Writers of a fixed data file, in the input's own format. CSV and JSON Lines are patched line
 * by line: the lines of unchanged rows (and the header, blank lines, the BOM) are copied byte for
 * byte, and only a changed row is written anew, in the file's encoding, delimiter and line break.
 * An xlsx is written anew by exceljs's streaming writer: the header row and the rows, as text.
 * Every writer streams, so memory stays flat.
 */
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { detectDelimiter } from '../../catalog/formats/csv-rows.js';
import type { DataRow, DataRowSource } from '../data-rows.js';
import { BufferedFile, RawLineReader, type RawLine } from './raw-lines.js';

/** Receives every row in order, with its fixed cells or undefined when it is unchanged. */
export interface FixSink {
  write(row: DataRow, fixed: string[] | undefined): Promise<void>;
  /** Completes the file and syncs it to disk. */
  finish(): Promise<void>;
  /** Releases everything after a failure. */
  close(): Promise<void>;
}

/** Rewrites one record whose physical lines are `raw`; returns its new text without the break. */
type Rewrite = (raw: RawLine[], row: DataRow, fixed: string[]) => string;

class LinePatchSink implements FixSink {
  constructor(
    private readonly lines: RawLineReader,
    private readonly out: BufferedFile,
    private readonly span: (row: DataRow) => number,
    private readonly rewrite: Rewrite,
    private readonly encode: (text: string) => Buffer,
  ) {}

  async write(row: DataRow, fixed: string[] | undefined): Promise<void> {
    if (!fixed) return; // copied with the lines around it
    if (row.line === undefined) throw new Error(`row ${row.row} has no line number`);
    await this.copyBefore(row.line);
    const raw: RawLine[] = [];
    for (let n = this.span(row); n > 0; n -= 1) {
      const line = await this.lines.next();
      if (!line) break;
      raw.push(line);
    }
    const ending = raw.at(-1)?.ending ?? Buffer.alloc(0);
    await this.out.write(this.encode(this.rewrite(raw, row, fixed)));
    await this.out.write(ending);
  }

  async finish(): Promise<void> {
    await this.copyBefore(Number.POSITIVE_INFINITY);
    await this.out.finish();
  }

  async close(): Promise<void> {
    await this.lines.close();
    await this.out.close();
  }

  private async copyBefore(line: number): Promise<void> {
    while (this.lines.line < line) {
      const next = await this.lines.next();
      if (!next) return;
      await this.out.write(next.bytes);
    }
  }
}

/** Line breaks in a cell, counted as the CSV parser counts them (CRLF once, a lone CR once). */
function breaksIn(text: string): number {
  let breaks = 0;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 0x0a) breaks += 1;
    else if (code === 0x0d && text.charCodeAt(at + 1) !== 0x0a) breaks += 1;
  }
  return breaks;
}

/** A CSV cell, quoted only when it must be (RFC 4180). */
function csvCell(value: string, delimiter: string): string {
  const needs =
    value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return needs ? `"${value.replaceAll('"', '""')}"` : value;
}

async function firstBytes(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The CSV's delimiter, detected from its first line as the reader detected it. */
export async function csvDelimiter(path: string, encoding: string): Promise<string> {
  const text = iconv.decode(await firstBytes(path, 64 * 1024), encoding === 'utf-8' ? 'utf-8' : 'gb18030');
  return detectDelimiter(text.replace(/^\uFEFF/u, ''));
}

async function csvSink(source: DataRowSource, temporary: string): Promise<FixSink> {
  const encoding = source.encoding ?? 'utf-8';
  const delimiter = await csvDelimiter(source.file, encoding);
  const rewrite: Rewrite = (_raw, _row, fixed) =>
    fixed.map((cell) => csvCell(cell, delimiter)).join(delimiter);
  const span = (row: DataRow): number => row.values.reduce((lines, cell) => lines + breaksIn(cell), 1);
  const encode = (text: string): Buffer =>
    encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
  return new LinePatchSink(
    new RawLineReader(source.file),
    await BufferedFile.create(temporary),
    span,
    rewrite,
    encode,
  );
}

/** A JSON Lines row: the changed keys set to their fixed text; the other values keep their type. */
function jsonlRewrite(header: string[]): Rewrite {
  return (raw, row, fixed) => {
    const line = raw[0] as RawLine;
    const text = line.bytes.subarray(0, line.bytes.length - line.ending.length).toString('utf8');
    const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    const object = JSON.parse(bom ? text.slice(1) : text) as Record<string, unknown>;
    header.forEach((key, index) => {
      if (fixed[index] !== row.values[index]) object[key] = fixed[index];
    });
    return `${bom}${JSON.stringify(object)}`;
  };
}

async function jsonlSink(source: DataRowSource, temporary: string): Promise<FixSink> {
  return new LinePatchSink(
    new RawLineReader(source.file),
    await BufferedFile.create(temporary),
    () => 1,
    jsonlRewrite(source.header),
    (text) => Buffer.from(text, 'utf8'),
  );
}

/** The header and every row as text cells (identifiers keep their leading zeros and digits). */
async function xlsxSink(source: DataRowSource, temporary: string): Promise<FixSink> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: temporary,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('数据');
  const cells = (values: readonly string[]): (string | null)[] =>
    values.map((value) => (value === '' ? null : value));
  sheet.addRow(cells(source.header)).commit();
  return {
    async write(row, fixed) {
      sheet.addRow(cells(fixed ?? row.values)).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
      const handle = await open(temporary, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async close() {
      // exceljs's writer has no abort; the caller removes the temporary file.
    },
  };
}

/** The writer of the fixed file for a source, into `temporary`. */
export async function openFixSink(source: DataRowSource, temporary: string): Promise<FixSink> {
  if (source.format === 'csv') return csvSink(source, temporary);
  if (source.format === 'jsonl') return jsonlSink(source, temporary);
  return xlsxSink(source, temporary);
}

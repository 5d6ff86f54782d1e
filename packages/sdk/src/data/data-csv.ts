/**
 * Streaming CSV rows of a data file. The encoding is detected from the first chunk with the
 * catalog reader's heuristic (text-encoding.ts); the rest is decoded by a fatal streaming decoder,
 * so GBK bytes in a UTF-8 file still fail, while UTF-8 pasted into a GBK file past the first chunk
 * is not noticed (GB18030 decodes almost any bytes): give the encoding when that matters.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { FileFormatError } from '../core/errors.js';
import { detectDelimiter } from '../catalog/formats/csv-rows.js';
import { detectEncoding, normaliseEncoding, type TextEncoding } from '../catalog/formats/text-encoding.js';
import { CsvStreamParser, MAX_DATA_CELL_LENGTH, type CsvStreamRecord } from './csv-stream.js';
import type { DataRow, DataRowSource } from './data-rows.js';

/**
 * Bytes read and decoded at a time. Cells are slices of the decoded chunk, so each chunk lives
 * as long as a cell of it does; 64 KiB chunks die young in the garbage collector's nursery, where
 * 1 MiB chunks were promoted and collected the slow way: 170k rows/s against 90k on a 1M-row,
 * 20-column file with every check on, and 147 MiB peak instead of 279 (bench/README.md). 16 KiB:
 * a batch of ≈ 270 rows (64 KiB) found alive by a scavenge made V8 pretenure rows, records and
 * cell arrays for the rest of the run (+70 MiB, 20–30 % slower); batches under 100 rows never did.
 */
const CHUNK_BYTES = 16 * 1024;

/** The bytes to detect from: whole lines only, so a character cut at the end cannot mislead. */
function sample(bytes: Buffer): Buffer {
  const lastLf = bytes.lastIndexOf(0x0a);
  return lastLf > 0 ? bytes.subarray(0, lastLf) : bytes;
}

function chooseEncoding(first: Buffer, file: string, given: string | undefined): TextEncoding {
  if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff)) {
    throw new FileFormatError(
      'CSV-ENCODING-UNSUPPORTED',
      `${file} 是 UTF-16 编码（Excel 的“Unicode 文本”）`,
      {
        location: file,
        hint: '请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”。',
      },
    );
  }
  if (given !== undefined) return normaliseEncoding(given, file);
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return 'utf-8';
  return detectEncoding(sample(first), file);
}

function undecodable(file: string, line: number, encoding: TextEncoding, cause: unknown): FileFormatError {
  return new FileFormatError(
    'CSV-ENCODING-INVALID',
    `第 ${line} 行附近的字节不是有效的 ${encoding.toUpperCase()}`,
    {
      location: `${file}:${line}`,
      hint: '文件可能混用了两种编码（例如把其他来源的内容粘贴进了文件）。请统一另存为“CSV UTF-8”，或用 --encoding 指定编码。',
      cause,
    },
  );
}

function columnsError(file: string, record: CsvStreamRecord, width: number): FileFormatError {
  return new FileFormatError(
    'CSV-COLUMNS',
    `第 ${record.line} 行有 ${record.cells.length} 列，而表头有 ${width} 列`,
    {
      location: `${file}:${record.line}`,
      hint: '检查该行是否多了或少了分隔符：含逗号的内容要用英文双引号括起来，单元格内换行也要放在引号内。',
    },
  );
}

/** The record's cells fitted to the header; trailing empty cells (`a,b,,`) carry nothing. */
function fit(file: string, record: CsvStreamRecord, width: number): string[] {
  const cells = record.cells;
  if (cells.length === width) return cells;
  if (cells.length > width) {
    for (let i = width; i < cells.length; i += 1) {
      if (cells[i] !== '') throw columnsError(file, record, width);
    }
    return cells.slice(0, width);
  }
  throw columnsError(file, record, width);
}

function isBlankRecord(cells: string[]): boolean {
  for (const cell of cells) if (cell !== '') return false;
  return true;
}

interface CsvState {
  parser: CsvStreamParser;
  decoder: TextDecoder;
  encoding: TextEncoding;
  header?: string[];
  row: number;
}

/** Turns parsed records after the header into rows. */
function* toRows(state: CsvState, records: CsvStreamRecord[], file: string): Generator<DataRow> {
  const width = state.header?.length ?? 0;
  for (const record of records) {
    if (isBlankRecord(record.cells)) continue;
    state.row += 1;
    yield { row: state.row, line: record.line, values: fit(file, record, width) };
  }
}

function decode(state: CsvState, bytes: Buffer | undefined, file: string): string {
  try {
    return bytes ? state.decoder.decode(bytes, { stream: true }) : state.decoder.decode();
  } catch (error) {
    throw undecodable(file, state.parser.currentLine, state.encoding, error);
  }
}

async function openCsv(path: string, given: string | undefined) {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  const firstBytes: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const encoding = chooseEncoding(firstBytes, path, given);
  // GB18030 decodes GBK too; ignoreBOM: false drops a UTF-8 BOM.
  const decoder = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'gb18030', { fatal: true });
  const firstText = decode(
    { parser: new CsvStreamParser(',', path), decoder, encoding, row: 0 },
    firstBytes,
    path,
  );
  return { stream, chunks, encoding, decoder, firstText };
}

/** Takes the header from the first non-blank record; returns the records after it. */
function takeHeader(state: CsvState, records: CsvStreamRecord[]): CsvStreamRecord[] {
  if (state.header) return records;
  const at = records.findIndex((record) => !isBlankRecord(record.cells));
  if (at === -1) return [];
  state.header = (records[at] as CsvStreamRecord).cells.map((cell) => cell.trim());
  return records.slice(at + 1);
}

/**
 * Opens a CSV data file: reads the first chunk (encoding, delimiter, header) and streams the
 * rest. Row errors (CSV-COLUMNS …) surface while iterating, never from opening.
 */
export async function openCsvRows(path: string, given?: string): Promise<DataRowSource> {
  const { stream, chunks, encoding, decoder, firstText } = await openCsv(path, given);
  const parser = new CsvStreamParser(detectDelimiter(firstText), path, MAX_DATA_CELL_LENGTH);
  const state: CsvState = { parser, decoder, encoding, row: 0 };
  let pending = takeHeader(state, parser.push(firstText));
  // The header lies past the first chunk only in odd files (a huge first cell); read on.
  let ended = false;
  while (!state.header && !ended) {
    const next = await chunks.next();
    ended = next.done === true;
    const text = decode(state, ended ? undefined : (next.value as Buffer), path);
    pending = takeHeader(state, parser.push(text, ended));
  }
  async function* batches(): AsyncGenerator<DataRow[]> {
    try {
      yield [...toRows(state, pending, path)];
      pending = [];
      if (ended) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        yield [...toRows(state, parser.push(decode(state, next.value, path)), path)];
      }
      yield [...toRows(state, parser.push(decode(state, undefined, path), true), path)];
    } finally {
      stream.destroy();
    }
  }
  async function* rows(): AsyncGenerator<DataRow> {
    for await (const batch of batches()) yield* batch;
  }
  return {
    file: path,
    format: 'csv',
    encoding,
    header: state.header ?? [],
    rows: rows(),
    batches: batches(),
    close: () => stream.destroy(),
  };
}

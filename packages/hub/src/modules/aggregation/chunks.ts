/**
 * The wire form of a chunk: gzip of JSON Lines, one `[rowNumber, v1, …, vn]` per line. Decoded
 * once, at upload (chunk-check.ts), so a malformed chunk is refused while the client can still
 * resend it; the hub keeps the checked rows and the SM3 of the bytes sent, not the bytes.
 */
import { gunzipSync } from 'node:zlib';
import { HubError } from '../../errors.js';

/** A decoded row: its number in the file and its cells in header order. */
export interface ChunkRow {
  row: number;
  values: string[];
}

/** A chunk may not inflate past this: a gzip bomb is refused, not expanded. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

function formatError(seq: number, reason: string): HubError {
  return new HubError('HUB_ERR_CHUNK_FORMAT', { seq, reason });
}

function inflate(body: Uint8Array, seq: number): string {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw formatError(
      seq,
      code === 'ERR_BUFFER_TOO_LARGE' ? `inflates past ${MAX_INFLATED_BYTES} bytes` : 'not gzip data',
    );
  }
}

/** Checks one parsed line in place (nulls become empty cells) and turns it into a row. */
function cells(parsed: unknown[], width: number, seq: number, line: number): ChunkRow {
  const row = parsed[0];
  if (typeof row !== 'number' || !Number.isSafeInteger(row) || row < 1)
    throw formatError(seq, `line ${line}: the first element must be the row number`);
  if (parsed.length !== width + 1)
    throw formatError(seq, `line ${line}: ${parsed.length - 1} values for a header of ${width} columns`);
  for (let i = 1; i <= width; i += 1) {
    const value = parsed[i];
    if (value === null) parsed[i] = '';
    else if (typeof value !== 'string') throw formatError(seq, `line ${line}: value ${i} is not a string`);
  }
  // The line's own array, shifted, holds the values: no copy a row.
  parsed.copyWithin(0, 1);
  parsed.length = width;
  return { row, values: parsed as string[] };
}

/** Decodes and checks a chunk: gzip, JSON Lines, row width, and the declared row count. */
export function decodeChunk(body: Uint8Array, seq: number, width: number, declaredRows?: number): ChunkRow[] {
  const text = inflate(body, seq);
  let parsed: unknown[] | undefined;
  try {
    // One parse of the whole chunk is several times faster than one per line; blank lines
    // (a trailing newline) become empty slots of the joined array, removed after.
    parsed = JSON.parse(`[${text.replace(/\n+\s*$/, '').replaceAll('\n', ',')}]`) as unknown[];
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) return decodeLines(text.split('\n'), seq, width, declaredRows);
  const rows: ChunkRow[] = [];
  for (let i = 0; i < parsed.length; i += 1) {
    const line = parsed[i];
    // A line holding several values joined by commas would shift the rest: fall back to lines.
    if (!Array.isArray(line)) return decodeLines(text.split('\n'), seq, width, declaredRows);
    rows.push(cells(line, width, seq, i + 1));
  }
  return checkCount(rows, seq, declaredRows);
}

function checkCount(rows: ChunkRow[], seq: number, declaredRows: number | undefined): ChunkRow[] {
  if (declaredRows !== undefined && rows.length !== declaredRows)
    throw formatError(seq, `${rows.length} rows, but x-minjiang-rows says ${declaredRows}`);
  return rows;
}

/** Line by line, to say which line is wrong. */
function decodeLines(lines: string[], seq: number, width: number, declaredRows?: number): ChunkRow[] {
  const rows: ChunkRow[] = [];
  lines.forEach((text, index) => {
    const source = text.trim();
    if (source === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch {
      throw formatError(seq, `line ${index + 1}: not JSON`);
    }
    if (!Array.isArray(parsed)) throw formatError(seq, `line ${index + 1}: not a JSON array`);
    rows.push(cells(parsed, width, seq, index + 1));
  });
  return checkCount(rows, seq, declaredRows);
}

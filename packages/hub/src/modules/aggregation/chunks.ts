/**
 * The wire form of a chunk: gzip of JSON Lines, one `[rowNumber, v1, …, vn]` per line. Decoded
 * at upload (so a malformed chunk is refused while the client can still resend it) and again at
 * commit; the stored bytes are the bytes sent, so their SM3 stays checkable.
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

function cells(parsed: unknown[], width: number, seq: number, line: number): ChunkRow {
  const [row, ...values] = parsed;
  if (typeof row !== 'number' || !Number.isSafeInteger(row) || row < 1)
    throw formatError(seq, `line ${line}: the first element must be the row number`);
  if (values.length !== width)
    throw formatError(seq, `line ${line}: ${values.length} values for a header of ${width} columns`);
  const out = new Array<string>(width);
  for (let i = 0; i < width; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) out[i] = '';
    else if (typeof value === 'string') out[i] = value;
    else throw formatError(seq, `line ${line}: value ${i + 1} is not a string`);
  }
  return { row, values: out };
}

/** Decodes and checks a chunk: gzip, JSON Lines, row width, and the declared row count. */
export function decodeChunk(body: Uint8Array, seq: number, width: number, declaredRows?: number): ChunkRow[] {
  const text = inflate(body, seq);
  const lines = text.split('\n');
  let parsed: unknown[] | undefined;
  try {
    // One parse of the whole chunk is several times faster than one per line.
    parsed = JSON.parse(`[${lines.filter((line) => line.trim() !== '').join(',')}]`) as unknown[];
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) return decodeLines(lines, seq, width, declaredRows);
  const rows: ChunkRow[] = [];
  for (let i = 0; i < parsed.length; i += 1) {
    const line = parsed[i];
    // A line holding several values joined by commas would shift the rest: fall back to lines.
    if (!Array.isArray(line)) return decodeLines(lines, seq, width, declaredRows);
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

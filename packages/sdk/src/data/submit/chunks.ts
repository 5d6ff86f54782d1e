/**
 * Chunks of a submission: rows `[rowNumber, v1, …, vn]` as UTF-8 JSON Lines, gzip-compressed,
 * with the SM3 of the bytes as sent (docs/data-api.md, `PUT /submissions/{id}/chunks/{seq}`).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { sm3Hex } from '@minjiang/standards';
import type { DataRow } from '../data-rows.js';

const gzip = promisify(gzipCallback);

/** Rows per chunk unless asked otherwise (see the SDK README for the measurement). */
export const DEFAULT_CHUNK_ROWS = 5000;

/** zlib level of chunk bodies: level 1 is the fastest, and the hub stores what it gets. */
export const DEFAULT_GZIP_LEVEL = 1;

/** The rows of one chunk, before encoding. */
export interface RawChunk {
  seq: number;
  rows: DataRow[];
}

/** One encoded chunk, ready to send. */
export interface EncodedChunk {
  seq: number;
  rows: number;
  firstRow: number;
  lastRow: number;
  body: Uint8Array;
  sm3: string;
  /** Uncompressed JSON Lines bytes. */
  rawBytes: number;
}

/** Groups rows into numbered chunks of `size` rows (the last may be shorter); seq starts at 1. */
export async function* chunkDataRows(rows: AsyncIterable<DataRow>, size: number): AsyncGenerator<RawChunk> {
  let seq = 1;
  let batch: DataRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield { seq, rows: batch };
      seq += 1;
      batch = [];
    }
  }
  if (batch.length > 0) yield { seq, rows: batch };
}

/** The JSON Lines text of rows: one `[rowNumber, v1, …]` array per line. */
export function chunkText(rows: readonly DataRow[]): string {
  let text = '';
  for (const row of rows) text += `${JSON.stringify([row.row, ...row.values])}\n`;
  return text;
}

/** Encodes a chunk: JSON Lines, gzip at `level`, SM3 of the gzip bytes. */
export async function encodeChunk(
  chunk: RawChunk,
  level: number = DEFAULT_GZIP_LEVEL,
): Promise<EncodedChunk> {
  const text = Buffer.from(chunkText(chunk.rows), 'utf8');
  const body = await gzip(text, { level });
  return {
    seq: chunk.seq,
    rows: chunk.rows.length,
    firstRow: chunk.rows[0]?.row ?? 0,
    lastRow: chunk.rows.at(-1)?.row ?? 0,
    body,
    sm3: sm3Hex(body),
    rawBytes: text.byteLength,
  };
}

import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sm3Hex } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import type { DataRow } from '../data-rows.js';
import { chunkDataRows, encodeChunk } from './chunks.js';
import {
  checkSameFile,
  fileIdentity,
  readSubmissionState,
  SUBMISSION_STATE_FORMAT,
  writeSubmissionState,
  type SubmissionState,
} from './state.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function* rows(count: number): AsyncGenerator<DataRow> {
  for (let row = 1; row <= count; row += 1)
    yield { row, values: [`v${row}`, row % 2 ? '' : '=HYPERLINK("x")'] };
}

describe('chunks', () => {
  it('cuts rows into numbered chunks, the last one shorter', async () => {
    const chunks = [];
    for await (const chunk of chunkDataRows(rows(12), 5)) chunks.push(chunk);
    expect(chunks.map((c) => [c.seq, c.rows.length, c.rows[0]?.row])).toEqual([
      [1, 5, 1],
      [2, 5, 6],
      [3, 2, 11],
    ]);
  });

  it('encodes JSON Lines [rowNumber, …values], gzip, with the SM3 of the bytes sent', async () => {
    const [first] = await collect(chunkDataRows(rows(3), 5));
    const chunk = await encodeChunk(first!, 6);
    expect(chunk.sm3).toBe(sm3Hex(chunk.body));
    const lines = gunzipSync(chunk.body).toString('utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      [1, 'v1', ''],
      [2, 'v2', '=HYPERLINK("x")'],
      [3, 'v3', ''],
    ]);
    expect({ rows: chunk.rows, firstRow: chunk.firstRow, lastRow: chunk.lastRow }).toEqual({
      rows: 3,
      firstRow: 1,
      lastRow: 3,
    });
  });

  it('gives the same bytes for the same rows (a resumed chunk equals the first upload)', async () => {
    const [a] = await collect(chunkDataRows(rows(4), 4));
    const [b] = await collect(chunkDataRows(rows(4), 4));
    expect((await encodeChunk(a!)).sm3).toBe((await encodeChunk(b!)).sm3);
  });
});

describe('resume state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-submit-'));
  const file = join(dir, 'data.csv');

  async function saved(): Promise<SubmissionState> {
    writeFileSync(file, 'a,b\n1,2\n');
    const state: SubmissionState = {
      format: SUBMISSION_STATE_FORMAT,
      id: 'sub-1',
      hub: 'http://127.0.0.1:1',
      resource: 'R',
      mode: 'incremental',
      ...(await fileIdentity(file)),
      chunkRows: 5000,
      createdAt: new Date().toISOString(),
    };
    await writeSubmissionState(join(dir, '.minjiang'), state);
    return readSubmissionState(join(dir, '.minjiang'), 'sub-1');
  }

  it('round-trips and accepts the same file', async () => {
    const state = await saved();
    expect(state.chunkRows).toBe(5000);
    expect(() => checkSameFile(state, state, 'x')).not.toThrow();
  });

  it('refuses a file changed since (size or time)', async () => {
    const state = await saved();
    writeFileSync(file, 'a,b\n1,3\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(() => checkSameFile(state, { ...state, mtimeMs: state.mtimeMs + 5000 }, 'x')).toThrow(
      expect.objectContaining({ code: 'SUBMIT-FILE-CHANGED' }) as Error,
    );
    expect(() => checkSameFile(state, { ...state, size: state.size + 1 }, 'x')).toThrow(/大小/);
  });

  it('says when there is no state to resume from', async () => {
    await expect(readSubmissionState(join(dir, '.minjiang'), 'nope')).rejects.toMatchObject({
      code: 'SUBMIT-STATE-MISSING',
    });
  });
});

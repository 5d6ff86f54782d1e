/**
 * The chunk workers as the hub runs them: the built pool and worker (dist/), since a worker
 * thread cannot load the TypeScript sources. The same chunk checked in a worker and on this
 * thread gives the same staged rows; a malformed chunk is refused with its code.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { DataResource } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { checkChunk, type ChunkTask, type StagedRow } from './chunk-check.js';

const BUILT = new URL('../../../dist/modules/aggregation/chunk-pool.js', import.meta.url);

const RESOURCE: DataResource = {
  code: 'TEST-001',
  name: '登记信息',
  items: [
    { name: '统一社会信用代码', dataType: 'C', length: 18, isKey: true, required: true },
    { name: '名称', dataType: 'C', length: 50, required: true },
  ],
} as unknown as DataResource;
const HEADER = ['统一社会信用代码', '名称'];

function task(submissionId: string, lines: unknown[][], rows = lines.length): ChunkTask {
  const body = gzipSync(Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n')));
  return { submissionId, resource: RESOURCE, header: HEADER, seq: 1, rows, body };
}

const LINES = [
  [1, '91350100M000100Y43', '福州某公司'],
  [2, '91350100M000100Y44', '名'.repeat(60)],
  [3, '', '无代码'],
];

interface BuiltPool {
  ChunkPool: new (size: number) => { run(task: ChunkTask): Promise<StagedRow[]> };
}

describe('chunk workers (built)', () => {
  it('is built: the worker file sits next to the pool', () => {
    expect(existsSync(fileURLToPath(BUILT))).toBe(true);
    expect(existsSync(fileURLToPath(new URL('chunk-worker.js', BUILT)))).toBe(true);
  });

  it('stages the same rows in a worker as on this thread, for many chunks at once', async () => {
    const { ChunkPool } = (await import(BUILT.href)) as BuiltPool;
    const pool = new ChunkPool(2);
    const here = checkChunk(task('sub_here', LINES));
    expect(here.map((row) => row.hash === null)).toEqual([false, true, true]);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => pool.run(task(`sub_${i % 2}`, LINES))),
    );
    for (const rows of answers) expect(rows).toEqual(here);
  });

  it('refuses a malformed chunk with its code, and keeps serving', async () => {
    const { ChunkPool } = (await import(BUILT.href)) as BuiltPool;
    const pool = new ChunkPool(1);
    await expect(pool.run(task('sub_bad', LINES, 4))).rejects.toMatchObject({
      code: 'HUB_ERR_CHUNK_FORMAT',
      params: { seq: 1 },
    });
    const notGzip = { ...task('sub_bad', LINES), body: Buffer.from('plain') };
    await expect(pool.run(notGzip)).rejects.toMatchObject({ code: 'HUB_ERR_CHUNK_FORMAT' });
    expect(await pool.run(task('sub_bad', LINES))).toHaveLength(3);
  });
});

/**
 * A chunk worker (chunk-pool.ts): checks the chunks it is sent and answers their staged rows,
 * or the HubError a malformed chunk is refused with.
 */
import { parentPort } from 'node:worker_threads';
import { HubError } from '../../errors.js';
import { checkChunk, type ChunkTask } from './chunk-check.js';

export interface ChunkWorkerRequest {
  id: number;
  task: ChunkTask;
}

export type ChunkWorkerAnswer =
  | { id: number; rows: ReturnType<typeof checkChunk> }
  | {
      id: number;
      refused: { code: HubError['code']; params: HubError['params']; details: HubError['details'] };
    }
  | { id: number; failed: string };

parentPort?.on('message', ({ id, task }: ChunkWorkerRequest) => {
  let answer: ChunkWorkerAnswer;
  try {
    answer = { id, rows: checkChunk(task) };
  } catch (error) {
    answer =
      error instanceof HubError
        ? { id, refused: { code: error.code, params: error.params, details: error.details } }
        : { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(answer);
});

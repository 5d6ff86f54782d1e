/**
 * Chunk workers: the hub checks uploaded chunks (chunk-check.ts: decode, validate, stored text,
 * SM3, ≈ 25 µs a row) in worker threads, so that a chunk neither blocks the event loop nor waits
 * for one core while others are free. (A larger young generation for the workers changed nothing
 * measurable here and cost up to 150 MiB: bench/README.md, "data-submit".)
 * With the setting chunkWorkers at 0, or when the hub runs from its TypeScript sources (the unit
 * tests), chunks are checked on the hub's thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HubError } from '../../errors.js';
import { checkChunk, type ChunkTask, type StagedRow } from './chunk-check.js';
import type { ChunkWorkerAnswer, ChunkWorkerRequest } from './chunk-worker.js';

const WORKER_FILE = fileURLToPath(new URL('./chunk-worker.js', import.meta.url));

interface Pending {
  resolve: (rows: StagedRow[]) => void;
  reject: (error: Error) => void;
}

/** One worker and the tasks it has not answered yet. */
class ChunkWorker {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;

  constructor(onGone: (gone: ChunkWorker) => void) {
    this.worker = new Worker(WORKER_FILE);
    this.worker.unref();
    this.worker.on('message', (answer: ChunkWorkerAnswer) => this.answer(answer));
    const fail = (error: Error) => {
      onGone(this);
      for (const task of this.pending.values()) task.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`chunk worker exited with code ${code}`)));
  }

  run(id: number, task: ChunkTask): Promise<StagedRow[]> {
    return new Promise((resolve, reject) => {
      // Referenced while it works: a hub shutting down waits for the chunks it is checking.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, task } satisfies ChunkWorkerRequest);
    });
  }

  private answer(answer: ChunkWorkerAnswer): void {
    const task = this.pending.get(answer.id);
    if (!task) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('rows' in answer) task.resolve(answer.rows);
    else if ('refused' in answer) {
      const { code, params, details } = answer.refused;
      task.reject(new HubError(code, params, details));
    } else task.reject(new Error(answer.failed));
  }
}

/** Up to `size` workers, started on first use; a task goes to the least busy one. */
export class ChunkPool {
  private readonly workers: ChunkWorker[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  run(task: ChunkTask): Promise<StagedRow[]> {
    let worker = this.workers.reduce<ChunkWorker | undefined>(
      (best, w) => (best === undefined || w.pending.size < best.pending.size ? w : best),
      undefined,
    );
    if (!worker || (worker.pending.size > 0 && this.workers.length < this.size)) {
      worker = new ChunkWorker((gone) => {
        const at = this.workers.indexOf(gone);
        if (at >= 0) this.workers.splice(at, 1);
      });
      this.workers.push(worker);
    }
    const id = this.nextId;
    this.nextId += 1;
    return worker.run(id, task);
  }
}

let shared: ChunkPool | undefined;

/** Checks a chunk in the process's chunk workers (`workers` of them), or on this thread. */
export function checkUploadedChunk(task: ChunkTask, workers: number): Promise<StagedRow[]> {
  if (workers <= 0 || !existsSync(WORKER_FILE)) return Promise.resolve().then(() => checkChunk(task));
  shared ??= new ChunkPool(workers);
  return shared.run(task);
}

/**
 * SQLite's WAL checkpoints off the event loop. By default the connection that commits past 1,000
 * WAL pages copies the WAL into the database file itself, inside that commit: a data commit of a
 * million rows waited 4.7 s for it, and exchange calls paid one every ≈ 1,000 pages
 * (bench/README.md). The hub's writer therefore runs with `wal_autocheckpoint = 0`, and a worker
 * thread with a connection of its own runs PASSIVE checkpoints (which never block the writer or
 * the readers) whenever the WAL has grown past that size — looked at once a second, and the
 * worker started only then. Should the worker fail, the writer checkpoints itself again.
 *
 * SQLite reuses a checkpointed WAL from its start but keeps the file's size, so after one large
 * commit the file stayed ≈ 1 GB on disk and looked full to that check for ever. The writer's
 * `journal_size_limit` cuts it back to half the checkpoint size whenever the WAL restarts; a file
 * past the checkpoint size then always holds frames written since.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** SQLite's default: checkpoint once the WAL holds 1,000 pages. */
const CHECKPOINT_PAGES = 1000;
const LOOK_EVERY_MS = 1000;

// The worker's code: one connection, a PASSIVE checkpoint per message, the frames it copied back.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); process.exit(0); }
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage(result);
});
`;

/** What the worker has done: checkpoints run, and the last one's WAL frames (all, and copied). */
export interface CheckpointsDone {
  checkpoints: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  readonly done: CheckpointsDone;
  close(): Promise<void>;
}

/** Hands the checkpoints of the database `file`, open in WAL mode as `writer`, to a worker. */
export function startCheckpointer(writer: SQLite.Database, file: string): Checkpointer {
  const pageSize = Number(writer.pragma('page_size', { simple: true }));
  writer.pragma('wal_autocheckpoint = 0');
  writer.pragma(`journal_size_limit = ${walKeptBytes(pageSize)}`);
  const done: CheckpointsDone = { checkpoints: 0, log: 0, checkpointed: 0 };
  let worker: Worker | undefined;
  let running = false;
  const fallBack = () => {
    clearInterval(timer);
    worker = undefined;
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  };
  const look = () => {
    if (running || walBytes(file) < CHECKPOINT_PAGES * pageSize) return;
    running = true;
    worker ??= startWorker(
      file,
      done,
      () => (running = false),
      () => worker !== undefined && fallBack(),
    );
    worker.postMessage('checkpoint');
  };
  const timer = setInterval(look, LOOK_EVERY_MS);
  timer.unref();
  return {
    done,
    close: async () => {
      clearInterval(timer);
      const stopping = worker;
      worker = undefined;
      if (!stopping) return;
      const exited = new Promise((resolve) => stopping.once('exit', resolve));
      stopping.postMessage('close');
      // A checkpoint under way finishes first; a worker that does not answer is stopped.
      const stuck = setTimeout(() => void stopping.terminate(), 10_000);
      await exited;
      clearTimeout(stuck);
    },
  };
}

/** What a restarted WAL file is cut back to. */
export function walKeptBytes(pageSize: number): number {
  return (CHECKPOINT_PAGES / 2) * pageSize;
}

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

function startWorker(file: string, done: CheckpointsDone, finished: () => void, failed: () => void): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver } });
  worker.unref();
  worker.on('message', (result: { log: number; checkpointed: number }) => {
    done.checkpoints += 1;
    done.log = result.log;
    done.checkpointed = result.checkpointed;
    finished();
  });
  // An error, or an exit not asked for by close(): the writer checkpoints by itself again.
  worker.on('error', failed);
  worker.on('exit', failed);
  return worker;
}

/**
 * Group commit for audit before release: the calls waiting to be recorded are written together —
 * their nonces, their quota counts, their audit leaves — in one transaction, and each is answered
 * only after that transaction commits. One commit (one disk flush, one pass over the audit head
 * and the usage rows) then serves every call that arrived while the previous one was writing, so
 * the log's serial head no longer caps the calls a second. Nothing is released before its entry
 * is durable; a batch that fails releases nothing of it. Which calls are answered is decided the
 * same way on both engines (release-admission.ts); the statements are each engine's own
 * (release-postgres.ts, release-sqlite.ts).
 */
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { firstOfEachNonce, type Outcome, type Pending } from './release-admission.js';
import type { CallRecord } from './release.js';
import { writeBatchPostgres } from './release-postgres.js';
import { writeBatchSqlite } from './release-sqlite.js';
import { SesError } from './ses-error.js';

export { secondsToChinaMidnight } from './release-admission.js';

/** Calls per transaction: bounds the statement size and the wait of the last call in it. */
const MAX_BATCH = 200;

const queues = new WeakMap<HubContext, Queue>();

/** Queues a call's record; resolves with the calls used today once it is committed. */
export function enqueueRecord(hub: HubContext, record: CallRecord, now: Date): Promise<number> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(hub);
    if (!queue) queues.set(hub, (queue = { pending: [], draining: false }));
    queue.pending.push({ record, now, resolve, reject });
    if (queue.draining) return;
    // Started after the event loop's I/O phase, not now: on SQLite every step of a call runs
    // synchronously, so the calls parsed in this phase would otherwise commit one by one.
    queue.draining = true;
    setImmediate(() => void drain(hub, queue));
  });
}

type Queue = { pending: Pending[]; draining: boolean };

async function drain(hub: HubContext, queue: Queue): Promise<void> {
  try {
    while (queue.pending.length > 0) await flush(hub, queue);
  } finally {
    queue.draining = false;
  }
}

/**
 * Writes the next batch. The batch is taken when the transaction has its connection, not before:
 * every call queued while it waited for the connection (behind other calls' reads on SQLite's one
 * connection, or for a pool connection) joins it, which is what makes the group.
 */
async function flush(hub: HubContext, queue: Queue): Promise<void> {
  let batch: Pending[] = [];
  const take = () => (batch = queue.pending.splice(0, MAX_BATCH));
  let outcome: Outcome;
  try {
    const { db, sqlite } = hub.store;
    outcome = sqlite
      ? await db
          .connection()
          .execute(async () => writeBatch(take(), (...args) => writeBatchSqlite(sqlite, hub, ...args)))
      : await db
          .transaction()
          .execute(async (trx) => writeBatch(take(), (...args) => writeBatchPostgres(trx, hub, ...args)));
  } catch (error) {
    // Failed before it took its batch (no connection): the waiting calls fail rather than spin.
    if (batch.length === 0) batch = queue.pending.splice(0, MAX_BATCH);
    const failure =
      error instanceof HubError && error.code === 'HUB_ERR_AUDIT_UNAVAILABLE'
        ? new SesError('HUB.LOG_UNAVAILABLE')
        : error;
    for (const pending of batch) pending.reject(failure);
    return;
  }
  for (const pending of batch) {
    const result = outcome.get(pending);
    if (typeof result === 'number') pending.resolve(result);
    else pending.reject(result ?? new SesError('HUB.LOG_UNAVAILABLE'));
  }
}

type EngineWrite = (batch: Pending[], candidates: Pending[], outcome: Outcome) => Outcome | Promise<Outcome>;

/** Refuses the batch's repeated nonces, then has the engine write the rest. */
function writeBatch(batch: Pending[], write: EngineWrite): Outcome | Promise<Outcome> {
  const outcome: Outcome = new Map();
  if (batch.length === 0) return outcome;
  return write(batch, firstOfEachNonce(batch, outcome), outcome);
}

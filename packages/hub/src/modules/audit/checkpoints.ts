import {
  auditCheckpointNote,
  GENESIS_CHAIN_HASH,
  hexToBase64,
  merkleAppend,
  merkleLeafHash,
  merkleRoot,
  verifyAuditChain,
  type CheckpointRecord,
  type MerkleRange,
  type SignedCheckpoint,
} from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import type { Insertable, Kysely } from 'kysely';
import type { AuditCheckpointTable, Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import {
  auditOrigin,
  checkpointAtOrBelow,
  entryPages,
  rangeMatches,
  readHead,
  storedRange,
  type CheckpointRow,
} from './store.js';

// The checkpoint types and the signature check are the standards' (offline verifiers use them);
// the hub's names stay for its API.
export type {
  CheckpointRecord,
  CheckpointSignature,
  SignedCheckpoint as AuditCheckpoint,
} from '@minjiang/standards';

export function toRecord(row: CheckpointRow): CheckpointRecord {
  const checkpoint: SignedCheckpoint = {
    origin: row.origin,
    size: row.size,
    rootHash: row.root_hash,
    time: Number(row.time),
    signatures: [{ keyId: row.key_id, algorithm: 'sm2-sm3', signature: row.signature }],
  };
  return { checkpoint, chainHash: row.chain_hash, note: auditCheckpointNote(checkpoint) };
}

function broken(seq: number, reason: string): HubError {
  return new HubError('HUB_ERR_AUDIT_BROKEN', { seq, reason });
}

/**
 * The range and chain hash at `to`, extended from the last checkpoint, checking every new link
 * on the way: the hub never signs a log that does not verify.
 */
async function advance(
  db: Kysely<Database>,
  last: CheckpointRow | undefined,
  to: number,
): Promise<{ range: MerkleRange; chainHash: string }> {
  let range = storedRange(last);
  if (last && !rangeMatches(last, range, merkleRoot(range))) throw broken(last.size, 'CHECKPOINT_MISMATCH');
  let chain = last?.chain_hash ?? GENESIS_CHAIN_HASH;
  for await (const page of entryPages(db, range.size, to)) {
    const entries = page.map((row) => ({
      seq: row.seq,
      leaf: row.leaf,
      leafHash: row.leaf_hash,
      chainHash: row.chain_hash,
    }));
    const result = verifyAuditChain(entries, { previousChainHash: chain, previousSize: range.size });
    if (!result.ok) throw broken(result.seq, result.reason);
    for (const row of page) range = merkleAppend(range, merkleLeafHash(row.leaf));
    chain = result.chainHash;
  }
  if (range.size !== to) throw broken(range.size + 1, 'SEQ_GAP');
  return { range, chainHash: chain };
}

function signedRow(
  hub: HubContext,
  size: number,
  chainHash: string,
  range: MerkleRange,
): Insertable<AuditCheckpointTable> {
  const body = {
    origin: auditOrigin(hub.config.hubCode),
    size,
    rootHash: hexToBase64(merkleRoot(range)),
    time: Math.floor(hub.now().getTime() / 1000),
  };
  return {
    size,
    origin: body.origin,
    chain_hash: chainHash,
    root_hash: body.rootHash,
    time: body.time,
    key_id: hub.key.keyId,
    signature: hexToBase64(hub.key.sign(auditCheckpointNote(body))),
    merkle_range: JSON.stringify(range.hashes),
  };
}

/**
 * Signs a checkpoint at the committed head, unless the log has grown by fewer than `minGrowth`
 * entries since the last one (then null). It reads only committed rows and holds no lock while
 * it hashes, so writers never wait for it; the size is the primary key, so concurrent signers
 * (other requests, other processes) store one checkpoint per size and the losers return it.
 */
export async function createCheckpoint(
  hub: HubContext,
  minGrowth = 0,
): Promise<{ record: CheckpointRecord; created: boolean } | null> {
  const { db } = hub.store;
  // The last checkpoint before the head: a checkpoint is only ever signed for a committed
  // size, so one above the head read after it means entries were cut off the end.
  const last = await checkpointAtOrBelow(db);
  const head = await readHead(db);
  if (last && last.size > head.seq) throw broken(head.seq + 1, 'TRUNCATED');
  if (last?.size === head.seq) return minGrowth > 0 ? null : { record: toRecord(last), created: false };
  if (head.seq - (last?.size ?? 0) < minGrowth) return null;
  const { range, chainHash } = await advance(db, last, head.seq);
  if (chainHash !== head.chainHash) throw broken(head.seq, 'HEAD_MISMATCH');
  const inserted = await db
    .insertInto('audit_checkpoints')
    .values(signedRow(hub, head.seq, chainHash, range))
    .onConflict((conflict) => conflict.column('size').doNothing())
    .executeTakeFirst();
  const stored = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('size', '=', head.seq)
    .executeTakeFirstOrThrow();
  return { record: toRecord(stored), created: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 };
}

interface Signer {
  running: Promise<void> | undefined;
  again: boolean;
  /** Set when the hub closes: a write answered meanwhile must not start a run on a closing store. */
  closed: boolean;
}

const signers = new WeakMap<HubContext, Signer>();

function signerOf(hub: HubContext): Signer {
  const signer = signers.get(hub) ?? { running: undefined, again: false, closed: false };
  signers.set(hub, signer);
  return signer;
}

/**
 * Signs a checkpoint if `checkpointEvery` entries have been committed since the last one. Runs
 * after a write has answered, one run per hub at a time (a call during a run asks for one more
 * pass), and never fails the caller: a failure is logged, and the next write tries again.
 * Resolves when this hub's pending run is done.
 */
export function maybeCheckpoint(app: FastifyInstance): Promise<void> {
  const { hub } = app;
  const every = hub.config.checkpointEvery;
  if (every <= 0) return Promise.resolve();
  const signer = signerOf(hub);
  if (signer.closed) return Promise.resolve();
  if (signer.running) {
    signer.again = true;
    return signer.running;
  }
  const run = async () => {
    do {
      signer.again = false;
      await createCheckpoint(hub, every);
    } while (signer.again);
  };
  signer.running = run()
    .catch((error: unknown) => app.log.error({ err: error }, 'audit checkpoint could not be signed'))
    .finally(() => {
      signer.running = undefined;
    });
  return signer.running;
}

/** Stops new runs and waits for the pending one: the store may close after this. */
export async function stopCheckpoints(hub: HubContext): Promise<void> {
  const signer = signerOf(hub);
  signer.closed = true;
  await signer.running;
}

import {
  auditFailure,
  AuditWalker,
  EMPTY_MERKLE_RANGE,
  GENESIS_CHAIN_HASH,
  type AuditFailure,
  type AuditVerification,
} from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { toRecord } from './checkpoints.js';
import { indexColumns, type EvidenceBundle } from './leaf.js';
import { auditOrigin, entryPages, readHead, type EntryRow } from './store.js';

/**
 * The filter columns are a copy of what the leaf and the evidence bundle say; a row whose copy
 * differs was edited after it was written (the chain protects only the two).
 */
function indexFault(row: EntryRow): AuditFailure | null {
  try {
    const { event } = JSON.parse(row.evidence) as EvidenceBundle;
    const leaf = JSON.parse(row.leaf) as { ts?: unknown };
    const expected = { ...indexColumns(event), time: leaf.ts };
    const actual = {
      actor: row.actor,
      org_id: row.org_id,
      action: row.action,
      object: row.object,
      result: row.result,
      time: row.time,
    };
    const differs = (Object.keys(actual) as (keyof typeof actual)[]).find((k) => actual[k] !== expected[k]);
    return differs ? auditFailure(row.seq, 'INDEX_MISMATCH', differs) : null;
  } catch {
    return auditFailure(row.seq, 'INDEX_MISMATCH', 'evidence');
  }
}

/** An entry stored beyond the head was not appended by the hub. */
async function beyondHead(db: Kysely<Database>): Promise<AuditFailure | null> {
  // Committed entries never outrun the head committed with them: read the last entry first.
  const last = await db
    .selectFrom('audit_entries')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const head = await readHead(db);
  return last && last.seq > head.seq
    ? auditFailure(head.seq + 1, 'HEAD_MISMATCH', 'entry beyond the head')
    : null;
}

/**
 * Verifies the live log from the first entry to the committed head: chain, evidence, filter
 * columns and every checkpoint. Checkpoints are read before the head, so a checkpoint beyond the
 * head means entries were cut off the end; entries appended meanwhile are left for the next run.
 */
export async function verifyLiveLog(hub: HubContext): Promise<AuditVerification> {
  const { db } = hub.store;
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute();
  const head = await readHead(db);
  const start = { size: 0, chainHash: GENESIS_CHAIN_HASH, range: EMPTY_MERKLE_RANGE };
  const walker = new AuditWalker(
    start,
    rows.map(toRecord),
    hub.key.publicKey,
    auditOrigin(hub.config.hubCode),
  );
  const initial = walker.begin();
  if (initial) return initial;
  for await (const page of entryPages(db, 0, head.seq)) {
    for (const row of page) {
      const entry = {
        seq: row.seq,
        leaf: row.leaf,
        leafHash: row.leaf_hash,
        chainHash: row.chain_hash,
        evidence: row.evidence,
      };
      const fault = walker.push(entry) ?? indexFault(row);
      if (fault) return fault;
    }
  }
  const result = walker.finish(head.seq);
  if (!result.ok) return result;
  if (result.chainHash !== head.chainHash) return auditFailure(head.seq, 'HEAD_MISMATCH');
  return (await beyondHead(db)) ?? result;
}

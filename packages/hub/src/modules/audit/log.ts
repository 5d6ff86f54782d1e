import { canonicalJson, chainHash, sm3Hex } from '@minjiang/standards';
import type { Kysely, Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/** Where and when entries are appended. */
export interface AuditContext {
  hubCode: string;
  engine: Engine;
  now: Date;
}

/** What happened, by whom, to what, with what result: one audit-log entry before it is sealed. */
export interface AuditEvent {
  /** e.g. `catalog.change`, `admin.token.issue` (audit-leaf types of the standard). */
  type: string;
  /** The action within the type, e.g. `create`, `approve`. */
  action: string;
  actor: { tokenId: string; orgId: string | null; roles: string[] } | { system: string };
  object?: string;
  result: 'success' | 'failure';
  /** Facts worth keeping that identify no person (versions, hashes, counts, reasons). */
  detail?: Record<string, unknown>;
}

/** A sealed entry: its position, its bytes and the hashes that chain it to the rest. */
export interface AuditEntry {
  seq: number;
  leaf: string;
  leafHash: string;
  chainHash: string;
}

function actorId(actor: AuditEvent['actor']): string {
  return 'system' in actor ? `system:${actor.system}` : actor.tokenId;
}

/**
 * Appends events to the log inside the caller's transaction, so the log entry and the change it
 * records commit together or not at all. The single head row is updated in the same transaction,
 * which serialises appenders (a row lock on PostgreSQL, the write lock on SQLite) and so gives
 * every entry a unique, gap-free sequence number.
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  context: AuditContext,
  events: readonly AuditEvent[],
): Promise<AuditEntry[]> {
  if (events.length === 0) return [];
  const query = trx.selectFrom('audit_head').selectAll().where('id', '=', 1);
  // SQLite has no FOR UPDATE: its transactions already hold the database's one write lock.
  const head = await (context.engine === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
  let seq = head.seq;
  let chain = head.chain_hash;
  const hubCode = context.hubCode;
  const time = context.now.toISOString();
  const entries: AuditEntry[] = [];
  const rows = events.map((event) => {
    seq += 1;
    const leaf = canonicalJson({ v: 1, hub: hubCode, seq, ts: time, ...event });
    const leafHash = sm3Hex(leaf);
    chain = chainHash(chain, leafHash);
    entries.push({ seq, leaf, leafHash, chainHash: chain });
    const orgId = 'system' in event.actor ? null : event.actor.orgId;
    return {
      seq,
      time,
      leaf,
      leaf_hash: leafHash,
      chain_hash: chain,
      actor: actorId(event.actor),
      org_id: orgId,
      action: `${event.type}.${event.action}`,
      object: event.object ?? null,
      result: event.result,
    };
  });
  for (let start = 0; start < rows.length; start += 500) {
    await trx
      .insertInto('audit_entries')
      .values(rows.slice(start, start + 500))
      .execute();
  }
  await trx.updateTable('audit_head').set({ seq, chain_hash: chain }).where('id', '=', 1).execute();
  return entries;
}

import { chainHash, sm3Hex } from '@minjiang/standards';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { AuditEntryTable, AuditHeadTable, Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { catalogOwners, indexColumns, sealEvent, type AuditLeaf } from './leaf.js';

export type ExchangeLeaf = Pick<
  AuditLeaf,
  | 'client'
  | 'provider'
  | 'service'
  | 'grant'
  | 'purpose'
  | 'issue'
  | 'user'
  | 'via'
  | 'req'
  | 'res'
  | 'subjects'
  | 'package'
>;

/** Where and when entries are appended. */
export interface AuditContext {
  hubCode: string;
  engine: Engine;
  now: Date;
}

/** What happened, by whom, to what, with what result: one audit-log entry before it is sealed. */
export interface AuditEvent {
  /** The exchange members of the leaf (grant, purpose, request and response digests, …). */
  exchange?: ExchangeLeaf;
  /**
   * A fixed leaf type of the standard (`catalog.change`), or a family (`admin`, `app`) whose
   * leaf type becomes `<family>.<action in snake case>`, e.g. `admin.token_issue`.
   */
  type: string;
  /** The action within the type, e.g. `create`, `approve`, `token.issue`. */
  action: string;
  actor: { tokenId: string; orgId: string | null; roles: string[] } | { system: string };
  object?: string;
  result: 'success' | 'failure';
  /**
   * Facts worth keeping (versions, hashes, counts, reasons). They go to the evidence bundle,
   * which the leaf commits to by its SM3 digest; catalog events also give `version` and
   * `contentHash` to the leaf's `catalog` member.
   */
  detail?: Record<string, unknown>;
}

/** A sealed entry: its position, its bytes and the hashes that chain it to the rest. */
export interface AuditEntry {
  seq: number;
  leaf: string;
  leafHash: string;
  chainHash: string;
}

/**
 * Why the surrounding write fails when the log cannot take its entry: the caller's transaction
 * rolls back (nothing is done without its record) and the answer is 503. The cause is kept for
 * the server log.
 */
export function auditUnavailable(error: unknown): HubError {
  if (error instanceof HubError && error.code === 'HUB_ERR_AUDIT_UNAVAILABLE') return error;
  const unavailable = new HubError('HUB_ERR_AUDIT_UNAVAILABLE');
  unavailable.cause = error;
  return unavailable;
}

/**
 * Appends events to the log inside the caller's transaction, so the log entry and the change it
 * records commit together or not at all. The single head row is updated in the same transaction,
 * which serialises appenders (a row lock on PostgreSQL, the write lock on SQLite) and so gives
 * every entry a unique, gap-free sequence number. Any failure here is HUB_ERR_AUDIT_UNAVAILABLE.
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  context: AuditContext,
  events: readonly AuditEvent[],
): Promise<AuditEntry[]> {
  if (events.length === 0) return [];
  try {
    return await append(trx, context, events);
  } catch (error) {
    throw auditUnavailable(error);
  }
}

/** The log's last entry: its seq and chain hash (the `audit_head` row). */
export type AuditHead = Pick<AuditHeadTable, 'seq' | 'chain_hash'>;

/**
 * Seals events after `head`: the entries, the rows that store them, and the head after them.
 * Pure: the caller reads the head under its lock and writes the rows and the new head with it.
 */
export function sealAfter(
  head: AuditHead,
  context: AuditContext,
  events: readonly AuditEvent[],
  owners: ReadonlyMap<string, string>,
): { entries: AuditEntry[]; rows: Insertable<AuditEntryTable>[]; head: AuditHead } {
  const time = context.now.toISOString();
  let seq = Number(head.seq);
  let chain = head.chain_hash;
  const entries: AuditEntry[] = [];
  const rows = events.map((event) => {
    const { leaf, evidence } = sealEvent(event, { hubCode: context.hubCode, time, owners });
    seq += 1;
    const leafHash = sm3Hex(leaf);
    chain = chainHash(chain, leafHash);
    entries.push({ seq, leaf, leafHash, chainHash: chain });
    return { seq, time, leaf, leaf_hash: leafHash, chain_hash: chain, evidence, ...indexColumns(event) };
  });
  return { entries, rows, head: { seq, chain_hash: chain } };
}

async function append(
  trx: Transaction<Database> | Kysely<Database>,
  context: AuditContext,
  events: readonly AuditEvent[],
): Promise<AuditEntry[]> {
  const query = trx.selectFrom('audit_head').selectAll().where('id', '=', 1);
  // SQLite has no FOR UPDATE: its transactions already hold the database's one write lock.
  const head = await (context.engine === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
  const owners = await catalogOwners(trx, events);
  const sealed = sealAfter(head, context, events, owners);
  for (let start = 0; start < sealed.rows.length; start += 500) {
    await trx
      .insertInto('audit_entries')
      .values(sealed.rows.slice(start, start + 500))
      .execute();
  }
  await trx.updateTable('audit_head').set(sealed.head).where('id', '=', 1).execute();
  return sealed.entries;
}

import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { EvidenceBundle } from './leaf.js';
import { toRecord, type CheckpointRecord } from './checkpoints.js';

/** The auditor's filters; times are ISO 8601, `from` inclusive and `to` exclusive. */
export interface AuditFilter {
  action?: string;
  actor?: string;
  org?: string;
  object?: string;
  result?: 'success' | 'failure';
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** One entry as the auditor reads it: the filter columns, the parsed leaf and event, the hashes. */
export interface AuditItem {
  seq: number;
  time: string;
  action: string;
  actor: string;
  org: string | null;
  object: string | null;
  result: string;
  leaf: Record<string, unknown>;
  event: Record<string, unknown>;
  leafHash: string;
  chainHash: string;
}

/** Cursors are the last seq (or checkpoint size) of a page, in decimal. */
function afterCursor(cursor: string | undefined, start = 0): number {
  if (cursor === undefined) return start;
  if (!/^[0-9]{1,15}$/.test(cursor))
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'cursor is not one this hub gave out' });
  return Number(cursor);
}

function isoTime(value: string, name: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail: `${name} is not a time` });
  return time.toISOString();
}

function parsed(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A mangled row is still shown; verification says where and why.
    return {};
  }
}

/** One page of entries in seq order, and the cursor of the next page (null at the end). */
export async function listEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
): Promise<{ items: AuditItem[]; next: string | null }> {
  let query = db
    .selectFrom('audit_entries')
    .selectAll()
    .where('seq', '>', afterCursor(filter.cursor))
    .orderBy('seq')
    .limit(filter.limit + 1);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.org !== undefined) query = query.where('org_id', '=', filter.org);
  if (filter.object !== undefined) query = query.where('object', '=', filter.object);
  if (filter.result !== undefined) query = query.where('result', '=', filter.result);
  if (filter.from !== undefined) query = query.where('time', '>=', isoTime(filter.from, 'from'));
  if (filter.to !== undefined) query = query.where('time', '<', isoTime(filter.to, 'to'));
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const items = page.map((row) => ({
    seq: row.seq,
    time: row.time,
    action: row.action,
    actor: row.actor,
    org: row.org_id,
    object: row.object,
    result: row.result,
    leaf: parsed(row.leaf),
    event: (parsed(row.evidence) as Partial<EvidenceBundle>).event ?? {},
    leafHash: row.leaf_hash,
    chainHash: row.chain_hash,
  }));
  const more = rows.length > filter.limit;
  return { items, next: more ? String(page[page.length - 1]?.seq) : null };
}

/** One page of checkpoints by size. */
export async function listCheckpoints(
  db: Kysely<Database>,
  filter: { cursor?: string; limit: number },
): Promise<{ items: CheckpointRecord[]; next: string | null }> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('size', '>', afterCursor(filter.cursor, -1))
    .orderBy('size')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  return { items: page.map(toRecord), next: more ? String(page[page.length - 1]?.size) : null };
}

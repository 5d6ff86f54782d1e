/**
 * What the province stores of a sync (docs/cascade-api.md "Sync"): the federated entries of an
 * origin, and the child's cursor and health. A plan is applied with its cursor in ONE
 * transaction, the cursor first and only if it is still the one planned from: a crash leaves the
 * old cursor (the next run re-reads, idempotently), and two hub processes syncing the same child
 * cannot both apply.
 */
import type { FederatedEntry, SyncOperation, SyncPlan } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { CascadeSyncTable } from '../../db/schema-cascade-feed.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import { searchTextOf } from '../catalog/search.js';
import { reindexEntries, searchTexts } from './entries-index.js';
import type { SyncFailure } from './sync-read.js';

/** The sync state of a child; a child never synced starts at cursor 0. */
export async function syncState(db: Kysely<Database>, hub: string): Promise<CascadeSyncTable | undefined> {
  return db.selectFrom('cascade_sync').selectAll().where('hub', '=', hub).executeTakeFirst();
}

/** Makes sure the child has a state row, so the cursor update below always has a row to guard on. */
export async function ensureSyncState(
  db: Kysely<Database>,
  hub: string,
  now: Date,
): Promise<CascadeSyncTable> {
  const at = now.toISOString();
  await db
    .insertInto('cascade_sync')
    .values({ hub, cursor: 0, head: 0, last_sync_at: null, last_error: null, blocked: null, updated_at: at })
    .onConflict((oc) => oc.column('hub').doNothing())
    .execute();
  return (await syncState(db, hub)) as CascadeSyncTable;
}

/** The entries held of an origin, tombstones and absences included, as the planner reads them. */
export async function entriesOf(db: Kysely<Database>, origin: string): Promise<FederatedEntry[]> {
  const rows = await db
    .selectFrom('cascade_entries')
    .select(['object', 'version', 'digest', 'status'])
    .where('origin', '=', origin)
    .execute();
  return rows.map((row) => ({ ...row, version: Number(row.version) }));
}

function failureText(failure: SyncFailure | null, now: Date): string | null {
  return failure ? JSON.stringify({ ...failure, at: now.toISOString() }) : null;
}

/** A read that applied nothing: only the error and the time of the attempt change. */
export async function recordFailure(hub: HubContext, child: string, failure: SyncFailure, head: number) {
  const now = hub.now();
  await hub.store.db
    .updateTable('cascade_sync')
    .set({
      last_error: failureText(failure, now),
      updated_at: now.toISOString(),
      ...(head > 0 ? { head } : {}),
    })
    .where('hub', '=', child)
    .execute();
}

/** Writes one entry; answers its new search text (null once it is no longer live). */
async function writeEntry(trx: Kysely<Database>, origin: string, operation: SyncOperation, at: string) {
  const after = operation.after as FederatedEntry;
  const signed = operation.item?.signedRecord;
  const searchText = after.status === 'live' && signed ? searchTextOf(signed.resource) : null;
  const values = {
    version: after.version,
    digest: after.digest,
    status: after.status,
    synced_at: at,
    reason: operation.item?.type === 'Delete' ? (operation.item.reason ?? null) : null,
    search_text: searchText,
    // A tombstone keeps the last record held, so the province can still show what was removed.
    ...(signed ? { record: JSON.stringify(operation.item?.record), name: signed.resource.name } : {}),
  };
  const code = signed?.resource.code ?? operation.object.split(':')[5] ?? '';
  await trx
    .insertInto('cascade_entries')
    .values({ object: operation.object, origin, resource_code: code, record: null, name: null, ...values })
    .onConflict((oc) => oc.column('object').doUpdateSet(values))
    .execute();
  return { key: operation.object, text: searchText };
}

export interface ApplyContext {
  actor: AuditEvent['actor'];
  confirmed: boolean;
  head: number;
  failure: SyncFailure | null;
}

/** The plan's summary kept in the audit entry and the blocked state. */
export function planFacts(plan: SyncPlan) {
  return {
    mode: plan.mode,
    counts: plan.counts,
    removals: plan.removals,
    live: plan.live,
    cursor: plan.cursor,
    refused: plan.refused.map((issue) => ({ code: issue.code, location: issue.location })),
  };
}

/** Applies a plan, its cursor and an audit entry in one transaction; 409 if another run moved the cursor. */
export async function applyPlan(hub: HubContext, plan: SyncPlan, context: ApplyContext): Promise<void> {
  const now = hub.now();
  const at = now.toISOString();
  await hub.store.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('cascade_sync')
      .set({ cursor: plan.cursor.next, head: Math.max(context.head, plan.cursor.next), last_sync_at: at })
      .set({ last_error: failureText(context.failure, now), blocked: null, updated_at: at })
      .where('hub', '=', plan.origin)
      .where('cursor', '=', plan.cursor.previous)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      throw new HubError('HUB_ERR_CONFLICT', { detail: `another sync of ${plan.origin} applied first` });
    const writes = plan.operations.filter(
      (operation) => operation.after && operation.after !== operation.before,
    );
    const before = await searchTexts(
      trx,
      writes.map((operation) => operation.object),
    );
    const texts = [];
    for (const operation of writes) texts.push(await writeEntry(trx, plan.origin, operation, at));
    await reindexEntries(trx, hub.store.engine, texts, before);
    const event: AuditEvent = {
      type: 'cascade',
      action: context.confirmed ? 'sync.confirm' : 'sync',
      actor: context.actor,
      object: plan.origin,
      result: 'success',
      detail: planFacts(plan),
    };
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [event]);
  });
}

/** Stores a plan the mass-delete guard stopped, with its audit entry; the cursor stays. */
export async function recordBlocked(hub: HubContext, plan: SyncPlan, context: ApplyContext): Promise<void> {
  const now = hub.now();
  const blocked = JSON.stringify({ ...planFacts(plan), blocked: plan.blocked, at: now.toISOString() });
  await hub.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cascade_sync')
      .set({
        blocked,
        head: context.head,
        last_error: failureText(context.failure, now),
        updated_at: now.toISOString(),
      })
      .where('hub', '=', plan.origin)
      .execute();
    const event: AuditEvent = {
      type: 'cascade',
      action: 'sync.blocked',
      actor: context.actor,
      object: plan.origin,
      result: 'failure',
      detail: { ...planFacts(plan), share: plan.blocked?.share, maxShare: plan.blocked?.maxShare },
    };
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [event]);
  });
}

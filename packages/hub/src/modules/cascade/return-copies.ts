/**
 * The city's return-flow copies: their state as admin and auditor read it, the copied rows, and
 * the small writes of a pull that applies nothing (an error, a revoked copy emptied).
 */
import { stateDigest } from '@minjiang/standards';
import type { Selectable } from 'kysely';
import type { CascadeReturnCopyTable } from '../../db/schema-cascade-return.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import type { CopyPull } from './return-pull.js';

type Copy = Selectable<CascadeReturnCopyTable>;

function parsed(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

/** Every copy with its cursor, rows, digest and verification against the parent. */
export async function copyViews(hub: HubContext) {
  const copies = await hub.store.db
    .selectFrom('cascade_return_copies')
    .selectAll()
    .orderBy('subscription_id')
    .execute();
  return copies.map((copy) => ({
    subscription: copy.subscription_id,
    parent: copy.parent,
    resource: copy.resource_code,
    regionItem: copy.region_item,
    prefix: copy.region_prefix,
    items: JSON.parse(copy.items) as string[],
    masking: copy.masking,
    state: copy.state,
    cursor: Number(copy.cursor),
    rows: Number(copy.rows),
    stateDigest: copy.state_digest,
    parentHead: Number(copy.parent_head),
    parentRows: copy.parent_rows === null ? null : Number(copy.parent_rows),
    parentDigest: copy.parent_digest,
    verification: copy.verification,
    lastSyncAt: copy.last_sync_at,
    lastError: parsed(copy.last_error),
  }));
}

/** One page of a copy's rows in key order; `cursor` is the last key of the previous page. */
export async function copyRows(hub: HubContext, id: string, cursor: string | undefined, limit: number) {
  const copy = await hub.store.db
    .selectFrom('cascade_return_copies')
    .select('subscription_id')
    .where('subscription_id', '=', id)
    .executeTakeFirst();
  if (!copy) throw new HubError('HUB_ERR_NOT_FOUND', { what: 'return copy', id });
  let query = hub.store.db.selectFrom('cascade_return_rows').selectAll().where('subscription_id', '=', id);
  if (cursor !== undefined) query = query.where('row_key', '>', cursor);
  const rows = await query
    .orderBy('row_key')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((row) => ({
    key: row.row_key,
    digest: row.digest,
    row: JSON.parse(row.row) as Record<string, string | null>,
  }));
  return { items, next: rows.length > limit ? (items.at(-1)?.key ?? null) : null };
}

/** Records why a pull of a copy stopped. */
export async function recordError(hub: HubContext, id: string, error: CopyPull['error']): Promise<void> {
  const at = hub.now().toISOString();
  await hub.store.db
    .updateTable('cascade_return_copies')
    .set({ last_error: JSON.stringify({ ...error, at }), updated_at: at })
    .where('subscription_id', '=', id)
    .execute();
}

/** A copy's pull that read nothing. */
export function unchanged(copy: Copy): Omit<CopyPull, 'error'> {
  const figures = { cursor: Number(copy.cursor), rows: Number(copy.rows), verification: copy.verification };
  return { subscription: copy.subscription_id, state: copy.state, pages: 0, applied: 0, ...figures };
}

/** A revoked subscription's copy is emptied: the authority to hold the rows ended. */
export async function dropCopy(hub: HubContext, id: string): Promise<void> {
  await hub.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('cascade_return_rows').where('subscription_id', '=', id).execute();
    await trx
      .updateTable('cascade_return_copies')
      .set({
        rows: 0,
        state_digest: stateDigest([]),
        verification: 'pending',
        updated_at: hub.now().toISOString(),
      })
      .where('subscription_id', '=', id)
      .execute();
  });
}

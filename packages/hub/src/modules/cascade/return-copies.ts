/** The city's reads of its return-flow copies (admin, auditor): state, and the copied rows. */
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';

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

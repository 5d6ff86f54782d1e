/**
 * The province's change log of a return-flow subscription (docs/cascade-return.md). The row store
 * keeps no change sequence and deletes rows outright, so the province compares what the
 * subscription would release now — the resource's rows whose region item starts with the prefix,
 * projected and masked — with the latest change it logged for each row key, and logs the
 * difference under new seqs: an upsert for a new or changed row, a delete for a row gone (or moved
 * out of the region). Each key keeps only its latest change; deletes stay, so a city offline for
 * months still learns of them. One refresh of a subscription runs at a time in a hub process, and
 * its head moves only from the value it read (another process's refresh makes this one retry).
 */
import { createHmac } from 'node:crypto';
import {
  applyMasking,
  canonicalJson,
  maskingPlan,
  rowDigest,
  type MaskingPlan,
  type ReturnRow,
} from '@minjiang/standards';
import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CascadeReturnSubscriptionTable } from '../../db/schema-cascade-return.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { parseRowFilter, publishedResource } from '../sharing/resource-terms.js';

export type Subscription = Selectable<CascadeReturnSubscriptionTable>;

/** What releasing a row under a subscription needs, worked out once per refresh. */
export interface ReleaseTerms {
  regionItem: string;
  prefix: string;
  /** The authorising grant's row filter, if it has one: the subscription never releases more. */
  grantFilter: { item: string; values: string[] } | undefined;
  fields: { item: string; field: string }[];
  plan: MaskingPlan;
  recipientKey: string | undefined;
  keySecret: Buffer;
}

/** The terms of a subscription under the resource's published version now. */
export async function releaseTerms(
  hub: HubContext,
  sub: Subscription,
  db: Transaction<Database> | HubContext['store']['db'] = hub.store.db,
): Promise<ReleaseTerms> {
  // Within a transaction, the transaction's handle: SQLite has one connection, which it holds.
  const resource = await publishedResource(db, 'zh-CN', sub.resource_code);
  const names = JSON.parse(sub.items) as string[];
  const items = names.map((name) => {
    const item = resource.items.find((candidate) => candidate.name === name);
    return {
      name,
      technicalName: item?.technicalName ?? name,
      check: item?.check,
      sensitive: item?.sensitive,
    };
  });
  const plan = maskingPlan(sub.masking, items);
  const grant = sub.grant_id
    ? await db.selectFrom('grants').select('row_filter').where('id', '=', sub.grant_id).executeTakeFirst()
    : undefined;
  return {
    regionItem: sub.region_item,
    prefix: sub.region_prefix,
    grantFilter: grant?.row_filter ? parseRowFilter(resource, grant.row_filter) : undefined,
    fields: items.map((item) => ({ item: item.name, field: item.technicalName })),
    plan,
    // Pseudonyms are the child's own: the same subject links within its copy, nowhere else.
    recipientKey: plan.needsRecipientKey ? hub.key.derive(`recipient:cascade:${sub.child}`) : undefined,
    keySecret: Buffer.from(hub.key.derive(`cascade-return-key:${sub.id}`), 'hex'),
  };
}

/** The row as the subscription releases it, or null when it lies outside the region. */
export function releasedRow(terms: ReleaseTerms, stored: Record<string, string>): ReturnRow | null {
  if (!String(stored[terms.regionItem] ?? '').startsWith(terms.prefix)) return null;
  const filter = terms.grantFilter;
  if (filter && !filter.values.includes(stored[filter.item] ?? '')) return null;
  const projected: Record<string, string> = {};
  for (const { item, field } of terms.fields) projected[field] = stored[item] ?? '';
  const options = terms.recipientKey ? { recipientKey: terms.recipientKey } : {};
  return applyMasking(terms.plan, projected, options);
}

/**
 * The subscription's key of a row: a keyed SM3 of the provincial key, since key items (an ID
 * number) may be masked or not projected at all, and the key must not carry them in clear.
 */
export function subscriptionKey(terms: ReleaseTerms, rowKey: string): string {
  return createHmac('sm3', terms.keySecret).update(rowKey, 'utf8').digest('hex');
}

interface Released {
  row: string;
  digest: string;
}

/** Every row the subscription releases now, by subscription key. Reads the store in key pages. */
async function releasedNow(trx: Transaction<Database>, sub: Subscription, terms: ReleaseTerms) {
  const rows = new Map<string, Released>();
  let after: string | undefined;
  for (;;) {
    let query = trx
      .selectFrom('data_rows')
      .select(['row_key', 'row'])
      .where('resource_code', '=', sub.resource_code)
      .orderBy('row_key')
      .limit(2000);
    if (after !== undefined) query = query.where('row_key', '>', after);
    const page = await query.execute();
    for (const stored of page) {
      const row = releasedRow(terms, JSON.parse(stored.row) as Record<string, string>);
      if (row)
        rows.set(subscriptionKey(terms, stored.row_key), { row: canonicalJson(row), digest: rowDigest(row) });
    }
    if (page.length < 2000) return rows;
    after = page.at(-1)?.row_key;
  }
}

type Change = { key: string; change: 'upsert'; released: Released } | { key: string; change: 'delete' };

async function changesOf(trx: Transaction<Database>, sub: Subscription, now: Map<string, Released>) {
  const logged = await trx
    .selectFrom('cascade_return_log')
    .select(['row_key', 'change', 'digest'])
    .where('subscription_id', '=', sub.id)
    .execute();
  const before = new Map(logged.map((entry) => [entry.row_key, entry]));
  const changes: Change[] = [];
  for (const [key, released] of now) {
    const last = before.get(key);
    if (last?.change !== 'upsert' || last.digest !== released.digest)
      changes.push({ key, change: 'upsert', released });
  }
  for (const entry of logged)
    if (entry.change === 'upsert' && !now.has(entry.row_key))
      changes.push({ key: entry.row_key, change: 'delete' });
  // Keys in a stable order, so two refreshes of the same change give the same seqs.
  return changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function logChanges(trx: Transaction<Database>, sub: Subscription, changes: Change[]): Promise<number> {
  let head = Number(sub.head);
  for (const change of changes) {
    head += 1;
    const values =
      change.change === 'upsert'
        ? { seq: head, change: change.change, row: change.released.row, digest: change.released.digest }
        : { seq: head, change: change.change, row: null, digest: null };
    await trx
      .insertInto('cascade_return_log')
      .values({ subscription_id: sub.id, row_key: change.key, ...values })
      .onConflict((conflict) => conflict.columns(['subscription_id', 'row_key']).doUpdateSet(values))
      .execute();
  }
  return head;
}

const running = new Map<string, Promise<unknown>>();

/** Runs `work` after any other work on the same subscription in this process has finished. */
export function oneAtATime<T>(id: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(id) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  running.set(id, settled);
  void settled.then(() => {
    if (running.get(id) === settled) running.delete(id);
  });
  return next;
}

/** Logs what changed since the last refresh; answers the head and how many changes were logged. */
export async function refreshLog(
  hub: HubContext,
  subscriptionId: string,
): Promise<{ head: number; changed: number }> {
  return hub.store.db.transaction().execute(async (trx) => {
    const sub = await trx
      .selectFrom('cascade_return_subscriptions')
      .selectAll()
      .where('id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    if (sub.state !== 'ACTIVE') return { head: Number(sub.head), changed: 0 };
    const changes = await changesOf(trx, sub, await releasedNow(trx, sub, await releaseTerms(hub, sub, trx)));
    if (changes.length === 0) return { head: Number(sub.head), changed: 0 };
    const head = await logChanges(trx, sub, changes);
    const moved = await trx
      .updateTable('cascade_return_subscriptions')
      .set({ head, updated_at: hub.now().toISOString() })
      .where('id', '=', sub.id)
      .where('head', '=', sub.head)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      throw new HubError('HUB_ERR_CONFLICT', { detail: `another refresh of ${sub.id} logged first` });
    return { head, changed: changes.length };
  });
}

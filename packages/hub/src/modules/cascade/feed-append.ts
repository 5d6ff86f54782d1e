/**
 * Appending to this hub's cascade feed (docs/cascade-api.md "Feed"). The catalog's review
 * transition calls `appendCatalogChange` inside its own transaction, so an item exists exactly
 * when its change committed, and its seq comes from the `cascade-feed` counter row: the row lock
 * taken by the upsert serialises publishers until commit, so seqs are gap-free and commit in
 * order (a reader never sees seq n+1 before n).
 */
import { buildFeedItem, buildTombstone, datasetUrn, type CatalogResource } from '@minjiang/standards';
import { sql, type Kysely } from 'kysely';
import type { CascadeFeedTable } from '../../db/schema-cascade-feed.js';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';

/** The counter in hub_counters that numbers feed items. */
export const FEED_COUNTER = 'cascade-feed';

/** A review transition as the feed sees it. */
export interface CatalogChange {
  code: string;
  action: 'submit' | 'approve' | 'reject' | 'withdraw';
  /** The version the transition moved. */
  version: number;
  /** The resource's published version before the transition. */
  publishedBefore: number | null;
  now: Date;
}

type FeedRow = CascadeFeedTable;

/**
 * The next seq, as governance's takeNumbers does it: one upsert of the counter row, which on
 * PostgreSQL stays locked until the caller's transaction ends (SQLite has one writer anyway).
 */
async function nextSeq(trx: Kysely<Database>): Promise<number> {
  const { value } = await trx
    .insertInto('hub_counters')
    .values({ name: FEED_COUNTER, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`hub_counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(value);
}

async function lastItem(trx: Kysely<Database>, column: 'code' | 'object', value: string) {
  return trx
    .selectFrom('cascade_feed')
    .selectAll()
    .where(column, '=', value)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function insertItem(trx: Kysely<Database>, row: FeedRow): Promise<void> {
  await trx.insertInto('cascade_feed').values(row).execute();
}

async function documentOf(trx: Kysely<Database>, code: string, version: number): Promise<CatalogResource> {
  const row = await trx
    .selectFrom('catalog_versions')
    .select('document')
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.document) as CatalogResource;
}

async function appendTombstone(
  trx: Kysely<Database>,
  code: string,
  target: { object: string; version: number },
  reason: 'WITHDRAWN' | 'MERGED',
  now: string,
  successor?: string,
): Promise<void> {
  const seq = await nextSeq(trx);
  const item = buildTombstone({
    seq,
    object: target.object,
    version: target.version,
    published: now,
    reason,
    successor,
  });
  await insertItem(trx, {
    seq,
    code,
    object: item.object,
    version: item.version,
    type: 'Delete',
    published: now,
    digest: null,
    record: null,
    reason,
    successor: successor ?? null,
  });
}

/**
 * A published version becomes a Create or Update. Its feed version is the catalog version unless
 * the object was tombstoned at that number or above (a withdrawn resource published again): feed
 * versions must keep increasing per object, or the province would take the new version for a
 * replay. A provider change moves the resource to another URN: the old object is ended (MERGED).
 */
async function appendPublished(trx: Kysely<Database>, hub: HubContext, change: CatalogChange): Promise<void> {
  const now = change.now.toISOString();
  const resource = await documentOf(trx, change.code, change.version);
  const origin = hub.config.hubCode;
  const object = datasetUrn({ hub: origin, uscc: resource.provider.uscc, code: resource.code });
  const previous = await lastItem(trx, 'code', change.code);
  if (previous && previous.type !== 'Delete' && previous.object !== object)
    await appendTombstone(
      trx,
      change.code,
      { object: previous.object, version: previous.version + 1 },
      'MERGED',
      now,
      object,
    );
  const held = previous?.object === object ? previous : await lastItem(trx, 'object', object);
  const version = Math.max(change.version, (held?.version ?? 0) + 1);
  const seq = await nextSeq(trx);
  const item = buildFeedItem({ seq, origin, version, published: now, resource }, hub.key);
  await insertItem(trx, {
    seq,
    code: change.code,
    object,
    version,
    type: item.type,
    published: now,
    digest: item.digest ?? null,
    record: JSON.stringify(item.record),
    reason: null,
    successor: null,
  });
}

/** Withdrawing the published version ends the object with a tombstone one above its last version. */
async function appendWithdrawn(trx: Kysely<Database>, hub: HubContext, change: CatalogChange): Promise<void> {
  const now = change.now.toISOString();
  const previous = await lastItem(trx, 'code', change.code);
  if (previous?.type === 'Delete') return;
  // A version published before this hub had a feed has no item: its URN comes from the document.
  const target = previous ?? {
    object: await documentOf(trx, change.code, change.version).then((resource) =>
      datasetUrn({ hub: hub.config.hubCode, uscc: resource.provider.uscc, code: resource.code }),
    ),
    version: change.version,
  };
  await appendTombstone(
    trx,
    change.code,
    { object: target.object, version: target.version + 1 },
    'WITHDRAWN',
    now,
  );
}

/**
 * The feed's part of a review transition, in the transition's transaction: approving publishes
 * (the superseded version needs no item of its own, the Update replaces it), withdrawing the
 * published version deletes; submitting, rejecting and withdrawing an unpublished draft change
 * nothing others can see.
 */
export async function appendCatalogChange(
  trx: Kysely<Database>,
  hub: HubContext,
  change: CatalogChange,
): Promise<void> {
  if (change.action === 'approve') await appendPublished(trx, hub, change);
  else if (change.action === 'withdraw' && change.version === change.publishedBefore)
    await appendWithdrawn(trx, hub, change);
}

/** The marker counter: present once the versions published before the feed existed have items. */
const SEEDED_MARKER = 'cascade-feed-seeded';
const seeded = new WeakSet<HubContext>();

/**
 * Gives every resource published before this hub had a feed (migration 009 on a running hub) its
 * Create or Update item, once: the marker row is inserted in the same transaction, so a second
 * hub process waits for the first and then finds nothing to do. Resources with any item already
 * are left alone. Answers how many items it added.
 */
export async function seedFeed(hub: HubContext): Promise<number> {
  if (seeded.has(hub)) return 0;
  const added = await hub.store.db.transaction().execute(async (trx) => {
    const marker = await trx
      .insertInto('hub_counters')
      .values({ name: SEEDED_MARKER, value: 1 })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .execute();
    if (marker.length === 0) return 0;
    const rows = await trx
      .selectFrom('catalog_resources as r')
      .select(['r.code', 'r.published_version'])
      .where('r.published_version', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('cascade_feed as f').select('f.seq').whereRef('f.code', '=', 'r.code')),
        ),
      )
      .orderBy('r.code')
      .execute();
    for (const row of rows) {
      const version = Number(row.published_version);
      const change = {
        code: row.code,
        action: 'approve' as const,
        version,
        publishedBefore: null,
        now: hub.now(),
      };
      await appendPublished(trx, hub, change);
    }
    return rows.length;
  });
  seeded.add(hub);
  return added;
}

/**
 * The search postings of federated entries (migration 013): written by a sync with the entries
 * it changes, and, once per process before the first search, for live entries synced before
 * the postings existed — the same lazy, idempotent catch-up as the feed's seeding.
 */
import type { CatalogResource } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { replacePostings, type PostingTable } from '../catalog/repository.js';
import { searchTextOf } from '../catalog/search.js';

const ENTRY_POSTINGS: PostingTable = { table: 'cascade_entry_terms', key: 'object' };

/** Replaces the postings of entries by the terms of their search texts (none: not searchable). */
export function indexEntries(
  trx: Kysely<Database>,
  engine: Engine,
  entries: readonly { key: string; texts: string[] }[],
): Promise<void> {
  return replacePostings(trx, engine, ENTRY_POSTINGS, entries);
}

const caughtUp = new WeakSet<HubContext>();

/** Indexes the live entries that have a record but no search text yet; once per process. */
export async function indexUnsearchedEntries(hub: HubContext): Promise<void> {
  if (caughtUp.has(hub)) return;
  await hub.store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('cascade_entries')
      .select(['object', 'record'])
      .where('status', '=', 'live')
      .where('search_text', 'is', null)
      .where('record', 'is not', null)
      .execute();
    const entries = rows.map((row) => {
      const envelope = JSON.parse(row.record as string) as { payload: string };
      const payload = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
        resource: CatalogResource;
      };
      return { key: row.object, texts: [searchTextOf(payload.resource)] };
    });
    for (const entry of entries) {
      await trx
        .updateTable('cascade_entries')
        .set({ search_text: entry.texts[0] as string })
        .where('object', '=', entry.key)
        .execute();
    }
    await indexEntries(trx, hub.store.engine, entries);
  });
  caughtUp.add(hub);
}

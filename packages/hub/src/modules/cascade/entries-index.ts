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
import { chunks, insertPostings, replacePostings, type PostingTable } from '../catalog/repository.js';
import { searchTextOf, termsOf } from '../catalog/search.js';

const ENTRY_POSTINGS: PostingTable = { table: 'cascade_entry_terms', key: 'object' };

/** Replaces the postings of entries by the terms of their search texts (none: not searchable). */
export function indexEntries(
  trx: Kysely<Database>,
  engine: Engine,
  entries: readonly { key: string; texts: string[] }[],
): Promise<void> {
  return replacePostings(trx, engine, ENTRY_POSTINGS, entries);
}

/** The stored search texts of entries, read before a sync rewrites them. */
export async function searchTexts(
  trx: Kysely<Database>,
  objects: readonly string[],
): Promise<Map<string, string | null>> {
  const texts = new Map<string, string | null>();
  for (const part of chunks(objects)) {
    const rows = await trx
      .selectFrom('cascade_entries')
      .select(['object', 'search_text'])
      .where('object', 'in', part)
      .execute();
    for (const row of rows) texts.set(row.object, row.search_text);
  }
  return texts;
}

/**
 * Brings the postings of changed entries from their old search texts to their new ones, writing
 * only the terms that differ (an edit of one field leaves most terms as they are). Holds because
 * an entry's postings are always exactly the terms of its stored search text.
 */
export async function reindexEntries(
  trx: Kysely<Database>,
  engine: Engine,
  entries: readonly { key: string; text: string | null }[],
  before: ReadonlyMap<string, string | null>,
): Promise<void> {
  const after = new Map(entries.map((entry) => [entry.key, entry.text]));
  const added: { key: string; term: string }[] = [];
  for (const [key, text] of after) {
    const old = before.get(key);
    const was = old ? termsOf(old) : new Set<string>();
    const now = text === null ? new Set<string>() : termsOf(text);
    const gone = [...was].filter((term) => !now.has(term));
    for (const part of chunks(gone)) {
      await trx
        .deleteFrom('cascade_entry_terms')
        .where('object', '=', key)
        .where('term', 'in', part)
        .execute();
    }
    for (const term of now) if (!was.has(term)) added.push({ key, term });
  }
  await insertPostings(trx, engine, ENTRY_POSTINGS, added);
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

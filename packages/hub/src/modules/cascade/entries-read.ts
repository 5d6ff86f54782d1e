/**
 * Reading the federated entries a province holds (docs/cascade-api.md "Feed"): one origin's
 * entries in object order, or — with `q` — a keyword search over the live entries of every
 * origin (or one), with the same Chinese unigram/bigram terms as the catalog's own search
 * (modules/catalog/search.ts), so that a department at the province finds a city's resource
 * to apply for. Entries are shown with their origin and are never writable here.
 */
import { sql, type SqlBool } from 'kysely';
import type { Selectable } from 'kysely';
import type { CascadeEntryTable } from '../../db/schema-cascade-feed.js';
import type { HubContext } from '../../plugins/store.js';
import { planSearch } from '../catalog/search.js';
import { decodeCursor, encodeCursor } from '../workflow/cursor.js';
import { indexUnsearchedEntries } from './entries-index.js';

export interface EntriesQuery {
  origin?: string;
  q?: string;
  status?: 'live' | 'tombstone' | 'absent';
  cursor?: string;
  limit: number;
}

type EntryRow = Selectable<CascadeEntryTable>;

/** An entry as answered: its origin, state and the owner's catalog document when one is held. */
function entryView(row: EntryRow) {
  const record = row.record ? (JSON.parse(row.record) as { payload: string }) : null;
  const payload = record
    ? (JSON.parse(Buffer.from(record.payload, 'base64').toString('utf8')) as { resource: unknown })
    : null;
  return {
    origin: row.origin,
    object: row.object,
    version: Number(row.version),
    status: row.status,
    digest: row.digest,
    resourceCode: row.resource_code,
    name: row.name,
    reason: row.reason,
    syncedAt: row.synced_at,
    resource: payload?.resource ?? null,
  };
}

/** Substring confirmation of a query token in an entry's search text (as the catalog's search). */
function contains(hub: HubContext, token: string) {
  return hub.store.engine === 'postgres'
    ? sql<SqlBool>`strpos(e.search_text, ${token}) > 0`
    : sql<SqlBool>`instr(e.search_text, ${token}) > 0`;
}

/** The rows of one page: by origin in object order, or by the search's driving term. */
async function pageRows(hub: HubContext, query: EntriesQuery): Promise<EntryRow[]> {
  const db = hub.store.db;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)[1];
  let select = db.selectFrom('cascade_entries as e').selectAll('e');
  if (query.q !== undefined) {
    const plan = planSearch(query.q);
    if (!plan) return [];
    const [driver, ...others] = plan.terms as [string, ...string[]];
    select = select.innerJoin('cascade_entry_terms as t', (join) =>
      join.onRef('t.object', '=', 'e.object').on('t.term', '=', driver),
    );
    for (const term of others) {
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('cascade_entry_terms as x')
            .select('x.object')
            .where('x.term', '=', term)
            .where('x.object', '=', sql.ref<string>('e.object')),
        ),
      );
    }
    for (const token of plan.tokens) select = select.where(contains(hub, token));
  }
  if (query.origin !== undefined) select = select.where('e.origin', '=', query.origin);
  if (query.status) select = select.where('e.status', '=', query.status);
  if (after !== undefined) select = select.where('e.object', '>', after);
  return select
    .orderBy('e.object')
    .limit(query.limit + 1)
    .execute();
}

/** One page of federated entries, with the next cursor when more remain. */
export async function listEntries(hub: HubContext, query: EntriesQuery) {
  if (query.q !== undefined) await indexUnsearchedEntries(hub);
  const rows = await pageRows(hub, query);
  const items = rows.slice(0, query.limit).map(entryView);
  const last = items.at(-1);
  return { items, ...(rows.length > query.limit && last ? { next: encodeCursor('', last.object) } : {}) };
}

import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { CatalogResourceTable, CatalogVersionTable, Database } from '../../db/schema.js';
import { termsOf } from './search.js';

/** Rows per multi-row statement: well under both engines' bound-parameter limits. */
export const CHUNK = 500;

export type ResourceRow = Selectable<CatalogResourceTable>;
export type VersionRow = Selectable<CatalogVersionTable>;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Reads resources by code inside a write transaction. On PostgreSQL the rows are locked until
 * commit, so two writers of one resource take turns; SQLite transactions already hold its single
 * write lock once they write, and Kysely runs one statement at a time on its one connection.
 */
export async function lockResources(
  trx: Kysely<Database>,
  engine: Engine,
  codes: readonly string[],
): Promise<Map<string, ResourceRow>> {
  const found = new Map<string, ResourceRow>();
  for (const part of chunks(codes)) {
    // Locking in code order keeps two overlapping batches from deadlocking each other.
    const query = trx.selectFrom('catalog_resources').selectAll().where('code', 'in', part).orderBy('code');
    const rows = await (engine === 'postgres' ? query.forUpdate() : query).execute();
    for (const row of rows) found.set(row.code, row);
  }
  return found;
}

/** Organisation ids by USCC, for the provider of each entry. */
export async function organisationsByUscc(
  db: Kysely<Database>,
  usccs: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks([...new Set(usccs)])) {
    const rows = await db
      .selectFrom('organisations')
      .select(['id', 'uscc'])
      .where('uscc', 'in', part)
      .execute();
    for (const row of rows) found.set(row.uscc, row.id);
  }
  return found;
}

/** Inserts new resources. A plain insert: a concurrent creator of the same code makes it fail. */
export async function insertResources(
  trx: Kysely<Database>,
  rows: Insertable<CatalogResourceTable>[],
): Promise<void> {
  for (const part of chunks(rows)) await trx.insertInto('catalog_resources').values(part).execute();
}

/** Points existing resources at their new latest version, many rows per statement. */
export async function updateResources(trx: Kysely<Database>, rows: ResourceRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await trx
      .insertInto('catalog_resources')
      .values(part)
      .onConflict((conflict) =>
        conflict.column('code').doUpdateSet((eb) => ({
          org_id: eb.ref('excluded.org_id'),
          latest_version: eb.ref('excluded.latest_version'),
          published_version: eb.ref('excluded.published_version'),
          status: eb.ref('excluded.status'),
          content_hash: eb.ref('excluded.content_hash'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Writes versions: new ones, and drafts edited in place (their creation stays as it was). */
export async function upsertVersions(trx: Kysely<Database>, rows: VersionRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await trx
      .insertInto('catalog_versions')
      .values(part)
      .onConflict((conflict) =>
        conflict.columns(['code', 'version']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          document: eb.ref('excluded.document'),
          content_hash: eb.ref('excluded.content_hash'),
          name: eb.ref('excluded.name'),
          share_type: eb.ref('excluded.share_type'),
          open_type: eb.ref('excluded.open_type'),
          grading: eb.ref('excluded.grading'),
          update_cycle: eb.ref('excluded.update_cycle'),
          search_text: eb.ref('excluded.search_text'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** The search text of each resource's published version, for resources that have one. */
export async function publishedSearchTexts(
  trx: Kysely<Database>,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(codes)) {
    const rows = await trx
      .selectFrom('catalog_resources as r')
      .innerJoin('catalog_versions as v', (join) =>
        join.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.published_version'),
      )
      .select(['v.code', 'v.search_text'])
      .where('r.code', 'in', part)
      .execute();
    for (const row of rows) found.set(row.code, row.search_text);
  }
  return found;
}

/** Postings per statement on PostgreSQL, where two array parameters carry them all. */
const PG_TERM_CHUNK = 20_000;

/** A table of search postings `(term, <key>)`: the catalog's own, or the federated entries'. */
export type PostingTable =
  { table: 'catalog_terms'; key: 'code' } | { table: 'cascade_entry_terms'; key: 'object' };

const CATALOG_POSTINGS: PostingTable = { table: 'catalog_terms', key: 'code' };

/**
 * Inserts postings. A resource has a hundred or more, so a batch has tens of thousands: on
 * PostgreSQL they travel as two arrays through `unnest` (one round trip per 20,000); SQLite,
 * in-process, takes multi-row inserts.
 */
export async function insertPostings(
  trx: Kysely<Database>,
  engine: Engine,
  target: PostingTable,
  rows: { key: string; term: string }[],
) {
  const into = sql`${sql.table(target.table)} (${sql.ref(target.key)}, term)`;
  if (engine === 'postgres') {
    for (const part of chunks(rows, PG_TERM_CHUNK)) {
      const keys = part.map((row) => row.key);
      const terms = part.map((row) => row.term);
      await sql`insert into ${into} select * from unnest(${keys}::varchar[], ${terms}::varchar[])`.execute(
        trx,
      );
    }
    return;
  }
  for (const part of chunks(rows)) {
    await sql`insert into ${into} values ${sql.join(part.map((row) => sql`(${row.key}, ${row.term})`))}`.execute(
      trx,
    );
  }
}

/**
 * Replaces the search postings of the given keys by the terms of their texts (an entry with no
 * text keeps none). For the catalog: the terms of a resource's live versions (the latest, which
 * its owner sees, and the published one, which everyone else sees); the list query then confirms
 * each candidate against the version the caller may see.
 */
export async function replacePostings(
  trx: Kysely<Database>,
  engine: Engine,
  target: PostingTable,
  entries: readonly { key: string; texts: string[] }[],
): Promise<void> {
  for (const part of chunks(entries.map((entry) => entry.key))) {
    await sql`delete from ${sql.table(target.table)} where ${sql.ref(target.key)} in (${sql.join(part)})`.execute(
      trx,
    );
  }
  const rows = entries.flatMap(({ key, texts }) => [...termsOf(...texts)].map((term) => ({ key, term })));
  await insertPostings(trx, engine, target, rows);
}

/** The catalog's own postings of resources, by code. */
export function replaceTerms(
  trx: Kysely<Database>,
  engine: Engine,
  resources: readonly { code: string; texts: string[] }[],
): Promise<void> {
  const entries = resources.map(({ code, texts }) => ({ key: code, texts }));
  return replacePostings(trx, engine, CATALOG_POSTINGS, entries);
}

export async function findResource(db: Kysely<Database>, code: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('catalog_resources').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findVersion(
  db: Kysely<Database>,
  code: string,
  version: number,
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('catalog_versions')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every version of a resource, oldest first, without the documents. */
export async function versionHistory(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('catalog_versions')
    .select([
      'version',
      'status',
      'content_hash',
      'created_by',
      'created_at',
      'updated_by',
      'updated_at',
      'status_by',
      'status_at',
      'reason',
    ])
    .where('code', '=', code)
    .orderBy('version')
    .execute();
}

/** The organisation of each token id, so that history can say which organisation acted. */
export async function tokenOrganisations(
  db: Kysely<Database>,
  tokenIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(tokenIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('api_tokens').select(['id', 'org_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.org_id]));
}

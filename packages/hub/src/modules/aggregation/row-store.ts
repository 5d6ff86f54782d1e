/**
 * The row store: every resource's accepted rows in one table keyed by (resource, key), the row
 * as JSON text by item name. One table rather than a table per resource: registering or
 * changing a resource needs no DDL, a new catalog version with more items needs no ALTER, the
 * same migrations serve both engines, and on PostgreSQL the table partitions (or distributes,
 * with Citus) by resource_code when one resource holds tens of millions of rows. See the hub
 * README, "Data aggregation".
 */
import { createHash } from 'node:crypto';
import { sm3Hex } from '@minjiang/standards';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

type Db = Transaction<Database> | Kysely<Database>;

export interface StoredRow {
  /** JSON array text of the key values (trimmed). */
  key: string;
  /** JSON object text: item name → value. */
  row: string;
  /** SM3 hex of `row`. */
  hash: string;
}

export interface StoreCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export function storedRow(keyValues: readonly string[], row: Record<string, string>): StoredRow {
  return storedRowText(keyValues, JSON.stringify(row));
}

/** A stored row from its JSON text (see row-text.ts). */
export function storedRowText(keyValues: readonly string[], text: string): StoredRow {
  return { key: JSON.stringify(keyValues), row: text, hash: sm3Hex(text) };
}

/** The batch as three arrays: one round trip and no parameter limit, whatever its size. */
function inputArrays(rows: StoredRow[]) {
  return sql`unnest(${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.row)}::text[],
    ${rows.map((x) => x.hash)}::text[]) as t(k, r, h)`;
}

/**
 * PostgreSQL, incremental: one upsert a batch that skips unchanged rows; `xmax = 0` in RETURNING
 * tells an inserted row from an updated one, and what is not returned was unchanged.
 */
async function upsertPostgres(db: Db, resource: string, submission: string, rows: StoredRow[], now: string) {
  const { rows: written } = await sql<{ inserted: boolean }>`
    insert into data_rows (resource_code, row_key, row, row_hash, submission_id, flagged, updated_at)
    select ${resource}, k, r, h, ${submission}, 0, ${now} from ${inputArrays(rows)}
    on conflict (resource_code, row_key) do update
    set row = excluded.row, row_hash = excluded.row_hash, submission_id = excluded.submission_id,
        updated_at = excluded.updated_at
    where data_rows.row_hash <> excluded.row_hash
    returning (xmax = 0) as inserted`.execute(db);
  const inserted = written.filter((row) => row.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length };
}

/** SQLite: look up, then upsert (a few rows: corrections). */
async function storeRowsKysely(
  db: Db,
  resource: string,
  submission: string,
  rows: StoredRow[],
  now: string,
): Promise<StoreCounts> {
  const existing = new Map<string, string>();
  for (let start = 0; start < rows.length; start += 500) {
    const found = await db
      .selectFrom('data_rows')
      .select(['row_key', 'row_hash'])
      .where('resource_code', '=', resource)
      .where(
        'row_key',
        'in',
        rows.slice(start, start + 500).map((r) => r.key),
      )
      .execute();
    for (const row of found) existing.set(row.row_key, row.row_hash);
  }
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const row of rows) {
    const before = existing.get(row.key);
    if (before === row.hash) {
      counts.unchanged += 1;
      continue;
    }
    const values = { row: row.row, row_hash: row.hash, submission_id: submission, updated_at: now };
    await db
      .insertInto('data_rows')
      .values({ resource_code: resource, row_key: row.key, ...values })
      .onConflict((oc) => oc.columns(['resource_code', 'row_key']).doUpdateSet(values))
      .execute();
    if (before === undefined) counts.inserted += 1;
    else counts.updated += 1;
  }
  return counts;
}

/**
 * Upserts a few rows by key (corrections; a submission's rows go set-based through
 * staged-rows.ts); a row whose hash is unchanged is left alone.
 */
export async function storeRows(
  db: Db,
  engine: Engine,
  resource: string,
  submissionId: string,
  rows: StoredRow[],
  now: string,
): Promise<StoreCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  if (engine === 'postgres') return upsertPostgres(db, resource, submissionId, rows, now);
  return storeRowsKysely(db, resource, submissionId, rows, now);
}

/** Deletes the rows of a resource that the given submission did not write or keep (full mode). */
export async function deleteOthers(db: Db, resource: string, submissionId: string): Promise<number> {
  const result = await db
    .deleteFrom('data_rows')
    .where('resource_code', '=', resource)
    .where('submission_id', '<>', submissionId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes rows by key; returns how many existed. */
export async function deleteKeys(db: Db, resource: string, keys: string[]): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < keys.length; start += 1000) {
    const result = await db
      .deleteFrom('data_rows')
      .where('resource_code', '=', resource)
      .where('row_key', 'in', keys.slice(start, start + 1000))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/**
 * SM3 over the stored rows' hashes in key order, and the row count: what a receipt binds and
 * what a client recomputes to prove the stored set. Reads hashes only, in pages.
 */
export async function dataDigest(db: Db, resource: string): Promise<{ rows: number; digest: string }> {
  const hash = createHash('sm3');
  let rows = 0;
  let after: string | undefined;
  for (;;) {
    let query = db
      .selectFrom('data_rows')
      .select(['row_key', 'row_hash'])
      .where('resource_code', '=', resource)
      .orderBy('row_key')
      .limit(10_000);
    if (after !== undefined) query = query.where('row_key', '>', after);
    const page = await query.execute();
    for (const row of page) hash.update(row.row_hash);
    rows += page.length;
    if (page.length < 10_000) break;
    after = page[page.length - 1]?.row_key;
  }
  return { rows, digest: hash.digest('hex') };
}

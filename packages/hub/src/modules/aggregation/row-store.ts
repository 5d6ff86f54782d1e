/**
 * The row store: every resource's accepted rows in one table keyed by (resource, key), the row
 * as JSON text by item name. One table rather than a table per resource: registering or
 * changing a resource needs no DDL, a new catalog version with more items needs no ALTER, the
 * same migrations serve both engines, and on PostgreSQL the table partitions (or distributes,
 * with Citus) by resource_code when one resource holds tens of millions of rows. See the hub
 * README, "Data aggregation".
 */
import { sm3Hex } from '@minjiang/standards';
import { sql, type Kysely, type Transaction } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Engine, HubDatabase } from '../../db/database.js';
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
  const text = JSON.stringify(row);
  return { key: JSON.stringify(keyValues), row: text, hash: sm3Hex(text) };
}

/** The stored hashes of some keys of a resource. */
async function existingHashes(db: Db, engine: Engine, resource: string, keys: string[]) {
  const found = new Map<string, string>();
  if (keys.length === 0) return found;
  const rows =
    engine === 'postgres'
      ? (
          await sql<{ row_key: string; row_hash: string }>`
            select row_key, row_hash from data_rows
            where resource_code = ${resource} and row_key = any(${keys}::text[])`.execute(db)
        ).rows
      : await db
          .selectFrom('data_rows')
          .select(['row_key', 'row_hash'])
          .where('resource_code', '=', resource)
          .where('row_key', 'in', keys)
          .execute();
  for (const row of rows) found.set(row.row_key, row.row_hash);
  return found;
}

/** Inserts or replaces rows known to be new or changed. */
async function upsert(
  db: Db,
  engine: Engine,
  resource: string,
  submission: string,
  rows: StoredRow[],
  now: string,
) {
  if (rows.length === 0) return;
  if (engine === 'postgres') {
    // Three arrays instead of 7 parameters a row: one round trip, no parameter limit.
    await sql`
      insert into data_rows (resource_code, row_key, row, row_hash, submission_id, flagged, updated_at)
      select ${resource}, k, r, h, ${submission}, 0, ${now}
      from unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.row)}::text[], ${rows.map((r) => r.hash)}::text[]) as t(k, r, h)
      on conflict (resource_code, row_key) do update
      set row = excluded.row, row_hash = excluded.row_hash, submission_id = excluded.submission_id,
          updated_at = excluded.updated_at`.execute(db);
    return;
  }
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto('data_rows')
      .values(
        rows.slice(start, start + 1000).map((r) => ({
          resource_code: resource,
          row_key: r.key,
          row: r.row,
          row_hash: r.hash,
          submission_id: submission,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['resource_code', 'row_key']).doUpdateSet((eb) => ({
          row: eb.ref('excluded.row'),
          row_hash: eb.ref('excluded.row_hash'),
          submission_id: eb.ref('excluded.submission_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Prepared statements on the raw SQLite connection, made once per connection. */
const sqliteStatements = new WeakMap<SQLite.Database, { find: SQLite.Statement; upsert: SQLite.Statement }>();

function statementsOf(sqlite: SQLite.Database) {
  let found = sqliteStatements.get(sqlite);
  if (!found) {
    found = {
      find: sqlite.prepare('select row_hash from data_rows where resource_code = ? and row_key = ?').pluck(),
      upsert: sqlite.prepare(
        `insert into data_rows (resource_code, row_key, row, row_hash, submission_id, flagged, updated_at)
         values (?, ?, ?, ?, ?, 0, ?)
         on conflict (resource_code, row_key) do update set row = excluded.row, row_hash = excluded.row_hash,
           submission_id = excluded.submission_id, updated_at = excluded.updated_at`,
      ),
    };
    sqliteStatements.set(sqlite, found);
  }
  return found;
}

/**
 * The SQLite bulk path: one prepared lookup and one prepared upsert a row, on the connection the
 * surrounding Kysely transaction holds (better-sqlite3 is synchronous and has one connection).
 */
function storeRowsSqlite(
  sqlite: SQLite.Database,
  resource: string,
  submissionId: string,
  rows: StoredRow[],
  now: string,
  touch: boolean,
): { counts: StoreCounts; kept: string[] } {
  const { find, upsert } = statementsOf(sqlite);
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const kept: string[] = [];
  for (const row of rows) {
    const before = find.get(resource, row.key) as string | undefined;
    if (before === row.hash) {
      counts.unchanged += 1;
      if (touch) kept.push(row.key);
      continue;
    }
    upsert.run(resource, row.key, row.row, row.hash, submissionId, now);
    if (before === undefined) counts.inserted += 1;
    else counts.updated += 1;
  }
  return { counts, kept };
}

/**
 * Upserts rows by key; a row whose hash is unchanged is left alone unless `touch` (a full
 * replace marks every row it keeps with its submission, then deletes the others).
 */
export async function storeRows(
  db: Db,
  store: Pick<HubDatabase, 'engine' | 'sqlite'> | Engine,
  resource: string,
  submissionId: string,
  rows: StoredRow[],
  now: string,
  options: { touch?: boolean } = {},
): Promise<StoreCounts> {
  // An engine name alone (few rows, e.g. corrections) takes the Kysely path on either engine.
  const { engine, sqlite } = typeof store === 'string' ? { engine: store, sqlite: undefined } : store;
  if (sqlite) {
    const { counts, kept } = storeRowsSqlite(
      sqlite,
      resource,
      submissionId,
      rows,
      now,
      options.touch === true,
    );
    if (kept.length > 0) await markKept(db, resource, submissionId, kept);
    return counts;
  }
  const existing = await existingHashes(
    db,
    engine,
    resource,
    rows.map((r) => r.key),
  );
  const writes: StoredRow[] = [];
  const kept: string[] = [];
  let inserted = 0;
  let updated = 0;
  for (const row of rows) {
    const before = existing.get(row.key);
    if (before === row.hash) kept.push(row.key);
    else {
      writes.push(row);
      if (before === undefined) inserted += 1;
      else updated += 1;
    }
  }
  await upsert(db, engine, resource, submissionId, writes, now);
  if (options.touch && kept.length > 0) await markKept(db, resource, submissionId, kept);
  return { inserted, updated, unchanged: kept.length };
}

async function markKept(db: Db, resource: string, submission: string, keys: string[]) {
  for (let start = 0; start < keys.length; start += 1000) {
    await db
      .updateTable('data_rows')
      .set({ submission_id: submission })
      .where('resource_code', '=', resource)
      .where('row_key', 'in', keys.slice(start, start + 1000))
      .execute();
  }
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

/** Deletes rows by key (delete mode); returns how many existed. */
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
  const { createHash } = await import('node:crypto');
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

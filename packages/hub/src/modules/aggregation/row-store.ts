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

/**
 * PostgreSQL, full replace: every kept row is marked with the submission, so the counts come from
 * an `old` CTE, which sees the table before the insert (one snapshot for the whole statement).
 * Half the speed of the incremental upsert.
 */
async function replacePostgres(db: Db, resource: string, submission: string, rows: StoredRow[], now: string) {
  const { rows: answer } = await sql<{ existed: string; unchanged: string }>`
    with input as (select k, r, h from ${inputArrays(rows)}),
    old as (
      select d.row_key, d.row_hash = i.h as same from data_rows d join input i on d.row_key = i.k
      where d.resource_code = ${resource}
    ),
    up as (
      insert into data_rows (resource_code, row_key, row, row_hash, submission_id, flagged, updated_at)
      select ${resource}, k, r, h, ${submission}, 0, ${now} from input
      on conflict (resource_code, row_key) do update
      set row = excluded.row, row_hash = excluded.row_hash, submission_id = excluded.submission_id,
          updated_at = excluded.updated_at
      where data_rows.row_hash <> excluded.row_hash or data_rows.submission_id <> excluded.submission_id
      returning 1
    )
    select (select count(*) from old) as existed, (select count(*) from old where same) as unchanged`.execute(
    db,
  );
  const existed = Number(answer[0]?.existed ?? 0);
  const unchanged = Number(answer[0]?.unchanged ?? 0);
  return { inserted: rows.length - existed, updated: existed - unchanged, unchanged };
}

/** SQLite through Kysely (small writes without the raw connection): look up, then upsert. */
async function storeRowsKysely(
  db: Db,
  resource: string,
  submission: string,
  rows: StoredRow[],
  now: string,
): Promise<{ counts: StoreCounts; kept: string[] }> {
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
  const kept: string[] = [];
  for (const row of rows) {
    const before = existing.get(row.key);
    if (before === row.hash) {
      counts.unchanged += 1;
      kept.push(row.key);
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
  return { counts, kept };
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
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const touch = options.touch === true;
  // An engine name alone (few rows, e.g. corrections) has no raw SQLite connection.
  const { engine, sqlite } = typeof store === 'string' ? { engine: store, sqlite: undefined } : store;
  if (engine === 'postgres')
    return touch
      ? replacePostgres(db, resource, submissionId, rows, now)
      : upsertPostgres(db, resource, submissionId, rows, now);
  const { counts, kept } = sqlite
    ? storeRowsSqlite(sqlite, resource, submissionId, rows, now, touch)
    : await storeRowsKysely(db, resource, submissionId, rows, now);
  if (touch && kept.length > 0) await markKept(db, resource, submissionId, kept);
  return counts;
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

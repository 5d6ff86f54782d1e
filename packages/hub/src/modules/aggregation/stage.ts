/**
 * Staging a chunk's checked rows (chunk-check.ts) in the transaction that records the chunk:
 * on PostgreSQL one statement a batch, on SQLite a prepared insert a row.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { HubDatabase } from '../../db/database.js';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import { cachedChecker, checkerFor, type ChunkChecker, type StagedRow } from './chunk-check.js';
import { publishedResource, submissionResource } from './submission-resource.js';

/** The checker of a submission (built from the published version it was opened for). */
export async function chunkChecker(
  db: Kysely<Database>,
  submission: DataSubmissionTable,
): Promise<ChunkChecker> {
  const cached = cachedChecker(submission.id);
  if (cached) return cached;
  const published = await publishedResource(db, submission.resource_code, submission.resource_version);
  const resource = submissionResource(published, submission.mode);
  return checkerFor(submission.id, resource, JSON.parse(submission.header) as string[]);
}

/** Rows per staging statement on PostgreSQL. */
const BATCH = 2500;

/**
 * One statement a batch, its rows as one JSON text: JSON.stringify and PostgreSQL's JSON parser
 * are native on both sides, where the driver's text[] parameters escape every element in
 * JavaScript (row texts are full of quotes) and made most of the hub's garbage. Objects and
 * json_to_recordset parse each row once (`->>` on json elements parses an element per use: twice
 * the database's time).
 */
async function stagePostgres(trx: Transaction<Database>, id: string, seq: number, rows: StagedRow[]) {
  for (let start = 0; start < rows.length; start += BATCH) {
    const part = rows.slice(start, start + BATCH);
    await sql`
      insert into data_staged_rows (submission_id, seq, row_number, row_key, row, row_hash, filled, findings)
      select ${id}, ${seq}, row, key, text, hash, filled, findings
      from json_to_recordset(${JSON.stringify(part)}::json)
        as t(row int, key text, text text, hash text, filled int, findings text)`.execute(trx);
  }
}

const sqliteInserts = new WeakMap<SQLite.Database, SQLite.Statement>();

function stageSqlite(sqlite: SQLite.Database, id: string, seq: number, rows: StagedRow[]) {
  let insert = sqliteInserts.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare(
      `insert into data_staged_rows (submission_id, seq, row_number, row_key, row, row_hash, filled, findings)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    sqliteInserts.set(sqlite, insert);
  }
  for (const r of rows) insert.run(id, seq, r.row, r.key, r.text, r.hash, r.filled, r.findings);
}

/** Writes a chunk's staged rows inside the transaction that records the chunk. */
export async function stageRows(
  trx: Transaction<Database>,
  store: Pick<HubDatabase, 'engine' | 'sqlite'>,
  id: string,
  seq: number,
  rows: StagedRow[],
): Promise<void> {
  if (store.engine === 'postgres') return stagePostgres(trx, id, seq, rows);
  // better-sqlite3 has one connection: the one the surrounding Kysely transaction holds.
  if (!store.sqlite) throw new Error('the SQLite store has no raw connection');
  stageSqlite(store.sqlite, id, seq, rows);
}

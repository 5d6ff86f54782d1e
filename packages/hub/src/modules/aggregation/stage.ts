/**
 * Storing a received chunk: its row in `data_chunks` and its checked rows (chunk-check.ts) in
 * `data_staged_rows`, in one transaction — on PostgreSQL by COPY on one raw connection, on SQLite
 * by a prepared insert a row on the connection Kysely's transactions run on.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { HubDatabase } from '../../db/database.js';
import type { Database, DataChunkTable, DataSubmissionTable } from '../../db/schema.js';
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

/** A text-format COPY field: `\N` for null; JSON texts hold no raw tab or newline, only `\`. */
function field(value: string | null): string {
  if (value === null) return '\\N';
  return value.includes('\\') ? value.replaceAll('\\', '\\\\') : value;
}

/** The COPY text of the staged rows, a few hundred rows a piece. */
function* copyText(id: string, seq: number, rows: StagedRow[]): Generator<string> {
  for (let start = 0; start < rows.length; start += 500) {
    let text = '';
    for (const r of rows.slice(start, start + 500))
      text += `${id}\t${seq}\t${r.row}\t${field(r.key)}\t${field(r.text)}\t${field(r.hash)}\t${r.filled}\t${field(r.findings)}\n`;
    yield text;
  }
}

const COPY_STAGED =
  'copy data_staged_rows (submission_id, seq, row_number, row_key, row, row_hash, filled, findings) from stdin';

/** PostgreSQL: the chunk row, then its staged rows by COPY (a third of the database's time of an INSERT). */
async function saveChunkPostgres(
  client: PoolClient,
  chunk: DataChunkTable,
  rows: StagedRow[],
): Promise<Saved> {
  await client.query('begin');
  try {
    // FOR SHARE waits for a commit holding the submission's row, then sees it committed.
    const { rows: found } = await client.query<{ status: string }>(
      'select status from data_submissions where id = $1 for share',
      [chunk.submission_id],
    );
    const status = found[0]?.status ?? 'missing';
    if (status !== 'open') {
      await client.query('rollback');
      return { closed: status };
    }
    const inserted = await client.query(
      `insert into data_chunks (submission_id, seq, sm3, rows, bytes, body, created_at)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (submission_id, seq) do nothing`,
      [chunk.submission_id, chunk.seq, chunk.sm3, chunk.rows, chunk.bytes, chunk.body, chunk.created_at],
    );
    if (inserted.rowCount === 1) {
      await pipeline(
        Readable.from(copyText(chunk.submission_id, chunk.seq, rows)),
        client.query(copyFrom(COPY_STAGED)),
      );
    }
    await client.query('commit');
    return { stored: inserted.rowCount === 1 };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
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

/** A chunk stored (or already there: two concurrent uploads), or refused: the submission closed meanwhile. */
export type Saved = { stored: boolean } | { closed: string };

/**
 * Stores a chunk and its staged rows in one transaction, if the submission is still open then
 * (checked inside it: a chunk never lands beside or after its submission's commit).
 */
export async function saveChunk(
  store: Pick<HubDatabase, 'db' | 'engine' | 'sqlite' | 'withClient'>,
  chunk: DataChunkTable,
  rows: StagedRow[],
): Promise<Saved> {
  if (store.withClient) return store.withClient((client) => saveChunkPostgres(client, chunk, rows));
  const { sqlite } = store;
  if (!sqlite) throw new Error('the SQLite store has no raw connection');
  return store.db.transaction().execute(async (trx): Promise<Saved> => {
    const found = await trx
      .selectFrom('data_submissions')
      .select('status')
      .where('id', '=', chunk.submission_id)
      .executeTakeFirst();
    if (found?.status !== 'open') return { closed: found?.status ?? 'missing' };
    const inserted = await trx
      .insertInto('data_chunks')
      .values(chunk)
      .onConflict((oc) => oc.columns(['submission_id', 'seq']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { stored: false };
    // better-sqlite3 has one connection: the one this Kysely transaction holds.
    stageSqlite(sqlite, chunk.submission_id, chunk.seq, rows);
    return { stored: true };
  });
}

/**
 * The commit's set-based steps over the rows staged at upload (stage.ts, migration 014): the same
 * SQL on both engines. A row is accepted when it passed its checks (`row_hash` set) and no
 * earlier row of the submission has its key (`duplicate_of` null).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { StoreCounts } from './row-store.js';

type Db = Transaction<Database> | Kysely<Database>;

const ACCEPTED = sql`row_hash is not null and duplicate_of is null`;

/**
 * The chunks whose staged rows are not all there: none unless PostgreSQL restarted after a crash
 * (the staging table is unlogged), and then those chunks must be sent again.
 */
export async function unstagedChunks(db: Db, id: string, chunks: { seq: number; rows: number }[]) {
  const counted = await db
    .selectFrom('data_staged_rows')
    .select(['seq', (eb) => eb.fn.countAll().as('n')])
    .where('submission_id', '=', id)
    .groupBy('seq')
    .execute();
  const staged = new Map(counted.map((c) => [Number(c.seq), Number(c.n)]));
  return chunks.filter((c) => (staged.get(c.seq) ?? 0) !== c.rows).map((c) => c.seq);
}

/** Forgets chunks (and what is staged of them) so that they can be uploaded again. */
export async function forgetChunks(trx: Db, id: string, seqs: number[]): Promise<void> {
  await trx.deleteFrom('data_staged_rows').where('submission_id', '=', id).where('seq', 'in', seqs).execute();
  await trx.deleteFrom('data_chunks').where('submission_id', '=', id).where('seq', 'in', seqs).execute();
}

/** Marks every row whose key an earlier row of the submission has; returns how many. */
export async function markDuplicates(trx: Db, id: string): Promise<number> {
  const result = await sql`
    update data_staged_rows as s set duplicate_of = d.first
    from (
      select row_key, min(row_number) as first from data_staged_rows
      where submission_id = ${id} and row_key is not null
      group by row_key having count(*) > 1
    ) as d
    where s.submission_id = ${id} and s.row_key = d.row_key and s.row_number > d.first`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Rows staged, rows accepted, and the filled cells of the accepted ones. */
export async function stagedTally(trx: Db, id: string) {
  const { rows } = await sql<{
    rows: string | number;
    accepted: string | number | null;
    filled: string | number | null;
  }>`
    select count(*) as rows, sum(case when ${ACCEPTED} then 1 else 0 end) as accepted,
      sum(case when ${ACCEPTED} then filled else 0 end) as filled
    from data_staged_rows where submission_id = ${id}`.execute(trx);
  const row = rows[0];
  return {
    rows: Number(row?.rows ?? 0),
    accepted: Number(row?.accepted ?? 0),
    filled: Number(row?.filled ?? 0),
  };
}

/**
 * Upserts the accepted rows into the row store by key, skipping unchanged ones unless `touch` (a
 * full replace marks every row it keeps with its submission, then deletes the others). The
 * counts come from the store as it was before: one join, then one INSERT … SELECT.
 */
export async function storeStaged(
  trx: Db,
  resource: string,
  id: string,
  now: string,
  options: { touch: boolean; accepted: number },
): Promise<StoreCounts> {
  const { rows: before } = await sql<{ existed: string | number; unchanged: string | number | null }>`
    select count(*) as existed, sum(case when d.row_hash = s.row_hash then 1 else 0 end) as unchanged
    from data_staged_rows s join data_rows d on d.resource_code = ${resource} and d.row_key = s.row_key
    where s.submission_id = ${id} and s.row_hash is not null and s.duplicate_of is null`.execute(trx);
  const existed = Number(before[0]?.existed ?? 0);
  const unchanged = Number(before[0]?.unchanged ?? 0);
  await writeStaged(trx, resource, id, now, { touch: options.touch, allNew: existed === 0 });
  return { inserted: options.accepted - existed, updated: existed - unchanged, unchanged };
}

/**
 * The INSERT … SELECT of the accepted rows. When none of their keys was stored (a resource's
 * first load), a plain INSERT: PostgreSQL's ON CONFLICT inserts each row speculatively, which cost
 * 6.7–8.4 s against 4.2–4.5 s for a million 1 KB rows (bench/README "data-submit"). Should another
 * commit have stored one of the keys since they were counted, the plain INSERT fails on the key
 * and is undone to its savepoint, and the upsert runs instead.
 */
export async function writeStaged(
  trx: Db,
  resource: string,
  id: string,
  now: string,
  options: { touch: boolean; allNew: boolean },
): Promise<void> {
  const rows = sql`select ${resource}, row_key, row, row_hash, ${id}, 0, ${now} from data_staged_rows
    where submission_id = ${id} and ${ACCEPTED}`;
  const into = sql`insert into data_rows (resource_code, row_key, row, row_hash, submission_id, flagged, updated_at)`;
  if (options.allNew) {
    await sql`savepoint store_new_rows`.execute(trx);
    try {
      await sql`${into} ${rows}`.execute(trx);
      await sql`release savepoint store_new_rows`.execute(trx);
      return;
    } catch (error) {
      if (!isKeyViolation(error)) throw error;
      await sql`rollback to savepoint store_new_rows`.execute(trx);
    }
  }
  const changed = options.touch
    ? sql`data_rows.row_hash <> excluded.row_hash or data_rows.submission_id <> excluded.submission_id`
    : sql`data_rows.row_hash <> excluded.row_hash`;
  await sql`${into} ${rows}
    on conflict (resource_code, row_key) do update
    set row = excluded.row, row_hash = excluded.row_hash, submission_id = excluded.submission_id,
        updated_at = excluded.updated_at
    where ${changed}`.execute(trx);
}

/** A unique or primary key refused the row: PostgreSQL's 23505, SQLite's constraint codes. */
function isKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Deletes the stored rows the accepted staged rows name (delete mode); returns how many existed. */
export async function deleteStaged(trx: Db, resource: string, id: string): Promise<number> {
  const result = await sql`
    delete from data_rows where resource_code = ${resource} and row_key in (
      select row_key from data_staged_rows where submission_id = ${id} and ${ACCEPTED}
    )`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The rejected rows of one chunk (failed checks or duplicate keys), in row order. */
export async function rejectedRows(trx: Db, id: string, seq: number) {
  return trx
    .selectFrom('data_staged_rows')
    .select(['row_number', 'row_key', 'row', 'findings', 'duplicate_of'])
    .where('submission_id', '=', id)
    .where('seq', '=', seq)
    .where((eb) => eb.or([eb('row_hash', 'is', null), eb('duplicate_of', 'is not', null)]))
    .orderBy('row_number')
    .execute();
}

/**
 * Drops a submission's staged rows (its commit wrote them, or it was cancelled). When no other
 * submission has rows staged, the table is emptied whole, which frees its pages without visiting
 * each row and index entry: on SQLite a DELETE without WHERE (a million rows: 0.4 s instead of
 * 4.5 s; the caller's transaction holds SQLite's one write lock, so nothing is staged in between),
 * on PostgreSQL a TRUNCATE (6 ms instead of 0.56 s, and no dead rows left to vacuum). Its lock
 * waits for the chunk uploads in flight, whose rows count once they commit: the check is made
 * again under it.
 */
export async function dropStaged(trx: Db, engine: Engine, id: string): Promise<void> {
  if (await onlyStaged(trx, id)) {
    if (engine === 'sqlite') {
      await trx.deleteFrom('data_staged_rows').execute();
      return;
    }
    await sql`lock table data_staged_rows in access exclusive mode`.execute(trx);
    if (await onlyStaged(trx, id)) {
      await sql`truncate data_staged_rows`.execute(trx);
      return;
    }
  }
  await trx.deleteFrom('data_staged_rows').where('submission_id', '=', id).execute();
}

/** Whether no submission but `id` has rows staged (min and max read from the index ends). */
async function onlyStaged(trx: Db, id: string): Promise<boolean> {
  const { first, last } = await trx
    .selectFrom('data_staged_rows')
    .select((eb) => [eb.fn.min('submission_id').as('first'), eb.fn.max('submission_id').as('last')])
    .executeTakeFirstOrThrow();
  return (first ?? id) === id && (last ?? id) === id;
}

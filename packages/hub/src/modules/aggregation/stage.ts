/**
 * Checking a chunk at upload: its rows are validated by the standards' RowValidator against the
 * resource version the submission was opened for, the moment the chunk arrives (while the client
 * is still reading its file), and staged with their stored text and SM3 (accepted) or their
 * findings (rejected). Key uniqueness spans chunks that arrive in any order, so it is left to the
 * commit (staged-rows.ts), in SQL. A chunk and its staged rows are written in one transaction.
 */
import { RowValidator, type DataResource, type SchemaColumn } from '@minjiang/standards';
import { sql, type Kysely, type Transaction } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { HubDatabase } from '../../db/database.js';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import type { ChunkRow } from './chunks.js';
import { storedRowText } from './row-store.js';
import { RowText } from './row-text.js';
import { publishedResource, submissionResource } from './submission-resource.js';

/** A staged row as written (see DataStagedRowTable). */
export interface StagedRow {
  row: number;
  key: string | null;
  text: string;
  hash: string | null;
  filled: number;
  findings: string | null;
}

/** The checker of one submission's rows: its validator and its stored-text writer. */
export class ChunkChecker {
  readonly encoder: RowText;
  /** The resource's items (for a delete list, its key items): the cells a row is checked for. */
  readonly itemCount: number;

  constructor(
    readonly validator: RowValidator,
    resource: DataResource,
    private readonly submissionId: string,
  ) {
    const items = resource.items ?? [];
    this.itemCount = items.length;
    const columns = [...validator.schema.columns].sort(
      (a, b) => items.indexOf(a.item) - items.indexOf(b.item),
    );
    this.encoder = new RowText(columns);
  }

  /** Validates a chunk's rows (synchronously: a shared checker never interleaves two chunks). */
  check(rows: readonly ChunkRow[]): StagedRow[] {
    const { validator, encoder } = this;
    const keyed = validator.schema.keyColumns.length > 0;
    return rows.map((row) => {
      const ok = validator.check(row);
      const findings = validator.takeFindings();
      const keyValues = validator.keyOf(row.values);
      const { text, filled } = encoder.text(row.values);
      if (ok) {
        // A resource without key items keeps every row: its key is the submission and row number.
        const stored = storedRowText(keyed ? keyValues : [this.submissionId, String(row.row)], text);
        return { row: row.row, key: stored.key, text, hash: stored.hash, filled, findings: null };
      }
      const usable = keyed && keyValues.every((v) => v !== '');
      const key = usable ? JSON.stringify(keyValues) : null;
      return { row: row.row, key, text, hash: null, filled, findings: JSON.stringify(findings) };
    });
  }

  /** The key columns, in key order (for the commit's duplicate findings). */
  get keyColumns(): readonly SchemaColumn[] {
    return this.validator.schema.keyColumns;
  }
}

/** Checkers of recently uploaded-to submissions: a validator is compiled once per submission. */
const checkers = new Map<string, ChunkChecker>();
const MAX_CHECKERS = 32;

/** The checker of a submission (built from the published version it was opened for). */
export async function chunkChecker(
  db: Kysely<Database>,
  submission: DataSubmissionTable,
): Promise<ChunkChecker> {
  const cached = checkers.get(submission.id);
  if (cached) return cached;
  const published = await publishedResource(db, submission.resource_code, submission.resource_version);
  const resource = submissionResource(published, submission.mode);
  const header = JSON.parse(submission.header) as string[];
  const validator = new RowValidator(resource, header, {
    mask: false,
    maxFindings: Number.MAX_SAFE_INTEGER,
    uniqueKeys: false,
  });
  validator.takeFindings(); // header warnings are the client's business, not problem rows
  const checker = new ChunkChecker(validator, resource, submission.id);
  if (checkers.size >= MAX_CHECKERS) checkers.delete(checkers.keys().next().value as string);
  checkers.set(submission.id, checker);
  return checker;
}

/** Rows per staging statement on PostgreSQL. */
const BATCH = 2500;

/**
 * One statement a batch, its rows as one JSON text: JSON.stringify and PostgreSQL's JSON parser
 * are native on both sides, where the driver's text[] parameters escape every element in
 * JavaScript (row texts are full of quotes) and made most of the hub's garbage.
 */
async function stagePostgres(trx: Transaction<Database>, id: string, seq: number, rows: StagedRow[]) {
  for (let start = 0; start < rows.length; start += BATCH) {
    const part = rows
      .slice(start, start + BATCH)
      .map((r) => [r.row, r.key, r.text, r.hash, r.filled, r.findings]);
    await sql`
      insert into data_staged_rows (submission_id, seq, row_number, row_key, row, row_hash, filled, findings)
      select ${id}, ${seq}, (e->>0)::int, e->>1, e->>2, e->>3, (e->>4)::int, e->>5
      from json_array_elements(${JSON.stringify(part)}::json) as e`.execute(trx);
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

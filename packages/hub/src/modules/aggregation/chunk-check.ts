/**
 * Checking a chunk's rows, with no database: decoded, validated by the standards' RowValidator
 * against the resource version the submission was opened for, and turned into staged rows with
 * their stored text and SM3 (accepted) or their findings (rejected). Runs in a chunk worker
 * (chunk-pool.ts) or, without workers, on the hub's thread. Key uniqueness spans chunks that
 * arrive in any order, so it is left to the commit (staged-rows.ts), in SQL.
 */
import { RowValidator, type DataResource, type SchemaColumn } from '@minjiang/standards';
import { decodeChunk, type ChunkRow } from './chunks.js';
import { storedRowText } from './row-store.js';
import { RowText } from './row-text.js';

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
    readonly resource: DataResource,
    readonly header: readonly string[],
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

/** The checker compiled for a submission in this thread, if any. */
export function cachedChecker(submissionId: string): ChunkChecker | undefined {
  return checkers.get(submissionId);
}

/** The checker of a submission's rows, compiled on first use (per thread). */
export function checkerFor(
  submissionId: string,
  resource: DataResource,
  header: readonly string[],
): ChunkChecker {
  const cached = checkers.get(submissionId);
  if (cached) return cached;
  const validator = new RowValidator(resource, header, {
    mask: false,
    maxFindings: Number.MAX_SAFE_INTEGER,
    uniqueKeys: false,
  });
  validator.takeFindings(); // header warnings are the client's business, not problem rows
  const checker = new ChunkChecker(validator, resource, header, submissionId);
  if (checkers.size >= MAX_CHECKERS) checkers.delete(checkers.keys().next().value as string);
  checkers.set(submissionId, checker);
  return checker;
}

/** One chunk to check: what a worker needs, all of it plain data. */
export interface ChunkTask {
  submissionId: string;
  resource: DataResource;
  header: readonly string[];
  seq: number;
  /** Rows the client declared (x-minjiang-rows). */
  rows: number;
  body: Uint8Array;
}

/** Decodes and checks a chunk; throws HubError (HUB_ERR_CHUNK_FORMAT) for a malformed one. */
export function checkChunk(task: ChunkTask): StagedRow[] {
  const rows = decodeChunk(task.body, task.seq, task.header.length, task.rows);
  return checkerFor(task.submissionId, task.resource, task.header).check(rows);
}

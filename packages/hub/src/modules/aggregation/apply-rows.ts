/**
 * The work of a commit inside its transaction: every row of every chunk, in order, checked by
 * the standards' RowValidator against the resource version the submission was opened for (the
 * hub never trusts the client's checks); accepted rows stored in batches in the submission's
 * mode, rejected rows filed as problem records of one ticket.
 */
import { RowValidator, type DataResource, type SchemaColumn } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import { actorOf } from '../catalog/access.js';
import type { WriteScope } from '../catalog/service.js';
import { openTicket, type NewProblem, type TicketWriter } from '../governance/problems.js';
import { decodeChunk, type ChunkRow } from './chunks.js';
import { deleteKeys, deleteOthers, storedRowText, storeRows, type StoredRow } from './row-store.js';
import { RowText } from './row-text.js';
import { submissionResource } from './submission-resource.js';
import { publishedResource } from './submissions.js';

/** Rows written per statement batch; problem rows filed per batch. */
const BATCH = 2000;
const PROBLEM_BATCH = 500;

export interface Tally {
  rows: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  missing: number;
  filledCells: number;
  checkedCells: number;
}

/**
 * Writes batches while the next one is validated: each write is issued without waiting, and
 * waited for only before the next is issued, so the database works while the hub checks rows.
 * (On SQLite the write is synchronous and nothing overlaps.)
 */
class BatchWriter {
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly write: (rows: StoredRow[]) => Promise<void>) {}

  async push(rows: StoredRow[]): Promise<void> {
    await this.inflight;
    this.inflight = this.write(rows);
    // Handled here so a failure waits, without crashing the process, for the next await.
    this.inflight.catch(() => undefined);
  }

  async drain(): Promise<void> {
    await this.inflight;
  }
}

function sortedColumns(validator: RowValidator, resource: DataResource): SchemaColumn[] {
  const items = resource.items ?? [];
  return [...validator.schema.columns].sort((a, b) => items.indexOf(a.item) - items.indexOf(b.item));
}

class RowApplier {
  readonly tally: Tally = {
    ...{ rows: 0, accepted: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0 },
    ...{ deleted: 0, missing: 0, filledCells: 0, checkedCells: 0 },
  };
  private batch: StoredRow[] = [];
  private problems: NewProblem[] = [];
  private ticket: TicketWriter | undefined;
  private readonly writer = new BatchWriter((rows) => this.write(rows));
  private readonly encoder: RowText;
  private readonly itemCount: number;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly scope: WriteScope,
    private readonly submission: DataSubmissionTable,
    readonly validator: RowValidator,
    resource: DataResource,
  ) {
    this.encoder = new RowText(sortedColumns(validator, resource));
    this.itemCount = (resource.items ?? []).length;
  }

  async row(row: ChunkRow): Promise<void> {
    const { tally, validator } = this;
    tally.rows += 1;
    const ok = validator.check(row);
    const findings = validator.takeFindings();
    const keyValues = validator.keyOf(row.values);
    if (!ok) {
      tally.rejected += 1;
      const usable = keyValues.length > 0 && keyValues.every((v) => v !== '');
      const key = usable ? JSON.stringify(keyValues) : null;
      this.problems.push({ rowNumber: row.row, key, row: this.encoder.object(row.values), findings });
      return;
    }
    const { text, filled } = this.encoder.text(row.values);
    tally.accepted += 1;
    tally.checkedCells += this.itemCount;
    tally.filledCells += filled;
    const key = keyValues.length > 0 ? keyValues : [this.submission.id, String(row.row)];
    this.batch.push(storedRowText(key, text));
    if (this.batch.length >= BATCH) {
      await this.writer.push(this.batch);
      this.batch = [];
    }
  }

  /** Files the problems gathered so far, in batches (all of them when `all`). */
  async fileProblems(all: boolean): Promise<void> {
    if (this.problems.length === 0 || (!all && this.problems.length < PROBLEM_BATCH)) return;
    const { submission, scope } = this;
    this.ticket ??= await openTicket(this.trx, scope.app.hub, {
      resource: submission.resource_code,
      orgId: submission.org_id,
      submissionId: submission.id,
      kind: 'submission',
      now: scope.now,
      actor: actorOf(scope.caller) as { tokenId: string; orgId: string | null },
    });
    await this.ticket.add(this.problems);
    this.problems = [];
  }

  async finish(): Promise<string | undefined> {
    await this.writer.push(this.batch);
    await this.writer.drain();
    await this.fileProblems(true);
    if (this.submission.mode === 'full')
      this.tally.deleted += await deleteOthers(this.trx, this.submission.resource_code, this.submission.id);
    if (this.ticket) await this.ticket.finish();
    return this.ticket?.id;
  }

  /** Applies one batch of accepted rows in the submission's mode. */
  private async write(batch: StoredRow[]): Promise<void> {
    if (batch.length === 0) return;
    const { trx, submission, tally } = this;
    if (submission.mode === 'delete') {
      const keys = batch.map((r) => r.key);
      const deleted = await deleteKeys(trx, submission.resource_code, keys);
      tally.deleted += deleted;
      tally.missing += batch.length - deleted;
      return;
    }
    const now = this.scope.now.toISOString();
    const touch = submission.mode === 'full';
    const store = this.scope.app.hub.store;
    const counts = await storeRows(trx, store, submission.resource_code, submission.id, batch, now, {
      touch,
    });
    tally.inserted += counts.inserted;
    tally.updated += counts.updated;
    tally.unchanged += counts.unchanged;
  }
}

/** Validates and applies every row of every chunk, in order. */
export async function applyRows(
  trx: Transaction<Database>,
  scope: WriteScope,
  submission: DataSubmissionTable,
  chunkCount: number,
) {
  const published = await publishedResource(trx, submission.resource_code, submission.resource_version);
  const header = JSON.parse(submission.header) as string[];
  const resource = submissionResource(published, submission.mode);
  const validator = new RowValidator(resource, header, { mask: false, maxFindings: Number.MAX_SAFE_INTEGER });
  validator.takeFindings(); // header warnings are the client's business, not problem rows
  const applier = new RowApplier(trx, scope, submission, validator, resource);
  for (let seq = 1; seq <= chunkCount; seq += 1) {
    const { body } = await trx
      .selectFrom('data_chunks')
      .select('body')
      .where('submission_id', '=', submission.id)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    for (const row of decodeChunk(body, seq, header.length)) await applier.row(row);
    await applier.fileProblems(false);
  }
  const ticket = await applier.finish();
  const duplicates = validator.counts['DATA-DUPLICATE-KEY'] ?? 0;
  return { tally: applier.tally, ticket, duplicates };
}

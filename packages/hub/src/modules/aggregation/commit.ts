/**
 * The commit of a submission: all or nothing. In one transaction it reads the chunks in order,
 * validates every row with the standards' RowValidator against the resource version the
 * submission was opened for (the hub never trusts the client's own checks), stores the accepted
 * rows (upsert, full replace or delete), files the rejected ones as problem records of one ticket,
 * updates the resource's statistics, appends the audit entry and marks the submission committed.
 * A crash anywhere before the end rolls everything back and leaves the submission open.
 */
import { createHash } from 'node:crypto';
import { RowValidator, signReceipt, type SubmissionReceiptPayload } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../catalog/access.js';
import type { WriteScope } from '../catalog/service.js';
import { openTicket, type NewProblem, type TicketWriter } from '../governance/problems.js';
import { decodeChunk, type ChunkRow } from './chunks.js';
import { deleteKeys, deleteOthers, storedRowText, storeRows, type StoredRow } from './row-store.js';
import { RowText } from './row-text.js';
import { submissionResource } from './submission-resource.js';
import {
  auditContext,
  ownSubmission,
  publishedResource,
  requireOpen,
  submissionView,
} from './submissions.js';

/** Rows written per statement batch. */
const BATCH = 2000;

export interface CommitInput {
  chunks: number;
  rows?: number;
}

interface Tally {
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

function ranges(seqs: number[]): string {
  return seqs.length === 0 ? '-' : seqs.slice(0, 20).join(',') + (seqs.length > 20 ? ',…' : '');
}

/** Chunks 1…N and no others, holding the declared rows: else 409 with what is missing. */
async function checkComplete(scope: WriteScope, submission: DataSubmissionTable, input: CommitInput) {
  const chunks = await scope.app.hub.store.db
    .selectFrom('data_chunks')
    .select(['seq', 'rows', 'sm3'])
    .where('submission_id', '=', submission.id)
    .orderBy('seq')
    .execute();
  const have = new Set(chunks.map((c) => c.seq));
  const missing: number[] = [];
  for (let seq = 1; seq <= input.chunks; seq += 1) if (!have.has(seq)) missing.push(seq);
  const extra = chunks.map((c) => c.seq).filter((seq) => seq > input.chunks);
  const rows = chunks.reduce((sum, c) => sum + c.rows, 0);
  if (missing.length > 0 || extra.length > 0)
    throw new HubError(
      'HUB_ERR_SUBMISSION_INCOMPLETE',
      { id: submission.id, missing: ranges(missing), extra: ranges(extra) },
      { missing, extra },
    );
  if (input.rows !== undefined && input.rows !== rows)
    throw new HubError('HUB_ERR_CONFLICT', {
      detail: `the chunks hold ${rows} rows, the commit declares ${input.rows}`,
    });
  const chunksDigest = createHash('sm3')
    .update(chunks.map((c) => c.sm3).join(''))
    .digest('hex');
  return { count: chunks.length, chunksDigest };
}

/** Applies one batch of accepted rows in the submission's mode. */
async function flush(
  trx: Transaction<Database>,
  scope: WriteScope,
  submission: DataSubmissionTable,
  batch: StoredRow[],
  tally: Tally,
) {
  if (batch.length === 0) return;
  if (submission.mode === 'delete') {
    const deleted = await deleteKeys(
      trx,
      submission.resource_code,
      batch.map((r) => r.key),
    );
    tally.deleted += deleted;
    tally.missing += batch.length - deleted;
  } else {
    const counts = await storeRows(
      trx,
      scope.app.hub.store,
      submission.resource_code,
      submission.id,
      batch,
      scope.now.toISOString(),
      {
        touch: submission.mode === 'full',
      },
    );
    tally.inserted += counts.inserted;
    tally.updated += counts.updated;
    tally.unchanged += counts.unchanged;
  }
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

/** Validates and applies every row of every chunk, in order. */
async function applyRows(
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
  const columns = [...validator.schema.columns].sort(
    (a, b) => (resource.items ?? []).indexOf(a.item) - (resource.items ?? []).indexOf(b.item),
  );
  const tally: Tally = {
    rows: 0,
    accepted: 0,
    rejected: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    missing: 0,
    filledCells: 0,
    checkedCells: 0,
  };
  let batch: StoredRow[] = [];
  const writer = new BatchWriter((rows) => flush(trx, scope, submission, rows, tally));
  let problems: NewProblem[] = [];
  let ticket: TicketWriter | undefined;
  const encoder = new RowText(columns);
  for (let seq = 1; seq <= chunkCount; seq += 1) {
    const { body } = await trx
      .selectFrom('data_chunks')
      .select('body')
      .where('submission_id', '=', submission.id)
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    for (const row of decodeChunk(body, seq, header.length)) {
      tally.rows += 1;
      const ok = validator.check(row);
      const findings = validator.takeFindings();
      const keyValues = validator.keyOf(row.values);
      if (!ok) {
        tally.rejected += 1;
        problems.push(problemOf(row, encoder.object(row.values), keyValues, findings));
        continue;
      }
      const { text, filled } = encoder.text(row.values);
      tally.accepted += 1;
      tally.checkedCells += (resource.items ?? []).length;
      tally.filledCells += filled;
      const key = keyValues.length > 0 ? keyValues : [submission.id, String(row.row)];
      batch.push(storedRowText(key, text));
      if (batch.length >= BATCH) {
        await writer.push(batch);
        batch = [];
      }
    }
    if (problems.length >= 500 || (seq === chunkCount && problems.length > 0)) {
      ticket ??= await openTicket(trx, scope.app.hub, {
        resource: submission.resource_code,
        orgId: submission.org_id,
        submissionId: submission.id,
        kind: 'submission',
        now: scope.now,
        actor: actorOf(scope.caller) as { tokenId: string; orgId: string | null },
      });
      await ticket.add(problems);
      problems = [];
    }
  }
  await writer.push(batch);
  await writer.drain();
  if (submission.mode === 'full')
    tally.deleted += await deleteOthers(trx, submission.resource_code, submission.id);
  if (ticket) await ticket.finish();
  const duplicates = validator.counts['DATA-DUPLICATE-KEY'] ?? 0;
  return { tally, ticket: ticket?.id, duplicates };
}

function problemOf(
  row: ChunkRow,
  object: Record<string, string>,
  keyValues: string[],
  findings: NewProblem['findings'],
): NewProblem {
  const usable = keyValues.length > 0 && keyValues.every((v) => v !== '');
  return { rowNumber: row.row, key: usable ? JSON.stringify(keyValues) : null, row: object, findings };
}

/** Keeps what quality scores need from this commit. */
async function updateStats(
  trx: Transaction<Database>,
  submission: DataSubmissionTable,
  tally: Tally,
  duplicates: number,
  at: string,
) {
  const before = await trx
    .selectFrom('data_stats')
    .select('rows')
    .where('resource_code', '=', submission.resource_code)
    .executeTakeFirst();
  const rows = Number(before?.rows ?? 0) + tally.inserted - tally.deleted;
  const values = {
    rows,
    last_submission_id: submission.id,
    last_commit_at: at,
    submitted_rows: tally.rows,
    rejected_rows: tally.rejected,
    duplicate_rows: duplicates,
    // A delete list says nothing about completeness: keep the last upload's figures.
    ...(submission.mode === 'delete'
      ? {}
      : { filled_cells: tally.filledCells, checked_cells: tally.checkedCells }),
  };
  await trx
    .insertInto('data_stats')
    .values({ resource_code: submission.resource_code, filled_cells: 0, checked_cells: 0, ...values })
    .onConflict((oc) => oc.column('resource_code').doUpdateSet(values))
    .execute();
}

/**
 * A concurrent commit of the same submission (a client that timed out and retried) waited for
 * the first one's lock: answer the first one's result, or its state if it was cancelled.
 */
async function alreadyDone(trx: Transaction<Database>, id: string, scope: WriteScope): Promise<unknown> {
  const row = await trx
    .selectFrom('data_submissions')
    .select(['status', 'result'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (row.status === 'committed' && row.result !== null) return JSON.parse(row.result) as unknown;
  throw new HubError('HUB_ERR_SUBMISSION_STATE', {
    id,
    status: row.status,
    action: scope.lang === 'en' ? 'committed' : '提交',
  });
}

/** Commits a submission; committing a committed one answers its result again. */
export async function commitSubmission(scope: WriteScope, id: string, input: CommitInput) {
  const submission = await ownSubmission(scope, id);
  if (submission.status === 'committed' && submission.result !== null)
    return JSON.parse(submission.result) as unknown;
  requireOpen(submission, scope.lang === 'en' ? 'committed' : '提交');
  const { count, chunksDigest } = await checkComplete(scope, submission, input);
  const at = scope.now.toISOString();
  const db = scope.app.hub.store.db;
  return db.transaction().execute(async (trx) => {
    // Lock the submission first: a concurrent commit of the same one waits, then finds it committed.
    const locked = await trx
      .updateTable('data_submissions')
      .set({ updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) return alreadyDone(trx, id, scope);
    const { tally, ticket, duplicates } = await applyRows(trx, scope, submission, count);
    await updateStats(trx, submission, tally, duplicates, at);
    const payload: SubmissionReceiptPayload = {
      v: 1,
      kind: 'data.commit',
      hub: scope.app.hub.config.hubCode,
      time: at,
      submission: id,
      resource: submission.resource_code,
      resourceVersion: submission.resource_version,
      mode: submission.mode,
      rows: tally.rows,
      accepted: tally.accepted,
      rejected: tally.rejected,
      deleted: tally.deleted,
      chunksDigest,
    };
    const result = {
      submission: id,
      resource: submission.resource_code,
      mode: submission.mode,
      rows: tally.rows,
      accepted: tally.accepted,
      rejected: tally.rejected,
      inserted: tally.inserted,
      updated: tally.updated,
      unchanged: tally.unchanged,
      deleted: tally.deleted,
      missing: tally.missing,
      ...(ticket ? { ticket } : {}),
      committedAt: at,
      chunksDigest,
      receipt: signReceipt(scope.app.hub.key, payload),
    };
    await appendAudit(trx, auditContext(scope), [
      {
        type: 'data',
        action: 'submission.commit',
        actor: actorOf(scope.caller),
        object: id,
        result: 'success',
        detail: { ...payload, inserted: tally.inserted, updated: tally.updated, ticket: ticket ?? null },
      },
    ]);
    // The chunks' bytes are dropped with the commit (their numbers, sizes and SM3 stay); a
    // rolled-back commit still has them and can run again.
    await trx
      .updateTable('data_chunks')
      .set({ body: new Uint8Array(0) })
      .where('submission_id', '=', id)
      .execute();
    await trx
      .updateTable('data_submissions')
      .set({ status: 'committed', committed_at: at, updated_at: at, result: JSON.stringify(result) })
      .where('id', '=', id)
      .execute();
    return result;
  });
}

export { submissionView };

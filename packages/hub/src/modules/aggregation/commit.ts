/**
 * The commit of a submission: all or nothing. Every row was validated by the hub when its chunk
 * arrived (stage.ts: the hub never trusts the client's own checks); in one transaction the commit
 * finds duplicate keys across the submission, stores the accepted rows (upsert, full replace or
 * delete), files the rejected ones as problem records of one ticket, updates the resource's
 * statistics, appends the audit entry, drops the staged rows and marks the submission committed.
 * A crash anywhere before the end rolls everything back and leaves the submission open.
 */
import { signReceipt, sm3Hex, type SubmissionReceiptPayload } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../catalog/access.js';
import type { WriteScope } from '../catalog/service.js';
import { applyRows, type Tally } from './apply-rows.js';
import { dropStaged, forgetChunks, unstagedChunks } from './staged-rows.js';
import { auditContext, ownSubmission, requireOpen } from './submissions.js';

export interface CommitInput {
  chunks: number;
  rows?: number;
}

function ranges(seqs: number[]): string {
  return seqs.length === 0 ? '-' : seqs.slice(0, 20).join(',') + (seqs.length > 20 ? ',…' : '');
}

/** Chunks 1…N and no others, holding the declared rows: else 409 with what is missing. */
async function checkComplete(
  trx: Transaction<Database>,
  submission: DataSubmissionTable,
  input: CommitInput,
) {
  const chunks = await trx
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
  const chunksDigest = sm3Hex(chunks.map((c) => c.sm3).join(''));
  return { count: chunks.length, chunksDigest, chunks };
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

/** The signed receipt's payload and the commit's answer. */
function commitResult(
  scope: WriteScope,
  submission: DataSubmissionTable,
  done: { tally: Tally; ticket: string | undefined; chunksDigest: string; at: string },
) {
  const { tally, ticket, chunksDigest, at } = done;
  const payload: SubmissionReceiptPayload = {
    v: 1,
    kind: 'data.commit',
    hub: scope.app.hub.config.hubCode,
    time: at,
    submission: submission.id,
    resource: submission.resource_code,
    resourceVersion: submission.resource_version,
    mode: submission.mode,
    rows: tally.rows,
    accepted: tally.accepted,
    rejected: tally.rejected,
    deleted: tally.deleted,
    chunksDigest,
  };
  const { inserted, updated, unchanged, missing } = tally;
  const result = {
    ...{ submission: submission.id, resource: submission.resource_code, mode: submission.mode },
    ...{ rows: tally.rows, accepted: tally.accepted, rejected: tally.rejected },
    ...{ inserted, updated, unchanged, deleted: tally.deleted, missing },
    ...(ticket ? { ticket } : {}),
    committedAt: at,
    chunksDigest,
    receipt: signReceipt(scope.app.hub.key, payload),
  };
  return { payload, result };
}

/** Commits a submission; committing a committed one answers its result again. */
export async function commitSubmission(scope: WriteScope, id: string, input: CommitInput) {
  const submission = await ownSubmission(scope, id);
  if (submission.status === 'committed' && submission.result !== null)
    return JSON.parse(submission.result) as unknown;
  requireOpen(submission, scope.lang === 'en' ? 'committed' : '提交');
  const at = scope.now.toISOString();
  const db = scope.app.hub.store.db;
  const done = await db.transaction().execute(async (trx) => {
    // Lock the submission first: a concurrent commit of the same one waits, then finds it committed.
    const locked = await trx
      .updateTable('data_submissions')
      .set({ updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) return alreadyDone(trx, id, scope);
    // Checked under the lock: a chunk being stored now either finished first or is refused.
    const { count, chunksDigest, chunks } = await checkComplete(trx, submission, input);
    const unstaged = await unstagedChunks(trx, id, chunks);
    if (unstaged.length > 0) {
      // Lost from the unlogged staging table by a database crash: those chunks are sent again.
      await forgetChunks(trx, id, unstaged);
      return { unstaged };
    }
    const { tally, ticket, duplicates } = await applyRows(trx, scope, submission, count);
    await updateStats(trx, submission, tally, duplicates, at);
    const { payload, result } = commitResult(scope, submission, { tally, ticket, chunksDigest, at });
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
    // The staged rows go with the commit (the chunks' numbers, sizes and SM3 stay); a
    // rolled-back commit still has them and can run again.
    await dropStaged(trx, scope.app.hub.store.engine, id);
    await trx
      .updateTable('data_submissions')
      .set({ status: 'committed', committed_at: at, updated_at: at, result: JSON.stringify(result) })
      .where('id', '=', id)
      .execute();
    return result;
  });
  if (done !== null && typeof done === 'object' && 'unstaged' in done) {
    const { unstaged } = done as { unstaged: number[] };
    throw new HubError(
      'HUB_ERR_SUBMISSION_INCOMPLETE',
      { id, missing: ranges(unstaged), extra: '-' },
      { missing: unstaged, extra: [] },
    );
  }
  return done;
}

/**
 * The work of a commit inside its transaction, over the rows staged and checked at upload
 * (stage.ts): duplicate keys across the whole submission found in SQL, the accepted rows stored
 * in the submission's mode by one set-based statement, the rejected ones filed as problem
 * records of one ticket, chunk by chunk in row order.
 */
import type { DataFinding } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database, DataSubmissionTable } from '../../db/schema.js';
import { actorOf } from '../catalog/access.js';
import type { WriteScope } from '../catalog/service.js';
import { openTicket, type NewProblem } from '../governance/problems.js';
import { deleteOthers } from './row-store.js';
import type { ChunkChecker } from './chunk-check.js';
import { chunkChecker } from './stage.js';
import { deleteStaged, markDuplicates, rejectedRows, stagedTally, storeStaged } from './staged-rows.js';

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

type StagedProblem = Awaited<ReturnType<typeof rejectedRows>>[number];

/** A staged rejected row as a problem record: its findings, and the duplicate key's if any. */
function problemOf(checker: ChunkChecker, staged: StagedProblem): NewProblem {
  const row = JSON.parse(staged.row) as Record<string, string>;
  const findings = staged.findings === null ? [] : (JSON.parse(staged.findings) as DataFinding[]);
  if (staged.duplicate_of !== null) {
    // The finding names the first key column's value, read back from the stored text.
    const values: string[] = [];
    for (const column of checker.keyColumns) values[column.index] = row[column.item.name] ?? '';
    const finding = checker.validator.duplicateFinding(
      { row: Number(staged.row_number), values },
      Number(staged.duplicate_of),
    );
    if (finding) findings.push(finding);
  }
  return { rowNumber: Number(staged.row_number), key: staged.row_key, row, findings };
}

/** Files every rejected row as a problem record of one ticket; returns the ticket, if any. */
async function fileProblems(
  trx: Transaction<Database>,
  scope: WriteScope,
  { submission, checker }: { submission: DataSubmissionTable; checker: ChunkChecker },
  chunkCount: number,
): Promise<string> {
  const ticket = await openTicket(trx, scope.app.hub, {
    resource: submission.resource_code,
    orgId: submission.org_id,
    submissionId: submission.id,
    kind: 'submission',
    now: scope.now,
    actor: actorOf(scope.caller) as { tokenId: string; orgId: string | null },
  });
  for (let seq = 1; seq <= chunkCount; seq += 1) {
    const rows = await rejectedRows(trx, submission.id, seq);
    if (rows.length > 0) await ticket.add(rows.map((row) => problemOf(checker, row)));
  }
  await ticket.finish();
  return ticket.id;
}

/** Stores the accepted rows in the submission's mode and counts what changed. */
async function storeAccepted(
  trx: Transaction<Database>,
  scope: WriteScope,
  submission: DataSubmissionTable,
  accepted: number,
) {
  const counts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0, missing: 0 };
  const { resource_code: resource, id, mode } = submission;
  if (mode === 'delete') {
    counts.deleted = await deleteStaged(trx, resource, id);
    counts.missing = accepted - counts.deleted;
    return counts;
  }
  const now = scope.now.toISOString();
  Object.assign(counts, await storeStaged(trx, resource, id, now, { touch: mode === 'full', accepted }));
  if (mode === 'full') counts.deleted = await deleteOthers(trx, resource, id);
  return counts;
}

/** Checks keys across the submission, stores the accepted rows and files the rejected ones. */
export async function applyRows(
  trx: Transaction<Database>,
  scope: WriteScope,
  submission: DataSubmissionTable,
  chunkCount: number,
) {
  const duplicates = await markDuplicates(trx, submission.id);
  const staged = await stagedTally(trx, submission.id);
  const counts = await storeAccepted(trx, scope, submission, staged.accepted);
  const checker = await chunkChecker(trx, submission);
  const rejected = staged.rows - staged.accepted;
  // Opened only when needed: a ticket takes a number, and numbers are gap-free.
  const ticket =
    rejected > 0 ? await fileProblems(trx, scope, { submission, checker }, chunkCount) : undefined;
  const tally: Tally = {
    ...{ rows: staged.rows, accepted: staged.accepted, rejected },
    ...counts,
    ...{ filledCells: staged.filled, checkedCells: staged.accepted * checker.itemCount },
  };
  return { tally, ticket, duplicates };
}

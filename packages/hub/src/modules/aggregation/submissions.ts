/**
 * Submissions (汇聚): created for a published resource of the caller's organisation, filled with
 * numbered chunks in any order (each upload idempotent), then committed (commit.ts) or cancelled.
 */
import { randomBytes } from 'node:crypto';
import { RowSchemaError, RowValidator, sm3Hex, type Lang } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Database, DataSubmissionTable, SubmissionMode } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf, resourceNotFound } from '../catalog/access.js';
import { findResource } from '../catalog/repository.js';
import type { WriteScope } from '../catalog/service.js';
import { checkUploadedChunk } from './chunk-pool.js';
import { chunkChecker, saveChunk } from './stage.js';
import { dropStaged } from './staged-rows.js';
import { publishedResource, submissionResource, type ItemsResource } from './submission-resource.js';

type SubmissionRow = DataSubmissionTable;

export interface CreateSubmissionInput {
  resource: string;
  mode?: SubmissionMode;
  header: string[];
  fileName?: string;
  rows?: number;
  chunkRows?: number;
}

export function submissionNotFound(id: string, lang: Lang): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'submission' : '数据提交', id });
}

/** The submission, if the caller may see it (its organisation, admins, auditors); else 404. */
export async function visibleSubmission(scope: Pick<WriteScope, 'app' | 'caller' | 'lang'>, id: string) {
  const row = await scope.app.hub.store.db
    .selectFrom('data_submissions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  const { caller } = scope;
  const privileged = caller.roles.includes('admin') || caller.roles.includes('auditor');
  if (!row || (!privileged && row.org_id !== caller.orgId)) throw submissionNotFound(id, scope.lang);
  return row;
}

/** The submission for a write by its organisation's officer; anyone else gets 404. */
export async function ownSubmission(scope: WriteScope, id: string): Promise<SubmissionRow> {
  const row = await visibleSubmission(scope, id);
  if (row.org_id !== scope.caller.orgId) throw submissionNotFound(id, scope.lang);
  return row;
}

export function requireOpen(row: SubmissionRow, action: string): void {
  if (row.status !== 'open')
    throw new HubError('HUB_ERR_SUBMISSION_STATE', { id: row.id, status: row.status, action });
}

/** Checks the header against the resource as the commit will: the same RowValidator. */
function checkHeader(resource: ItemsResource & { code: string }, mode: SubmissionMode, header: string[]) {
  try {
    new RowValidator(submissionResource(resource, mode), header);
  } catch (error) {
    if (error instanceof RowSchemaError)
      throw new HubError('HUB_ERR_DATA_HEADER', { code: resource.code, reason: error.message });
    throw error;
  }
  if (mode === 'delete' && !resource.items?.some((item) => item.isKey))
    throw new HubError('HUB_ERR_DATA_HEADER', {
      code: resource.code,
      reason: 'delete mode needs key items; the resource has none',
    });
}

export async function createSubmission(scope: WriteScope, input: CreateSubmissionInput) {
  const db = scope.app.hub.store.db;
  const resource = await findResource(db, input.resource);
  if (!resource || resource.org_id !== scope.caller.orgId) throw resourceNotFound(input.resource, scope.lang);
  if (resource.published_version === null)
    throw new HubError('HUB_ERR_NOT_PUBLISHED', { code: input.resource });
  const mode = input.mode ?? 'incremental';
  const published = await publishedResource(db, input.resource, resource.published_version);
  checkHeader(published, mode, input.header);
  const now = scope.now.toISOString();
  const row: SubmissionRow = {
    id: `sub_${randomBytes(10).toString('hex')}`,
    resource_code: input.resource,
    org_id: resource.org_id,
    resource_version: resource.published_version,
    mode,
    status: 'open',
    header: JSON.stringify(input.header),
    file_name: input.fileName ?? null,
    declared_rows: input.rows ?? null,
    chunk_rows: input.chunkRows ?? null,
    result: null,
    created_by: scope.caller.tokenId,
    created_at: now,
    updated_at: now,
    committed_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await appendAudit(trx, auditContext(scope), [
      {
        type: 'data',
        action: 'submission.create',
        actor: actorOf(scope.caller),
        object: row.id,
        result: 'success',
        detail: {
          resource: row.resource_code,
          version: row.resource_version,
          mode,
          rows: input.rows ?? null,
        },
      },
    ]);
    await trx.insertInto('data_submissions').values(row).execute();
  });
  return submissionView(scope.app.hub.store.db, row);
}

export function auditContext(scope: WriteScope) {
  return { hubCode: scope.app.hub.config.hubCode, engine: scope.app.hub.store.engine, now: scope.now };
}

export interface ChunkUpload {
  seq: number;
  body: Uint8Array;
  sm3: string;
  rows: number;
}

const uploadAction = (scope: WriteScope) => (scope.lang === 'en' ? 'uploaded to' : '上传数据块');

/**
 * Receives one chunk: checks its SM3 and its format, validates its rows and stages them with the
 * chunk in one transaction (stage.ts); the same chunk again is a no-op.
 */
export async function putChunk(scope: WriteScope, id: string, upload: ChunkUpload) {
  const submission = await ownSubmission(scope, id);
  requireOpen(submission, uploadAction(scope));
  const actual = sm3Hex(upload.body);
  const declared = upload.sm3.toLowerCase();
  if (actual !== declared)
    throw new HubError('HUB_ERR_CHUNK_CHECKSUM', { seq: upload.seq, actual, declared });
  const db = scope.app.hub.store.db;
  const existing = await db
    .selectFrom('data_chunks')
    .select(['sm3', 'rows'])
    .where('submission_id', '=', id)
    .where('seq', '=', upload.seq)
    .executeTakeFirst();
  if (existing) {
    if (existing.sm3 !== actual)
      throw new HubError('HUB_ERR_CHUNK_CONFLICT', { seq: upload.seq, stored: existing.sm3 });
    return { seq: upload.seq, rows: existing.rows, sm3: actual, stored: false };
  }
  const { resource, header } = await chunkChecker(db, submission);
  const task = { submissionId: id, resource, header, seq: upload.seq, rows: upload.rows, body: upload.body };
  const staged = await checkUploadedChunk(task, scope.app.hub.config.chunkWorkers);
  const chunk = {
    ...{ submission_id: id, seq: upload.seq, sm3: actual, rows: upload.rows },
    // The bytes are not kept: their rows are staged, checked, and their SM3 is recorded.
    ...{ bytes: upload.body.byteLength, body: new Uint8Array(0), created_at: scope.now.toISOString() },
  };
  const saved = await saveChunk(scope.app.hub.store, chunk, staged);
  if ('closed' in saved)
    throw new HubError('HUB_ERR_SUBMISSION_STATE', { id, status: saved.closed, action: uploadAction(scope) });
  const { stored } = saved;
  return { seq: upload.seq, rows: upload.rows, sm3: actual, stored };
}

export async function cancelSubmission(scope: WriteScope, id: string) {
  const submission = await ownSubmission(scope, id);
  if (submission.status === 'cancelled') return submissionView(scope.app.hub.store.db, submission);
  requireOpen(submission, scope.lang === 'en' ? 'cancelled' : '取消');
  const now = scope.now.toISOString();
  await scope.app.hub.store.db.transaction().execute(async (trx) => {
    await appendAudit(trx, auditContext(scope), [
      {
        type: 'data',
        action: 'submission.cancel',
        actor: actorOf(scope.caller),
        object: id,
        result: 'success',
      },
    ]);
    await dropStaged(trx, scope.app.hub.store.engine, id);
    await trx.deleteFrom('data_chunks').where('submission_id', '=', id).execute();
    await trx
      .updateTable('data_submissions')
      .set({ status: 'cancelled', updated_at: now })
      .where('id', '=', id)
      .execute();
  });
  return submissionView(scope.app.hub.store.db, { ...submission, status: 'cancelled', updated_at: now });
}

/** The API form of a submission, with what has been received so far. */
export async function submissionView(db: Kysely<Database>, row: SubmissionRow) {
  return viewOf(row, (await chunksOf(db, [row.id])).get(row.id) ?? []);
}

interface ChunkSummary {
  seq: number;
  rows: number;
  bytes: number;
}

/** The chunks received by some submissions, by submission, in order: one query for a page. */
export async function chunksOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, ChunkSummary[]>> {
  const found = new Map<string, ChunkSummary[]>();
  if (ids.length === 0) return found;
  const rows = await db
    .selectFrom('data_chunks')
    .select(['submission_id', 'seq', 'rows', 'bytes'])
    .where('submission_id', 'in', ids)
    .orderBy('submission_id')
    .orderBy('seq')
    .execute();
  for (const { submission_id: id, ...chunk } of rows) {
    const list = found.get(id) ?? [];
    list.push(chunk);
    found.set(id, list);
  }
  return found;
}

/** The API form of a submission and the chunks it has received. */
export function viewOf(row: SubmissionRow, chunks: ChunkSummary[]) {
  return {
    id: row.id,
    resource: row.resource_code,
    resourceVersion: row.resource_version,
    organisation: row.org_id,
    mode: row.mode,
    status: row.status,
    header: JSON.parse(row.header) as string[],
    ...(row.file_name !== null ? { fileName: row.file_name } : {}),
    ...(row.declared_rows !== null ? { declaredRows: Number(row.declared_rows) } : {}),
    ...(row.chunk_rows !== null ? { chunkRows: row.chunk_rows } : {}),
    chunks: {
      count: chunks.length,
      rows: chunks.reduce((sum, c) => sum + c.rows, 0),
      bytes: chunks.reduce((sum, c) => sum + c.bytes, 0),
      seqs: chunks.map((c) => c.seq),
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.committed_at !== null ? { committedAt: row.committed_at } : {}),
    ...(row.result !== null ? { result: JSON.parse(row.result) as unknown } : {}),
  };
}

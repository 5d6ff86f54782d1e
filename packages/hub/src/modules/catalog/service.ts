import type { Lang } from '@minjiang/standards';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { CatalogStatus, Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import type { Caller } from '../identity/tokens.js';
import { actorOf, isAdmin } from './access.js';
import {
  etagOf,
  preconditionError,
  preconditionHolds,
  type Conditions,
  type PreparedEntry,
} from './entries.js';
import {
  chunks,
  insertResources,
  lockResources,
  organisationsByUscc,
  publishedSearchTexts,
  replaceTerms,
  updateResources,
  upsertVersions,
  type ResourceRow,
  type VersionRow,
} from './repository.js';

/** Who writes, when, in which language, and where problems are logged. */
export interface WriteScope {
  app: FastifyInstance;
  caller: Caller;
  now: Date;
  lang: Lang;
  log: FastifyBaseLogger;
}

/** One entry to write: its position in the request, and the preconditions of a PUT. */
export interface WriteItem {
  index: number;
  entry: PreparedEntry;
  conditions?: Conditions;
}

export type WriteResult = 'created' | 'updated' | 'unchanged';

export type Outcome =
  | {
      index: number;
      code: string;
      result: WriteResult;
      version: number;
      status: CatalogStatus;
      contentHash: string;
    }
  | { index: number; code: string | null; result: 'failed'; error: HubError };

type Decision =
  | { kind: 'fail'; error: HubError }
  | { kind: 'unchanged'; row: ResourceRow }
  | {
      kind: 'write';
      action: 'create' | 'update';
      version: number;
      orgId: string;
      row: ResourceRow | undefined;
    };

type Decided = { item: WriteItem; decision: Decision };
type Write = { item: WriteItem; decision: Extract<Decision, { kind: 'write' }> };

/** 409 naming the state a version is in and what the operation needs. */
export function stateConflict(
  lang: Lang,
  code: string,
  version: number,
  status: string,
  needs: string,
): HubError {
  const detail =
    lang === 'en'
      ? `version ${version} of ${code} is ${status}; this needs ${needs}`
      : `资源 ${code} 第 ${version} 版当前状态为 ${status}，此操作要求 ${needs}`;
  return new HubError('HUB_ERR_CONFLICT', { detail }, { currentStatus: status, currentVersion: version });
}

/**
 * What to do with one entry given the stored resource. Ownership first (an officer writes only
 * for its own organisation), then the preconditions, then the content: an equal hash is
 * `unchanged` and nothing is written; a draft is edited in place; a version under review cannot
 * change; anything else (published, rejected, withdrawn) gets a new draft version, and a
 * published version stays visible until the new one is approved.
 */
function decide(
  scope: WriteScope,
  item: WriteItem,
  row: ResourceRow | undefined,
  owners: Map<string, string>,
): Decision {
  const { entry } = item;
  const uscc = entry.document.provider.uscc;
  const orgId = owners.get(uscc);
  if (
    !isAdmin(scope.caller) &&
    (orgId !== scope.caller.orgId || (row && row.org_id !== scope.caller.orgId))
  ) {
    return { kind: 'fail', error: new HubError('HUB_ERR_NOT_OWNER', { code: entry.code }) };
  }
  if (orgId === undefined) return { kind: 'fail', error: new HubError('HUB_ERR_UNKNOWN_PROVIDER', { uscc }) };
  const current = row ? etagOf(row.latest_version, row.content_hash) : undefined;
  if (item.conditions && !preconditionHolds(item.conditions, current)) {
    const now = row && current ? { version: row.latest_version, etag: current } : undefined;
    return { kind: 'fail', error: preconditionError(entry.code, now) };
  }
  if (!row) return { kind: 'write', action: 'create', version: 1, orgId, row };
  const live = row.status === 'draft' || row.status === 'submitted' || row.status === 'published';
  if (live && row.content_hash === entry.contentHash) return { kind: 'unchanged', row };
  if (row.status === 'submitted') {
    const needs =
      scope.lang === 'en'
        ? 'a version that is not under review (withdraw it first)'
        : '版本不在审核中（请先撤回）';
    return {
      kind: 'fail',
      error: stateConflict(scope.lang, row.code, row.latest_version, row.status, needs),
    };
  }
  const version = row.status === 'draft' ? row.latest_version : row.latest_version + 1;
  return { kind: 'write', action: 'update', version, orgId, row };
}

function versionRow(scope: WriteScope, write: Write, now: string): VersionRow {
  const { entry } = write.item;
  const by = scope.caller.tokenId;
  return {
    code: entry.code,
    version: write.decision.version,
    status: 'draft',
    document: entry.json,
    content_hash: entry.contentHash,
    name: entry.listing.name,
    share_type: entry.listing.shareType,
    open_type: entry.listing.openType,
    grading: entry.listing.grading,
    update_cycle: entry.listing.updateCycle,
    search_text: entry.listing.searchText,
    created_by: by,
    created_at: now,
    updated_by: by,
    updated_at: now,
    status_by: null,
    status_at: null,
    reason: null,
  };
}

function auditEvent(scope: WriteScope, write: Write): AuditEvent {
  return {
    type: 'catalog.change',
    action: write.decision.action,
    actor: actorOf(scope.caller),
    object: write.item.entry.code,
    result: 'success',
    detail: { version: write.decision.version, contentHash: write.item.entry.contentHash },
  };
}

/** Writes resource rows, version rows, search terms and audit entries of many entries together. */
async function persist(trx: Kysely<Database>, scope: WriteScope, writes: Write[]): Promise<void> {
  const now = scope.now.toISOString();
  const resource = (write: Write): ResourceRow => ({
    code: write.item.entry.code,
    org_id: write.decision.orgId,
    latest_version: write.decision.version,
    published_version: write.decision.row?.published_version ?? null,
    status: 'draft',
    content_hash: write.item.entry.contentHash,
    created_at: write.decision.row?.created_at ?? now,
    updated_at: now,
  });
  await insertResources(trx, writes.filter((w) => w.decision.action === 'create').map(resource));
  await updateResources(trx, writes.filter((w) => w.decision.action === 'update').map(resource));
  await upsertVersions(
    trx,
    writes.map((write) => versionRow(scope, write, now)),
  );
  const withPublished = writes.filter((w) => w.decision.row?.published_version != null);
  const published = await publishedSearchTexts(
    trx,
    withPublished.map((w) => w.item.entry.code),
  );
  const { engine } = scope.app.hub.store;
  await replaceTerms(
    trx,
    engine,
    writes.map(({ item: { entry } }) => ({
      code: entry.code,
      texts: [
        entry.listing.searchText,
        ...(published.has(entry.code) ? [published.get(entry.code) as string] : []),
      ],
    })),
  );
  await appendAudit(
    trx,
    { hubCode: scope.app.hub.config.hubCode, engine, now: scope.now },
    writes.map((w) => auditEvent(scope, w)),
  );
}

function outcomeOf({ item, decision }: Decided): Outcome {
  const { index, entry } = item;
  switch (decision.kind) {
    case 'fail':
      return { index, code: entry.code, result: 'failed', error: decision.error };
    case 'unchanged': {
      const { latest_version: version, status, content_hash: contentHash } = decision.row;
      return { index, code: entry.code, result: 'unchanged', version, status, contentHash };
    }
    case 'write': {
      const result = decision.action === 'create' ? 'created' : 'updated';
      return {
        index,
        code: entry.code,
        result,
        version: decision.version,
        status: 'draft',
        contentHash: entry.contentHash,
      };
    }
  }
}

/** Decides and writes one chunk of entries in the caller's transaction. */
async function applyChunk(
  trx: Kysely<Database>,
  scope: WriteScope,
  items: WriteItem[],
  owners: Map<string, string>,
): Promise<Outcome[]> {
  const rows = await lockResources(
    trx,
    scope.app.hub.store.engine,
    items.map((item) => item.entry.code),
  );
  const decided = items.map((item) => ({
    item,
    decision: decide(scope, item, rows.get(item.entry.code), owners),
  }));
  const writes = decided.filter((d): d is Write => d.decision.kind === 'write');
  if (writes.length > 0) await persist(trx, scope, writes);
  return decided.map(outcomeOf);
}

/**
 * Writes a chunk in one transaction. Should that fail (say, another request created one of the
 * codes a moment ago), the chunk is retried one entry per transaction, so that one entry never
 * fails the others and each entry is still all-or-nothing.
 */
async function applyPart(
  scope: WriteScope,
  part: WriteItem[],
  owners: Map<string, string>,
): Promise<Outcome[]> {
  const { db } = scope.app.hub.store;
  try {
    return await db.transaction().execute((trx) => applyChunk(trx, scope, part, owners));
  } catch (error) {
    if (part.length === 1) throw error;
    scope.log.warn({ err: error }, 'catalog batch chunk failed; retrying entry by entry');
  }
  const outcomes: Outcome[] = [];
  for (const item of part) {
    try {
      outcomes.push(...(await db.transaction().execute((trx) => applyChunk(trx, scope, [item], owners))));
    } catch (error) {
      scope.log.error({ err: error, code: item.entry.code }, 'catalog entry could not be written');
      const failure = error instanceof HubError ? error : new HubError('HUB_ERR_INTERNAL');
      outcomes.push({ index: item.index, code: item.entry.code, result: 'failed', error: failure });
    }
  }
  return outcomes;
}

/** Writes prepared entries in chunks of a few hundred, one transaction per chunk. */
export async function writeEntries(scope: WriteScope, items: WriteItem[]): Promise<Outcome[]> {
  if (items.length === 0) return [];
  const { db } = scope.app.hub.store;
  const owners = await organisationsByUscc(
    db,
    items.map((item) => item.entry.document.provider.uscc),
  );
  const outcomes: Outcome[] = [];
  for (const part of chunks(items)) outcomes.push(...(await applyPart(scope, part, owners)));
  return outcomes;
}

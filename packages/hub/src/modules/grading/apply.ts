import type { CatalogResource } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError, renderHubError } from '../../errors.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import { appendCatalogChange } from '../cascade/feed-append.js';
import { etagOf, prepareEntry, type PreparedEntry } from '../catalog/entries.js';
import {
  findVersion,
  lockResources,
  replaceTerms,
  updateResources,
  upsertVersions,
  type ResourceRow,
} from '../catalog/repository.js';
import { actorOf, auditContext, type GradingScope } from './scope.js';
import { gradingDb, type ProposalRow } from './tables.js';

export type ApplyResult = 'applied' | 'unchanged' | 'would-apply' | 'failed';

export interface ApplyOutcome {
  id: string;
  resourceCode: string;
  result: ApplyResult;
  from: string;
  to: string;
  /** The published version after applying (or that already had the level). */
  version?: number;
  etag?: string;
  error?: { code: string; message: string; hint: string };
}

function conflict(scope: GradingScope, proposal: ProposalRow, now: string): HubError {
  const detail =
    scope.lang === 'en'
      ? `${proposal.resource_code} changed since proposal ${proposal.id} graded version ${proposal.version} (now ${now}); propose again`
      : `资源 ${proposal.resource_code} 在分级建议 ${proposal.id} 评估第 ${proposal.version} 版之后已变化（现为 ${now}），请重新生成建议`;
  return new HubError('HUB_ERR_CONFLICT', { detail });
}

/** Why a proposal can no longer be applied as reviewed, or undefined when it can. */
async function staleness(
  trx: Transaction<Database>,
  scope: GradingScope,
  proposal: ProposalRow,
  row: ResourceRow | undefined,
) {
  if (!row || row.published_version === null)
    return conflict(scope, proposal, scope.lang === 'en' ? 'unpublished' : '未发布');
  if (row.published_version !== proposal.version || row.latest_version !== row.published_version)
    return conflict(scope, proposal, `v${row.latest_version} ${row.status}`);
  const published = await findVersion(trx, row.code, row.published_version);
  if (published?.content_hash !== proposal.content_hash)
    return conflict(scope, proposal, `v${row.published_version}`);
  return undefined;
}

function regraded(document: CatalogResource, level: string, scope: GradingScope): PreparedEntry {
  const prepared = prepareEntry(
    { ...document, grading: { ...document.grading, level } },
    scope.lang,
    scope.now,
  );
  if (!prepared.ok)
    throw new HubError('HUB_ERR_VALIDATION', { count: prepared.issues.length }, { issues: prepared.issues });
  return prepared.entry;
}

/**
 * Writes the reviewed level as a new published version (the platform is the reviewer, so it needs
 * no second approval): the old one is superseded, the resource row and search postings follow,
 * and the department's next `catalog plan` sees the change as drift it can pull.
 */
async function writeVersion(
  trx: Transaction<Database>,
  scope: GradingScope,
  row: ResourceRow,
  proposal: ProposalRow,
  entry: PreparedEntry,
) {
  const now = scope.now.toISOString();
  const by = scope.caller.tokenId;
  const version = row.latest_version + 1;
  const reason = `分级调整 ${proposal.id}：${proposal.declared} → ${proposal.decided}${proposal.review_reason ? `（${proposal.review_reason}）` : ''}`;
  await trx
    .updateTable('catalog_versions')
    .set({ status: 'superseded', status_by: by, status_at: now })
    .where('code', '=', row.code)
    .where('version', '=', row.latest_version)
    .execute();
  const { listing } = entry;
  await upsertVersions(trx, [
    {
      code: row.code,
      version,
      status: 'published',
      document: entry.json,
      content_hash: entry.contentHash,
      name: listing.name,
      share_type: listing.shareType,
      open_type: listing.openType,
      grading: listing.grading,
      update_cycle: listing.updateCycle,
      search_text: listing.searchText,
      created_by: by,
      created_at: now,
      updated_by: by,
      updated_at: now,
      status_by: by,
      status_at: now,
      reason,
    },
  ]);
  const updated = {
    ...row,
    latest_version: version,
    published_version: version,
    status: 'published' as const,
    content_hash: entry.contentHash,
    updated_at: now,
  };
  await updateResources(trx, [updated]);
  await replaceTerms(trx, scope.hub.store.engine, [{ code: row.code, texts: [listing.searchText] }]);
  // Published like an approval, so the parent hub's copy follows (docs/cascade-api.md "Feed").
  const change = {
    code: row.code,
    action: 'approve' as const,
    version,
    publishedBefore: row.published_version,
    now: scope.now,
  };
  await appendCatalogChange(trx, scope.hub, change);
  return version;
}

function applyEvent(
  scope: GradingScope,
  proposal: ProposalRow,
  result: 'success' | 'failure',
  detail: Record<string, unknown>,
): AuditEvent {
  return {
    type: 'admin',
    action: 'grading.apply',
    actor: actorOf(scope.caller),
    object: proposal.id,
    result,
    detail: { resource: proposal.resource_code, ...detail },
  };
}

async function markProposal(
  trx: Transaction<Database>,
  scope: GradingScope,
  id: string,
  changes: { status: 'applied' | 'stale'; applied_version?: number },
) {
  const now = scope.now.toISOString();
  const applied = changes.status === 'applied' ? { applied_by: scope.caller.tokenId, applied_at: now } : {};
  await gradingDb(trx)
    .updateTable('grading_proposals')
    .set({ ...changes, ...applied, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Applies (or, on a dry run, judges) one accepted proposal in the caller’s transaction; undefined when it is no longer accepted. */
async function applyOne(
  trx: Transaction<Database>,
  scope: GradingScope,
  listed: ProposalRow,
  dryRun: boolean,
): Promise<ApplyOutcome | undefined> {
  const row = (await lockResources(trx, scope.hub.store.engine, [listed.resource_code])).get(
    listed.resource_code,
  );
  // Read again under the resource's lock: a concurrent apply may have taken it, a review changed it.
  const proposal = await gradingDb(trx)
    .selectFrom('grading_proposals')
    .selectAll()
    .where('id', '=', listed.id)
    .where('status', '=', 'accepted')
    .executeTakeFirst();
  if (!proposal) return undefined;
  const base = {
    id: proposal.id,
    resourceCode: proposal.resource_code,
    from: proposal.declared,
    to: proposal.decided as string,
  };
  const stale = await staleness(trx, scope, proposal, row);
  if (stale || !row) {
    const error = stale ?? conflict(scope, proposal, '-');
    if (!dryRun) {
      await markProposal(trx, scope, proposal.id, { status: 'stale' });
      await appendAudit(trx, auditContext(scope), [
        applyEvent(scope, proposal, 'failure', { code: error.code }),
      ]);
    }
    return {
      ...base,
      result: 'failed',
      error: { code: error.code, ...renderHubError(error.code, error.params, scope.lang) },
    };
  }
  const published = (await findVersion(trx, row.code, row.latest_version))!;
  const document = JSON.parse(published.document) as CatalogResource;
  if (document.grading.level === proposal.decided) {
    if (!dryRun) {
      await markProposal(trx, scope, proposal.id, { status: 'applied', applied_version: row.latest_version });
      await appendAudit(trx, auditContext(scope), [
        applyEvent(scope, proposal, 'success', { version: row.latest_version, unchanged: true }),
      ]);
    }
    return {
      ...base,
      result: 'unchanged',
      version: row.latest_version,
      etag: etagOf(row.latest_version, row.content_hash),
    };
  }
  const entry = regraded(document, proposal.decided as string, scope);
  if (dryRun) return { ...base, result: 'would-apply', version: row.latest_version + 1 };
  const version = await writeVersion(trx, scope, row, proposal, entry);
  await markProposal(trx, scope, proposal.id, { status: 'applied', applied_version: version });
  const change: AuditEvent = {
    type: 'catalog.change',
    action: 'grade',
    actor: actorOf(scope.caller),
    object: row.code,
    result: 'success',
    detail: {
      version,
      contentHash: entry.contentHash,
      level: proposal.decided,
      previous: document.grading.level,
      proposal: proposal.id,
    },
  };
  await appendAudit(trx, auditContext(scope), [
    change,
    applyEvent(scope, proposal, 'success', { version, level: proposal.decided }),
  ]);
  return { ...base, result: 'applied', version, etag: etagOf(version, entry.contentHash) };
}

/**
 * Applies every accepted proposal, oldest first, each in its own transaction: one resource that
 * moved on since it was graded (a new draft, another version) fails alone and its proposal turns
 * `stale`. A dry run writes nothing and says what would happen.
 */
export async function applyProposals(scope: GradingScope, input: { dryRun?: boolean }) {
  const dryRun = input.dryRun === true;
  const { db } = scope.hub.store;
  const accepted = await gradingDb(db)
    .selectFrom('grading_proposals')
    .selectAll()
    .where('status', '=', 'accepted')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const results: ApplyOutcome[] = [];
  for (const proposal of accepted) {
    try {
      const outcome = await db.transaction().execute((trx) => applyOne(trx, scope, proposal, dryRun));
      if (outcome) results.push(outcome);
    } catch (error) {
      const failure = error instanceof HubError ? error : new HubError('HUB_ERR_INTERNAL');
      const base = {
        id: proposal.id,
        resourceCode: proposal.resource_code,
        from: proposal.declared,
        to: proposal.decided as string,
      };
      results.push({
        ...base,
        result: 'failed',
        error: { code: failure.code, ...renderHubError(failure.code, failure.params, scope.lang) },
      });
    }
  }
  const count = (result: ApplyResult) => results.filter((outcome) => outcome.result === result).length;
  return {
    dryRun,
    results,
    summary: {
      applied: count('applied'),
      unchanged: count('unchanged'),
      wouldApply: count('would-apply'),
      failed: count('failed'),
    },
  };
}

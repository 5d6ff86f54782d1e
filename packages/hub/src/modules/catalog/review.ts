import { signReceipt } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { CatalogStatus, Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { appendCatalogChange } from '../cascade/feed-append.js';
import { actorOf, isAdmin, resourceNotFound } from './access.js';
import { etagOf, preconditionError, preconditionHolds, type Conditions } from './entries.js';
import type { Answer } from './idempotency.js';
import { findVersion, lockResources, replaceTerms, type ResourceRow, type VersionRow } from './repository.js';
import { stateConflict, type WriteScope } from './service.js';

/**
 * The review workflow of a version: draft → submitted → published, or rejected (with a reason),
 * or withdrawn; approving a version supersedes the one published before it. Rejected, withdrawn
 * and superseded versions are final: a new write starts a new draft.
 */
export type ReviewAction = 'submit' | 'approve' | 'reject' | 'withdraw';

export const TRANSITIONS: Record<ReviewAction, { from: readonly CatalogStatus[]; to: CatalogStatus }> = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'published' },
  reject: { from: ['submitted'], to: 'rejected' },
  withdraw: { from: ['draft', 'submitted', 'published'], to: 'withdrawn' },
};

export interface ReviewInput {
  reason?: string;
  /** Withdraw only: which version (default: the latest if it can be withdrawn, else the published one). */
  version?: number;
}

/** Submitting is the owner's; approving and rejecting the admin's (route access); withdrawing either's. */
function authorise(scope: WriteScope, action: ReviewAction, row: ResourceRow): void {
  const owner = scope.caller.orgId === row.org_id;
  const allowed = action === 'submit' ? owner : action === 'withdraw' ? owner || isAdmin(scope.caller) : true;
  if (!allowed) throw new HubError('HUB_ERR_NOT_OWNER', { code: row.code });
}

function targetVersion(action: ReviewAction, row: ResourceRow, input: ReviewInput): number {
  if (action !== 'withdraw') return row.latest_version;
  if (input.version !== undefined) return input.version;
  if (TRANSITIONS.withdraw.from.includes(row.status)) return row.latest_version;
  return row.published_version ?? row.latest_version;
}

/** Recomputes search postings when the set of live versions (latest, published) has changed. */
async function refreshTerms(
  trx: Kysely<Database>,
  engine: Engine,
  row: ResourceRow,
  published: number | null,
): Promise<void> {
  const live = [row.latest_version, ...(published !== null ? [published] : [])];
  const texts = await trx
    .selectFrom('catalog_versions')
    .select('search_text')
    .where('code', '=', row.code)
    .where('version', 'in', live)
    .execute();
  await replaceTerms(trx, engine, [{ code: row.code, texts: texts.map((text) => text.search_text) }]);
}

/** Moves the target version and, on approval, supersedes the one published before. */
async function applyTransition(
  trx: Kysely<Database>,
  scope: WriteScope,
  row: ResourceRow,
  target: VersionRow,
  action: ReviewAction,
  reason: string | null,
): Promise<number | null> {
  const now = scope.now.toISOString();
  const by = scope.caller.tokenId;
  const to = TRANSITIONS[action].to;
  const setStatus = (version: number, status: CatalogStatus, why: string | null) =>
    trx
      .updateTable('catalog_versions')
      .set({ status, status_by: by, status_at: now, reason: why })
      .where('code', '=', row.code)
      .where('version', '=', version)
      .execute();
  await setStatus(target.version, to, reason);
  let published = row.published_version;
  let superseded: number | null = null;
  if (action === 'approve') {
    if (published !== null && published !== target.version) superseded = published;
    if (superseded !== null) await setStatus(superseded, 'superseded', null);
    published = target.version;
  } else if (action === 'withdraw' && target.version === published) {
    published = null;
  }
  const status = target.version === row.latest_version ? to : row.status;
  await trx
    .updateTable('catalog_resources')
    .set({ status, published_version: published, updated_at: now })
    .where('code', '=', row.code)
    .execute();
  if (published !== row.published_version)
    await refreshTerms(trx, scope.app.hub.store.engine, row, published);
  return superseded;
}

async function transition(
  trx: Kysely<Database>,
  scope: WriteScope,
  code: string,
  action: ReviewAction,
  input: ReviewInput,
  conditions: Conditions,
): Promise<{ target: VersionRow; etag: string }> {
  const row = (await lockResources(trx, scope.app.hub.store.engine, [code])).get(code);
  if (!row) throw resourceNotFound(code, scope.lang);
  authorise(scope, action, row);
  const etag = etagOf(row.latest_version, row.content_hash);
  if (!preconditionHolds(conditions, etag))
    throw preconditionError(code, { version: row.latest_version, etag });
  const version = targetVersion(action, row, input);
  const target = await findVersion(trx, code, version);
  if (!target) throw resourceNotFound(code, scope.lang, version);
  const { from, to } = TRANSITIONS[action];
  if (!from.includes(target.status))
    throw stateConflict(scope.lang, code, version, target.status, from.join(' | '));
  const reason = input.reason ?? null;
  const superseded = await applyTransition(trx, scope, row, target, action, reason);
  // The cascade feed item commits with the change or not at all (docs/cascade-api.md "Feed").
  const change = { code, action, version, publishedBefore: row.published_version, now: scope.now };
  await appendCatalogChange(trx, scope.app.hub, change);
  const detail = {
    version,
    contentHash: target.content_hash,
    ...(reason !== null ? { reason } : {}),
    ...(superseded !== null ? { superseded } : {}),
  };
  const { hubCode } = scope.app.hub.config;
  await appendAudit(trx, { hubCode, engine: scope.app.hub.store.engine, now: scope.now }, [
    { type: 'catalog.change', action, actor: actorOf(scope.caller), object: code, result: 'success', detail },
  ]);
  return { target: { ...target, status: to }, etag };
}

/** `POST …/{code}:submit|approve|reject|withdraw`: one audited transition and its signed receipt. */
export async function review(
  scope: WriteScope,
  code: string,
  action: ReviewAction,
  input: ReviewInput,
  conditions: Conditions,
): Promise<Answer> {
  const { db } = scope.app.hub.store;
  const { target, etag } = await db
    .transaction()
    .execute((trx) => transition(trx, scope, code, action, input, conditions));
  const { version, status, content_hash: contentHash } = target;
  const receipt = signReceipt(scope.app.hub.key, {
    v: 1,
    hub: scope.app.hub.config.hubCode,
    code,
    version,
    contentHash,
    status,
    time: scope.now.toISOString(),
  });
  return {
    status: 200,
    headers: { etag },
    body: { code, action, version, status, contentHash, etag, receipt },
  };
}

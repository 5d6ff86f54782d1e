import { normalizeGrade, proposeGrade, type GradingRuleSet } from '@minjiang/standards';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import { takeNumbers } from '../governance/problems.js';
import { newestFirstPage } from '../workflow/cursor.js';
import { requireReason, stateRefusal } from '../workflow/events.js';
import {
  publishedResources,
  sampleValues,
  type PublishedResource,
  type ResourceFilter,
} from './resources.js';
import { actorOf, auditContext, type GradingScope } from './scope.js';
import { gradingDb, type GradingProposalTable, type ProposalRow, type ProposalStatus } from './tables.js';
import { proposalView, type ProposalDetail } from './views.js';

export interface ProposeInput extends ResourceFilter {
  /** Rows sampled per resource; the hub's gradingSample when absent, never more. */
  sample?: number;
}

/** Proposals written per transaction (and per audit entry). */
const CHUNK = 200;

/** Statuses a new proposal for the same resource replaces. */
const OPEN: ProposalStatus[] = ['pending', 'accepted'];

async function grade(
  db: Kysely<Database>,
  resource: PublishedResource,
  rules: GradingRuleSet,
  sample: number,
) {
  const { rows, values } = await sampleValues(db, resource.code, sample);
  const options = { samples: values, rules };
  const detail: ProposalDetail = {
    'zh-CN': proposeGrade(resource.document, { ...options, lang: 'zh-CN' }),
    en: proposeGrade(resource.document, { ...options, lang: 'en' }),
  };
  return { resource, rows, detail };
}

type Graded = Awaited<ReturnType<typeof grade>>;

function proposalRow(scope: GradingScope, graded: Graded, id: string): GradingProposalTable {
  const { resource, detail, rows } = graded;
  const now = scope.now.toISOString();
  const proposal = detail['zh-CN'];
  return {
    id,
    resource_code: resource.code,
    org_id: resource.orgId,
    version: resource.version,
    content_hash: resource.contentHash,
    declared: resource.document.grading.level,
    proposed: proposal.grade,
    change: proposal.change,
    decided: null,
    status: 'pending',
    detail: JSON.stringify(detail),
    sampled_rows: rows,
    review_reason: null,
    reviewed_by: null,
    reviewed_at: null,
    applied_version: null,
    applied_by: null,
    applied_at: null,
    created_by: scope.caller.tokenId,
    created_at: now,
    updated_at: now,
  };
}

async function writeChunk(
  trx: Transaction<Database>,
  scope: GradingScope,
  part: Graded[],
  filter: ResourceFilter,
) {
  const db = gradingDb(trx);
  const now = scope.now.toISOString();
  const superseded = await db
    .updateTable('grading_proposals')
    .set({ status: 'superseded', updated_at: now })
    .where(
      'resource_code',
      'in',
      part.map((graded) => graded.resource.code),
    )
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  const year = chinaDay(scope.now).slice(0, 4);
  const first = await takeNumbers(trx, `grading-proposal:${year}`, part.length);
  const rows = part.map((graded, index) => proposalRow(scope, graded, `GP-${year}-${first + index}`));
  await db.insertInto('grading_proposals').values(rows).execute();
  const count = (change: string) => rows.filter((row) => row.change === change).length;
  await appendAudit(trx, auditContext(scope), [
    {
      type: 'admin',
      action: 'grading.propose',
      actor: actorOf(scope.caller),
      result: 'success',
      detail: {
        filter,
        proposals: rows.map((row) => ({ id: row.id, resource: row.resource_code, proposed: row.proposed })),
        raise: count('raise'),
        lower: count('lower'),
        same: count('same'),
        superseded: Number(superseded.numUpdatedRows),
      },
    },
  ]);
  return { rows, superseded: Number(superseded.numUpdatedRows) };
}

/**
 * Grades every published resource the filter covers (each from its catalog entry and up to
 * `sample` recent rows of the row store) and files one pending proposal per resource, replacing
 * any open one. Nothing in the catalog changes: that is apply's, after review.
 */
export async function propose(scope: GradingScope, input: ProposeInput) {
  const { db } = scope.hub.store;
  const filter: ResourceFilter = {
    ...(input.org !== undefined ? { org: input.org } : {}),
    ...(input.codePrefix !== undefined ? { codePrefix: input.codePrefix } : {}),
  };
  const sample = Math.min(input.sample ?? scope.hub.config.gradingSample, scope.hub.config.gradingSample);
  const resources = await publishedResources(db, filter);
  const graded: Graded[] = [];
  for (const resource of resources) graded.push(await grade(db, resource, scope.setup.rules, sample));
  const written: ProposalRow[] = [];
  let superseded = 0;
  for (let start = 0; start < graded.length; start += CHUNK) {
    const part = graded.slice(start, start + CHUNK);
    const result = await db.transaction().execute((trx) => writeChunk(trx, scope, part, filter));
    written.push(...result.rows);
    superseded += result.superseded;
  }
  const count = (change: string) => written.filter((row) => row.change === change).length;
  return {
    proposals: written.map((row) => proposalView(row, scope.lang)),
    summary: {
      resources: written.length,
      raise: count('raise'),
      lower: count('lower'),
      same: count('same'),
      superseded,
    },
  };
}

export interface ProposalQuery extends ResourceFilter {
  status?: ProposalStatus;
  limit: number;
  cursor?: string;
}

/** Proposals, newest first, by status, organisation or code prefix. */
export async function listProposals(scope: GradingScope, query: ProposalQuery) {
  let select = gradingDb(scope.hub.store.db).selectFrom('grading_proposals').selectAll();
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.org !== undefined) select = select.where('org_id', '=', query.org);
  if (query.codePrefix !== undefined)
    select = select.where('resource_code', 'like', `${query.codePrefix.replace(/[\\%_]/g, '')}%`);
  return newestFirstPage(select, query, (row) => proposalView(row, scope.lang));
}

async function findProposal(
  db: Kysely<Database>,
  id: string,
  lang: GradingScope['lang'],
): Promise<ProposalRow> {
  const row = await gradingDb(db)
    .selectFrom('grading_proposals')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'grading proposal' : '分级建议', id });
  return row;
}

/** One proposal with every item's level and reasons. */
export async function readProposal(scope: GradingScope, id: string) {
  return proposalView(await findProposal(scope.hub.store.db, id, scope.lang), scope.lang, true);
}

export type ReviewDecision = 'accept' | 'reject' | 'override';

export interface ReviewInput {
  decision: ReviewDecision;
  /** override: the level to apply instead (code, label or alias). */
  grade?: string;
  reason?: string;
}

/** Decisions may change until the proposal is applied or replaced. */
const REVIEWABLE: ProposalStatus[] = ['pending', 'accepted', 'rejected'];

function decisionOf(row: ProposalRow, input: ReviewInput, lang: GradingScope['lang']) {
  if (input.decision === 'accept')
    return { status: 'accepted' as const, decided: row.proposed, reason: input.reason?.trim() || null };
  const reason = requireReason(input.decision, input);
  if (input.decision === 'reject') return { status: 'rejected' as const, decided: null, reason };
  const decided = normalizeGrade(input.grade);
  if (decided === undefined) {
    const detail =
      lang === 'en'
        ? `grade "${input.grade ?? ''}" is not a GB/T 43697 level`
        : `级别“${input.grade ?? ''}”不是 GB/T 43697 的级别`;
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail });
  }
  return { status: 'accepted' as const, decided, reason };
}

/** Accepts, rejects (with a reason) or overrides (another level, with a reason) one proposal; audited. */
export async function reviewProposal(scope: GradingScope, id: string, input: ReviewInput) {
  const now = scope.now.toISOString();
  const row = await scope.hub.store.db.transaction().execute(async (trx) => {
    const current = await findProposal(trx, id, scope.lang);
    if (!REVIEWABLE.includes(current.status)) throw stateRefusal(id, current.status, input.decision, []);
    const { status, decided, reason } = decisionOf(current, input, scope.lang);
    const changes = {
      status,
      decided,
      review_reason: reason,
      reviewed_by: scope.caller.tokenId,
      reviewed_at: now,
      updated_at: now,
    };
    const updated = await gradingDb(trx)
      .updateTable('grading_proposals')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw stateRefusal(id, current.status, input.decision, REVIEWABLE);
    await appendAudit(trx, auditContext(scope), [
      {
        type: 'admin',
        action: 'grading.review',
        actor: actorOf(scope.caller),
        object: id,
        result: 'success',
        detail: {
          resource: current.resource_code,
          decision: input.decision,
          proposed: current.proposed,
          decided,
          ...(reason ? { reason } : {}),
        },
      },
    ]);
    return { ...current, ...changes };
  });
  return proposalView(row, scope.lang, true);
}

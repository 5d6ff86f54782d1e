import type { GradeProposal, Lang } from '@minjiang/standards';
import type { ProposalRow } from './tables.js';

/** Both languages of a proposal, as stored. */
export type ProposalDetail = Record<Lang, GradeProposal>;

export function detailOf(row: ProposalRow): ProposalDetail {
  return JSON.parse(row.detail) as ProposalDetail;
}

/** A proposal as the API shows it; `full` adds every item's level and reasons. */
export function proposalView(row: ProposalRow, lang: Lang, full = false) {
  const detail = detailOf(row)[lang];
  return {
    id: row.id,
    resourceCode: row.resource_code,
    resourceName: detail.name,
    orgId: row.org_id,
    version: row.version,
    declared: row.declared,
    proposed: row.proposed,
    change: row.change,
    ...(row.decided !== null ? { decided: row.decided } : {}),
    status: row.status,
    sampledRows: row.sampled_rows,
    reasons: detail.reasons,
    rules: detail.rules,
    ...(full ? { items: detail.items } : {}),
    ...(row.reviewed_at !== null
      ? {
          review: {
            ...(row.review_reason !== null ? { reason: row.review_reason } : {}),
            by: row.reviewed_by,
            at: row.reviewed_at,
          },
        }
      : {}),
    ...(row.applied_at !== null
      ? { applied: { version: row.applied_version, by: row.applied_by, at: row.applied_at } }
      : {}),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type ProposalView = ReturnType<typeof proposalView>;

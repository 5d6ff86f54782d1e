import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Where a proposal is: pending review; accepted (or overridden) or rejected; applied; or replaced. */
export type ProposalStatus = 'pending' | 'accepted' | 'rejected' | 'applied' | 'superseded' | 'stale';

/** One grade proposal for a published resource version (migration 005-grading). */
export type GradingProposalTable = {
  id: string;
  resource_code: string;
  /** The owning organisation when proposed, for filters. */
  org_id: string;
  /** The published version graded, and its content hash: apply refuses a resource that moved on. */
  version: number;
  content_hash: string;
  /** The level the version declares. */
  declared: string;
  /** The engine's level. */
  proposed: string;
  change: 'raise' | 'lower' | 'same';
  /** The reviewer's level: the proposed one when accepted, another when overridden. */
  decided: string | null;
  status: ProposalStatus;
  /** JSON `{ "zh-CN": GradeProposal, "en": GradeProposal }`: reasons in both languages. */
  detail: string;
  /** Rows of the row store the detectors sampled. */
  sampled_rows: number;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  /** The catalog version applying wrote (or found already graded so). */
  applied_version: number | null;
  applied_by: string | null;
  applied_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
};

// A type alias, not an interface: Kysely's withTables needs its implicit index signature.
export type GradingTables = {
  grading_proposals: GradingProposalTable;
};

export type GradingDatabase = Database & GradingTables;
export type ProposalRow = Selectable<GradingProposalTable>;

/** The hub's database with this module's table known to Kysely (db/schema.ts stays the core's). */
export function gradingDb(db: Kysely<Database>): Kysely<GradingDatabase> {
  return db.withTables<GradingTables>();
}

import type { Lang } from '@minjiang/standards';
import type { ReviewFilter, ReviewTargetType } from './admin-review-filter.js';
import { AuthenticationError, HubAPIError, PermissionDeniedError } from './client/errors.js';

/** The shapes of a bulk review (`minjiang admin review`), and how one outcome is recorded. */

export type ReviewDecision = 'approve' | 'reject';

/** One resource or application the filter matched, as it was when listed. */
export interface ReviewTarget {
  type: ReviewTargetType;
  /** The resource code or the application id. */
  id: string;
  name?: string;
  /** The providing organisation. */
  org: string;
  applicant?: string;
  resourceCode?: string;
  state: string;
  updatedAt?: string;
  /** Resources: the ETag seen, sent as If-Match. */
  etag?: string;
}

export interface ReviewItemError {
  code: string;
  status?: number;
  message: string;
  hint?: string;
}

/** What happened to one target; `planned` in a dry run. */
export interface ReviewItem {
  id: string;
  name?: string;
  org: string;
  applicant?: string;
  resourceCode?: string;
  /** The state when listed. */
  from: string;
  result: 'planned' | 'approved' | 'rejected' | 'failed';
  /** The state after the decision. */
  state?: string;
  error?: ReviewItemError;
}

export interface ReviewSummary {
  matched: number;
  approved: number;
  rejected: number;
  failed: number;
}

export interface ReviewReport {
  type: ReviewTargetType;
  action: ReviewDecision;
  reason?: string;
  dryRun: boolean;
  /** The filter as it was applied, normalised. */
  filter: Record<string, string>;
  summary: ReviewSummary;
  items: ReviewItem[];
}

export interface BulkReviewOptions {
  type: ReviewTargetType;
  filter: ReviewFilter;
  action: ReviewDecision;
  /** Required to reject (the hub refuses a rejection without one). */
  reason?: string;
  dryRun?: boolean;
  /** Resources per batch request (default 200; split further when the hub answers 413). */
  batchSize?: number;
  /** Language of the hub's messages in per-item errors of resources. */
  lang?: Lang;
  /** Called once the filter is resolved, before anything is written. */
  onMatched?: (count: number) => void;
  /** Called after each batch (resources) or item (applications). */
  onProgress?: (done: number, total: number) => void;
}

export function reviewItem(
  target: ReviewTarget,
  result: ReviewItem['result'],
  rest: Pick<ReviewItem, 'state' | 'error'> = {},
): ReviewItem {
  return {
    id: target.id,
    ...(target.name !== undefined ? { name: target.name } : {}),
    org: target.org,
    ...(target.applicant !== undefined ? { applicant: target.applicant } : {}),
    ...(target.resourceCode !== undefined ? { resourceCode: target.resourceCode } : {}),
    from: target.state,
    result,
    ...rest,
  };
}

/**
 * Whether an error ends the whole run rather than one item: the caller itself refused (no valid
 * token, not an admin), the hub failing, or no answer at all. What was done before stays done.
 */
export function endsReview(error: unknown): boolean {
  if (!(error instanceof HubAPIError)) return true;
  if (error instanceof AuthenticationError) return true;
  if (error instanceof PermissionDeniedError && error.code === 'HUB_ERR_FORBIDDEN') return true;
  return error.status >= 500;
}

export function itemError(error: HubAPIError): ReviewItemError {
  return {
    code: error.code,
    status: error.status,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

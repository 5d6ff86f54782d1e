import { describeReviewFilter } from './admin-review-filter.js';
import {
  endsReview,
  itemError,
  reviewItem,
  type BulkReviewOptions,
  type ReviewItem,
  type ReviewReport,
  type ReviewSummary,
  type ReviewTarget,
} from './admin-review-items.js';
import { reviewResources } from './admin-review-resources.js';
import { findReviewTargets } from './admin-review-targets.js';
import type { HubAPIError } from './client/errors.js';
import type { HubClient } from './client/hub-client.js';
import type { ApplicationState } from './client/sharing-types.js';

/**
 * Bulk review by the platform administrator (`minjiang admin review`): resolve a filter to the
 * resources or applications awaiting the platform, then approve or reject each, with results per
 * item. Resources go through the hub's batch route (`POST /catalog/resources:review`), each
 * conditional on the ETag seen when listing; applications through their own transitions, each
 * conditional on the state seen (`expectedState`). Something decided meanwhile by someone else
 * fails alone, and running the same command again takes up only what still matches.
 */

/** The platform's precheck (or decision at ESCALATED) of each application, one transition each. */
async function reviewApplications(
  client: HubClient,
  targets: ReviewTarget[],
  options: BulkReviewOptions,
): Promise<ReviewItem[]> {
  const items: ReviewItem[] = [];
  for (const target of targets) {
    const expectedState = target.state as ApplicationState;
    const reason = options.reason ?? '';
    try {
      const app =
        options.action === 'approve'
          ? await client.sharing.approve(target.id, { expectedState, ...(reason ? { reason } : {}) })
          : await client.sharing.reject(target.id, { expectedState, reason });
      const result = options.action === 'approve' ? 'approved' : 'rejected';
      items.push(reviewItem(target, result, { state: app.state }));
    } catch (error) {
      if (endsReview(error)) throw error;
      items.push(reviewItem(target, 'failed', { error: itemError(error as HubAPIError) }));
    }
    options.onProgress?.(items.length, targets.length);
  }
  return items;
}

/**
 * Resolves the filter, then, unless it is a dry run, approves or rejects every match. A dry run
 * only reads. No match is an empty report: the caller decides what that means to it.
 */
export async function bulkReview(client: HubClient, options: BulkReviewOptions): Promise<ReviewReport> {
  const targets = await findReviewTargets(client, options.type, options.filter);
  options.onMatched?.(targets.length);
  const act = options.dryRun !== true && targets.length > 0;
  const items = !act
    ? targets.map((target) => reviewItem(target, 'planned'))
    : options.type === 'resource'
      ? await reviewResources(client, targets, options)
      : await reviewApplications(client, targets, options);
  const summary: ReviewSummary = { matched: targets.length, approved: 0, rejected: 0, failed: 0 };
  for (const item of items) if (item.result !== 'planned') summary[item.result] += 1;
  return {
    type: options.type,
    action: options.action,
    ...(options.reason ? { reason: options.reason } : {}),
    dryRun: options.dryRun === true,
    filter: describeReviewFilter(options.filter),
    summary,
    items,
  };
}

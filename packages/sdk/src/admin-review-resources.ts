import {
  reviewItem,
  type BulkReviewOptions,
  type ReviewDecision,
  type ReviewItem,
  type ReviewItemError,
  type ReviewTarget,
} from './admin-review-items.js';
import { PayloadTooLargeError } from './client/errors.js';
import type { HubClient } from './client/hub-client.js';

/** Entries per batch request: well under the hub's default batchLimit (1000). */
export const DEFAULT_REVIEW_BATCH_SIZE = 200;

/** One entry of the hub's answer to `POST /catalog/resources:review`. */
interface AnswerItem {
  index: number;
  code: string;
  action: ReviewDecision;
  result: 'approved' | 'rejected' | 'failed';
  status?: string;
  error?: ReviewItemError & { currentStatus?: string };
}

interface Answer {
  summary: { approved: number; rejected: number; failed: number };
  items: AnswerItem[];
}

function entryOf(target: ReviewTarget, options: BulkReviewOptions) {
  return {
    code: target.id,
    action: options.action,
    ...(options.reason ? { reason: options.reason } : {}),
    // Decided on what the administrator was shown: a resource changed since fails alone (412).
    ...(target.etag !== undefined ? { ifMatch: target.etag } : {}),
  };
}

function outcomeOf(target: ReviewTarget, answer: AnswerItem): ReviewItem {
  if (answer.result !== 'failed' || !answer.error)
    return reviewItem(target, answer.result, answer.status !== undefined ? { state: answer.status } : {});
  const { code, status, message, hint } = answer.error;
  return reviewItem(target, 'failed', {
    error: { code, ...(status !== undefined ? { status } : {}), message, ...(hint ? { hint } : {}) },
  });
}

/**
 * Sends one request of the run. A 413 (more entries than this hub takes in one request) splits
 * it in two, so the client needs no knowledge of the hub's batchLimit.
 */
async function sendPart(
  client: HubClient,
  targets: ReviewTarget[],
  options: BulkReviewOptions,
  out: ReviewItem[],
): Promise<void> {
  try {
    const { data } = await client.transport.request<Answer>({
      method: 'POST',
      path: '/api/v1/catalog/resources:review',
      body: { entries: targets.map((target) => entryOf(target, options)) },
      headers: options.lang === 'en' ? { 'accept-language': 'en' } : {},
    });
    for (const answer of data.items) {
      const target = targets[answer.index];
      if (target) out.push(outcomeOf(target, answer));
    }
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError) || targets.length < 2) throw error;
    const half = Math.ceil(targets.length / 2);
    await sendPart(client, targets.slice(0, half), options, out);
    await sendPart(client, targets.slice(half), options, out);
  }
}

/**
 * Approves or rejects resources through the hub's batch route, `batchSize` at a time. Each entry
 * is its own transaction at the hub; a request that fails as a whole (token refused, hub down)
 * ends the run, and what earlier requests did stays done.
 */
export async function reviewResources(
  client: HubClient,
  targets: ReviewTarget[],
  options: BulkReviewOptions,
): Promise<ReviewItem[]> {
  const size = Math.max(1, options.batchSize ?? DEFAULT_REVIEW_BATCH_SIZE);
  const items: ReviewItem[] = [];
  for (let start = 0; start < targets.length; start += size) {
    await sendPart(client, targets.slice(start, start + size), options, items);
    options.onProgress?.(items.length, targets.length);
  }
  return items;
}

import { HubError, renderHubError } from '../../errors.js';
import type { Answer } from './idempotency.js';
import { review } from './review.js';
import { receiptSchema } from './schemas.js';
import type { WriteScope } from './service.js';

/**
 * `POST /catalog/resources:review`: the platform administrator's bulk review. Each entry is one
 * ordinary review transition (review.ts): its own transaction, its own audit entry with the
 * admin's role, its own signed receipt. A failing entry (already published, changed since it was
 * listed, unknown, no reason for a rejection) fails alone and never rolls back the others.
 */

export type BatchReviewAction = 'approve' | 'reject';

export interface BatchReviewEntry {
  code: string;
  action: BatchReviewAction;
  reason?: string;
  /** The ETag the administrator saw when listing: the entry fails with 412 if it changed since. */
  ifMatch?: string;
}

const RESULT_OF = { approve: 'approved', reject: 'rejected' } as const;

type ItemAnswer =
  | ({ index: number; code: string; action: BatchReviewAction; result: 'approved' | 'rejected' } & Record<
      string,
      unknown
    >)
  | {
      index: number;
      code: string;
      action: BatchReviewAction;
      result: 'failed';
      error: Record<string, unknown>;
    };

/** The members of an error's details a client can act on: what the resource is now. */
const USEFUL_DETAILS = ['currentStatus', 'currentVersion', 'etag'] as const;

function failure(scope: WriteScope, entry: BatchReviewEntry, index: number, error: HubError): ItemAnswer {
  const { message, hint } = renderHubError(error.code, error.params, scope.lang);
  const details = Object.fromEntries(
    USEFUL_DETAILS.flatMap((key) => (error.details?.[key] !== undefined ? [[key, error.details[key]]] : [])),
  );
  return {
    index,
    code: entry.code,
    action: entry.action,
    result: 'failed',
    error: { code: error.code, status: error.statusCode, message, hint, ...details },
  };
}

/** Checks that only the entry itself can fail: a missing reason, a code twice in one request. */
function entryProblem(entry: BatchReviewEntry, earlier: number | undefined): HubError | null {
  if (entry.action === 'reject' && !entry.reason?.trim())
    return new HubError('HUB_ERR_REASON_REQUIRED', { action: 'reject' });
  if (earlier !== undefined)
    return new HubError('HUB_ERR_CONFLICT', {
      detail: `${entry.code} already appears at index ${earlier} of this batch`,
    });
  return null;
}

async function reviewOne(scope: WriteScope, entry: BatchReviewEntry, index: number): Promise<ItemAnswer> {
  const reason = entry.reason?.trim();
  try {
    const answer = await review(
      scope,
      entry.code,
      entry.action,
      reason ? { reason } : {},
      entry.ifMatch !== undefined ? { ifMatch: entry.ifMatch } : {},
    );
    const { version, status, contentHash, etag, receipt } = answer.body as Record<string, unknown>;
    const result = RESULT_OF[entry.action];
    return {
      index,
      code: entry.code,
      action: entry.action,
      result,
      version,
      status,
      contentHash,
      etag,
      receipt,
    };
  } catch (error) {
    if (error instanceof HubError) return failure(scope, entry, index, error);
    // An unexpected fault fails this entry only; what was committed before stays committed and
    // the caller still learns the outcome of every entry.
    scope.log.error({ err: error, code: entry.code }, 'batch review entry failed');
    return failure(scope, entry, index, new HubError('HUB_ERR_INTERNAL'));
  }
}

/** Reviews every entry in order, one transaction each; 200 when all succeeded, 207 otherwise. */
export async function reviewBatch(scope: WriteScope, body: { entries: BatchReviewEntry[] }): Promise<Answer> {
  // 413 as the register batch answers, so a client splits the request instead of giving up.
  const limit = scope.app.hub.config.batchLimit;
  if (body.entries.length > limit)
    throw new HubError('HUB_ERR_BATCH_TOO_LARGE', { count: body.entries.length, limit });
  const items: ItemAnswer[] = [];
  const first = new Map<string, number>();
  for (const [index, entry] of body.entries.entries()) {
    const problem = entryProblem(entry, first.get(entry.code));
    if (!first.has(entry.code)) first.set(entry.code, index);
    items.push(problem ? failure(scope, entry, index, problem) : await reviewOne(scope, entry, index));
  }
  const summary = { approved: 0, rejected: 0, failed: 0 };
  for (const item of items) summary[item.result] += 1;
  return { status: summary.failed === 0 ? 200 : 207, body: { summary, items } };
}

const reviewItemError = {
  type: 'object',
  required: ['code', 'status', 'message'],
  properties: {
    code: { type: 'string' },
    status: { type: 'integer' },
    message: { type: 'string' },
    hint: { type: 'string' },
    currentStatus: { type: 'string' },
    currentVersion: { type: 'integer' },
    etag: { type: 'string' },
  },
} as const;

export function reviewBatchBody(limit: number) {
  return {
    type: 'object',
    required: ['entries'],
    additionalProperties: false,
    properties: {
      entries: {
        type: 'array',
        minItems: 1,
        description: `At most ${limit} entries (more: 413 HUB_ERR_BATCH_TOO_LARGE)`,
        items: {
          type: 'object',
          required: ['code', 'action'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', minLength: 1, maxLength: 64 },
            action: { type: 'string', enum: ['approve', 'reject'] },
            reason: {
              type: 'string',
              maxLength: 1000,
              description: 'Required (non-blank) to reject; the entry alone fails with 422 without one',
            },
            ifMatch: {
              type: 'string',
              maxLength: 200,
              description: 'The ETag last read; the entry alone fails with 412 if the resource changed',
            },
          },
        },
      },
    },
  } as const;
}

export const reviewBatchAnswerSchema = {
  type: 'object',
  required: ['summary', 'items'],
  properties: {
    summary: {
      type: 'object',
      required: ['approved', 'rejected', 'failed'],
      properties: {
        approved: { type: 'integer' },
        rejected: { type: 'integer' },
        failed: { type: 'integer' },
      },
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'code', 'action', 'result'],
        properties: {
          index: { type: 'integer' },
          code: { type: 'string' },
          action: { type: 'string', enum: ['approve', 'reject'] },
          result: { type: 'string', enum: ['approved', 'rejected', 'failed'] },
          version: { type: 'integer' },
          status: { type: 'string' },
          contentHash: { type: 'string' },
          etag: { type: 'string' },
          receipt: receiptSchema,
          error: reviewItemError,
        },
      },
    },
  },
} as const;

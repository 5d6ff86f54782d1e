import type { Issue } from '@minjiang/standards';
import { HubAPIError, HubError } from '../../client/errors.js';
import type { HubClient } from '../../client/hub-client.js';
import type { BatchItemError, CatalogStatus } from '../../client/types.js';
import { checkReceipt, RECEIPT_FORMAT, type ReceiptExpectation } from '../state/receipts.js';
import type { CatalogStateStore } from '../state/store.js';
import type { PinnedKey } from '../state/types.js';
import type { CatalogPlan, PlanAction } from './types.js';

/** What happened to one resource. */
export type ApplyResultKind = 'created' | 'updated' | 'unchanged' | 'withdrawn' | 'failed' | 'skipped';

/** Why a resource was not acted on. */
export type SkipReason = 'conflict' | 'prune-not-requested';

/** A refusal: the hub's code, status, message and issues, or the SDK's own (a bad receipt). */
export interface ApplyError {
  code: string;
  status?: number;
  message: string;
  hint?: string;
  issues?: Issue[];
}

export interface ResourceOutcome {
  code: string;
  action: PlanAction;
  result: ApplyResultKind;
  version?: number;
  status?: CatalogStatus;
  etag?: string;
  contentHash?: string;
  error?: ApplyError;
  skipReason?: SkipReason;
  /** Fields changed on the hub only, kept as the hub has them. */
  drift?: string[];
  /** Fields in conflict (skipped). */
  conflicts?: string[];
  /** With `submit`: whether the review submission went through, and why not. */
  submitted?: boolean;
  submitError?: ApplyError;
  /** The last receipt saved for this resource, relative to the `.minjiang` folder. */
  receipt?: string;
}

export interface ApplyProgress {
  phase: 'write' | 'prune' | 'submit';
  done: number;
  total: number;
}

/** Everything the phases of an apply share. */
export interface ApplyContext {
  client: HubClient;
  plan: CatalogPlan;
  store: CatalogStateStore;
  key: PinnedKey;
  now: () => Date;
  batchSize: number | undefined;
  signal: AbortSignal | undefined;
  onProgress: ((event: ApplyProgress) => void) | undefined;
  outcomes: Map<string, ResourceOutcome>;
  receipts: string[];
}

/** An error as an outcome records it; anything that is not a hub error is a bug and rethrown. */
export function errorOf(error: unknown): ApplyError {
  if (error instanceof HubAPIError) {
    return {
      code: error.code,
      status: error.status,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.issues.length > 0 ? { issues: error.issues } : {}),
    };
  }
  if (error instanceof HubError)
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  throw error;
}

export function itemError(error: BatchItemError | undefined): ApplyError {
  if (!error) return { code: 'HUB-NO-ERROR', message: '枢纽报告该条目失败，但未说明原因' };
  const { code, status, message, hint, issues } = error;
  return { code, status, message, ...(hint ? { hint } : {}), ...(issues ? { issues } : {}) };
}

/** The error of a receipt that does not prove what the hub answered. */
export function receiptError(problems: string[]): ApplyError {
  return {
    code: 'RECEIPT-INVALID',
    message: problems.join('；'),
    hint: '枢纽的应答未被记入上次应用状态。请检查网络路径（代理、中间人）和枢纽公钥，再重新运行 plan。',
  };
}

/**
 * Saves a receipt under `.minjiang/receipts/` and checks it against the pinned key and the
 * expectations; every receipt is kept, a bad one too (it is evidence), marked as unverified.
 */
export async function keepReceipt(
  ctx: ApplyContext,
  kind: string,
  receipt: unknown,
  expected: ReceiptExpectation[],
  idempotencyKey: string,
): Promise<{ path?: string; problems: string[] }> {
  const problems = checkReceipt(receipt, ctx.key, ctx.plan.hub.code, expected);
  if (receipt === undefined) return { problems };
  const what = expected.length === 1 ? `${kind}-${expected[0]?.code ?? ''}` : `${kind}-${expected.length}`;
  const path = await ctx.store.saveReceipt(
    {
      format: RECEIPT_FORMAT,
      kind,
      hub: ctx.plan.hub,
      savedAt: ctx.now().toISOString(),
      idempotencyKey,
      expected,
      verified: problems.length === 0,
      ...(problems.length > 0 ? { problems } : {}),
      receipt,
    },
    what,
  );
  ctx.receipts.push(path);
  return { path, problems };
}

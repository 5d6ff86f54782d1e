import { randomUUID } from 'node:crypto';
import type { CatalogResource } from '@minjiang/standards';
import { DEFAULT_BATCH_SIZE, type BatchRequestRecord, type BatchResult } from '../../client/catalog-api.js';
import type { BatchItem, EntryConditions } from '../../client/types.js';
import type { ReceiptExpectation } from '../state/receipts.js';
import { errorOf, itemError, keepReceipt, receiptError, type ApplyContext } from './outcomes.js';
import type { PlannedResource } from './types.js';

/**
 * Every write is conditional on what the plan read: `If-None-Match: *` for a create, the hub's
 * ETag for an update. Someone who changed the resource since then makes that one entry fail
 * with 412 instead of being overwritten; a re-plan then shows their change.
 */
function conditionOf(planned: PlannedResource): EntryConditions {
  return planned.action === 'create' || !planned.hub ? { ifNoneMatch: '*' } : { ifMatch: planned.hub.etag };
}

function expectationsOf(request: BatchRequestRecord, items: BatchItem[], chunk: PlannedResource[]) {
  const codes = new Set(request.codes);
  return items.flatMap((item): ReceiptExpectation[] => {
    const planned = chunk[item.index];
    if (item.result === 'failed' || !planned || !codes.has(planned.code)) return [];
    return [
      {
        code: planned.code,
        ...(item.version !== undefined ? { version: item.version } : {}),
        ...(item.status !== undefined ? { status: item.status } : {}),
        result: item.result,
        // What was sent, hashed here: the receipt must attest this very content.
        ...(planned.contentHash !== undefined ? { contentHash: planned.contentHash } : {}),
      },
    ];
  });
}

/** Saves and checks each request's receipt; returns, by code, the receipt path and its problems. */
async function receiptsOf(ctx: ApplyContext, result: BatchResult, chunk: PlannedResource[]) {
  const byCode = new Map<string, { path?: string; problems: string[] }>();
  for (const request of result.requests) {
    const expected = expectationsOf(request, result.items, chunk);
    if (expected.length === 0) continue;
    const kept = await keepReceipt(ctx, 'batch', request.receipt, expected, request.idempotencyKey);
    for (const one of expected) byCode.set(one.code, kept);
  }
  return byCode;
}

function record(
  ctx: ApplyContext,
  planned: PlannedResource,
  item: BatchItem,
  kept?: { path?: string; problems: string[] },
) {
  const base = {
    code: planned.code,
    action: planned.action,
    ...(planned.drift.length > 0 ? { drift: planned.drift.map((d) => d.pointer) } : {}),
  };
  if (item.result === 'failed') {
    ctx.outcomes.set(planned.code, { ...base, result: 'failed', error: itemError(item.error) });
  } else if (!kept || kept.problems.length > 0) {
    const error = receiptError(kept?.problems ?? ['回执缺失']);
    ctx.outcomes.set(planned.code, {
      ...base,
      result: 'failed',
      error,
      ...(kept?.path ? { receipt: kept.path } : {}),
    });
  } else {
    ctx.outcomes.set(planned.code, {
      ...base,
      result: item.result,
      ...(item.version !== undefined ? { version: item.version } : {}),
      ...(item.status !== undefined ? { status: item.status } : {}),
      ...(item.etag !== undefined ? { etag: item.etag } : {}),
      ...(item.contentHash !== undefined ? { contentHash: item.contentHash } : {}),
      ...(kept.path ? { receipt: kept.path } : {}),
    });
  }
}

async function writeChunk(ctx: ApplyContext, chunk: PlannedResource[]): Promise<void> {
  const conditions = Object.fromEntries(chunk.map((planned) => [planned.code, conditionOf(planned)]));
  let result: BatchResult;
  try {
    result = await ctx.client.batchResources(
      chunk.map((planned) => planned.document as CatalogResource),
      {
        conditions,
        idempotencyKey: randomUUID(),
        batchSize: chunk.length,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
    );
  } catch (error) {
    // The whole request failed (hub unreachable after retries, refused envelope): none of its
    // entries is known to be written, so none is recorded; a re-plan shows what the hub has.
    const failure = errorOf(error);
    for (const planned of chunk)
      ctx.outcomes.set(planned.code, {
        code: planned.code,
        action: planned.action,
        result: 'failed',
        error: failure,
      });
    return;
  }
  const receipts = await receiptsOf(ctx, result, chunk);
  for (const item of result.items) {
    const planned = chunk[item.index];
    if (planned) record(ctx, planned, item, receipts.get(planned.code));
  }
}

/**
 * Sends the creates and updates of a plan, and nothing else: unchanged resources are never
 * rewritten. Batches go through `POST …/resources:batch` with per-entry preconditions, one
 * idempotency key per request (the transport re-sends it on retries, so a retried batch is
 * run once).
 */
export async function writeChanges(ctx: ApplyContext): Promise<void> {
  const planned = ctx.plan.resources.filter((r) => r.action === 'create' || r.action === 'update');
  const size = Math.max(1, ctx.batchSize ?? DEFAULT_BATCH_SIZE);
  for (let start = 0; start < planned.length; start += size) {
    const chunk = planned.slice(start, start + size);
    await writeChunk(ctx, chunk);
    ctx.onProgress?.({ phase: 'write', done: Math.min(start + size, planned.length), total: planned.length });
  }
}

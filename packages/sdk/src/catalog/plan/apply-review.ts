import { randomUUID } from 'node:crypto';
import type { CatalogStatus, ResourceView, TransitionAnswer } from '../../client/types.js';
import { forEachLimit } from './limit.js';
import { errorOf, keepReceipt, receiptError, type ApplyContext, type ApplyError } from './outcomes.js';

/** Review calls are one resource each; a few at a time keeps a large apply quick but polite. */
const CONCURRENCY = 4;

export const PRUNE_REASON = '已从部门本地目录中删除（minjiang catalog apply --prune）';

type Transition = (idempotencyKey: string) => Promise<TransitionAnswer>;
type Attempt = { answer: TransitionAnswer; receipt?: string } | { error: ApplyError; receipt?: string };

/** Runs one transition and checks its receipt; returns the answer, or why it does not count. */
async function transition(
  ctx: ApplyContext,
  code: string,
  kind: 'submit' | 'withdraw',
  expected: CatalogStatus,
  run: Transition,
): Promise<Attempt> {
  const idempotencyKey = randomUUID();
  let answer: TransitionAnswer;
  try {
    answer = await run(idempotencyKey);
  } catch (error) {
    return { error: errorOf(error) };
  }
  const { version, contentHash } = answer;
  const kept = await keepReceipt(
    ctx,
    kind,
    answer.receipt,
    [{ code, version, contentHash, status: expected }],
    idempotencyKey,
  );
  const receipt = kept.path ? { receipt: kept.path } : {};
  if (kept.problems.length > 0) return { error: receiptError(kept.problems), ...receipt };
  return { answer, ...receipt };
}

/**
 * Withdraws every live version of a resource: the one the default target picks (the latest, if
 * it is a draft, under review or published, else the published one), then a version still
 * published beneath a newer draft, so that nothing of it stays in the catalog.
 */
async function withdrawAll(ctx: ApplyContext, code: string, etag: string | undefined): Promise<Attempt> {
  const withdraw = (body: { reason: string; version?: number }, ifMatch: string | undefined) =>
    transition(ctx, code, 'withdraw', 'withdrawn', (idempotencyKey) =>
      ctx.client.withdrawResource(code, body, {
        ...(ifMatch ? { ifMatch } : {}),
        idempotencyKey,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    );
  const first = await withdraw({ reason: PRUNE_REASON }, etag);
  if ('error' in first) return first;
  let view: ResourceView;
  try {
    view = await ctx.client.getResource(code);
  } catch (error) {
    return { error: errorOf(error), ...(first.receipt ? { receipt: first.receipt } : {}) };
  }
  if (view.publishedVersion === undefined || view.publishedVersion === first.answer.version) return first;
  const second = await withdraw({ reason: PRUNE_REASON, version: view.publishedVersion }, view.etag);
  return second;
}

/**
 * `--prune`: the hub has no DELETE, so a resource gone from the local catalog is withdrawn
 * (review route `:withdraw`), conditional on the ETag the plan read; its history stays.
 */
export async function pruneResources(ctx: ApplyContext): Promise<void> {
  const targets = ctx.plan.resources.filter((r) => r.action === 'prune');
  let done = 0;
  await forEachLimit(targets, CONCURRENCY, async (planned) => {
    const outcome = await withdrawAll(ctx, planned.code, planned.hub?.etag);
    const base = {
      code: planned.code,
      action: planned.action,
      ...(outcome.receipt ? { receipt: outcome.receipt } : {}),
    };
    if ('error' in outcome)
      ctx.outcomes.set(planned.code, { ...base, result: 'failed', error: outcome.error });
    else {
      const { version, status, etag, contentHash } = outcome.answer;
      ctx.outcomes.set(planned.code, { ...base, result: 'withdrawn', version, status, etag, contentHash });
    }
    done += 1;
    ctx.onProgress?.({ phase: 'prune', done, total: targets.length });
  });
}

/**
 * `--submit`: every resource this apply leaves as a draft (written now, or a draft already)
 * goes to review, conditional on the ETag just written or read.
 */
export async function submitResources(ctx: ApplyContext): Promise<void> {
  const targets = [...ctx.outcomes.values()].filter(
    (o) =>
      (o.result === 'created' || o.result === 'updated' || o.result === 'unchanged') &&
      o.status === 'draft' &&
      o.etag,
  );
  let done = 0;
  await forEachLimit(targets, CONCURRENCY, async (outcome) => {
    const ifMatch = outcome.etag as string;
    const result = await transition(ctx, outcome.code, 'submit', 'submitted', (idempotencyKey) =>
      ctx.client.submitResource(
        outcome.code,
        {},
        { ifMatch, idempotencyKey, ...(ctx.signal ? { signal: ctx.signal } : {}) },
      ),
    );
    if ('error' in result) {
      ctx.outcomes.set(outcome.code, { ...outcome, submitted: false, submitError: result.error });
    } else {
      const { status, etag } = result.answer;
      ctx.outcomes.set(outcome.code, {
        ...outcome,
        submitted: true,
        status,
        etag,
        ...(result.receipt ? { receipt: result.receipt } : {}),
      });
    }
    done += 1;
    ctx.onProgress?.({ phase: 'submit', done, total: targets.length });
  });
}

import type { HubClient } from '../../client/hub-client.js';
import type { CatalogStatus } from '../../client/types.js';
import { forEachLimit } from './limit.js';

export interface WaitOptions {
  /** Give up after this long (default 10 minutes); what is still under review is `pending`. */
  timeoutMs?: number;
  /** Between rounds of polling (default 5 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called after each round with what is still pending. */
  onPoll?: (pending: readonly string[]) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ReviewWait {
  published: string[];
  rejected: { code: string; reason?: string }[];
  /** Withdrawn (or superseded) while waiting: no longer under review, and not published. */
  closed: { code: string; status: CatalogStatus }[];
  /** Still a draft or under review when the wait ended: the CLI's exit code 7. */
  pending: string[];
}

const UNDER_REVIEW: readonly CatalogStatus[] = ['draft', 'submitted'];

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** One round: reads each pending resource's latest version and files the settled ones. */
async function poll(client: HubClient, pending: string[], result: ReviewWait): Promise<string[]> {
  const still: string[] = [];
  await forEachLimit(pending, 4, async (code) => {
    const view = await client.getResource(code);
    if (view.status === 'published') result.published.push(code);
    else if (view.status === 'rejected')
      result.rejected.push({ code, ...(view.reason ? { reason: view.reason } : {}) });
    else if (UNDER_REVIEW.includes(view.status)) still.push(code);
    else result.closed.push({ code, status: view.status });
  });
  return still.sort();
}

/**
 * Waits until every resource is published or rejected (review is someone else's act), polling
 * the hub; returns what was decided and what is still pending when the time is up.
 */
export async function waitForReview(
  client: HubClient,
  codes: readonly string[],
  options: WaitOptions = {},
): Promise<ReviewWait> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 600_000);
  const sleep = options.sleep ?? ((ms: number) => pause(ms, options.signal));
  const result: ReviewWait = { published: [], rejected: [], closed: [], pending: [] };
  let pending = [...new Set(codes)].sort();
  for (;;) {
    pending = await poll(client, pending, result);
    options.onPoll?.(pending);
    const left = deadline - now();
    if (pending.length === 0 || left <= 0 || options.signal?.aborted) break;
    await sleep(Math.min(options.intervalMs ?? 5000, left));
  }
  result.pending = pending;
  result.published.sort();
  result.rejected.sort((a, b) => a.code.localeCompare(b.code));
  return result;
}

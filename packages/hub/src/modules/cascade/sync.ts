/**
 * One sync of a child hub's catalog at its parent (docs/cascade-api.md "Sync"): read and verify
 * pages from the stored cursor, plan with the standards' pure planner, then apply the plan and
 * the cursor in one transaction — or store the plan as blocked when the mass-delete guard trips.
 * An admin's confirmation covers at most the removals of the plan that was blocked: if the
 * child removed even more since, the new plan is blocked again for the admin to look at.
 */
import { CascadeError, planSync, type Issue, type Lang, type SyncPlan } from '@minjiang/standards';
import type { HubContext } from '../../plugins/store.js';
import type { AuditEvent } from '../audit/log.js';
import { readPages, type ChildNode, type SyncFailure } from './sync-read.js';
import {
  applyPlan,
  ensureSyncState,
  entriesOf,
  planFacts,
  recordBlocked,
  recordFailure,
} from './sync-store.js';

/** `changes` reads the change feed from the cursor; `full` reads the whole listing (absence deletes). */
export type SyncMode = 'changes' | 'full';

export interface SyncRequest {
  mode: SyncMode;
  /** The admin confirms the removals of the blocked plan. */
  confirm: boolean;
  actor: AuditEvent['actor'];
  lang: Lang;
}

/** What a sync did: the plan's counts, whether it was applied, and why not. */
export interface SyncSummary {
  hub: string;
  mode: SyncMode;
  applied: boolean;
  counts: SyncPlan['counts'];
  removals: number;
  live: number;
  blocked: { removals: number; live: number; share: number; maxShare: number; message: string } | null;
  cursor: { previous: number; next: number };
  head: number;
  refused: Issue[];
  error: SyncFailure | null;
}

const NO_COUNTS: SyncPlan['counts'] = {
  create: 0,
  update: 0,
  tombstone: 0,
  unchanged: 0,
  'stale-version-ignored': 0,
};

function summaryOf(
  child: string,
  mode: SyncMode,
  plan: SyncPlan,
  head: number,
  applied: boolean,
  error: SyncFailure | null,
): SyncSummary {
  const { counts, removals, live, cursor } = planFacts(plan);
  const block = plan.blocked;
  const blocked =
    block && !applied
      ? {
          removals: block.removals,
          live: block.live,
          share: block.share,
          maxShare: block.maxShare,
          message: block.issue.message,
        }
      : null;
  return {
    hub: child,
    mode,
    applied,
    counts,
    removals,
    live,
    blocked,
    cursor,
    head,
    refused: plan.refused,
    error,
  };
}

function unplanned(
  child: string,
  mode: SyncMode,
  cursor: number,
  head: number,
  error: SyncFailure,
): SyncSummary {
  const empty = { counts: NO_COUNTS, removals: 0, live: 0, blocked: null, refused: [] };
  return {
    hub: child,
    mode,
    applied: false,
    ...empty,
    cursor: { previous: cursor, next: cursor },
    head,
    error,
  };
}

function storedRemovals(blocked: string | null): number | null {
  if (!blocked) return null;
  return (JSON.parse(blocked) as { removals?: number }).removals ?? null;
}

/** Syncs one approved child once. Never throws for what the child sent: that is recorded and summarised. */
export async function syncChild(
  hub: HubContext,
  child: ChildNode,
  request: SyncRequest,
): Promise<SyncSummary> {
  const state = await ensureSyncState(hub.store.db, child.hub, hub.now());
  const cursor = Number(state.cursor);
  const feedMode = request.mode === 'full' ? 'snapshot' : 'changes';
  const read = await readPages(hub, child, feedMode, cursor, request.lang);
  const fail = async (failure: SyncFailure) => {
    await recordFailure(hub, child.hub, failure, read.head);
    return unplanned(child.hub, request.mode, cursor, read.head, failure);
  };
  if (read.pages.length === 0) return fail(read.failure as SyncFailure);
  const entries = await entriesOf(hub.store.db, child.hub);
  const options = {
    cursor,
    maxRemovalShare: hub.config.cascadeMaxRemovalShare,
    removalAllowance: hub.config.cascadeRemovalAllowance,
    lang: request.lang,
  };
  let plan: SyncPlan;
  try {
    plan = planSync(child.hub, entries, read.pages, options);
  } catch (error) {
    if (!(error instanceof CascadeError)) throw error;
    return fail({ code: error.code, message: error.message, issues: error.issues });
  }
  const context = { actor: request.actor, head: read.head, failure: read.failure, confirmed: false };
  if (plan.blocked) {
    const allowed = storedRemovals(state.blocked);
    if (!request.confirm || allowed === null || plan.removals > allowed) {
      await recordBlocked(hub, plan, context);
      return summaryOf(child.hub, request.mode, plan, read.head, false, read.failure);
    }
    plan = planSync(child.hub, entries, read.pages, { ...options, confirmMassDelete: true });
    context.confirmed = true;
  }
  await applyPlan(hub, plan, context);
  return summaryOf(child.hub, request.mode, plan, read.head, true, read.failure);
}

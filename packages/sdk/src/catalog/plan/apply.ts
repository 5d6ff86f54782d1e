import type { HubClient } from '../../client/hub-client.js';
import { pinHubKey } from '../state/hub-key.js';
import { hubIdOf, type CatalogStateStore } from '../state/store.js';
import { STATE_FORMAT, type CatalogState } from '../state/types.js';
import { pruneResources, submitResources } from './apply-review.js';
import { writeChanges } from './apply-writes.js';
import { CatalogPlanError, PruneThresholdError } from './errors.js';
import type { ApplyContext, ApplyProgress, ApplyResultKind, ResourceOutcome } from './outcomes.js';
import type { CatalogPlan, PlannedResource } from './types.js';

/** Resources an apply may withdraw without `force`. */
export const DEFAULT_PRUNE_THRESHOLD = 10;

export interface ApplyOptions {
  /** The `.minjiang` folder of the catalog, for the plan's hub. */
  state: CatalogStateStore;
  /** Withdraw the prune candidates; without it nothing is withdrawn. */
  prune?: boolean;
  /** At most this many withdrawals (or, below 1, this share of the applied resources). Default 10. */
  pruneThreshold?: number;
  /** Prune beyond the threshold. */
  force?: boolean;
  /** Submit every resource left as a draft for review. */
  submit?: boolean;
  /** Entries per batch request (default 200). */
  batchSize?: number;
  onProgress?: (event: ApplyProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ApplySummary extends Record<ApplyResultKind, number> {
  conflicts: number;
  submitted: number;
}

export interface ApplyResult {
  hub: CatalogPlan['hub'];
  orgId: string;
  outcomes: ResourceOutcome[];
  summary: ApplySummary;
  /** Receipts saved by this apply, relative to the `.minjiang` folder. */
  receipts: string[];
  key: { keyId: string; pinned: 'new' | 'match' };
  statePath: string;
  /** No failure, no conflict, no failed submission: what a CI job wants to know. */
  ok: boolean;
}

function pruneLimit(plan: CatalogPlan, threshold = DEFAULT_PRUNE_THRESHOLD): number {
  if (threshold > 0 && threshold < 1) {
    const applied = plan.resources.filter((r) => r.basis === 'three-way').length;
    return Math.floor(applied * threshold);
  }
  return threshold;
}

/** Refuses, before any request, a prune larger than allowed: a sync never mass-deletes by accident. */
function checkPrune(plan: CatalogPlan, options: ApplyOptions): void {
  if (!options.prune) return;
  const codes = plan.resources.filter((r) => r.action === 'prune').map((r) => r.code);
  const limit = pruneLimit(plan, options.pruneThreshold);
  if (codes.length > limit && !options.force) throw new PruneThresholdError(codes.length, limit, codes);
}

/** What needs no request: unchanged and drifted resources, conflicts, prune candidates left alone. */
function initialOutcome(planned: PlannedResource, prune: boolean): ResourceOutcome | undefined {
  const { code, action } = planned;
  const drift = planned.drift.length > 0 ? { drift: planned.drift.map((d) => d.pointer) } : {};
  if (action === 'unchanged' || action === 'drift') {
    return { code, action, result: 'unchanged', ...drift, ...planned.hub };
  }
  if (action === 'conflict') {
    const conflicts = planned.conflicts.map((c) => c.pointer);
    return { code, action, result: 'skipped', skipReason: 'conflict', conflicts, ...drift };
  }
  if (action === 'prune' && !prune)
    return { code, action, result: 'skipped', skipReason: 'prune-not-requested' };
  return undefined;
}

/** A plan, the client and the state folder must all be about the same hub. */
function checkHub(client: HubClient, plan: CatalogPlan, store: CatalogStateStore): void {
  const planned = hubIdOf(plan.hub.baseURL);
  const clientHub = hubIdOf(client.transport.options.baseURL);
  if (planned !== clientHub || planned !== store.hubId) {
    throw new CatalogPlanError(
      'CATALOG-PLAN-HUB',
      `计划针对枢纽 ${plan.hub.baseURL}，而客户端连接的是 ${client.transport.options.baseURL}`,
      {
        location: store.statePath,
        hint: '用同一个 --hub 生成计划和执行计划。',
      },
    );
  }
}

async function openState(plan: CatalogPlan, store: CatalogStateStore): Promise<CatalogState> {
  const state = (await store.readState()) ?? {
    format: STATE_FORMAT,
    hub: { baseURL: plan.hub.baseURL },
    updatedAt: plan.hubReadAt,
    resources: {},
  };
  if ((state.hub.code ?? plan.hub.code) !== plan.hub.code || (state.orgId ?? plan.orgId) !== plan.orgId) {
    throw new CatalogPlanError(
      'CATALOG-STATE-MISMATCH',
      `计划针对 ${plan.hub.code} / ${plan.orgId}，与 ${store.statePath} 不符`,
      {
        location: store.statePath,
        hint: '计划与状态文件不属于同一枢纽或机构；请用同一 --hub 和令牌重新生成计划。',
      },
    );
  }
  return state;
}

/**
 * Records what the hub accepted: the local document becomes the base of the next three-way plan
 * (see DESIGN in index.ts), with the hub's version, ETag and hash. Failed and skipped resources
 * keep their old entry; withdrawn and forgotten ones leave the state.
 */
function updateState(state: CatalogState, ctx: ApplyContext): void {
  const appliedAt = ctx.now().toISOString();
  for (const planned of ctx.plan.resources) {
    const outcome = ctx.outcomes.get(planned.code);
    if (outcome?.result === 'withdrawn') delete state.resources[planned.code];
    const accepted =
      outcome?.result === 'created' || outcome?.result === 'updated' || outcome?.result === 'unchanged';
    if (
      !accepted ||
      !planned.local ||
      outcome.version === undefined ||
      !outcome.etag ||
      !outcome.contentHash ||
      !outcome.status
    )
      continue;
    const { version, etag, contentHash, status } = outcome;
    const receipt = outcome.receipt ?? state.resources[planned.code]?.receipt;
    state.resources[planned.code] = {
      document: planned.local,
      version,
      etag,
      contentHash,
      status,
      appliedAt,
      ...(receipt ? { receipt } : {}),
    };
  }
  for (const code of ctx.plan.forgotten) delete state.resources[code];
  state.hub = { ...state.hub, baseURL: ctx.plan.hub.baseURL, code: ctx.plan.hub.code, key: ctx.key };
  state.orgId = ctx.plan.orgId;
  state.updatedAt = appliedAt;
}

function summarise(outcomes: ResourceOutcome[]): ApplySummary {
  const summary: ApplySummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    failed: 0,
    skipped: 0,
    conflicts: 0,
    submitted: 0,
  };
  for (const outcome of outcomes) {
    summary[outcome.result] += 1;
    if (outcome.skipReason === 'conflict') summary.conflicts += 1;
    if (outcome.submitted) summary.submitted += 1;
  }
  return summary;
}

/**
 * `catalog apply`: carries out a plan. Only creates and updates are sent (each conditional on
 * what the plan read), prune candidates are withdrawn only with `prune`, conflicts are skipped;
 * every receipt is saved and verified with the hub key pinned on first use; the last-applied
 * state is then written atomically, for the resources the hub accepted. Refusals of single
 * resources are outcomes, not exceptions: the result says which failed and why.
 */
export async function applyCatalogPlan(
  client: HubClient,
  plan: CatalogPlan,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const { state: store } = options;
  checkHub(client, plan, store);
  checkPrune(plan, options);
  const now = options.now ?? (() => new Date());
  const state = await openState(plan, store);
  const { key, pinned } = await pinHubKey(client, state, store.statePath, now());
  const ctx: ApplyContext = {
    client,
    plan,
    store,
    key,
    now,
    batchSize: options.batchSize,
    signal: options.signal,
    onProgress: options.onProgress,
    outcomes: new Map(),
    receipts: [],
  };
  for (const planned of plan.resources) {
    const outcome = initialOutcome(planned, options.prune === true);
    if (outcome) ctx.outcomes.set(planned.code, outcome);
  }
  try {
    await writeChanges(ctx);
    if (options.prune) await pruneResources(ctx);
    if (options.submit) await submitResources(ctx);
  } finally {
    // Whatever happened, what the hub did accept is recorded.
    updateState(state, ctx);
    await store.writeState(state);
  }
  const outcomes = plan.resources.flatMap((planned) => ctx.outcomes.get(planned.code) ?? []);
  const summary = summarise(outcomes);
  const ok = summary.failed === 0 && summary.conflicts === 0 && !outcomes.some((o) => o.submitError);
  return {
    hub: plan.hub,
    orgId: plan.orgId,
    outcomes,
    summary,
    receipts: ctx.receipts,
    key: { keyId: key.keyId, pinned },
    statePath: store.statePath,
    ok,
  };
}

/**
 * `catalog plan` / `catalog apply`: a three-way plan between the local catalog, the hub and the
 * last-applied state kept in `.minjiang/`, and the apply that carries it out.
 *
 * DESIGN
 * - Plan (pure): local documents (normalised like the hub does, hub-owned fields dropped) against
 *   the hub's documents, with the last-applied document of each resource as the merge base.
 *   Without a base it is two-way and local wins. With one, local changes are laid over the hub's
 *   document; fields only the hub changed are drift and keep the hub's value; fields both
 *   changed differently are conflicts and nothing is sent for that resource.
 * - Apply: only creates and updates are sent, through the batch route with per-entry
 *   preconditions (`If-None-Match: *` for creates, the ETag read for updates), so a concurrent
 *   edit fails its own entry with 412 instead of being overwritten. Receipts are saved and
 *   verified with the hub key pinned on first use. Prune withdraws (the hub has no DELETE),
 *   only when asked and within a threshold.
 * - State: after the hub accepts a resource, the base becomes the LOCAL document (not the
 *   merged one). Fields the hub changed alone stay equal between base and local, so they keep
 *   showing as drift and are never overwritten later; a local edit of such a field then shows
 *   as the conflict it is. Pulling the hub's value into the file settles the drift.
 */
export { planCatalog, planHasChanges, type PlanInput } from './plan.js';
export {
  gatherHubSnapshot,
  planAgainstHub,
  type GatherOptions,
  type PlanAgainstHub,
  type PlanAgainstHubOptions,
} from './gather.js';
export {
  applyCatalogPlan,
  DEFAULT_PRUNE_THRESHOLD,
  type ApplyOptions,
  type ApplyResult,
  type ApplySummary,
} from './apply.js';
export { PRUNE_REASON } from './apply-review.js';
export type { ApplyError, ApplyProgress, ApplyResultKind, ResourceOutcome, SkipReason } from './outcomes.js';
export { waitForReview, type ReviewWait, type WaitOptions } from './wait.js';
export { HUB_OWNED_FIELDS, planDocument, contentHashOf } from './documents.js';
export { diffJson, jsonEqual, type FieldChange, type Json } from './json-diff.js';
export { mergeThreeWay, type ConflictResolution, type FieldConflict, type Merge } from './three-way.js';
export { CatalogPlanError, PruneThresholdError } from './errors.js';
export {
  PLAN_FORMAT,
  SNAPSHOT_FORMAT,
  type CatalogPlan,
  type HubResource,
  type HubSnapshot,
  type PlanAction,
  type PlannedResource,
} from './types.js';
export * from '../state/index.js';

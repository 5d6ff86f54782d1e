import type { CatalogResource } from '@minjiang/standards';
import type { CatalogStatus } from '../../client/types.js';
import type { FieldChange } from './json-diff.js';
import type { FieldConflict } from './three-way.js';

export const SNAPSHOT_FORMAT = 'minjiang-hub-snapshot/1';
export const PLAN_FORMAT = 'minjiang-catalog-plan/1';

/** One resource as the hub holds it: its document and the metadata the hub owns. */
export interface HubResource {
  code: string;
  orgId: string;
  version: number;
  status: CatalogStatus;
  etag: string;
  contentHash: string;
  /** Read only for withdrawn resources: a version still published beneath the withdrawn one. */
  publishedVersion?: number;
  document: CatalogResource;
}

/** An organisation's resources on a hub at one moment: saved, it lets a plan run offline. */
export interface HubSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  hub: { baseURL: string; code: string };
  orgId: string;
  takenAt: string;
  resources: Record<string, HubResource>;
}

/**
 * - `create`: local only; registered with `If-None-Match: *`.
 * - `update`: local changes to send, conditional on the hub's ETag (`changes`: hub → sent).
 * - `unchanged`: the hub already holds the local document.
 * - `drift`: nothing to send, but the hub changed fields since the last apply; they are kept.
 * - `conflict`: a field changed locally and on the hub, differently; nothing is sent.
 * - `prune`: applied before, still on the hub, gone from the local catalog; withdrawn only
 *   when the apply is asked to prune.
 */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'drift' | 'conflict' | 'prune';

export interface PlannedResource {
  code: string;
  action: PlanAction;
  /** Three-way when the resource is in the last-applied state, else two-way (local wins). */
  basis: 'two-way' | 'three-way';
  name?: string;
  /** What will be sent (create, update): the local changes laid over the hub's document. */
  document?: CatalogResource;
  /** The hub's content hash of `document`, to check the receipt against. */
  contentHash?: string;
  /** The local document; it becomes the base of the next plan once the hub has accepted it. */
  local?: CatalogResource;
  /** The hub's resource as read: writes and withdrawals are conditional on its ETag. */
  hub?: { version: number; status: CatalogStatus; etag: string; contentHash: string };
  /** Field-level diff from the hub's document to `document`. */
  changes: FieldChange[];
  /** Fields only the hub changed since the last apply; kept as the hub has them. */
  drift: FieldChange[];
  conflicts: FieldConflict[];
  /** Withdrawn on the hub yet in the local catalog: registering it again starts a new draft. */
  revive?: boolean;
}

export interface CatalogPlan {
  format: typeof PLAN_FORMAT;
  mode: 'two-way' | 'three-way';
  hub: { baseURL: string; code: string };
  orgId: string;
  /** When the hub's state the plan rests on was read. */
  hubReadAt: string;
  /** Every local resource and prune candidate, in code order. */
  resources: PlannedResource[];
  /** On the hub, not local and never applied from here: not this catalog's to touch. */
  unmanaged: string[];
  /** In the last-applied state, not local, and gone or withdrawn on the hub: dropped from the state. */
  forgotten: string[];
  summary: Record<PlanAction, number>;
}

import type { CatalogResource } from '@minjiang/standards';
import type { CatalogStatus } from '../../client/types.js';

export const STATE_FORMAT = 'minjiang-catalog-state/1';

/** One resource as last applied to a hub: the base of the next three-way plan. */
export interface AppliedResource {
  /** The local document as it was when the hub accepted it (or confirmed it unchanged). */
  document: CatalogResource;
  version: number;
  etag: string;
  contentHash: string;
  status: CatalogStatus;
  appliedAt: string;
  /** The receipt of the last write or transition, relative to the `.minjiang` folder. */
  receipt?: string;
}

/** The hub's public key, pinned on first use: receipts are verified with it, offline. */
export interface PinnedKey {
  keyId: string;
  publicKey: string;
  pinnedAt: string;
}

/** `.minjiang/hubs/<hub>/state.json`: what this catalog last applied to one hub. */
export interface CatalogState {
  format: typeof STATE_FORMAT;
  hub: { baseURL: string; code?: string; key?: PinnedKey };
  /** The organisation whose catalog this is on that hub. */
  orgId?: string;
  updatedAt: string;
  resources: Record<string, AppliedResource>;
}

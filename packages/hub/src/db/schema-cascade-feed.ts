/** Tables of the cascade feed and the province's sync (migration 009, docs/cascade-api.md). */

/** Times are ISO 8601 text in UTC on both engines (see schema.ts). */
type Time = string;

export type FeedItemType = 'Create' | 'Update' | 'Delete';

/** One immutable item of this hub's change feed. */
export interface CascadeFeedTable {
  /** Gap-free, from the `cascade-feed` counter taken in the publishing transaction. */
  seq: number;
  /** The catalog resource code, to find an object's last item when it is withdrawn. */
  code: string;
  /** `urn:ses:ds:{hub}:{USCC}:{code}`. */
  object: string;
  /** The feed version of the object (docs/cascade-api.md "Feed"): strictly increasing per object. */
  version: number;
  type: FeedItemType;
  published: Time;
  digest: string | null;
  /** JSON of the DSSE envelope of the signed catalog record (Create and Update). */
  record: string | null;
  reason: 'WITHDRAWN' | 'DELISTED' | 'MERGED' | null;
  successor: string | null;
}

export type FederatedStatus = 'live' | 'tombstone' | 'absent';

/** What a province holds of one object of a child hub's catalog (read-only, origin-owned). */
export interface CascadeEntryTable {
  object: string;
  origin: string;
  version: number;
  digest: string | null;
  status: FederatedStatus;
  /** JSON of the owner-signed record of the newest version held (kept when it is tombstoned). */
  record: string | null;
  resource_code: string;
  name: string | null;
  reason: string | null;
  synced_at: Time;
  /** Normalised search text of a live entry's record (migration 013); null for tombstones. */
  search_text: string | null;
}

/** A search posting of a live federated entry (migration 013). */
export interface CascadeEntryTermTable {
  term: string;
  object: string;
}

/** The sync state of one child hub at its parent. */
export interface CascadeSyncTable {
  hub: string;
  /** The last seq of the child's change feed applied. */
  cursor: number;
  /** The child's feed head at the last read. */
  head: number;
  last_sync_at: Time | null;
  /** JSON `{ code, message, issues?, at }` of the last failed read, null after a clean one. */
  last_error: string | null;
  /** JSON summary of a plan stopped by the mass-delete guard, until an admin confirms it. */
  blocked: string | null;
  updated_at: Time;
}

export interface CascadeFeedTables {
  cascade_feed: CascadeFeedTable;
  cascade_entries: CascadeEntryTable;
  cascade_sync: CascadeSyncTable;
  cascade_entry_terms: CascadeEntryTermTable;
}

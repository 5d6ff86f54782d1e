/** Tables of the return flow 回流 (migration 011, docs/cascade-return.md). */

/** Times are ISO 8601 text in UTC on both engines (see schema.ts). */
type Time = string;

export type ReturnSubscriptionState = 'ACTIVE' | 'REVOKED';

/** At the province: a child hub's subscription to a resource's rows of its region. */
export interface CascadeReturnSubscriptionTable {
  id: string;
  /** The subscribed (APPROVED) child hub, the only reader. */
  child: string;
  resource_code: string;
  /** The catalog item whose value selects the rows, and the prefix it must start with. */
  region_item: string;
  region_prefix: string;
  /** JSON array of the item names released (the projection). */
  items: string;
  /** The masking profile applied to every row. */
  masking: string;
  /** The grant that authorises it, or null for an admin's decision (then `reason`). */
  grant_id: string | null;
  reason: string | null;
  state: ReturnSubscriptionState;
  /** The last seq of this subscription's change log. */
  head: number;
  created_by: string;
  created_at: Time;
  updated_at: Time;
}

/** At the province: the latest change of each row key of a subscription (tombstones kept). */
export interface CascadeReturnLogTable {
  subscription_id: string;
  /** The subscription's row key: keyed SM3 of the provincial key, hex. */
  row_key: string;
  seq: number;
  change: 'upsert' | 'delete';
  /** JSON of the projected, masked row (upsert), null for a delete. */
  row: string | null;
  digest: string | null;
}

export type ReturnVerification = 'pending' | 'verified' | 'diverged';

/** At the city: its copy of one subscription and how far it is. */
export interface CascadeReturnCopyTable {
  subscription_id: string;
  parent: string;
  resource_code: string;
  region_item: string;
  region_prefix: string;
  items: string;
  masking: string;
  state: ReturnSubscriptionState;
  cursor: number;
  rows: number;
  state_digest: string;
  parent_head: number;
  parent_rows: number | null;
  parent_digest: string | null;
  verification: ReturnVerification;
  last_sync_at: Time | null;
  /** JSON `{ code, message, issues?, at }` of the last failed pull, null after a clean one. */
  last_error: string | null;
  updated_at: Time;
}

/** At the city: one copied row. */
export interface CascadeReturnRowTable {
  subscription_id: string;
  row_key: string;
  row: string;
  digest: string;
}

export interface CascadeReturnTables {
  cascade_return_subscriptions: CascadeReturnSubscriptionTable;
  cascade_return_log: CascadeReturnLogTable;
  cascade_return_copies: CascadeReturnCopyTable;
  cascade_return_rows: CascadeReturnRowTable;
}

/** Tables of the cascade registry (migration 008; docs/cascade-api.md). Times are ISO 8601 text. */

/** Where a registration stands: PENDING → APPROVED | REJECTED, APPROVED → REVOKED. */
export type CascadeState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVOKED';

/** At a province: one row per child hub that registered, with the key approval pins. */
export interface CascadeChildTable {
  /** The child's GB/T 2260 code. */
  hub: string;
  name: string;
  region: string;
  base_url: string;
  key_id: string;
  /** SM2 public key (hex) of the child's node key, from its self-signed registration. */
  public_key: string;
  state: CascadeState;
  /** Why it was rejected or revoked. */
  reason: string | null;
  /** The registration DSSE envelope as received (JSON text). */
  registration: string;
  registered_at: string;
  decided_at: string | null;
  /** Token id of the administrator who decided. */
  decided_by: string | null;
}

/** At a city: the parent it registered with; its node key once the parent answered APPROVED. */
export interface CascadeParentTable {
  hub: string;
  base_url: string;
  /** The parent's node key as it presented it; trusted for calls only when state is APPROVED. */
  key_id: string | null;
  public_key: string | null;
  state: CascadeState;
  reason: string | null;
  registered_at: string;
  updated_at: string;
}

/** Nonces of accepted hub-to-hub requests, kept for the replay window. */
export interface CascadeNonceTable {
  keyid: string;
  nonce: string;
  expires_at: string;
}

export interface CascadeTables {
  cascade_children: CascadeChildTable;
  cascade_parent: CascadeParentTable;
  cascade_nonces: CascadeNonceTable;
}

import type { ColumnType, Generated } from 'kysely';

/** Times are ISO 8601 text in UTC on both engines, so they sort and compare as strings. */
type Time = string;

export interface OrganisationTable {
  id: string;
  name: string;
  short_name: string | null;
  kind: 'province' | 'city' | 'department' | 'unit';
  uscc: string;
  region_code: string;
  parent_id: string | null;
  /** The organisation record as submitted (standards organisation schema). */
  document: string;
  created_at: Time;
  updated_at: Time;
}

export interface ApiTokenTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON array of role names. */
  roles: string;
  /** SM3 of the secret part; the secret itself is never stored. */
  secret_hash: string;
  created_at: Time;
  expires_at: Time | null;
  revoked_at: Time | null;
  last_used_at: Time | null;
}

/** One row per registered resource: which of its versions are current, and who owns it. */
export interface CatalogResourceTable {
  code: string;
  /** The owning organisation: the one whose USCC is the provider's in the latest version. */
  org_id: string;
  /** The newest version, whatever its status. */
  latest_version: number;
  /** The version others see: the newest published one, if any. */
  published_version: number | null;
  /** Status of the latest version. */
  status: CatalogStatus;
  /** Content hash of the latest version (`sm3:<hex>` of its canonical JSON). */
  content_hash: string;
  created_at: Time;
  updated_at: Time;
}

/** Where a version is in the review workflow. */
export type CatalogStatus = 'draft' | 'submitted' | 'published' | 'rejected' | 'withdrawn' | 'superseded';

/**
 * Every version of a resource. A draft is edited in place (its content hash changes, its number
 * does not); any other version's content never changes. The listing columns are copied out of
 * the document so that filters and search read the version a caller may see.
 */
export interface CatalogVersionTable {
  code: string;
  version: number;
  status: CatalogStatus;
  /** The normalised standards document, as JSON. */
  document: string;
  content_hash: string;
  name: string;
  share_type: string;
  open_type: string;
  grading: string;
  update_cycle: string;
  /** Lower-cased searchable fields, one per line, that keyword search confirms candidates against. */
  search_text: string;
  /** Token ids, never names: the audit log and token list say whose they are. */
  created_by: string;
  created_at: Time;
  updated_by: string;
  updated_at: Time;
  status_by: string | null;
  status_at: Time | null;
  reason: string | null;
}

/** Search postings: distinct unigrams, bigrams and ASCII words of a resource's live versions. */
export interface CatalogTermTable {
  code: string;
  term: string;
}

/** A write's answer kept under its Idempotency-Key, so that a retry replays it. */
export interface IdempotencyKeyTable {
  /** Keys are scoped to the token that sent them. */
  token_id: string;
  key: string;
  /** SM3 of method, URL, preconditions and canonical body: the same key must mean the same request. */
  request_hash: string;
  status_code: number;
  /** JSON `{ headers, body }` of the answer. */
  response: string;
  created_at: Time;
}

export interface AuditEntryTable {
  seq: number;
  time: Time;
  /** The JCS bytes of the leaf, as stored and hashed. */
  leaf: string;
  leaf_hash: string;
  /** SM3(previous chain hash ‖ leaf hash): tampering anywhere breaks every later link. */
  chain_hash: string;
  actor: string;
  org_id: string | null;
  action: string;
  object: string | null;
  result: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  chain_hash: string;
}

export interface AuditCheckpointTable {
  size: number;
  chain_hash: string;
  time: Time;
  key_id: string;
  signature: string;
}

export interface HubKeyTable {
  key_id: string;
  public_key: string;
  private_key: string;
  created_at: Time;
}

export interface MigrationInfo {
  name: ColumnType<string, string, never>;
  timestamp: Generated<string>;
}

/** The hub's database, as Kysely sees it. */
export interface Database {
  organisations: OrganisationTable;
  api_tokens: ApiTokenTable;
  catalog_resources: CatalogResourceTable;
  catalog_versions: CatalogVersionTable;
  catalog_terms: CatalogTermTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_entries: AuditEntryTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointTable;
  hub_keys: HubKeyTable;
}

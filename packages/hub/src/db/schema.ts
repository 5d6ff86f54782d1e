import type { ColumnType, Generated } from 'kysely';
import type { ExchangeTables, SharingTables } from './schema-sharing.js';
import type { CascadeTables } from './schema-cascade.js';
import type { CascadeFeedTables } from './schema-cascade-feed.js';
import type { CascadeRoutingTables } from './schema-cascade-routing.js';
import type { CascadeReturnTables } from './schema-cascade-return.js';

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

/**
 * One entry of the audit log. The leaf and the evidence bundle are the record; the other
 * columns are an index for the auditor's filters, and verification checks them against the two.
 */
export interface AuditEntryTable {
  seq: number;
  time: Time;
  /** The JCS bytes of the leaf (audit/leaf-1.0), as stored and hashed. */
  leaf: string;
  leaf_hash: string;
  /** SM3(previous chain hash ‖ leaf hash): tampering anywhere breaks every later link. */
  chain_hash: string;
  /** JCS `{ salt, event }`: the full event; the leaf's `evidence` is its SM3 digest. */
  evidence: string;
  /** Token id, or `system:<name>`. */
  actor: string;
  org_id: string | null;
  /** `<type>.<action>` of the event, e.g. `catalog.change.approve`. */
  action: string;
  object: string | null;
  result: string;
}

/** The one row appenders lock: the last seq and chain hash, committed with the entries. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  chain_hash: string;
}

/** A signed checkpoint: the log's size, its chain hash and Merkle root there, and the signature. */
export interface AuditCheckpointTable {
  size: number;
  origin: string;
  chain_hash: string;
  /** base64 of the RFC 9162 (SM3) tree head over the first `size` leaves. */
  root_hash: string;
  /** Seconds since the epoch, as on the note's time line (a bigint: PostgreSQL returns text). */
  time: ColumnType<number | string, number, never>;
  key_id: string;
  /** base64 of the DER SM2 signature over the checkpoint note. */
  signature: string;
  /** JSON array of the compact Merkle range at `size`, so the next checkpoint extends it. */
  merkle_range: string;
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
export interface Database
  extends
    SharingTables,
    ExchangeTables,
    CascadeTables,
    CascadeFeedTables,
    CascadeRoutingTables,
    CascadeReturnTables {
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
  data_submissions: DataSubmissionTable;
  data_chunks: DataChunkTable;
  data_rows: DataRowTable;
  data_staged_rows: DataStagedRowTable;
  data_stats: DataStatsTable;
  problem_tickets: ProblemTicketTable;
  problem_records: ProblemRecordTable;
  ticket_events: TicketEventTable;
  hub_counters: HubCounterTable;
}

export type SubmissionMode = 'full' | 'incremental' | 'delete';
export type SubmissionStatus = 'open' | 'committed' | 'cancelled';

/** A staged upload of a data file for one resource (汇聚): chunks first, then one commit. */
export interface DataSubmissionTable {
  id: string;
  resource_code: string;
  org_id: string;
  /** The published catalog version whose items the rows are checked against. */
  resource_version: number;
  mode: SubmissionMode;
  status: SubmissionStatus;
  /** JSON array: the file's header, the column order of every chunk row. */
  header: string;
  file_name: string | null;
  declared_rows: number | null;
  /** Rows per chunk the client chose, so a resumed upload cuts the file the same way. */
  chunk_rows: number | null;
  /** JSON: counts, ticket and signed receipt, once committed. */
  result: string | null;
  created_by: string;
  created_at: Time;
  updated_at: Time;
  committed_at: Time | null;
}

/** One numbered chunk of a submission: gzip of JSON Lines, SM3 of the compressed bytes. */
export interface DataChunkTable {
  submission_id: string;
  seq: number;
  sm3: string;
  rows: number;
  bytes: number;
  body: Uint8Array;
  created_at: Time;
}

/** A row checked at upload, waiting for its submission's commit (migration 014). */
export interface DataStagedRowTable {
  submission_id: string;
  seq: number;
  row_number: number;
  /** JSON array text of the key values; null for a rejected row without a usable key. */
  row_key: string | null;
  /** The row's JSON text by item name (row-text.ts). */
  row: string;
  /** SM3 of `row`; null when the row was rejected. */
  row_hash: string | null;
  filled: number;
  findings: string | null;
  duplicate_of: number | null;
}

/** The row store: one row per resource and key, the values as a JSON object by item name. */
export interface DataRowTable {
  resource_code: string;
  /** JSON array of the key items' values (or the submission and row number when keyless). */
  row_key: string;
  row: string;
  /** SM3 of `row`: digests of the stored set without reading the rows twice. */
  row_hash: string;
  submission_id: string;
  /** 1 while a problem raised against the published row (异议) is open. */
  flagged: ColumnType<number, number | undefined, number>;
  updated_at: Time;
}

/** What the last commit of a resource measured, for quality scores. */
export interface DataStatsTable {
  resource_code: string;
  rows: ColumnType<number, number, number>;
  last_submission_id: string;
  last_commit_at: Time;
  submitted_rows: ColumnType<number, number, number>;
  rejected_rows: ColumnType<number, number, number>;
  duplicate_rows: ColumnType<number, number, number>;
  /** Bigints: PostgreSQL returns them as text. */
  filled_cells: ColumnType<number | string, number, number>;
  checked_cells: ColumnType<number | string, number, number>;
}

export type TicketKind = 'submission' | 'objection';
export type TicketStatus = 'open' | 'acknowledged' | 'disputed' | 'corrected' | 'closed';

/** Problem data (问题数据) of one resource and submission, or one objection, with a deadline. */
export interface ProblemTicketTable {
  id: string;
  resource_code: string;
  /** The responsible (数源) organisation: the resource's owner. */
  org_id: string;
  submission_id: string | null;
  kind: TicketKind;
  status: TicketStatus;
  deadline: Time;
  records_total: number;
  records_open: number;
  /** The dispute's or the objection's reason. */
  reason: string | null;
  raised_by_org: string | null;
  created_at: Time;
  updated_at: Time;
  closed_at: Time | null;
  /** 0 not escalated, 1 escalated at the deadline, 2 still overdue later (ticket-deadlines.ts). */
  escalation_level: Generated<number>;
  escalated_at: Time | null;
  /** When the next level falls due, while there is one. */
  next_escalation_at: Time | null;
}

export type ProblemStatus = 'open' | 'corrected' | 'waived';

/** One problem row of a ticket: the row as submitted and every finding on it. */
export interface ProblemRecordTable {
  /** urn:ses:problem:<hub region>:<year>:<number> (standards governance/problem-record). */
  id: string;
  ticket_id: string;
  seq: number;
  resource_code: string;
  row_number: number | null;
  row_key: string | null;
  /** JSON object: item name → value as submitted. */
  row: string;
  /** JSON array of the findings (standards DataFinding, unmasked: the owner's own data). */
  findings: string;
  status: ProblemStatus;
  /** JSON: the accepted correction (item → value). */
  correction: string | null;
  created_at: Time;
  updated_at: Time;
}

/** The history of a ticket: every transition with its actor and reason. */
export interface TicketEventTable {
  ticket_id: string;
  seq: number;
  action: string;
  from_status: TicketStatus | null;
  to_status: TicketStatus;
  actor_org: string | null;
  actor_token: string | null;
  reason: string | null;
  at: Time;
}

/** Named counters, e.g. the yearly number of problem records. */
export interface HubCounterTable {
  name: string;
  value: ColumnType<number | string, number, number>;
}

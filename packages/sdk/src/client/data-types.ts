import type { DataFinding, Receipt, SubmissionReceiptPayload } from '@minjiang/standards';

/**
 * The hub's answers of the data aggregation and problem-data API (docs/data-api.md), written by
 * hand because the SDK may not import the hub; the e2e suite runs them against a real hub.
 */

/** `incremental` upserts by the key items, `full` replaces the stored rows, `delete` removes keys. */
export type SubmissionMode = 'incremental' | 'full' | 'delete';

export type SubmissionStatus = 'open' | 'committed' | 'cancelled';

/** A cell as sent and stored: text, or null for an empty cell. */
export type CellValue = string | null;

/** `POST /submissions`. */
export interface CreateSubmissionBody {
  resource: string;
  mode?: SubmissionMode;
  /** The file's header as written: item names or technical names. */
  header: string[];
  fileName?: string;
  /** Rows the client means to send (informative). */
  rows?: number;
  chunkRows?: number;
}

/** The chunks the hub holds for a submission. */
export interface ChunkSummary {
  count: number;
  rows: number;
  bytes: number;
  /** Received chunk numbers, ascending. */
  seqs: number[];
}

/** What a commit did; `receipt` is signed by the hub key. */
export interface CommitResult {
  submission: string;
  resource: string;
  mode: SubmissionMode;
  rows: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  missing: number;
  /** The ticket holding the rejected rows' problem records. */
  ticket?: string;
  committedAt: string;
  /** SM3 hex over the concatenated SM3 hex of chunks 1…N: binds the receipt to the bytes sent. */
  chunksDigest: string;
  receipt: Receipt<SubmissionReceiptPayload>;
}

/** `GET /submissions/{id}`. */
export interface Submission {
  id: string;
  resource: string;
  resourceVersion: number;
  organisation: string;
  mode: SubmissionMode;
  status: SubmissionStatus;
  header: string[];
  fileName?: string;
  declaredRows?: number;
  chunkRows?: number;
  chunks: ChunkSummary;
  createdAt: string;
  updatedAt: string;
  committedAt?: string;
  result?: CommitResult;
}

/** `PUT /submissions/{id}/chunks/{seq}`: `stored` is false when the same chunk was already there. */
export interface ChunkAnswer {
  seq: number;
  rows: number;
  sm3: string;
  stored: boolean;
}

export interface SubmissionQuery {
  resource?: string;
  status?: SubmissionStatus;
  limit?: number;
}

/** `POST /submissions/{id}/commit`. */
export interface CommitBody {
  chunks: number;
  rows?: number;
}

export type TicketStatus = 'open' | 'acknowledged' | 'disputed' | 'corrected' | 'closed';
export type TicketKind = 'submission' | 'objection';

/** One step of a ticket's history. */
export interface TicketEvent {
  action: string;
  from?: string | null;
  to: string;
  actor?: unknown;
  reason?: string;
  at: string;
}

/** A problem-data ticket (问题数据): the rejected rows of one submission, or one objection. */
export interface Ticket {
  id: string;
  resource: string;
  /** The responsible organisation. */
  organisation: string;
  submission?: string;
  kind: TicketKind;
  status: TicketStatus;
  deadline: string;
  records: { total: number; open: number };
  reason?: string;
  raisedBy?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Set once the hub escalated the overdue ticket to the 主管部门 (level 1, then 2). */
  escalation?: { level: number; at: string; nextAt?: string };
  history?: TicketEvent[];
}

export interface TicketQuery {
  resource?: string;
  status?: TicketStatus;
  kind?: TicketKind;
  limit?: number;
}

export type ProblemStatus = 'open' | 'corrected' | 'waived';

/** One problem record of a ticket: the row as stored, what is wrong with it, its correction. */
export interface ProblemItem {
  id: string;
  rowNumber?: number;
  /** The key items' values (item → value, or in key order). */
  key?: Record<string, string> | string[];
  row: Record<string, CellValue>;
  status: ProblemStatus;
  findings: DataFinding[];
  correction?: unknown;
}

/** `GET /tickets/{id}/problems`: one page, with the item names of the rows. */
export interface ProblemPage {
  header: string[];
  items: ProblemItem[];
  next?: string | null;
}

export interface ProblemQuery {
  status?: ProblemStatus;
  limit?: number;
  cursor?: string;
}

/** One corrected row: the values to change, by item name. */
export interface Correction {
  problem: string;
  values: Record<string, CellValue>;
}

/** `POST /tickets/{id}/corrections`. */
export interface CorrectionAnswer {
  accepted: string[];
  rejected: { problem: string; findings: DataFinding[] }[];
  ticket: Ticket;
}

/** `POST /resources/{code}/data/objections`: 异议 against a stored row. */
export interface ObjectionBody {
  key: Record<string, string>;
  items: string[];
  reason: string;
  problemType?: string;
}

/** `GET /quality/resources/{code}` and `/quality/organisations/{id}`. */
export interface QualityScore {
  resource?: string;
  organisation?: string;
  completeness: number;
  validity: number;
  uniqueness: number;
  timeliness: number;
  /** 0–100. */
  score: number;
  measuredAt: string;
  detail?: unknown;
  [subject: string]: unknown;
}

/** `GET /resources/{code}/data/stats`: `digest` is the receipt's `dataDigest`. */
export interface DataStats {
  resource: string;
  rows: number;
  flagged: number;
  digest: string;
}

/** One stored row of `GET /resources/{code}/data`. */
export interface StoredRow {
  key: string[];
  row: Record<string, CellValue>;
  flagged: boolean;
  updatedAt: string;
}

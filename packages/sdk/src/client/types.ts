import type {
  BatchReceiptPayload,
  CatalogResource,
  Issue,
  Receipt,
  ReceiptPayload,
} from '@minjiang/standards';

/**
 * The hub's answers, as its route schemas declare them (packages/hub/src/modules/catalog/
 * schemas.ts and read-schemas.ts, identity and meta routes). Written here by hand because the
 * SDK may not import the hub; the e2e suite runs them against a real hub.
 */

/** The states of a resource version in the review workflow; the hub owns them. */
export type CatalogStatus = 'draft' | 'submitted' | 'published' | 'rejected' | 'withdrawn' | 'superseded';

/** What a write did: `unchanged` when the hub already held the same content. */
export type WriteResult = 'created' | 'updated' | 'unchanged';

/** `GET /catalog/resources/{code}`: a document and the metadata the hub keeps beside it. */
export interface ResourceView {
  code: string;
  orgId: string;
  version: number;
  status: CatalogStatus;
  contentHash: string;
  etag: string;
  /** Only for the owner's organisation, admins and auditors. */
  latestVersion?: number;
  publishedVersion?: number;
  createdAt: string;
  updatedAt: string;
  statusAt?: string;
  reason?: string;
  document: CatalogResource;
}

/** `PUT /catalog/resources/{code}`. */
export interface WriteAnswer {
  code: string;
  result: WriteResult;
  version: number;
  status: CatalogStatus;
  contentHash: string;
  etag: string;
  warnings?: Issue[];
  receipt: Receipt<ReceiptPayload>;
}

/** A refused entry of a batch: the same code, status and message a single PUT would answer. */
export interface BatchItemError {
  code: string;
  status: number;
  message: string;
  hint?: string;
  issues?: Issue[];
}

/** One entry's result in a batch answer; `index` is its position in the request. */
export interface BatchItem {
  index: number;
  code?: string;
  result: WriteResult | 'failed';
  version?: number;
  status?: CatalogStatus;
  contentHash?: string;
  etag?: string;
  error?: BatchItemError;
}

export interface BatchSummary {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** `POST /catalog/resources:batch`: 200, or 207 when some entries failed. */
export interface BatchAnswer {
  summary: BatchSummary;
  items: BatchItem[];
  /** Absent when no entry was accepted. */
  receipt?: Receipt<BatchReceiptPayload>;
}

/** Preconditions of one entry, as a PUT sends them in If-Match / If-None-Match. */
export interface EntryConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** The review actions of `POST …/{code}:submit|approve|reject|withdraw`. */
export type ReviewAction = 'submit' | 'approve' | 'reject' | 'withdraw';

/** A review transition's answer, with the hub's signed receipt. */
export interface TransitionAnswer {
  code: string;
  action: ReviewAction;
  version: number;
  status: CatalogStatus;
  contentHash: string;
  etag: string;
  receipt: Receipt<ReceiptPayload>;
}

/** Who acted on a version: the token and its organisation. */
export interface VersionActor {
  tokenId: string;
  orgId: string | null;
}

/** `GET /catalog/resources/{code}/versions`. */
export interface VersionHistory {
  code: string;
  orgId: string;
  items: {
    version: number;
    status: CatalogStatus;
    contentHash: string;
    createdAt: string;
    createdBy: VersionActor;
    updatedAt: string;
    updatedBy: VersionActor;
    statusAt?: string;
    statusBy?: VersionActor;
    reason?: string;
  }[];
}

/** `GET /api/v1/hub/key`: the key receipts and audit checkpoints are signed with. */
export interface HubKey {
  keyId: string;
  algorithm: 'sm2-sm3';
  /** Uncompressed SM2 public key, hex. */
  publicKey: string;
}

/** An organisation as the hub shows it. */
export interface OrganisationView {
  id: string;
  name: string;
  shortName?: string;
  kind: 'province' | 'city' | 'department' | 'unit';
  uscc: string;
  regionCode: string;
  parent?: string;
}

/** `GET /api/v1/whoami`: the presented token's organisation and roles. */
export interface Caller {
  tokenId: string;
  roles: string[];
  /** Absent only when the token's organisation has been removed. */
  organisation?: OrganisationView;
}

/** The answers of SES-API r1 (docs/exchange-api.md) as the SDK returns them. */
import type { PackageFileVerification } from '../package/verify-package-file.js';

/** A released row: granted fields (technical names) to their masked values. */
export type ExchangeRow = Record<string, string>;

export interface ExchangeQuery {
  /** Equality conditions on granted fields. */
  conditions?: Record<string, string>;
  /** The fields to return (default: every granted field). */
  fields?: string[];
  /** Rows per page, 1–500 (hub default 100). */
  limit?: number;
  cursor?: string;
}

/** What the hub says about the grant's limits after a call (RateLimit headers). */
export interface RateLimitState {
  /** `RateLimit-Policy` as sent, e.g. `"day";q=40;w=86400`. */
  policy?: string;
  /** Calls left today (`r=` of `RateLimit`). */
  remaining?: number;
}

export interface ExchangeMeta {
  grant: string;
  fields: string[];
  masking: string;
  records: number;
}

export interface ExchangePage {
  rows: ExchangeRow[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
  size: number;
  meta: ExchangeMeta;
  requestId: string;
  /** `SES-Masking`: the profile the hub applied. */
  masking?: string;
  rateLimit: RateLimitState;
}

/** A subject to verify (核验): a caller's reference and field values, the key fields included. */
export type VerifySubject = { ref: string } & Record<string, string>;

export type VerifyVerdict = 'MATCH' | 'MISMATCH' | 'NOT_FOUND';
export type FieldVerdict = 'MATCH' | 'MISMATCH' | 'NOT_VERIFIED';

export interface VerifyResult {
  ref: string;
  verdict: VerifyVerdict;
  fields: Record<string, FieldVerdict>;
}

export interface VerifyAnswer {
  results: VerifyResult[];
  /** One per batch of at most 100 subjects. */
  requestIds: string[];
  rateLimit: RateLimitState;
}

/** `POST /ses/r1/packages` → 201. */
export interface BuiltPackage {
  id: string;
  /** `sm3:<hex>` of the zip. */
  digest: string;
  bytes: number;
  rows: number;
  expiresAt: string;
  /** The path to download it from. */
  download: string;
}

export interface DownloadedPackage {
  id: string;
  file: string;
  bytes: number;
  /** `sm3:<hex>` of the bytes written: what the receipt confirms. */
  digest: string;
  /** The DSSE envelope of `SES-Package-Signature`, when the hub sent one. */
  signature?: unknown;
  verification: PackageFileVerification;
}

export interface PackageReceipt {
  id: string;
  status: string;
}

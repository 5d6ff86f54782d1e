import {
  canonicalJson,
  hasErrors,
  normalizeDocument,
  sm3Hex,
  validateCatalogEntry,
  type CatalogResource,
  type Issue,
  type Lang,
} from '@minjiang/standards';
import { HubError } from '../../errors.js';
import { searchTextOf } from './search.js';

/** A catalog entry that passed the standard, in the form the hub stores and hashes. */
export interface PreparedEntry {
  code: string;
  document: CatalogResource;
  /** Canonical JSON (RFC 8785) of the normalised document: what is stored and hashed. */
  json: string;
  /** `sm3:<hex>` of `json`; equal hashes mean an unchanged entry. */
  contentHash: string;
  listing: Listing;
  /** Warnings of the standard: accepted, but worth showing to the sender. */
  warnings: Issue[];
}

/** The columns filters and search read, copied out of the document. */
export interface Listing {
  name: string;
  shareType: string;
  openType: string;
  grading: string;
  updateCycle: string;
  searchText: string;
}

export type Prepared =
  { ok: true; entry: PreparedEntry } | { ok: false; code: string | null; issues: Issue[] };

/** `sm3:<hex>` of a text, the digest format of the standards (dictionary `sm3Digest`). */
export function contentHashOf(json: string): string {
  return `sm3:${sm3Hex(json)}`;
}

/**
 * Checks an entry against the catalog standard and brings it to its canonical form: code-table
 * values normalised (`2` → `有条件共享`), then serialised with JCS. Fields the hub owns are not
 * part of the (closed) schema, so a client can never set them: they fail as unknown fields.
 */
export function prepareEntry(raw: unknown, lang: Lang, now: Date): Prepared {
  const code =
    raw !== null && typeof raw === 'object' && typeof (raw as { code?: unknown }).code === 'string'
      ? (raw as { code: string }).code
      : null;
  // Untrusted input: the schema check stops at its first error (the rules still all run).
  const issues = validateCatalogEntry(raw, { lang, now, allErrors: false });
  if (hasErrors(issues)) return { ok: false, code, issues };
  const document = normalizeDocument<CatalogResource>('catalog-resource', raw);
  const json = canonicalJson(document);
  return {
    ok: true,
    entry: {
      code: document.code,
      document,
      json,
      contentHash: contentHashOf(json),
      listing: {
        name: document.name,
        shareType: document.sharing.type,
        openType: document.opening.type,
        grading: document.grading.level,
        updateCycle: document.updateCycle,
        searchText: searchTextOf(document),
      },
      warnings: issues,
    },
  };
}

/** The 422 of an entry that failed the standard. */
export function validationError(issues: Issue[]): HubError {
  return new HubError('HUB_ERR_VALIDATION', { count: issues.length }, { issues });
}

/**
 * A strong ETag: the version and the first 16 hex digits of the content hash. A draft is edited
 * in place, so its number alone would not change when its content does.
 */
export function etagOf(version: number, contentHash: string): string {
  return `"${version}-${contentHash.replace(/^sm3:/, '').slice(0, 16)}"`;
}

/** Conditional-request headers of a write. */
export interface Conditions {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
}

function tagList(header: string): string[] {
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
}

/**
 * Whether a write may go ahead given the current ETag (undefined: no such resource), as RFC 9110
 * §13.1.1–13.1.2 say: `If-Match` needs an existing resource with a listed tag (or `*`);
 * `If-None-Match: *` means create-only.
 */
export function preconditionHolds(conditions: Conditions, current: string | undefined): boolean {
  if (conditions.ifMatch !== undefined) {
    if (current === undefined) return false;
    const tags = tagList(conditions.ifMatch);
    if (!tags.includes('*') && !tags.includes(current)) return false;
  }
  if (conditions.ifNoneMatch !== undefined && current !== undefined) {
    const tags = tagList(conditions.ifNoneMatch);
    if (tags.includes('*') || tags.includes(current)) return false;
  }
  return true;
}

/** The 412 of a failed precondition, with what the resource is now. */
export function preconditionError(code: string, current?: { version: number; etag: string }): HubError {
  return new HubError(
    'HUB_ERR_PRECONDITION_FAILED',
    { code, current: current?.version ?? 0 },
    current ? { currentVersion: current.version, etag: current.etag } : {},
  );
}

import { canonicalJson, normalizeDocument, sm3Hex, type CatalogResource } from '@minjiang/standards';
import { toJson, type Json } from './json-diff.js';

/**
 * Fields the hub owns and keeps beside a document (review status, versions, timestamps, the
 * reviewer and the reason). They are not part of the catalog standard, so a document carrying
 * them (a file written from a hub read, say) would be refused; the plan drops them on both
 * sides, compares only what a department owns, and never sends them.
 */
export const HUB_OWNED_FIELDS: readonly string[] = [
  'orgId',
  'status',
  'version',
  'latestVersion',
  'publishedVersion',
  'etag',
  'contentHash',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'statusAt',
  'statusBy',
  'reviewer',
  'reviewedAt',
  'reviewedBy',
  'reason',
];

/**
 * A resource as the plan compares it: hub-owned fields dropped, `undefined` members dropped (as
 * JSON drops them on the wire), and code-table values in their canonical form, as the hub
 * stores them (`2` → `有条件共享`).
 */
export function planDocument(resource: unknown): CatalogResource {
  const json = toJson(resource);
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    for (const field of HUB_OWNED_FIELDS) delete json[field];
  }
  return normalizeDocument<CatalogResource>('catalog-resource', json);
}

/**
 * The hub's content hash of a document: SM3 of its canonical JSON (RFC 8785), as the hub
 * computes it on registration. Lets a receipt be checked against what was sent.
 */
export function contentHashOf(document: CatalogResource): string {
  return `sm3:${sm3Hex(canonicalJson(document))}`;
}

/** The document as plain JSON, for the diff functions. */
export function asJson(document: CatalogResource): Json {
  return document as unknown as Json;
}

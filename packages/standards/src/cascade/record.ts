/**
 * The signed catalog record a feed item carries (exchange.md §8.7): the owner hub signs the
 * published version of a resource with its node key, and names itself as the origin, so a relay
 * or a misconfigured hub cannot pass another hub's record off as its own.
 */
import { signDsse, type DsseEnvelope } from '../crypto/dsse.js';
import { sm3Digest } from '../crypto/sm3.js';
import type { CatalogResource } from '../generated/types.js';

export const CATALOG_RECORD_PAYLOAD_TYPE = 'application/vnd.ses.catalog-record+json;v=1';

/** What the owner hub signs for one published version of a resource. */
export interface CatalogRecordPayload {
  /** The owner hub's code: the hub in `object`. */
  origin: string;
  /** `urn:ses:ds:{hub}:{USCC}:{resource code}`. */
  object: string;
  version: number;
  /** The published catalog document (catalog/resource-1.0). */
  resource: CatalogResource;
}

/** A node key: the private key in hex, or a signing function (an HSM). */
export type NodeSigner =
  { keyId: string; privateKey: string } | { keyId: string; sign(text: string): string };

export interface DatasetUrnParts {
  hub: string;
  uscc: string;
  code: string;
}

const DATASET_URN =
  /^urn:ses:ds:([0-9]{6}):([0-9A-HJ-NPQRTUWXY]{18}):([1-3][0-9]{5}[0-9A-Z]{0,24}\/[0-9]{1,12})$/;

/** The dataset URN of a resource at a hub (exchange.md §8.2). */
export function datasetUrn(parts: DatasetUrnParts): string {
  return `urn:ses:ds:${parts.hub}:${parts.uscc}:${parts.code}`;
}

/** The parts of a dataset URN; null when it is not one. */
export function parseDatasetUrn(urn: string): DatasetUrnParts | null {
  const match = DATASET_URN.exec(urn);
  if (!match) return null;
  const [, hub = '', uscc = '', code = ''] = match;
  return { hub, uscc, code };
}

/** The `sm3:` digest a feed item states for a record: SM3 of the exact payload bytes signed. */
export function recordDigest(envelope: Pick<DsseEnvelope, 'payload'>): string {
  return sm3Digest(Buffer.from(envelope.payload, 'base64'));
}

/** Signs one published version of a resource as its owner hub. */
export function signCatalogRecord(
  input: { origin: string; version: number; resource: CatalogResource },
  signer: NodeSigner,
): { object: string; envelope: DsseEnvelope; digest: string } {
  const object = datasetUrn({
    hub: input.origin,
    uscc: input.resource.provider.uscc,
    code: input.resource.code,
  });
  const payload: CatalogRecordPayload = {
    origin: input.origin,
    object,
    version: input.version,
    resource: input.resource,
  };
  const envelope = signDsse(signer, CATALOG_RECORD_PAYLOAD_TYPE, payload);
  return { object, envelope, digest: recordDigest(envelope) };
}

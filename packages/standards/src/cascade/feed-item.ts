/**
 * Feed items from catalog changes (exchange.md §8.7): a Create or Update carries the owner
 * hub's signed record and its SM3 digest; a Delete is a permanent tombstone that keeps the
 * object URN, the version it ends at and why, so a reader that was offline still learns of it.
 */
import type { CascadeFeedItem, CatalogResource } from '../generated/types.js';
import { validateFeedItem } from '../validate.js';
import { CascadeError } from './errors.js';
import { signCatalogRecord, type NodeSigner } from './record.js';

export interface PublishedRecordInput {
  /** The item's place in the hub's feed. */
  seq: number;
  /** The owner hub's code. */
  origin: string;
  /** The published version; 1 makes a Create, anything later an Update. */
  version: number;
  /** When the version was published (RFC 3339). */
  published: string;
  resource: CatalogResource;
}

export interface TombstoneInput {
  seq: number;
  object: string;
  /** The version the deletion ends the object at: one above its last published version. */
  version: number;
  published: string;
  reason: 'WITHDRAWN' | 'DELISTED' | 'MERGED';
  /** The dataset that replaces it (required for MERGED). */
  successor?: string | null;
}

function checked(item: CascadeFeedItem): CascadeFeedItem {
  const issues = validateFeedItem(item, { allErrors: false });
  if (issues.length > 0) throw new CascadeError(issues);
  return item;
}

/** The Create or Update item of a published version, its record signed with the node key. */
export function buildFeedItem(input: PublishedRecordInput, signer: NodeSigner): CascadeFeedItem {
  const { object, envelope, digest } = signCatalogRecord(input, signer);
  return checked({
    seq: input.seq,
    type: input.version === 1 ? 'Create' : 'Update',
    object,
    version: input.version,
    published: input.published,
    digest,
    // signDsse always makes exactly one signature: the schema's non-empty tuple holds.
    record: envelope as NonNullable<CascadeFeedItem['record']>,
  });
}

/** The Delete tombstone of an object. */
export function buildTombstone(input: TombstoneInput): CascadeFeedItem {
  const item: CascadeFeedItem = {
    seq: input.seq,
    type: 'Delete',
    object: input.object,
    version: input.version,
    published: input.published,
    reason: input.reason,
  };
  if (input.successor !== undefined) item.successor = input.successor;
  return checked(item);
}

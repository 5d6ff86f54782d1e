import type { CascadeFeedItem, CascadeFeedPage } from '../generated/types.js';
import type { CatalogRecordPayload } from './record.js';

declare const verifiedPage: unique symbol;

/** A feed item of a verified page, with the record its owner signed (Create and Update only). */
export interface VerifiedFeedItem extends CascadeFeedItem {
  readonly signedRecord?: CatalogRecordPayload;
}

/**
 * A page whose signature, items and structure verified against a pinned node key. Only
 * verifyFeedPage makes one (the brand has no value), so the planner never sees an unchecked page.
 */
export interface VerifiedFeedPage extends CascadeFeedPage {
  readonly items: VerifiedFeedItem[];
  readonly [verifiedPage]: true;
}

/** Brands a checked page. Not exported from the package: tests of the planner use it directly. */
export function markVerified(page: CascadeFeedPage, items: VerifiedFeedItem[]): VerifiedFeedPage {
  return { ...page, items } as unknown as VerifiedFeedPage;
}

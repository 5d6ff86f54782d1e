/** City ↔ province cascade (docs/cascade-api.md): feed items and pages, sync planning, node registration. */
export { CascadeError, cascadeIssue } from './errors.js';
export {
  CATALOG_RECORD_PAYLOAD_TYPE,
  datasetUrn,
  parseDatasetUrn,
  recordDigest,
  signCatalogRecord,
  type CatalogRecordPayload,
  type DatasetUrnParts,
  type NodeSigner,
} from './record.js';
export {
  buildFeedItem,
  buildTombstone,
  type PublishedRecordInput,
  type TombstoneInput,
} from './feed-item.js';
export {
  FEED_PAGE_PAYLOAD_TYPE,
  buildFeedPage,
  signFeedPage,
  feedPageIssues,
  pageStructureIssues,
  feedCursor,
  parseFeedCursor,
  type FeedMode,
  type FeedPageInput,
} from './feed-page.js';
export { verifyFeedPage, type VerifyFeedPageOptions, type FeedPageVerification } from './verify-page.js';
export type { VerifiedFeedItem, VerifiedFeedPage } from './verified.js';
export {
  ROW_PAGE_PAYLOAD_TYPE,
  MAX_ROW_PAGE_ITEMS,
  buildRowPage,
  signRowPage,
  rowDigest,
  stateDigest,
  returnIssue,
  rowPageStructureIssues,
  type RowChange,
  type ReturnRow,
  type RowPage,
  type RowPageItem,
  type RowPageInput,
} from './row-page.js';
export {
  verifyRowPage,
  rowPageChangeFault,
  type VerifyRowPageOptions,
  type RowPageVerification,
} from './row-page-verify.js';
export { returnMessages, type ReturnMessageCode } from './row-page-messages.js';
export {
  planSync,
  applySyncPlan,
  type EntryStatus,
  type FederatedEntry,
  type SyncOptions,
  type SyncOperation,
  type SyncOperationKind,
  type SyncPlan,
  type MassDeleteBlock,
} from './plan.js';
export {
  REGISTRATION_PAYLOAD_TYPE,
  signRegistration,
  verifyRegistration,
  type RegistrationInput,
  type VerifyRegistrationOptions,
  type RegistrationVerification,
} from './registration.js';

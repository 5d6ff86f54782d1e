/** The `.minjiang` folder of a catalog: last-applied state, hub snapshot, receipts, pinned key. */
export { CatalogStateStore, STATE_DIR, hubIdOf, writeJsonAtomic } from './store.js';
export {
  checkReceipt,
  verifySavedReceipts,
  RECEIPT_FORMAT,
  type ReceiptAudit,
  type ReceiptExpectation,
  type SavedReceipt,
} from './receipts.js';
export { pinHubKey } from './hub-key.js';
export { StateFileError, HubKeyChangedError } from './errors.js';
export { STATE_FORMAT, type AppliedResource, type CatalogState, type PinnedKey } from './types.js';

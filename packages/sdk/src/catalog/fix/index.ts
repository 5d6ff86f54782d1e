export { planCatalogFixes } from './plan.js';
export { applyCatalogFixes, fixesToJsonPatch, orderFixes } from './apply.js';
export { excelSerialToDate, readDate } from './dates.js';
export {
  FIX_KINDS,
  type CatalogFix,
  type FixKind,
  type FixOptions,
  type JsonPatchOperation,
} from './types.js';

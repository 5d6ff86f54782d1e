export { diffCatalogs } from './diff-catalogs.js';
export type { BreakingChange, BreakingKind, CatalogDiff, DiffOptions } from './types.js';

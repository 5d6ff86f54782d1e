import type { Lang } from '@minjiang/standards';

/** The changes that can break a consumer of a resource (a department using the data). */
export type BreakingKind =
  | 'resource-removed'
  | 'item-removed'
  | 'item-retyped'
  | 'item-narrowed'
  | 'share-tightened'
  | 'open-tightened'
  | 'key-changed';

/** One breaking change. */
export interface BreakingChange {
  /** The resource code. */
  code: string;
  kind: BreakingKind;
  /**
   * JSON Pointer into the later catalog (`/resources/4/items/2/length`), or into the earlier
   * one for something removed; absent for a removed resource, whose code says it all.
   */
  pointer?: string;
  from?: unknown;
  to?: unknown;
  message: string;
}

/** What changed between two versions of a catalog; resources are named by their code. */
export interface CatalogDiff {
  added: string[];
  removed: string[];
  /** Resources in both, with the JSON Pointers (into the later catalog) of what changed. */
  changed: { code: string; pointers: string[] }[];
  breaking: BreakingChange[];
}

/** Options of diffCatalogs. */
export interface DiffOptions {
  /** Language of the messages; zh-CN unless told otherwise. */
  lang?: Lang;
}

import type { Lang } from '@minjiang/standards';

/** The kinds of mechanical fix; each fix changes a value in one of these ways only. */
export type FixKind =
  'full-width' | 'whitespace' | 'canonical-label' | 'date' | 'letter-case' | 'separator' | 'number';

/** Every fix kind. */
export const FIX_KINDS: readonly FixKind[] = [
  'full-width',
  'whitespace',
  'letter-case',
  'canonical-label',
  'date',
  'number',
  'separator',
];

/**
 * One mechanical change to a catalog. `from` is the value the fix expects to find at `pointer`:
 * when several fixes touch one value they form a chain, each starting from what the previous
 * one produced, so every fix does exactly one kind of change.
 */
export interface CatalogFix {
  /** JSON Pointer into the catalog, e.g. `/resources/3/items/2/dataType`. */
  pointer: string;
  op: 'replace' | 'remove';
  from: unknown;
  /** The new value; absent for `remove`. */
  to?: unknown;
  kind: FixKind;
  message: string;
}

/** Options of planCatalogFixes. */
export interface FixOptions {
  /** Language of the messages; zh-CN unless told otherwise. */
  lang?: Lang;
}

/** One RFC 6902 operation; fix patches use only these three. */
export type JsonPatchOperation =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

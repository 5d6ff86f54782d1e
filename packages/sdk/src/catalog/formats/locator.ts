/**
 * The way back from a JSON Pointer into a catalog read from a sheet or CSV file to the cell that
 * holds the value, and what the write-back needs to find that cell again.
 */
import type { CatalogFormat, CatalogReadWarning, LoadedCatalog, SourceLocation } from '../source.js';
import { parsePointer } from './paths.js';
import {
  rowLocation,
  type BoundColumn,
  type FilePlace,
  type GroupRows,
  type HeaderBinding,
  type Layout,
} from './tabular.js';

/** Everything known about where a tabular catalog's values sit in its file. */
export interface TabularIndex {
  place: FilePlace;
  layout: Layout;
  headerRow: number;
  binding: HeaderBinding;
  groups: GroupRows[];
  /** Size and modification time when read, so a write-back refuses a file changed since. */
  stamp: { size: number; mtimeMs: number };
  /** CSV: the text encoding the file was read in. */
  encoding?: string;
}

/** The column of a field path; a pointer inside a list (`keywords.1`) finds the list's column. */
export function columnOfPath(binding: HeaderBinding, path: string): BoundColumn | undefined {
  const exact = binding.byPath.get(path);
  if (exact) return exact;
  const match = /^(.*)\.(0|[1-9][0-9]*)$/u.exec(path);
  return match ? binding.byPath.get(match[1] as string) : undefined;
}

/**
 * The cell of a pointer: `/resources/3/items/2/dataType` → the item's row and the 数据类型
 * column; a resource field → the resource's first row. A pointer with no column (an unknown
 * field, a whole item) gives the row; one outside the resources gives the file (and sheet).
 */
export function locateIn(index: TabularIndex, pointer: string): SourceLocation {
  const { place } = index;
  const target = parsePointer(pointer);
  const group = target ? index.groups[target.resource] : undefined;
  if (!target || !group)
    return place.sheet === undefined ? { file: place.file } : { file: place.file, sheet: place.sheet };
  const row = target.item === undefined ? group.first : group.items[target.item];
  if (row === undefined) return rowLocation(place, group.first);
  return rowLocation(place, row, columnOfPath(index.binding, target.path));
}

const indexes = new WeakMap<object, TabularIndex>();

/** The index of a catalog read by one of these readers, when it is the object they returned. */
export function tabularIndexOf(loaded: LoadedCatalog): TabularIndex | undefined {
  return indexes.get(loaded);
}

export interface LoadedParts {
  format: CatalogFormat;
  path: string;
  resources: unknown[];
  index: TabularIndex;
  warnings: CatalogReadWarning[];
  encoding?: string;
}

/** Builds the LoadedCatalog a tabular reader returns, remembering its index for write-back. */
export function tabularCatalog(parts: LoadedParts): LoadedCatalog {
  const { index } = parts;
  const loaded: LoadedCatalog = {
    format: parts.format,
    path: parts.path,
    resources: parts.resources,
    ...(parts.encoding === undefined ? {} : { encoding: parts.encoding }),
    warnings: parts.warnings,
    locate: (pointer: string) => locateIn(index, pointer),
  };
  indexes.set(loaded, index);
  return loaded;
}

import { isDeepStrictEqual } from 'node:util';
import { pointer } from '@minjiang/standards';
import type { ItemEntry } from './items.js';

export type Path = (string | number)[];
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The pointers of the values that differ. Objects are compared field by field; a list of
 * values (keywords, method types) is one value, reported by the pointer of the list.
 */
export function diffPointers(before: unknown, after: unknown, path: Path): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (!isRecord(before) || !isRecord(after)) return [pointer(...path)];
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.flatMap((key) => diffPointers(before[key], after[key], [...path, key]));
}

/**
 * The pointers of changed items, matched by name rather than position: a changed field of a
 * kept item, an added item, and the list itself when an item was removed or the order changed.
 */
export function itemPointers(
  before: Map<string, ItemEntry>,
  after: Map<string, ItemEntry>,
  path: Path,
): string[] {
  const pointers: string[] = [];
  const kept = [...after.values()].filter((entry) => before.has(entry.key));
  const keptBefore = [...before.values()].filter((entry) => after.has(entry.key));
  const reordered = kept.some((entry, index) => keptBefore[index]?.key !== entry.key);
  if (reordered || keptBefore.length < before.size) pointers.push(pointer(...path));
  for (const entry of after.values()) {
    const old = before.get(entry.key);
    const at = [...path, entry.index];
    pointers.push(...(old ? diffPointers(old.item, entry.item, at) : [pointer(...at)]));
  }
  return pointers;
}

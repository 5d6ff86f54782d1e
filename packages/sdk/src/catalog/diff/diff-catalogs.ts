import { normalizeDocument, pointer, type Lang } from '@minjiang/standards';
import type { CatalogFile } from '../catalog-file.js';
import { removeSpaces, toHalfWidth } from '../fix/text.js';
import { diffPointers, isRecord, itemPointers } from './changes.js';
import { itemBreaking, itemsOf, tightened, typeOf, type ResourceEntry } from './items.js';
import { breakingMessage } from './messages.js';
import type { BreakingChange, CatalogDiff, DiffOptions } from './types.js';

/** Codes match whatever their width, spacing or letter case, as `catalog fix` would write them. */
function codeKey(code: string): string {
  return removeSpaces(toHalfWidth(code)).toUpperCase();
}

/**
 * The resources of a catalog by code, each normalised with the standards' normalizeDocument,
 * so that `2`, `有条件` and `有条件共享` compare equal. Resources without a code cannot be
 * matched and are left out; of two with one code, the first counts.
 */
function resourcesOf(catalog: CatalogFile): Map<string, ResourceEntry> {
  const entries = new Map<string, ResourceEntry>();
  const resources: unknown[] = Array.isArray(catalog.resources) ? catalog.resources : [];
  resources.forEach((raw, index) => {
    const resource: unknown = normalizeDocument('catalog-resource', raw);
    if (!isRecord(resource) || typeof resource.code !== 'string' || resource.code.trim() === '') return;
    const key = codeKey(resource.code);
    if (entries.has(key)) return;
    entries.set(key, { index, code: resource.code.trim(), resource, items: itemsOf(resource) });
  });
  return entries;
}

function changedPointers(before: ResourceEntry, after: ResourceEntry): string[] {
  const { items: oldItems, ...oldRest } = before.resource;
  const { items: newItems, ...newRest } = after.resource;
  const path = ['resources', after.index];
  const pointers = diffPointers(oldRest, newRest, path);
  if (Array.isArray(oldItems) && Array.isArray(newItems)) {
    pointers.push(...itemPointers(before.items, after.items, [...path, 'items']));
  } else {
    pointers.push(...diffPointers(oldItems, newItems, [...path, 'items']));
  }
  return pointers;
}

function resourceTightened(before: ResourceEntry, after: ResourceEntry, lang: Lang): BreakingChange[] {
  const groups = [
    { group: 'sharing', table: 'share-type', kind: 'share-tightened' },
    { group: 'opening', table: 'open-type', kind: 'open-tightened' },
  ] as const;
  return groups.flatMap(({ group, table, kind }) => {
    const from = typeOf(before.resource, group);
    const to = typeOf(after.resource, group);
    if (!tightened(table, from, to)) return [];
    const params = { subject: '资源', subjectEn: 'the resource', from, to };
    return [
      {
        code: after.code,
        kind,
        pointer: pointer('resources', after.index, group, 'type'),
        from,
        to,
        message: breakingMessage(kind, lang, params),
      },
    ];
  });
}

function removedResource(entry: ResourceEntry, lang: Lang): BreakingChange {
  const name = typeof entry.resource.name === 'string' ? entry.resource.name : entry.code;
  return {
    code: entry.code,
    kind: 'resource-removed',
    message: breakingMessage('resource-removed', lang, { name, code: entry.code }),
  };
}

/**
 * Compares two versions of a catalog. Resources match by code, information items by name (as
 * `itemNameKey` folds it). Both sides are normalised first, so an alias or a code written for
 * a label is no change. Breaking: a removed resource or item, an item's data type changed, its
 * length or precision made smaller, its key items changed, a share or open type made stricter
 * (无条件 < 有条件 < 不予), for the resource or an item. Added resources and items, and looser
 * types, are not breaking. Pure; never throws.
 */
export function diffCatalogs(
  before: CatalogFile,
  after: CatalogFile,
  options: DiffOptions = {},
): CatalogDiff {
  const lang = options.lang ?? 'zh-CN';
  const old = resourcesOf(before);
  const now = resourcesOf(after);
  const diff: CatalogDiff = { added: [], removed: [], changed: [], breaking: [] };
  for (const [key, entry] of old) {
    if (now.has(key)) continue;
    diff.removed.push(entry.code);
    diff.breaking.push(removedResource(entry, lang));
  }
  for (const [key, entry] of now) {
    const previous = old.get(key);
    if (!previous) {
      diff.added.push(entry.code);
      continue;
    }
    const pointers = changedPointers(previous, entry);
    if (pointers.length > 0) diff.changed.push({ code: entry.code, pointers });
    diff.breaking.push(...resourceTightened(previous, entry, lang), ...itemBreaking(previous, entry, lang));
  }
  return diff;
}

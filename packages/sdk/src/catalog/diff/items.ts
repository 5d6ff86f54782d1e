import { findCode, itemNameKey, pointer, type Lang } from '@minjiang/standards';
import { isRecord, type Json } from './changes.js';
import { breakingMessage } from './messages.js';
import type { BreakingChange } from './types.js';

/** An information item with where it is in its resource and its matching key. */
export interface ItemEntry {
  index: number;
  key: string;
  name: string;
  item: Json;
}

/** A resource of one side of the diff, normalised. */
export interface ResourceEntry {
  /** Its index in the catalog's resources. */
  index: number;
  code: string;
  resource: Json;
  items: Map<string, ItemEntry>;
}

/**
 * Items by `itemNameKey` (spaces, width and punctuation ignored), as rule CAT-008 compares
 * them; when two items share a key, the first one counts.
 */
export function itemsOf(resource: Json): Map<string, ItemEntry> {
  const entries = new Map<string, ItemEntry>();
  const items: unknown[] = Array.isArray(resource.items) ? resource.items : [];
  items.forEach((item, index) => {
    if (!isRecord(item) || typeof item.name !== 'string') return;
    const key = itemNameKey(item.name);
    if (!entries.has(key)) entries.set(key, { index, key, name: item.name, item });
  });
  return entries;
}

/**
 * How strict a share or open type is: its code, 1 (无条件) < 2 (有条件) < 3 (不予), as the
 * share-type and open-type tables number them. Undefined for a value no table knows.
 */
export function strictness(table: 'share-type' | 'open-type', value: unknown): number | undefined {
  const code = findCode(table, value)?.code;
  return code === undefined ? undefined : Number(code);
}

export function tightened(table: 'share-type' | 'open-type', before: unknown, after: unknown): boolean {
  const from = strictness(table, before);
  const to = strictness(table, after);
  return from !== undefined && to !== undefined && to > from;
}

/** The resource's share (`sharing`) or open (`opening`) type. */
export function typeOf(resource: Json, group: 'sharing' | 'opening'): unknown {
  const value = resource[group];
  return isRecord(value) ? value.type : undefined;
}

interface Context {
  before: ResourceEntry;
  after: ResourceEntry;
  lang: Lang;
}

function at(entry: ResourceEntry, ...tokens: (string | number)[]): string {
  return pointer('resources', entry.index, ...tokens);
}

function narrowed(context: Context, old: ItemEntry, now: ItemEntry): BreakingChange[] {
  const fields = [
    { field: 'length', zh: '数据长度', en: 'length' },
    { field: 'precision', zh: '小数位数', en: 'precision' },
  ];
  return fields.flatMap(({ field, zh, en }) => {
    const from = old.item[field];
    const to = now.item[field];
    // Only a limit made smaller: a limit newly set gives nothing earlier consumers relied on.
    if (typeof from !== 'number' || typeof to !== 'number' || to >= from) return [];
    const params = { item: now.name, field: zh, fieldEn: en, from, to };
    return [
      {
        code: context.after.code,
        kind: 'item-narrowed' as const,
        pointer: at(context.after, 'items', now.index, field),
        from,
        to,
        message: breakingMessage('item-narrowed', context.lang, params),
      },
    ];
  });
}

/**
 * An item's share or open type when either version states one; an item that states none has
 * the resource's. When neither states one, the resource-level comparison covers it.
 */
function itemTightened(
  context: Context,
  old: ItemEntry,
  now: ItemEntry,
  which: 'share' | 'open',
): BreakingChange[] {
  const [field, group, table] =
    which === 'share'
      ? (['shareType', 'sharing', 'share-type'] as const)
      : (['openType', 'opening', 'open-type'] as const);
  if (old.item[field] === undefined && now.item[field] === undefined) return [];
  const from = old.item[field] ?? typeOf(context.before.resource, group);
  const to = now.item[field] ?? typeOf(context.after.resource, group);
  if (!tightened(table, from, to)) return [];
  const params = { subject: `信息项“${now.name}”`, subjectEn: `item "${now.name}"`, from, to };
  const kind = which === 'share' ? ('share-tightened' as const) : ('open-tightened' as const);
  return [
    {
      code: context.after.code,
      kind,
      pointer: at(context.after, 'items', now.index, field),
      from,
      to,
      message: breakingMessage(kind, context.lang, params),
    },
  ];
}

function keyChange(context: Context): BreakingChange[] {
  const keys = (entry: ResourceEntry): ItemEntry[] =>
    [...entry.items.values()].filter((item) => item.item.isKey === true);
  const from = keys(context.before);
  const to = keys(context.after);
  const same = from.length === to.length && from.every((item) => to.some((other) => other.key === item.key));
  if (same) return [];
  const params = { from: from.map((item) => item.name), to: to.map((item) => item.name) };
  return [
    {
      code: context.after.code,
      kind: 'key-changed',
      pointer: at(context.after, 'items'),
      from: params.from,
      to: params.to,
      message: breakingMessage('key-changed', context.lang, params),
    },
  ];
}

function itemChanges(context: Context, old: ItemEntry): BreakingChange[] {
  const { before, after, lang } = context;
  const now = after.items.get(old.key);
  if (!now) {
    const message = breakingMessage('item-removed', lang, { item: old.name });
    return [
      {
        code: after.code,
        kind: 'item-removed',
        pointer: at(before, 'items', old.index),
        from: old.name,
        message,
      },
    ];
  }
  const from = old.item.dataType;
  const to = now.item.dataType;
  if (from !== to) {
    const message = breakingMessage('item-retyped', lang, { item: now.name, from, to });
    // Lengths of different types do not compare, so a retyped item is reported once.
    return [
      {
        code: after.code,
        kind: 'item-retyped',
        pointer: at(after, 'items', now.index, 'dataType'),
        from,
        to,
        message,
      },
    ];
  }
  return [...narrowed(context, old, now)];
}

/** The breaking changes among the information items of a resource found in both catalogs. */
export function itemBreaking(before: ResourceEntry, after: ResourceEntry, lang: Lang): BreakingChange[] {
  const context = { before, after, lang };
  const perItem = [...before.items.values()].flatMap((old) => {
    const now = after.items.get(old.key);
    const sharing = now
      ? [...itemTightened(context, old, now, 'share'), ...itemTightened(context, old, now, 'open')]
      : [];
    return [...itemChanges(context, old), ...sharing];
  });
  return [...perItem, ...keyChange(context)];
}

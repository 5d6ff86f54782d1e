/** Field paths (`sharing.type`, `items.dataType`) and JSON Pointers into a tabular catalog. */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a dotted path, or undefined. */
export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Sets a value at a dotted path, creating the objects on the way. */
export function setPath(object: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let current = object;
  for (const key of keys) {
    const next = current[key];
    current = isRecord(next) ? next : (current[key] = {});
  }
  current[last] = value;
}

/** Where a pointer leads in a tabular catalog: a resource, maybe an item, and a field path. */
export interface PointerTarget {
  resource: number;
  item?: number;
  /** Dotted path from the resource (`sharing.type`) or from the item, prefixed `items.`. */
  path: string;
}

const INDEX = /^(0|[1-9][0-9]*)$/u;

/**
 * Reads `/resources/3/items/2/dataType` as resource 3, item 2, path `items.dataType`, and
 * `/resources/3/keywords/1` as resource 3, path `keywords.1`. Undefined when the pointer does not
 * lead into a resource.
 */
export function parsePointer(pointer: string): PointerTarget | undefined {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/gu, '/').replace(/~0/gu, '~'));
  if (tokens[0] !== 'resources' || !INDEX.test(tokens[1] ?? '')) return undefined;
  const resource = Number(tokens[1]);
  const rest = tokens.slice(2);
  if (rest[0] === 'items' && INDEX.test(rest[1] ?? '')) {
    return { resource, item: Number(rest[1]), path: ['items', ...rest.slice(2)].join('.') };
  }
  return { resource, path: rest.join('.') };
}

/**
 * Whether a column showing `columnPath` is concerned by a change at `changed`: the same field, a
 * field inside a changed object (`sharing` → `sharing.type`), or an element of a list column
 * (`keywords.1` → `keywords`).
 */
export function pathConcerns(columnPath: string, changed: string): boolean {
  if (changed === '' || columnPath === changed) return true;
  return columnPath.startsWith(`${changed}.`) || changed.startsWith(`${columnPath}.`);
}

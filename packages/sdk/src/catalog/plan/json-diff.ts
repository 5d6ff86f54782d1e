import { pointer as joinPointer } from '@minjiang/standards';

/** A JSON value, as catalog documents are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * One changed field: a JSON Pointer, the value before and after. `from` is absent for a field
 * that was added and `to` for one that was removed (JSON has no `undefined` to say so).
 */
export interface FieldChange {
  pointer: string;
  from?: Json;
  to?: Json;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Structural equality: key order does not matter, array order does. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]))
    );
  }
  return false;
}

function change(pointer: string, from: Json | undefined, to: Json | undefined): FieldChange {
  return { pointer, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/**
 * The fields that differ between two documents, as leaf-most JSON Pointers: objects are
 * compared key by key; arrays of the same length element by element; anything else (an array
 * that grew or shrank, a change of type) is one change of the whole value at its pointer, which
 * is also what a three-way merge must treat as one unit.
 */
export function diffJson(before: Json | undefined, after: Json | undefined, at = ''): FieldChange[] {
  if (jsonEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffJson(before[key], after[key], `${at}${joinPointer(key)}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, index) => diffJson(item, after[index], `${at}/${index}`));
  }
  return [change(at, before, after)];
}

/** The reference tokens of a JSON Pointer. */
export function tokensOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a pointer, or undefined when there is none. */
export function valueAt(document: Json | undefined, pointer: string): Json | undefined {
  let current = document;
  for (const token of tokensOf(pointer)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObject(current) && Object.prototype.hasOwnProperty.call(current, token))
      current = current[token];
    else return undefined;
  }
  return current;
}

/**
 * Sets (or, with `undefined`, removes) the value at a pointer, in place. The parent must exist:
 * a merge only writes where both sides still have the same structure.
 */
export function setValueAt(document: Json, pointer: string, value: Json | undefined): Json {
  const tokens = tokensOf(pointer);
  const last = tokens.pop();
  if (last === undefined) return value ?? null;
  const parent = valueAt(document, tokens.length === 0 ? '' : joinPointer(...tokens));
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (isObject(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else {
    throw new Error(`No parent at ${pointer}`);
  }
  return document;
}

/** Whether two pointers touch the same data: equal, or one inside the other. */
export function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

/** A deep copy through JSON: drops `undefined` members, as the document would on the wire. */
export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

import {
  diffJson,
  jsonEqual,
  overlaps,
  setValueAt,
  toJson,
  valueAt,
  type FieldChange,
  type Json,
} from './json-diff.js';

/**
 * A field changed both locally and on the hub since the last apply, to different values. The
 * pointer is the widest place where the two edits meet (`/items` when the hub added an item
 * and the local file changed `/items/2/length`); the values are the three versions there.
 */
export interface FieldConflict {
  pointer: string;
  base?: Json;
  local?: Json;
  hub?: Json;
}

/** How to settle conflicts instead of reporting them: take the local or the hub's value. */
export type ConflictResolution = 'local' | 'hub';

export interface Merge {
  /** The hub's document with the local changes laid over it. */
  merged: Json;
  /** Changed on both sides, differently; settled only when a resolution was given. */
  conflicts: FieldConflict[];
  /** Changed only on the hub: kept, never overwritten. */
  drift: FieldChange[];
}

function conflictsOf(local: Json, hub: Json, base: Json, ours: FieldChange[], theirs: FieldChange[]) {
  const found = new Map<string, FieldConflict>();
  for (const mine of ours) {
    for (const other of theirs) {
      if (!overlaps(mine.pointer, other.pointer)) continue;
      // Compare where the two edits meet: equal there means both sides made the same edit.
      const at = mine.pointer.length <= other.pointer.length ? mine.pointer : other.pointer;
      const [l, h] = [valueAt(local, at), valueAt(hub, at)];
      if (jsonEqual(l, h) || found.has(at)) continue;
      const b = valueAt(base, at);
      found.set(at, {
        pointer: at,
        ...(b !== undefined ? { base: b } : {}),
        ...(l !== undefined ? { local: l } : {}),
        ...(h !== undefined ? { hub: h } : {}),
      });
    }
  }
  // A conflict inside a wider one is the same conflict.
  const pointers = [...found.keys()];
  return [...found.values()].filter(
    (conflict) =>
      !pointers.some(
        (other) =>
          other !== conflict.pointer &&
          overlaps(other, conflict.pointer) &&
          other.length < conflict.pointer.length,
      ),
  );
}

/**
 * The three-way merge of one document: what changed locally since `base` (the document as last
 * applied) is laid over the hub's current document. Fields only the hub changed are drift and
 * keep the hub's value; fields both changed to the same value are simply agreed; fields both
 * changed differently are conflicts, left as the hub has them unless `resolution` says otherwise.
 */
export function mergeThreeWay(base: Json, local: Json, hub: Json, resolution?: ConflictResolution): Merge {
  const ours = diffJson(base, local);
  const theirs = diffJson(base, hub);
  const conflicts = conflictsOf(local, hub, base, ours, theirs);
  const inConflict = (pointer: string) => conflicts.some((conflict) => overlaps(conflict.pointer, pointer));
  let merged = toJson(hub);
  for (const mine of ours) {
    if (!inConflict(mine.pointer)) merged = setValueAt(merged, mine.pointer, valueAt(local, mine.pointer));
  }
  if (resolution === 'local') {
    for (const conflict of conflicts)
      merged = setValueAt(merged, conflict.pointer, toJsonOrUndefined(conflict.local));
  }
  const drift = theirs.filter((other) => !ours.some((mine) => overlaps(mine.pointer, other.pointer)));
  return { merged, conflicts, drift };
}

function toJsonOrUndefined(value: Json | undefined): Json | undefined {
  return value === undefined ? undefined : toJson(value);
}

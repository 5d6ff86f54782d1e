/**
 * Columns of the tabular catalog formats: which field of the catalog-resource schema a column
 * holds, how its cells are read and written, and how its header may be spelt.
 */

/** How a cell is read and written (see cell-values.ts). `special`: the layout handles it. */
export type ValueKind = 'text' | 'list' | 'boolean' | 'integer' | 'number' | 'date' | 'special';

/**
 * `resource`: filled on the resource's first row only; `item`: one information item per row;
 * `row`: on every row of the resource, for the resource and its items (national 共享类型 …).
 */
export type ColumnScope = 'resource' | 'item' | 'row';

/** The allowed values of a column: a code table of the standards, or a fixed list. */
export type ColumnChoices = { table: string } | { title: string; values: readonly string[] };

export interface ColumnDef {
  /** The Chinese header written by our writers. */
  header: string;
  /** Other headers accepted on read, e.g. older template wording. */
  aliases?: readonly string[];
  /**
   * Field paths whose values the column shows; the first one found is where `locate` points.
   * Item fields start with `items.`.
   */
  paths: readonly string[];
  /** Fields the column is computed from without showing them (national 项分类 ← code). */
  derivedFrom?: readonly string[];
  kind: ValueKind;
  scope: ColumnScope;
  choices?: ColumnChoices;
  required?: boolean;
  /** What to write, for the 填写说明 sheet. */
  note: string;
  /** Column width in characters. */
  width?: number;
}

/**
 * How headers are compared: NFKC folds full-width letters and parentheses to ASCII; whitespace
 * (also inside, from wrapped header cells) and the `*` that marks required columns are dropped.
 */
export function headerKey(text: string): string {
  return text.normalize('NFKC').replace(/[\s*]/gu, '').toLowerCase();
}

/** Every header a column answers to: its header, its aliases and its field path. */
function keysOf(column: ColumnDef): string[] {
  const keys = [column.header, ...(column.aliases ?? [])];
  const path = column.kind === 'special' ? undefined : column.paths[0];
  if (path !== undefined) {
    keys.push(path);
    if (path.startsWith('items.')) keys.push(`items[].${path.slice(6)}`);
  }
  return keys.map(headerKey);
}

const lookups = new WeakMap<readonly ColumnDef[], Map<string, ColumnDef>>();

/** Finds the column a header names, or undefined when the layout has no such column. */
export function findColumn(columns: readonly ColumnDef[], header: string): ColumnDef | undefined {
  let lookup = lookups.get(columns);
  if (!lookup) {
    lookup = new Map();
    for (const column of columns) {
      for (const key of keysOf(column)) if (!lookup.has(key)) lookup.set(key, column);
    }
    lookups.set(columns, lookup);
  }
  return lookup.get(headerKey(header));
}

/** `A`, `B`, … `Z`, `AA`: the letter of a 0-based column index. */
export function columnLetter(index: number): string {
  let letter = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letter = String.fromCharCode(65 + ((n - 1) % 26)) + letter;
  }
  return letter;
}

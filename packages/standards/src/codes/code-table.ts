import { loadPackageJson } from '../internal/data.js';

/** One row of a code table. Tables may carry more columns; their descriptor lists them. */
export interface CodeEntry {
  code: string;
  label: string;
  labelEn?: string;
  /** Other spellings accepted on input, e.g. older template wording. */
  aliases?: string[];
  [column: string]: unknown;
}

/** Where a table's facts come from. */
export interface CodeTableSource {
  title: string;
  path?: string;
  note?: string;
}

/** A code table file: a Table-Schema-style descriptor with its rows inline. */
export interface CodeTable {
  name: string;
  title: string;
  titleEn?: string;
  version: string;
  /** Which column is the canonical form that documents store after normalisation. */
  canonical: 'code' | 'label';
  description?: string;
  sources: CodeTableSource[];
  licenses: { name: string; title?: string }[];
  schema: { fields: { name: string; type: string; description?: string }[] };
  data: CodeEntry[];
}

interface TableIndex {
  table: CodeTable;
  byInput: Map<string, CodeEntry>;
}

const indexes = new Map<string, TableIndex>();

/** The full-width digits and letters that Chinese input methods produce, folded to ASCII. */
function foldInput(value: string): string {
  return value
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase();
}

function indexOf(name: string): TableIndex {
  let index = indexes.get(name);
  if (!index) {
    const table = loadPackageJson<CodeTable>(`codes/${name}.json`);
    const byInput = new Map<string, CodeEntry>();
    for (const entry of table.data) {
      for (const key of [entry.code, entry.label, entry.labelEn, ...(entry.aliases ?? [])]) {
        if (key !== undefined && !byInput.has(foldInput(key))) byInput.set(foldInput(key), entry);
      }
    }
    index = { table, byInput };
    indexes.set(name, index);
  }
  return index;
}

/** Returns a code table by name (the file name under `codes/` without `.json`). */
export function codeTable(name: string): CodeTable {
  return indexOf(name).table;
}

/** Finds the entry that a code, label, English label or alias designates. */
export function findCode(name: string, value: unknown): CodeEntry | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') return undefined;
  return indexOf(name).byInput.get(foldInput(value));
}

/**
 * Normalises an input value (code, label or alias) to the table's canonical form.
 * Returns undefined when the value designates no entry.
 */
export function normalizeCode(name: string, value: unknown): string | undefined {
  const entry = findCode(name, value);
  if (!entry) return undefined;
  return indexOf(name).table.canonical === 'code' ? entry.code : entry.label;
}

/** The canonical values of a table, in table order: what schemas list as `enum`. */
export function canonicalValues(name: string): string[] {
  const { table } = indexOf(name);
  return table.data.map((entry) => (table.canonical === 'code' ? entry.code : entry.label));
}

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
  /** Keys as written: the fast path, since most inputs are already canonical. */
  byExact: Map<string, CodeEntry>;
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

/**
 * Input keys in order of precedence: every row's code, then labels, then English labels, then
 * aliases. A later key never overrides an earlier one, so an alias can never shadow another
 * row's code or label.
 */
function inputKeys(data: CodeEntry[]): [string, CodeEntry][] {
  const pick = (key: (entry: CodeEntry) => (string | undefined)[]): [string, CodeEntry][] =>
    data.flatMap((entry) =>
      key(entry).flatMap((k) => (typeof k === 'string' ? [[k, entry] as [string, CodeEntry]] : [])),
    );
  return [
    ...pick((entry) => [entry.code]),
    ...pick((entry) => [entry.label]),
    ...pick((entry) => [entry.labelEn]),
    ...pick((entry) => entry.aliases ?? []),
  ];
}

function indexOf(name: string): TableIndex {
  let index = indexes.get(name);
  if (!index) {
    // Table names are file names under codes/: refuse anything that could leave that folder.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Unknown code table "${name}"`);
    const table = loadPackageJson<CodeTable>(`codes/${name}.json`);
    const byExact = new Map<string, CodeEntry>();
    const byInput = new Map<string, CodeEntry>();
    for (const [key, entry] of inputKeys(table.data)) {
      if (!byExact.has(key)) byExact.set(key, entry);
      if (!byInput.has(foldInput(key))) byInput.set(foldInput(key), entry);
    }
    index = { table, byExact, byInput };
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
  const index = indexOf(name);
  return index.byExact.get(value) ?? index.byInput.get(foldInput(value));
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

/**
 * The tabular catalog model shared by the xlsx templates and CSV: ONE ROW PER INFORMATION ITEM.
 * A resource's own columns are filled on its first row; the rows after it leave them blank. A row
 * whose 信息资源代码 and 信息资源名称 are both blank (or repeat the resource's) continues the
 * resource above it, which also reads merged cells, whose value sits in the top-left cell only.
 * A resource without items takes one row.
 */
import type { CatalogReadWarning, SourceLocation } from '../source.js';
import { isBlank, readCell, writeCell, type CellValue } from './cell-values.js';
import { columnLetter, findColumn, headerKey, type ColumnDef } from './columns.js';
import { getPath, isRecord, setPath, type Json } from './paths.js';

/** One row of a sheet or CSV file: its 1-based row (or line) number and its cells from column A. */
export interface TabularRow {
  row: number;
  cells: CellValue[];
}

/** A known column found in a file's header row. */
export interface BoundColumn {
  def: ColumnDef;
  index: number;
  letter: string;
  /** The header as written in the file. */
  header: string;
}

export interface HeaderBinding {
  columns: BoundColumn[];
  /** The column showing each field path, for `locate`. */
  byPath: Map<string, BoundColumn>;
}

/** The rows of one resource: its first row, every row, and the rows holding an item. */
export interface RowGroup {
  first: TabularRow;
  rows: TabularRow[];
  itemRows: TabularRow[];
}

/** Where a row sits in the rows of its resource, for writers of `row`-scope columns. */
export interface RowPlace {
  resourceIndex: number;
  first: boolean;
}

export interface ReadContext {
  warn(code: string, message: string, row: number, column?: { letter: string; header: string }): void;
}

/** A template: its columns, and hooks for the columns that do not map one field to one cell. */
export interface Layout {
  id: 'minjiang' | 'national';
  columns: readonly ColumnDef[];
  readSpecial?(
    group: RowGroup,
    resource: Json,
    items: Json[],
    binding: HeaderBinding,
    context: ReadContext,
  ): void;
  writeSpecial?(column: ColumnDef, resource: Json, item: Json | undefined, place: RowPlace): CellValue;
  /** Whether the first item shares the resource's row (else the resource gets a row of its own). */
  firstItemOnFirstRow?(resource: Json): boolean;
}

/** A place in the file being read, for warnings: a sheet cell, or a CSV line. */
export interface FilePlace {
  file: string;
  sheet?: string;
  /** CSV: rows are lines. */
  text?: boolean;
}

export function rowLocation(place: FilePlace, row: number, column?: { letter: string; header: string }) {
  const location: SourceLocation = { file: place.file };
  if (place.sheet !== undefined) location.sheet = place.sheet;
  location.row = row;
  if (place.text) location.line = row;
  if (column) Object.assign(location, { column: column.letter, header: column.header });
  return location;
}

/** Collects reader warnings with their locations. */
export function warningSink(place: FilePlace): ReadContext & { warnings: CatalogReadWarning[] } {
  const warnings: CatalogReadWarning[] = [];
  return {
    warnings,
    warn(code, message, row, column) {
      warnings.push({ code, message, location: rowLocation(place, row, column) });
    },
  };
}

/**
 * Binds a header row to a layout's columns. Unknown and repeated headers are reported as
 * warnings and their columns ignored, so a department's own notes column does not stop a read.
 */
export function bindHeader(layout: Layout, header: TabularRow, context: ReadContext): HeaderBinding {
  const columns: BoundColumn[] = [];
  const seen = new Set<ColumnDef>();
  header.cells.forEach((cell, index) => {
    if (isBlank(cell)) return;
    const text = String(cell);
    const bound = { index, letter: columnLetter(index), header: text };
    const def = findColumn(layout.columns, text);
    if (!def) {
      context.warn('TAB-UNKNOWN-COLUMN', `不认识的列“${text.trim()}”，该列未读取`, header.row, bound);
    } else if (seen.has(def)) {
      context.warn('TAB-DUPLICATE-COLUMN', `列“${text.trim()}”重复出现，只读取第一列`, header.row, bound);
    } else {
      seen.add(def);
      columns.push({ def, ...bound });
    }
  });
  const byPath = new Map<string, BoundColumn>();
  for (const column of columns) {
    for (const path of column.def.paths) if (!byPath.has(path)) byPath.set(path, column);
  }
  return { columns, byPath };
}

/** How many of a header row's cells a layout knows; used to find the header row and the template. */
export function knownHeaders(columns: readonly ColumnDef[], cells: CellValue[]): Set<string> {
  const known = new Set<string>();
  for (const cell of cells) {
    if (typeof cell === 'string' && findColumn(columns, cell)) known.add(headerKey(cell));
  }
  return known;
}

const RESOURCE_ORDER = [
  'code', 'name', 'resourceClass', 'subject', 'provider', 'subUnit', 'summary', 'keywords',
  'relatedMatters', 'system', 'format', 'items', 'sharing', 'opening', 'updateCycle', 'publishedAt',
  'grading', 'scenario', 'spatialScope', 'timeRange', 'syncMode', 'relatedResources', 'statistics',
]; // prettier-ignore
const NESTED_ORDER: Record<string, string[]> = {
  sharing: ['type', 'condition', 'legalBasis', 'methodCategory', 'methodTypes'],
  opening: ['type', 'condition'],
};

function ordered(object: Json, order: readonly string[]): Json {
  const entries = Object.entries(object);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/** Keys in schema order, so a catalog read from a sheet writes out as a tidy YAML file. */
function orderResource(resource: Json): Json {
  for (const [key, order] of Object.entries(NESTED_ORDER)) {
    const value = resource[key];
    if (isRecord(value)) resource[key] = ordered(value, order);
  }
  return ordered(resource, RESOURCE_ORDER);
}

/** The rows that each resource was read from: its first row and one row per item. */
export interface GroupRows {
  first: number;
  items: number[];
}

/**
 * Turns rows into resources as they arrive, so a streaming reader never holds more than one
 * resource's rows.
 */
export class CatalogRowReader {
  readonly resources: Json[] = [];
  readonly groups: GroupRows[] = [];
  private group: RowGroup | undefined;
  private readonly keyColumns: BoundColumn[];
  private readonly resourceColumns: BoundColumn[];
  private readonly itemColumns: BoundColumn[];

  constructor(
    private readonly layout: Layout,
    private readonly binding: HeaderBinding,
    private readonly context: ReadContext,
  ) {
    const plain = binding.columns.filter((column) => column.def.kind !== 'special');
    this.keyColumns = ['code', 'name'].flatMap((path) => binding.byPath.get(path) ?? []);
    this.resourceColumns = plain.filter((column) => column.def.scope === 'resource');
    this.itemColumns = plain.filter((column) => column.def.scope === 'item');
  }

  push(row: TabularRow): void {
    if (row.cells.every(isBlank)) return;
    if (this.group && this.continues(this.group.first, row)) {
      this.warnIgnored(this.group.first, row);
      this.group.rows.push(row);
      return;
    }
    this.finish();
    this.group = { first: row, rows: [row], itemRows: [] };
  }

  /** Ends the resource being read; call once after the last row. */
  finish(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    const resource: Json = {};
    for (const column of this.resourceColumns) {
      const value = readCell(column.def.kind, group.first.cells[column.index]);
      if (value !== undefined) setPath(resource, column.def.paths[0] as string, value);
    }
    group.itemRows = group.rows.filter((row) => this.itemColumns.some((c) => !isBlank(row.cells[c.index])));
    const items = group.itemRows.map((row) => this.readItem(row));
    this.layout.readSpecial?.(group, resource, items, this.binding, this.context);
    if (items.length > 0) resource.items = items;
    this.resources.push(orderResource(resource));
    this.groups.push({ first: group.first.row, items: group.itemRows.map((row) => row.row) });
  }

  private readItem(row: TabularRow): Json {
    const item: Json = {};
    for (const column of this.itemColumns) {
      const value = readCell(column.def.kind, row.cells[column.index]);
      if (value !== undefined) setPath(item, (column.def.paths[0] as string).slice('items.'.length), value);
    }
    return item;
  }

  /** Blank key cells, or the resource's own code and name repeated, continue the resource. */
  private continues(first: TabularRow, row: TabularRow): boolean {
    return this.keyColumns.every((column) => {
      const value = row.cells[column.index];
      return isBlank(value) || sameCell(value, first.cells[column.index]);
    });
  }

  private warnIgnored(first: TabularRow, row: TabularRow): void {
    for (const column of this.resourceColumns) {
      const value = row.cells[column.index];
      if (isBlank(value) || sameCell(value, first.cells[column.index])) continue;
      const message = `第 ${row.row} 行续接上一资源，其“${column.header.trim()}”列的值被忽略（资源的列只读第一行）`;
      this.context.warn('TAB-CONTINUATION-VALUE', message, row.row, column);
    }
  }
}

function sameCell(a: CellValue, b: CellValue): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

/** The cell of one column on one row of a resource. */
export function cellFor(
  layout: Layout,
  column: ColumnDef,
  resource: Json,
  item: Json | undefined,
  place: RowPlace,
): CellValue {
  if (column.kind === 'special') return layout.writeSpecial?.(column, resource, item, place);
  const path = column.paths[0] as string;
  if (column.scope === 'resource')
    return place.first ? writeCell(column.kind, getPath(resource, path)) : undefined;
  return item ? writeCell(column.kind, getPath(item, path.slice('items.'.length))) : undefined;
}

/** The rows of one resource in a layout's column order, with the item each row holds. */
export function resourceRows(
  layout: Layout,
  value: unknown,
  resourceIndex: number,
): { cells: CellValue[]; item?: number }[] {
  const resource = isRecord(value) ? value : {};
  const items = (Array.isArray(resource.items) ? resource.items : []).map((item) =>
    isRecord(item) ? item : {},
  );
  const sharesFirst = items.length > 0 && (layout.firstItemOnFirstRow?.(resource) ?? true);
  const placed: { item?: Json; index: number }[] = items.map((item, index) => ({ item, index }));
  if (!sharesFirst) placed.unshift({ index: -1 });
  return placed.map(({ item, index }, position) => {
    const place = { resourceIndex, first: position === 0 };
    const cells = layout.columns.map((column) => cellFor(layout, column, resource, item, place));
    return index < 0 ? { cells } : { cells, item: index };
  });
}

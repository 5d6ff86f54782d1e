/**
 * Write-back for tabular catalogs: given the catalog as fixed (same resources, same items, same
 * order) and the JSON Pointers that changed, rewrite only the cells that show those values.
 */
import type { CatalogFile } from '../catalog-file.js';
import type { LoadedCatalog } from '../source.js';
import { FileFormatError } from '../../core/errors.js';
import type { CellValue } from './cell-values.js';
import { tabularIndexOf, type TabularIndex } from './locator.js';
import { isRecord, parsePointer, pathConcerns, type PointerTarget } from './paths.js';
import { cellFor, type BoundColumn, type GroupRows } from './tabular.js';
import { fileStamp } from './xlsx-read.js';

/** One cell to set: its 1-based row (or CSV line) and 0-based column. */
export interface CellEdit {
  row: number;
  column: number;
  value: CellValue;
}

interface RowOfResource {
  row: number;
  first: boolean;
  item?: number;
}

/** The rows a column must be rewritten on for a change at `target`. */
function rowsFor(
  column: BoundColumn,
  target: PointerTarget,
  group: GroupRows,
  sharesFirstRow: boolean,
): RowOfResource[] | undefined {
  const itemRow = (item: number): RowOfResource | undefined => {
    const row = group.items[item];
    return row === undefined ? undefined : { row, first: row === group.first, item };
  };
  const firstRow = { row: group.first, first: true, ...(group.items[0] === group.first ? { item: 0 } : {}) };
  if (column.def.scope === 'resource') return [firstRow];
  if (target.item !== undefined) {
    const row = itemRow(target.item);
    // A row-wide cell on a row shared by the resource and its first item shows the resource's
    // value: an item value of its own there needs a row the file does not have.
    if (row?.first && column.def.scope === 'row' && !sharesFirstRow) return undefined;
    return row ? [row] : undefined;
  }
  const items = group.items.map((_, index) => itemRow(index) as RowOfResource);
  if (column.def.scope === 'item') return items;
  return group.items[0] === group.first ? items : [firstRow, ...items];
}

function concernedColumns(index: TabularIndex, changed: string): BoundColumn[] {
  return index.binding.columns.filter((column) =>
    [...column.def.paths, ...(column.def.derivedFrom ?? [])].some((path) => pathConcerns(path, changed)),
  );
}

/** The cells showing the value at one pointer, or undefined when the file has none. */
function editsOf(index: TabularIndex, fixed: CatalogFile, pointer: string): CellEdit[] | undefined {
  const target = parsePointer(pointer);
  if (!target) return undefined;
  const group = index.groups[target.resource];
  const resource = fixed.resources[target.resource];
  const columns = concernedColumns(index, target.path);
  if (!group || !isRecord(resource) || columns.length === 0) return undefined;
  const items: unknown[] = Array.isArray(resource.items) ? resource.items : [];
  const edits: CellEdit[] = [];
  for (const column of columns) {
    const rows = rowsFor(column, target, group, index.layout.firstItemOnFirstRow?.(resource) ?? true);
    if (!rows) return undefined;
    for (const { row, first, item } of rows) {
      const itemValue = item === undefined ? undefined : items[item];
      const place = { resourceIndex: target.resource, first };
      const value = cellFor(
        index.layout,
        column.def,
        resource,
        isRecord(itemValue) ? itemValue : undefined,
        place,
      );
      edits.push({ row, column: column.index, value });
    }
  }
  return edits;
}

/**
 * The cells to set for the changed pointers. Throws WRITE-BACK-NO-CELL, before anything is
 * written, when a change has no cell in the file (a column the sheet lacks, a new item).
 */
export function planCellEdits(
  index: TabularIndex,
  fixed: CatalogFile,
  pointers: readonly string[],
): CellEdit[] {
  const edits = new Map<string, CellEdit>();
  const missing: string[] = [];
  for (const pointer of pointers) {
    const found = editsOf(index, fixed, pointer);
    if (!found) missing.push(pointer);
    for (const edit of found ?? []) edits.set(`${edit.row}:${edit.column}`, edit);
  }
  if (missing.length > 0) {
    const message = `${missing.length} 处修改在 ${index.place.file} 中没有对应的单元格：${missing.join('，')}`;
    throw new FileFormatError('WRITE-BACK-NO-CELL', message, {
      location: index.place.file,
      hint: '文件中缺少这些值的列或行（例如新增的信息项）。请在表格中补上该列后重试，或改用 YAML/JSON 目录。',
    });
  }
  return [...edits.values()].sort((a, b) => a.row - b.row || a.column - b.column);
}

/** Refuses to write into a file that changed since it was read. */
async function checkUnchanged(index: TabularIndex): Promise<void> {
  const now = await fileStamp(index.place.file);
  if (now.size === index.stamp.size && now.mtimeMs === index.stamp.mtimeMs) return;
  throw new FileFormatError('FILE-CHANGED', `${index.place.file} 在读取之后被修改过，未写回任何内容`, {
    location: index.place.file,
    hint: '文件可能正在 Excel/WPS 中编辑。保存并关闭后重新运行。',
  });
}

async function indexOf(loaded: LoadedCatalog): Promise<TabularIndex> {
  const known = tabularIndexOf(loaded);
  if (known) return known;
  // A copy of the loaded catalog ({...loaded}) has lost its index: read the file again.
  const reread =
    loaded.format === 'csv'
      ? await (
          await import('./csv-catalog.js')
        ).readCatalogCsv(loaded.path, loaded.encoding ? { encoding: loaded.encoding } : {})
      : await (await import('./xlsx-read.js')).readCatalogXlsx(loaded.path, { format: loaded.format });
  return tabularIndexOf(reread) as TabularIndex;
}

/**
 * Writes the changed values of a catalog read from an xlsx (either template) or CSV file back
 * into that file: only the cells of the changed pointers (a pointer inside a list rewrites the
 * list's cell); formatting, dropdowns and merges are kept. The file is replaced atomically.
 */
export async function writeBackCells(
  loaded: LoadedCatalog,
  fixed: CatalogFile,
  pointers: string[],
): Promise<void> {
  if (loaded.format !== 'csv' && loaded.format !== 'xlsx-minjiang' && loaded.format !== 'xlsx-national') {
    throw new FileFormatError('WRITE-BACK-FORMAT', `${loaded.path} 不是表格目录（${loaded.format}）`, {
      location: loaded.path,
      hint: 'JSON/YAML 目录由文本写回处理。',
    });
  }
  const index = await indexOf(loaded);
  await checkUnchanged(index);
  const edits = planCellEdits(index, fixed, pointers);
  if (edits.length === 0) return;
  if (loaded.format === 'csv') {
    const { writeBackCsv } = await import('./csv-catalog.js');
    return writeBackCsv(index, edits);
  }
  const { writeBackXlsx } = await import('./xlsx-write-back.js');
  return writeBackXlsx(index, edits);
}

/**
 * The row schema of a data file: which header column holds which information item of the
 * catalog resource, each with its compiled value check. Header cells match an item's technical
 * name or name after folding case, spaces, punctuation and full width (itemNameKey), because
 * departments export both `GMSFHM` and `公民身份号码`, and Excel adds stray spaces.
 */
import { itemNameKey } from '../catalog/item-rules.js';
import type { CatalogResource } from '../generated/types.js';
import { compileItemCheck, sayer, type CellCheck, type DataItem, type DataLang } from './data-checks.js';

export interface SchemaColumn {
  /** 0-based index into the row's values. */
  index: number;
  /** The header cell as written. */
  header: string;
  item: DataItem;
  check: CellCheck;
}

/** A header problem that does not stop validation; `row` 0 stands for the header row. */
export interface HeaderProblem {
  code: 'DATA-HEADER-UNKNOWN' | 'DATA-HEADER-MISSING';
  severity: 'warning';
  column?: string;
  item?: string;
  message: string;
  hint: string;
}

export interface RowSchema {
  resource: { code?: string; name: string };
  columns: SchemaColumn[];
  /** Columns of the key items, for the uniqueness check; empty when the resource has none. */
  keyColumns: SchemaColumn[];
  problems: HeaderProblem[];
}

export type DataResource = Pick<CatalogResource, 'name' | 'items'> & { code?: string };

/** The header cannot be mapped to the resource (code DATA-HEADER): nothing can be validated. */
export class RowSchemaError extends Error {
  override name = 'RowSchemaError';
  readonly code = 'DATA-HEADER';

  constructor(
    message: string,
    readonly location: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function headerError(
  resource: DataResource,
  header: string[],
  message: string,
  hint: string,
): RowSchemaError {
  const columns = header.length > 0 ? header.join('、') : '（空）';
  return new RowSchemaError(`${message}。文件的表头为：${columns}`, resource.name, hint);
}

/** The items each header cell designates, by technical name first, then by name. */
function matchHeader(items: DataItem[], header: string[]): (DataItem | undefined)[] {
  const byKey = new Map<string, DataItem>();
  for (const item of items) if (item.technicalName) byKey.set(itemNameKey(item.technicalName), item);
  for (const item of items) {
    const key = itemNameKey(item.name);
    if (!byKey.has(key)) byKey.set(key, item);
  }
  return header.map((cell) => (cell.trim() === '' ? undefined : byKey.get(itemNameKey(cell))));
}

function checkDuplicates(resource: DataResource, header: string[], matched: (DataItem | undefined)[]): void {
  const seen = new Map<DataItem, number>();
  matched.forEach((item, index) => {
    if (!item) return;
    const before = seen.get(item);
    if (before === undefined) {
      seen.set(item, index);
      return;
    }
    throw headerError(
      resource,
      header,
      `第 ${before + 1} 列“${header[before] ?? ''}”和第 ${index + 1} 列“${header[index] ?? ''}”都对应信息项“${item.name}”`,
      '每个信息项只能有一列，请删除重复的列。',
    );
  });
}

function headerProblems(
  items: DataItem[],
  header: string[],
  matched: (DataItem | undefined)[],
  lang: DataLang,
): HeaderProblem[] {
  const say = sayer(lang);
  const unknown: HeaderProblem[] = header.flatMap((cell, index) =>
    matched[index] || cell.trim() === ''
      ? []
      : [
          {
            code: 'DATA-HEADER-UNKNOWN' as const,
            severity: 'warning' as const,
            column: cell,
            message: say(
              `第 ${index + 1} 列“${cell}”不是该资源的信息项，已忽略`,
              `Column ${index + 1} "${cell}" is not an item of the resource and is ignored`,
            ),
            hint: say(
              '列名应为信息项名称或技术名称；多余的列请删除。',
              'Column titles must be item names or technical names; remove extra columns.',
            ),
          },
        ],
  );
  const present = new Set(matched);
  const missing: HeaderProblem[] = items
    .filter((item) => !present.has(item))
    .map((item) => ({
      code: 'DATA-HEADER-MISSING' as const,
      severity: 'warning' as const,
      item: item.name,
      message: say(`缺少非必填信息项“${item.name}”的列`, `No column for the optional item "${item.name}"`),
      hint: say('可补上该列（值可为空）。', 'Add the column (its values may be empty).'),
    }));
  return [...unknown, ...missing];
}

/**
 * Maps a header to the resource's items. Throws DATA-HEADER when a required or key item has no
 * column, or two columns designate one item; unknown columns and missing optional items are
 * header problems, reported as warnings.
 */
export function compileRowSchema(
  resource: DataResource,
  header: string[],
  options: { lang?: DataLang } = {},
): RowSchema {
  const lang = options.lang ?? 'zh-CN';
  const items = resource.items ?? [];
  const matched = matchHeader(items, header);
  checkDuplicates(resource, header, matched);
  const absent = items.filter((item) => (item.required || item.isKey) && !matched.includes(item));
  if (absent.length > 0) {
    const names = absent.map((item) =>
      item.technicalName ? `${item.name}（${item.technicalName}）` : item.name,
    );
    throw headerError(
      resource,
      header,
      `数据文件缺少必填信息项的列：${names.join('、')}`,
      '表头每列应为信息项名称或技术名称；请补上缺少的列，或确认选择了正确的资源。',
    );
  }
  const columns: SchemaColumn[] = [];
  matched.forEach((item, index) => {
    if (item) columns.push({ index, header: header[index] ?? '', item, check: compileItemCheck(item, lang) });
  });
  return {
    resource: { name: resource.name, ...(resource.code ? { code: resource.code } : {}) },
    columns,
    // In the resource's item order, whatever the file's column order: a stored key is the same
    // for the same row from any file.
    keyColumns: columns
      .filter((column) => column.item.isKey === true)
      .sort((a, b) => items.indexOf(a.item) - items.indexOf(b.item)),
    problems: headerProblems(items, header, matched, lang),
  };
}

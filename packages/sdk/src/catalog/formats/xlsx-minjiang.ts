/**
 * The Minjiang catalog template (xlsx): sheet 目录 with one column per field of the
 * catalog-resource schema and one row per information item, sheet 填写说明, and the hidden sheet
 * 码表 behind the dropdowns. `catalog template` writes it empty but for one example resource;
 * `catalog pull` writes a whole catalog in it.
 */
import type { CatalogFile } from '../catalog-file.js';
import { MINJIANG_LAYOUT } from './minjiang-columns.js';
import { EXAMPLE_RULE, guideRows, MINJIANG_RULES, TEMPLATE_EXAMPLE } from './template-guide.js';
import { writeCatalogWorkbook, type WorkbookOptions } from './xlsx-write.js';

export { readCatalogXlsx, type XlsxReadOptions } from './xlsx-read.js';

const TITLE = '闽江政务数据资源目录模板 填写说明';

/** Writes a catalog in the Minjiang template, replacing the file atomically. */
export async function writeCatalogXlsx(
  path: string,
  catalog: CatalogFile,
  options: WorkbookOptions = {},
): Promise<void> {
  await writeCatalogWorkbook(path, {
    layout: MINJIANG_LAYOUT,
    resources: catalog.resources,
    merge: false,
    guide: guideRows(MINJIANG_LAYOUT, TITLE, MINJIANG_RULES, TEMPLATE_EXAMPLE),
    date: options.date ?? new Date(),
  });
}

/** Writes the empty Minjiang template: the instructions, the dropdowns, and one example resource. */
export async function writeCatalogTemplate(path: string, options: WorkbookOptions = {}): Promise<void> {
  await writeCatalogWorkbook(path, {
    layout: MINJIANG_LAYOUT,
    resources: [TEMPLATE_EXAMPLE],
    merge: false,
    guide: guideRows(MINJIANG_LAYOUT, TITLE, [...MINJIANG_RULES, EXAMPLE_RULE], TEMPLATE_EXAMPLE),
    date: options.date ?? new Date(),
  });
}

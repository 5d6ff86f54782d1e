/**
 * The national template (xlsx): the columns of the 2017 guide's import table (standards.md §1.7),
 * one resource over several rows with its own columns merged, one information item per row, then
 * the Minjiang extension columns. Columns are in national-layout.ts; reading is shared with the
 * Minjiang template (xlsx-read.ts), which tells the templates apart by the header row.
 *
 * Mapping decisions:
 * - 序号 is written 1, 2, … per resource and ignored on read.
 * - 部门类信息资源分类 / 项分类 / 目分类 / 细目分类1 are written from the resource code (类 1
 *   digit, 项 2, 目 3, 细目 the rest of the front segment); 细目分类1.1 is left blank (our codes
 *   have no level below 细目). On read they are checked against the code, never used to build
 *   it: a mismatch is a NAT-CLASS-MISMATCH warning. 细目分类1 and 细目分类1.1 together must
 *   spell the 细目; a class written as a label (部门类) is compared by its code.
 * - 共享类型 and 共享条件/不予共享依据 are on every row. The first row holds sharing.type and
 *   sharing.condition; an item row whose pair differs from the first row's gives the item its
 *   own shareType and shareCondition (both, as a pair, because rule CAT requires a condition
 *   with an item's 有条件/不予共享). A blank cell on an item row means "as the resource". So an
 *   item whose shareType merely repeats the resource's, without a condition of its own, reads
 *   back without it: the template cannot tell "inherited" from "the same".
 * - 是否向社会开放 + 开放条件 ↔ opening: 否 → 不予开放; 是 without a condition → 无条件开放;
 *   是 with a condition → 有条件开放 (Y/N/true/false/1/0 are accepted for 是/否). Any other
 *   text is kept as typed as opening.type, and the writer writes the type itself when 是/否 would
 *   not read back the same (无条件开放 with a condition, an alias, a typo). Item rows work like
 *   共享类型: a derived type that differs from the first row's becomes the item's openType. An
 *   item has no open condition in the standard: a different one on an item row is reported
 *   (NAT-ITEM-OPEN-CONDITION), not imported.
 * - The sharing legal basis (共享依据) is not in the national table: it is an extension column,
 *   as are provider, 资源属性分类, 所属主题, 关键字, 所属信息系统, 数据分级, 是否涉密, 应用场景分类,
 *   空间范围, the time range, 数据同步机制, 关联资源代码, the six 普查 figures and the item
 *   fields beyond 名称/数据类型/数据长度. They carry the Minjiang template's headers.
 * - 开放主题分类 (an open-data theme) has no field in our standard: written blank; a filled
 *   column is reported once (NAT-THEME-IGNORED) and not imported.
 * - A resource whose first item has its own sharing or opening gets a row of its own without an
 *   item, so the first row can hold the resource's values.
 */
import type { CatalogFile } from '../catalog-file.js';
import { NATIONAL_LAYOUT } from './national-layout.js';
import { guideRows, NATIONAL_RULES, TEMPLATE_EXAMPLE } from './template-guide.js';
import { writeCatalogWorkbook, type WorkbookOptions } from './xlsx-write.js';

const TITLE = '政务信息资源目录（国家模板 + 闽江扩展列）填写说明';

/** Writes a catalog in the national template with merged resource cells, atomically. */
export async function writeCatalogNationalXlsx(
  path: string,
  catalog: CatalogFile,
  options: WorkbookOptions = {},
): Promise<void> {
  await writeCatalogWorkbook(path, {
    layout: NATIONAL_LAYOUT,
    resources: catalog.resources,
    merge: true,
    guide: guideRows(NATIONAL_LAYOUT, TITLE, NATIONAL_RULES, TEMPLATE_EXAMPLE),
    date: options.date ?? new Date(),
  });
}

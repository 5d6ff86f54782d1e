/**
 * The columns of the national template (the 2017 guide's import table, standards.md §1.7) and
 * the Minjiang extension columns appended after them. The mapping decisions are explained at the
 * top of xlsx-national.ts.
 */
import type { ColumnChoices, ColumnDef, ColumnScope, ValueKind } from './columns.js';
import { MINJIANG_COLUMNS } from './minjiang-columns.js';

function column(
  header: string,
  paths: string[],
  kind: ValueKind,
  scope: ColumnScope,
  note: string,
  extra: Partial<ColumnDef> = {},
): ColumnDef {
  return { header, paths, kind, scope, note, width: 14, ...extra };
}

const table = (name: string): ColumnChoices => ({ table: name });
const CODE = ['code'];

export const SEQUENCE = column('序号', [], 'special', 'resource', '资源的序号，从 1 开始。', { width: 6 });
export const CLASS = column('部门类信息资源分类', [], 'special', 'resource', '类：信息资源代码第 1 位。', {
  derivedFrom: CODE,
});
export const ITEM_CLASS = column('项分类', [], 'special', 'resource', '项：代码第 2–3 位。', {
  derivedFrom: CODE,
  width: 8,
});
export const TARGET = column('目分类', [], 'special', 'resource', '目：代码第 4–6 位。', {
  derivedFrom: CODE,
  width: 8,
});
export const DETAIL = column('细目分类1', [], 'special', 'resource', '细目：代码前段第 7 位起。', {
  derivedFrom: CODE,
});
export const SUBDETAIL = column('细目分类1.1', [], 'special', 'resource', '细目的下一级；不拆分，留空。', {
  derivedFrom: CODE,
});
export const SHARE_TYPE = column(
  '共享类型',
  ['sharing.type', 'items.shareType'],
  'special',
  'row',
  '每行都填；与资源第一行不同的为该信息项的共享类型。',
  { choices: table('share-type'), required: true },
);
export const SHARE_CONDITION = column(
  '共享条件/不予共享依据',
  ['sharing.condition', 'items.shareCondition'],
  'special',
  'row',
  '有条件共享写条件，不予共享写依据。',
  { derivedFrom: ['items.shareType'], width: 30 },
);
export const OPEN_FLAG = column(
  '是否向社会开放',
  ['opening.type', 'items.openType'],
  'special',
  'row',
  '是或否。',
  {
    derivedFrom: ['opening.condition'],
    choices: { title: '是否', values: ['是', '否'] },
    required: true,
  },
);
export const OPEN_CONDITION = column(
  '开放条件',
  ['opening.condition'],
  'special',
  'row',
  '向社会开放有条件时写明条件。',
  {
    derivedFrom: ['opening.type', 'items.openType'],
    width: 24,
  },
);
export const THEME = column('开放主题分类', [], 'special', 'resource', '闽江标准无此字段，不导入。');

const minjiangByPath = new Map(MINJIANG_COLUMNS.map((def) => [def.paths[0], def]));

/** A national column holding one field, explained (and required) as the Minjiang column of that field. */
function plain(
  header: string,
  path: string,
  kind: ValueKind = 'text',
  extra: Partial<ColumnDef> = {},
): ColumnDef {
  const twin = minjiangByPath.get(path);
  const scope = path.startsWith('items.') ? 'item' : 'resource';
  return column(header, [path], kind, scope, twin?.note ?? '', {
    required: twin?.required ?? false,
    ...extra,
  });
}

/** The national columns, in the order of the 1272 template. */
export const NATIONAL_ONLY: readonly ColumnDef[] = [
  SEQUENCE, CLASS, ITEM_CLASS, TARGET, DETAIL, SUBDETAIL,
  plain('关联业务事项', 'relatedMatters', 'list', { width: 20 }),
  plain('信息资源名称', 'name', 'text', { width: 24 }),
  plain('信息资源代码', 'code', 'text', { width: 22 }),
  plain('下设机构', 'subUnit'),
  plain('信息资源摘要', 'summary', 'text', { width: 40 }),
  plain('信息资源格式分类', 'format.category', 'text', { choices: table('format-category') }),
  plain('信息资源格式类型', 'format.type'),
  plain('其他类型资源格式描述', 'format.otherDescription'),
  plain('信息项名称', 'items.name', 'text', { width: 18 }),
  plain('数据类型', 'items.dataType', 'text', { choices: table('item-data-type'), width: 10 }),
  plain('数据长度', 'items.length', 'integer', { width: 10 }),
  SHARE_TYPE, SHARE_CONDITION,
  plain('共享方式分类', 'sharing.methodCategory', 'text', { choices: table('share-method-category') }),
  plain('共享方式类型', 'sharing.methodTypes', 'list', { choices: table('share-method-type') }),
  OPEN_FLAG, OPEN_CONDITION,
  plain('更新周期', 'updateCycle', 'text', { choices: table('update-cycle'), width: 10 }),
  plain('发布日期', 'publishedAt', 'date', { width: 12 }),
  THEME,
]; // prettier-ignore

const covered = new Set(NATIONAL_ONLY.flatMap((def) => def.paths));

/** Minjiang columns for the fields the national template lacks (provider, grading …). */
export const EXTENSION_COLUMNS: readonly ColumnDef[] = MINJIANG_COLUMNS.filter(
  (def) => !covered.has(def.paths[0] as string),
);

export const NATIONAL_COLUMNS: readonly ColumnDef[] = [...NATIONAL_ONLY, ...EXTENSION_COLUMNS];

/** Headers that only the national template has: they tell it from the Minjiang template. */
export const NATIONAL_MARKERS = [CLASS, ITEM_CLASS, TARGET, DETAIL, OPEN_FLAG].map((def) => def.header);

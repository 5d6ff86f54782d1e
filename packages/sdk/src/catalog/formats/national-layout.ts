/**
 * How the national template's special columns read and write: the classification derived from
 * the resource code, sharing and opening per row. The decisions are explained at the top of
 * xlsx-national.ts.
 */
import { findCode } from '@minjiang/standards';
import { isBlank, readCell, writeCell, type CellValue } from './cell-values.js';
import type { ColumnDef } from './columns.js';
import {
  CLASS,
  DETAIL,
  ITEM_CLASS,
  NATIONAL_COLUMNS,
  NATIONAL_ONLY,
  OPEN_CONDITION,
  OPEN_FLAG,
  SEQUENCE,
  SHARE_CONDITION,
  SHARE_TYPE,
  SUBDETAIL,
  TARGET,
  THEME,
} from './national-columns.js';
import { isRecord, setPath, type Json } from './paths.js';
import type {
  BoundColumn,
  HeaderBinding,
  Layout,
  ReadContext,
  RowGroup,
  RowPlace,
  TabularRow,
} from './tabular.js';

const CODE_PARTS = /^([0-9])([0-9]{2})([0-9]{3})([0-9A-Z]*)\//u;

/** 类, 项, 目 and 细目 of a resource code, or undefined when it does not have that shape. */
function codeParts(code: unknown): string[] | undefined {
  const match = typeof code === 'string' ? CODE_PARTS.exec(code) : null;
  return match ? match.slice(1, 5) : undefined;
}

/** 是 → 无条件开放 (有条件开放 with a condition), 否 → 不予开放, anything else as typed. */
function openTypeOf(flag: CellValue, condition: CellValue): unknown {
  if (isBlank(flag)) return undefined;
  const yes = readCell('boolean', flag);
  if (yes === true) return isBlank(condition) ? '无条件开放' : '有条件开放';
  if (yes === false) return '不予开放';
  return readCell('text', flag);
}

/** The 是否向社会开放 cell for an opening type: 是/否 when that reads back the same, else the type. */
function openFlagOf(type: unknown, condition: unknown): CellValue {
  if (type === undefined) return undefined;
  const conditionCell = writeCell('text', condition);
  if (openTypeOf('是', conditionCell) === type) return '是';
  if (type === '不予开放') return '否';
  return writeCell('text', type);
}

function writeSpecial(def: ColumnDef, resource: Json, item: Json | undefined, place: RowPlace): CellValue {
  const sharing = isRecord(resource.sharing) ? resource.sharing : {};
  const opening = isRecord(resource.opening) ? resource.opening : {};
  const own = place.first ? undefined : item;
  const parts = place.first ? codeParts(resource.code) : undefined;
  switch (def) {
    case SEQUENCE:
      return place.first ? place.resourceIndex + 1 : undefined;
    case CLASS:
    case ITEM_CLASS:
    case TARGET:
    case DETAIL:
      return parts?.[[CLASS, ITEM_CLASS, TARGET, DETAIL].indexOf(def)] || undefined;
    case SHARE_TYPE:
      return writeCell('text', own?.shareType ?? sharing.type);
    case SHARE_CONDITION:
      return writeCell(
        'text',
        own?.shareType === undefined ? (own?.shareCondition ?? sharing.condition) : own.shareCondition,
      );
    case OPEN_FLAG:
      return own?.openType === undefined
        ? openFlagOf(opening.type, opening.condition)
        : openFlagOf(own.openType, undefined);
    case OPEN_CONDITION:
      return own?.openType === undefined ? writeCell('text', opening.condition) : undefined;
    default:
      return undefined;
  }
}

/** The first item gets its own row when it carries item-level sharing or opening. */
function firstItemOnFirstRow(resource: Json): boolean {
  const first = Array.isArray(resource.items) && isRecord(resource.items[0]) ? resource.items[0] : {};
  return first.shareType === undefined && first.shareCondition === undefined && first.openType === undefined;
}

const cellOf = (row: TabularRow, column: BoundColumn | undefined) =>
  column ? row.cells[column.index] : undefined;
const same = (a: CellValue, b: CellValue) => !isBlank(a) && a === b;

function readSharing(
  group: RowGroup,
  resource: Json,
  items: Json[],
  bound: (def: ColumnDef) => BoundColumn | undefined,
) {
  const [typeColumn, conditionColumn] = [bound(SHARE_TYPE), bound(SHARE_CONDITION)];
  const type = cellOf(group.first, typeColumn);
  const condition = cellOf(group.first, conditionColumn);
  if (!isBlank(type)) setPath(resource, 'sharing.type', readCell('text', type));
  if (!isBlank(condition)) setPath(resource, 'sharing.condition', readCell('text', condition));
  group.itemRows.forEach((row, index) => {
    if (row === group.first) return;
    const [rowType, rowCondition] = [cellOf(row, typeColumn), cellOf(row, conditionColumn)];
    const typeDiffers = !isBlank(rowType) && !same(rowType, type);
    if (!typeDiffers && (isBlank(rowCondition) || same(rowCondition, condition))) return;
    const item = items[index] as Json;
    if (!isBlank(rowType)) item.shareType = readCell('text', rowType);
    if (!isBlank(rowCondition)) item.shareCondition = readCell('text', rowCondition);
  });
}

function readOpening(
  group: RowGroup,
  resource: Json,
  items: Json[],
  bound: (def: ColumnDef) => BoundColumn | undefined,
  context: ReadContext,
) {
  const [flagColumn, conditionColumn] = [bound(OPEN_FLAG), bound(OPEN_CONDITION)];
  const condition = cellOf(group.first, conditionColumn);
  const type = openTypeOf(cellOf(group.first, flagColumn), condition);
  if (type !== undefined) setPath(resource, 'opening.type', type);
  if (!isBlank(condition)) setPath(resource, 'opening.condition', readCell('text', condition));
  group.itemRows.forEach((row, index) => {
    if (row === group.first) return;
    const rowCondition = cellOf(row, conditionColumn);
    const rowType = openTypeOf(cellOf(row, flagColumn), rowCondition);
    if (rowType !== undefined && rowType !== type) (items[index] as Json).openType = rowType;
    // An item has an open type but no open condition of its own in the standard.
    if (conditionColumn && !isBlank(rowCondition) && !same(rowCondition, condition)) {
      const message = `第 ${row.row} 行信息项的开放条件未导入：标准中信息项没有开放条件，请写入资源的开放条件`;
      context.warn('NAT-ITEM-OPEN-CONDITION', message, row.row, conditionColumn);
    }
  });
}

/** The code a classification cell holds: `3`, `35`, `35 公安`, or a class label such as 部门类. */
function classificationCode(def: ColumnDef, value: CellValue): string | undefined {
  const text = String(value).trim();
  if (def === CLASS) return findCode('resource-class', text)?.code ?? /^[0-9]/u.exec(text)?.[0];
  return /^[0-9A-Z]+/u.exec(text)?.[0];
}

function checkClassification(
  group: RowGroup,
  bound: (def: ColumnDef) => BoundColumn | undefined,
  context: ReadContext,
) {
  const code = cellOf(group.first, bound(CODE_COLUMN));
  const parts = codeParts(code);
  if (!parts) return;
  const detail = [DETAIL, SUBDETAIL].map((def) => cellOf(group.first, bound(def))).filter((v) => !isBlank(v));
  const checks: [ColumnDef, string, CellValue][] = [
    [CLASS, parts[0] as string, cellOf(group.first, bound(CLASS))],
    [ITEM_CLASS, parts[1] as string, cellOf(group.first, bound(ITEM_CLASS))],
    [TARGET, parts[2] as string, cellOf(group.first, bound(TARGET))],
    [
      DETAIL,
      parts[3] as string,
      detail.length > 1 ? detail.map((v) => String(v).trim()).join('') : detail[0],
    ],
  ];
  for (const [def, expected, value] of checks) {
    if (isBlank(value)) continue;
    const found =
      typeof value === 'number'
        ? String(value).padStart(expected.length, '0')
        : classificationCode(def, value);
    if (found === undefined || found === expected) continue;
    const message = `“${def.header}”为“${String(value)}”，与信息资源代码 ${String(code)} 中的“${expected}”不一致`;
    context.warn('NAT-CLASS-MISMATCH', message, group.first.row, bound(def));
  }
}

const CODE_COLUMN = NATIONAL_ONLY.find((def) => def.paths[0] === 'code') as ColumnDef;
const themeWarned = new WeakSet<ReadContext>();

function readSpecial(
  group: RowGroup,
  resource: Json,
  items: Json[],
  binding: HeaderBinding,
  context: ReadContext,
) {
  const bound = (def: ColumnDef) => binding.columns.find((candidate) => candidate.def === def);
  checkClassification(group, bound, context);
  readSharing(group, resource, items, bound);
  readOpening(group, resource, items, bound, context);
  const theme = bound(THEME);
  if (theme && !isBlank(group.first.cells[theme.index]) && !themeWarned.has(context)) {
    themeWarned.add(context);
    context.warn(
      'NAT-THEME-IGNORED',
      '“开放主题分类”列的值未导入：闽江目录标准没有对应字段',
      group.first.row,
      theme,
    );
  }
}

export const NATIONAL_LAYOUT: Layout = {
  id: 'national',
  columns: NATIONAL_COLUMNS,
  readSpecial,
  writeSpecial,
  firstItemOnFirstRow,
};

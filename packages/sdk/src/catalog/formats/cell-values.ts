/**
 * Cell values to catalog values and back. Readers report values AS TYPED: the validator must see
 * a data officer's mistakes and the fix engine proposes the corrections, so nothing is trimmed,
 * folded or guessed here. The only conversions are the ones a spreadsheet forces on us: real
 * date cells become `YYYY-MM-DD`, numeric text in number columns becomes a number, 是/否 become
 * booleans, and list cells are split.
 */
import type { ValueKind } from './columns.js';

/** A cell as the readers hand it over: exceljs values already reduced to these. */
export type CellValue = string | number | boolean | Date | undefined;

/** Separators accepted between list elements: 、 , ， ; ； and line breaks. */
const LIST_SEPARATOR = /[、,，;；]|\r\n|\r|\n/u;
/** What lists are joined with on write. */
export const LIST_JOINER = '、';

const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0']);
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/iu;

/** A cell that holds nothing. A cell of spaces holds spaces, which the validator must see. */
export function isBlank(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** `YYYY-MM-DD` of a date cell; exceljs gives dates at UTC midnight. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Splits a list cell. Empty elements are kept (`人口,,户籍` → ["人口", "", "户籍"]) and elements
 * are not trimmed, so the validator reports the stray separator or space.
 */
export function splitList(text: string): string[] {
  return text.split(LIST_SEPARATOR);
}

function asText(value: Exclude<CellValue, undefined>): string {
  return value instanceof Date ? isoDay(value) : String(value);
}

function readBoolean(value: Exclude<CellValue, undefined>): unknown {
  if (typeof value === 'boolean') return value;
  const key = asText(value).trim().toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return value instanceof Date ? isoDay(value) : value;
}

function readNumber(value: Exclude<CellValue, undefined>): unknown {
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value.trim());
  return value instanceof Date ? isoDay(value) : value;
}

/**
 * The catalog value of a cell, or undefined for a blank cell (the field is then absent). A number
 * in a text column becomes its digits (a region code typed in a General cell); a number in a date
 * column stays a number, because it is an Excel serial date the fix engine must see.
 */
export function readCell(kind: ValueKind, value: CellValue): unknown {
  if (isBlank(value)) return undefined;
  switch (kind) {
    case 'text':
      return asText(value);
    case 'list':
      return splitList(asText(value));
    case 'boolean':
      return readBoolean(value);
    case 'integer':
    case 'number':
      return readNumber(value);
    case 'date':
      return value instanceof Date ? isoDay(value) : value;
    case 'special':
      return value;
  }
}

function writeScalar(value: unknown): CellValue {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // A value of the wrong shape (an object where text belongs) is written so a person can see it.
  return JSON.stringify(value);
}

/** The cell for a catalog value: the inverse of readCell for every value readCell produces. */
export function writeCell(kind: ValueKind, value: unknown): CellValue {
  if (kind === 'list' && Array.isArray(value)) {
    return value
      .map((element) => (typeof element === 'string' ? element : writeScalar(element)))
      .join(LIST_JOINER);
  }
  if (kind === 'boolean' && typeof value === 'boolean') return value ? '是' : '否';
  return writeScalar(value);
}

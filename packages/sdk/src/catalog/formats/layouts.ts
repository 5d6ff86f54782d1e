/** Which template a header row belongs to: the national one or the Minjiang one. */
import type { CatalogFormat } from '../source.js';
import type { CellValue } from './cell-values.js';
import { headerKey } from './columns.js';
import { MINJIANG_LAYOUT } from './minjiang-columns.js';
import { NATIONAL_MARKERS } from './national-columns.js';
import { NATIONAL_LAYOUT } from './national-layout.js';
import { knownHeaders, type Layout } from './tabular.js';

/** A header row names at least this many known columns, one of them the resource's code or name. */
const MIN_KNOWN_HEADERS = 3;
const KEY_HEADERS = ['信息资源代码', '信息资源名称', 'code', 'name'].map(headerKey);
const MARKERS = new Set(NATIONAL_MARKERS.map(headerKey));

/**
 * The layout a row is the header of, or undefined when it is not a header row. National when the
 * row has a column only the national template has (项分类, 是否向社会开放 …); `format` forces one.
 */
export function detectLayout(cells: CellValue[], format?: CatalogFormat): Layout | undefined {
  const layout =
    format === 'xlsx-national'
      ? NATIONAL_LAYOUT
      : format === 'xlsx-minjiang'
        ? MINJIANG_LAYOUT
        : cells.some((cell) => typeof cell === 'string' && MARKERS.has(headerKey(cell)))
          ? NATIONAL_LAYOUT
          : MINJIANG_LAYOUT;
  const known = knownHeaders(layout.columns, cells);
  if (known.size < MIN_KNOWN_HEADERS || !KEY_HEADERS.some((key) => known.has(key))) return undefined;
  return layout;
}

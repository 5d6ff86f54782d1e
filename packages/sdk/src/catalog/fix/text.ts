/**
 * Text transformations behind the fixes. Each does one kind of change and is idempotent:
 * applying it to its own output changes nothing.
 */

/** Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space (U+3000). */
const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/u;
const FULL_WIDTH_ALL = /[\uFF01-\uFF5E\u3000]/gu;

/**
 * Characters between which Chinese puts no space: Han ideographs, CJK symbols and punctuation
 * (、。《》「」…), and full-width forms (（），：).
 */
const WIDE_AT_START = /^[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u;
const WIDE_AT_END = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]$/u;

export function hasFullWidth(text: string): boolean {
  return FULL_WIDTH.test(text);
}

/** Folds full-width ASCII forms to ASCII and the ideographic space to a space. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH_ALL, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** True for null, an empty string or a string of whitespace only: a cell left blank. */
export function isBlank(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Trims a name and tidies its inner whitespace. An ideographic space between two Chinese
 * characters is an input-method slip (Chinese separates no words with spaces) and is removed;
 * any other run of whitespace becomes one space. A single space is left as the author put it:
 * `如 大龄失业人员` and `MySQL 数据库` stay as they are.
 */
export function tidyName(text: string): string {
  return text.trim().replace(/\s+/gu, (run: string, offset: number, whole: string) => {
    if (run === ' ') return run;
    // Two code units each side are enough for a character outside the BMP (Han extension B).
    const before = whole.slice(Math.max(0, offset - 2), offset);
    const after = whole.slice(offset + run.length, offset + run.length + 2);
    return run.includes('\u3000') && WIDE_AT_END.test(before) && WIDE_AT_START.test(after) ? '' : ' ';
  });
}

/** Trims and turns every inner run of whitespace into one space (format types). */
export function collapseSpaces(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}

/** Removes all whitespace: codes never contain any. */
export function removeSpaces(text: string): string {
  return text.replace(/\s+/gu, '');
}

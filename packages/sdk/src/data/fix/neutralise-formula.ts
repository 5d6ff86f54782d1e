/**
 * Spreadsheet safety for values that leave Minjiang in a file people open in Excel or WPS (fix
 * sheets, exports): a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * may run as a formula (`=HYPERLINK(…)`, DDE), the "CSV injection" of OWASP. Prefixing a single
 * quote makes the spreadsheet show it as text.
 *
 * `minjiang data fix` does not use it: a data file goes back to the hub, so it writes the values
 * as they are. Writers of files meant for people (the fix sheet of `feedback pull`) should.
 */

/** The characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Whether a spreadsheet could take `value` as a formula. */
export function isFormulaLike(value: string): boolean {
  return value.length > 0 && FORMULA_START.has(value.charAt(0));
}

/**
 * The value made inert for Excel and WPS: prefixed with a single quote when it starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return; any other value unchanged. A negative number such
 * as `-5` is prefixed too (OWASP's advice): a fix sheet is text for people, not arithmetic.
 */
export function neutraliseFormula(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}

/**
 * Spreadsheet safety of fix-sheet cells, reversibly: a cell that a spreadsheet could take as a
 * formula is prefixed with a single quote (OWASP CSV injection, `neutraliseFormula` of
 * ../fix/), and so is a value that would otherwise read back as such a prefix (`'=x` is written
 * `''=x`). `restoreCell` undoes exactly that, so every value reads back as it was.
 */
import { isFormulaLike } from '../fix/neutralise-formula.js';

function needsQuote(value: string): boolean {
  if (isFormulaLike(value)) return true;
  return value.startsWith("'") && needsQuote(value.slice(1));
}

/** The value made inert for Excel and WPS (and restorable). */
export function protectCell(value: string): string {
  return needsQuote(value) ? `'${value}` : value;
}

/** The value `protectCell` was given; any other text unchanged. */
export function restoreCell(text: string): string {
  return text.startsWith("'") && needsQuote(text.slice(1)) ? text.slice(1) : text;
}

/** Excel's column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

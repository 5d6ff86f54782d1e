/** Fix sheets of problem tickets: write one for people to fill, read the corrections back. */
export {
  writeFixSheet,
  problemLines,
  keyText,
  fixSheetFormatOf,
  type FixSheetFormat,
  type FixSheetSummary,
  type FixSheetWriteOptions,
} from './write.js';
export {
  readFixSheet,
  FixSheetError,
  type ReadFixSheetOptions,
  type FixSheetReading,
  type FixSheetCorrections,
} from './read.js';
export { pullFixSheet, openProblemIds, type PullFixSheetOptions } from './pull.js';
export { protectCell, restoreCell } from './cells.js';
export { FIX_COLUMNS, FIXED_HEADER, FIX_SHEET_NAME } from './columns.js';

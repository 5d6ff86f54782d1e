export { fixDataFile, defaultFixedPath, type DataFixOptions, type DataFixResult } from './fix-data.js';
export { RowFixer, type DataCellChange, type DataFindingCounts, type RowFixerOptions } from './row-fixer.js';
export { neutraliseFormula, isFormulaLike } from './neutralise-formula.js';

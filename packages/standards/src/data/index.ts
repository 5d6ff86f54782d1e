export {
  RowValidator,
  type DataFinding,
  type DataRowInput,
  type RowValidatorOptions,
} from './row-validator.js';
export {
  compileRowSchema,
  RowSchemaError,
  type DataResource,
  type HeaderProblem,
  type RowSchema,
  type SchemaColumn,
} from './row-schema.js';
export type { CellCheck, CellProblem, DataItem, DataLang } from './cell-problem.js';
export { maskValue } from './mask.js';
export { keyHash, KeyRows } from './key-hash.js';

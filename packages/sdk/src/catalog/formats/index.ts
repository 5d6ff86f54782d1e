/**
 * Tabular catalog formats: the Minjiang template (xlsx), the national template (xlsx) and CSV,
 * read with the place of every value, and written back cell by cell.
 */
export { readCatalogXlsx, type XlsxReadOptions } from './xlsx-read.js';
export { writeCatalogXlsx, writeCatalogTemplate } from './xlsx-minjiang.js';
export { writeCatalogNationalXlsx } from './xlsx-national.js';
export { readCatalogCsv, writeCatalogCsv, type CsvCatalogWriteOptions } from './csv-catalog.js';
export { writeBackCells } from './write-back.js';
export type { WorkbookOptions } from './xlsx-write.js';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './xlsx-zip.js';
export { MINJIANG_COLUMNS } from './minjiang-columns.js';
export { NATIONAL_COLUMNS, EXTENSION_COLUMNS } from './national-columns.js';
export type { ColumnChoices, ColumnDef, ColumnScope, ValueKind } from './columns.js';
export { TEMPLATE_EXAMPLE } from './template-guide.js';

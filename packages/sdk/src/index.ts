/**
 * @minjiang/sdk: the typed hub client (coming with the hub) and local engines that work
 * offline: read catalog files and validate them against the province's standards.
 */
export { MinjiangError, FileFormatError } from './core/errors.js';
export { readCatalogFile, type CatalogFile } from './catalog/catalog-file.js';
export { validateCatalog, type CatalogReport, type ResourceReport } from './catalog/validate-catalog.js';

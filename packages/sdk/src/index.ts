/**
 * @minjiang/sdk: the typed hub client and local engines that work offline: read catalog files
 * and validate them against the province's standards.
 */
export { MinjiangError, FileFormatError } from './core/errors.js';
export { readCatalogFile, type CatalogFile } from './catalog/catalog-file.js';
export { validateCatalog, type CatalogReport, type ResourceReport } from './catalog/validate-catalog.js';
export {
  HubClient,
  encodePath,
  SDK_API_VERSION,
  type HubVersion,
  type CatalogListItem,
  type CatalogListQuery,
} from './client/hub-client.js';
export {
  Transport,
  retryDelay,
  type FetchLike,
  type TransportOptions,
  type RequestOptions,
  type HubResponse,
} from './client/transport.js';
export * from './client/errors.js';

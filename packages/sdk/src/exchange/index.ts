/** The consumer side of SES-API r1: signed calls under a grant (docs/exchange-api.md). */
export { ExchangeClient, VERIFY_BATCH, type ExchangeClientOptions, type DownloadOptions } from './client.js';
export {
  signExchangeRequest,
  sesUser,
  uuidV7,
  type ExchangeIdentity,
  type SignableRequest,
} from './signer.js';
export {
  ExchangeError,
  ExchangeBadRequestError,
  ExchangeAuthenticationError,
  ExchangePermissionError,
  ExchangeLimitError,
  ExchangeUnavailableError,
  retryAfterSeconds,
  type ExchangeErrorDetails,
} from './errors.js';
export { PackageKeyError, packagePath } from './download.js';
export type * from './types.js';

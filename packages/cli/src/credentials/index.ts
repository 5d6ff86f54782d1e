/**
 * Credentials and profiles of the `minjiang` CLI: pure logic over the OS keychain and two files
 * in the config directory, no oclif. Commands import this lazily.
 */
export {
  resolveCredentials,
  saveToken,
  deleteToken,
  accountOf,
  type CredentialSource,
  type ResolvedCredentials,
  type ResolveOptions,
  type StoreOptions,
  type TokenTarget,
  type SaveResult,
  type KeychainFallback,
} from './credentials.js';
export {
  listProfiles,
  setProfile,
  readProfiles,
  type Profile,
  type ProfileSettings,
  type ProfilesFile,
} from './profiles.js';
export { configDir, CONFIG_FILE, CREDENTIALS_FILE, type LocationOptions } from './paths.js';
export {
  systemKeychain,
  KeychainUnavailable,
  KEYCHAIN_SERVICE,
  KEYCHAIN_TIMEOUT_MS,
  type Keychain,
  type KeychainFailure,
} from './keychain.js';
export { credentialsPath } from './file-store.js';
export { normalizeHub } from './hub-url.js';

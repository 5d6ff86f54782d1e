/** ses-bag data packages: verify a file offline; building and the pure verifier live in @minjiang/standards. */
export {
  verifyPackageFile,
  pinnedHubKey,
  PACKAGE_MAX_BYTES,
  type VerifyPackageFileOptions,
  type PackageFileVerification,
} from './verify-package-file.js';

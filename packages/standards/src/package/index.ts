/** ses-bag data packages (exchange.md §8.8): build, verify, and the strict zip they travel in. */
export {
  buildPackage,
  PackageBuildError,
  type BuildPackageInput,
  type BuiltPackage,
  type PackageField,
  type PackageTable,
} from './bag.js';
export { verifyPackage, type PackageVerification, type VerifyPackageOptions } from './verify.js';
export type { PackageFailure } from './verify-context.js';
export { packageVerifyMessages, type PackageVerifyCode } from './messages.js';
export { BAG_PAYLOAD_TYPE, bagNameOf } from './bag-text.js';
export { signDsseBytes, openDsseBytes, type TextSigner, type OpenedDsseBytes } from './dsse-bytes.js';
export {
  readZip,
  writeZip,
  checkNames,
  crc32,
  ZipError,
  type ZipEntry,
  type ZipInput,
  type ZipErrorCode,
} from './zip.js';

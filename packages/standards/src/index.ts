/**
 * @minjiang/standards: the province's catalog, demand-application and sharing-exchange
 * standards as versioned JSON Schemas, code tables and rules. Pure: no I/O beyond reading
 * the package's own data files, on first use.
 */
export {
  createAjv,
  Ajv2020,
  type AjvFactoryOptions,
  type ErrorObject,
  type ValidateFunction,
} from './ajv.js';
export {
  SCHEMA_BASE_URI,
  SCHEMA_FILES,
  SCHEMA_NAMES,
  DEFINITION_FILES,
  schemaDocument,
  schemaId,
  allSchemaDocuments,
  type SchemaName,
  type SchemaDocument,
} from './schemas.js';
export { schemaValidator, schemaCheck } from './validators.js';
export { schemaIssues } from './schema-issues.js';
export { normalizeDocument } from './normalize.js';
export {
  validateDocument,
  validateCatalogEntry,
  validateOrganisation,
  validateDemand,
  validateApplication,
  validateOpenApplication,
  validateGrant,
  validateEnvelope,
  validateExchangeError,
  validateProblemRecord,
  validateCorrection,
  validatePackageDescriptor,
  validateAuditLeaf,
  validateAuditCheckpoint,
  validateFeedItem,
  validateFeedPage,
  validateRegistration,
  validateRowPage,
  validateGradingPolicy,
  type DocumentValidateOptions,
} from './validate.js';
export { hasErrors, pointer, type Issue, type Lang, type Severity, type ValidateOptions } from './issues.js';
export { MESSAGES, RULES } from './registry.js';
export type { MessageDef } from './messages/message.js';
export type { Rule, RuleContext } from './rules/rule.js';
export {
  parseResourceCode,
  formatResourceCode,
  resourceCodeProfile,
  RESOURCE_CODE_PROFILES,
  type ResourceCodeProfile,
  type ResourceCodeProfileName,
  type ResourceCodeParts,
  type ParsedResourceCode,
} from './resource-code.js';
export {
  codeTable,
  findCode,
  normalizeCode,
  canonicalValues,
  type CodeTable,
  type CodeEntry,
  type CodeTableSource,
} from './codes/code-table.js';
export { itemNameKey } from './catalog/item-rules.js';
export * from './checks/index.js';
export type * from './generated/types.js';
export { canonicalJson } from './crypto/canonical-json.js';
export { sm3Hex, sm3Digest, chainHash, GENESIS_CHAIN_HASH } from './crypto/sm3.js';
export * from './crypto/audit-chain.js';
export { generateSm2KeyPair, sm2Sign, sm2Verify, type Sm2KeyPair } from './crypto/sm2.js';
export {
  signReceipt,
  verifyReceipt,
  type Receipt,
  type ReceiptPayload,
  type BatchReceiptPayload,
  type SubmissionReceiptPayload,
  type AnyReceiptPayload,
  type BatchReceiptItem,
  type ReceiptSigner,
} from './crypto/receipts.js';
export {
  checkpointSignatureValid,
  type CheckpointSignature,
  type SignedCheckpoint,
  type CheckpointRecord,
} from './crypto/signed-note.js';
export { dssePae, signDsse, openDsse, type DsseEnvelope, type DsseSignature } from './crypto/dsse.js';
export * from './crypto/webhook-signature.js';
export {
  AuditWalker,
  auditFailure,
  type AuditFault,
  type AuditVerification,
  type AuditFailure,
  type AuditWalkEntry,
  type AuditWalkStart,
} from './crypto/audit-walker.js';
export {
  AUDIT_EXPORT_FORMAT,
  parseAuditExport,
  verifyAuditExport,
  type AuditExportHeader,
  type AuditExportEntry,
  type ParsedAuditExport,
} from './crypto/audit-export.js';
export * from './data/index.js';
export * from './exchange/index.js';
export * from './package/index.js';
export * from './grading/index.js';
export * from './cascade/index.js';

import type { Issue, ValidateOptions } from './issues.js';
import { renderFinding } from './messages/message.js';
import { normalizeDocument } from './normalize.js';
import { MESSAGES, RULES } from './registry.js';
import {
  resourceCodeProfile,
  type ResourceCodeProfile,
  type ResourceCodeProfileName,
} from './resource-code.js';
import { chinaDate, type RuleContext } from './rules/rule.js';
import type { SchemaName } from './schemas.js';
import { schemaCheck } from './validators.js';

/** Options of the validate functions. */
export interface DocumentValidateOptions extends ValidateOptions {
  /** The province profile of the resource-code rule; `fujian` unless told otherwise. */
  profile?: ResourceCodeProfileName | ResourceCodeProfile;
}

function ruleContext(options: DocumentValidateOptions): RuleContext {
  return { profile: resourceCodeProfile(options.profile), today: chinaDate(options.now ?? new Date()) };
}

/**
 * Validates a document against a schema and then its cross-field rules. Code-table values are
 * normalised first, so `2` and `有条件共享` are both accepted. Rules run only on a document that
 * passed its schema, because they rely on its shape. Never throws for any input.
 */
export function validateDocument(
  name: SchemaName,
  document: unknown,
  options: DocumentValidateOptions = {},
): Issue[] {
  const lang = options.lang ?? 'zh-CN';
  const normalized = normalizeDocument(name, document);
  const schemaIssues = schemaCheck(name, normalized, options);
  if (schemaIssues.length > 0) return schemaIssues;
  const context = ruleContext(options);
  return (RULES[name] ?? []).flatMap((rule) =>
    rule.check(normalized, context).map((finding) => renderFinding(MESSAGES, finding, lang)),
  );
}

/** Validates one catalog entry (a data resource with its information items). */
export function validateCatalogEntry(entry: unknown, options: DocumentValidateOptions = {}): Issue[] {
  return validateDocument('catalog-resource', entry, options);
}

/** Validates an organisation record. */
export const validateOrganisation = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('organisation', document, options);
/** Validates a data demand (需求). */
export const validateDemand = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('demand', document, options);
/** Validates a sharing application (共享申请). */
export const validateApplication = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('sharing-application', document, options);
/** Validates an open-data application (开放申请). */
export const validateOpenApplication = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('open-application', document, options);
/** Validates a grant (the signed agreement an approval produces). */
export const validateGrant = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('grant', document, options);
/** Validates an exchange response envelope. */
export const validateEnvelope = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('exchange-envelope', document, options);
/** Validates an exchange error body. */
export const validateExchangeError = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('exchange-error', document, options);
/** Validates a problem-data record (问题数据). */
export const validateProblemRecord = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('problem-record', document, options);
/** Validates a correction of a problem-data record. */
export const validateCorrection = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('correction', document, options);
/** Validates a data-package descriptor (datapackage.json of a ses-bag). */
export const validatePackageDescriptor = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('package-descriptor', document, options);
/** Validates an audit-log leaf. */
export const validateAuditLeaf = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('audit-leaf', document, options);
/** Validates an audit-log checkpoint. */
export const validateAuditCheckpoint = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('audit-checkpoint', document, options);
/** Validates a cascade feed item. */
export const validateFeedItem = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('cascade-feed-item', document, options);
/** Validates a cascade feed page's schema (its signature and structure: verifyFeedPage). */
export const validateFeedPage = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('cascade-feed-page', document, options);
/** Validates a node registration request's schema (its signature and claims: verifyRegistration). */
export const validateRegistration = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('cascade-registration', document, options);
/** Validates a return-flow row page's schema (its signature, structure and digests: verifyRowPage). */
export const validateRowPage = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('cascade-row-page', document, options);
/** Validates a grading policy (分级共享开放策略: level → allowed share and open types). */
export const validateGradingPolicy = (document: unknown, options?: DocumentValidateOptions): Issue[] =>
  validateDocument('grading-policy', document, options);

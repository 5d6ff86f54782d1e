/**
 * @minjiang/sdk: the typed hub client and local engines that work offline: read catalog files
 * and validate them against the province's standards.
 */
export { MinjiangError, FileFormatError } from './core/errors.js';
export { readCatalogFile, type CatalogFile } from './catalog/catalog-file.js';
export { validateCatalog, type CatalogReport, type ResourceReport } from './catalog/validate-catalog.js';
export type { CatalogFormat, LoadedCatalog, ReadCatalogOptions, SourceLocation } from './catalog/source.js';
export {
  validateCatalogs,
  reportFails,
  formatLocation,
  type Finding,
  type FailOn,
  type ValidationReport,
} from './catalog/validation-report.js';
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
export { readCatalog, readCatalogs, detectCatalogFormat } from './catalog/read-catalog.js';
export {
  writeCatalog,
  writeBackCatalog,
  writeCatalogTemplate,
  formatForOutput,
} from './catalog/write-catalog.js';
export * from './catalog/fix/index.js';
export * from './catalog/diff/index.js';
export * from './catalog/plan/index.js';
export { verifyAuditExportFile } from './audit/verify-export.js';
export { downloadAuditExport, type AuditExportDownload } from './audit/download-export.js';
export type * from './client/types.js';
export {
  DEFAULT_BATCH_SIZE,
  type BatchOptions,
  type BatchRequestRecord,
  type BatchResult,
  type ReviewOptions,
} from './client/catalog-api.js';
// Offline verification lives in the standards package (pure); re-exported for SDK users.
export {
  verifyReceipt,
  verifyAuditExport,
  type Receipt,
  type ReceiptPayload,
  type BatchReceiptPayload,
  type AuditVerification,
} from '@minjiang/standards';
export { replaceFile, writeFileAtomic, POSIX_MODES } from './core/atomic-file.js';
export {
  readDataRows,
  dataFormatOf,
  type DataFormat,
  type DataRow,
  type DataRowSource,
} from './data/data-rows.js';
export { compileRowSchema, type RowSchema, type DataResource } from '@minjiang/standards';
export {
  validateDataFile,
  validateDataRows,
  type DataFinding,
  type DataValidationOptions,
  type DataValidationReport,
} from './data/validate-data.js';
export * from './data/fix/index.js';
export type { ReadDataOptions } from './data/data-rows.js';
export { DataApi, CHUNK_CONTENT_TYPE, type ChunkUpload, type WriteOptions } from './client/data-api.js';
export type * from './client/data-types.js';
export {
  WebhookApi,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookInput,
  type WebhookDelivery,
  type RegisteredWebhook,
  type WebhookDeliveryStatus,
} from './client/webhook-api.js';
// Receivers verify deliveries with the same pure function the hub signs with.
export {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookVerification,
  type WebhookVerifyInput,
} from '@minjiang/standards';
export * from './data/submit/index.js';
export * from './data/fix-sheet/index.js';
export { SharingApi, type ReasonedMessage } from './client/sharing-api.js';
export type * from './client/sharing-types.js';
export * from './sharing/index.js';
export {
  DemandApi,
  type Demand,
  type DemandAction,
  type DemandHistoryEntry,
  type DemandListQuery,
  type DemandMessage,
  type DemandReasonedMessage,
  type DemandState,
  type DemandUrgency,
  type FulfilBody,
  type NewDemand,
  type RouteBody,
} from './client/demand-api.js';
export { readDemandFile } from './demand/demand-file.js';
export * from './package/index.js';
export * from './exchange/index.js';
export {
  parseReviewFilter,
  describeReviewFilter,
  ReviewFilterError,
  type ReviewFilter,
  type ReviewTargetType,
} from './admin-review-filter.js';
export { bulkReview } from './admin-review.js';
export { findReviewTargets } from './admin-review-targets.js';
export { reviewResources, DEFAULT_REVIEW_BATCH_SIZE } from './admin-review-resources.js';
export type * from './admin-review-items.js';
export {
  fetchAssessment,
  isAssessmentPeriod,
  isAssessmentDate,
  ASSESSMENT_INDICATORS,
  type AssessmentReport,
  type AssessmentQuery,
  type AssessmentIndicator,
  type AssessmentFigures,
  type AssessedOrganisation,
} from './assessment.js';
export {
  writeAssessmentReport,
  assessmentCsv,
  assessmentSheets,
  HEADER_ROW as ASSESSMENT_HEADER_ROW,
  type AssessmentFormat,
  type AssessmentSheet,
} from './assessment-report.js';
export type { ReportLang } from './assessment-columns.js';
export {
  proposeGrades,
  listGradeProposals,
  allGradeProposals,
  getGradeProposal,
  reviewGradeProposal,
  applyGrades,
  gradingConflicts,
  parseGradeReviewFile,
  type GradeProposalView,
  type GradeProposalStatus,
  type GradeProposeQuery,
  type GradeProposeResult,
  type GradeListQuery,
  type GradeDecision,
  type GradeReviewInput,
  type GradeReviewDecision,
  type GradeApplyOutcome,
  type GradeApplyResult,
  type GradeApplyResultKind,
  type GradeConflictReport,
  type GradingCallOptions,
} from './grading.js';
export {
  registerWithParent,
  cascadeParentStatus,
  cascadeChildren,
  cascadeChild,
  decideCascadeChild,
  type CascadeState,
  type CascadeChild,
  type CascadeChildStatus,
  type CascadeParent,
  type CascadeParentStatus,
  type CascadeRegistration,
  type CascadeDecision,
  type CascadeCallOptions,
  type NodeKey,
} from './cascade-registry.js';
export {
  syncCascadeChild,
  federatedEntries,
  type CascadeSyncMode,
  type CascadeSyncSummary,
  type CascadeSyncFailure,
  type CascadeEntry,
} from './cascade-sync.js';
export {
  returnList,
  subscribeReturn,
  revokeReturn,
  syncReturn,
  type ReturnList,
  type ReturnSubscription,
  type ReturnCopy,
  type ReturnPull,
  type ReturnVerification,
  type ReturnSubscribeInput,
} from './cascade-return.js';

/** @minjiang/hub: the reference hub server, runnable as the provincial hub or as a city hub. */
export { app, type AppOptions } from './app.js';
export { createServer, startServer } from './server.js';
export { startScheduler, sweepOnce } from './modules/workflow/scheduler.js';
export { loadConfig, HubConfigError, type HubConfig, type HubRole } from './config.js';
export { openDatabase, type HubDatabase, type Engine } from './db/database.js';
export { migrateToLatest, MigrationError } from './db/migrate.js';
export { HUB_ERRORS, HubError, type HubErrorCode } from './errors.js';
export { ROLES, type Role, type Access } from './roles.js';
export { initialiseHub, platformUscc, memberId, hubOrganisationId, type InitResult } from './bootstrap.js';
export {
  verifyReceipt,
  type Receipt,
  type ReceiptPayload,
  type BatchReceiptPayload,
  type BatchReceiptItem,
} from '@minjiang/standards';
export {
  verifyAuditExport,
  AUDIT_EXPORT_FORMAT,
  type AuditExportHeader,
  type AuditExportEntry,
  type AuditVerification,
  type AuditFault,
} from '@minjiang/standards';
export { appendAudit, type AuditEvent, type AuditEntry, type AuditContext } from './modules/audit/log.js';
export {
  maybeCheckpoint,
  createCheckpoint,
  type AuditCheckpoint,
  type CheckpointRecord,
} from './modules/audit/checkpoints.js';

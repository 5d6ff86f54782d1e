/** Applications as stored, as the API shows them, and who may see them. */
import type { Lang } from '@minjiang/standards';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ApplicationState, ApplicationTable } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { Caller } from '../identity/tokens.js';
import { newestFirstPage } from '../workflow/cursor.js';
import { lockRow, workflowHistory, type WorkflowScope } from '../workflow/events.js';
import { nextStep } from './policy.js';

export type ApplicationRow = Selectable<ApplicationTable>;
type Db = Kysely<Database> | Transaction<Database>;

export type Mode = 'API' | 'PACKAGE' | 'VERIFY';
export interface Period {
  from: string;
  to: string;
}

/** What the applicant asks for (docs/sharing-api.md, the create body without `submit`). */
export interface ApplicationRequest {
  kind: 'sharing' | 'open';
  resourceCode: string;
  items: string[];
  purposeCode: string;
  purpose: string;
  scenario: { class: string; description: string };
  legalBasis: string;
  relatedMatter?: string;
  mode: Mode;
  period: Period;
  expectedVolume?: { perDay: number };
  masking?: { profile: string };
  contact: { name: string; phone: string };
  securityCommitment: { accepted: true; text: string; signedAt?: string };
}

/** One thing wrong with an application or an offer, as a 422 lists them. */
export interface Issue {
  code: string;
  severity: 'error';
  location: string;
  message: string;
}

export interface Quota {
  perDay?: number;
  perSecond?: number;
}

/** The provider's counter-offer; `id` and `digest` are the hub's. */
export interface Offer {
  id: string;
  digest: string;
  items: string[];
  masking: string;
  quota: Quota & { perDay: number };
  period: Period;
  mode: Mode;
  rowFilter?: string;
}

export function requestOf(row: ApplicationRow): ApplicationRequest {
  return JSON.parse(row.request) as ApplicationRequest;
}

export function offerOf(row: ApplicationRow): Offer | undefined {
  return row.offer === null ? undefined : (JSON.parse(row.offer) as Offer);
}

/** Admins and auditors see every application; others those of their organisation, either side. */
export function seesApplication(caller: Caller, row: Pick<ApplicationRow, 'applicant_org' | 'provider_org'>) {
  if (caller.roles.includes('admin') || caller.roles.includes('auditor')) return true;
  return caller.orgId === row.applicant_org || caller.orgId === row.provider_org;
}

export function applicationNotFound(id: string, lang: Lang): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'application' : '共享申请', id });
}

/** An application the caller may see (404 otherwise), locked on PostgreSQL when `forUpdate`. */
export async function findApplication(db: Db, scope: WorkflowScope, id: string, forUpdate = false) {
  const query = db.selectFrom('applications').selectAll().where('id', '=', id);
  const row = await (forUpdate ? lockRow(scope, query) : query).executeTakeFirst();
  if (!row || !seesApplication(scope.caller, row)) throw applicationNotFound(id, scope.lang);
  return row;
}

export function applicationView(row: ApplicationRow) {
  const offer = offerOf(row);
  return {
    id: row.id,
    kind: row.kind,
    resourceCode: row.resource_code,
    resourceVersion: Number(row.resource_version),
    provider: row.provider_org,
    applicant: row.applicant_org,
    shareType: row.share_type,
    state: row.state,
    request: requestOf(row),
    ...(offer ? { offer } : {}),
    ...(row.grant_id !== null ? { grant: row.grant_id } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    final: Number(row.final) === 1,
    ...(row.deadline !== null ? { deadline: row.deadline } : {}),
    ...(row.breached_at !== null ? { breachedAt: row.breached_at } : {}),
    next: nextStep({ ...row, final: Number(row.final) }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function fullView(db: Db, row: ApplicationRow) {
  return { ...applicationView(row), history: await workflowHistory(db, 'application_events', row.id) };
}

export async function readApplication(scope: WorkflowScope, id: string) {
  const { db } = scope.hub.store;
  return fullView(db, await findApplication(db, scope, id));
}

export interface ApplicationQuery {
  as?: 'applicant' | 'provider';
  state?: ApplicationState;
  resource?: string;
  limit: number;
  cursor?: string;
}

/** Newest first; officers and reviewers see their organisation's, as applicant or provider. */
export async function listApplications(scope: WorkflowScope, query: ApplicationQuery) {
  const { caller } = scope;
  const everything = caller.roles.includes('admin') || caller.roles.includes('auditor');
  let select = scope.hub.store.db.selectFrom('applications').selectAll();
  if (query.as === 'applicant') select = select.where('applicant_org', '=', caller.orgId);
  else if (query.as === 'provider') select = select.where('provider_org', '=', caller.orgId);
  else if (!everything)
    select = select.where((eb) =>
      eb.or([eb('applicant_org', '=', caller.orgId), eb('provider_org', '=', caller.orgId)]),
    );
  if (query.state !== undefined) select = select.where('state', '=', query.state);
  if (query.resource !== undefined) select = select.where('resource_code', '=', query.resource);
  return newestFirstPage(select, query, applicationView);
}

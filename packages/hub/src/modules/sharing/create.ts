/** Making an application: checked against the standard and the published resource, then filed. */
import { validateApplication } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import { hubOrganisationId } from '../../bootstrap.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { chinaDay } from '../governance/calendar.js';
import {
  addWorkflowEvent,
  auditStep,
  callerActor,
  workflowId,
  type WorkflowScope,
} from '../workflow/events.js';
import { applicationDocument } from './document.js';
import { fullView, type ApplicationRequest, type ApplicationRow, type Issue } from './records.js';
import {
  publishedResource,
  resolveItems,
  shareTypeOf,
  unshareableItems,
  type PublishedResource,
} from './resource-terms.js';
import { submitDraft } from './transitions.js';

export interface CreateApplicationInput extends Omit<ApplicationRequest, 'kind'> {
  kind?: 'sharing' | 'open';
  submit?: boolean;
}

/** What the hub adds to the standard's checks: real items, not one's own resource, not expired. */
function hubIssues(scope: WorkflowScope, resource: PublishedResource, request: ApplicationRequest): Issue[] {
  const issues: Issue[] = resolveItems(resource, request.items).unknown.map(({ index, name }) => ({
    code: 'APP_ITEM',
    severity: 'error',
    location: `/items/${index}`,
    message: `"${name}" is not an item of ${resource.code} (version ${resource.version})`,
  }));
  if (resource.orgId === scope.caller.orgId)
    issues.push({
      code: 'APP_OWN',
      severity: 'error',
      location: '/resourceCode',
      message: 'an organisation does not apply for its own resource',
    });
  if (request.period.to < chinaDay(scope.now))
    issues.push({
      code: 'APP_PERIOD',
      severity: 'error',
      location: '/period/to',
      message: `period.to ${request.period.to} is in the past`,
    });
  return issues;
}

/** The standard's own checks on the application as it would be filed (schema and APP rules). */
function standardIssues(
  scope: WorkflowScope,
  row: ApplicationRow,
  resource: PublishedResource,
  applicant: { name: string; uscc: string },
): Issue[] {
  const hubOrg = hubOrganisationId(scope.hub.config.hubCode);
  const document = applicationDocument(row, resource, applicant, [], hubOrg);
  return validateApplication(document, { lang: 'en' }).map((issue) => ({
    code: issue.code,
    severity: 'error' as const,
    location: issue.location ?? '',
    message: issue.message,
  }));
}

async function applicantOrg(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('organisations')
    .select(['name', 'uscc'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function draftRow(
  scope: WorkflowScope,
  id: string,
  resource: PublishedResource,
  request: ApplicationRequest,
): ApplicationRow {
  const at = scope.now.toISOString();
  return {
    id,
    kind: request.kind,
    resource_code: resource.code,
    resource_version: resource.version,
    provider_org: resource.orgId,
    applicant_org: scope.caller.orgId,
    share_type: shareTypeOf(resource, request.kind),
    state: 'DRAFT',
    request: JSON.stringify(request),
    offer: null,
    grant_id: null,
    reason: null,
    final: 0,
    deadline: null,
    breached_at: null,
    created_by: scope.caller.tokenId,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Files an application (and submits it unless `submit: false`); answers it with its history.
 * `onFiled` runs in the transaction right after the draft is stored, before it is submitted
 * (cascade routing maps an application of another hub's applicant there).
 */
export async function createApplication(
  scope: WorkflowScope,
  input: CreateApplicationInput,
  onFiled?: (trx: Transaction<Database>, row: ApplicationRow) => Promise<void>,
) {
  const { submit = true, kind = 'sharing', ...fields } = input;
  const { db } = scope.hub.store;
  const row = await db.transaction().execute(async (trx) => {
    const resource = await publishedResource(trx, scope.lang, fields.resourceCode);
    const { resolved, unknown } = resolveItems(resource, fields.items);
    const request: ApplicationRequest = {
      ...fields,
      kind,
      items: unknown.length === 0 ? resolved : fields.items,
    };
    // Item-level 不予共享 bars items of a shareable resource; a resource that is 不予共享 as a
    // whole goes to the 主管部门's coordination instead (rejected at precheck, then escalated).
    const barred =
      shareTypeOf(resource, kind) === 'NONE' ? [] : unshareableItems(resource, kind, request.items);
    if (barred.length > 0)
      throw new HubError('HUB_ERR_ITEM_NOT_SHAREABLE', { items: barred.join('、') }, { items: barred });
    const id = await workflowId(trx, scope, kind === 'open' ? 'oapp' : 'app');
    const draft = draftRow(scope, id, resource, request);
    const issues = [
      ...hubIssues(scope, resource, request),
      ...standardIssues(scope, draft, resource, await applicantOrg(trx, scope.caller.orgId)),
    ];
    if (issues.length > 0)
      throw new HubError('HUB_ERR_APPLICATION_INVALID', { count: issues.length }, { issues });
    await trx.insertInto('applications').values(draft).execute();
    await onFiled?.(trx, draft);
    const actor = callerActor(scope);
    await addWorkflowEvent(trx, 'application_events', id, {
      action: 'create',
      from: null,
      to: 'DRAFT',
      actor,
      at: scope.now,
    });
    await auditStep(
      trx,
      scope,
      actor,
      'app',
      'create',
      id,
      { resource: resource.code, items: request.items.length, mode: request.mode },
      scope.caller.roles,
    );
    if (!submit) return draft;
    return submitDraft({ trx, scope, actor, roles: scope.caller.roles }, draft);
  });
  return fullView(db, row);
}

/**
 * Demands (数据需求): filing one, finding and listing them, and one demand as the standards
 * document demand/demand-1.0. The transitions are in transitions.ts, deadlines in deadlines.ts.
 */
import { validateDemand, type Demand } from '@minjiang/standards';
import type { ExpressionBuilder } from 'kysely';
import type { DemandState } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { hubOrganisationId } from '../../bootstrap.js';
import {
  addWorkflowEvent,
  auditStep,
  callerActor,
  workflowHistory,
  workflowId,
  type WorkflowScope,
} from '../workflow/events.js';
import { newestFirstPage } from '../workflow/cursor.js';
import { checkProvider, findDemand, organisationRef, type Db } from './repository.js';
import { submitStep } from './transitions.js';
import { demandView, type DemandRow, type FiledDemand } from './views.js';

export type CreateInput = Omit<FiledDemand, 'fulfilment'> & { submit?: boolean };

export async function readDemand(scope: WorkflowScope, id: string) {
  const { db } = scope.hub.store;
  const row = await findDemand(db, scope, id);
  return demandView(row, await workflowHistory(db, 'demand_events', id));
}

/** Files a demand (DRAFT), and submits it unless asked not to; audited and notified in one transaction. */
export async function createDemand(scope: WorkflowScope, input: CreateInput) {
  const { submit = true, ...filed } = input;
  const { db } = scope.hub.store;
  const requester = scope.caller.orgId;
  if (filed.expectedProvider !== undefined) await checkProvider(db, requester, filed.expectedProvider);
  const at = scope.now.toISOString();
  const draft: DemandRow = {
    id: '',
    requester_org: requester,
    provider_org: null,
    state: 'DRAFT',
    document: JSON.stringify(filed),
    resource_code: null,
    reason: null,
    deadline: null,
    breached_at: null,
    created_by: scope.caller.tokenId,
    created_at: at,
    updated_at: at,
  };
  await checkFiled(scope, draft);
  const id = await db.transaction().execute(async (trx) => {
    const row = { ...draft, id: await workflowId(trx, scope, 'demand') };
    await trx.insertInto('demands').values(row).execute();
    const actor = callerActor(scope);
    await addWorkflowEvent(trx, 'demand_events', row.id, {
      action: 'create',
      from: null,
      to: 'DRAFT',
      actor,
      at: scope.now,
    });
    await auditStep(trx, scope, actor, 'demand', 'create', row.id, { to: 'DRAFT' }, scope.caller.roles);
    if (submit) await submitStep(trx, scope, row, {});
    return row.id;
  });
  return readDemand(scope, id);
}

/** The standard's rules on what the requester filed (dates, wanted items…); 422 with the issues. */
async function checkFiled(scope: WorkflowScope, draft: DemandRow): Promise<void> {
  const year = draft.created_at.slice(0, 4);
  const document = await standardDocument(
    scope.hub.store.db,
    scope,
    { ...draft, id: `urn:ses:demand:${scope.hub.config.hubCode}:${year}:0` },
    [{ state: 'DRAFT', actor: { org: draft.requester_org }, at: draft.created_at }],
  );
  const filedFields =
    /^\/(subject|description|wantedItems|purpose|legalBasis|scenario|urgency|expectedProvider|expectedDate|contact)\b/;
  const issues = validateDemand(document, { lang: scope.lang, now: scope.now }).filter(
    (issue) => issue.severity === 'error' && filedFields.test(issue.location),
  );
  if (issues.length > 0) throw new HubError('HUB_ERR_VALIDATION', { count: issues.length }, { issues });
}

type HistoryEntry = {
  state: string;
  actor: { org?: string | null; system?: string };
  at: string;
  reason?: string;
};

/** Builds demand-1.0 from a row and its history; the hub's own steps act as `<hub org>/<system>`. */
async function standardDocument(
  db: Db,
  scope: WorkflowScope,
  row: DemandRow,
  history: HistoryEntry[],
): Promise<Demand> {
  const { fulfilment, expectedProvider, ...filed } = JSON.parse(row.document) as FiledDemand;
  const requester = (await organisationRef(db, row.requester_org)) ?? { name: row.requester_org, uscc: '' };
  const provider = expectedProvider !== undefined ? await organisationRef(db, expectedProvider) : null;
  const hubOrg = hubOrganisationId(scope.hub.config.hubCode);
  const shows = row.state === 'FULFILLED' || row.state === 'CLOSED';
  return {
    id: row.id,
    requester,
    ...filed,
    ...(provider ? { expectedProvider: provider } : {}),
    createdAt: row.created_at,
    state: row.state,
    ...(fulfilment && shows ? { fulfilment } : {}),
    ...(row.reason !== null && row.state !== 'WITHDRAWN' && declined(history)
      ? { declineReason: row.reason }
      : {}),
    history: history.map((entry) => ({
      state: entry.state as DemandState,
      actor: entry.actor.system !== undefined ? `${hubOrg}/${entry.actor.system}` : String(entry.actor.org),
      time: entry.at,
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    })),
  } as Demand;
}

function declined(history: HistoryEntry[]): boolean {
  return history.some((entry) => entry.state === 'DECLINED');
}

/** `GET /demands/{id}/document`: checked against the standard before it leaves the hub. */
export async function demandDocument(scope: WorkflowScope, id: string): Promise<Demand> {
  const { db } = scope.hub.store;
  const row = await findDemand(db, scope, id);
  const history = (await workflowHistory(db, 'demand_events', id)).map((entry) => ({
    state: entry.to,
    actor: entry.actor,
    at: entry.at,
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
  }));
  const document = await standardDocument(db, scope, row, history);
  const issues = validateDemand(document, { lang: 'en', now: scope.now }).filter(
    (i) => i.severity === 'error',
  );
  if (issues.length > 0) {
    // A document the hub built that fails the standard is the hub's bug: never hand it out.
    throw new HubError('HUB_ERR_INTERNAL', {}, { issues });
  }
  return document;
}

export interface DemandQuery {
  as?: 'requester' | 'provider';
  state?: DemandState;
  limit: number;
  cursor?: string;
}

export async function listDemands(scope: WorkflowScope, query: DemandQuery) {
  const { caller } = scope;
  const org = caller.orgId;
  let select = scope.hub.store.db.selectFrom('demands').selectAll();
  const claimable = (eb: ExpressionBuilder<Database, 'demands'>) =>
    eb.and([eb('state', '=', 'SUBMITTED'), eb('provider_org', 'is', null), eb('requester_org', '<>', org)]);
  if (query.as === 'requester') select = select.where('requester_org', '=', org);
  else if (query.as === 'provider')
    select = select.where((eb) => eb.or([eb('provider_org', '=', org), claimable(eb)]));
  else if (!caller.roles.includes('admin') && !caller.roles.includes('auditor'))
    select = select.where((eb) =>
      eb.or([eb('requester_org', '=', org), eb('provider_org', '=', org), claimable(eb)]),
    );
  if (query.state !== undefined) select = select.where('state', '=', query.state);
  return newestFirstPage(select, query, (row) => demandView(row));
}

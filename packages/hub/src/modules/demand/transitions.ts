/**
 * The demand state machine (docs/sharing-api.md, "Demands"): who may take each step, from which
 * states, what it changes, and the history entry, audit entry and notifications it writes in
 * the same transaction.
 */
import type { Transaction } from 'kysely';
import type { DemandState } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { workingDeadline } from '../governance/calendar.js';
import { enqueueNotification, type NotificationType } from '../notifications/outbox.js';
import {
  addWorkflowEvent,
  auditStep,
  callerActor,
  checkExpected,
  requireReason,
  seenMessage,
  stateRefusal,
  type WorkflowMessage,
  type WorkflowScope,
} from '../workflow/events.js';
import { checkProvider, findDemand } from './repository.js';
import type { DEMAND_ACTIONS } from './schemas.js';
import { ACTIONS_FROM, nextOf, type DemandRow, type FiledDemand } from './views.js';

export type DemandAction = (typeof DEMAND_ACTIONS)[number];

export interface TransitionInput extends WorkflowMessage {
  provider?: string;
  resourceCode?: string;
  note?: string;
}

/** The states each action starts from. */
const FROM: Record<DemandAction, readonly DemandState[]> = {
  submit: ['DRAFT'],
  route: ['SUBMITTED', 'ROUTED'],
  claim: ['SUBMITTED', 'ROUTED'],
  fulfil: ['ROUTED', 'CLAIMED'],
  decline: ['ROUTED', 'CLAIMED'],
  close: ['FULFILLED', 'DECLINED'],
  withdraw: ['DRAFT', 'SUBMITTED', 'ROUTED', 'CLAIMED'],
};

/** What a step changes. */
interface Step {
  to: DemandState;
  changes: Partial<
    Pick<DemandRow, 'provider_org' | 'document' | 'resource_code' | 'reason' | 'deadline' | 'breached_at'>
  >;
  detail: Record<string, unknown>;
  reason?: string;
}

/**
 * The route's roles are checked before this; here, the organisation: the requester files, closes
 * and withdraws; the provider it was routed to (or that claimed it) claims, fulfils and declines;
 * any other organisation may claim an unrouted demand. Routing is the platform's (admin access).
 */
function assertParty(scope: WorkflowScope, row: DemandRow, action: DemandAction): void {
  const org = scope.caller.orgId;
  const refuse = () => new HubError('HUB_ERR_NOT_PARTY', { id: row.id, org });
  switch (action) {
    case 'submit':
    case 'close':
    case 'withdraw':
      if (row.requester_org !== org) throw refuse();
      return;
    case 'claim':
    case 'fulfil':
    case 'decline':
      if (row.requester_org === org) throw refuse();
      if (row.provider_org !== null && row.provider_org !== org) throw refuse();
      return;
    case 'route':
      return;
  }
}

function deadline(scope: WorkflowScope): string {
  return workingDeadline(scope.now, scope.hub.config.deadlineDays.demand, scope.hub.config.calendar);
}

/** Routing starts the provider's clock afresh; a breach of an earlier routing no longer counts. */
function routeTo(scope: WorkflowScope, provider: string): Step {
  return {
    to: 'ROUTED',
    changes: { provider_org: provider, deadline: deadline(scope), breached_at: null },
    detail: { provider },
  };
}

/** Fulfilment names a resource the provider registered, whatever its status: a new one counts. */
async function fulfilStep(
  trx: Transaction<Database>,
  row: DemandRow,
  input: TransitionInput,
  at: string,
): Promise<Step> {
  const code = String(input.resourceCode);
  const resource = await trx
    .selectFrom('catalog_resources')
    .select('org_id')
    .where('code', '=', code)
    .executeTakeFirst();
  if (!resource || resource.org_id !== row.provider_org)
    throw new HubError('HUB_ERR_DEMAND_RESOURCE', { code, org: String(row.provider_org), id: row.id });
  const note = input.note?.trim() || undefined;
  const fulfilment = { resourceCode: code, ...(note ? { note } : {}), fulfilledAt: at };
  const filed = JSON.parse(row.document) as FiledDemand;
  return {
    to: 'FULFILLED',
    changes: { resource_code: code, document: JSON.stringify({ ...filed, fulfilment }), deadline: null },
    detail: { resourceCode: code, ...(note ? { note } : {}) },
  };
}

async function plan(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  row: DemandRow,
  action: DemandAction,
  input: TransitionInput,
): Promise<Step> {
  switch (action) {
    case 'submit': {
      const { expectedProvider } = JSON.parse(row.document) as FiledDemand;
      return expectedProvider !== undefined
        ? routeTo(scope, expectedProvider)
        : { to: 'SUBMITTED', changes: {}, detail: {} };
    }
    case 'route':
      await checkProvider(trx, row.requester_org, String(input.provider));
      return routeTo(scope, String(input.provider));
    case 'claim': {
      // Claiming a routed demand keeps the clock that routing started; an unrouted one starts it.
      const keep = row.deadline !== null;
      const changes = {
        provider_org: scope.caller.orgId,
        ...(keep ? {} : { deadline: deadline(scope), breached_at: null }),
      };
      return { to: 'CLAIMED', changes, detail: { provider: scope.caller.orgId } };
    }
    case 'fulfil':
      return fulfilStep(trx, row, input, scope.now.toISOString());
    case 'decline':
    case 'withdraw': {
      const reason = requireReason(action, input);
      return {
        to: action === 'decline' ? 'DECLINED' : 'WITHDRAWN',
        changes: { reason, deadline: null },
        detail: {},
        reason,
      };
    }
    case 'close':
      return { to: 'CLOSED', changes: {}, detail: {} };
  }
}

/**
 * The notifications of a step: `action_needed` to whoever must act next (the provider, or the
 * platform), unless it is the organisation that just acted; `decision` to the other party.
 */
async function notify(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  row: DemandRow,
  action: string,
  reason: string | undefined,
): Promise<void> {
  const actorOrg = scope.caller.orgId;
  const next = nextOf(row);
  const base = {
    subject: { kind: 'demand' as const, id: row.id, state: row.state },
    action,
    next:
      next.party === 'nobody' ? null : { role: String(next.role), org: next.org, deadline: next.deadline },
    ...(reason ? { reason } : {}),
  };
  const send = (type: NotificationType, orgs: string[], platform: boolean) =>
    enqueueNotification(trx, scope.hub, { ...base, type, orgs, platform }, scope.now);
  const needed = next.party === 'platform' || (next.party === 'provider' && next.org !== actorOrg);
  if (needed)
    await send(
      'action_needed',
      next.party === 'provider' && next.org ? [next.org] : [],
      next.party === 'platform',
    );
  const told = [row.requester_org, row.provider_org].filter(
    (org): org is string => org !== null && org !== actorOrg && !(needed && org === next.org),
  );
  if (told.length > 0) await send('decision', told, false);
}

/** Writes a step: the row (only if still in the state read), history, notifications, then audit. */
async function apply(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  row: DemandRow,
  action: DemandAction,
  step: Step,
  messageId: string | undefined,
): Promise<void> {
  const at = scope.now.toISOString();
  const moved: DemandRow = { ...row, ...step.changes, state: step.to, updated_at: at };
  await trx
    .updateTable('demands')
    .set({ ...step.changes, state: step.to, updated_at: at })
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .execute();
  const actor = callerActor(scope);
  const { detail, reason } = step;
  await addWorkflowEvent(trx, 'demand_events', row.id, {
    action,
    from: row.state,
    to: step.to,
    actor,
    at: scope.now,
    messageId,
    reason,
    detail,
  });
  await notify(trx, scope, moved, action, reason);
  const audited = { from: row.state, to: step.to, ...detail, ...(reason ? { reason } : {}) };
  await auditStep(trx, scope, actor, 'demand', action, row.id, audited, scope.caller.roles);
}

/** Submits a freshly filed demand inside its creating transaction. */
export async function submitStep(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  row: DemandRow,
  message: WorkflowMessage,
): Promise<void> {
  await apply(trx, scope, row, 'submit', await plan(trx, scope, row, 'submit', message), message.messageId);
}

/**
 * One transition, in one transaction. A message id seen before answers the demand as it is and
 * records nothing; otherwise the party, the expected state, the action's states and its reason
 * are checked, in that order.
 */
export async function transition(
  scope: WorkflowScope,
  id: string,
  action: DemandAction,
  input: TransitionInput,
): Promise<void> {
  await scope.hub.store.db.transaction().execute(async (trx) => {
    // Any organisation finds the demand here: a stranger's step is refused as NOT_PARTY (403).
    const row = await findDemand(trx, scope, id, { forUpdate: true, anyOrg: true });
    if (await seenMessage(trx, 'demand_events', id, input.messageId)) return;
    assertParty(scope, row, action);
    const allowed = ACTIONS_FROM[row.state];
    checkExpected(id, row.state, action, input, allowed);
    if (!FROM[action].includes(row.state)) throw stateRefusal(id, row.state, action, allowed);
    await apply(trx, scope, row, action, await plan(trx, scope, row, action, input), input.messageId);
  });
}

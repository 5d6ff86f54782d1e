/**
 * The steps of an application (docs/sharing-api.md): each checks the state and the caller's
 * party, is idempotent on its message id, and runs in one transaction with its history, audit
 * entry and notifications. Silence never approves: only these steps and the deadline sweep move
 * an application.
 */
import { HubError } from '../../errors.js';
import {
  callerActor,
  checkExpected,
  requireReason,
  seenMessage,
  stateRefusal,
  type WorkflowMessage,
  type WorkflowScope,
} from '../workflow/events.js';
import { issueGrant, setGrantStatus, type GrantTerms } from './grants.js';
import { buildOffer, type OfferInput } from './offers.js';
import { allowedActions, NEEDS_REASON, stepParty, type ApplicationAction, type Party } from './policy.js';
import { findApplication, fullView, offerOf, requestOf, type ApplicationRow, type Quota } from './records.js';
import { parseRowFilter, publishedResource } from './resource-terms.js';
import { move, type StepContext } from './steps.js';

/** The body of a step: the message fields, and what approve, offer and accept carry. */
export interface StepInput extends WorkflowMessage, Partial<OfferInput> {
  offerId?: string;
  offerDigest?: string;
  quota?: Quota;
}

interface Step {
  context: StepContext;
  scope: WorkflowScope;
  row: ApplicationRow;
  party: Party;
  input: StepInput;
  reason: string | null;
}

const NOT_SHAREABLE_REASON =
  '该资源为不予共享（不予开放）资源，平台不能直接批准；申请方可提请主管部门协调（escalate）。';

/** DRAFT → SUBMITTED → PRECHECK, or → REJECTED at once for a 不予共享 resource. */
export async function submitDraft(context: StepContext, row: ApplicationRow, messageId?: string) {
  const submitted = await move(context, row, { action: 'submit', to: 'SUBMITTED', messageId });
  const system = { ...context, actor: { system: 'precheck' }, roles: [] };
  const taken = await move(system, submitted, { action: 'take_up', to: 'PRECHECK' });
  if (row.share_type !== 'NONE') return taken;
  return move(system, taken, { action: 'reject', to: 'REJECTED', reason: NOT_SHAREABLE_REASON });
}

async function approvedTerms(step: Step): Promise<GrantTerms> {
  const { row, input, scope } = step;
  const request = requestOf(row);
  const resource = await publishedResource(
    step.context.trx,
    scope.lang,
    row.resource_code,
    Number(row.resource_version),
  );
  if (input.rowFilter !== undefined) parseRowFilter(resource, input.rowFilter);
  const perDay = input.quota?.perDay ?? request.expectedVolume?.perDay;
  const terms: GrantTerms = {
    items: request.items,
    mode: request.mode,
    masking: input.masking ?? request.masking?.profile ?? 'MP-STD-01',
    quota: {
      ...(perDay !== undefined ? { perDay } : {}),
      ...(input.quota?.perSecond !== undefined ? { perSecond: input.quota.perSecond } : {}),
    },
    period: request.period,
    ...(input.rowFilter !== undefined ? { rowFilter: input.rowFilter } : {}),
  };
  return terms;
}

/** Issues the grant for the terms and moves the application to APPROVED. */
async function grantAndApprove(step: Step, terms: GrantTerms, context = step.context, messageId?: string) {
  const { row, scope } = step;
  const resource = await publishedResource(
    context.trx,
    scope.lang,
    row.resource_code,
    Number(row.resource_version),
  );
  const grant = await issueGrant(context.trx, scope, row, resource, terms);
  const detail = { grant, items: terms.items, mode: terms.mode, masking: terms.masking };
  return move(context, row, {
    action: 'approve',
    to: 'APPROVED',
    messageId,
    reason: step.reason,
    changes: { grant_id: grant },
    detail,
  });
}

async function approve(step: Step) {
  const { row, input, context } = step;
  if (row.state === 'PRECHECK' && row.share_type === 'CONDITIONAL')
    return move(context, row, {
      action: 'approve',
      to: 'PROVIDER_REVIEW',
      messageId: input.messageId,
      reason: step.reason,
    });
  return grantAndApprove(step, await approvedTerms(step), context, input.messageId);
}

async function offer(step: Step) {
  const { row, input, context, scope } = step;
  const resource = await publishedResource(
    context.trx,
    scope.lang,
    row.resource_code,
    Number(row.resource_version),
  );
  const made = buildOffer(row, resource, input);
  const detail = { offer: made.id, digest: made.digest, items: made.items };
  return move(context, row, {
    action: 'offer',
    to: 'OFFERED',
    messageId: input.messageId,
    reason: step.reason,
    changes: { offer: JSON.stringify(made) },
    detail,
  });
}

async function accept(step: Step) {
  const { row, input, context } = step;
  const current = offerOf(row);
  if (!current || input.offerId !== current.id || input.offerDigest !== current.digest)
    throw new HubError('HUB_ERR_CONFLICT', {
      detail: `accept must echo the current offer: id ${current?.id ?? '-'}, digest ${current?.digest ?? '-'}`,
    });
  const accepted = await move(context, row, {
    action: 'accept',
    to: 'ACCEPTED',
    messageId: input.messageId,
    detail: { offer: current.id },
  });
  const { digest, items, masking, quota, period, mode, rowFilter } = current;
  const terms = { items, masking, quota, period, mode, rowFilter };
  const system = { ...context, actor: { system: 'hub' }, roles: [] };
  return grantAndApprove({ ...step, row: accepted, reason: null }, { ...terms, offerDigest: digest }, system);
}

const GRANT_STATUS = { suspend: 'suspended', resume: 'active', revoke: 'revoked' } as const;
const TARGET = {
  reject: 'REJECTED',
  escalate: 'ESCALATED',
  withdraw: 'WITHDRAWN',
  suspend: 'SUSPENDED',
  resume: 'ACTIVE',
  revoke: 'REVOKED',
} as const;

async function plainStep(step: Step, action: keyof typeof TARGET) {
  const { row, input, context, scope } = step;
  const changes = action === 'reject' && row.state === 'ESCALATED' ? { final: 1 } : {};
  if (action in GRANT_STATUS)
    await setGrantStatus(
      context.trx,
      row.grant_id,
      GRANT_STATUS[action as keyof typeof GRANT_STATUS],
      scope.now,
    );
  return move(context, row, {
    action,
    to: TARGET[action],
    messageId: input.messageId,
    reason: step.reason,
    changes,
  });
}

async function runStep(step: Step, action: ApplicationAction): Promise<ApplicationRow> {
  switch (action) {
    case 'submit':
      return submitDraft(step.context, step.row, step.input.messageId);
    case 'approve':
      return approve(step);
    case 'offer':
      return offer(step);
    case 'accept':
      return accept(step);
    default:
      return plainStep(step, action);
  }
}

/** Takes one step for the caller; a repeated message id answers the application unchanged. */
export async function act(scope: WorkflowScope, id: string, action: ApplicationAction, input: StepInput) {
  const { db } = scope.hub.store;
  const row = await db.transaction().execute(async (trx) => {
    const current = await findApplication(trx, scope, id, true);
    if (await seenMessage(trx, 'application_events', id, input.messageId)) return current;
    const allowed = allowedActions({ ...current, final: Number(current.final) });
    checkExpected(id, current.state, action, input, allowed);
    const party = stepParty(scope.caller, { ...current, final: Number(current.final) }, action);
    if (party === 'state') throw stateRefusal(id, current.state, action, allowed);
    if (party === 'party') throw new HubError('HUB_ERR_NOT_PARTY', { id, org: scope.caller.orgId });
    const reason = NEEDS_REASON.has(action) ? requireReason(action, input) : input.reason?.trim() || null;
    const context = { trx, scope, actor: callerActor(scope), roles: scope.caller.roles };
    return runStep({ context, scope, row: current, party, input, reason }, action);
  });
  return fullView(db, row);
}

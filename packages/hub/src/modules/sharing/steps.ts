/**
 * One step of an application: the new state and deadline, the history entry, the audit entry
 * and the notifications, all in the caller's transaction.
 */
import type { Transaction } from 'kysely';
import type { ApplicationState } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import { announceStep } from '../cascade/routing-events.js';
import { workingDeadline } from '../governance/calendar.js';
import { enqueueNotification, type NotificationType } from '../notifications/outbox.js';
import { addWorkflowEvent, auditStep, type Actor, type WorkflowScope } from '../workflow/events.js';
import { nextStep } from './policy.js';
import type { ApplicationRow } from './records.js';

/** Which deadline (config `deadlineDays`) starts when an application enters a state. */
const DEADLINE: Partial<Record<ApplicationState, 'precheck' | 'providerReview' | 'offer' | 'escalation'>> = {
  PRECHECK: 'precheck',
  PROVIDER_REVIEW: 'providerReview',
  OFFERED: 'offer',
  ESCALATED: 'escalation',
};

export interface StepContext {
  trx: Transaction<Database>;
  scope: Pick<WorkflowScope, 'hub' | 'now'>;
  actor: Actor;
  roles: string[];
}

export interface Move {
  action: string;
  to: ApplicationState;
  reason?: string | null | undefined;
  messageId?: string | undefined;
  /** Other columns the step sets (offer, grant, final). */
  changes?: Partial<Pick<ApplicationRow, 'offer' | 'grant_id' | 'final' | 'reason' | 'breached_at'>>;
  detail?: Record<string, unknown>;
}

/** Applies a move: state, deadline of the new state, history, audit, notifications. */
export async function move(context: StepContext, row: ApplicationRow, step: Move): Promise<ApplicationRow> {
  const { trx, scope, actor } = context;
  const days = DEADLINE[step.to];
  const config = scope.hub.config;
  const moved: ApplicationRow = {
    ...row,
    state: step.to,
    deadline: days ? workingDeadline(scope.now, config.deadlineDays[days], config.calendar) : null,
    breached_at: null,
    ...(step.reason ? { reason: step.reason } : {}),
    ...step.changes,
    updated_at: scope.now.toISOString(),
  };
  const { id, state, deadline, breached_at, reason, offer, grant_id, final, updated_at } = moved;
  await trx
    .updateTable('applications')
    .set({ state, deadline, breached_at, reason, offer, grant_id, final, updated_at })
    .where('id', '=', id)
    .execute();
  await addWorkflowEvent(trx, 'application_events', id, {
    action: step.action,
    from: row.state,
    to: step.to,
    actor,
    at: scope.now,
    messageId: step.messageId,
    reason: step.reason,
    detail: step.detail,
  });
  const detail = { from: row.state, to: step.to, resource: row.resource_code, ...step.detail };
  await auditStep(
    trx,
    scope,
    actor,
    'app',
    step.action,
    id,
    step.reason ? { ...detail, reason: step.reason } : detail,
    context.roles,
  );
  await notifyStep(context, moved, step.action, 'decision', step.reason);
  // An application of another hub's applicant: the step goes back to that hub (cascade routing).
  await announceStep(trx, scope, moved, step.action);
  return moved;
}

/**
 * Tells both organisations (and the platform when it is involved) what happened, and whoever
 * must act next that it is their turn.
 */
export async function notifyStep(
  context: StepContext,
  row: ApplicationRow,
  action: string,
  type: NotificationType,
  reason?: string | null,
): Promise<void> {
  const next = nextStep({ ...row, final: Number(row.final) });
  const subject = { kind: 'application' as const, id: row.id, state: row.state };
  const base = {
    subject,
    action,
    next: next.party === 'nobody' ? null : next,
    ...(reason ? { reason } : {}),
  };
  const { trx, scope } = context;
  await enqueueNotification(
    trx,
    scope.hub,
    { ...base, type, orgs: [row.applicant_org, row.provider_org], platform: type !== 'decision' },
    scope.now,
  );
  if (type === 'decision' && next.party !== 'nobody' && next.deadline !== null)
    await enqueueNotification(
      trx,
      scope.hub,
      {
        ...base,
        type: 'action_needed',
        orgs: next.org ? [next.org] : [],
        platform: next.party === 'platform',
      },
      scope.now,
    );
}

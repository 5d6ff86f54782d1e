/**
 * What demands and applications share: numbered URNs, a history table per workflow with
 * idempotent messages, the audit entry of each step, and the refusals every step can give.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { appendAudit } from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import { takeNumbers } from '../governance/problems.js';
import type { GovernanceScope } from '../governance/tickets.js';

/** The request a workflow step runs for: the hub, the caller, the clock and the language. */
export type WorkflowScope = GovernanceScope;

export type EventTable = 'application_events' | 'demand_events';

/** Who acted: a token of an organisation, or the hub itself (`system:<name>`). */
export type Actor = { org: string; token: string } | { system: string };

/** The fields every transition message may carry (docs/sharing-api.md). */
export interface WorkflowMessage {
  messageId?: string;
  expectedState?: string;
  reason?: string;
}

/** `urn:ses:<kind>:<hub>:<China year>:<n>`, numbered without gaps per kind and year. */
export async function workflowId(
  trx: Transaction<Database>,
  scope: WorkflowScope,
  kind: 'app' | 'oapp' | 'demand' | 'grant',
): Promise<string> {
  const year = chinaDay(scope.now).slice(0, 4);
  const n = await takeNumbers(trx, `${kind}:${year}`, 1);
  return `urn:ses:${kind}:${scope.hub.config.hubCode}:${year}:${n}`;
}

export function callerActor(scope: WorkflowScope): Actor {
  return { org: scope.caller.orgId, token: scope.caller.tokenId };
}

/** Whether this message id was already taken for this subject (a retry: answer, record nothing). */
export async function seenMessage(
  trx: Transaction<Database>,
  table: EventTable,
  subject: string,
  messageId: string | undefined,
): Promise<boolean> {
  if (messageId === undefined) return false;
  const row = await trx
    .selectFrom(table)
    .select('seq')
    .where('subject_id', '=', subject)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Appends one history entry after the subject's last. */
export async function addWorkflowEvent(
  trx: Transaction<Database>,
  table: EventTable,
  subject: string,
  event: {
    action: string;
    from: string | null;
    to: string;
    actor: Actor;
    at: Date;
    messageId?: string | undefined;
    reason?: string | null | undefined;
    detail?: Record<string, unknown> | undefined;
  },
): Promise<void> {
  const last = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('subject_id', '=', subject)
    .executeTakeFirst();
  await trx
    .insertInto(table)
    .values({
      subject_id: subject,
      seq: Number(last?.seq ?? 0) + 1,
      message_id: event.messageId ?? null,
      action: event.action,
      from_state: event.from,
      to_state: event.to,
      actor_org: 'org' in event.actor ? event.actor.org : null,
      actor: 'org' in event.actor ? event.actor.token : `system:${event.actor.system}`,
      reason: event.reason ?? null,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      at: event.at.toISOString(),
    })
    .execute();
}

/** The history as the API shows it, oldest first. */
export async function workflowHistory(
  db: Transaction<Database> | GovernanceScope['hub']['store']['db'],
  table: EventTable,
  subject: string,
) {
  const rows = await db
    .selectFrom(table)
    .selectAll()
    .where('subject_id', '=', subject)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    action: row.action,
    from: row.from_state,
    to: row.to_state,
    actor: row.actor.startsWith('system:')
      ? { system: row.actor.slice(7) }
      : { org: row.actor_org, token: row.actor },
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.detail !== null ? { detail: JSON.parse(row.detail) as Record<string, unknown> } : {}),
    at: row.at,
  }));
}

/** One audit entry of a step (`app.<action>`, `demand.<action>`, `grant.<action>`), in its transaction. */
export async function auditStep(
  trx: Transaction<Database>,
  scope: Pick<WorkflowScope, 'hub' | 'now'>,
  actor: Actor,
  family: 'app' | 'demand' | 'grant',
  action: string,
  object: string,
  detail: Record<string, unknown>,
  roles: string[] = [],
): Promise<void> {
  await appendAudit(
    trx,
    { hubCode: scope.hub.config.hubCode, engine: scope.hub.store.engine, now: scope.now },
    [
      {
        type: family,
        action,
        actor: 'org' in actor ? { tokenId: actor.token, orgId: actor.org, roles } : { system: actor.system },
        object,
        result: 'success',
        detail,
      },
    ],
  );
}

/** 409: the step is not possible from the current state. */
export function stateRefusal(
  id: string,
  state: string,
  action: string,
  allowed: readonly string[],
): HubError {
  return new HubError(
    'HUB_ERR_WORKFLOW_STATE',
    { id, state, action, allowed: allowed.join(', ') || '-' },
    { currentState: state, allowed },
  );
}

/** 409 when the client expected another state than the current one. */
export function checkExpected(
  id: string,
  state: string,
  action: string,
  message: WorkflowMessage,
  allowed: readonly string[],
): void {
  if (message.expectedState !== undefined && message.expectedState !== state)
    throw stateRefusal(id, state, action, allowed);
}

/** 422 unless the message gives a non-blank reason; answers the trimmed reason. */
export function requireReason(action: string, message: WorkflowMessage): string {
  const reason = message.reason?.trim();
  if (!reason) throw new HubError('HUB_ERR_REASON_REQUIRED', { action });
  return reason;
}

/** Row lock on PostgreSQL for a read-then-write step (SQLite's write lock serialises anyway). */
export function lockRow<Q extends { forUpdate(): Q }>(scope: WorkflowScope, query: Q): Q {
  return scope.hub.store.engine === 'postgres' ? query.forUpdate() : query;
}

/**
 * The consumer's own steps on a routed application at its hub (docs/cascade-routing.md
 * "Applicant actions and credentials"): accept, withdraw and escalate go to the owner hub, which
 * applies them as the applicant's; credentials of the owner's grant are SM2 public keys only (an
 * HMAC secret never travels between hubs), stored by the owner under the app key chosen here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { credentialView, type CredentialRequest } from '../sharing/credentials.js';
import type { ApplicationAction } from '../sharing/policy.js';
import type { StepInput } from '../sharing/transitions.js';
import type { WorkflowScope } from '../workflow/events.js';
import { auditRouting } from './routing-audit.js';
import { mirrorEvent, type RoutedEvent } from './routing-events.js';
import { findRouted, refusalError, routedView, subjectPath, type RoutedRow } from './routing-origin.js';
import { deliverMessage, enqueueMessage, type OutboxMessage } from './routing-outbox.js';

const APPLICANT_ACTIONS: ReadonlySet<ApplicationAction> = new Set(['accept', 'withdraw', 'escalate']);
const SM2_PUBLIC_KEY = /^04[0-9a-fA-F]{128}$/;

async function reread(scope: WorkflowScope, id: string): Promise<RoutedRow> {
  return scope.hub.store.db
    .selectFrom('cascade_routed_applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Queues a message about a routed application with its audit entry, then tries it once now. */
async function forward(
  scope: WorkflowScope,
  row: RoutedRow,
  message: OutboxMessage,
  detail: object,
  alsoInTransaction?: (trx: Transaction<Database>) => Promise<unknown>,
) {
  const { hub } = scope;
  await hub.store.db.transaction().execute(async (trx) => {
    await alsoInTransaction?.(trx);
    await enqueueMessage(trx, message, scope.now);
    await auditRouting(trx, hub, scope.now, 'forwarded', row.id, {
      messageId: message.messageId,
      kind: message.kind,
      to: row.next_hop,
      ...detail,
    });
  });
  return deliverMessage(hub, message.messageId);
}

/**
 * A step on a routed application, or undefined when `id` is not one (the local step runs).
 * Answers the mirrored application: with the owner's answer when it came at once, else as it
 * was, the step queued (`routed.pending`).
 */
export async function routedStep(
  scope: WorkflowScope,
  id: string,
  action: ApplicationAction,
  input: StepInput,
) {
  const { db } = scope.hub.store;
  const row = await findRouted(db, scope, id);
  if (!row) return undefined;
  if (
    !APPLICANT_ACTIONS.has(action) ||
    !scope.caller.roles.includes('officer') ||
    scope.caller.orgId !== row.applicant_org
  )
    throw new HubError('HUB_ERR_NOT_PARTY', { id, org: scope.caller.orgId });
  if (row.remote === null)
    throw new HubError(
      'HUB_ERR_WORKFLOW_STATE',
      { id, state: row.state, action, allowed: '-' },
      { currentState: row.state, allowed: [] },
    );
  const messageId = `act-${input.messageId ?? randomUUID()}`.slice(0, 80);
  const body = { messageId, originId: id, action, input };
  const message: OutboxMessage = {
    messageId,
    kind: 'action',
    target: row.next_hop,
    path: subjectPath(id, 'actions'),
    body,
    subject: id,
  };
  const delivery = await forward(scope, row, message, { action });
  if (delivery?.outcome === 'refused')
    throw refusalError(scope, row.next_hop, delivery, row.resource_code, id);
  if (delivery?.outcome === 'delivered') {
    const answer = delivery.answer.body as Partial<RoutedEvent> | null;
    if (answer?.application)
      await db
        .transaction()
        .execute((trx) =>
          mirrorEvent(trx, scope.hub, row, { ...answer, messageId, originId: id }, scope.now),
        );
  }
  const view = routedView(await reread(scope, id));
  return delivery?.outcome === 'pending' ? { ...view, routed: { ...view.routed, pending: [action] } } : view;
}

/** The routed application whose grant this is, for the caller (undefined: not a routed grant). */
async function routedGrantRow(scope: WorkflowScope, grantId: string) {
  const row = await scope.hub.store.db
    .selectFrom('cascade_routed_applications')
    .selectAll()
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
  if (!row) return undefined;
  return findRouted(scope.hub.store.db, scope, row.id);
}

/** The owner's grant as it came with the events (its signed envelope verifies with the owner's key). */
export async function routedGrant(scope: WorkflowScope, grantId: string) {
  const row = await routedGrantRow(scope, grantId);
  return row?.grant_view ? (JSON.parse(row.grant_view) as Record<string, unknown>) : undefined;
}

function assertApplicantOfficer(scope: WorkflowScope, row: RoutedRow, grantId: string): void {
  if (!scope.caller.roles.includes('officer') || scope.caller.orgId !== row.applicant_org)
    throw new HubError('HUB_ERR_NOT_PARTY', { id: grantId, org: scope.caller.orgId });
}

/** The SM2 key of a request for a routed grant's credential, after the checks a local one gets. */
async function checkedKey(scope: WorkflowScope, row: RoutedRow, grantId: string, request: CredentialRequest) {
  assertApplicantOfficer(scope, row, grantId);
  if (request.publicKey === undefined) throw new HubError('HUB_ERR_CASCADE_ROUTED_HMAC', { grant: grantId });
  if (!SM2_PUBLIC_KEY.test(request.publicKey))
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: 'publicKey is an uncompressed SM2 key: 04 + 128 hex digits',
    });
  const status = (JSON.parse(row.grant_view ?? '{}') as { status?: string }).status ?? '-';
  if (status !== 'active') throw new HubError('HUB_ERR_GRANT_INACTIVE', { grant: grantId, status });
  const active = await scope.hub.store.db
    .selectFrom('cascade_routed_credentials')
    .select('app_key')
    .where('grant_id', '=', grantId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (active && request.rotate !== true)
    throw new HubError('HUB_ERR_CREDENTIAL_EXISTS', { grant: grantId, appKey: active.app_key });
  return request.publicKey.toLowerCase();
}

function credentialMessage(
  row: RoutedRow,
  body: { messageId: string; [key: string]: unknown },
): OutboxMessage {
  const path = subjectPath(row.id, 'credentials');
  return { messageId: body.messageId, kind: 'credential', target: row.next_hop, path, body, subject: row.id };
}

/**
 * Registers an SM2 public key for a routed grant at the owner hub; undefined when the grant is not
 * routed. The credential is kept here in the transaction that queues its message; a refusal that
 * comes back at once revokes it here again.
 */
export async function issueRoutedCredential(
  scope: WorkflowScope,
  grantId: string,
  request: CredentialRequest,
) {
  const row = await routedGrantRow(scope, grantId);
  if (!row) return undefined;
  const publicKey = await checkedKey(scope, row, grantId, request);
  const appKey = `ak_${randomBytes(10).toString('hex')}`;
  const at = scope.now.toISOString();
  const rotate = request.rotate === true;
  const body = { messageId: `crd-${appKey}`, originId: row.id, op: 'issue', appKey, publicKey, rotate };
  const store = async (trx: Transaction<Database>) => {
    if (rotate)
      await trx
        .updateTable('cascade_routed_credentials')
        .set({ status: 'revoked', revoked_at: at })
        .where('grant_id', '=', grantId)
        .where('status', '=', 'active')
        .execute();
    const created = { created_by: scope.caller.tokenId, created_at: at, revoked_at: null };
    const values = { app_key: appKey, grant_id: grantId, application_id: row.id, status: 'active' as const };
    await trx
      .insertInto('cascade_routed_credentials')
      .values({ ...values, ...created })
      .execute();
  };
  const delivery = await forward(scope, row, credentialMessage(row, body), { op: 'issue', appKey }, store);
  if (delivery?.outcome === 'refused') {
    await scope.hub.store.db
      .updateTable('cascade_routed_credentials')
      .set({ status: 'revoked', revoked_at: at })
      .where('app_key', '=', appKey)
      .execute();
    throw refusalError(scope, row.next_hop, delivery, row.resource_code, row.id);
  }
  return { appKey, alg: 'sm2-sm3' as const, grant: grantId, createdAt: at };
}

export async function listRoutedCredentials(scope: WorkflowScope, grantId: string) {
  const row = await routedGrantRow(scope, grantId);
  if (!row) return undefined;
  const rows = await scope.hub.store.db
    .selectFrom('cascade_routed_credentials')
    .selectAll()
    .where('grant_id', '=', grantId)
    .orderBy('created_at', 'desc')
    .execute();
  return { items: rows.map(credentialView) };
}

/** Revokes here and at the owner hub (queued when it is down). */
export async function revokeRoutedCredential(scope: WorkflowScope, grantId: string, appKey: string) {
  const row = await routedGrantRow(scope, grantId);
  if (!row) return undefined;
  assertApplicantOfficer(scope, row, grantId);
  const { db } = scope.hub.store;
  const held = await db
    .selectFrom('cascade_routed_credentials')
    .selectAll()
    .where('app_key', '=', appKey)
    .where('grant_id', '=', grantId)
    .executeTakeFirst();
  if (!held)
    throw new HubError('HUB_ERR_NOT_FOUND', {
      what: scope.lang === 'en' ? 'credential' : '凭证',
      id: appKey,
    });
  if (held.status === 'active') {
    const at = scope.now.toISOString();
    const body = { messageId: `crv-${appKey}`, originId: row.id, op: 'revoke', appKey };
    const message = credentialMessage(row, body);
    await forward(scope, row, message, { op: 'revoke', appKey }, (trx) =>
      trx
        .updateTable('cascade_routed_credentials')
        .set({ status: 'revoked', revoked_at: at })
        .where('app_key', '=', appKey)
        .execute(),
    );
    return credentialView({ ...held, status: 'revoked', revoked_at: at });
  }
  return credentialView(held);
}

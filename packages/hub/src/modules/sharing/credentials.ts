/**
 * Credentials of a grant: an app key and a secret for the consumer's systems (issue 7 signs
 * calls with them). The secret is shown once; the hub keeps it sealed, since HMAC verification
 * needs the secret itself. The first credential activates an approved application.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { auditStep, callerActor, lockRow, type WorkflowScope } from '../workflow/events.js';
import { findApplication } from './records.js';
import { move } from './steps.js';

/** A grant the caller may see: its assignee's and assigner's organisations, admins, auditors. */
export async function findGrant(
  db: Transaction<Database> | WorkflowScope['hub']['store']['db'],
  scope: WorkflowScope,
  id: string,
) {
  const row = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
  const { caller } = scope;
  const sees =
    row &&
    (caller.roles.includes('admin') ||
      caller.roles.includes('auditor') ||
      caller.orgId === row.assignee_org ||
      caller.orgId === row.assigner_org);
  if (!row || !sees)
    throw new HubError('HUB_ERR_NOT_FOUND', { what: scope.lang === 'en' ? 'grant' : '授权', id });
  return row;
}

export function credentialView(row: {
  app_key: string;
  status: string;
  created_at: string;
  revoked_at: string | null;
}) {
  return {
    appKey: row.app_key,
    status: row.status,
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}

/** Only the assignee's officer handles its credentials. */
function assertAssignee(scope: WorkflowScope, grant: { id: string; assignee_org: string }): void {
  if (!scope.caller.roles.includes('officer') || scope.caller.orgId !== grant.assignee_org)
    throw new HubError('HUB_ERR_NOT_PARTY', { id: grant.id, org: scope.caller.orgId });
}

async function revokeActive(trx: Transaction<Database>, grantId: string, at: string, appKey?: string) {
  let update = trx
    .updateTable('grant_credentials')
    .set({ status: 'revoked', revoked_at: at })
    .where('grant_id', '=', grantId)
    .where('status', '=', 'active');
  if (appKey !== undefined) update = update.where('app_key', '=', appKey);
  return Number((await update.executeTakeFirst()).numUpdatedRows);
}

/** Issues a credential (rotating the active one when asked); activates an approved application. */
/** What an assignee asks for: a new HMAC secret, or the SM2 public key its systems sign with. */
export interface CredentialRequest {
  rotate?: boolean;
  /** Uncompressed SM2 public key (hex, `04…`): calls are then signed `sm2-sm3` with its private key. */
  publicKey?: string;
}

const SM2_PUBLIC_KEY = /^04[0-9a-fA-F]{128}$/;

/**
 * A new credential: an HMAC secret (sealed, shown once) or an SM2 public key (kept as
 * `sm2:<hex>`; nothing secret is shown, the client holds the private key).
 */
function newCredential(scope: WorkflowScope, publicKey: string | undefined, chosenKey?: string) {
  const appKey = chosenKey ?? `ak_${randomBytes(10).toString('hex')}`;
  if (publicKey !== undefined) {
    if (!SM2_PUBLIC_KEY.test(publicKey))
      throw new HubError('HUB_ERR_BAD_REQUEST', {
        detail: 'publicKey is an uncompressed SM2 key: 04 + 128 hex digits',
      });
    return { appKey, stored: `sm2:${publicKey.toLowerCase()}`, shown: { alg: 'sm2-sm3' as const } };
  }
  const secret = randomBytes(32).toString('base64url');
  return { appKey, stored: scope.hub.key.seal(secret), shown: { alg: 'hmac-sm3' as const, secret } };
}

/** `chosenAppKey`: the key the consumer's hub chose for a routed grant (cascade routing); new otherwise. */
export async function issueCredential(
  scope: WorkflowScope,
  grantId: string,
  request: CredentialRequest = {},
  chosenAppKey?: string,
) {
  const rotate = request.rotate === true;
  return scope.hub.store.db.transaction().execute(async (trx) => {
    await findGrant(trx, scope, grantId);
    const row = await lockRow(
      scope,
      trx.selectFrom('grants').selectAll().where('id', '=', grantId),
    ).executeTakeFirstOrThrow();
    assertAssignee(scope, row);
    if (row.status !== 'active')
      throw new HubError('HUB_ERR_GRANT_INACTIVE', { grant: row.id, status: row.status });
    const at = scope.now.toISOString();
    const active = await trx
      .selectFrom('grant_credentials')
      .select('app_key')
      .where('grant_id', '=', row.id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (active && !rotate)
      throw new HubError('HUB_ERR_CREDENTIAL_EXISTS', { grant: row.id, appKey: active.app_key });
    const rotated = await revokeActive(trx, row.id, at);
    const { appKey, stored, shown } = newCredential(scope, request.publicKey, chosenAppKey);
    await trx
      .insertInto('grant_credentials')
      .values({
        app_key: appKey,
        grant_id: row.id,
        secret_enc: stored,
        status: 'active',
        created_by: scope.caller.tokenId,
        created_at: at,
        revoked_at: null,
      })
      .execute();
    const actor = callerActor(scope);
    await auditStep(
      trx,
      scope,
      actor,
      'grant',
      rotated > 0 ? 'credential_rotate' : 'credential_issue',
      row.id,
      { appKey, rotated, alg: shown.alg },
      scope.caller.roles,
    );
    const application = await findApplication(trx, scope, row.application_id, true);
    if (application.state === 'APPROVED')
      await move({ trx, scope, actor, roles: scope.caller.roles }, application, {
        action: 'activate',
        to: 'ACTIVE',
        detail: { appKey },
      });
    return { appKey, ...shown, grant: row.id, createdAt: at };
  });
}

export async function listCredentials(scope: WorkflowScope, grantId: string) {
  const { db } = scope.hub.store;
  const grant = await findGrant(db, scope, grantId);
  const rows = await db
    .selectFrom('grant_credentials')
    .select(['app_key', 'status', 'created_at', 'revoked_at'])
    .where('grant_id', '=', grant.id)
    .orderBy('created_at', 'desc')
    .execute();
  return { items: rows.map(credentialView) };
}

export async function revokeCredential(scope: WorkflowScope, grantId: string, appKey: string) {
  return scope.hub.store.db.transaction().execute(async (trx) => {
    const grant = await findGrant(trx, scope, grantId);
    assertAssignee(scope, grant);
    const at = scope.now.toISOString();
    if ((await revokeActive(trx, grant.id, at, appKey)) > 0)
      await auditStep(
        trx,
        scope,
        callerActor(scope),
        'grant',
        'credential_revoke',
        grant.id,
        { appKey },
        scope.caller.roles,
      );
    const row = await trx
      .selectFrom('grant_credentials')
      .select(['app_key', 'status', 'created_at', 'revoked_at'])
      .where('grant_id', '=', grant.id)
      .where('app_key', '=', appKey)
      .executeTakeFirst();
    if (!row)
      throw new HubError('HUB_ERR_NOT_FOUND', {
        what: scope.lang === 'en' ? 'credential' : '凭证',
        id: appKey,
      });
    return credentialView(row);
  });
}

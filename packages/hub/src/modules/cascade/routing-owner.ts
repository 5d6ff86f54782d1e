/**
 * The owner hub's side of routing (docs/cascade-routing.md "At the owner hub"): an application
 * from another hub becomes a normal local application for the local resource, its applicant
 * registered here as a remote organisation (marked with its hub; it has no tokens and never logs
 * in), so the provider reviews it with the normal routes; the applicant's own steps and
 * credentials arrive as messages and are applied as the applicant's.
 */
import type { Lang } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { createApplication } from '../sharing/create.js';
import { issueCredential, revokeCredential } from '../sharing/credentials.js';
import type { ApplicationAction } from '../sharing/policy.js';
import { readApplication, type ApplicationRequest } from '../sharing/records.js';
import { act, type StepInput } from '../sharing/transitions.js';
import type { WorkflowScope } from '../workflow/events.js';
import { auditRouting, firstReceipt } from './routing-audit.js';

export interface RoutedApplicant {
  id: string;
  name: string;
  uscc: string;
  hub: string;
}

export interface ApplicationMessage {
  messageId: string;
  originId: string;
  request: ApplicationRequest;
  applicant: RoutedApplicant;
  via: string[];
}

/** The applicant's steps a message may carry: the applicant acts at its own hub. */
const APPLICANT_ACTIONS: ReadonlySet<string> = new Set(['accept', 'withdraw', 'escalate']);

/** A scope acting as the remote applicant's officer (the actor is `node:<its hub>`, never a token here). */
function applicantScope(hub: HubContext, applicant: { org: string; hub: string }, lang: Lang): WorkflowScope {
  return {
    hub,
    caller: { tokenId: `node:${applicant.hub}`, orgId: applicant.org, roles: ['officer'] },
    now: hub.now(),
    lang,
  };
}

/** Registers the applicant's organisation once, marked remote with its hub; refuses one that is this hub's. */
async function registerApplicant(trx: Transaction<Database>, hub: HubContext, applicant: RoutedApplicant) {
  if (applicant.hub === hub.config.hubCode || !applicant.id.startsWith(`${applicant.hub}/`))
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: `applicant ${applicant.id}`,
      required: 'an organisation of the sending hub',
    });
  const remote = await trx
    .selectFrom('cascade_remote_organisations')
    .select('org_id')
    .where('org_id', '=', applicant.id)
    .executeTakeFirst();
  if (remote) return;
  const at = hub.now().toISOString();
  const clash = await trx
    .selectFrom('organisations')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', applicant.id), eb('uscc', '=', applicant.uscc)]))
    .executeTakeFirst();
  // Every hub seeds the province's tree of city platforms: the same member id is the same
  // member, marked remote; the same USCC under another id is another hub's claim on a local member.
  if (clash && clash.id !== applicant.id)
    throw new HubError('HUB_ERR_CONFLICT', {
      detail: `organisation ${clash.id} of this hub has the USCC of the remote applicant ${applicant.id}`,
    });
  if (clash)
    return void (await trx
      .insertInto('cascade_remote_organisations')
      .values({ org_id: applicant.id, origin_hub: applicant.hub, created_at: at })
      .execute());
  const document = {
    id: applicant.id,
    name: applicant.name,
    uscc: applicant.uscc,
    remote: true,
    hub: applicant.hub,
  };
  await trx
    .insertInto('organisations')
    .values({
      id: applicant.id,
      name: applicant.name,
      short_name: null,
      kind: 'department',
      uscc: applicant.uscc,
      region_code: applicant.hub,
      parent_id: null,
      document: JSON.stringify(document),
      created_at: at,
      updated_at: at,
    })
    .execute();
  await trx
    .insertInto('cascade_remote_organisations')
    .values({ org_id: applicant.id, origin_hub: applicant.hub, created_at: at })
    .execute();
}

/** Refuses a token for another hub's applicant organisation: it never logs in here. */
export async function refuseRemoteOrganisation(hub: HubContext, orgId: string): Promise<void> {
  const row = await hub.store.db
    .selectFrom('cascade_remote_organisations')
    .select('origin_hub')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (row) throw new HubError('HUB_ERR_CASCADE_REMOTE_ORG', { org: orgId, hub: row.origin_hub });
}

/** Files the application as the remote applicant's; the same origin id again answers it as it is. */
export async function acceptAsOwner(
  hub: HubContext,
  sender: string,
  message: ApplicationMessage,
  lang: Lang,
) {
  const known = await remoteApplication(hub, message.originId);
  const scope = applicantScope(hub, { org: message.applicant.id, hub: message.applicant.hub }, lang);
  const via = [...message.via, hub.config.hubCode];
  if (known)
    return {
      owner: hub.config.hubCode,
      via,
      application: await readApplication(scope, known.application_id),
    };
  await hub.store.db.transaction().execute((trx) => registerApplicant(trx, hub, message.applicant));
  const application = await createApplication(
    scope,
    { ...message.request, submit: true },
    async (trx, row) => {
      const at = scope.now.toISOString();
      await trx
        .insertInto('cascade_remote_applications')
        .values({
          origin_id: message.originId,
          application_id: row.id,
          reply_to: sender,
          origin_hub: message.applicant.hub,
          via: JSON.stringify(message.via),
          created_at: at,
        })
        .execute();
      await firstReceipt(
        trx,
        { messageId: message.messageId, kind: 'application', subject: message.originId },
        scope.now,
      );
      await auditRouting(trx, hub, scope.now, 'received', message.originId, {
        messageId: message.messageId,
        application: row.id,
        resource: row.resource_code,
        from: sender,
        via: message.via,
      });
    },
  );
  return { owner: hub.config.hubCode, via, application };
}

export async function remoteApplication(hub: HubContext, originId: string) {
  return hub.store.db
    .selectFrom('cascade_remote_applications')
    .selectAll()
    .where('origin_id', '=', originId)
    .executeTakeFirst();
}

export interface ActionMessage {
  messageId: string;
  originId: string;
  action: string;
  input?: StepInput;
}

type Remote = NonNullable<Awaited<ReturnType<typeof remoteApplication>>>;

/** The applicant's step, taken here as the applicant's (idempotent by the message id). */
export async function actAsApplicant(hub: HubContext, remote: Remote, message: ActionMessage, lang: Lang) {
  if (!APPLICANT_ACTIONS.has(message.action))
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: 'remote applicant',
      required: 'accept, withdraw or escalate',
    });
  const row = await hub.store.db
    .selectFrom('applications')
    .select('applicant_org')
    .where('id', '=', remote.application_id)
    .executeTakeFirstOrThrow();
  const scope = applicantScope(hub, { org: row.applicant_org, hub: remote.origin_hub }, lang);
  const input = { ...message.input, messageId: message.messageId };
  const application = await act(scope, remote.application_id, message.action as ApplicationAction, input);
  return { owner: hub.config.hubCode, application };
}

export interface CredentialMessage {
  messageId: string;
  originId: string;
  op: 'issue' | 'revoke';
  appKey: string;
  publicKey?: string;
  rotate?: boolean;
}

/** Stores (or revokes) the applicant's SM2 credential of the grant under the app key its hub chose. */
export async function credentialAsApplicant(
  hub: HubContext,
  remote: Remote,
  message: CredentialMessage,
  lang: Lang,
) {
  const application = await hub.store.db
    .selectFrom('applications')
    .select(['applicant_org', 'grant_id'])
    .where('id', '=', remote.application_id)
    .executeTakeFirstOrThrow();
  if (application.grant_id === null)
    throw new HubError('HUB_ERR_GRANT_INACTIVE', { grant: '-', status: 'none' });
  const scope = applicantScope(hub, { org: application.applicant_org, hub: remote.origin_hub }, lang);
  if (message.op === 'revoke') return revokeCredential(scope, application.grant_id, message.appKey);
  const held = await hub.store.db
    .selectFrom('grant_credentials')
    .select(['app_key', 'created_at'])
    .where('app_key', '=', message.appKey)
    .executeTakeFirst();
  if (held)
    return { appKey: held.app_key, alg: 'sm2-sm3', grant: application.grant_id, createdAt: held.created_at };
  if (message.publicKey === undefined)
    throw new HubError('HUB_ERR_CASCADE_ROUTED_HMAC', { grant: application.grant_id });
  const request = { publicKey: message.publicKey, ...(message.rotate ? { rotate: true } : {}) };
  return issueCredential(scope, application.grant_id, request, message.appKey);
}

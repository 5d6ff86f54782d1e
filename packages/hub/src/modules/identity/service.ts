import { validateOrganisation, type Organisation } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { HubError } from '../../errors.js';
import type { Role } from '../../roles.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import { refuseRemoteOrganisation } from '../cascade/routing-owner.js';
import { findOrganisation, toView, type OrganisationView } from './organisations.js';
import { issueToken, type Caller, type IssuedToken } from './tokens.js';

type Lang = 'zh-CN' | 'en';

type OrganisationInput = Organisation;

function actorOf(caller: Caller | null): AuditEvent['actor'] {
  return caller
    ? { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles }
    : { system: 'hub-init' };
}

/** Registers an organisation after checking it against the standard; audited in the same transaction. */
export async function createOrganisation(
  app: FastifyInstance,
  caller: Caller | null,
  body: unknown,
  lang: Lang,
): Promise<OrganisationView> {
  const issues = validateOrganisation(body, { lang });
  if (issues.some((issue) => issue.severity === 'error'))
    throw new HubError('HUB_ERR_VALIDATION', { count: issues.length }, { issues });
  const input = body as OrganisationInput;
  const { db, engine } = app.hub.store;
  const now = app.hub.now();
  if (input.parent && !(await findOrganisation(db, input.parent))) {
    throw new HubError('HUB_ERR_NOT_FOUND', {
      what: lang === 'en' ? 'parent organisation' : '上级机构',
      id: input.parent,
    });
  }
  const clash = await db
    .selectFrom('organisations')
    .select(['id'])
    .where((eb) => eb.or([eb('id', '=', input.id), eb('uscc', '=', input.uscc)]))
    .executeTakeFirst();
  if (clash)
    throw new HubError('HUB_ERR_CONFLICT', {
      detail: `organisation ${input.id} / ${input.uscc} exists as ${clash.id}`,
    });
  const row = {
    id: input.id,
    name: input.name,
    short_name: input.shortName ?? null,
    kind: input.kind,
    uscc: input.uscc,
    region_code: input.regionCode,
    parent_id: input.parent ?? null,
    document: JSON.stringify(body),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values(row).execute();
    await appendAudit(trx, { hubCode: app.hub.config.hubCode, engine, now }, [
      {
        type: 'admin',
        action: 'organisation.create',
        actor: actorOf(caller),
        object: input.id,
        result: 'success',
        detail: { uscc: input.uscc },
      },
    ]);
  });
  return toView(row);
}

/** Issues a token for an organisation; the secret is in the answer and nowhere else. */
export async function createToken(
  app: FastifyInstance,
  caller: Caller | null,
  input: { orgId: string; name: string; roles: Role[]; expiresAt?: string },
  lang: Lang,
): Promise<IssuedToken & { orgId: string; roles: Role[]; expiresAt: string | null }> {
  const { db, engine } = app.hub.store;
  const now = app.hub.now();
  if (!(await findOrganisation(db, input.orgId))) {
    throw new HubError('HUB_ERR_NOT_FOUND', {
      what: lang === 'en' ? 'organisation' : '机构',
      id: input.orgId,
    });
  }
  // Another hub's applicant, registered here for routed applications only (cascade routing).
  await refuseRemoteOrganisation(app.hub, input.orgId);
  if (input.expiresAt !== undefined && input.expiresAt <= now.toISOString()) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: `expiresAt ${input.expiresAt} is not in the future`,
    });
  }
  const issued = await db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, { ...input, expiresAt: input.expiresAt ?? null }, now);
    await appendAudit(trx, { hubCode: app.hub.config.hubCode, engine, now }, [
      {
        type: 'admin',
        action: 'token.issue',
        actor: actorOf(caller),
        object: token.id,
        result: 'success',
        detail: { orgId: input.orgId, roles: input.roles },
      },
    ]);
    return token;
  });
  return { ...issued, orgId: input.orgId, roles: input.roles, expiresAt: input.expiresAt ?? null };
}

/** Revokes a token at once; revoking twice is harmless. */
export async function revokeToken(
  app: FastifyInstance,
  caller: Caller,
  id: string,
  lang: Lang,
): Promise<{ id: string; revokedAt: string }> {
  const { db, engine } = app.hub.store;
  const now = app.hub.now();
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'token' : '令牌', id });
  if (row.revoked_at) return { id, revokedAt: row.revoked_at };
  const revokedAt = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    await appendAudit(trx, { hubCode: app.hub.config.hubCode, engine, now }, [
      { type: 'admin', action: 'token.revoke', actor: actorOf(caller), object: id, result: 'success' },
    ]);
  });
  return { id, revokedAt };
}

/**
 * The province side of the registry (docs/cascade-api.md "Registration and approval"): a city's
 * self-signed registration is checked (`verifyRegistration`), its nonce remembered, and the city
 * stored PENDING with the key it proved it holds; an administrator approves, rejects or revokes.
 * Each change is audited in its own transaction.
 */
import {
  NONCE_MEMORY_SECONDS,
  verifyRegistration,
  type Lang,
  type NodeRegistration,
} from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CascadeChildTable, CascadeState } from '../../db/schema-cascade.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../catalog/access.js';
import type { Caller } from '../identity/tokens.js';
import type { NodeKeyView } from './registry-parent.js';

/** A child hub as the registry shows it (never the registration envelope itself). */
export interface ChildView {
  hub: string;
  name: string;
  region: string;
  baseUrl: string;
  keyId: string;
  publicKey: string;
  state: CascadeState;
  reason: string | null;
  registeredAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export function childView(row: CascadeChildTable): ChildView {
  return {
    hub: row.hub,
    name: row.name,
    region: row.region,
    baseUrl: row.base_url,
    keyId: row.key_id,
    publicKey: row.public_key,
    state: row.state,
    reason: row.reason,
    registeredAt: row.registered_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}

/** This hub's node key, as a child pins it for calls from its parent. */
export function ownNodeKey(hub: HubContext): NodeKeyView {
  return { hub: hub.config.hubCode, keyId: hub.key.keyId, publicKey: hub.key.publicKey };
}

/** Registry routes of the province: refused at a city hub. */
export function requireProvince(hub: HubContext, action: string): void {
  if (hub.config.role !== 'province')
    throw new HubError('HUB_ERR_CASCADE_ROLE', { role: hub.config.role, action, needed: 'province' });
}

function auditContext(hub: HubContext, now: Date) {
  return { hubCode: hub.config.hubCode, engine: hub.store.engine, now };
}

function lockChild(hub: HubContext, trx: Transaction<Database>, code: string) {
  const query = trx.selectFrom('cascade_children').selectAll().where('hub', '=', code);
  // SQLite's transaction already holds the write lock; PostgreSQL needs the row lock.
  return (hub.store.engine === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

/** 409 unless the nonce is new; remembered in the caller's transaction. */
async function rememberRegistrationNonce(
  trx: Transaction<Database>,
  registration: NodeRegistration,
  now: Date,
) {
  const inserted = await trx
    .insertInto('cascade_nonces')
    .values({
      keyid: registration.keyId,
      nonce: registration.nonce,
      expires_at: new Date(now.getTime() + NONCE_MEMORY_SECONDS * 1000).toISOString(),
    })
    .onConflict((conflict) => conflict.columns(['keyid', 'nonce']).doNothing())
    .returning('nonce')
    .execute();
  if (inserted.length === 0) throw new HubError('HUB_ERR_CASCADE_REPLAY', { nonce: registration.nonce });
}

function pendingRow(registration: NodeRegistration, envelope: unknown, now: Date): CascadeChildTable {
  return {
    hub: registration.hub,
    name: registration.name,
    region: registration.region,
    base_url: registration.baseUrl.replace(/\/+$/, ''),
    key_id: registration.keyId,
    public_key: registration.publicKey,
    state: 'PENDING',
    reason: null,
    registration: JSON.stringify(envelope),
    registered_at: now.toISOString(),
    decided_at: null,
    decided_by: null,
  };
}

export interface RegistrationAnswer {
  hub: string;
  state: CascadeState;
  /** The province's node key, which the city pins once approved. */
  parent: NodeKeyView;
}

/**
 * Accepts a registration envelope: 422 for what `verifyRegistration` refuses, 409 for a replayed
 * nonce or a hub already registered (PENDING or APPROVED) with another key. A repeat from a
 * PENDING or APPROVED hub with the same key is answered as it stands; a REJECTED or REVOKED hub
 * starts again as PENDING.
 */
export async function registerChild(
  hub: HubContext,
  envelope: unknown,
  lang: Lang,
): Promise<RegistrationAnswer> {
  requireProvince(hub, 'register a child hub');
  const now = hub.now();
  const verdict = verifyRegistration(envelope, { parent: hub.config.hubCode, now, lang });
  if (!verdict.ok)
    throw new HubError(
      'HUB_ERR_CASCADE_REGISTRATION',
      { count: verdict.issues.length },
      { issues: verdict.issues },
    );
  const registration = verdict.registration;
  const state = await hub.store.db.transaction().execute(async (trx) => {
    await rememberRegistrationNonce(trx, registration, now);
    const existing = await lockChild(hub, trx, registration.hub);
    if (existing && (existing.state === 'PENDING' || existing.state === 'APPROVED')) {
      if (existing.key_id === registration.keyId && existing.public_key === registration.publicKey)
        return existing.state;
      throw new HubError('HUB_ERR_CASCADE_HUB_EXISTS', {
        hub: existing.hub,
        keyId: existing.key_id,
        state: existing.state,
      });
    }
    const row = pendingRow(registration, envelope, now);
    if (existing) await trx.updateTable('cascade_children').set(row).where('hub', '=', row.hub).execute();
    else await trx.insertInto('cascade_children').values(row).execute();
    await appendAudit(trx, auditContext(hub, now), [
      {
        type: 'admin',
        action: 'cascade.child.register',
        actor: { system: `node:${registration.hub}` },
        object: registration.hub,
        result: 'success',
        detail: {
          keyId: registration.keyId,
          name: registration.name,
          region: registration.region,
          baseUrl: row.base_url,
          ...(existing ? { previous: existing.state } : {}),
        },
      },
    ]);
    return 'PENDING' as const;
  });
  return { hub: registration.hub, state, parent: ownNodeKey(hub) };
}

export type Decision = 'approve' | 'reject' | 'revoke';

const DECISIONS: Record<Decision, { from: CascadeState; to: CascadeState; needsReason: boolean }> = {
  approve: { from: 'PENDING', to: 'APPROVED', needsReason: false },
  reject: { from: 'PENDING', to: 'REJECTED', needsReason: true },
  revoke: { from: 'APPROVED', to: 'REVOKED', needsReason: true },
};

function notFound(code: string, lang: Lang): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'child hub' : '下级节点', id: code });
}

/**
 * An administrator's decision: approve a PENDING hub, reject it (with a reason), or revoke an
 * APPROVED one (with a reason). 404 for an unknown hub, 409 from any other state, audited
 * `cascade.child.<decision>` with the admin's role in the same transaction.
 */
export async function decideChild(
  hub: HubContext,
  caller: Caller,
  code: string,
  decision: Decision,
  input: { reason?: string | undefined },
  lang: Lang,
): Promise<ChildView & { parent: NodeKeyView }> {
  requireProvince(hub, `${decision} a child hub`);
  const rule = DECISIONS[decision];
  const reason = input.reason?.trim() || null;
  if (rule.needsReason && !reason) throw new HubError('HUB_ERR_REASON_REQUIRED', { action: decision });
  const now = hub.now();
  const row = await hub.store.db.transaction().execute(async (trx) => {
    const existing = await lockChild(hub, trx, code);
    if (!existing) throw notFound(code, lang);
    if (existing.state !== rule.from)
      throw new HubError(
        'HUB_ERR_WORKFLOW_STATE',
        { id: code, state: existing.state, action: decision, allowed: allowedFrom(existing.state) },
        { currentState: existing.state, allowed: allowedFrom(existing.state).split(', ').filter(Boolean) },
      );
    const decided = { state: rule.to, reason, decided_at: now.toISOString(), decided_by: caller.tokenId };
    await trx.updateTable('cascade_children').set(decided).where('hub', '=', code).execute();
    await appendAudit(trx, auditContext(hub, now), [
      {
        type: 'admin',
        action: `cascade.child.${decision}`,
        actor: actorOf(caller),
        object: code,
        result: 'success',
        detail: { from: existing.state, to: rule.to, keyId: existing.key_id, ...(reason ? { reason } : {}) },
      },
    ]);
    return { ...existing, ...decided };
  });
  return { ...childView(row), parent: ownNodeKey(hub) };
}

function allowedFrom(state: CascadeState): string {
  const names = (Object.keys(DECISIONS) as Decision[]).filter((name) => DECISIONS[name].from === state);
  return names.join(', ');
}

/** One child hub; 404 when unknown. */
export async function readChild(hub: HubContext, code: string, lang: Lang): Promise<ChildView> {
  const row = await hub.store.db
    .selectFrom('cascade_children')
    .selectAll()
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!row) throw notFound(code, lang);
  return childView(row);
}

export interface ChildQuery {
  state?: CascadeState | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Child hubs in code order, a page at a time; the cursor is the last hub code of a page. */
export async function listChildren(
  hub: HubContext,
  query: ChildQuery,
): Promise<{ items: ChildView[]; next?: string }> {
  let select = hub.store.db.selectFrom('cascade_children').selectAll();
  if (query.state) select = select.where('state', '=', query.state);
  if (query.cursor) select = select.where('hub', '>', query.cursor);
  const rows = await select
    .orderBy('hub')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(childView),
    ...(rows.length > query.limit && last ? { next: last.hub } : {}),
  };
}

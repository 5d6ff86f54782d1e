/**
 * The city side of the registry (docs/cascade-api.md "Registration and approval"): register with
 * the configured parent, and learn from the parent's signed status answer whether it approved —
 * pinning the node key the parent presents then, which must be the one it presented when the city
 * registered (so a parent URL that changes hands later cannot slip in another key).
 */
import { CascadeError, signRegistration } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { CascadeParentTable, CascadeState } from '../../db/schema-cascade.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit, type AuditEvent } from '../audit/log.js';
import { nodeSigningKey, signedNodeFetch } from './node-auth.js';

const STATES: readonly CascadeState[] = ['PENDING', 'APPROVED', 'REJECTED', 'REVOKED'];
const KEY = /^04[0-9a-f]{128}$/;

/** A node key as one hub presents it to another. */
export interface NodeKeyView {
  hub: string;
  keyId: string;
  publicKey: string;
}

/** What a city knows of its parent. */
export interface ParentView {
  hub: string;
  baseUrl: string;
  state: CascadeState;
  reason: string | null;
  /** The parent's node key: trusted for its calls only once APPROVED. */
  keyId: string | null;
  publicKey: string | null;
  registeredAt: string;
  updatedAt: string;
}

function view(row: CascadeParentTable): ParentView {
  return {
    hub: row.hub,
    baseUrl: row.base_url,
    state: row.state,
    reason: row.reason,
    keyId: row.key_id,
    publicKey: row.public_key,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

/** The configured parent of a city hub; refuses at a province or without --parent-url/--parent-code. */
export function configuredParent(hub: HubContext, action: string): { url: string; code: string } {
  const { role, parentUrl, parentCode } = hub.config;
  if (role !== 'city') throw new HubError('HUB_ERR_CASCADE_ROLE', { role, action, needed: 'city' });
  if (!parentUrl || !parentCode) throw new HubError('HUB_ERR_CASCADE_NO_PARENT');
  return { url: parentUrl.replace(/\/+$/, ''), code: parentCode };
}

async function parentRow(hub: HubContext, code: string): Promise<CascadeParentTable | undefined> {
  return hub.store.db.selectFrom('cascade_parent').selectAll().where('hub', '=', code).executeTakeFirst();
}

/** The parent as stored at this city, without asking it; HUB_ERR_CASCADE_NO_PARENT before registration. */
export async function storedParent(hub: HubContext): Promise<ParentView> {
  const { code } = configuredParent(hub, 'cascade status');
  const row = await parentRow(hub, code);
  if (!row) throw new HubError('HUB_ERR_CASCADE_NO_PARENT');
  return view(row);
}

/** The parent refused: its answer goes to the caller as it is, under `parent`. */
function parentRefused(url: string, answer: { status: number; body: unknown }): HubError {
  const code = (answer.body as { code?: unknown } | null)?.code;
  return new HubError(
    'HUB_ERR_CASCADE_PARENT_ANSWER',
    { url, status: answer.status, code: typeof code === 'string' ? code : '-' },
    { parent: answer.body },
  );
}

/** The parent's node key from an answer, checked for shape and for belonging to the parent. */
function presentedKey(body: unknown, parent: string, url: string): NodeKeyView {
  const key = (body as { parent?: Partial<NodeKeyView> } | null)?.parent;
  if (
    key?.hub !== parent ||
    typeof key.keyId !== 'string' ||
    !key.keyId.startsWith(`${parent}#`) ||
    typeof key.publicKey !== 'string' ||
    !KEY.test(key.publicKey)
  ) {
    throw new HubError(
      'HUB_ERR_CASCADE_PARENT_ANSWER',
      { url, status: 200, code: 'no parent key' },
      { parent: body },
    );
  }
  return { hub: key.hub, keyId: key.keyId, publicKey: key.publicKey };
}

/** Refuses a key other than the one already held for the parent. */
function samePinnedKey(row: CascadeParentTable | undefined, key: NodeKeyView): void {
  if (row?.key_id && (row.key_id !== key.keyId || row.public_key !== key.publicKey))
    throw new HubError('HUB_ERR_CASCADE_PARENT_KEY', { keyId: key.keyId, pinned: row.key_id });
}

export interface RegistrationInput {
  name: string;
  /** GB/T 2260 code of the area served; the hub code when absent. */
  region?: string | undefined;
  /** Where the parent reaches this hub's API. */
  baseUrl: string;
}

function signedRegistration(hub: HubContext, parent: string, input: RegistrationInput, privateKey: string) {
  try {
    return signRegistration(
      {
        hub: hub.config.hubCode,
        name: input.name,
        region: input.region ?? hub.config.hubCode,
        parent,
        baseUrl: input.baseUrl.replace(/\/+$/, ''),
        keyId: hub.key.keyId,
        publicKey: hub.key.publicKey,
        timestamp: hub.now().toISOString(),
      },
      privateKey,
    ).envelope;
  } catch (error) {
    if (!(error instanceof CascadeError)) throw error;
    throw new HubError(
      'HUB_ERR_CASCADE_REGISTRATION',
      { count: error.issues.length },
      { issues: error.issues },
    );
  }
}

/**
 * Signs a registration with the node key and sends it to the parent; stores the parent as it
 * answered (PENDING, or APPROVED again for an approved hub with the same key) with the key it
 * presented, audited `cascade.parent.register` with the admin's role.
 */
export async function registerWithParent(
  hub: HubContext,
  actor: AuditEvent['actor'],
  input: RegistrationInput,
): Promise<ParentView> {
  const { url, code } = configuredParent(hub, 'cascade register');
  const envelope = signedRegistration(hub, code, input, (await nodeSigningKey(hub)).privateKey);
  // The parent checks the envelope's own signature: it has pinned no key of this hub yet.
  const answer = await signedNodeFetch(hub, `${url}/api/v1/cascade/children`, {
    method: 'POST',
    body: envelope,
  });
  if (answer.status !== 202) throw parentRefused(url, answer);
  const key = presentedKey(answer.body, code, url);
  const state = (answer.body as { state?: CascadeState }).state ?? 'PENDING';
  const now = hub.now();
  return hub.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('cascade_parent')
      .selectAll()
      .where('hub', '=', code)
      .executeTakeFirst();
    if (existing?.state === 'APPROVED') samePinnedKey(existing, key);
    const row: CascadeParentTable = {
      hub: code,
      base_url: url,
      key_id: key.keyId,
      public_key: key.publicKey,
      state: STATES.includes(state) ? state : 'PENDING',
      reason: null,
      registered_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    if (existing) await trx.updateTable('cascade_parent').set(row).where('hub', '=', code).execute();
    else await trx.insertInto('cascade_parent').values(row).execute();
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
      {
        type: 'admin',
        action: 'cascade.parent.register',
        actor,
        object: code,
        result: 'success',
        detail: { parent: code, url, state: row.state, parentKeyId: key.keyId, keyId: hub.key.keyId },
      },
    ]);
    return view(row);
  });
}

/** The registration as the parent reports it to the child (its status answer). */
export interface RemoteStatus {
  state: CascadeState;
  reason?: string | null;
  [member: string]: unknown;
}

/**
 * Asks the parent for this hub's registration (a request signed by the node key) and records what
 * it says; on APPROVED, pins the parent's key — refusing one that differs from the key the parent
 * presented at registration. Answers the parent's status answer.
 */
export async function refreshPinnedParent(hub: HubContext): Promise<RemoteStatus> {
  // The configured URL, not the one stored at registration: the operator may have moved it.
  const { url, code } = configuredParent(hub, 'cascade status');
  const row = await parentRow(hub, code);
  if (!row) throw new HubError('HUB_ERR_CASCADE_NO_PARENT');
  const answer = await signedNodeFetch(hub, `${url}/api/v1/cascade/children/${hub.config.hubCode}`, {
    method: 'GET',
  });
  if (answer.status !== 200) throw parentRefused(url, answer);
  const status = answer.body as RemoteStatus;
  if (!STATES.includes(status.state)) throw parentRefused(url, answer);
  const key = status.state === 'APPROVED' ? presentedKey(status, code, url) : undefined;
  if (key) samePinnedKey(row, key);
  if (row.state !== status.state || row.base_url !== url)
    await recordParentState(hub, { ...row, base_url: url }, status, key);
  return status;
}

async function recordParentState(
  hub: HubContext,
  row: CascadeParentTable,
  status: RemoteStatus,
  key: NodeKeyView | undefined,
): Promise<void> {
  const now = hub.now();
  await hub.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('cascade_parent')
      .set({
        state: status.state,
        base_url: row.base_url,
        reason: typeof status.reason === 'string' ? status.reason : null,
        updated_at: now.toISOString(),
        ...(key ? { key_id: key.keyId, public_key: key.publicKey } : {}),
      })
      .where('hub', '=', row.hub)
      .execute();
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
      {
        type: 'admin',
        action: 'cascade.parent.state',
        actor: { system: 'cascade' },
        object: row.hub,
        result: 'success',
        detail: {
          from: row.state,
          to: status.state,
          url: row.base_url,
          ...(key ? { pinnedKeyId: key.keyId } : {}),
        },
      },
    ]);
  });
}

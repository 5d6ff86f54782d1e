/**
 * Hub-to-hub requests (docs/cascade-api.md "Hub-to-hub requests"): signed like the exchange API
 * (SES-API r1, `alg="sm2-sm3"`) with the hub's node key, `keyid` its key id and `SES-Client` its
 * hub code. The callee accepts only the key it pinned — an APPROVED child's key from its
 * registration, or the parent's key from the approval — so an unknown hub, or a known hub with
 * another key, gets nowhere.
 */
import { randomUUID } from 'node:crypto';
import {
  NONCE_MEMORY_SECONDS,
  parseSignature,
  signRequest,
  verifyRequest,
  type SigningKey,
  type VerificationKey,
} from '@minjiang/standards';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { requestParts } from '../exchange/authenticate.js';
import { refreshPinnedParent } from './registry-parent.js';

/** How long a hub waits for another hub's answer. */
export const NODE_REQUEST_TIMEOUT_MS = 15_000;

// The exchange profile requires a grant and a purpose; hub-to-hub requests have neither, so they
// carry these fixed values (covered by the signature, never looked up).
const NODE_GRANT = 'cascade';
const NODE_PURPOSE = 'cascade';

/** The node key as a signing key; the private key is read once per hub key from hub_keys. */
const signingKeys = new WeakMap<HubContext, SigningKey>();

export async function nodeSigningKey(hub: HubContext): Promise<SigningKey & { alg: 'sm2-sm3' }> {
  const cached = signingKeys.get(hub);
  if (cached?.alg === 'sm2-sm3' && cached.keyid === hub.key.keyId) return cached;
  const row = await hub.store.db
    .selectFrom('hub_keys')
    .select('private_key')
    .where('key_id', '=', hub.key.keyId)
    .executeTakeFirstOrThrow();
  const key = { alg: 'sm2-sm3' as const, keyid: hub.key.keyId, privateKey: row.private_key };
  signingKeys.set(hub, key);
  return key;
}

/** `SES-User` is a pseudonym of the operator; for a hub-to-hub request the operator is the hub. */
function nodeUser(hub: HubContext): string {
  return `hmac-sm3:${Buffer.from(hub.key.derive('cascade-node'), 'hex').toString('base64')}`;
}

function parseAnswer(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends a request to another hub signed by this hub's node key; answers its status and body (JSON
 * when it is JSON). Throws HUB_ERR_CASCADE_UNREACHABLE when the other hub does not answer in time.
 */
export async function signedNodeFetch(
  hub: HubContext,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const text = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = {
    'ses-client': hub.config.hubCode,
    'ses-grant': NODE_GRANT,
    'ses-request-id': randomUUID(),
    'ses-purpose': NODE_PURPOSE,
    'ses-user': nodeUser(hub),
    ...(text === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const parts = { method: init.method, path: target.pathname, query: target.search, headers, body: text };
  const signature = signRequest(parts, await nodeSigningKey(hub), { now: hub.now() });
  try {
    const response = await fetch(target, {
      method: init.method,
      headers: { ...headers, ...signature, accept: 'application/json' },
      ...(text === undefined ? {} : { body: text }),
      signal: AbortSignal.timeout(NODE_REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, body: parseAnswer(await response.text()) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const detail = cause ?? (error as Error).message;
    throw new HubError('HUB_ERR_CASCADE_UNREACHABLE', { url: target.origin, detail });
  }
}

/** A pinned node key: whose it is, its id and public key, and whether its calls are allowed now. */
interface PinnedKey {
  keyId: string;
  publicKey: string;
  state: string;
}

async function pinnedChild(hub: HubContext, client: string): Promise<PinnedKey | undefined> {
  const row = await hub.store.db
    .selectFrom('cascade_children')
    .select(['key_id', 'public_key', 'state'])
    .where('hub', '=', client)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    keyId: row.key_id,
    publicKey: row.public_key,
    state: row.state,
  };
}

const lastParentRefresh = new WeakMap<HubContext, number>();

async function pinnedParent(hub: HubContext, client: string): Promise<PinnedKey | undefined> {
  // Only the configured parent calls a city as its parent, whatever rows older setups left.
  if (hub.config.role !== 'city' || client !== hub.config.parentCode) return undefined;
  const read = () =>
    hub.store.db.selectFrom('cascade_parent').selectAll().where('hub', '=', client).executeTakeFirst();
  let row = await read();
  // The parent may have approved since this city last asked: its first call after approval
  // makes the city read its status (signed) and pin the key the parent presents there. At most
  // one such read every 10 s, so unsigned requests naming the parent cannot make the city call out.
  const at = hub.now().getTime();
  if (row && row.state === 'PENDING' && at - (lastParentRefresh.get(hub) ?? 0) >= 10_000) {
    lastParentRefresh.set(hub, at);
    await refreshPinnedParent(hub).catch(() => undefined);
    row = await read();
  }
  if (!row || row.key_id === null || row.public_key === null) return undefined;
  return {
    keyId: row.key_id,
    publicKey: row.public_key,
    state: row.state,
  };
}

let lastPurge = 0;

/** Forgets nonces past their window, at most once a minute per process (no scheduler needed). */
export async function purgeNonces(hub: HubContext, now: Date): Promise<void> {
  if (now.getTime() - lastPurge < 60_000) return;
  lastPurge = now.getTime();
  await hub.store.db.deleteFrom('cascade_nonces').where('expires_at', '<', now.toISOString()).execute();
}

/** Records the nonce of a verified request; false when another request already used it. */
async function rememberNonce(hub: HubContext, keyid: string, nonce: string, now: Date): Promise<boolean> {
  await purgeNonces(hub, now);
  const expires = new Date(now.getTime() + NONCE_MEMORY_SECONDS * 1000).toISOString();
  const inserted = await hub.store.db
    .insertInto('cascade_nonces')
    .values({ keyid, nonce, expires_at: expires })
    .onConflict((conflict) => conflict.columns(['keyid', 'nonce']).doNothing())
    .returning('nonce')
    .execute();
  return inserted.length === 1;
}

function forbidden(client: string, state: string, from: 'child' | 'parent'): HubError {
  return new HubError('HUB_ERR_FORBIDDEN', {
    roles: `${from} ${client || '-'} (${state})`,
    required: from === 'child' ? 'APPROVED child hub' : 'APPROVED parent hub',
  });
}

/**
 * Verifies a hub-to-hub request against the key pinned for the hub in `SES-Client`, whatever the
 * state of its registration (a child reading its own status must be told it is PENDING): the
 * signature, time window (±300 s) and nonce replay (600 s). Answers the calling hub and the state
 * of the key pinned for it; throws as `authenticateNode` does, 403 only for an unknown hub.
 */
export async function verifyNodeRequest(
  hub: HubContext,
  request: FastifyRequest,
  body: Buffer | undefined,
  from: 'child' | 'parent',
): Promise<{ hub: string; state: string }> {
  const parts = requestParts(request, body);
  const parsed = parseSignature(parts.headers);
  if (!parsed.ok) throw new HubError(parsed.code, { detail: parsed.detail });
  const client = parts.headers['ses-client']?.trim() ?? '';
  if (!client) throw new HubError('CLI.BAD_REQUEST', { detail: 'missing header ses-client' });
  const pinned = from === 'child' ? await pinnedChild(hub, client) : await pinnedParent(hub, client);
  if (!pinned) throw forbidden(client, 'UNKNOWN', from);
  const key: VerificationKey = { alg: 'sm2-sm3', publicKey: pinned.publicKey };
  const now = hub.now();
  const verdict = verifyRequest(parts, (keyid) => (keyid === pinned.keyId ? key : undefined), { now });
  if (!verdict.ok) throw new HubError(verdict.code, { detail: verdict.detail });
  if (!(await rememberNonce(hub, verdict.keyid, verdict.params.nonce, now)))
    throw new HubError('CLI.NONCE_REPLAY', { detail: verdict.params.nonce });
  return { hub: client, state: pinned.state };
}

/**
 * Verifies a hub-to-hub request against the key pinned for the hub in `SES-Client`: signature,
 * time window (±300 s) and nonce replay (600 s). Answers the calling hub's code, or throws
 * CLI.BAD_REQUEST / CLI.DIGEST_MISMATCH (400), CLI.TIMESTAMP_SKEW / CLI.KEY_UNKNOWN /
 * CLI.SIG_INVALID / CLI.NONCE_REPLAY (401), HUB_ERR_FORBIDDEN (403: unknown, pending, rejected or
 * revoked hub — the last three told only to a hub that proved its key).
 */
export async function authenticateNode(
  hub: HubContext,
  request: FastifyRequest,
  body: Buffer | undefined,
  from: 'child' | 'parent',
): Promise<{ hub: string }> {
  const verified = await verifyNodeRequest(hub, request, body, from);
  if (verified.state !== 'APPROVED') throw forbidden(verified.hub, verified.state, from);
  return { hub: verified.hub };
}

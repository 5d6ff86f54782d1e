/**
 * The signed call (exchange.md §8.3): the hub rebuilds the signature base from the request as
 * received — path and query byte for byte, the raw body — and checks it with the credential the
 * `keyid` names. The credential row is read on every call, so a revoked or rotated key fails on
 * the next one. Nonces are remembered in the release transaction (release.ts).
 */
import {
  parseSignature,
  requestTarget,
  sm3Digest,
  verifyRequest,
  type SesRequestParts,
  type SignatureParams,
  type VerificationKey,
} from '@minjiang/standards';
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { readCallContext, type CallContextRow, type ProbedRow, type RowProbe } from './call-context.js';
import type { CallClaims, GrantRow } from './grant-context.js';
import { SesError } from './ses-error.js';

const SIGNED_HEADERS = [
  'content-type',
  'content-digest',
  'ses-client',
  'ses-grant',
  'ses-request-id',
  'ses-purpose',
  'ses-issue',
  'ses-user',
  'signature-input',
  'signature',
];
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// The shapes the audit leaf takes (audit/leaf-1.0): nothing else from a header reaches the log.
const USER = /^hmac-sm3:[A-Za-z0-9+/]{4,88}={0,2}$/;
const ISSUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const VIA = /^[1-9][0-9]{5}(,[1-9][0-9]{5}){0,2}$/;

export interface AuthenticatedCall {
  claims: CallClaims & { requestId: string; user: string; issue?: string; via?: string[] };
  params: SignatureParams;
  /** The grant the signing credential belongs to. */
  keyGrant: string;
  /** The row of the grant the call claims (`SES-Grant`), read with the credential; null if none. */
  claimedGrant: GrantRow | null;
  /** The row the probe asked for, read with the credential (null: no such row); absent: no probe. */
  probed?: ProbedRow;
  /** SM3 of the signature base: binds the audit leaf to the exact signed request. */
  sigHash: string;
  bodyHash?: string;
}

/** The request as the signature covers it. */
export function requestParts(request: FastifyRequest, body: Buffer | undefined): SesRequestParts {
  const headers: Record<string, string | undefined> = {};
  for (const name of SIGNED_HEADERS) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const { path, query } = requestTarget(request.url);
  return { method: request.method, path, query, headers, ...(body && body.length > 0 ? { body } : {}) };
}

/** The claimed grant's row out of the joined credential row, or null when there is none. */
function claimedGrantOf(found: CallContextRow | undefined): GrantRow | null {
  if (!found || found.id === null) return null;
  // Named member by member: a rest pattern or deletes cost a slow object copy on every call.
  const row = found as GrantRow;
  return {
    id: row.id,
    application_id: row.application_id,
    assigner_org: row.assigner_org,
    assignee_org: row.assignee_org,
    resource_code: row.resource_code,
    resource_version: row.resource_version,
    mode: row.mode,
    items: row.items,
    purpose_code: row.purpose_code,
    masking: row.masking,
    row_filter: row.row_filter,
    per_day: row.per_day,
    per_second: row.per_second,
    valid_from: row.valid_from,
    valid_to: row.valid_to,
    status: row.status,
    issued_at: row.issued_at,
    updated_at: row.updated_at,
  };
}

/** An HMAC credential's secret (sealed), or an SM2 credential's public key (`sm2:<hex>`). */
const opened = new Map<string, VerificationKey>();

function verificationKey(hub: HubContext, stored: string): VerificationKey {
  // Keyed by the sealed text: a rotated or revoked credential no longer reaches this (the row
  // is read on every call), so caching the decryption changes nothing but its cost per call.
  const cached = opened.get(stored);
  if (cached) return cached;
  const key: VerificationKey = stored.startsWith('sm2:')
    ? { alg: 'sm2-sm3', publicKey: stored.slice(4) }
    : { alg: 'hmac-sm3', secret: hub.key.open(stored) };
  if (opened.size > 10_000) opened.clear();
  opened.set(stored, key);
  return key;
}

/**
 * The hubs a relayed call came through, for its audit leaf. A call with `SES-Via` reaches the
 * handlers only after the cascade relay checked the hop that brought it (cascade/relay.ts).
 */
function viaOf(request: FastifyRequest): { via?: string[] } {
  const via = request.headers['ses-via'];
  return typeof via === 'string' && VIA.test(via) ? { via: via.split(',') } : {};
}

/**
 * Checks the signature; answers the call's claims, or throws the §8.3 refusal. `probe` names a
 * row to read with the credential (released by the caller only once the grant is checked).
 */
export async function authenticate(
  hub: HubContext,
  request: FastifyRequest,
  body: Buffer | undefined,
  service: string,
  probe?: RowProbe,
): Promise<AuthenticatedCall> {
  const parts = requestParts(request, body);
  const parsed = parseSignature(parts.headers);
  if (!parsed.ok) throw new SesError(parsed.code, parsed.detail);
  const claimedGrant = parts.headers['ses-grant'] ?? '';
  const found = await readCallContext(hub, { keyid: parsed.params.keyid, claimedGrant, probe });
  const key = found ? verificationKey(hub, found.secret_enc) : undefined;
  const verdict = verifyRequest(parts, () => key, { now: hub.now(), parsed });
  if (!verdict.ok) throw new SesError(verdict.code, verdict.detail);
  const headers = parts.headers;
  const requestId = headers['ses-request-id'] ?? '';
  if (!UUID_V7.test(requestId))
    throw new SesError('CLI.BAD_REQUEST', 'SES-Request-Id must be a lower-case UUIDv7');
  if (!USER.test(headers['ses-user'] ?? ''))
    throw new SesError('CLI.BAD_REQUEST', 'SES-User must be hmac-sm3:<base64>');
  if (headers['ses-issue'] && !ISSUE.test(headers['ses-issue']))
    throw new SesError('CLI.BAD_REQUEST', 'SES-Issue must be an identifier (letters, digits, . _ -)');
  return {
    claims: {
      client: headers['ses-client'] ?? '',
      grant: headers['ses-grant'] ?? '',
      purpose: headers['ses-purpose'] ?? '',
      service,
      requestId,
      user: headers['ses-user'] ?? '',
      ...(headers['ses-issue'] ? { issue: headers['ses-issue'] } : {}),
      ...viaOf(request),
    },
    params: verdict.params,
    keyGrant: found!.key_grant,
    claimedGrant: claimedGrantOf(found),
    ...(probe ? { probed: { probe, row: found!.probe_row } } : {}),
    sigHash: sm3Digest(verdict.base),
    ...(parts.body ? { bodyHash: sm3Digest(parts.body) } : {}),
  };
}

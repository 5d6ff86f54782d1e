/**
 * The consumer's half of exchange.md §8.3: the SES headers of one call and their signature.
 * Pure apart from the clock and randomness, so the tests can pin both.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { signRequest } from '@minjiang/standards';

export interface ExchangeIdentity {
  /** The calling member's id (the grant's assignee), optionally `/<subsystem>`. */
  client: string;
  grant: string;
  /** The grant's purpose code (SES-Purpose). */
  purpose: string;
  appKey: string;
  /** The HMAC secret of an `hmac-sm3` credential; or, for an `sm2-sm3` credential, `privateKey`. */
  secret?: string | undefined;
  /**
   * The SM2 private key (hex) of an `sm2-sm3` credential — the kind a grant of another hub has,
   * whose calls are relayed through the cascade (the secret never leaves the consumer).
   */
  privateKey?: string | undefined;
  /** The operator behind the call; only its pseudonym leaves the machine (SES-User). */
  user?: string | undefined;
  /** A case number (SES-Issue), when the call belongs to one. */
  issue?: string | undefined;
}

export interface SignableRequest {
  method: 'GET' | 'POST';
  /** The URL exactly as it is sent: the signature covers its path and query byte for byte. */
  url: URL;
  /** The body exactly as sent (JSON text); absent for none. */
  body?: string | undefined;
}

/** Used when no operator is named: still a pseudonym, never empty (the hub requires SES-User). */
const UNNAMED = 'minjiang-sdk';

/**
 * A lower-case UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness, so request ids
 * sort by time in the hub's audit log.
 */
export function uuidV7(now: Date = new Date(), random: Uint8Array = randomBytes(10)): string {
  const hex = now.getTime().toString(16).padStart(12, '0').slice(-12);
  const rand = Buffer.from(random).toString('hex').padEnd(20, '0');
  const variant = ((Number.parseInt(rand.slice(3, 4), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(4, 7)}-${rand.slice(7, 19)}`;
}

/**
 * `hmac-sm3:<base64>` of the operator under the grant's secret: the hub can tell one operator's
 * calls from another's, but not who they are, and another grant's pseudonym for them differs.
 */
export function sesUser(user: string | undefined, secret: string): string {
  const name = user?.trim() || UNNAMED;
  return `hmac-sm3:${createHmac('sm3', secret).update(name, 'utf8').digest('base64')}`;
}

/** The SES headers and signature of one request; a fresh request id and nonce every time. */
export function signExchangeRequest(
  identity: ExchangeIdentity,
  request: SignableRequest,
  options: { now?: Date; requestId?: string; nonce?: string } = {},
): Record<string, string> {
  const now = options.now ?? new Date();
  const headers: Record<string, string> = {
    'ses-client': identity.client,
    'ses-grant': identity.grant,
    'ses-request-id': options.requestId ?? uuidV7(now),
    'ses-purpose': identity.purpose,
    'ses-user': sesUser(identity.user, identity.secret ?? identity.privateKey ?? ''),
    ...(identity.issue ? { 'ses-issue': identity.issue } : {}),
    ...(request.body ? { 'content-type': 'application/json' } : {}),
  };
  const signed = signRequest(
    {
      method: request.method,
      path: request.url.pathname,
      query: request.url.search,
      headers,
      ...(request.body ? { body: request.body } : {}),
    },
    identity.privateKey
      ? { alg: 'sm2-sm3', keyid: identity.appKey, privateKey: identity.privateKey }
      : { alg: 'hmac-sm3', keyid: identity.appKey, secret: identity.secret ?? '' },
    { now, ...(options.nonce ? { nonce: options.nonce } : {}) },
  );
  return { ...headers, ...signed };
}

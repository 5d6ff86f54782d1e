import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sm2Sign, sm2Verify } from '../crypto/sm2.js';
import {
  componentsFor,
  dictionaryMember,
  hasBody,
  parseSignature,
  REQUIRED_HEADERS,
  signatureBase,
  signatureParamsValue,
  SIGNATURE_LABEL,
  type ParsedSignature,
  type SesRequestParts,
  type SesSignatureAlg,
  type SignatureParams,
} from './signature-base.js';

/**
 * Signing and verification of SES-API r1 requests (exchange.md §8.3). Synchronous and pure: the
 * caller supplies the clock, the key lookup and the nonce memory.
 */

/** created must be within this many seconds of the verifier's clock, and expires − created ≤ it. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** How long a verifier must remember a (keyid, nonce): twice the window, so both skews are covered. */
export const NONCE_MEMORY_SECONDS = 600;

export type SigningKey =
  { alg: 'hmac-sm3'; keyid: string; secret: string } | { alg: 'sm2-sm3'; keyid: string; privateKey: string };

export type VerificationKey = { alg: 'hmac-sm3'; secret: string } | { alg: 'sm2-sm3'; publicKey: string };

export type SignatureErrorCode =
  | 'CLI.BAD_REQUEST'
  | 'CLI.DIGEST_MISMATCH'
  | 'CLI.TIMESTAMP_SKEW'
  | 'CLI.NONCE_REPLAY'
  | 'CLI.KEY_UNKNOWN'
  | 'CLI.SIG_INVALID';

export interface SignOptions {
  now?: Date;
  /** Default: 16 random bytes in hex. */
  nonce?: string;
  /** Default and maximum 300. */
  ttlSeconds?: number;
}

export interface VerifyOptions {
  now: Date;
  skewSeconds?: number;
  /** True when (keyid, nonce) was accepted in the last NONCE_MEMORY_SECONDS. */
  seenNonce?: (keyid: string, nonce: string) => boolean;
  /** Called once, only for a request that passed every check: record the nonce here. */
  rememberNonce?: (keyid: string, nonce: string, params: SignatureParams) => void;
  /**
   * `parseSignature` of these headers, when the caller has already parsed them (to find the key
   * before verifying): not parsed twice.
   */
  parsed?: Extract<ParsedSignature, { ok: true }>;
}

export type VerifyResult =
  | { ok: true; keyid: string; params: SignatureParams; base: string }
  | { ok: false; code: SignatureErrorCode; detail: string };

/** `sm3=:<base64 SM3(body)>:` (RFC 9530 syntax; `sm3` is a private algorithm token). */
export function contentDigest(body: Uint8Array | string): string {
  return `sm3=:${createHash('sm3').update(body).digest('base64')}:`;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Header values are ASCII (§8.3); a CR or LF would also let a value forge lines of the base. */
function badInput(parts: SesRequestParts): string | undefined {
  const values = [parts.method, parts.path, parts.query ?? '', ...Object.values(parts.headers)];
  if (!values.every((value) => value === undefined || PRINTABLE_ASCII.test(value)))
    return 'a header, the path or the query is not printable ASCII';
  const missing = REQUIRED_HEADERS.find((name) => !parts.headers[name]?.trim());
  if (missing !== undefined) return `missing header ${missing}`;
  if (hasBody(parts.body) && !parts.headers['content-type']?.trim()) return 'a body needs content-type';
  if (hasBody(parts.body) && !parts.headers['content-digest']?.trim()) return 'a body needs content-digest';
  return undefined;
}

function rawSignature(base: string, key: SigningKey): Buffer {
  if (key.alg === 'hmac-sm3') return createHmac('sm3', key.secret).update(base).digest();
  return Buffer.from(sm2Sign(base, key.privateKey), 'hex');
}

/**
 * Signs a request; returns the headers to add (`content-digest` when there is a body,
 * `signature-input`, `signature`). Throws TypeError on a request that could not verify.
 */
export function signRequest(
  parts: SesRequestParts,
  key: SigningKey,
  options: SignOptions = {},
): Record<string, string> {
  const ttl = options.ttlSeconds ?? SIGNATURE_WINDOW_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > SIGNATURE_WINDOW_SECONDS)
    throw new TypeError(`ttlSeconds must be an integer from 1 to ${SIGNATURE_WINDOW_SECONDS}`);
  const added: Record<string, string> = {};
  if (hasBody(parts.body)) added['content-digest'] = contentDigest(parts.body);
  const signed = { ...parts, headers: { ...parts.headers, ...added } };
  const problem = badInput(signed);
  if (problem !== undefined) throw new TypeError(`Cannot sign: ${problem}`);
  const created = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const params: SignatureParams = {
    created,
    expires: created + ttl,
    nonce: options.nonce ?? randomBytes(16).toString('hex'),
    keyid: key.keyid,
    alg: key.alg,
  };
  const components = componentsFor(signed);
  const signature = rawSignature(signatureBase(signed, params, components), key).toString('base64');
  added['signature-input'] = `${SIGNATURE_LABEL}=${signatureParamsValue(components, params)}`;
  added['signature'] = `${SIGNATURE_LABEL}=:${signature}:`;
  return added;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function timeProblem(params: SignatureParams, now: Date, skew: number): string | undefined {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - params.created) > skew) return `created is more than ${skew} s from hub time`;
  const lifetime = params.expires - params.created;
  if (lifetime <= 0 || lifetime > SIGNATURE_WINDOW_SECONDS) return 'expires − created is not 1–300 s';
  if (nowSeconds > params.expires) return 'the signature has expired';
  return undefined;
}

/** The `sm3` member of Content-Digest equals the digest of the received bytes. */
function digestMatches(parts: SesRequestParts): boolean {
  if (!hasBody(parts.body)) return true;
  const sent = dictionaryMember(parts.headers['content-digest'] ?? '', 'sm3');
  return sent !== undefined && `sm3=${sent}` === contentDigest(parts.body);
}

function signatureMatches(base: string, signature: Uint8Array, key: VerificationKey): boolean {
  if (key.alg === 'sm2-sm3') return sm2Verify(base, Buffer.from(signature).toString('hex'), key.publicKey);
  const expected = createHmac('sm3', key.secret).update(base).digest();
  // The length of an HMAC is public; only the comparison of equal lengths must be constant-time.
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

/**
 * Verifies a signed request in the order of exchange.md §8.3, cheap checks first:
 * 1. headers present and well-formed, the component list exactly the SES list → CLI.BAD_REQUEST;
 * 2. created within ±skew, expires − created ≤ 300, not expired → CLI.TIMESTAMP_SKEW;
 * 3. `seenNonce(keyid, nonce)` → CLI.NONCE_REPLAY — before the key lookup and the signature, as
 *    §8.3 orders it, so replays cost no SM2 verification. seenNonce should only look; the nonce is
 *    recorded through `rememberNonce` after step 6, so forged requests cannot fill the nonce store;
 * 4. the key id resolves → CLI.KEY_UNKNOWN; its algorithm equals `alg` → CLI.SIG_INVALID;
 * 5. Content-Digest equals SM3 of the received body → CLI.DIGEST_MISMATCH;
 * 6. the signature over the rebuilt base → CLI.SIG_INVALID (HMACs compared in constant time).
 * Grant checks (§8.3 step 5) are the hub's.
 */
export function verifyRequest(
  parts: SesRequestParts,
  lookup: (keyid: string) => VerificationKey | undefined,
  options: VerifyOptions,
): VerifyResult {
  const fail = (code: SignatureErrorCode, detail: string): VerifyResult => ({ ok: false, code, detail });
  const parsed = options.parsed ?? parseSignature(parts.headers);
  if (!parsed.ok) return parsed;
  const problem = badInput(parts);
  if (problem !== undefined) return fail('CLI.BAD_REQUEST', problem);
  const components = componentsFor(parts);
  if (!sameList(parsed.components, components))
    return fail('CLI.BAD_REQUEST', `the component list must be (${components.join(' ')})`);
  const { params } = parsed;
  const late = timeProblem(params, options.now, options.skewSeconds ?? SIGNATURE_WINDOW_SECONDS);
  if (late !== undefined) return fail('CLI.TIMESTAMP_SKEW', late);
  if (options.seenNonce?.(params.keyid, params.nonce) === true)
    return fail('CLI.NONCE_REPLAY', 'the nonce was already used');
  const key = lookup(params.keyid);
  if (key === undefined) return fail('CLI.KEY_UNKNOWN', `unknown key id ${params.keyid}`);
  if (key.alg !== params.alg) return fail('CLI.SIG_INVALID', `key ${params.keyid} signs with ${key.alg}`);
  if (!digestMatches(parts)) return fail('CLI.DIGEST_MISMATCH', 'Content-Digest differs from the body');
  const base = signatureBase(parts, params, components);
  if (!signatureMatches(base, parsed.signature, key)) return fail('CLI.SIG_INVALID', 'signature mismatch');
  options.rememberNonce?.(params.keyid, params.nonce, params);
  return { ok: true, keyid: params.keyid, params, base };
}

export type { SesRequestParts, SesSignatureAlg, SignatureParams };
export {
  componentsFor,
  parseSignature,
  requestTarget,
  signatureBase,
  SES_COMPONENTS,
  type ParsedSignature,
  type SesComponent,
} from './signature-base.js';

/**
 * A city hub's registration request (docs/cascade-api.md "Registration"): self-signed with the
 * node key it registers, so the parent knows the requester holds that key before an admin
 * approves it; addressed to one parent and time-stamped, with a nonce the parent remembers, so
 * it cannot be replayed elsewhere or later. Pure, apart from the random nonce when none is given.
 */
import { randomBytes } from 'node:crypto';
import { signDsse, type DsseEnvelope } from '../crypto/dsse.js';
import type { NodeRegistration } from '../generated/types.js';
import type { Issue, Lang } from '../issues.js';
import { validateDocument } from '../validate.js';
import { CascadeError, cascadeIssue } from './errors.js';
import { openSigned } from './verify-page.js';

export const REGISTRATION_PAYLOAD_TYPE = 'application/vnd.ses.node-registration+json;v=1';

export type RegistrationInput = Omit<NodeRegistration, 'timestamp' | 'nonce'> & {
  /** RFC 3339; now when absent. */
  timestamp?: string;
  /** base64url of ≥ 16 random bytes; fresh when absent. */
  nonce?: string;
};

/** Builds and signs a registration with the node's private key (hex). Throws CascadeError when invalid. */
export function signRegistration(
  input: RegistrationInput,
  privateKey: string,
): { registration: NodeRegistration; envelope: DsseEnvelope } {
  const registration: NodeRegistration = {
    ...input,
    timestamp: input.timestamp ?? new Date().toISOString(),
    nonce: input.nonce ?? randomBytes(16).toString('base64url'),
  };
  const issues = validateDocument('cascade-registration', registration, { allErrors: false });
  if (issues.length > 0) throw new CascadeError(issues);
  const envelope = signDsse(
    { keyId: registration.keyId, privateKey },
    REGISTRATION_PAYLOAD_TYPE,
    registration,
  );
  return { registration, envelope };
}

export interface VerifyRegistrationOptions {
  /** This hub's code: the request must be addressed to it. */
  parent: string;
  /** The clock; tests pin it. */
  now?: Date;
  /** Largest allowed distance between the request's timestamp and now (default 300 s). */
  maxSkewSeconds?: number;
  lang?: Lang;
}

export type RegistrationVerification =
  | { ok: true; registration: NodeRegistration; issues: [] }
  | { ok: false; registration: null; issues: Issue[] };

function parsePayload(envelope: unknown): unknown {
  const payload = (envelope as { payload?: unknown } | null)?.payload;
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** What the parent checks beyond schema and signature: key id, address, hierarchy, clock. */
function claimIssues(
  registration: NodeRegistration,
  options: VerifyRegistrationOptions,
  lang: Lang,
): Issue[] {
  const issues: Issue[] = [];
  const { hub, parent, keyId, timestamp } = registration;
  if (!keyId.startsWith(`${hub}#`))
    issues.push(cascadeIssue('FED-306', '/keyId', { found: keyId, expected: hub }, lang));
  if (parent !== options.parent) {
    issues.push(cascadeIssue('FED-304', '/parent', { found: parent, expected: options.parent }, lang));
  }
  if (hub === parent || hub.slice(0, 2) !== parent.slice(0, 2)) {
    issues.push(cascadeIssue('FED-305', '/hub', { found: hub, expected: parent }, lang));
  }
  const skew = options.maxSkewSeconds ?? 300;
  const distance = Math.abs(Date.parse(timestamp) - (options.now ?? new Date()).getTime());
  if (!(distance <= skew * 1000)) {
    issues.push(cascadeIssue('FED-303', '/timestamp', { found: timestamp, skew }, lang));
  }
  return issues;
}

/** Verifies a registration envelope: it proves possession of the key it names. Never throws. */
export function verifyRegistration(
  envelope: unknown,
  options: VerifyRegistrationOptions,
): RegistrationVerification {
  const lang = options.lang ?? 'zh-CN';
  const fail = (issues: Issue[]): RegistrationVerification => ({ ok: false, registration: null, issues });
  const type = (envelope as { payloadType?: unknown } | null)?.payloadType;
  const document = parsePayload(envelope);
  if (type !== REGISTRATION_PAYLOAD_TYPE || document === undefined) {
    return fail([cascadeIssue('FED-301', '', { expected: REGISTRATION_PAYLOAD_TYPE }, lang)]);
  }
  const schema = validateDocument('cascade-registration', document, { lang, allErrors: false });
  if (schema.length > 0) return fail(schema);
  const registration = document as NodeRegistration;
  const opened = openSigned(envelope, REGISTRATION_PAYLOAD_TYPE, registration.publicKey);
  if (opened === 'shape')
    return fail([cascadeIssue('FED-301', '', { expected: REGISTRATION_PAYLOAD_TYPE }, lang)]);
  if (opened === 'signature') return fail([cascadeIssue('FED-302', '', {}, lang)]);
  const issues = claimIssues(registration, options, lang);
  return issues.length > 0 ? fail(issues) : { ok: true, registration, issues: [] };
}

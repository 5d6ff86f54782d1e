/**
 * DSSE over raw bytes (exchange.md §8.8: the package signature covers the exact bytes of
 * `tagmanifest-sm3.txt`). The JSON variant in crypto/dsse.ts signs the JCS of a document; here
 * nothing is re-serialised, so the verifier compares the signed bytes with the file as stored.
 */
import { dssePae, type DsseEnvelope } from '../crypto/dsse.js';
import { sm2Verify } from '../crypto/sm2.js';

/** A signer as the hub and provider nodes hold them: a key id and an SM2 signing function. */
export interface TextSigner {
  keyId: string;
  /** SM2-with-SM3 signature (DER hex) of the UTF-8 text. */
  sign(text: string): string;
}

/** The bytes as text, or null when they are not UTF-8 (signers sign text; a round trip must be exact). */
function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Signs the bytes (UTF-8 text) once per signer; every signature covers the same PAE. */
export function signDsseBytes(
  signers: readonly TextSigner[],
  payloadType: string,
  payload: Uint8Array,
): DsseEnvelope {
  const body = utf8(payload);
  if (body === null) throw new TypeError('DSSE byte payloads must be UTF-8 text');
  if (signers.length === 0) throw new TypeError('At least one signer is needed');
  const pae = dssePae(payloadType, body);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: signers.map((signer) => ({ keyid: signer.keyId, sig: signer.sign(pae) })),
  };
}

export interface OpenedDsseBytes {
  payload: Buffer;
  /** The trusted public keys (as given) that a signature verified with. */
  verifiedBy: string[];
  /** The key ids of the signatures that verified with one of them. */
  keyids: string[];
}

function envelopeParts(envelope: unknown, payloadType: string) {
  if (typeof envelope !== 'object' || envelope === null) return null;
  const { payloadType: type, payload, signatures } = envelope as Partial<DsseEnvelope>;
  if (type !== payloadType || typeof payload !== 'string' || !Array.isArray(signatures)) return null;
  // Strict base64, so two different envelopes cannot carry the same payload.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 !== 0) return null;
  const bytes = Buffer.from(payload, 'base64');
  const body = utf8(bytes);
  return body === null ? null : { bytes, body, type, signatures };
}

/**
 * The payload bytes when at least one signature verifies with one of the trusted keys and the
 * payload type is the expected one; null otherwise. Never throws.
 */
export function openDsseBytes(
  envelope: unknown,
  publicKeys: readonly string[],
  payloadType: string,
): OpenedDsseBytes | null {
  const parts = envelopeParts(envelope, payloadType);
  if (!parts) return null;
  const pae = dssePae(parts.type, parts.body);
  const verifiedBy = new Set<string>();
  const keyids = new Set<string>();
  for (const signature of parts.signatures as unknown[]) {
    const { keyid, sig } = (signature ?? {}) as { keyid?: unknown; sig?: unknown };
    if (typeof sig !== 'string') continue;
    const key = publicKeys.find((candidate) => sm2Verify(pae, sig, candidate));
    if (key === undefined) continue;
    verifiedBy.add(key);
    if (typeof keyid === 'string') keyids.add(keyid);
  }
  if (verifiedBy.size === 0) return null;
  return { payload: parts.bytes, verifiedBy: [...verifiedBy], keyids: [...keyids] };
}

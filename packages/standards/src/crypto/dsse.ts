/**
 * DSSE envelopes (exchange.md §8.4: "sign bytes, not JSON semantics") for documents the hub
 * signs, such as grants: the signature covers the pre-authentication encoding (PAE) of the
 * payload type and the exact payload bytes, so no verifier has to re-canonicalise anything.
 */
import { canonicalJson } from './canonical-json.js';
import { sm2Sign, sm2Verify } from './sm2.js';

export interface DsseSignature {
  keyid: string;
  /** SM2-with-SM3 signature, DER hex, over the PAE. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the payload bytes (the JCS form of a JSON document). */
  payload: string;
  signatures: DsseSignature[];
}

/** `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in UTF-8 bytes. */
export function dssePae(payloadType: string, body: string): string {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  return `DSSEv1 ${bytes(payloadType)} ${payloadType} ${bytes(body)} ${body}`;
}

/** Signs a JSON document: its JCS bytes become the payload. */
export function signDsse(
  signer: { keyId: string; sign(text: string): string } | { keyId: string; privateKey: string },
  payloadType: string,
  document: unknown,
): DsseEnvelope {
  const body = canonicalJson(document);
  const pae = dssePae(payloadType, body);
  const sig = 'sign' in signer ? signer.sign(pae) : sm2Sign(pae, signer.privateKey);
  return {
    payloadType,
    payload: Buffer.from(body, 'utf8').toString('base64'),
    signatures: [{ keyid: signer.keyId, sig }],
  };
}

/**
 * The payload of an envelope when one of its signatures verifies with the public key (and the
 * payload type is the expected one); null otherwise. Never throws.
 */
export function openDsse(envelope: unknown, publicKeyHex: string, payloadType?: string): unknown {
  if (typeof envelope !== 'object' || envelope === null) return null;
  const { payloadType: type, payload, signatures } = envelope as Partial<DsseEnvelope>;
  if (typeof type !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures)) return null;
  if (payloadType !== undefined && type !== payloadType) return null;
  const body = Buffer.from(payload, 'base64').toString('utf8');
  const pae = dssePae(type, body);
  const valid = signatures.some(
    (signature: Partial<DsseSignature> | null) =>
      typeof signature?.sig === 'string' && sm2Verify(pae, signature.sig, publicKeyHex),
  );
  if (!valid) return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

import { sm2 } from 'sm-crypto-v2';

/**
 * SM2 (GB/T 32918) signatures with SM3, as the hub signs receipts and audit checkpoints.
 * `node:crypto` cannot make real SM2 signatures (it signs plain ECDSA on the SM2 curve), so
 * this goes through sm-crypto-v2. Pure: no I/O.
 */

/** SM3 with the Z_A preprocessing (default user ID 1234567812345678), DER-encoded. */
const SIGN_OPTIONS = { hash: true, der: true } as const;

/** An SM2 key pair in hex (public key uncompressed, 130 hex digits). */
export interface Sm2KeyPair {
  publicKey: string;
  privateKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

/** Signs text (UTF-8) with SM2-with-SM3; returns the DER signature in hex. */
export function sm2Sign(text: string, privateKey: string): string {
  return sm2.doSignature(text, privateKey, SIGN_OPTIONS);
}

/** Verifies an SM2-with-SM3 DER signature; false for any malformed input, never throws. */
export function sm2Verify(text: string, signature: string, publicKey: string): boolean {
  try {
    return sm2.doVerifySignature(text, signature, publicKey, SIGN_OPTIONS);
  } catch {
    return false;
  }
}

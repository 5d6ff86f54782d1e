import { canonicalJson } from './canonical-json.js';
import { sm2Verify } from './sm2.js';

/** What a receipt says about one accepted write or review transition. */
export interface ReceiptPayload {
  v: 1;
  /** GB/T 2260 code of the hub that accepted it. */
  hub: string;
  code: string;
  version: number;
  contentHash: string;
  status: string;
  time: string;
}

/** One item of a batch receipt. */
export interface BatchReceiptItem {
  code: string;
  version: number;
  contentHash: string;
  status: string;
  result: 'created' | 'updated' | 'unchanged';
}

/** What a batch receipt says: every accepted item of one batch, under one signature. */
export interface BatchReceiptPayload {
  v: 1;
  hub: string;
  time: string;
  items: BatchReceiptItem[];
}

/** What a data commit receipt says: which rows of which submission the hub took, and the result. */
export interface SubmissionReceiptPayload {
  v: 1;
  kind: 'data.commit';
  hub: string;
  time: string;
  submission: string;
  resource: string;
  /** The catalog version whose items the rows were checked against. */
  resourceVersion: number;
  mode: 'full' | 'incremental' | 'delete';
  /** Rows received, rows stored (or deleted), rows turned into problem records. */
  rows: number;
  accepted: number;
  rejected: number;
  /** Keys deleted (delete mode) or rows dropped by a full replace. */
  deleted: number;
  /** SM3 over the chunk checksums in order: binds the receipt to the bytes uploaded. */
  chunksDigest: string;
}

export type AnyReceiptPayload = ReceiptPayload | BatchReceiptPayload | SubmissionReceiptPayload;

/** A payload and the hub's SM2-with-SM3 signature over its canonical JSON (RFC 8785). */
export interface Receipt<P = AnyReceiptPayload> {
  payload: P;
  signature: { keyId: string; algorithm: 'sm2-sm3'; value: string };
}

/**
 * Whoever signs receipts: a key id and an SM2-with-SM3 signer returning DER hex. The hub passes
 * its key object; the private key itself never has to reach this package.
 */
export interface ReceiptSigner {
  keyId: string;
  sign(text: string): string;
}

/**
 * Signs a receipt payload. The signature covers the JCS form, so a verifier that re-serialises
 * the payload it received gets the same bytes whatever its JSON library.
 */
export function signReceipt<P extends AnyReceiptPayload>(key: ReceiptSigner, payload: P): Receipt<P> {
  return {
    payload,
    signature: { keyId: key.keyId, algorithm: 'sm2-sm3', value: key.sign(canonicalJson(payload)) },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Verifies a receipt offline with the hub's public key (hex, from `GET /api/v1/hub/key`).
 * Returns false for anything that is not a well-formed receipt signed by that key, including a
 * payload changed after signing; never throws.
 */
export function verifyReceipt(receipt: unknown, publicKeyHex: string): boolean {
  if (!isObject(receipt) || !isObject(receipt.payload) || !isObject(receipt.signature)) return false;
  const { algorithm, value } = receipt.signature;
  if (algorithm !== 'sm2-sm3' || typeof value !== 'string' || receipt.payload.v !== 1) return false;
  let text: string;
  try {
    text = canonicalJson(receipt.payload);
  } catch {
    return false;
  }
  return sm2Verify(text, value, publicKeyHex);
}

import { hash } from 'node:crypto';

/** SM3 (GB/T 32905) of text (as UTF-8) or bytes, as lower-case hex. */
export function sm3Hex(data: string | Uint8Array): string {
  // One-shot: no Hash object a call (rows are hashed one by one, millions of them).
  return hash('sm3', data, 'hex');
}

/** The `sm3:<hex>` form Minjiang uses for content digests. */
export function sm3Digest(data: string | Uint8Array): string {
  return `sm3:${sm3Hex(data)}`;
}

/** The chain link of the audit log: SM3 over the previous link and this entry's leaf hash. */
export function chainHash(previousChainHash: string, leafHash: string): string {
  return sm3Hex(`${previousChainHash}${leafHash}`);
}

/** The chain hash before the first entry: 64 zeros. */
export const GENESIS_CHAIN_HASH = '0'.repeat(64);

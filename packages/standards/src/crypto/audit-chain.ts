import { chainHash, GENESIS_CHAIN_HASH, sm3Hex } from './sm3.js';

/**
 * Offline verification of a hub's audit log (exchange.md §8.6). The log is an SM3 hash chain
 * today: leaf hash = SM3(leaf bytes), chain hash = SM3(previous chain hex ‖ leaf hash hex). Its
 * signed checkpoints already carry the RFC 9162 Merkle tree head (SM3, leaf hash
 * SM3(0x00 ‖ leaf), node SM3(0x01 ‖ L ‖ R)) over the same leaves, so inclusion and consistency
 * proofs can come later without re-signing anything. Pure: SM3 only, no I/O.
 */

/** One entry as a verifier receives it: the leaf exactly as hashed, and the hub's hashes. */
export interface AuditChainEntry {
  seq: number;
  leaf: string;
  leafHash: string;
  chainHash: string;
}

/** Why a chain fails, at the first bad entry. */
export type AuditChainFault = 'SEQ_GAP' | 'SEQ_ORDER' | 'LEAF_HASH_MISMATCH' | 'CHAIN_BROKEN';

export type AuditChainResult =
  { ok: true; size: number; chainHash: string } | { ok: false; seq: number; reason: AuditChainFault };

export interface AuditChainOptions {
  /** Chain hash before the first entry; genesis (64 zeros) when the range starts at seq 1. */
  previousChainHash?: string;
  /** Entries before the first one; 0 without a previous chain hash, else the first seq − 1. */
  previousSize?: number;
}

function seqFault(seq: number, expected: number): AuditChainResult | null {
  if (!Number.isSafeInteger(seq) || seq < expected) return { ok: false, seq: expected, reason: 'SEQ_ORDER' };
  if (seq > expected) return { ok: false, seq: expected, reason: 'SEQ_GAP' };
  return null;
}

/**
 * Checks that entries are consecutive, that each leaf hashes to its leaf hash and that each
 * link follows from the previous one. Reports the first bad position: for a missing entry (a
 * gap) or an entry out of order, the seq that was expected there.
 */
export function verifyAuditChain(
  entries: Iterable<AuditChainEntry>,
  options: AuditChainOptions = {},
): AuditChainResult {
  let previous = options.previousChainHash ?? GENESIS_CHAIN_HASH;
  let size: number | undefined =
    options.previousSize ?? (options.previousChainHash === undefined ? 0 : undefined);
  for (const entry of entries) {
    size ??= entry.seq - 1;
    const expected = size + 1;
    const fault = seqFault(entry.seq, expected);
    if (fault) return fault;
    if (typeof entry.leaf !== 'string' || sm3Hex(entry.leaf) !== entry.leafHash)
      return { ok: false, seq: expected, reason: 'LEAF_HASH_MISMATCH' };
    if (chainHash(previous, entry.leafHash) !== entry.chainHash)
      return { ok: false, seq: expected, reason: 'CHAIN_BROKEN' };
    previous = entry.chainHash;
    size = expected;
  }
  return { ok: true, size: size ?? 0, chainHash: previous };
}

/** RFC 9162 leaf hash with SM3: SM3(0x00 ‖ leaf bytes), hex. */
export function merkleLeafHash(leaf: string): string {
  return sm3Hex(Buffer.concat([Buffer.of(0), Buffer.from(leaf, 'utf8')]));
}

/** RFC 9162 interior node with SM3: SM3(0x01 ‖ left ‖ right), hex. */
export function merkleNodeHash(left: string, right: string): string {
  return sm3Hex(Buffer.concat([Buffer.of(1), Buffer.from(left, 'hex'), Buffer.from(right, 'hex')]));
}

/** Root of the empty tree: SM3 of nothing. */
export const EMPTY_MERKLE_ROOT = sm3Hex('');

/**
 * A compact range: the roots of the perfect subtrees that make up the first `size` leaves,
 * largest first (one per set bit of `size`). It is all a log needs to extend its tree head.
 */
export interface MerkleRange {
  size: number;
  hashes: string[];
}

export const EMPTY_MERKLE_RANGE: MerkleRange = { size: 0, hashes: [] };

/** The range after one more leaf (its Merkle leaf hash); the input is left unchanged. */
export function merkleAppend(range: MerkleRange, leafHash: string): MerkleRange {
  const hashes = [...range.hashes];
  let hash = leafHash;
  // Each trailing 1 bit of the old size is a subtree of the new leaf's size: merge it.
  for (let bits = range.size; bits % 2 === 1; bits = Math.floor(bits / 2)) {
    hash = merkleNodeHash(hashes.pop() as string, hash);
  }
  hashes.push(hash);
  return { size: range.size + 1, hashes };
}

/** The RFC 9162 tree head of a range, hex. */
export function merkleRoot(range: MerkleRange): string {
  if (range.hashes.length === 0) return EMPTY_MERKLE_ROOT;
  let root = range.hashes[range.hashes.length - 1] as string;
  for (let i = range.hashes.length - 2; i >= 0; i -= 1)
    root = merkleNodeHash(range.hashes[i] as string, root);
  return root;
}

/** The signed part of a checkpoint, as in the audit/checkpoint-1.0 schema (signatures aside). */
export interface AuditCheckpointBody {
  origin: string;
  size: number;
  /** base64 of the 32-byte Merkle root. */
  rootHash: string;
  /** Seconds since the epoch. */
  time: number;
}

/**
 * The text a checkpoint's signatures cover: the C2SP signed-note body of exchange.md §8.6 —
 * origin, size, base64 root, then the `time` extension line, each ending in a newline. It is
 * rebuilt from the JSON form alone, so hub and witnesses sign the same bytes.
 */
export function auditCheckpointNote(body: AuditCheckpointBody): string {
  return `${body.origin}\n${body.size}\n${body.rootHash}\ntime ${body.time}\n`;
}

/** hex ↔ base64, for roots and signatures (the schema writes both in base64). */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function base64ToHex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}

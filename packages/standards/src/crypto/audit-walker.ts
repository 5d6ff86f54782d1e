import {
  hexToBase64,
  merkleAppend,
  merkleLeafHash,
  merkleRoot,
  verifyAuditChain,
  type AuditChainEntry,
  type AuditChainFault,
  type MerkleRange,
} from './audit-chain.js';
import { checkpointSignatureValid, type CheckpointRecord } from './signed-note.js';
import { sm3Digest } from './sm3.js';

/** Why verification fails: a broken chain, or one of the checks around it. */
export type AuditFault =
  | AuditChainFault
  | 'EVIDENCE_MISMATCH'
  | 'INDEX_MISMATCH'
  | 'CHECKPOINT_SIGNATURE'
  | 'CHECKPOINT_MISMATCH'
  | 'TRUNCATED'
  | 'HEAD_MISMATCH'
  | 'KEY_MISMATCH'
  | 'BAD_EXPORT';

/** The outcome: the verified size and last link, or the first bad seq and why. */
export type AuditVerification =
  | { ok: true; size: number; chainHash: string; checkpoints: number }
  | { ok: false; seq: number; reason: AuditFault; detail?: string };

export type AuditFailure = Extract<AuditVerification, { ok: false }>;

/** An entry to walk: the chain members and, when the evidence bundle was kept, its bytes. */
export interface AuditWalkEntry extends AuditChainEntry {
  evidence?: string;
}

/** Where a walk starts: the size before the first entry, its chain hash and Merkle range. */
export interface AuditWalkStart {
  size: number;
  chainHash: string;
  range: MerkleRange;
}

export function auditFailure(seq: number, reason: AuditFault, detail?: string): AuditFailure {
  return { ok: false, seq, reason, ...(detail !== undefined ? { detail } : {}) };
}

function evidenceMatches(entry: AuditWalkEntry): boolean {
  if (entry.evidence === undefined) return true;
  try {
    const leaf = JSON.parse(entry.leaf) as { evidence?: unknown };
    return leaf.evidence === sm3Digest(entry.evidence);
  } catch {
    return false;
  }
}

/**
 * Walks entries in order, once: the chain link by link (`verifyAuditChain`), each leaf's
 * commitment to its evidence, the Merkle range, and every checkpoint when the walk reaches its
 * size (signature, chain hash and tree head). Shared by the hub's live check and the offline
 * export verifier, so both find the same first fault.
 */
export class AuditWalker {
  private size: number;
  private chain: string;
  private range: MerkleRange;
  private checked = 0;
  private readonly bySize = new Map<number, CheckpointRecord[]>();

  constructor(
    start: AuditWalkStart,
    checkpoints: readonly CheckpointRecord[],
    private readonly publicKey: string,
    private readonly origin: string,
  ) {
    this.size = start.size;
    this.chain = start.chainHash;
    this.range = start.range;
    for (const record of checkpoints) {
      const size = record.checkpoint.size;
      this.bySize.set(size, [...(this.bySize.get(size) ?? []), record]);
    }
  }

  /** Checks the checkpoints at the start size (a range's anchor). */
  begin(): AuditFailure | null {
    return this.checkAt(this.size);
  }

  /** Takes the next entry; the first failure found, or null. */
  push(entry: AuditWalkEntry): AuditFailure | null {
    const result = verifyAuditChain([entry], { previousChainHash: this.chain, previousSize: this.size });
    if (!result.ok) return result;
    if (!evidenceMatches(entry)) return auditFailure(entry.seq, 'EVIDENCE_MISMATCH');
    this.range = merkleAppend(this.range, merkleLeafHash(entry.leaf));
    this.size = entry.seq;
    this.chain = entry.chainHash;
    return this.checkAt(entry.seq);
  }

  /** Ends the walk, which should have reached `expectedSize` and every checkpoint. */
  finish(expectedSize: number): AuditVerification {
    if (this.size > expectedSize)
      return auditFailure(expectedSize + 1, 'BAD_EXPORT', 'entries beyond the range');
    const furthest = Math.max(this.size, ...this.bySize.keys());
    if (this.size < expectedSize || furthest > this.size)
      return auditFailure(this.size + 1, 'TRUNCATED', `entries end at ${this.size}`);
    return { ok: true, size: this.size, chainHash: this.chain, checkpoints: this.checked };
  }

  private checkAt(size: number): AuditFailure | null {
    for (const { checkpoint, chainHash } of this.bySize.get(size) ?? []) {
      if (checkpoint.origin !== this.origin || !checkpointSignatureValid(checkpoint, this.publicKey))
        return auditFailure(size, 'CHECKPOINT_SIGNATURE', `checkpoint at size ${size}`);
      if (chainHash !== this.chain || checkpoint.rootHash !== hexToBase64(merkleRoot(this.range)))
        return auditFailure(size, 'CHECKPOINT_MISMATCH', `checkpoint at size ${size}`);
      this.checked += 1;
    }
    return null;
  }
}

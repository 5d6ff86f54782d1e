import { auditCheckpointNote, base64ToHex } from './audit-chain.js';
import { sm2Verify } from './sm2.js';

/**
 * Checkpoint signatures (exchange.md §8.6): each covers the C2SP signed-note body rebuilt from
 * the checkpoint's JSON form (`auditCheckpointNote`), never the note text a file carries, so a
 * verifier cannot be shown one note and have another one checked.
 */

export interface CheckpointSignature {
  keyId: string;
  algorithm: 'sm2-sm3';
  /** base64 of the DER SM2 signature over the checkpoint note. */
  signature: string;
}

/**
 * A checkpoint in the form of the audit/checkpoint-1.0 schema. (The generated `AuditCheckpoint`
 * type has the schema's 1–8 tuple of signatures; this is the shape a verifier works with.)
 */
export interface SignedCheckpoint {
  origin: string;
  size: number;
  rootHash: string;
  time: number;
  signatures: CheckpointSignature[];
}

/**
 * A checkpoint as the hub's API and its audit export carry it: the schema form, the chain hash at
 * its size (what a verifier compares entry by entry today), and the signed note text.
 */
export interface CheckpointRecord {
  checkpoint: SignedCheckpoint;
  chainHash: string;
  note: string;
}

/** Whether the hub's signature (the first) covers the note rebuilt from the checkpoint. */
export function checkpointSignatureValid(checkpoint: SignedCheckpoint, publicKey: string): boolean {
  const hub = checkpoint.signatures[0];
  if (hub?.algorithm !== 'sm2-sm3' || typeof hub.signature !== 'string') return false;
  return sm2Verify(auditCheckpointNote(checkpoint), base64ToHex(hub.signature), publicKey);
}

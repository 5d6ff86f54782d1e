import { EMPTY_MERKLE_RANGE } from './audit-chain.js';
import {
  auditFailure,
  AuditWalker,
  type AuditFailure,
  type AuditVerification,
  type AuditWalkStart,
} from './audit-walker.js';
import type { CheckpointRecord } from './signed-note.js';
import { GENESIS_CHAIN_HASH } from './sm3.js';

/**
 * A hub's audit export is JSON Lines: a header, one line per entry in seq order, then the
 * checkpoints whose size falls in the range (from − 1 to `to`). An entry line carries the leaf as
 * the exact string that was hashed, and the evidence bundle the leaf commits to. A range that
 * starts after 1 carries the state before it (chain hash and compact Merkle range), so it
 * verifies on its own; a checkpoint at from − 1, when there is one, vouches for that state.
 */
export const AUDIT_EXPORT_FORMAT = 'minjiang-audit-export/1';

export interface AuditExportHeader {
  format: typeof AUDIT_EXPORT_FORMAT;
  hub: string;
  origin: string;
  keyId: string;
  /** SM2 public key, uncompressed hex: the key the checkpoints are signed with. */
  publicKey: string;
  algorithm: 'sm2-sm3';
  from: number;
  to: number;
  previous: { size: number; chainHash: string; merkleRange: string[] };
  exportedAt: string;
}

export interface AuditExportEntry {
  seq: number;
  leaf: string;
  leafHash: string;
  chainHash: string;
  evidence: string;
}

/** An export split into its parts; the parts are only shaped, not yet verified. */
export interface ParsedAuditExport {
  header: AuditExportHeader;
  entries: AuditExportEntry[];
  checkpoints: CheckpointRecord[];
}

function isCheckpointLine(line: unknown): line is CheckpointRecord {
  const checkpoint = (line as Partial<CheckpointRecord> | null)?.checkpoint;
  return Number.isSafeInteger(checkpoint?.size) && Array.isArray(checkpoint?.signatures);
}

function parseLines(text: string): unknown[] | AuditFailure {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const parsed: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      return auditFailure(0, 'BAD_EXPORT', `line ${index + 1} is not JSON`);
    }
  }
  return parsed;
}

/** Splits an export into header, entries and checkpoints, or says why it is not one (`BAD_EXPORT`). */
export function parseAuditExport(text: string): ParsedAuditExport | AuditFailure {
  const parsed = parseLines(text);
  if (!Array.isArray(parsed)) return parsed;
  const [header, ...rest] = parsed as Record<string, unknown>[];
  if (header?.format !== AUDIT_EXPORT_FORMAT)
    return auditFailure(0, 'BAD_EXPORT', `not ${AUDIT_EXPORT_FORMAT}`);
  const { from, to, previous } = header as unknown as AuditExportHeader;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || previous?.size !== from - 1)
    return auditFailure(0, 'BAD_EXPORT', 'the header has no valid range');
  const entries: AuditExportEntry[] = [];
  const checkpoints: CheckpointRecord[] = [];
  for (const line of rest) {
    if (isCheckpointLine(line)) checkpoints.push(line);
    else if (line !== null && typeof line === 'object' && 'seq' in line)
      entries.push(line as unknown as AuditExportEntry);
    else return auditFailure(0, 'BAD_EXPORT', 'a line is neither an entry nor a checkpoint');
  }
  return { header: header as unknown as AuditExportHeader, entries, checkpoints };
}

function startOf(header: AuditExportHeader): AuditWalkStart {
  if (header.from === 1) return { size: 0, chainHash: GENESIS_CHAIN_HASH, range: EMPTY_MERKLE_RANGE };
  const { size, chainHash, merkleRange } = header.previous;
  return { size, chainHash, range: { size, hashes: Array.isArray(merkleRange) ? merkleRange : [] } };
}

/**
 * Verifies an export offline: every link of the chain from the state before the range, every
 * leaf's evidence, every checkpoint's signature and that its chain hash and Merkle tree head
 * match the entries at its size, and that the entries reach `to`. Pass the hub's public key
 * obtained out of band to pin it; without one, the key in the header is used. Never throws.
 */
export function verifyAuditExport(text: string, publicKeyHex?: string): AuditVerification {
  const parsed = parseAuditExport(text);
  if ('ok' in parsed) return parsed;
  const { header, entries, checkpoints } = parsed;
  if (publicKeyHex !== undefined && publicKeyHex.toLowerCase() !== String(header.publicKey).toLowerCase())
    return auditFailure(0, 'KEY_MISMATCH', `the export names key ${header.keyId}`);
  const origin = `ses.${header.hub}.audit/v1`;
  const walker = new AuditWalker(startOf(header), checkpoints, publicKeyHex ?? header.publicKey, origin);
  const initial = walker.begin();
  if (initial) return initial;
  for (const entry of entries) {
    const fault = walker.push(entry);
    if (fault) return fault;
  }
  return walker.finish(header.to);
}

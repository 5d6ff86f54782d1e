import { EMPTY_MERKLE_RANGE, GENESIS_CHAIN_HASH } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { toRecord, type CheckpointRecord } from './checkpoints.js';
import { auditOrigin, chainHashAt, entryPages, rangeAt, readHead } from './store.js';
import { AuditWalker, failure, type AuditFailure, type AuditVerification, type WalkStart } from './walker.js';

/**
 * The export is JSON Lines: a header, one line per entry in seq order, then the checkpoints
 * whose size falls in the range (from − 1 to `to`). An entry line carries the leaf as the exact
 * string that was hashed, and the evidence bundle the leaf commits to. A range that starts
 * after 1 carries the state before it (chain hash and compact Merkle range), so it verifies on
 * its own; a checkpoint at from − 1, when there is one, vouches for that state.
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

/** The range to export: `from` 1 and `to` the committed head by default; refused if outside. */
export async function exportRange(
  hub: HubContext,
  query: { from?: number; to?: number },
): Promise<{ from: number; to: number }> {
  const head = await readHead(hub.store.db);
  const from = query.from ?? 1;
  const to = Math.min(query.to ?? head.seq, head.seq);
  if (from > head.seq + 1 || to < from - 1) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: `the range ${from}–${query.to ?? head.seq} is outside the log (1–${head.seq})`,
    });
  }
  return { from, to };
}

async function header(hub: HubContext, from: number, to: number): Promise<AuditExportHeader> {
  const { db } = hub.store;
  const size = from - 1;
  const range = await rangeAt(db, size);
  return {
    format: AUDIT_EXPORT_FORMAT,
    hub: hub.config.hubCode,
    origin: auditOrigin(hub.config.hubCode),
    keyId: hub.key.keyId,
    publicKey: hub.key.publicKey,
    algorithm: 'sm2-sm3',
    from,
    to,
    // A missing entry before the range shows up as a broken chain at `from`.
    previous: { size, chainHash: (await chainHashAt(db, size)) ?? '', merkleRange: range.hashes },
    exportedAt: hub.now().toISOString(),
  };
}

/** The export's lines, each ending in a newline, streamed a page at a time. */
export async function* auditExportLines(hub: HubContext, from: number, to: number): AsyncGenerator<string> {
  const { db } = hub.store;
  yield `${JSON.stringify(await header(hub, from, to))}\n`;
  for await (const page of entryPages(db, from - 1, to)) {
    const lines = page.map((row) => {
      const entry: AuditExportEntry = {
        seq: row.seq,
        leaf: row.leaf,
        leafHash: row.leaf_hash,
        chainHash: row.chain_hash,
        evidence: row.evidence,
      };
      return `${JSON.stringify(entry)}\n`;
    });
    yield lines.join('');
  }
  const checkpoints = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('size', '>=', from - 1)
    .where('size', '<=', to)
    .orderBy('size')
    .execute();
  for (const row of checkpoints) yield `${JSON.stringify(toRecord(row))}\n`;
}

interface ParsedExport {
  header: AuditExportHeader;
  entries: AuditExportEntry[];
  checkpoints: CheckpointRecord[];
}

function isCheckpointLine(line: unknown): line is CheckpointRecord {
  const checkpoint = (line as Partial<CheckpointRecord> | null)?.checkpoint;
  return Number.isSafeInteger(checkpoint?.size) && Array.isArray(checkpoint?.signatures);
}

function parseExport(text: string): ParsedExport | AuditFailure {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const parsed: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      return failure(0, 'BAD_EXPORT', `line ${index + 1} is not JSON`);
    }
  }
  const [header, ...rest] = parsed as Record<string, unknown>[];
  if (header?.format !== AUDIT_EXPORT_FORMAT) return failure(0, 'BAD_EXPORT', `not ${AUDIT_EXPORT_FORMAT}`);
  const { from, to, previous } = header as unknown as AuditExportHeader;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || previous?.size !== from - 1)
    return failure(0, 'BAD_EXPORT', 'the header has no valid range');
  const entries: AuditExportEntry[] = [];
  const checkpoints: CheckpointRecord[] = [];
  for (const line of rest) {
    if (isCheckpointLine(line)) checkpoints.push(line);
    else if (line !== null && typeof line === 'object' && 'seq' in line)
      entries.push(line as unknown as AuditExportEntry);
    else return failure(0, 'BAD_EXPORT', 'a line is neither an entry nor a checkpoint');
  }
  return { header: header as unknown as AuditExportHeader, entries, checkpoints };
}

function startOf(header: AuditExportHeader): WalkStart {
  if (header.from === 1) return { size: 0, chainHash: GENESIS_CHAIN_HASH, range: EMPTY_MERKLE_RANGE };
  const { size, chainHash, merkleRange } = header.previous;
  return { size, chainHash, range: { size, hashes: Array.isArray(merkleRange) ? merkleRange : [] } };
}

/**
 * Verifies an export offline: every link of the chain from the state before the range, every
 * leaf's evidence, every checkpoint's signature and that its chain hash and Merkle tree head
 * match the entries at its size, and that the entries reach `to`. Pass the hub's public key
 * obtained out of band to pin it; without one, the key in the header is used.
 */
export function verifyAuditExport(text: string, publicKeyHex?: string): AuditVerification {
  const parsed = parseExport(text);
  if ('ok' in parsed) return parsed;
  const { header, entries, checkpoints } = parsed;
  if (publicKeyHex !== undefined && publicKeyHex.toLowerCase() !== String(header.publicKey).toLowerCase())
    return failure(0, 'KEY_MISMATCH', `the export names key ${header.keyId}`);
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

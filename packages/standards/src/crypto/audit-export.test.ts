import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditCheckpointNote,
  EMPTY_MERKLE_RANGE,
  hexToBase64,
  merkleAppend,
  merkleLeafHash,
  merkleRoot,
  type MerkleRange,
} from './audit-chain.js';
import {
  AUDIT_EXPORT_FORMAT,
  parseAuditExport,
  verifyAuditExport,
  type AuditExportEntry,
} from './audit-export.js';
import { canonicalJson } from './canonical-json.js';
import type { CheckpointRecord } from './signed-note.js';
import { generateSm2KeyPair, sm2Sign } from './sm2.js';
import { chainHash, GENESIS_CHAIN_HASH, sm3Digest, sm3Hex } from './sm3.js';

const HUB = '350000';
const ORIGIN = `ses.${HUB}.audit/v1`;
const KEY = generateSm2KeyPair();

interface Log {
  entries: AuditExportEntry[];
  /** The state after each size (index = size). */
  states: { chainHash: string; range: MerkleRange }[];
}

/** A log of `size` entries as the hub writes them: JCS leaves committing to salted evidence. */
function buildLog(size: number): Log {
  const log: Log = { entries: [], states: [{ chainHash: GENESIS_CHAIN_HASH, range: EMPTY_MERKLE_RANGE }] };
  for (let seq = 1; seq <= size; seq += 1) {
    const evidence = canonicalJson({
      salt: seq.toString(16).padStart(32, '0'),
      event: { action: 'put', seq },
    });
    const leaf = canonicalJson({
      v: 1,
      hub: HUB,
      ts: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      type: 'catalog.change',
      result: 'success',
      actor: { org: 'org-1', role: 'operator' },
      evidence: sm3Digest(evidence),
    });
    const previous = log.states[seq - 1] as Log['states'][number];
    const leafHash = sm3Hex(leaf);
    const link = chainHash(previous.chainHash, leafHash);
    log.entries.push({ seq, leaf, leafHash, chainHash: link, evidence });
    log.states.push({ chainHash: link, range: merkleAppend(previous.range, merkleLeafHash(leaf)) });
  }
  return log;
}

function checkpointAt(log: Log, size: number, privateKey = KEY.privateKey): CheckpointRecord {
  const state = log.states[size] as Log['states'][number];
  const body = {
    origin: ORIGIN,
    size,
    rootHash: hexToBase64(merkleRoot(state.range)),
    time: 1735689600 + size,
  };
  const note = auditCheckpointNote(body);
  const signature = hexToBase64(sm2Sign(note, privateKey));
  return {
    checkpoint: { ...body, signatures: [{ keyId: `${HUB}#hub-test`, algorithm: 'sm2-sm3', signature }] },
    chainHash: state.chainHash,
    note,
  };
}

/** The export of `from`..`to` with the checkpoints at `sizes` that fall in from − 1..to. */
function exportText(log: Log, from: number, to: number, sizes: number[]): string {
  const before = log.states[from - 1] as Log['states'][number];
  const header = {
    format: AUDIT_EXPORT_FORMAT,
    hub: HUB,
    origin: ORIGIN,
    keyId: `${HUB}#hub-test`,
    publicKey: KEY.publicKey,
    algorithm: 'sm2-sm3',
    from,
    to,
    previous: { size: from - 1, chainHash: before.chainHash, merkleRange: before.range.hashes },
    exportedAt: '2025-01-02T00:00:00.000Z',
  };
  const lines = [header, ...log.entries.slice(from - 1, to)];
  const checkpoints = sizes.filter((size) => size >= from - 1 && size <= to).map((s) => checkpointAt(log, s));
  return [...lines, ...checkpoints].map((line) => `${JSON.stringify(line)}\n`).join('');
}

const LOG = buildLog(12);
const WHOLE = exportText(LOG, 1, 12, [4, 8, 12]);

function editLine(text: string, index: number, edit: (line: Record<string, unknown>) => unknown): string {
  const lines = text.trimEnd().split('\n');
  lines[index] = JSON.stringify(edit(JSON.parse(lines[index] as string) as Record<string, unknown>));
  return lines.join('\n');
}

describe('verifyAuditExport', () => {
  it('accepts an intact export, with or without the key pinned, and counts its checkpoints', () => {
    const expected = { ok: true, size: 12, chainHash: LOG.states[12]?.chainHash, checkpoints: 3 };
    expect(verifyAuditExport(WHOLE, KEY.publicKey)).toEqual(expected);
    expect(verifyAuditExport(WHOLE, KEY.publicKey.toUpperCase())).toEqual(expected);
    expect(verifyAuditExport(WHOLE)).toEqual(expected);
  });

  it('verifies a range on its own from the state before it, anchored by a checkpoint there', () => {
    expect(verifyAuditExport(exportText(LOG, 5, 10, [4, 8, 12]), KEY.publicKey)).toEqual({
      ok: true,
      size: 10,
      chainHash: LOG.states[10]?.chainHash,
      checkpoints: 2,
    });
    expect(verifyAuditExport(exportText(LOG, 13, 12, []), KEY.publicKey)).toMatchObject({
      ok: true,
      size: 12,
    });
  });

  it('finds the first bad entry: leaf, link, evidence, gap and order', () => {
    const leaf = editLine(WHOLE, 5, (e) => ({ ...e, leaf: String(e.leaf).replace('success', 'failure') }));
    expect(verifyAuditExport(leaf)).toMatchObject({ ok: false, seq: 5, reason: 'LEAF_HASH_MISMATCH' });
    const link = editLine(WHOLE, 5, (e) => ({ ...e, chainHash: '0'.repeat(64) }));
    expect(verifyAuditExport(link)).toMatchObject({ ok: false, seq: 5, reason: 'CHAIN_BROKEN' });
    const evidence = editLine(WHOLE, 5, (e) => ({
      ...e,
      evidence: String(e.evidence).replace('put', 'get'),
    }));
    expect(verifyAuditExport(evidence)).toMatchObject({ ok: false, seq: 5, reason: 'EVIDENCE_MISMATCH' });
    const lines = WHOLE.split('\n');
    expect(verifyAuditExport([...lines.slice(0, 5), ...lines.slice(6)].join('\n'))).toMatchObject({
      seq: 5,
      reason: 'SEQ_GAP',
    });
    const swapped = [...lines];
    [swapped[5], swapped[6]] = [lines[6] as string, lines[5] as string];
    expect(verifyAuditExport(swapped.join('\n'))).toMatchObject({ seq: 5, reason: 'SEQ_GAP' });
  });

  it('catches a log rewritten consistently: its old checkpoints no longer match', () => {
    const lines = WHOLE.trimEnd().split('\n');
    let previous = LOG.states[5]?.chainHash as string;
    for (let seq = 6; seq <= 12; seq += 1) {
      const old = JSON.parse(lines[seq] as string) as AuditExportEntry;
      const leaf = seq === 6 ? old.leaf.replace('operator', 'admin') : old.leaf;
      const leafHash = sm3Hex(leaf);
      previous = chainHash(previous, leafHash);
      lines[seq] = JSON.stringify({ ...old, leaf, leafHash, chainHash: previous });
    }
    expect(verifyAuditExport(lines.join('\n'))).toMatchObject({ seq: 8, reason: 'CHECKPOINT_MISMATCH' });
  });

  it('checks each checkpoint’s signature, origin and key', () => {
    const other = generateSm2KeyPair();
    // Line 14 is the checkpoint at size 8 (header, 12 entries, then checkpoints 4, 8, 12).
    const forged = editLine(WHOLE, 14, () => checkpointAt(LOG, 8, other.privateKey));
    expect(verifyAuditExport(forged)).toMatchObject({ seq: 8, reason: 'CHECKPOINT_SIGNATURE' });
    const moved = editLine(WHOLE, 14, (c) => ({
      ...c,
      checkpoint: { ...(c.checkpoint as object), origin: 'ses.350100.audit/v1' },
    }));
    expect(verifyAuditExport(moved)).toMatchObject({ seq: 8, reason: 'CHECKPOINT_SIGNATURE' });
    expect(verifyAuditExport(WHOLE, other.publicKey)).toMatchObject({ seq: 0, reason: 'KEY_MISMATCH' });
    const swappedKey = editLine(WHOLE, 0, (h) => ({ ...h, publicKey: other.publicKey }));
    expect(verifyAuditExport(swappedKey)).toMatchObject({ seq: 4, reason: 'CHECKPOINT_SIGNATURE' });
  });

  it('reports entries cut off the end, and entries beyond the range', () => {
    const lines = WHOLE.trimEnd().split('\n');
    const cut = [...lines.slice(0, 11), ...lines.slice(13)].join('\n');
    expect(verifyAuditExport(cut)).toMatchObject({ seq: 11, reason: 'TRUNCATED' });
    const shortHeader = editLine(WHOLE, 0, (h) => ({ ...h, to: 11 }));
    expect(verifyAuditExport(shortHeader)).toMatchObject({ seq: 12, reason: 'BAD_EXPORT' });
    const noCheckpointLines = lines.slice(0, 13).join('\n');
    expect(verifyAuditExport(editLine(noCheckpointLines, 0, (h) => ({ ...h, to: 13 })))).toMatchObject({
      seq: 13,
      reason: 'TRUNCATED',
    });
  });

  it('refuses what is not an export, and never throws on a damaged one', () => {
    for (const text of ['', 'not json', '{"format":"other"}', editLine(WHOLE, 0, (h) => ({ ...h, from: 0 }))])
      expect(verifyAuditExport(text)).toMatchObject({ ok: false, seq: 0, reason: 'BAD_EXPORT' });
    expect(verifyAuditExport(`${WHOLE}[1,2]\n`)).toMatchObject({ reason: 'BAD_EXPORT' });
    fc.assert(
      fc.property(fc.nat(WHOLE.length - 1), fc.string({ maxLength: 3 }), (at, insert) => {
        const damaged = WHOLE.slice(0, at) + insert + WHOLE.slice(at + 1);
        const result = verifyAuditExport(damaged);
        // Some edits are harmless (exportedAt, a key's case); what matters is that none throws.
        return typeof result.ok === 'boolean';
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseAuditExport', () => {
  it('splits an export into header, entries and checkpoints', () => {
    const parsed = parseAuditExport(WHOLE);
    expect(parsed).toMatchObject({ header: { from: 1, to: 12, hub: HUB } });
    expect('entries' in parsed && [parsed.entries.length, parsed.checkpoints.length]).toEqual([12, 3]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUDIT_EXPORT_FORMAT,
  auditCheckpointNote,
  canonicalJson,
  chainHash,
  EMPTY_MERKLE_RANGE,
  generateSm2KeyPair,
  GENESIS_CHAIN_HASH,
  hexToBase64,
  merkleAppend,
  merkleLeafHash,
  merkleRoot,
  sm2Sign,
  sm3Digest,
  sm3Hex,
} from '@minjiang/standards';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../core/errors.js';
import { verifyAuditExportFile } from './verify-export.js';

const KEY = generateSm2KeyPair();

/** A three-entry export with a signed checkpoint at its end, built as a hub builds one. */
function exportLines(): string[] {
  let link = GENESIS_CHAIN_HASH;
  let range = EMPTY_MERKLE_RANGE;
  const entries = [1, 2, 3].map((seq) => {
    const evidence = canonicalJson({ salt: String(seq).repeat(32), event: { action: 'put', seq } });
    const leaf = canonicalJson({
      v: 1,
      hub: '350000',
      type: 'catalog.change',
      evidence: sm3Digest(evidence),
    });
    const leafHash = sm3Hex(leaf);
    link = chainHash(link, leafHash);
    range = merkleAppend(range, merkleLeafHash(leaf));
    return { seq, leaf, leafHash, chainHash: link, evidence };
  });
  const body = { origin: 'ses.350000.audit/v1', size: 3, rootHash: hexToBase64(merkleRoot(range)), time: 1 };
  const note = auditCheckpointNote(body);
  const signature = hexToBase64(sm2Sign(note, KEY.privateKey));
  const checkpoint = { ...body, signatures: [{ keyId: '350000#hub-1', algorithm: 'sm2-sm3', signature }] };
  const header = {
    format: AUDIT_EXPORT_FORMAT,
    hub: '350000',
    origin: body.origin,
    keyId: '350000#hub-1',
    publicKey: KEY.publicKey,
    algorithm: 'sm2-sm3',
    from: 1,
    to: 3,
    previous: { size: 0, chainHash: '', merkleRange: [] },
    exportedAt: '2025-01-01T00:00:00.000Z',
  };
  return [header, ...entries, { checkpoint, chainHash: link, note }].map((line) => JSON.stringify(line));
}

describe('verifyAuditExportFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minjiang-audit-verify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('verifies an intact export, pinned to the hub key or not, BOM or not', async () => {
    const path = write('ok.jsonl', `${exportLines().join('\n')}\n`);
    const expected = { ok: true, size: 3, checkpoints: 1 };
    await expect(verifyAuditExportFile(path, { publicKey: KEY.publicKey })).resolves.toMatchObject(expected);
    await expect(verifyAuditExportFile(path)).resolves.toMatchObject(expected);
    const bom = write('bom.jsonl', `\uFEFF${exportLines().join('\r\n')}\r\n`);
    await expect(verifyAuditExportFile(bom)).resolves.toMatchObject(expected);
  });

  it('reports the first tampered line and a foreign key as results, not errors', async () => {
    const lines = exportLines();
    lines[2] = (lines[2] as string).replace('put', 'get');
    const tampered = write('tampered.jsonl', lines.join('\n'));
    await expect(verifyAuditExportFile(tampered)).resolves.toEqual({
      ok: false,
      seq: 2,
      reason: 'EVIDENCE_MISMATCH',
    });
    const path = write('foreign.jsonl', exportLines().join('\n'));
    await expect(
      verifyAuditExportFile(path, { publicKey: generateSm2KeyPair().publicKey }),
    ).resolves.toMatchObject({ ok: false, reason: 'KEY_MISMATCH' });
  });

  it('refuses a missing file, a directory and a file above the size limit', async () => {
    const missing = verifyAuditExportFile(join(dir, 'nope.jsonl'));
    await expect(missing).rejects.toBeInstanceOf(FileFormatError);
    await expect(missing).rejects.toMatchObject({
      code: 'FILE-NOT-FOUND',
      location: join(dir, 'nope.jsonl'),
    });
    await expect(verifyAuditExportFile(dir)).rejects.toMatchObject({ code: 'FILE-TYPE' });
    const path = write('big.jsonl', exportLines().join('\n'));
    await expect(verifyAuditExportFile(path, { maxBytes: 100 })).rejects.toMatchObject({
      code: 'FILE-TOO-LARGE',
      hint: expect.stringContaining('from=') as unknown,
    });
  });
});

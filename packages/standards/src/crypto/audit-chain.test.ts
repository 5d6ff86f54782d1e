import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auditCheckpointNote,
  base64ToHex,
  EMPTY_MERKLE_RANGE,
  EMPTY_MERKLE_ROOT,
  hexToBase64,
  merkleAppend,
  merkleLeafHash,
  merkleNodeHash,
  merkleRoot,
  verifyAuditChain,
  type AuditChainEntry,
} from './audit-chain.js';
import { chainHash, GENESIS_CHAIN_HASH, sm3Hex } from './sm3.js';

function chain(leaves: string[], previous = GENESIS_CHAIN_HASH, first = 1): AuditChainEntry[] {
  let link = previous;
  return leaves.map((leaf, index) => {
    const leafHash = sm3Hex(leaf);
    link = chainHash(link, leafHash);
    return { seq: first + index, leaf, leafHash, chainHash: link };
  });
}

const LEAVES = ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}'];

describe('verifyAuditChain', () => {
  it('accepts an intact chain and reports its size and last link', () => {
    const entries = chain(LEAVES);
    expect(verifyAuditChain(entries)).toEqual({ ok: true, size: 5, chainHash: entries[4]?.chainHash });
    expect(verifyAuditChain([])).toEqual({ ok: true, size: 0, chainHash: GENESIS_CHAIN_HASH });
  });

  it('verifies a range on its own from the chain hash before it', () => {
    const entries = chain(LEAVES);
    const tail = entries.slice(2);
    expect(verifyAuditChain(tail, { previousChainHash: entries[1]?.chainHash })).toMatchObject({
      ok: true,
      size: 5,
    });
    expect(verifyAuditChain(tail)).toEqual({ ok: false, seq: 1, reason: 'SEQ_GAP' });
    expect(verifyAuditChain(tail, { previousChainHash: GENESIS_CHAIN_HASH })).toEqual({
      ok: false,
      seq: 3,
      reason: 'CHAIN_BROKEN',
    });
  });

  it('finds a changed leaf, a rehashed leaf, a gap and a reordering at the entry concerned', () => {
    const changed = chain(LEAVES).map((e) => (e.seq === 3 ? { ...e, leaf: '{"n":33}' } : e));
    expect(verifyAuditChain(changed)).toEqual({ ok: false, seq: 3, reason: 'LEAF_HASH_MISMATCH' });
    const rehashed = changed.map((e) => (e.seq === 3 ? { ...e, leafHash: sm3Hex(e.leaf) } : e));
    expect(verifyAuditChain(rehashed)).toEqual({ ok: false, seq: 3, reason: 'CHAIN_BROKEN' });
    const gap = chain(LEAVES).filter((e) => e.seq !== 2);
    expect(verifyAuditChain(gap)).toEqual({ ok: false, seq: 2, reason: 'SEQ_GAP' });
    const entries = chain(LEAVES);
    const swapped = [entries[0], entries[2], entries[1], entries[3]] as AuditChainEntry[];
    expect(verifyAuditChain(swapped)).toEqual({ ok: false, seq: 2, reason: 'SEQ_GAP' });
    const duplicated = [entries[0], entries[1], entries[1]] as AuditChainEntry[];
    expect(verifyAuditChain(duplicated)).toEqual({ ok: false, seq: 3, reason: 'SEQ_ORDER' });
    const relabelled = swapped.map((e, index) => ({ ...e, seq: index + 1 }));
    expect(verifyAuditChain(relabelled)).toEqual({ ok: false, seq: 2, reason: 'CHAIN_BROKEN' });
  });

  it('fails on any single-character change anywhere in any entry', () => {
    const entries = chain(LEAVES);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('leaf', 'leafHash', 'chainHash'),
        fc.nat(),
        (index, field, at) => {
          const copy = entries.map((e) => ({ ...e }));
          const entry = copy[index] as AuditChainEntry;
          const text = entry[field as 'leaf'];
          const position = at % text.length;
          const replacement = text[position] === 'a' ? 'b' : 'a';
          entry[field as 'leaf'] = text.slice(0, position) + replacement + text.slice(position + 1);
          const result = verifyAuditChain(copy);
          return !result.ok && result.seq === index + 1;
        },
      ),
    );
  });
});

/** RFC 9162 §2.1.1 MTH, written the way the RFC defines it, to check the compact range against. */
function referenceRoot(leaves: string[]): string {
  if (leaves.length === 0) return sm3Hex('');
  if (leaves.length === 1) return merkleLeafHash(leaves[0] as string);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return merkleNodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

describe('Merkle tree head (RFC 9162 with SM3)', () => {
  it('gives the RFC tree head for every size from 0 to 40', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => `leaf ${i}`);
    let range = EMPTY_MERKLE_RANGE;
    expect(merkleRoot(range)).toBe(EMPTY_MERKLE_ROOT);
    for (let size = 1; size <= leaves.length; size += 1) {
      range = merkleAppend(range, merkleLeafHash(leaves[size - 1] as string));
      expect(range.size).toBe(size);
      expect(range.hashes).toHaveLength(size.toString(2).replace(/0/g, '').length);
      expect(merkleRoot(range)).toBe(referenceRoot(leaves.slice(0, size)));
    }
  });

  it('separates leaves from nodes (second-preimage defence)', () => {
    const a = merkleLeafHash('a');
    const b = merkleLeafHash('b');
    expect(merkleNodeHash(a, b)).not.toBe(sm3Hex(Buffer.from(a + b, 'hex')));
    expect(merkleLeafHash('a')).not.toBe(sm3Hex('a'));
  });
});

describe('checkpoint note', () => {
  it('is the C2SP body: origin, size, base64 root and the time line', () => {
    const root = hexToBase64(sm3Hex('x'));
    expect(base64ToHex(root)).toBe(sm3Hex('x'));
    expect(
      auditCheckpointNote({ origin: 'ses.350000.audit/v1', size: 12, rootHash: root, time: 1748736005 }),
    ).toBe(`ses.350000.audit/v1\n12\n${root}\ntime 1748736005\n`);
  });
});

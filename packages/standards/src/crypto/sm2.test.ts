import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from './sm2.js';

describe('SM2 with SM3', () => {
  const pair = generateSm2KeyPair();

  it('makes uncompressed hex keys and DER signatures that verify with the public key only', () => {
    expect(pair.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
    const signature = sm2Sign('闽江 audit', pair.privateKey);
    expect(signature).toMatch(/^30[0-9a-f]+$/);
    expect(sm2Verify('闽江 audit', signature, pair.publicKey)).toBe(true);
  });

  it('fails, without throwing, for other text, another key and malformed input', () => {
    const signature = sm2Sign('text', pair.privateKey);
    expect(sm2Verify('text!', signature, pair.publicKey)).toBe(false);
    expect(sm2Verify('text', signature, generateSm2KeyPair().publicKey)).toBe(false);
    for (const [sig, key] of [
      ['zz', pair.publicKey],
      ['', pair.publicKey],
      [signature, '04'],
      [signature, 'not a key'],
    ] as const) {
      expect(sm2Verify('text', sig, key)).toBe(false);
    }
  });

  it('signs and verifies exactly as sm-crypto-v2 hashing the message itself (hash: true)', () => {
    const reference = { hash: true, der: true } as const;
    for (const text of ['', 'text', '闽江 · 公共数据 '.repeat(500)]) {
      const ours = sm2Sign(text, pair.privateKey);
      expect(sm2.doVerifySignature(text, ours, pair.publicKey, reference)).toBe(true);
      const theirs = sm2.doSignature(text, pair.privateKey, reference);
      expect(sm2Verify(text, theirs, pair.publicKey)).toBe(true);
      expect(sm2Verify(`${text}.`, theirs, pair.publicKey)).toBe(false);
    }
  });
});

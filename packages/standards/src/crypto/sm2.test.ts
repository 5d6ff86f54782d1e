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
});

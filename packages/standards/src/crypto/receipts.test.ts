import { describe, expect, it } from 'vitest';
import { signReceipt, verifyReceipt, type ReceiptPayload, type ReceiptSigner } from './receipts.js';
import { generateSm2KeyPair, sm2Sign } from './sm2.js';

function testKey(): ReceiptSigner & { publicKey: string } {
  const pair = generateSm2KeyPair();
  return {
    keyId: '350000#hub-test',
    publicKey: pair.publicKey,
    sign: (text) => sm2Sign(text, pair.privateKey),
  };
}

const PAYLOAD: ReceiptPayload = {
  v: 1,
  hub: '350000',
  code: '3350010001/000001',
  version: 2,
  contentHash: `sm3:${'a'.repeat(64)}`,
  status: 'published',
  time: '2025-01-02T03:04:05.000Z',
};

describe('receipts', () => {
  const key = testKey();

  it('verifies offline with the public key, whatever the order of the payload’s members', () => {
    const receipt = signReceipt(key, PAYLOAD);
    expect(receipt.signature).toMatchObject({ keyId: '350000#hub-test', algorithm: 'sm2-sm3' });
    expect(verifyReceipt(receipt, key.publicKey)).toBe(true);
    const reordered = {
      signature: receipt.signature,
      payload: Object.fromEntries(Object.entries(PAYLOAD).reverse()),
    };
    expect(verifyReceipt(reordered, key.publicKey)).toBe(true);
  });

  it('fails for a tampered payload, another key, and anything malformed', () => {
    const receipt = signReceipt(key, PAYLOAD);
    expect(verifyReceipt({ ...receipt, payload: { ...PAYLOAD, status: 'draft' } }, key.publicKey)).toBe(
      false,
    );
    expect(verifyReceipt({ ...receipt, payload: { ...PAYLOAD, version: 3 } }, key.publicKey)).toBe(false);
    expect(verifyReceipt(receipt, testKey().publicKey)).toBe(false);
    expect(
      verifyReceipt({ ...receipt, signature: { ...receipt.signature, algorithm: 'rsa' } }, key.publicKey),
    ).toBe(false);
    expect(
      verifyReceipt({ ...receipt, signature: { ...receipt.signature, value: 'zz' } }, key.publicKey),
    ).toBe(false);
    for (const bad of [
      null,
      'receipt',
      {},
      { payload: PAYLOAD },
      { payload: [], signature: receipt.signature },
    ]) {
      expect(verifyReceipt(bad, key.publicKey)).toBe(false);
    }
  });

  it('signs a batch receipt once for all its items', () => {
    const receipt = signReceipt(key, {
      v: 1,
      hub: '350000',
      time: PAYLOAD.time,
      items: [
        {
          code: PAYLOAD.code,
          version: 1,
          contentHash: PAYLOAD.contentHash,
          status: 'draft',
          result: 'created',
        },
        {
          code: '3350010001/000002',
          version: 4,
          contentHash: PAYLOAD.contentHash,
          status: 'draft',
          result: 'unchanged',
        },
      ],
    });
    expect(verifyReceipt(receipt, key.publicKey)).toBe(true);
    const dropped = { ...receipt, payload: { ...receipt.payload, items: receipt.payload.items.slice(1) } };
    expect(verifyReceipt(dropped, key.publicKey)).toBe(false);
  });
});

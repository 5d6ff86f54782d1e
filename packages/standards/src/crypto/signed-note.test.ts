import { describe, expect, it } from 'vitest';
import { auditCheckpointNote, hexToBase64 } from './audit-chain.js';
import { checkpointSignatureValid, type SignedCheckpoint } from './signed-note.js';
import { generateSm2KeyPair, sm2Sign } from './sm2.js';

const KEY = generateSm2KeyPair();
const BODY = {
  origin: 'ses.350000.audit/v1',
  size: 3,
  rootHash: hexToBase64('ab'.repeat(32)),
  time: 1735689600,
};

function signed(privateKey = KEY.privateKey): SignedCheckpoint {
  const signature = hexToBase64(sm2Sign(auditCheckpointNote(BODY), privateKey));
  return { ...BODY, signatures: [{ keyId: '350000#hub-test', algorithm: 'sm2-sm3', signature }] };
}

describe('checkpointSignatureValid', () => {
  it('checks the hub’s signature over the note rebuilt from the JSON form', () => {
    expect(checkpointSignatureValid(signed(), KEY.publicKey)).toBe(true);
    // Witness cosignatures after the first do not count for the hub.
    const cosigned = signed();
    cosigned.signatures.push({ keyId: 'w#1', algorithm: 'sm2-sm3', signature: 'AAAA' });
    expect(checkpointSignatureValid(cosigned, KEY.publicKey)).toBe(true);
  });

  it('fails for any changed member, another key, another algorithm or no signature', () => {
    const checkpoint = signed();
    for (const changed of [{ size: 4 }, { time: BODY.time + 1 }, { origin: 'ses.350100.audit/v1' }])
      expect(checkpointSignatureValid({ ...checkpoint, ...changed }, KEY.publicKey)).toBe(false);
    expect(checkpointSignatureValid(signed(generateSm2KeyPair().privateKey), KEY.publicKey)).toBe(false);
    const [first] = checkpoint.signatures;
    const rsa = {
      ...checkpoint,
      signatures: [{ ...first, algorithm: 'rsa' }],
    } as unknown as SignedCheckpoint;
    expect(checkpointSignatureValid(rsa, KEY.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, signatures: [] }, KEY.publicKey)).toBe(false);
  });
});

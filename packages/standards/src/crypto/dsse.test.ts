import { describe, expect, it } from 'vitest';
import { dssePae, openDsse, signDsse } from './dsse.js';
import { generateSm2KeyPair } from './sm2.js';

const TYPE = 'application/vnd.ses.grant+json;v=1';

describe('DSSE envelopes', () => {
  const pair = generateSm2KeyPair();
  const other = generateSm2KeyPair();
  const signer = { keyId: '350000#hub-test', privateKey: pair.privateKey };

  it('counts PAE lengths in UTF-8 bytes, not characters', () => {
    expect(dssePae('t', '授权')).toBe('DSSEv1 1 t 6 授权');
  });

  it('opens what it signed, with the JCS bytes as the payload', () => {
    const envelope = signDsse(signer, TYPE, { b: 1, a: '授权' });
    expect(Buffer.from(envelope.payload, 'base64').toString('utf8')).toBe('{"a":"授权","b":1}');
    expect(openDsse(envelope, pair.publicKey, TYPE)).toEqual({ a: '授权', b: 1 });
  });

  it('refuses another key, another payload type, and a changed payload', () => {
    const envelope = signDsse(signer, TYPE, { a: 1 });
    expect(openDsse(envelope, other.publicKey)).toBeNull();
    expect(openDsse(envelope, pair.publicKey, 'application/json')).toBeNull();
    const changed = { ...envelope, payload: Buffer.from('{"a":2}').toString('base64') };
    expect(openDsse(changed, pair.publicKey)).toBeNull();
    expect(openDsse({ ...envelope, payloadType: 'x' }, pair.publicKey)).toBeNull();
    expect(openDsse('nonsense', pair.publicKey)).toBeNull();
  });
});

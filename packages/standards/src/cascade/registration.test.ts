import { describe, expect, it } from 'vitest';
import { CITY, CITY_KEY, OTHER_KEY, PROVINCE } from '../../test-utils/cascade.js';
import { signDsse } from '../crypto/dsse.js';
import { CascadeError } from './errors.js';
import { REGISTRATION_PAYLOAD_TYPE, signRegistration, verifyRegistration } from './registration.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const input = {
  hub: CITY,
  name: '福州市公共数据资源平台',
  region: CITY,
  parent: PROVINCE,
  baseUrl: 'http://127.0.0.1:8101/api/v1',
  keyId: `${CITY}#node-1`,
  publicKey: CITY_KEY.publicKey,
  timestamp: '2026-01-01T08:02:00+08:00',
};
const options = { parent: PROVINCE, now: NOW };
const codes = (envelope: unknown, extra: Partial<typeof options> = {}) =>
  verifyRegistration(envelope, { ...options, ...extra }).issues.map(
    (issue) => `${issue.code} ${issue.location}`,
  );
/** Signs a registration document as given (a requester could send anything). */
const signedAs = (document: object, privateKey = CITY_KEY.privateKey) =>
  signDsse({ keyId: `${CITY}#node-1`, privateKey }, REGISTRATION_PAYLOAD_TYPE, document);

describe('node registration', () => {
  const { registration, envelope } = signRegistration(input, CITY_KEY.privateKey);

  it('is signed by the key it names and verifies at its parent', () => {
    expect(registration.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(signRegistration(input, CITY_KEY.privateKey).registration.nonce).not.toBe(registration.nonce);
    expect(verifyRegistration(envelope, options)).toEqual({ ok: true, registration, issues: [] });
  });

  it('proves possession: a request signed by another key, or altered after signing, is refused', () => {
    expect(codes(signedAs(registration, OTHER_KEY.privateKey))).toEqual(['FED-302 ']);
    const altered = { ...registration, baseUrl: 'https://evil.example/api' };
    expect(codes({ ...envelope, payload: Buffer.from(JSON.stringify(altered)).toString('base64') })).toEqual([
      'FED-302 ',
    ]);
    // Someone who copies the city's public key into their own request cannot sign it
    expect(codes(signedAs({ ...registration, publicKey: OTHER_KEY.publicKey }))).toEqual(['FED-302 ']);
  });

  it('refuses what is not a registration envelope, and schema faults with their location', () => {
    expect(codes({ ...envelope, payloadType: 'application/json' })).toEqual(['FED-301 ']);
    expect(codes({ ...envelope, payload: Buffer.from('{').toString('base64') })).toEqual(['FED-301 ']);
    expect(codes('nothing')).toEqual(['FED-301 ']);
    expect(codes(signedAs({ ...registration, baseUrl: 'ftp://fuzhou' }))).toEqual(['SCH-004 /baseUrl']);
  });

  it('is addressed to one parent, below it, with its own key id', () => {
    expect(codes(envelope, { parent: '360000' })).toEqual(['FED-304 /parent']);
    expect(codes(signedAs({ ...registration, hub: '360100', keyId: '360100#node-1' }))).toEqual([
      'FED-305 /hub',
    ]);
    expect(codes(signedAs({ ...registration, hub: PROVINCE, keyId: `${PROVINCE}#node-1` }))).toEqual([
      'FED-305 /hub',
    ]);
    expect(codes(signedAs({ ...registration, keyId: '350200#node-1' }))).toEqual(['FED-306 /keyId']);
  });

  it('is fresh: more than the allowed skew either way is refused', () => {
    expect(codes(envelope, { now: new Date('2026-01-01T00:07:01Z') })).toEqual(['FED-303 /timestamp']);
    expect(codes(envelope, { now: new Date('2025-12-31T23:56:59Z') })).toEqual(['FED-303 /timestamp']);
    const late = verifyRegistration(envelope, {
      ...options,
      now: new Date('2026-01-01T00:20:00Z'),
      maxSkewSeconds: 1800,
    });
    expect(late.ok).toBe(true);
    const en = verifyRegistration(envelope, {
      parent: PROVINCE,
      now: new Date('2027-01-01T00:00:00Z'),
      lang: 'en',
    });
    expect(en.issues[0]?.message).toBe(
      'The registration was signed at 2026-01-01T08:02:00+08:00, more than 300 s from now',
    );
  });

  it('is never signed when invalid', () => {
    expect(() => signRegistration({ ...input, publicKey: 'not a key' }, CITY_KEY.privateKey)).toThrow(
      CascadeError,
    );
  });
});

import { createHmac } from 'node:crypto';
import { generateSm2KeyPair, parseSignature, requestTarget, verifyRequest } from '@minjiang/standards';
import { describe, expect, it } from 'vitest';
import { sesUser, signExchangeRequest, uuidV7, type ExchangeIdentity } from './signer.js';

const IDENTITY = {
  client: '350100/GOV/11350100FJ01000501',
  grant: 'urn:ses:grant:350000:2025:3',
  purpose: '0101',
  appKey: 'ak_test',
  secret: 'sk_secret_value',
  user: '郭伟',
} satisfies ExchangeIdentity;
const NOW = new Date('2025-10-10T02:00:00Z');
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function verify(url: URL, headers: Record<string, string>, body?: string, secret = IDENTITY.secret) {
  const { path, query } = requestTarget(`${url.pathname}${url.search}`);
  return verifyRequest(
    { method: body ? 'POST' : 'GET', path, query, headers, ...(body ? { body } : {}) },
    () => ({ alg: 'hmac-sm3', secret }),
    { now: NOW },
  );
}

describe('uuidV7', () => {
  it('is a lower-case UUIDv7 whose first 48 bits are the time in ms', () => {
    const id = uuidV7(NOW);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(NOW.getTime());
    expect(uuidV7(NOW, new Uint8Array(10).fill(0xff))).toMatch(UUID_V7);
    expect(new Set(Array.from({ length: 50 }, () => uuidV7(NOW))).size).toBe(50);
  });
});

describe('sesUser', () => {
  it('is hmac-sm3:<base64> of the operator under the secret, never the name', () => {
    const expected = createHmac('sm3', IDENTITY.secret).update('郭伟').digest('base64');
    expect(sesUser('郭伟', IDENTITY.secret)).toBe(`hmac-sm3:${expected}`);
    expect(sesUser('郭伟', IDENTITY.secret)).not.toContain('郭伟');
    expect(sesUser('郭伟', 'another secret')).not.toBe(sesUser('郭伟', IDENTITY.secret));
    expect(sesUser(undefined, IDENTITY.secret)).toMatch(/^hmac-sm3:[A-Za-z0-9+/]{43}=$/);
  });
});

describe('signExchangeRequest', () => {
  it('signs sm2-sm3 with the private key of an SM2 credential (a grant relayed from another hub)', () => {
    const { publicKey, privateKey } = generateSm2KeyPair();
    const identity: ExchangeIdentity = {
      ...IDENTITY,
      grant: 'urn:ses:grant:350200:2025:7',
      secret: undefined,
      privateKey,
    };
    const url = new URL('http://127.0.0.1:8750/ses/r1/350200/data/x/v1/rows?XM=1');
    const headers = signExchangeRequest(identity, { method: 'GET', url }, { now: NOW });
    expect(headers['ses-user']).toBe(sesUser('郭伟', privateKey));
    const { path, query } = requestTarget(`${url.pathname}${url.search}`);
    const verdict = verifyRequest(
      { method: 'GET', path, query, headers },
      () => ({ alg: 'sm2-sm3', publicKey }),
      {
        now: NOW,
      },
    );
    expect(verdict).toMatchObject({ ok: true, params: { alg: 'sm2-sm3', keyid: 'ak_test' } });
  });

  it('sends the SES headers and a signature the hub verifies, for a GET with a query', () => {
    const url = new URL('http://127.0.0.1:8750/ses/r1/350000/data/x/v1/rows?XM=%E5%BC%A0&fields=XM');
    const headers = signExchangeRequest(IDENTITY, { method: 'GET', url }, { now: NOW });
    expect(headers).toMatchObject({
      'ses-client': IDENTITY.client,
      'ses-grant': IDENTITY.grant,
      'ses-purpose': '0101',
      'ses-user': sesUser('郭伟', IDENTITY.secret),
    });
    expect(headers['ses-request-id']).toMatch(UUID_V7);
    expect(headers['content-digest']).toBeUndefined();
    expect(headers['content-type']).toBeUndefined();
    const parsed = parseSignature(headers);
    expect(parsed.ok && parsed.params).toMatchObject({
      keyid: 'ak_test',
      alg: 'hmac-sm3',
      created: NOW.getTime() / 1000,
      expires: NOW.getTime() / 1000 + 300,
    });
    expect(verify(url, headers)).toMatchObject({ ok: true, keyid: 'ak_test' });
  });

  it('covers a body with Content-Digest and content-type; a changed body or path fails', () => {
    const url = new URL('http://hub.example/ses/r1/s/verify');
    const body = JSON.stringify({ subjects: [{ ref: '1', GMSFHM: '350102199001011234' }] });
    const headers = signExchangeRequest(IDENTITY, { method: 'POST', url, body }, { now: NOW });
    expect(headers['content-type']).toBe('application/json');
    expect(headers['content-digest']).toMatch(/^sm3=:[A-Za-z0-9+/]+=*:$/);
    expect(verify(url, headers, body)).toMatchObject({ ok: true });
    expect(verify(url, headers, body.replace('1234', '1235'))).toMatchObject({ code: 'CLI.DIGEST_MISMATCH' });
    expect(verify(new URL('http://hub.example/ses/r1/t/verify'), headers, body)).toMatchObject({
      code: 'CLI.SIG_INVALID',
    });
    expect(verify(url, headers, body, 'wrong')).toMatchObject({ code: 'CLI.SIG_INVALID' });
  });

  it('makes a new request id and nonce for every call; SES-Issue only when given', () => {
    const url = new URL('http://hub.example/ses/r1/packages');
    const a = signExchangeRequest(IDENTITY, { method: 'POST', url }, { now: NOW });
    const b = signExchangeRequest(
      { ...IDENTITY, issue: 'CASE-2025.7' },
      { method: 'POST', url },
      { now: NOW },
    );
    expect(a['ses-request-id']).not.toBe(b['ses-request-id']);
    expect(a['signature-input']).not.toBe(b['signature-input']);
    expect(a['ses-issue']).toBeUndefined();
    expect(b['ses-issue']).toBe('CASE-2025.7');
    expect(b['signature-input']).toContain('"ses-issue"');
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../crypto/sm2.js';
import {
  contentDigest,
  parseSignature,
  requestTarget,
  signatureBase,
  signRequest,
  verifyRequest,
  type SesRequestParts,
  type SigningKey,
  type VerificationKey,
  type VerifyOptions,
} from './signature.js';

const CLIENT = '350100/GOV/11350100MB0123456X/MZJ-JZ';

describe('signatureBase', () => {
  it('reproduces the example of exchange.md §8.3 exactly', () => {
    const parts: SesRequestParts = {
      method: 'POST',
      path: '/ses/r1/350000/GOV/11350000003591037R/RKXT/queryHousehold/v1/households',
      query: '?page=1',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-digest': 'sm3=:2WQ1...==:',
        'ses-client': CLIENT,
        'ses-grant': 'urn:ses:grant:350000:2025:000123',
        'ses-request-id': '0197c0de-5a1b-7c3e-9f00-3b1d2c4e5f60',
        'ses-purpose': '0101',
        'ses-issue': 'MZ-2025-000789',
        'ses-user': 'hmac-sm3:Qm9n...',
      },
      body: '{}',
    };
    const base = signatureBase(parts, {
      created: 1748736000,
      expires: 1748736300,
      nonce: '7f3c9a1e0b2d4c68',
      keyid: `${CLIENT}#sig-2025-01`,
      alg: 'sm2-sm3',
    });
    expect(base).toBe(
      [
        '"@method": POST',
        '"@path": /ses/r1/350000/GOV/11350000003591037R/RKXT/queryHousehold/v1/households',
        '"@query": ?page=1',
        '"content-type": application/json; charset=utf-8',
        '"content-digest": sm3=:2WQ1...==:',
        '"ses-client": 350100/GOV/11350100MB0123456X/MZJ-JZ',
        '"ses-grant": urn:ses:grant:350000:2025:000123',
        '"ses-request-id": 0197c0de-5a1b-7c3e-9f00-3b1d2c4e5f60',
        '"ses-purpose": 0101',
        '"ses-issue": MZ-2025-000789',
        '"ses-user": hmac-sm3:Qm9n...',
        '"@signature-params": ("@method" "@path" "@query" "content-type" "content-digest" "ses-client" "ses-grant" "ses-request-id" "ses-purpose" "ses-issue" "ses-user");created=1748736000;expires=1748736300;nonce="7f3c9a1e0b2d4c68";keyid="350100/GOV/11350100MB0123456X/MZJ-JZ#sig-2025-01";alg="sm2-sm3"',
      ].join('\n'),
    );
  });

  it('leaves absent optional components out and writes a missing query as ?', () => {
    const base = signatureBase(
      { method: 'get', path: '/ses/r1/x/rows', headers: { 'ses-client': 'c', 'ses-user': 'u' } },
      { created: 1, expires: 2, nonce: 'n', keyid: 'k', alg: 'hmac-sm3' },
    );
    expect(base.split('\n').slice(0, 3)).toEqual([
      '"@method": GET',
      '"@path": /ses/r1/x/rows',
      '"@query": ?',
    ]);
    expect(base).not.toContain('content-type');
    expect(base).not.toContain('content-digest');
    expect(base).not.toContain('ses-issue');
    expect(base.split('\n').at(-1)).toBe(
      '"@signature-params": ("@method" "@path" "@query" "ses-client" "ses-grant" "ses-request-id" "ses-purpose" "ses-user");created=1;expires=2;nonce="n";keyid="k";alg="hmac-sm3"',
    );
  });
});

describe('contentDigest and requestTarget', () => {
  it('is RFC 9530 syntax over the SM3 of the bytes', () => {
    const sm3 = createHash('sm3').update('abc').digest('base64');
    expect(contentDigest('abc')).toBe(`sm3=:${sm3}:`);
    expect(contentDigest(new TextEncoder().encode('abc'))).toBe(`sm3=:${sm3}:`);
    expect(sm3).toBe(
      Buffer.from('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0', 'hex').toString(
        'base64',
      ),
    );
  });

  it('splits the path from the raw query', () => {
    expect(requestTarget('/ses/r1/a/rows?x=1&y=2')).toEqual({ path: '/ses/r1/a/rows', query: '?x=1&y=2' });
    expect(requestTarget('/ses/r1/a/rows')).toEqual({ path: '/ses/r1/a/rows', query: '?' });
  });
});

const NOW = new Date('2025-06-01T00:00:00Z');
const HMAC_KEY: SigningKey = { alg: 'hmac-sm3', keyid: 'app-key-1', secret: '应用密钥-secret' };
const SM2 = generateSm2KeyPair();
const SM2_KEY: SigningKey = { alg: 'sm2-sm3', keyid: `${CLIENT}#sig-2025-01`, privateKey: SM2.privateKey };
const KEYS: Record<string, VerificationKey> = {
  'app-key-1': { alg: 'hmac-sm3', secret: '应用密钥-secret' },
  [`${CLIENT}#sig-2025-01`]: { alg: 'sm2-sm3', publicKey: SM2.publicKey },
};
const lookup = (keyid: string) => KEYS[keyid];

function request(body?: string): SesRequestParts {
  return {
    method: body === undefined ? 'GET' : 'POST',
    path: '/ses/r1/350000/GOV/11350000003591037R/data/350000-00001/v1/rows',
    query: 'xm=%E5%BC%A0&limit=10',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'ses-client': CLIENT,
      'ses-grant': 'urn:ses:grant:350000:2025:000123',
      'ses-request-id': '0197c0de-5a1b-7c3e-9f00-3b1d2c4e5f60',
      'ses-purpose': '0101',
      'ses-user': 'hmac-sm3:Qm9n',
    },
    ...(body === undefined ? {} : { body }),
  };
}

function signed(parts: SesRequestParts, key: SigningKey = HMAC_KEY, now = NOW): SesRequestParts {
  const added = signRequest(parts, key, { now });
  return { ...parts, headers: { ...parts.headers, ...added } };
}

const verify = (parts: SesRequestParts, options: Partial<VerifyOptions> = {}) =>
  verifyRequest(parts, lookup, { now: NOW, ...options });

describe('signRequest → verifyRequest', () => {
  it.each([
    ['hmac-sm3', HMAC_KEY],
    ['sm2-sm3', SM2_KEY],
  ] as const)('round-trips with %s, with and without a body', (_alg, key) => {
    for (const body of [undefined, '{"subjects":[{"ref":"1","xm":"张三"}]}']) {
      const result = verify(signed(request(body), key));
      expect(result).toMatchObject({ ok: true, keyid: key.keyid, params: { alg: key.alg } });
    }
  });

  it('adds content-digest only for a body, and the SES headers', () => {
    const get = signRequest(request(), HMAC_KEY, { now: NOW, nonce: 'abcdef0123456789' });
    expect(Object.keys(get).sort()).toEqual(['signature', 'signature-input']);
    expect(get['signature-input']).toBe(
      'ses=("@method" "@path" "@query" "ses-client" "ses-grant" "ses-request-id" "ses-purpose" "ses-user");created=1748736000;expires=1748736300;nonce="abcdef0123456789";keyid="app-key-1";alg="hmac-sm3"',
    );
    expect(get['signature']).toMatch(/^ses=:[A-Za-z0-9+/]{43}=:$/);
    const post = signRequest(request('{}'), HMAC_KEY, { now: NOW });
    expect(post['content-digest']).toBe(contentDigest('{}'));
    expect(post['signature-input']).toContain('"content-type" "content-digest" "ses-client"');
  });

  it('records the nonce only after every check passed', () => {
    const remembered: string[] = [];
    const rememberNonce = (keyid: string, nonce: string) => remembered.push(`${keyid} ${nonce}`);
    const good = signed(request());
    expect(verify(good, { rememberNonce }).ok).toBe(true);
    expect(remembered).toHaveLength(1);
    const forged = { ...good, path: `${good.path}/other` };
    expect(verify(forged, { rememberNonce }).ok).toBe(false);
    expect(remembered).toHaveLength(1);
  });

  it('refuses a request that cannot be signed', () => {
    const parts = request();
    delete parts.headers['ses-grant'];
    expect(() => signRequest(parts, HMAC_KEY)).toThrow('missing header ses-grant');
    expect(() => signRequest(request(), HMAC_KEY, { ttlSeconds: 301 })).toThrow(TypeError);
    const injected = request();
    injected.headers['ses-purpose'] = '0101\n"ses-user": x';
    expect(() => signRequest(injected, HMAC_KEY)).toThrow('printable ASCII');
  });
});

describe('verifyRequest refusals', () => {
  const base = signed(request('{"a":1}'));
  const alter = (change: (parts: SesRequestParts) => void) => {
    const copy: SesRequestParts = { ...base, headers: { ...base.headers } };
    change(copy);
    return copy;
  };

  it.each([
    ['altered body', alter((p) => (p.body = '{"a":2}')), 'CLI.DIGEST_MISMATCH'],
    [
      'altered body and digest',
      alter((p) => {
        p.body = '{"a":2}';
        p.headers['content-digest'] = contentDigest('{"a":2}');
      }),
      'CLI.SIG_INVALID',
    ],
    ['altered path', alter((p) => (p.path = p.path.replace('v1', 'v2'))), 'CLI.SIG_INVALID'],
    ['altered query', alter((p) => (p.query = 'xm=%E6%9D%8E&limit=10')), 'CLI.SIG_INVALID'],
    ['altered method', alter((p) => (p.method = 'PUT')), 'CLI.SIG_INVALID'],
    ['altered header', alter((p) => (p.headers['ses-purpose'] = '0102')), 'CLI.SIG_INVALID'],
    ['added ses-issue', alter((p) => (p.headers['ses-issue'] = 'MZ-1')), 'CLI.BAD_REQUEST'],
    ['missing component header', alter((p) => delete p.headers['ses-user']), 'CLI.BAD_REQUEST'],
    ['missing signature', alter((p) => delete p.headers['signature']), 'CLI.BAD_REQUEST'],
    ['missing content-digest', alter((p) => delete p.headers['content-digest']), 'CLI.BAD_REQUEST'],
    [
      'garbled signature-input',
      alter((p) => (p.headers['signature-input'] = 'ses=("@method")')),
      'CLI.BAD_REQUEST',
    ],
    [
      'reordered parameters',
      alter((p) => {
        p.headers['signature-input'] = (p.headers['signature-input'] ?? '').replace(
          /;created=(\d+);expires=(\d+)/,
          ';expires=$2;created=$1',
        );
      }),
      'CLI.BAD_REQUEST',
    ],
  ] as const)('%s → %s', (_what, parts, code) => {
    expect(verify(parts)).toMatchObject({ ok: false, code });
  });

  it('refuses a component list other than the SES list', () => {
    const parts = alter((p) => {
      p.headers['signature-input'] = (p.headers['signature-input'] ?? '').replace(' "ses-user"', '');
    });
    expect(verify(parts)).toMatchObject({ ok: false, code: 'CLI.BAD_REQUEST' });
  });

  it('refuses a wrong secret, an unknown key and an algorithm mismatch', () => {
    const wrongSecret = signed(request(), { ...HMAC_KEY, secret: 'other' });
    expect(verify(wrongSecret)).toMatchObject({ ok: false, code: 'CLI.SIG_INVALID' });
    const unknown = signed(request(), { ...HMAC_KEY, keyid: 'app-key-9' });
    expect(verify(unknown)).toMatchObject({ ok: false, code: 'CLI.KEY_UNKNOWN' });
    const mismatch = signed(request(), { alg: 'hmac-sm3', keyid: SM2_KEY.keyid, secret: 'x' });
    expect(verify(mismatch)).toMatchObject({ ok: false, code: 'CLI.SIG_INVALID' });
    const otherSm2 = signed(request(), { ...SM2_KEY, privateKey: generateSm2KeyPair().privateKey });
    expect(verify(otherSm2)).toMatchObject({ ok: false, code: 'CLI.SIG_INVALID' });
  });

  it('refuses a clock skewed either way, a long lifetime and an expired signature', () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect(verify(signed(request(), HMAC_KEY, at(-301))).ok).toBe(false);
    expect(verify(signed(request(), HMAC_KEY, at(-301)))).toMatchObject({ code: 'CLI.TIMESTAMP_SKEW' });
    expect(verify(signed(request(), HMAC_KEY, at(301)))).toMatchObject({ code: 'CLI.TIMESTAMP_SKEW' });
    expect(verify(signed(request(), HMAC_KEY, at(299))).ok).toBe(true);
    expect(verify(signed(request(), HMAC_KEY, at(-299))).ok).toBe(true);
    const short = request();
    const added = signRequest(short, HMAC_KEY, { now: at(-100), ttlSeconds: 60 });
    expect(verify({ ...short, headers: { ...short.headers, ...added } })).toMatchObject({
      code: 'CLI.TIMESTAMP_SKEW',
    });
    const long = alter((p) => {
      p.headers['signature-input'] = (p.headers['signature-input'] ?? '').replace(
        /expires=\d+/,
        'expires=1748736301',
      );
    });
    expect(verify(long)).toMatchObject({ ok: false, code: 'CLI.TIMESTAMP_SKEW' });
  });

  it('refuses a replayed nonce before looking at the key or the signature', () => {
    const seen = new Set<string>();
    const options: Partial<VerifyOptions> = {
      seenNonce: (keyid, nonce) => seen.has(`${keyid} ${nonce}`),
      rememberNonce: (keyid, nonce) => void seen.add(`${keyid} ${nonce}`),
    };
    expect(verify(base, options).ok).toBe(true);
    expect(verify(base, options)).toMatchObject({ ok: false, code: 'CLI.NONCE_REPLAY' });
    const lookups: string[] = [];
    verifyRequest(base, (keyid) => (lookups.push(keyid), lookup(keyid)), { now: NOW, ...options });
    expect(lookups).toEqual([]);
  });
});

describe('parseSignature', () => {
  it('reads the ses member among other labels', () => {
    const headers = signed(request()).headers;
    const parsed = parseSignature({
      'signature-input': `proxy=("@method");created=1, ${headers['signature-input']}`,
      signature: `proxy=:AAAA:, ${headers['signature']}`,
    });
    expect(parsed).toMatchObject({ ok: true, params: { keyid: 'app-key-1', alg: 'hmac-sm3' } });
  });

  it('is not parsed again by verifyRequest when the caller passes what it parsed', () => {
    const good = signed(request());
    const parsed = parseSignature(good.headers);
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(verify(good, { parsed }).ok).toBe(true);
    // The verdict follows the parsed signature given: another request's signature fails here.
    const other = parseSignature(signed({ ...request(), path: `${request().path}/other` }).headers);
    if (!other.ok) throw new Error(other.detail);
    expect(verify(good, { parsed: other })).toMatchObject({ ok: false, code: 'CLI.SIG_INVALID' });
  });

  it('reads the parameters of the SES form, and refuses every variation of it', () => {
    const headers = signed(request()).headers;
    const input = headers['signature-input'] ?? '';
    const parsed = parseSignature(headers);
    if (!parsed.ok) throw new Error(parsed.detail);
    const { created, expires, nonce } = parsed.params;
    expect(parsed.components).toEqual([
      '@method',
      '@path',
      '@query',
      'ses-client',
      'ses-grant',
      'ses-request-id',
      'ses-purpose',
      'ses-user',
    ]);
    expect(input).toContain(`;created=${created};expires=${expires};nonce="${nonce}";`);
    const variations = [
      input.replace(`created=${created}`, `created=0${created}`), // not as the verifier writes it
      input.replace(`;expires=${expires}`, ''),
      input.replace(`;created=${created};expires=${expires}`, `;expires=${expires};created=${created}`),
      `${input};tag="x"`,
      input.replace(`nonce="${nonce}"`, `nonce="${'a'.repeat(257)}"`),
      input.replace(`nonce="${nonce}"`, 'nonce="a b"'),
      input.replace('"@method" ', '"@method"  '),
    ];
    for (const variation of variations)
      expect(parseSignature({ ...headers, 'signature-input': variation }), variation).toMatchObject({
        ok: false,
        code: 'CLI.BAD_REQUEST',
      });
    expect(parseSignature({ ...headers, signature: `${headers['signature']}=` })).toMatchObject({
      ok: false,
    });
  });

  it('refuses an unknown algorithm', () => {
    const headers = signed(request()).headers;
    const parsed = parseSignature({
      'signature-input': (headers['signature-input'] ?? '').replace('hmac-sm3', 'hmac-sha256'),
      signature: headers['signature'],
    });
    expect(parsed).toMatchObject({ ok: false, code: 'CLI.BAD_REQUEST' });
  });
});

import { generateSm2KeyPair, signRegistration, type DsseEnvelope } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cascadePair, platformHub, type CascadePair } from '../../../test-utils/cascade-registry.js';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { loadConfig } from '../../config.js';

const API = '/api/v1/cascade';
type Token = keyof TestHub['tokens'];
const ALL: Token[] = ['admin', 'auditor', 'officer', 'reviewer', 'consumer'];

/** The members of the answers these tests look at. */
interface Answer {
  code?: string;
  state?: string;
  message?: string;
  decidedBy?: string | null;
  items?: { hub: string }[];
  issues?: { code: string }[];
}

async function auditRows(hub: TestHub, action: string) {
  return hub.app.hub.store.db
    .selectFrom('audit_entries')
    .select(['leaf', 'object', 'result'])
    .where('action', '=', action)
    .execute();
}

/** A registration of `hub` signed with a fresh key (another key than the city's own). */
function foreignRegistration(hub: string, overrides: Record<string, string> = {}) {
  const pair = generateSm2KeyPair();
  return signRegistration(
    {
      hub,
      name: '外来平台',
      region: hub,
      parent: '350000',
      baseUrl: 'http://127.0.0.1:9',
      keyId: `${hub}#hub-test`,
      publicKey: pair.publicKey,
      ...overrides,
    },
    pair.privateKey,
  ).envelope;
}

describe.each(ENGINES)('cascade registry (%s)', (engine) => {
  let pair: CascadePair;
  let province: TestHub;
  let city: TestHub;

  beforeAll(async () => {
    pair = await cascadePair(engine);
    ({ province, city } = pair);
  });
  afterAll(async () => pair?.close());

  const register = (
    token: string | null,
    body: unknown = { name: '福州市公共数据平台', baseUrl: pair.cityUrl },
  ) => city.call(token, { method: 'POST', url: `${API}/parent/register`, payload: body as object });

  it('refuses every role but the admin, and callers without a token, before registering', async () => {
    expect((await register(null)).statusCode).toBe(401);
    for (const role of ALL.filter((r) => r !== 'admin')) {
      const refused = await register(city.tokens[role]);
      expect(refused.statusCode, role).toBe(403);
      expect(refused.json<Answer>().code).toBe('HUB_ERR_FORBIDDEN');
    }
    expect(await province.app.hub.store.db.selectFrom('cascade_children').selectAll().execute()).toEqual([]);
  });

  it('registers the city: PENDING at the province with the key it proved, the province key held but not trusted', async () => {
    const answer = await register(city.tokens.admin);
    expect(answer.statusCode, answer.body).toBe(202);
    expect(answer.json()).toMatchObject({
      hub: '350000',
      state: 'PENDING',
      keyId: province.app.hub.key.keyId,
    });
    const child = await province.call(province.tokens.auditor, {
      method: 'GET',
      url: `${API}/children/350100`,
    });
    expect(child.json()).toMatchObject({
      hub: '350100',
      name: '福州市公共数据平台',
      baseUrl: pair.cityUrl,
      keyId: city.app.hub.key.keyId,
      publicKey: city.app.hub.key.publicKey,
      state: 'PENDING',
      cursor: null,
      lastError: null,
    });
    const [entry] = await auditRows(province, 'admin.cascade.child.register');
    expect(entry).toMatchObject({ object: '350100', result: 'success' });
    expect((await auditRows(city, 'admin.cascade.parent.register')).length).toBe(1);
    // A repeat with the same key is answered as it stands, not stored again.
    expect((await register(city.tokens.admin)).json<Answer>().state).toBe('PENDING');
    expect((await auditRows(province, 'admin.cascade.child.register')).length).toBe(1);
  });

  it('lists and shows children to the admin and auditor only', async () => {
    for (const url of [`${API}/children`, `${API}/children/350100`]) {
      expect((await province.call(null, { method: 'GET', url })).statusCode).toBe(401);
      for (const role of ALL) {
        const answer = await province.call(province.tokens[role], { method: 'GET', url });
        expect(answer.statusCode, `${role} ${url}`).toBe(role === 'admin' || role === 'auditor' ? 200 : 403);
      }
    }
    const list = await province.call(province.tokens.admin, {
      method: 'GET',
      url: `${API}/children?state=PENDING`,
    });
    expect(list.json<Answer>().items?.map((c) => c.hub)).toEqual(['350100']);
    const none = await province.call(province.tokens.admin, {
      method: 'GET',
      url: `${API}/children?state=APPROVED`,
    });
    expect(none.json<Answer>().items).toEqual([]);
    const unknown = await province.call(province.tokens.admin, {
      method: 'GET',
      url: `${API}/children/350200`,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('the city reads PENDING from its parent with a signed request', async () => {
    const status = await city.call(city.tokens.auditor, { method: 'GET', url: `${API}/parent` });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ parent: { state: 'PENDING' }, remote: { state: 'PENDING' } });
    expect((await city.call(city.tokens.officer, { method: 'GET', url: `${API}/parent` })).statusCode).toBe(
      403,
    );
  });

  it('refuses replayed, forged, misaddressed and conflicting registrations', async () => {
    const post = (body: unknown, lang?: string) =>
      province.call(null, {
        method: 'POST',
        url: `${API}/children`,
        payload: body as object,
        headers: lang ? { 'accept-language': lang } : {},
      });
    const envelope = foreignRegistration('350200');
    expect((await post(envelope)).statusCode).toBe(202);
    const replay = await post(envelope);
    expect(replay.statusCode).toBe(409);
    expect(replay.json<Answer>().code).toBe('HUB_ERR_CASCADE_REPLAY');

    const forged: DsseEnvelope = { ...foreignRegistration('350300') };
    const payload = JSON.parse(Buffer.from(forged.payload, 'base64').toString('utf8')) as Record<
      string,
      string
    >;
    forged.payload = Buffer.from(JSON.stringify({ ...payload, baseUrl: 'http://evil.example' })).toString(
      'base64',
    );
    const refused = await post(forged, 'en');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'HUB_ERR_CASCADE_REGISTRATION',
      issues: [{ code: 'FED-302' }],
    });
    expect(refused.json<Answer>().message).toMatch(/registration is not acceptable/);

    const elsewhere = await post(foreignRegistration('350300', { parent: '350001' }));
    expect(elsewhere.json<Answer>().issues?.map((i) => i.code)).toContain('FED-304');
    const notEnvelope = await post({ hello: 'world' });
    expect(notEnvelope.json<Answer>().issues?.[0]?.code).toBe('FED-301');

    // Another key for a hub already registered (PENDING) is refused, not swapped in.
    const hijack = await post(foreignRegistration('350100'));
    expect(hijack.statusCode).toBe(409);
    expect(hijack.json<Answer>().code).toBe('HUB_ERR_CASCADE_HUB_EXISTS');
    const child = await province.app.hub.store.db
      .selectFrom('cascade_children')
      .select('public_key')
      .where('hub', '=', '350100')
      .executeTakeFirstOrThrow();
    expect(child.public_key).toBe(city.app.hub.key.publicKey);
  });

  it('decisions: admin only, a reason to reject or revoke, only from the right state, audited with the admin role', async () => {
    const decide = (token: string | null, hub: string, decision: string, body: object = {}) =>
      province.call(token, { method: 'POST', url: `${API}/children/${hub}/${decision}`, payload: body });
    expect((await decide(null, '350100', 'approve')).statusCode).toBe(401);
    for (const role of ALL.filter((r) => r !== 'admin'))
      expect((await decide(province.tokens[role], '350100', 'approve')).statusCode, role).toBe(403);
    const noReason = await decide(province.tokens.admin, '350200', 'reject', { reason: '  ' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json<Answer>().code).toBe('HUB_ERR_REASON_REQUIRED');
    expect((await decide(province.tokens.admin, '350999', 'approve')).statusCode).toBe(404);
    const rejected = await decide(province.tokens.admin, '350200', 'reject', { reason: '未经市政府授权' });
    expect(rejected.json()).toMatchObject({ state: 'REJECTED', reason: '未经市政府授权' });
    expect((await decide(province.tokens.admin, '350100', 'revoke', { reason: 'x' })).json()).toMatchObject({
      code: 'HUB_ERR_WORKFLOW_STATE',
      currentState: 'PENDING',
      allowed: ['approve', 'reject'],
    });

    const approved = await decide(province.tokens.admin, '350100', 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'APPROVED',
      parent: { hub: '350000', keyId: province.app.hub.key.keyId, publicKey: province.app.hub.key.publicKey },
    });
    expect(approved.json<Answer>().decidedBy).toMatch(/^[0-9a-f]{16}$/);
    expect((await decide(province.tokens.admin, '350100', 'approve')).statusCode).toBe(409);
    const [entry] = await auditRows(province, 'admin.cascade.child.approve');
    expect(JSON.parse(entry!.leaf)).toMatchObject({
      actor: { role: 'admin' },
      type: 'admin.cascade_child_approve',
    });
  });

  it('the city pins the province key from the approval it reads, and the registry refuses a second key', async () => {
    const status = await city.call(city.tokens.admin, { method: 'GET', url: `${API}/parent` });
    expect(status.json()).toMatchObject({
      parent: {
        state: 'APPROVED',
        keyId: province.app.hub.key.keyId,
        publicKey: province.app.hub.key.publicKey,
      },
      remote: { state: 'APPROVED', keyId: city.app.hub.key.keyId },
    });
    expect((await auditRows(city, 'admin.cascade.parent.state')).length).toBe(1);
    const hijack = await province.call(null, {
      method: 'POST',
      url: `${API}/children`,
      payload: foreignRegistration('350100'),
    });
    expect(hijack.json()).toMatchObject({ code: 'HUB_ERR_CASCADE_HUB_EXISTS' });
  });

  it('revokes with a reason; the city then reads REVOKED', async () => {
    const revoke = (body: object) =>
      province.call(province.tokens.admin, {
        method: 'POST',
        url: `${API}/children/350100/revoke`,
        payload: body,
      });
    expect((await revoke({})).statusCode).toBe(422);
    expect((await revoke({ reason: '节点密钥泄露' })).json<Answer>().state).toBe('REVOKED');
    const status = await city.call(city.tokens.admin, { method: 'GET', url: `${API}/parent` });
    expect(status.json()).toMatchObject({ parent: { state: 'REVOKED', reason: '节点密钥泄露' } });
  });

  it('refuses registry routes at the wrong kind of hub', async () => {
    const atCity = await city.call(null, {
      method: 'POST',
      url: `${API}/children`,
      payload: foreignRegistration('350400'),
    });
    expect(atCity.statusCode).toBe(409);
    expect(atCity.json<Answer>().code).toBe('HUB_ERR_CASCADE_ROLE');
    const atProvince = await province.call(province.tokens.admin, {
      method: 'POST',
      url: `${API}/parent/register`,
      payload: { name: 'x', baseUrl: pair.provinceUrl },
    });
    expect(atProvince.json<Answer>().code).toBe('HUB_ERR_CASCADE_ROLE');
  });

  it("relays the province's refusal to the city's caller: a city configured with another parent code (FED-304)", async () => {
    const outside = await platformHub(engine, {
      hubCode: '350300',
      role: 'city',
      parentUrl: pair.provinceUrl,
      parentCode: '350001',
    });
    try {
      const answer = await outside.call(outside.tokens.admin, {
        method: 'POST',
        url: `${API}/parent/register`,
        payload: { name: '莆田市公共数据平台', baseUrl: 'http://127.0.0.1:9' },
      });
      expect(answer.statusCode).toBe(502);
      expect(answer.json()).toMatchObject({
        code: 'HUB_ERR_CASCADE_PARENT_ANSWER',
        parent: { code: 'HUB_ERR_CASCADE_REGISTRATION', issues: [{ code: 'FED-304', location: '/parent' }] },
      });
      expect(await outside.app.hub.store.db.selectFrom('cascade_parent').selectAll().execute()).toEqual([]);
    } finally {
      await outside.close();
    }
  });

  it('a city without a parent configured says so', async () => {
    const alone = await platformHub(engine, { hubCode: '350200', role: 'city' });
    try {
      const register = await alone.call(alone.tokens.admin, {
        method: 'POST',
        url: `${API}/parent/register`,
        payload: { name: '厦门市公共数据平台', baseUrl: 'http://127.0.0.1:9' },
      });
      expect(register.statusCode).toBe(409);
      expect(register.json<Answer>().code).toBe('HUB_ERR_CASCADE_NO_PARENT');
      const status = await alone.call(alone.tokens.auditor, { method: 'GET', url: `${API}/parent` });
      expect(status.json<Answer>().code).toBe('HUB_ERR_CASCADE_NO_PARENT');
    } finally {
      await alone.close();
    }
  });

  it('limits registrations from one address to 20 a minute', async () => {
    const codes: number[] = [];
    for (let n = 0; n < 22; n += 1) {
      const answer = await province.call(null, { method: 'POST', url: `${API}/children`, payload: { n } });
      codes.push(answer.statusCode);
    }
    expect(codes.at(-1)).toBe(429);
    expect(codes.filter((code) => code === 429).length).toBeGreaterThan(0);
  });
});

describe('the parent settings of a city hub', () => {
  const load = (env: Record<string, string>) => loadConfig({ dataDir: '/nonexistent/minjiang' }, env);

  it('takes both or neither: a 6-digit code and an http(s) URL without credentials', () => {
    expect(
      load({ MINJIANG_PARENT_URL: 'https://data.fujian.example/', MINJIANG_PARENT_CODE: '350000' }),
    ).toMatchObject({
      parentUrl: 'https://data.fujian.example/',
      parentCode: '350000',
    });
    expect(load({})).toMatchObject({ parentUrl: undefined, parentCode: undefined });
    expect(() => load({ MINJIANG_PARENT_URL: 'https://data.fujian.example' })).toThrow(/go together/);
    expect(() => load({ MINJIANG_PARENT_CODE: '350000' })).toThrow(/go together/);
    expect(() =>
      load({ MINJIANG_PARENT_URL: 'https://data.fujian.example', MINJIANG_PARENT_CODE: '35000' }),
    ).toThrow(/6-digit/);
    expect(() =>
      load({ MINJIANG_PARENT_URL: 'https://u:p@data.fujian.example', MINJIANG_PARENT_CODE: '350000' }),
    ).toThrow(/without user or password/);
    expect(() =>
      load({ MINJIANG_PARENT_URL: 'ftp://data.fujian.example', MINJIANG_PARENT_CODE: '350000' }),
    ).toThrow(/http\(s\) URL/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';

describe.each(ENGINES)('identity on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
  });
  afterAll(async () => hub.close());

  it('hub init created the province, ten city platforms (Pingtan as 350128) and the departments', async () => {
    const response = await hub.call(hub.tokens.consumer, {
      method: 'GET',
      url: '/api/v1/organisations?kind=city',
    });
    expect(response.statusCode).toBe(200);
    const cities = (response.json() as { items: { id: string; regionCode: string; parent: string }[] }).items;
    expect(cities.map((city) => city.regionCode).sort()).toEqual([
      '350100',
      '350128',
      '350200',
      '350300',
      '350400',
      '350500',
      '350600',
      '350700',
      '350800',
      '350900',
    ]);
    expect(cities.every((city) => city.parent === department('SJJ').id)).toBe(true);
    expect(cities.every((city) => city.id === `${city.regionCode}/GOV/${city.id.split('/')[2]}`)).toBe(true);
  });

  it('answers 401 without a token and with a forged one, in Chinese by default', async () => {
    const none = await hub.call(null, { method: 'GET', url: '/api/v1/whoami' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'HUB_ERR_UNAUTHENTICATED', message: '未提供有效的访问令牌' });
    const forged = hub.tokens.officer.slice(0, -4) + 'AAAA';
    expect((await hub.call(forged, { method: 'GET', url: '/api/v1/whoami' })).statusCode).toBe(401);
  });

  it('answers in English when asked', async () => {
    const response = await hub.call(null, {
      method: 'GET',
      url: '/api/v1/whoami',
      headers: { 'accept-language': 'en-GB,en' },
    });
    expect(response.json()).toMatchObject({ message: 'No valid access token was presented' });
  });

  it('issues a token shown once, stores only its hash, and revokes it at once', async () => {
    const issued = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { orgId: department('GAT').id, name: 'ci pipeline', roles: ['officer'] },
    });
    expect(issued.statusCode).toBe(201);
    const { id, token } = issued.json() as { id: string; token: string };
    const stored = await hub.app.hub.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // The secret is everything after `mj_<16 hex>_`: base64url, so it may itself hold `_`.
    const secret = token.slice(`mj_${id}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const who = await hub.call(token, { method: 'GET', url: '/api/v1/whoami' });
    expect(who.json()).toMatchObject({
      roles: ['officer'],
      organisation: { id: department('GAT').id, name: '福建省公安厅' },
    });
    const listed = await hub.call(hub.tokens.admin, {
      method: 'GET',
      url: `/api/v1/tokens?orgId=${encodeURIComponent(department('GAT').id)}`,
    });
    expect(listed.body).not.toContain(token);
    expect(
      (await hub.call(hub.tokens.admin, { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode,
    ).toBe(200);
    expect((await hub.call(token, { method: 'GET', url: '/api/v1/whoami' })).statusCode).toBe(401);
  });

  it('refuses a token after its expiry', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const issued = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { orgId: department('GAT').id, name: 'short', roles: ['consumer'], expiresAt: soon },
    });
    const { token } = issued.json() as { token: string };
    expect((await hub.call(token, { method: 'GET', url: '/api/v1/whoami' })).statusCode).toBe(200);
    const later = new Date(Date.now() + 120_000);
    hub.app.hub.now = () => later;
    try {
      expect((await hub.call(token, { method: 'GET', url: '/api/v1/whoami' })).statusCode).toBe(401);
    } finally {
      hub.app.hub.now = () => new Date();
    }
  });

  it('lets only an admin register organisations, and checks them against the standard', async () => {
    const city = (
      (
        await hub.call(hub.tokens.admin, { method: 'GET', url: '/api/v1/organisations?kind=city' })
      ).json() as { items: { id: string; regionCode: string }[] }
    ).items.find((org) => org.regionCode === '350100');
    const body = {
      id: '350100/GOV/11350100MB01234578',
      name: '福州市市场监督管理局',
      kind: 'department',
      uscc: '11350100MB01234578',
      regionCode: '350100',
      platformCode: '350100',
      memberClass: 'GOV',
      status: 'ACTIVE',
      parent: city?.id,
    };
    expect(
      (await hub.call(hub.tokens.officer, { method: 'POST', url: '/api/v1/organisations', payload: body }))
        .statusCode,
    ).toBe(403);
    const bad = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { ...body, id: '350100/GOV/11350100MB01234579', uscc: '11350100MB01234579' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'HUB_ERR_VALIDATION',
      issues: [{ code: 'ORG-001', location: '/uscc' }],
    });
    const created = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const read = await hub.call(hub.tokens.consumer, {
      method: 'GET',
      url: `/api/v1/organisations/${encodeURIComponent(body.id)}`,
    });
    expect(read.json()).toMatchObject({ name: '福州市市场监督管理局', parent: city?.id });
    const again = await hub.call(hub.tokens.admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: body,
    });
    expect(again.statusCode).toBe(409);
  });
});

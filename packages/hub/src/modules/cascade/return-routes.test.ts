import { verifyRowPage } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCityHub, pinCascade } from '../../../test-utils/cascade.js';
import { returnHubs, type ReturnHubs } from '../../../test-utils/cascade-return.js';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { UNCONDITIONAL } from '../../../test-utils/sharing.js';
import { signedNodeFetch } from './node-auth.js';
import { returnWorkSettled } from './return-sweep.js';

const TERMS = {
  child: '350100',
  resource: UNCONDITIONAL,
  regionItem: 'HJDQH',
  prefix: '3501',
  items: ['姓名', '户籍地行政区划'],
  masking: 'MP-STD-01',
  reason: '福州市回流试点，省数据局 2026 年第 3 号决定',
};

describe.each(ENGINES)('return-flow routes and roles on %s', (engine) => {
  let hubs: ReturnHubs;
  let xiamen: TestHub;
  let id: string;
  const province = () => hubs.province;
  const subscribe = (token: string, payload: object) =>
    province().call(token, { method: 'POST', url: '/api/v1/cascade/return', payload });
  const rowsUrl = (cursor = 0) =>
    `${hubs.provinceUrl}/api/v1/cascade/return/${id}/rows?cursor=${cursor}&limit=2`;
  const audited = async (action: string) =>
    province()
      .app.hub.store.db.selectFrom('audit_entries')
      .select(['actor', 'object', 'evidence'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    hubs = await returnHubs(engine);
    xiamen = await buildCityHub(engine, '350200', { cascadeNudgeGap: 0 });
    await pinCascade(province(), xiamen, 'http://127.0.0.1:9');
  });
  afterAll(async () => {
    await xiamen?.close();
    await hubs?.close();
  });

  it('lets only the province admin subscribe, on terms it checks, and audits it', async () => {
    const { tokens } = province();
    for (const token of [tokens.auditor, tokens.officer, tokens.consumer])
      expect((await subscribe(token, TERMS)).statusCode).toBe(403);
    const refusals: [object, number, string][] = [
      [{ prefix: '3502' }, 422, 'HUB_ERR_CASCADE_RETURN_TERMS'],
      [{ regionItem: '不存在' }, 422, 'HUB_ERR_CASCADE_RETURN_TERMS'],
      [{ masking: 'MP-NONE-99' }, 422, 'HUB_ERR_CASCADE_RETURN_TERMS'],
      [{ reason: ' ' }, 422, 'HUB_ERR_REASON_REQUIRED'],
      [{ child: '350900' }, 404, 'HUB_ERR_NOT_FOUND'],
    ];
    for (const [change, status, code] of refusals) {
      const answer = await subscribe(tokens.admin, { ...TERMS, ...change });
      expect([answer.statusCode, answer.json<{ code: string }>().code], JSON.stringify(change)).toEqual([
        status,
        code,
      ]);
    }
    const english = await province().call(tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return',
      headers: { 'accept-language': 'en' },
      payload: { ...TERMS, prefix: '3502' },
    });
    const refusal = english.json<{ code: string; message: string }>();
    expect(refusal.code).toBe('HUB_ERR_CASCADE_RETURN_TERMS');
    expect(refusal.message).toMatch(/cannot be made: prefix 3502 is not within the region of 350100/);
    const made = await subscribe(tokens.admin, TERMS);
    expect(made.statusCode, made.body).toBe(201);
    id = made.json<{ id: string }>().id;
    expect(made.json()).toMatchObject({
      child: '350100',
      regionItem: '户籍地行政区划',
      grant: null,
      state: 'ACTIVE',
    });
    expect((await audited('cascade.return.subscribe')).map((entry) => entry.object)).toEqual([id]);
    await returnWorkSettled(province().app.hub);
    await returnWorkSettled(hubs.city.app.hub);
  });

  it('lists subscriptions to admin and auditor, and to a child only its own', async () => {
    const list = (token: string) => province().call(token, { method: 'GET', url: '/api/v1/cascade/return' });
    expect((await list(province().tokens.auditor)).json()).toMatchObject({
      role: 'province',
      subscriptions: [{ id }],
    });
    expect((await list(province().tokens.officer)).statusCode).toBe(403);
    const url = `${hubs.provinceUrl}/api/v1/cascade/return/subscriptions`;
    expect((await signedNodeFetch(hubs.city.app.hub, url, { method: 'GET' })).body).toMatchObject({
      items: [{ id }],
    });
    expect((await signedNodeFetch(xiamen.app.hub, url, { method: 'GET' })).body).toEqual({ items: [] });
  });

  it('serves signed pages to the subscribed child only; tokens, strangers and unsigned requests are refused', async () => {
    const page = await signedNodeFetch(hubs.city.app.hub, rowsUrl(), { method: 'GET' });
    expect(page.status).toBe(200);
    const key = province().app.hub.key.publicKey;
    const verified = verifyRowPage(page.body, { hub: '350000', publicKey: key, subscription: id, after: 0 });
    expect(verified.issues).toEqual([]);
    expect(verified.page?.items).toHaveLength(2);
    const other = await signedNodeFetch(xiamen.app.hub, rowsUrl(), { method: 'GET' });
    expect([other.status, (other.body as { code: string }).code]).toEqual([403, 'HUB_ERR_FORBIDDEN']);
    for (const token of Object.values(province().tokens) as string[]) {
      const answer = await province().call(token, {
        method: 'GET',
        url: `/api/v1/cascade/return/${id}/rows`,
      });
      expect(answer.statusCode).toBe(403);
    }
    expect(
      (await province().call(null, { method: 'GET', url: `/api/v1/cascade/return/${id}/rows` })).statusCode,
    ).toBe(401);
  });

  it('audits every page before it leaves, counts and digests only, and releases nothing it cannot audit', async () => {
    const before = (await audited('cascade.return.page')).length;
    await signedNodeFetch(hubs.city.app.hub, rowsUrl(2), { method: 'GET' });
    const entries = await audited('cascade.return.page');
    expect(entries).toHaveLength(before + 1);
    const last = entries.at(-1)!;
    expect(last).toMatchObject({ actor: 'system:cascade-child:350100', object: id });
    expect(last.evidence).toMatch(/"cursor":2/);
    expect(last.evidence).toMatch(/"stateDigest":"sm3:/);
    // No row content: no field names, names or Fuzhou district codes.
    expect(last.evidence).not.toMatch(/测试|"XM"|"HJDQH"|35010[1-9]/);
    const db = province().app.hub.store.db;
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    try {
      const refused = await signedNodeFetch(hubs.city.app.hub, rowsUrl(), { method: 'GET' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'HUB_ERR_AUDIT_UNAVAILABLE' });
      expect(JSON.stringify(refused.body)).not.toMatch(/payload/);
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    expect(await audited('cascade.return.page')).toHaveLength(before + 1);
  });

  it('keeps the city’s copy to its admin and auditor, and each side’s routes to its role', async () => {
    const { city } = hubs;
    const pull = await city.call(city.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return/sync',
      payload: {},
    });
    expect(pull.json()).toMatchObject({
      pulls: [{ subscription: id, verification: 'verified', error: null }],
    });
    const rows = (token: string | null) =>
      city.call(token, { method: 'GET', url: `/api/v1/cascade/return/${id}/rows` });
    expect((await rows(city.tokens.auditor)).json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    expect((await rows(city.tokens.officer)).statusCode).toBe(403);
    expect((await rows(null)).statusCode).toBe(401);
    const syncAtProvince = await province().call(province().tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return/sync',
      payload: {},
    });
    expect(syncAtProvince.json()).toMatchObject({ code: 'HUB_ERR_CASCADE_ROLE' });
    const nudge = await city.call(city.tokens.admin, { method: 'POST', url: '/api/v1/cascade/return/nudge' });
    expect(nudge.statusCode).toBe(403);
    const auditorPull = await city.call(city.tokens.auditor, {
      method: 'POST',
      url: '/api/v1/cascade/return/sync',
    });
    expect(auditorPull.statusCode).toBe(403);
  });

  it('never releases more than the authorising grant: its items and its row filter bound the subscription', async () => {
    const { tokens, api } = province();
    const grants = () => province().app.hub.store.db.updateTable('grants').where('id', '=', api.grant);
    // The test grant's period ended in 2026-06; the province's clock is today's: renew it.
    await grants().set({ valid_to: '2099-12-31T15:59:59.999Z' }).execute();
    // Granted to a provincial department: no authority for rows that go to Fuzhou.
    const others = await subscribe(tokens.admin, { ...TERMS, grant: api.grant, items: undefined });
    expect(others.json()).toMatchObject({ code: 'HUB_ERR_CASCADE_RETURN_TERMS' });
    expect(others.json<{ message: string }>().message).toContain('350100');
    await grants().set({ assignee_org: '350100/GOV/11350100FJ0200078E' }).execute();
    const beyond = await subscribe(tokens.admin, { ...TERMS, grant: api.grant, items: ['姓名', '户籍地址'] });
    expect(beyond.json()).toMatchObject({ code: 'HUB_ERR_CASCADE_RETURN_TERMS' });
    const made = await subscribe(tokens.admin, {
      ...TERMS,
      grant: api.grant,
      items: undefined,
      masking: undefined,
    });
    expect(made.statusCode, made.body).toBe(201);
    const sub = made.json<{ id: string; items: string[]; masking: string }>();
    expect(sub.items).toEqual(['公民身份号码', '姓名', '出生日期', '户籍地行政区划']);
    await returnWorkSettled(province().app.hub);
    await returnWorkSettled(hubs.city.app.hub);
    const url = `${hubs.provinceUrl}/api/v1/cascade/return/${sub.id}/rows?cursor=0&limit=100`;
    const page = await signedNodeFetch(hubs.city.app.hub, url, { method: 'GET' });
    const key = province().app.hub.key.publicKey;
    const verified = verifyRowPage(page.body, {
      hub: '350000',
      publicKey: key,
      subscription: sub.id,
      after: 0,
    });
    // The grant’s row filter is 户籍地行政区划 = 350102: the two rows of 350103 stay out.
    expect(verified.page?.items.map((item) => item.row?.['HJDQH'])).toEqual([
      '350102',
      '350102',
      '350102',
      '350102',
    ]);

    // A subscription on a grant's authority ends with it.
    await grants().set({ status: 'suspended' }).execute();
    const suspended = await signedNodeFetch(hubs.city.app.hub, url, { method: 'GET' });
    expect([suspended.status, (suspended.body as { code: string }).code]).toEqual([403, 'HUB_ERR_FORBIDDEN']);
    await grants().set({ status: 'active' }).execute();
  });
});

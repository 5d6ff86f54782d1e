import { generateSm2KeyPair, signRequest, type SigningKey } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cascadePair, probeServer, type CascadePair } from '../../../test-utils/cascade-registry.js';
import { ENGINES } from '../../../test-utils/hub.js';
import type { HubContext } from '../../plugins/store.js';
import { nodeSigningKey, signedNodeFetch } from './node-auth.js';

const API = '/api/v1/cascade';

/** Headers of a request to `url` signed as `client` with `key`, as a hand-made (or forged) caller would. */
function signedHeaders(
  url: string,
  client: string,
  key: SigningKey,
  options: { body?: string; now?: Date } = {},
) {
  const target = new URL(url);
  const headers: Record<string, string> = {
    'ses-client': client,
    'ses-grant': 'cascade',
    'ses-request-id': '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    'ses-purpose': 'cascade',
    'ses-user': 'hmac-sm3:AAAA',
    ...(options.body ? { 'content-type': 'application/json' } : {}),
  };
  const parts = {
    method: options.body ? 'POST' : 'GET',
    path: target.pathname,
    query: target.search,
    headers,
  };
  return {
    ...headers,
    ...signRequest({ ...parts, body: options.body }, key, options.now ? { now: options.now } : {}),
  };
}

async function send(url: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(url, { method: body ? 'POST' : 'GET', headers, ...(body ? { body } : {}) });
  return { status: response.status, body: (await response.json()) as { code?: string; hub?: string } };
}

describe.each(ENGINES)('hub-to-hub requests (%s)', (engine) => {
  let pair: CascadePair;
  let cityHub: HubContext;
  let provinceHub: HubContext;
  let atProvince: Awaited<ReturnType<typeof probeServer>>;
  let atCity: Awaited<ReturnType<typeof probeServer>>;

  beforeAll(async () => {
    pair = await cascadePair(engine);
    cityHub = pair.city.app.hub;
    provinceHub = pair.province.app.hub;
    atProvince = await probeServer(provinceHub, 'child');
    atCity = await probeServer(cityHub, 'parent');
    const registered = await pair.city.call(pair.city.tokens.admin, {
      method: 'POST',
      url: `${API}/parent/register`,
      payload: { name: '福州市公共数据平台', baseUrl: pair.cityUrl },
    });
    expect(registered.statusCode, registered.body).toBe(202);
  });
  afterAll(async () => {
    await atProvince?.close();
    await atCity?.close();
    await pair?.close();
  });

  it('refuses a registered but not yet approved child, and an unknown hub', async () => {
    const pending = await signedNodeFetch(cityHub, atProvince.url, { method: 'GET' });
    expect(pending).toEqual({ status: 403, body: { code: 'HUB_ERR_FORBIDDEN' } });
    const stranger = generateSm2KeyPair();
    const key: SigningKey = { alg: 'sm2-sm3', keyid: '350900#hub-x', privateKey: stranger.privateKey };
    const unknown = await send(atProvince.url, signedHeaders(atProvince.url, '350900', key));
    expect(unknown).toEqual({ status: 403, body: { code: 'HUB_ERR_FORBIDDEN' } });
  });

  it("after approval the province's first call makes the city read its status and pin the province key", async () => {
    const approved = await pair.province.call(pair.province.tokens.admin, {
      method: 'POST',
      url: `${API}/children/350100/approve`,
    });
    expect(approved.statusCode).toBe(200);
    const before = await cityHub.store.db.selectFrom('cascade_parent').selectAll().executeTakeFirstOrThrow();
    expect(before.state).toBe('PENDING');
    const call = await signedNodeFetch(provinceHub, `${atCity.url}?after=c0`, { method: 'GET' });
    expect(call).toEqual({ status: 200, body: { hub: '350000' } });
    const after = await cityHub.store.db.selectFrom('cascade_parent').selectAll().executeTakeFirstOrThrow();
    expect(after).toMatchObject({ state: 'APPROVED', key_id: provinceHub.key.keyId });
  });

  it('accepts the approved child signed with its node key, GET and POST with a body', async () => {
    expect(await signedNodeFetch(cityHub, atProvince.url, { method: 'GET' })).toEqual({
      status: 200,
      body: { hub: '350100' },
    });
    const posted = await signedNodeFetch(cityHub, atProvince.url, {
      method: 'POST',
      body: { hub: '350100', head: 7 },
    });
    expect(posted).toEqual({ status: 200, body: { hub: '350100' } });
  });

  it('refuses a replayed nonce, an altered body or query, a skewed clock, another key and no signature', async () => {
    const key = await nodeSigningKey(cityHub);
    const body = JSON.stringify({ head: 1 });
    const headers = signedHeaders(atProvince.url, '350100', key, { body });
    expect((await send(atProvince.url, headers, body)).status).toBe(200);
    expect(await send(atProvince.url, headers, body)).toEqual({
      status: 401,
      body: { code: 'CLI.NONCE_REPLAY' },
    });

    const fresh = signedHeaders(atProvince.url, '350100', key, { body });
    expect(await send(atProvince.url, fresh, JSON.stringify({ head: 2 }))).toEqual({
      status: 400,
      body: { code: 'CLI.DIGEST_MISMATCH' },
    });
    const query = signedHeaders(`${atProvince.url}?after=c1`, '350100', key);
    expect(await send(`${atProvince.url}?after=c9`, query)).toEqual({
      status: 401,
      body: { code: 'CLI.SIG_INVALID' },
    });

    const old = signedHeaders(atProvince.url, '350100', key, { now: new Date(Date.now() - 10 * 60_000) });
    expect(await send(atProvince.url, old)).toEqual({ status: 401, body: { code: 'CLI.TIMESTAMP_SKEW' } });

    const forger = generateSm2KeyPair().privateKey;
    const sameId = signedHeaders(atProvince.url, '350100', { ...key, privateKey: forger });
    expect(await send(atProvince.url, sameId)).toEqual({ status: 401, body: { code: 'CLI.SIG_INVALID' } });
    const otherId = signedHeaders(atProvince.url, '350100', {
      ...key,
      keyid: '350100#hub-2099-01-01',
      privateKey: forger,
    });
    expect(await send(atProvince.url, otherId)).toEqual({ status: 401, body: { code: 'CLI.KEY_UNKNOWN' } });
    expect(await send(atProvince.url, {})).toEqual({ status: 400, body: { code: 'CLI.BAD_REQUEST' } });
  });

  it('at the city, only the pinned parent key passes as the parent', async () => {
    const forger = generateSm2KeyPair().privateKey;
    const key: SigningKey = { alg: 'sm2-sm3', keyid: provinceHub.key.keyId, privateKey: forger };
    expect(await send(atCity.url, signedHeaders(atCity.url, '350000', key))).toEqual({
      status: 401,
      body: { code: 'CLI.SIG_INVALID' },
    });
    // The city's own child-facing check knows no child 350000: the parent is not a child.
    const asChild = await signedNodeFetch(provinceHub, atProvince.url, { method: 'GET' });
    expect(asChild.status).toBe(403);
  });

  it('refuses a revoked child, but still tells it its state when it reads its status', async () => {
    const revoked = await pair.province.call(pair.province.tokens.admin, {
      method: 'POST',
      url: `${API}/children/350100/revoke`,
      payload: { reason: '停止级联' },
    });
    expect(revoked.statusCode).toBe(200);
    expect(await signedNodeFetch(cityHub, atProvince.url, { method: 'GET' })).toEqual({
      status: 403,
      body: { code: 'HUB_ERR_FORBIDDEN' },
    });
    const status = await signedNodeFetch(cityHub, `${pair.provinceUrl}${API}/children/350100`, {
      method: 'GET',
    });
    expect(status).toMatchObject({ status: 200, body: { state: 'REVOKED', reason: '停止级联' } });
    const other = await signedNodeFetch(cityHub, `${pair.provinceUrl}${API}/children/350200`, {
      method: 'GET',
    });
    expect(other.status).toBe(403);
  });

  it('reports a hub that does not answer as unreachable', async () => {
    await expect(
      signedNodeFetch(cityHub, 'http://127.0.0.1:9/api/v1/cascade/feed', { method: 'GET' }),
    ).rejects.toMatchObject({
      code: 'HUB_ERR_CASCADE_UNREACHABLE',
      statusCode: 502,
    });
  });
});

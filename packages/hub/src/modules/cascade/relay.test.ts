import { validateAuditLeaf, verifyPackage } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import {
  CITY_A,
  CITY_B,
  CONSUMER,
  consumerRequest,
  leafOf,
  PROVINCE,
  relayHubs,
  send,
  type RelayCall,
  type RelayHubs,
} from '../../../test-utils/relay.js';
import { signHop } from './relay-hop.js';

describe.each(ENGINES)('cascade relay of data calls on %s', (engine) => {
  let hubs: RelayHubs;
  let id: (n: number) => string;
  beforeAll(async () => {
    hubs = await relayHubs(engine);
    id = (n) => hubs.cityB.rows[n - 1]![0]!;
  });
  afterAll(async () => hubs?.close());

  const query = (n: number, call: RelayCall = {}) =>
    consumerRequest(hubs.api, { query: `GMSFHM=${id(n)}`, ...call });

  it('relays a query A → province → B, answered masked as granted, every hop logged', async () => {
    const request = query(1);
    const answer = await send(hubs.url.cityA, request);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json().data!.rows).toEqual([
      {
        GMSFHM: `${id(1).slice(0, 6)}********${id(1).slice(-4)}`,
        XM: '测**',
        CSRQ: '1980-01-02',
        HJDQH: '350102',
      },
    ]);
    expect(answer.headers.get('ses-masking')).toBe('MP-STD-01');
    expect(answer.headers.get('ratelimit-policy')).toBe('"day";q=40;w=86400, "second";q=50;w=1');
    expect(answer.headers.get('ses-via')).toBe(`${CITY_A},${PROVINCE}`);
    const requestId = request.headers['ses-request-id']!;
    const atA = await leafOf(hubs.cityA, 'api.relay', requestId);
    const atProvince = await leafOf(hubs.province, 'api.relay', requestId);
    const atB = await leafOf(hubs.cityB, 'api.call', requestId);
    expect(atA).toMatchObject({
      type: 'api.relay',
      object: PROVINCE,
      via: [],
      res: { http: 200, code: '0' },
    });
    expect(atProvince).toMatchObject({
      object: CITY_B,
      via: [CITY_A],
      grant: hubs.api.grant,
      client: CONSUMER,
    });
    expect(atB).toMatchObject({
      hub: CITY_B,
      client: CONSUMER,
      via: [CITY_A, PROVINCE],
      res: { records: 1, masking: 'MP-STD-01' },
    });
    // The hops hash the same request the owner checked, and the bytes it answered.
    expect(atA!.req.sigHash).toBe(atB!.req.sigHash);
    expect(atA!.res.bodyHash).toBe(atB!.res.bodyHash);
    for (const leaf of [atA, atProvince, atB]) {
      expect(validateAuditLeaf(leaf)).toEqual([]);
      expect(JSON.stringify(leaf)).not.toContain(id(1));
    }
  });

  it('relays a package build and streams its download back unchanged; it verifies offline', async () => {
    const items = ['公民身份号码', '姓名', '户籍地行政区划'];
    const grant = await hubs.cityB.grant(
      { items, mode: 'PACKAGE' },
      { rowFilter: '户籍地行政区划 = 350103' },
    );
    const built = await send(hubs.url.cityA, consumerRequest(grant, { path: 'packages', body: '{}' }));
    expect(built.status, built.text).toBe(201);
    const { data } = JSON.parse(built.text) as { data: { id: string; digest: string; rows: number } };
    const request = consumerRequest(grant, { path: `packages/${data.id}` });
    const answer = await fetch(`${hubs.url.cityA}${request.path}`, { headers: request.headers });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    expect(answer.headers.get('ses-via')).toBe(`${CITY_A},${PROVINCE}`);
    const zip = Buffer.from(await answer.arrayBuffer());
    expect(answer.headers.get('content-length')).toBe(String(zip.length));
    const verdict = verifyPackage(zip, {
      publicKeys: [hubs.cityB.app.hub.key.publicKey],
      expect: { grant: grant.grant, recipient: CONSUMER },
    });
    expect(verdict.failures).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, rows: 2, digest: data.digest });
    const atA = await leafOf(hubs.cityA, 'api.relay', request.headers['ses-request-id']!);
    expect(atA).toMatchObject({ object: PROVINCE, res: { http: 200, code: '0', bytes: zip.length } });
    expect(await leafOf(hubs.cityB, 'pkg.download', request.headers['ses-request-id']!)).toBeDefined();
  });

  it('refuses a call whose SES-Via names the hub or holds more than three hubs (HUB.ROUTE_LOOP)', async () => {
    const loop = await send(hubs.url.cityA, query(2, { headers: { 'ses-via': `${PROVINCE},${CITY_A}` } }));
    expect(loop.status).toBe(508);
    expect(loop.headers.get('ses-error')).toBe('HUB.ROUTE_LOOP');
    expect(loop.headers.get('ses-error-hop')).toBe(CITY_A);
    const four = await send(
      hubs.url.cityB,
      query(2, { headers: { 'ses-via': '350300,350400,350500,350600' } }),
    );
    expect(four.status).toBe(508);
    expect(four.json()).toMatchObject({ code: 'HUB.ROUTE_LOOP', data: null });
  });

  /** A call as a hub would relay it to B, its hop signed by `signer` under `via`. */
  async function hopped(
    signer: TestHub,
    via: string,
    change: (headers: Record<string, string>) => void = () => {},
  ) {
    const request = query(3);
    request.headers['ses-via'] = via;
    Object.assign(request.headers, await signHop(signer.app.hub, request));
    change(request.headers);
    return send(hubs.url.cityB, request);
  }

  it('accepts a hop only from a neighbour it pinned, signed with its key (deny by default)', async () => {
    const fromProvince = await hopped(hubs.province, `${CITY_A},${PROVINCE}`);
    expect(fromProvince.status, fromProvince.text).toBe(200);
    const fromCityA = await hopped(hubs.cityA, CITY_A);
    expect(fromCityA.status).toBe(403);
    expect(fromCityA.headers.get('ses-error')).toBe('HUB.ROUTE_REFUSED');
    expect(fromCityA.json().msg).toContain('not a pinned parent');
    const forged = await hopped(hubs.province, `${CITY_A},${PROVINCE}`, (headers) => {
      headers['ses-via'] = `350300,${PROVINCE}`;
    });
    expect(forged.status).toBe(403);
    expect(forged.json().msg).toContain('does not verify');
    // City A's key claiming to be the province's hop.
    const impostor = await hopped(hubs.cityA, `${CITY_A},${PROVINCE}`);
    expect(impostor.status).toBe(403);
    expect(impostor.json().msg).toContain('not signed by the pinned key');
    const bare = await send(hubs.url.cityB, query(3, { headers: { 'ses-via': PROVINCE } }));
    expect(bare.status).toBe(403);
    expect(bare.json().msg).toContain('no valid hop signature');
  });

  it('passes a body altered after signing on unchanged, for B to refuse end to end', async () => {
    const body = JSON.stringify({ subjects: [{ ref: '1', GMSFHM: id(1), XM: '测试1' }] });
    const request = consumerRequest(hubs.api, {
      path: `${hubs.api.service}/verify`,
      body,
      sentBody: body.replace('测试1', '测试2'),
    });
    const answer = await send(hubs.url.cityA, request);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('ses-error')).toBe('CLI.DIGEST_MISMATCH');
    expect(answer.headers.get('ses-error-hop')).toBe(CITY_B);
    expect(answer.headers.get('ses-via')).toBe(`${CITY_A},${PROVINCE}`);
    const atA = await leafOf(hubs.cityA, 'api.relay', request.headers['ses-request-id']!);
    expect(atA).toMatchObject({ result: 'success', res: { http: 400, code: 'CLI.DIGEST_MISMATCH' } });
  });
});

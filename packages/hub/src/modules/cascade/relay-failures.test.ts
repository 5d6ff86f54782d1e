import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateAuditLeaf } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test-utils/hub.js';
import {
  CITY_A,
  CITY_B,
  consumerRequest,
  leafOf,
  PROVINCE,
  relayHubs,
  send,
  type RelayCall,
  type RelayHubs,
} from '../../../test-utils/relay.js';

/** The relay when a hop refuses, fails or cannot log: who is named, what is logged, nothing released. */
describe.each(ENGINES)('cascade relay failures on %s', (engine) => {
  let hubs: RelayHubs;
  let id: (n: number) => string;
  beforeAll(async () => {
    hubs = await relayHubs(engine);
    id = (n) => hubs.cityB.rows[n - 1]![0]!;
  });
  afterAll(async () => hubs?.close());

  const query = (n: number, call: RelayCall = {}) =>
    consumerRequest(hubs.api, { query: `GMSFHM=${id(n)}`, ...call });

  it('refuses a call relayed by a revoked child, at the province', async () => {
    const db = hubs.province.app.hub.store.db;
    await db.updateTable('cascade_children').set({ state: 'REVOKED' }).where('hub', '=', CITY_A).execute();
    try {
      const answer = await send(hubs.url.cityA, query(4));
      expect(answer.status).toBe(403);
      expect(answer.headers.get('ses-error')).toBe('HUB.ROUTE_REFUSED');
      expect(answer.headers.get('ses-error-hop')).toBe(PROVINCE);
    } finally {
      await db.updateTable('cascade_children').set({ state: 'APPROVED' }).where('hub', '=', CITY_A).execute();
    }
  });

  it('answers an upstream error naming the hop when B is down, and logs the failed relay', async () => {
    const db = hubs.province.app.hub.store.db;
    const children = db.updateTable('cascade_children').where('hub', '=', CITY_B);
    await children.set({ base_url: 'http://127.0.0.1:9' }).execute();
    try {
      const request = query(5);
      const answer = await send(hubs.url.cityA, request);
      expect(answer.status).toBe(502);
      expect(answer.headers.get('ses-error')).toBe('HUB.UPSTREAM_UNAVAILABLE');
      expect(answer.headers.get('ses-error-hop')).toBe(CITY_B);
      expect(answer.json()).toMatchObject({ code: 'HUB.UPSTREAM_UNAVAILABLE', origin: 'HUB', data: null });
      const atProvince = await leafOf(hubs.province, 'api.relay', request.headers['ses-request-id']!);
      expect(atProvince).toMatchObject({
        result: 'failure',
        errorCode: 'HUB.UPSTREAM_UNAVAILABLE',
        res: { http: 502 },
      });
      expect(validateAuditLeaf(atProvince)).toEqual([]);
    } finally {
      await children.set({ base_url: hubs.url.cityB }).execute();
    }
  });

  it('answers HUB.UPSTREAM_TIMEOUT when B never answers, _UNAVAILABLE when it breaks off', async () => {
    // A stand-in for B: silent to the first call; the second gets half a JSON answer.
    let calls = 0;
    const broken = createServer((request, response) => {
      // Only relayed calls count: the province's own background requests to the child (outbox
      // delivery, return-flow pushes) may reach the stand-in too, and are turned away.
      if (!request.url?.startsWith('/ses/')) return void response.writeHead(404).end();
      calls += 1;
      if (calls === 1) return;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"code":', () => response.socket?.destroy());
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const children = hubs.province.app.hub.store.db.updateTable('cascade_children').where('hub', '=', CITY_B);
    await children.set({ base_url: `http://127.0.0.1:${(broken.address() as AddressInfo).port}` }).execute();
    try {
      const started = Date.now();
      const silent = await send(hubs.url.cityA, query(6));
      expect(silent.status).toBe(504);
      expect(silent.headers.get('ses-error')).toBe('HUB.UPSTREAM_TIMEOUT');
      expect(silent.headers.get('ses-error-hop')).toBe(CITY_B);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
      const cut = await send(hubs.url.cityA, query(6));
      expect(cut.status).toBe(502);
      expect(cut.headers.get('ses-error')).toBe('HUB.UPSTREAM_UNAVAILABLE');
      expect(cut.headers.get('ses-error-hop')).toBe(CITY_B);
      expect(cut.json()).toMatchObject({ code: 'HUB.UPSTREAM_UNAVAILABLE', data: null });
    } finally {
      await children.set({ base_url: hubs.url.cityB }).execute();
      broken.closeAllConnections();
      broken.close();
    }
  });

  it('releases nothing when the relay cannot write its leaf (503), though B answered', async () => {
    const db = hubs.cityA.app.hub.store.db;
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    const request = query(1);
    try {
      const answer = await send(hubs.url.cityA, request);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('ses-error')).toBe('HUB.LOG_UNAVAILABLE');
      expect(answer.text).not.toContain(id(1).slice(-4));
      expect(answer.json().data).toBeNull();
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    expect(await leafOf(hubs.cityB, 'api.call', request.headers['ses-request-id']!)).toBeDefined();
    expect(await leafOf(hubs.cityA, 'api.relay', request.headers['ses-request-id']!)).toBeUndefined();
  });
});

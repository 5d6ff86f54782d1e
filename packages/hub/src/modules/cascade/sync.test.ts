import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSm2KeyPair } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildCityHub, cityEntry, pinCascade } from '../../../test-utils/cascade.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { sweepCascade } from './sync-sweep.js';

const CITY = '350100';
const SYNC = `/api/v1/cascade/children/${CITY}/sync`;

async function publish(city: TestHub, n: number, overrides = {}) {
  const entry = cityEntry(n, overrides);
  expect((await putEntry(city, city.tokens.officer, entry)).statusCode).toBeLessThan(300);
  await transition(city, city.tokens.officer, entry.code, 'submit');
  expect((await transition(city, city.tokens.admin, entry.code, 'approve')).statusCode).toBe(200);
}

async function withdraw(city: TestHub, n: number) {
  const answer = await transition(city, city.tokens.admin, resourceCode(n), 'withdraw', {
    reason: '停止提供',
  });
  expect(answer.statusCode, answer.body).toBe(200);
}

/** A loopback proxy to the city that answers `allow` requests, then cuts the connection. */
function cuttingProxy(target: string, allow: number): Promise<{ url: string; server: Server }> {
  let seen = 0;
  const server = createServer((request, response) => {
    seen += 1;
    if (seen > allow) return void request.socket.destroy();
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    fetch(`${target}${request.url ?? ''}`, { headers })
      .then(async (answer) =>
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
      )
      .catch(() => request.socket.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

describe.each(ENGINES)('cascade sync on %s', (engine) => {
  let province: TestHub;
  let city: TestHub;
  let cityUrl: string;
  const sync = (payload: object = {}, token = province.tokens.admin) =>
    province.call(token, { method: 'POST', url: SYNC, payload });
  const entries = async (status?: string) => {
    const query = status ? `&status=${status}` : '';
    const answer = await province.call(province.tokens.auditor, {
      method: 'GET',
      url: `/api/v1/cascade/entries?origin=${CITY}${query}`,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<{ items: { resourceCode: string; status: string; version: number; name: string }[] }>()
      .items;
  };
  const setChild = (values: { base_url?: string; public_key?: string }) =>
    province.app.hub.store.db.updateTable('cascade_children').set(values).where('hub', '=', CITY).execute();

  beforeAll(async () => {
    province = await buildTestHub(engine, { cascadeFeedPageSize: 2 });
    city = await buildCityHub(engine, CITY);
    cityUrl = await city.app.listen({ host: '127.0.0.1', port: 0 });
    await pinCascade(province, city, cityUrl);
  });
  afterAll(async () => {
    await city?.close();
    await province?.close();
  });

  it('copies the published catalog on the first sync, over several signed pages', async () => {
    for (const n of [1, 2, 3]) await publish(city, n);
    const answer = await sync();
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({
      applied: true,
      counts: { create: 3, update: 0, tombstone: 0 },
      cursor: { previous: 0, next: 3 },
      head: 3,
      error: null,
    });
    const held = await entries();
    expect(held.map((entry) => [entry.resourceCode, entry.status, entry.version])).toEqual([
      [resourceCode(1), 'live', 1],
      [resourceCode(2), 'live', 1],
      [resourceCode(3), 'live', 1],
    ]);
  });

  it('propagates an update and a withdrawal, and a replayed sync changes nothing', async () => {
    await publish(city, 1, { name: '企业登记信息（修订）' });
    await withdraw(city, 2);
    const answer = await sync();
    expect(answer.json()).toMatchObject({ applied: true, counts: { update: 1, tombstone: 1 }, removals: 1 });
    const held = await entries();
    expect(held.find((entry) => entry.resourceCode === resourceCode(1))).toMatchObject({
      version: 2,
      name: '企业登记信息（修订）',
    });
    expect(held.find((entry) => entry.resourceCode === resourceCode(2))).toMatchObject({
      status: 'tombstone',
    });
    const again = await sync();
    expect(again.json()).toMatchObject({ applied: true, counts: { create: 0, update: 0, tombstone: 0 } });
    expect(await entries()).toEqual(held);
  });

  it('records an unreachable child, deletes nothing, and catches up when it is back', async () => {
    await setChild({ base_url: 'http://127.0.0.1:9' });
    await publish(city, 4);
    const down = await sync();
    expect(down.json()).toMatchObject({ applied: false, error: { code: 'HUB_ERR_CASCADE_UNREACHABLE' } });
    const state = await province.app.hub.store.db
      .selectFrom('cascade_sync')
      .selectAll()
      .where('hub', '=', CITY)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(state.last_error ?? '{}')).toMatchObject({ code: 'HUB_ERR_CASCADE_UNREACHABLE' });
    expect(Number(state.cursor)).toBe(5);
    expect(await entries('live')).toHaveLength(2);
    await setChild({ base_url: cityUrl });
    const back = await sync();
    expect(back.json()).toMatchObject({ applied: true, counts: { create: 1 }, error: null });
    expect((await entries('live')).map((entry) => entry.resourceCode)).toEqual([1, 3, 4].map(resourceCode));
  });

  it('applies nothing from a page that does not verify with the pinned key', async () => {
    await publish(city, 5);
    await setChild({ public_key: generateSm2KeyPair().publicKey });
    const forged = await sync();
    expect(forged.json()).toMatchObject({ applied: false, error: { code: 'FED-102' } });
    await setChild({ public_key: city.publicKey });
    expect(await entries('live')).toHaveLength(3);
  });

  it('deletes nothing on a cut-off full listing, and marks absent entries after a complete one', async () => {
    const proxy = await cuttingProxy(cityUrl, 1);
    await setChild({ base_url: proxy.url });
    const cut = await sync({ mode: 'full' });
    proxy.server.close();
    await setChild({ base_url: cityUrl });
    // The first page was verified and applied; the listing was cut off, so nothing was removed.
    expect(cut.json()).toMatchObject({
      mode: 'full',
      removals: 0,
      error: { code: 'HUB_ERR_CASCADE_UNREACHABLE' },
    });
    await province.app.hub.store.db
      .insertInto('cascade_entries')
      .values({
        object: `urn:ses:ds:${CITY}:11350100FJ01000501:3350010001/000099`,
        origin: CITY,
        version: 1,
        digest: 'sm3:00',
        status: 'live',
        record: null,
        resource_code: resourceCode(99),
        name: null,
        reason: null,
        synced_at: new Date().toISOString(),
      })
      .execute();
    const full = await sync({ mode: 'full' });
    expect(full.json()).toMatchObject({ applied: true, counts: { tombstone: 1 }, removals: 1, error: null });
    expect((await entries('absent')).map((entry) => entry.resourceCode)).toEqual([resourceCode(99)]);
    expect((await entries('live')).map((entry) => entry.resourceCode)).toEqual(
      [1, 3, 4, 5].map(resourceCode),
    );
  });

  it('stops a mass delete for the admin, skips it in the sweep, and applies it once confirmed', async () => {
    for (const n of [1, 3, 4]) await withdraw(city, n);
    const blocked = await sync();
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({
      code: 'HUB_ERR_CASCADE_BLOCKED',
      summary: { applied: false, removals: 3, live: 4, blocked: { removals: 3, live: 4 } },
    });
    expect(await entries('live')).toHaveLength(4);
    expect(await sweepCascade(province.app.hub, new Date(Date.now() + 3_600_000))).toEqual({
      synced: 0,
      failed: 0,
      blocked: 0,
    });
    const confirmed = await sync({ confirm: true });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ applied: true, removals: 3, counts: { tombstone: 3 } });
    expect((await entries('live')).map((entry) => entry.resourceCode)).toEqual([resourceCode(5)]);
    const audit = await province.app.hub.store.db
      .selectFrom('audit_entries')
      .select(['action', 'leaf'])
      .where('object', '=', CITY)
      .orderBy('seq')
      .execute();
    const actions = audit.map((entry) => entry.action);
    expect(actions).toContain('cascade.sync.blocked');
    const confirm = audit.find((entry) => entry.action === 'cascade.sync.confirm');
    expect(JSON.parse(confirm?.leaf ?? '{}')).toMatchObject({ actor: { role: 'admin' } });
  });

  it('syncs a due child in the scheduler sweep', async () => {
    await publish(city, 6);
    const swept = await sweepCascade(province.app.hub, new Date(Date.now() + 3_600_000));
    expect(swept).toEqual({ synced: 1, failed: 0, blocked: 0 });
    expect((await entries('live')).map((entry) => entry.resourceCode)).toEqual([5, 6].map(resourceCode));
  });

  it('sees a city restored from an older backup (FED-109) and recovers with a full resync', async () => {
    const provinceDb = province.app.hub.store.db;
    const state = await provinceDb
      .selectFrom('cascade_sync')
      .select('cursor')
      .where('hub', '=', CITY)
      .executeTakeFirstOrThrow();
    const restoredHead = Number(state.cursor) - 2;
    const cityDb = city.app.hub.store.db;
    await cityDb.deleteFrom('cascade_feed').where('seq', '>', restoredHead).execute();
    await cityDb
      .updateTable('hub_counters')
      .set({ value: restoredHead })
      .where('name', '=', 'cascade-feed')
      .execute();
    const stuck = await sync();
    expect(stuck.json()).toMatchObject({ applied: false, error: { code: 'FED-109' } });
    const full = await sync({ mode: 'full' });
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json()).toMatchObject({
      applied: true,
      cursor: { previous: Number(state.cursor), next: restoredHead },
    });
    expect((await sync()).json()).toMatchObject({
      applied: true,
      error: null,
      cursor: { next: restoredHead },
    });
  });

  it('lets only the admin sync, and the admin, auditor and officer read entries', async () => {
    for (const token of [
      province.tokens.auditor,
      province.tokens.officer,
      province.tokens.reviewer,
      province.tokens.consumer,
    ]) {
      const refused = await sync({}, token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    expect((await province.call(null, { method: 'POST', url: SYNC, payload: {} })).statusCode).toBe(401);
    const read = (token: string | null) =>
      province.call(token, { method: 'GET', url: `/api/v1/cascade/entries?origin=${CITY}` });
    for (const token of [province.tokens.admin, province.tokens.auditor, province.tokens.officer])
      expect((await read(token)).statusCode).toBe(200);
    for (const token of [province.tokens.reviewer, province.tokens.consumer])
      expect((await read(token)).statusCode).toBe(403);
    expect((await read(null)).statusCode).toBe(401);
  });

  it('answers 404 for an unknown child and 409 for one not approved', async () => {
    const unknown = await province.call(province.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/children/350200/sync',
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
    await province.app.hub.store.db
      .updateTable('cascade_children')
      .set({ state: 'REVOKED' })
      .where('hub', '=', CITY)
      .execute();
    const revoked = await sync();
    expect(revoked.statusCode).toBe(409);
    expect(revoked.json()).toMatchObject({ code: 'HUB_ERR_WORKFLOW_STATE' });
  });
});

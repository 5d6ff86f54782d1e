import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildCityHub, cityEntry, pinCascade } from '../../../test-utils/cascade.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { signedNodeFetch } from './node-auth.js';
import { nudgedSyncsSettled } from './nudge.js';
import { nudgeState } from './nudge-send.js';

const CITY = '350100';
/** The city's least seconds between nudges (the default). */
const GAP_MS = 2_000;
const NUDGE = '/api/v1/cascade/nudge';

async function draft(city: TestHub, n: number) {
  const entry = cityEntry(n);
  expect((await putEntry(city, city.tokens.officer, entry)).statusCode).toBeLessThan(300);
  await transition(city, city.tokens.officer, entry.code, 'submit');
}

async function approve(city: TestHub, n: number) {
  const answer = await transition(city, city.tokens.admin, resourceCode(n), 'approve');
  expect(answer.statusCode, answer.body).toBe(200);
}

/** A parent that takes 600 ms to answer each nudge 202, recording the bodies and signatures. */
async function slowParent() {
  const seen: { body: unknown; signed: boolean }[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({
        body: JSON.parse(text) as unknown,
        signed: request.headers['signature-input'] !== undefined,
      });
      setTimeout(() => response.writeHead(202, { 'content-type': 'application/json' }).end('{}'), 600);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** Polls until `check` passes or `ms` elapse; answers whether it passed. */
async function eventually(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe.each(ENGINES)('cascade nudge on %s', (engine) => {
  let province: TestHub;
  let city: TestHub;
  let provinceUrl: string;
  let cityUrl: string;
  const live = async () =>
    (
      await province.app.hub.store.db
        .selectFrom('cascade_entries')
        .select('resource_code')
        .where('origin', '=', CITY)
        .where('status', '=', 'live')
        .orderBy('resource_code')
        .execute()
    ).map((row) => row.resource_code);
  const nudge = (body: object, from: TestHub = city) =>
    signedNodeFetch(from.app.hub, `${provinceUrl}${NUDGE}`, { method: 'POST', body });

  beforeAll(async () => {
    // The scheduler would wait an hour: only a nudge can bring the city's changes in time.
    province = await buildTestHub(engine, { cascadeSyncInterval: 3600, schedulerInterval: 0 });
    provinceUrl = await province.app.listen({ host: '127.0.0.1', port: 0 });
    city = await buildCityHub(engine, CITY, { parentUrl: provinceUrl });
    cityUrl = await city.app.listen({ host: '127.0.0.1', port: 0 });
    await pinCascade(province, city, cityUrl);
  });
  afterAll(async () => {
    await city?.close();
    await province?.close();
  });

  it('brings an approval to the province without a sync call; approvals within the gap share one more nudge', async () => {
    for (const n of [1, 2, 3]) await draft(city, n);
    const state = nudgeState(city.app.hub);
    expect(state.sent).toBe(0); // drafts add nothing to the feed: nothing to nudge about
    await approve(city, 1);
    expect(await eventually(async () => (await live()).length === 1, 5_000)).toBe(true);
    expect(state.sent).toBe(1);
    const started = Date.now();
    await approve(city, 2);
    await approve(city, 3);
    expect(await eventually(async () => (await live()).length === 3, 5_000 + GAP_MS)).toBe(true);
    expect(state).toMatchObject({ sent: 2, failed: 0, lastHead: 3 });
    // The second nudge waited for the gap after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(GAP_MS - 1_000);
    await nudgedSyncsSettled(province.app.hub);
    const actors = await province.app.hub.store.db
      .selectFrom('audit_entries')
      .select('actor')
      .where('action', '=', 'cascade.sync')
      .where('object', '=', CITY)
      .execute();
    expect(actors.map((row) => row.actor)).toEqual(['system:cascade-nudge', 'system:cascade-nudge']);
  });

  it('answers 202 and leaves a head the province already holds alone', async () => {
    await nudgedSyncsSettled(province.app.hub);
    const held = await nudge({ hub: CITY, head: 3 });
    expect(held).toEqual({ status: 202, body: { hub: CITY, head: 3, cursor: 3, syncing: false } });
  });

  it('refuses every token and unsigned caller, another hub in the body, a bad body and a child not approved', async () => {
    for (const role of ['admin', 'auditor', 'officer', 'reviewer', 'consumer'] as const) {
      const refused = await province.call(province.tokens[role], {
        method: 'POST',
        url: NUDGE,
        payload: { hub: CITY, head: 9 },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    const anonymous = await province.call(null, {
      method: 'POST',
      url: NUDGE,
      payload: { hub: CITY, head: 9 },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'CLI.SIG_INVALID' });
    expect(await nudge({ hub: '350200', head: 9 })).toMatchObject({
      status: 403,
      body: { code: 'HUB_ERR_FORBIDDEN' },
    });
    const bad = await nudge({ hub: CITY, head: -1 });
    expect([400, 422]).toContain(bad.status);
    await province.app.hub.store.db
      .updateTable('cascade_children')
      .set({ state: 'REVOKED' })
      .where('hub', '=', CITY)
      .execute();
    expect(await nudge({ hub: CITY, head: 9 })).toMatchObject({
      status: 403,
      body: { code: 'HUB_ERR_FORBIDDEN' },
    });
    await province.app.hub.store.db
      .updateTable('cascade_children')
      .set({ state: 'APPROVED' })
      .where('hub', '=', CITY)
      .execute();
  });

  it('is refused at a city, whose children are none', async () => {
    const answer = await signedNodeFetch(province.app.hub, `${cityUrl}${NUDGE}`, {
      method: 'POST',
      body: { hub: '350000', head: 1 },
    });
    expect(answer).toMatchObject({ status: 409, body: { code: 'HUB_ERR_CASCADE_ROLE' } });
  });

  it('sends nothing from a city whose nudges are turned off (cascadeNudgeGap 0)', async () => {
    const quiet = await buildCityHub(engine, '350300', { parentUrl: provinceUrl, cascadeNudgeGap: 0 });
    try {
      await pinCascade(province, quiet, 'http://127.0.0.1:9');
      const entry = cityEntry(8, {}, '350300');
      expect((await putEntry(quiet, quiet.tokens.officer, entry)).statusCode).toBeLessThan(300);
      await transition(quiet, quiet.tokens.officer, entry.code, 'submit');
      expect((await transition(quiet, quiet.tokens.admin, entry.code, 'approve')).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(nudgeState(quiet.app.hub)).toMatchObject({ sent: 0, failed: 0, timer: null });
    } finally {
      await quiet.close();
    }
  });

  it('keeps a change made while a nudge is on its way for one more nudge after it', async () => {
    const parent = await slowParent();
    const slow = await buildCityHub(engine, '350400', { parentUrl: parent.url });
    try {
      await pinCascade(province, slow, 'http://127.0.0.1:9');
      const publish = async (n: number) => {
        const entry = cityEntry(n, {}, '350400');
        expect((await putEntry(slow, slow.tokens.officer, entry)).statusCode).toBeLessThan(300);
        await transition(slow, slow.tokens.officer, entry.code, 'submit');
        expect((await transition(slow, slow.tokens.admin, entry.code, 'approve')).statusCode).toBe(200);
      };
      await publish(1);
      expect(await eventually(() => parent.seen.length === 1, 5_000)).toBe(true);
      await publish(2); // the first nudge is still waiting for its answer
      expect(await eventually(() => parent.seen.length === 2, 5_000 + GAP_MS)).toBe(true);
      expect(parent.seen).toEqual([
        { body: { hub: '350400', head: 1 }, signed: true },
        { body: { hub: '350400', head: 2 }, signed: true },
      ]);
    } finally {
      await slow.close();
      parent.server.close();
    }
  });

  it('never fails a catalog change when the parent cannot be reached', async () => {
    const lost = await buildCityHub(engine, '350200', { parentUrl: 'http://127.0.0.1:9' });
    try {
      await pinCascade(province, lost, 'http://127.0.0.1:9');
      const entry = cityEntry(7, {}, '350200');
      expect((await putEntry(lost, lost.tokens.officer, entry)).statusCode).toBeLessThan(300);
      await transition(lost, lost.tokens.officer, entry.code, 'submit');
      expect((await transition(lost, lost.tokens.admin, entry.code, 'approve')).statusCode).toBe(200);
      const state = nudgeState(lost.app.hub);
      expect(await eventually(() => state.failed === 1, 5_000)).toBe(true);
      expect(state.sent).toBe(0);
    } finally {
      await lost.close();
    }
  });
});

import { verifyFeedPage, type CascadeFeedPage, type DsseEnvelope } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildCityHub, cityEntry } from '../../../test-utils/cascade.js';
import { ENGINES, type TestHub } from '../../../test-utils/hub.js';
import type { Database } from '../../db/schema.js';

const CITY = '350100';

async function publish(hub: TestHub, n: number, overrides = {}) {
  const entry = cityEntry(n, overrides);
  expect((await putEntry(hub, hub.tokens.officer, entry)).statusCode).toBeLessThan(300);
  expect((await transition(hub, hub.tokens.officer, entry.code, 'submit')).statusCode).toBe(200);
  const approved = await transition(hub, hub.tokens.admin, entry.code, 'approve');
  expect(approved.statusCode, approved.body).toBe(200);
}

async function page(hub: TestHub, after?: string, limit?: number, token = hub.tokens.admin) {
  const query = new URLSearchParams({
    ...(after ? { after } : {}),
    ...(limit ? { limit: String(limit) } : {}),
  });
  return hub.call(token, { method: 'GET', url: `/api/v1/cascade/feed?${query.toString()}` });
}

/** A page read with the admin token and verified as the parent would, against the hub's key. */
async function verified(
  hub: TestHub,
  after: number,
  cursor = `c${after}`,
  limit?: number,
): Promise<CascadeFeedPage> {
  const answer = await page(hub, cursor, limit);
  expect(answer.statusCode, answer.body).toBe(200);
  const result = verifyFeedPage(answer.json<DsseEnvelope>(), { hub: CITY, publicKey: hub.publicKey, after });
  expect(result.issues).toEqual([]);
  return result.page as CascadeFeedPage;
}

describe.each(ENGINES)('cascade feed on %s', (engine) => {
  let hub: TestHub;
  let db: Kysely<Database>;
  beforeAll(async () => {
    hub = await buildCityHub(engine, CITY);
    db = hub.app.hub.store.db;
  });
  afterAll(async () => hub.close());

  it('appends a signed Create on approval, an Update on the next, and a tombstone on withdrawal', async () => {
    await publish(hub, 1);
    const first = await verified(hub, 0);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ seq: 1, type: 'Create', version: 1 });
    expect(first.items[0]?.object).toMatch(new RegExp(`^urn:ses:ds:${CITY}:[0-9A-Z]{18}:3350010001/000001$`));
    expect(first).toMatchObject({ from: 0, to: 1, head: 1, complete: true, next: null });

    await publish(hub, 1, { name: '人口基础信息（第二版）' });
    const withdrawn = await transition(hub, hub.tokens.admin, resourceCode(1), 'withdraw', {
      reason: '停止共享',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const rest = await verified(hub, 1);
    expect(rest.items.map((item) => [item.seq, item.type, item.version])).toEqual([
      [2, 'Update', 2],
      [3, 'Delete', 3],
    ]);
    expect(rest.items[1]).toMatchObject({ reason: 'WITHDRAWN', object: first.items[0]?.object });
  });

  it('numbers a version published again after its withdrawal above the tombstone', async () => {
    await publish(hub, 1, { name: '人口基础信息（恢复）' });
    const again = await verified(hub, 3);
    expect(again.items.map((item) => [item.seq, item.type, item.version])).toEqual([[4, 'Update', 4]]);
  });

  it('adds nothing for a submission, a rejection or a withdrawn draft', async () => {
    const entry = cityEntry(2);
    await putEntry(hub, hub.tokens.officer, entry);
    await transition(hub, hub.tokens.officer, entry.code, 'submit');
    await transition(hub, hub.tokens.admin, entry.code, 'reject', { reason: '缺少信息项说明' });
    await putEntry(hub, hub.tokens.officer, { ...entry, summary: '草稿' });
    await transition(hub, hub.tokens.officer, entry.code, 'withdraw', { reason: '不再登记' });
    const after = await verified(hub, 4);
    expect(after.items).toEqual([]);
    expect(after.head).toBe(4);
  });

  it('leaves no hole when the publishing transaction rolls back', async () => {
    const entry = cityEntry(3);
    await putEntry(hub, hub.tokens.officer, entry);
    await transition(hub, hub.tokens.officer, entry.code, 'submit');
    // Without the audit head the transition's audit append fails after the feed item was added.
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    try {
      const failed = await transition(hub, hub.tokens.admin, entry.code, 'approve');
      expect(failed.statusCode).toBe(503);
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    expect((await transition(hub, hub.tokens.admin, entry.code, 'approve')).statusCode).toBe(200);
    const after = await verified(hub, 4);
    expect(after.items.map((item) => item.seq)).toEqual([5]);
  });

  it('pages the change feed and lists the latest item of each object in a snapshot', async () => {
    const first = await verified(hub, 0, 'c0', 2);
    expect(first).toMatchObject({ to: 2, complete: false, next: 'c2' });
    const snapshot = await verified(hub, 0, 's0');
    expect(snapshot.items.map((item) => [item.seq, item.type])).toEqual([
      [4, 'Update'],
      [5, 'Create'],
    ]);
    expect(snapshot.complete).toBe(true);
  });

  it('refuses a cursor it did not give out, and shows a cursor past its head as FED-109', async () => {
    const bad = await page(hub, 'x12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'HUB_ERR_CASCADE_CURSOR' });
    const beyond = await page(hub, 'c99');
    expect(beyond.statusCode).toBe(200);
    const result = verifyFeedPage(beyond.json(), { hub: CITY, publicKey: hub.publicKey, after: 99 });
    expect(result.issues.map((issue) => issue.code)).toEqual(['FED-109']);
  });

  it('is read by the admin and the auditor; other tokens grant nothing and the node check refuses', async () => {
    expect((await page(hub, 'c0', 1, hub.tokens.auditor)).statusCode).toBe(200);
    for (const token of [hub.tokens.officer, hub.tokens.reviewer, hub.tokens.consumer, null]) {
      const refused = await hub.call(token, { method: 'GET', url: '/api/v1/cascade/feed?after=c0' });
      expect([400, 401]).toContain(refused.statusCode);
      expect(refused.json<{ code: string }>().code).toMatch(/^CLI\./);
    }
  });
});

describe.each(ENGINES)('cascade feed of a hub that published before it had one, on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildCityHub(engine, CITY);
    for (const n of [7, 8]) await publish(hub, n);
    // As before migration 009: no item and no feed counter.
    const db = hub.app.hub.store.db;
    await db.deleteFrom('cascade_feed').execute();
    await db.deleteFrom('hub_counters').where('name', '=', 'cascade-feed').execute();
  });
  afterAll(async () => hub.close());

  it('gives each published resource its item once, on the first read', async () => {
    const first = await verified(hub, 0);
    expect(
      first.items.map((item) => [item.seq, item.type, item.object.endsWith(resourceCode(item.seq + 6))]),
    ).toEqual([
      [1, 'Create', true],
      [2, 'Create', true],
    ]);
    expect((await verified(hub, 0)).items).toHaveLength(2);
  });
});

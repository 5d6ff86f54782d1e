import { verifyReceipt, type BatchReceiptPayload, type Receipt } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, resourceCode, rowCounts } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

type BatchItem = {
  index: number;
  code?: string;
  result: string;
  version?: number;
  error?: { code: string; status: number; issues?: { code: string }[] };
};
type BatchAnswer = {
  summary: Record<string, number>;
  items: BatchItem[];
  receipt?: Receipt<BatchReceiptPayload>;
};

const BATCH = '/api/v1/catalog/resources:batch';

describe.each(ENGINES)('catalog batch on %s', (engine) => {
  let hub: TestHub;
  let publicKey: string;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { batchLimit: 50 });
    publicKey = (
      (await hub.call(null, { method: 'GET', url: '/api/v1/hub/key' })).json() as { publicKey: string }
    ).publicKey;
  });
  afterAll(async () => hub.close());

  const batch = (token: string, entries: unknown[], headers: Record<string, string> = {}) =>
    hub.call(token, { method: 'POST', url: BATCH, payload: { entries }, headers });

  it('creates every entry, then reports the same batch unchanged, with one signed receipt each time', async () => {
    const entries = [100, 101, 102].map((n) => catalogEntry(n));
    const first = await batch(hub.tokens.officer, entries);
    expect(first.statusCode).toBe(200);
    const answer = first.json() as BatchAnswer;
    expect(answer.summary).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 0 });
    expect(answer.items.map((item) => [item.index, item.code, item.result])).toEqual([
      [0, resourceCode(100), 'created'],
      [1, resourceCode(101), 'created'],
      [2, resourceCode(102), 'created'],
    ]);
    expect(verifyReceipt(answer.receipt, publicKey)).toBe(true);
    expect(answer.receipt?.payload.items).toHaveLength(3);
    const counts = await rowCounts(hub, resourceCode(101));
    const again = (await batch(hub.tokens.officer, entries)).json() as BatchAnswer;
    expect(again.summary).toEqual({ created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(again.receipt?.payload.items.map((item) => item.result)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(await rowCounts(hub, resourceCode(101))).toEqual(counts);
  });

  it('answers 207 with per-item results when some entries fail, and writes nothing for them', async () => {
    const entries = [
      catalogEntry(110),
      { ...catalogEntry(111), colour: 'blue' }, // unknown field
      catalogEntry(112, {}, 'SCJG'), // another organisation's
      { ...catalogEntry(100), summary: '批量更新的摘要。' }, // an update
      catalogEntry(110), // the same code twice
      'not an object',
      { ...catalogEntry(113), updateCycle: 42 }, // wrong type
    ];
    const response = await batch(hub.tokens.officer, entries);
    expect(response.statusCode).toBe(207);
    const answer = response.json() as BatchAnswer;
    expect(answer.summary).toEqual({ created: 1, updated: 1, unchanged: 0, failed: 5 });
    const byIndex = answer.items.map((item) => [item.result, item.error?.code ?? null]);
    expect(byIndex).toEqual([
      ['created', null],
      ['failed', 'HUB_ERR_VALIDATION'],
      ['failed', 'HUB_ERR_NOT_OWNER'],
      ['updated', null],
      ['failed', 'HUB_ERR_CONFLICT'],
      ['failed', 'HUB_ERR_VALIDATION'],
      ['failed', 'HUB_ERR_VALIDATION'],
    ]);
    expect(answer.items[1]?.error?.issues?.[0]?.code).toBe('SCH-005');
    expect(answer.items[1]?.code).toBe(resourceCode(111));
    expect(answer.items[5]?.code).toBeUndefined();
    expect(answer.items[6]?.error?.issues?.[0]?.code).toBe('SCH-002');
    for (const n of [111, 112, 113]) {
      expect(await rowCounts(hub, resourceCode(n))).toEqual({
        resources: 0,
        versions: 0,
        terms: 0,
        audit: 0,
      });
    }
    expect(await rowCounts(hub, resourceCode(110))).toMatchObject({ resources: 1, versions: 1, audit: 1 });
    expect(answer.receipt?.payload.items.map((item) => [item.code, item.result])).toEqual([
      [resourceCode(110), 'created'],
      [resourceCode(100), 'updated'],
    ]);
    expect(verifyReceipt(answer.receipt, publicKey)).toBe(true);
  });

  it('answers 207 without a receipt when nothing was accepted', async () => {
    const answer = (await batch(hub.tokens.officer, [{ code: resourceCode(120) }])).json() as BatchAnswer;
    expect(answer.summary.failed).toBe(1);
    expect(answer.receipt).toBeUndefined();
  });

  it('refuses more entries than the batch limit with 413, and a malformed envelope with 400', async () => {
    const tooMany = await batch(
      hub.tokens.officer,
      Array.from({ length: 51 }, () => ({})),
    );
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ code: 'HUB_ERR_BATCH_TOO_LARGE' });
    for (const payload of [
      [catalogEntry(121)],
      { entries: [] },
      { entries: {} },
      { entries: [], extra: 1 },
    ]) {
      const response = await hub.call(hub.tokens.officer, { method: 'POST', url: BATCH, payload });
      expect(response.statusCode).toBe(400);
    }
  });

  it('replays a batch under its Idempotency-Key, with the 207 status it first had', async () => {
    const headers = { 'idempotency-key': 'batch-130' };
    const entries = [catalogEntry(130), { ...catalogEntry(131), extra: true }];
    const first = await batch(hub.tokens.officer, entries, headers);
    expect(first.statusCode).toBe(207);
    const replay = await batch(hub.tokens.officer, entries, headers);
    expect(replay.statusCode).toBe(207);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect((await batch(hub.tokens.officer, [catalogEntry(132)], headers)).statusCode).toBe(422);
  });

  it('writes a batch at the limit', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => catalogEntry(200 + i, { name: `批量资源${i}号` }));
    const answer = (await batch(hub.tokens.admin, entries)).json() as BatchAnswer;
    expect(answer.summary.created).toBe(50);
    const versions = await hub.app.hub.store.db
      .selectFrom('catalog_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('code', '>=', resourceCode(200))
      .where('code', '<', resourceCode(250))
      .executeTakeFirstOrThrow();
    expect(Number(versions.n)).toBe(50);
  });

  it('lets two racing batches with the same new codes create each resource once', async () => {
    // Neither sees the other's rows before writing; the loser's chunk fails on the primary key
    // (PostgreSQL) and is retried entry by entry, which then finds the entries unchanged.
    const entries = Array.from({ length: 5 }, (_, i) => catalogEntry(300 + i));
    const [a, b] = await Promise.all([
      batch(hub.tokens.officer, entries),
      batch(hub.tokens.officer, entries),
    ]);
    const results = [a, b].flatMap((response) =>
      (response.json() as BatchAnswer).items.map((item) => item.result),
    );
    expect(results.filter((result) => result === 'created')).toHaveLength(5);
    expect(results.filter((result) => result === 'unchanged')).toHaveLength(5);
    for (const entry of entries) {
      expect(await rowCounts(hub, entry.code)).toMatchObject({ resources: 1, versions: 1, audit: 1 });
    }
  });
});

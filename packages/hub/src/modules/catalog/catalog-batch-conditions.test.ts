import { verifyReceipt, type BatchReceiptPayload, type Receipt } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, rowCounts } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

type BatchAnswer = {
  summary: Record<string, number>;
  items: {
    index: number;
    code?: string;
    result: string;
    etag?: string;
    error?: { code: string; status: number };
  }[];
  receipt?: Receipt<BatchReceiptPayload>;
};

const BATCH = '/api/v1/catalog/resources:batch';

describe.each(ENGINES)('catalog batch preconditions on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
  });
  afterAll(async () => hub.close());

  const batch = (payload: object) => hub.call(hub.tokens.officer, { method: 'POST', url: BATCH, payload });

  it('writes entries whose preconditions hold and fails only the one whose ETag is stale, with 412', async () => {
    // Given two registered resources, one of them edited by someone else after it was read
    const first = (await putEntry(hub, hub.tokens.officer, catalogEntry(1))).json() as { etag: string };
    const second = (await putEntry(hub, hub.tokens.officer, catalogEntry(2))).json() as { etag: string };
    await putEntry(hub, hub.tokens.officer, catalogEntry(2, { summary: '别人改过的摘要。' }));
    const before = await rowCounts(hub, resourceCode(2));
    // When a batch updates both on the ETags first read, and creates a third only if it is new
    const response = await batch({
      entries: [
        catalogEntry(1, { summary: '批量更新一。' }),
        catalogEntry(2, { summary: '批量更新二。' }),
        catalogEntry(3),
      ],
      conditions: {
        [resourceCode(1)]: { ifMatch: first.etag },
        [resourceCode(2)]: { ifMatch: second.etag },
        [resourceCode(3)]: { ifNoneMatch: '*' },
      },
    });
    // Then the concurrent edit survives: its entry failed alone, the others were written
    expect(response.statusCode).toBe(207);
    const answer = response.json() as BatchAnswer;
    expect(
      answer.items.map((item) => [item.result, item.error?.code ?? null, item.error?.status ?? null]),
    ).toEqual([
      ['updated', null, null],
      ['failed', 'HUB_ERR_PRECONDITION_FAILED', 412],
      ['created', null, null],
    ]);
    expect(await rowCounts(hub, resourceCode(2))).toEqual(before);
    expect(answer.receipt?.payload.items.map((item) => item.code)).toEqual([
      resourceCode(1),
      resourceCode(3),
    ]);
    expect(verifyReceipt(answer.receipt, hub.publicKey)).toBe(true);
  });

  it('refuses a create-only entry whose code exists, and keeps entries without conditions unconditional', async () => {
    const answer = (
      await batch({
        entries: [catalogEntry(3), catalogEntry(4)],
        conditions: { [resourceCode(3)]: { ifNoneMatch: '*' } },
      })
    ).json() as BatchAnswer;
    expect(answer.items.map((item) => item.error?.code ?? item.result)).toEqual([
      'HUB_ERR_PRECONDITION_FAILED',
      'created',
    ]);
  });

  it('answers 400 for conditions that name no entry or have the wrong shape', async () => {
    for (const conditions of [
      { [resourceCode(9)]: { ifMatch: '"1-0000000000000000"' } },
      { [resourceCode(5)]: { ifMatch: 1 } },
      { [resourceCode(5)]: { etag: 'x' } },
      { [resourceCode(5)]: 'x' },
      [],
    ]) {
      const response = await batch({ entries: [catalogEntry(5)], conditions });
      expect(response.statusCode, JSON.stringify(conditions)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
    }
    expect((await rowCounts(hub, resourceCode(5))).resources).toBe(0);
  });
});

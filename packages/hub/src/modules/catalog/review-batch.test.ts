import { verifyReceipt } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

const URL = '/api/v1/catalog/resources:review';

interface Item {
  index: number;
  code: string;
  action: string;
  result: string;
  status?: string;
  etag?: string;
  receipt?: { payload: Record<string, unknown>; signature: unknown };
  error?: { code: string; status: number; message: string; hint?: string; currentStatus?: string };
}
interface Answer {
  summary: { approved: number; rejected: number; failed: number };
  items: Item[];
}

describe.each(ENGINES)('catalog bulk review (POST resources:review) on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { batchLimit: 10 });
  });
  afterAll(async () => hub.close());

  const bulk = (token: string | null, entries: object[], headers: Record<string, string> = {}) =>
    hub.call(token, { method: 'POST', url: URL, payload: { entries }, headers });

  /** Registers and submits test resource n; returns the ETag an administrator would list. */
  async function submitted(n: number): Promise<string> {
    await putEntry(hub, hub.tokens.officer, catalogEntry(n));
    const answer = await transition(hub, hub.tokens.officer, resourceCode(n), 'submit');
    return answer.headers.etag as string;
  }

  const statusOf = async (n: number) =>
    (
      await hub.app.hub.store.db
        .selectFrom('catalog_versions')
        .select(['status', 'reason'])
        .where('code', '=', resourceCode(n))
        .orderBy('version', 'desc')
        .executeTakeFirstOrThrow()
    ).status;

  /** The catalog audit leaves of a resource, oldest first, as their JSON. */
  const leaves = async (n: number) =>
    (
      await hub.app.hub.store.db
        .selectFrom('audit_entries')
        .select(['action', 'leaf'])
        .where('object', '=', resourceCode(n))
        .orderBy('seq')
        .execute()
    ).map((row) => ({
      action: row.action,
      leaf: JSON.parse(row.leaf) as { actor: { role: string }; toState?: string },
    }));

  it('reviews each entry on its own: mixed results answer 207, a failure rolls back nothing else', async () => {
    const etag1 = await submitted(1);
    await submitted(2);
    await transition(hub, hub.tokens.admin, resourceCode(2), 'approve'); // already published
    await submitted(3);
    await submitted(4);
    await submitted(5);
    const response = await bulk(hub.tokens.admin, [
      { code: resourceCode(1), action: 'approve', ifMatch: etag1 },
      { code: resourceCode(2), action: 'approve' },
      { code: resourceCode(3), action: 'approve', ifMatch: '"1-0000000000000000"' },
      { code: resourceCode(999), action: 'approve' },
      { code: resourceCode(4), action: 'reject', reason: '  ' },
      { code: resourceCode(5), action: 'reject', reason: '共享条件不明确' },
      { code: resourceCode(1), action: 'reject', reason: '重复' },
    ]);
    expect(response.statusCode).toBe(207);
    const answer = response.json() as Answer;
    expect(answer.summary).toEqual({ approved: 1, rejected: 1, failed: 5 });
    expect(answer.items.map((item) => [item.index, item.result, item.error?.code ?? item.status])).toEqual([
      [0, 'approved', 'published'],
      [1, 'failed', 'HUB_ERR_CONFLICT'],
      [2, 'failed', 'HUB_ERR_PRECONDITION_FAILED'],
      [3, 'failed', 'HUB_ERR_NOT_FOUND'],
      [4, 'failed', 'HUB_ERR_REASON_REQUIRED'],
      [5, 'rejected', 'rejected'],
      [6, 'failed', 'HUB_ERR_CONFLICT'],
    ]);
    expect(answer.items[1]?.error).toMatchObject({ status: 409, currentStatus: 'published' });
    expect(answer.items[2]?.error?.status).toBe(412);
    expect(answer.items[3]?.error?.status).toBe(404);
    expect(answer.items[4]?.error?.status).toBe(422);
    expect(answer.items[4]?.error?.message).toContain('理由');
    // Each success carries its own receipt, signed by the hub key.
    expect(answer.items[0]?.receipt?.payload).toMatchObject({ code: resourceCode(1), status: 'published' });
    expect(verifyReceipt(answer.items[0]!.receipt as never, hub.publicKey)).toBe(true);
    expect(verifyReceipt(answer.items[5]!.receipt as never, hub.publicKey)).toBe(true);
    expect([await statusOf(1), await statusOf(3), await statusOf(4), await statusOf(5)]).toEqual([
      'published',
      'submitted',
      'submitted',
      'rejected',
    ]);
  });

  it('writes one audit entry per reviewed entry, with the admin role, and none for a failed one', async () => {
    const approved = await leaves(1);
    expect(approved.map((entry) => entry.action)).toEqual([
      'catalog.change.create',
      'catalog.change.submit',
      'catalog.change.approve',
    ]);
    expect(approved[2]?.leaf).toMatchObject({ actor: { role: 'admin' }, toState: 'PUBLISHED' });
    const rejected = await leaves(5);
    expect(rejected.at(-1)).toMatchObject({
      action: 'catalog.change.reject',
      leaf: { actor: { role: 'admin' } },
    });
    for (const n of [3, 4]) {
      expect((await leaves(n)).map((entry) => entry.action)).toEqual([
        'catalog.change.create',
        'catalog.change.submit',
      ]);
    }
  });

  it('answers 200 when every entry succeeded, and the language of the caller in failures', async () => {
    await submitted(6);
    await submitted(7);
    const allOk = await bulk(hub.tokens.admin, [
      { code: resourceCode(6), action: 'approve' },
      { code: resourceCode(7), action: 'reject', reason: '信息项描述不全' },
    ]);
    expect(allOk.statusCode).toBe(200);
    expect((allOk.json() as Answer).summary).toEqual({ approved: 1, rejected: 1, failed: 0 });
    const english = await bulk(hub.tokens.admin, [{ code: resourceCode(6), action: 'approve' }], {
      'accept-language': 'en',
    });
    expect(english.statusCode).toBe(207);
    expect((english.json() as Answer).items[0]?.error?.message).toMatch(/conflicts with the current state/);
  });

  it('refuses every role but admin, and no token at all, before touching anything', async () => {
    await submitted(8);
    const entries = [{ code: resourceCode(8), action: 'approve' }];
    for (const token of [hub.tokens.auditor, hub.tokens.officer, hub.tokens.reviewer, hub.tokens.consumer]) {
      const refused = await bulk(token, entries);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    expect((await bulk(null, entries)).statusCode).toBe(401);
    expect(await statusOf(8)).toBe('submitted');
  });

  it('refuses a request as a whole: too many entries (413), none, an unknown action or member (400)', async () => {
    const code = resourceCode(8);
    const tooMany = Array.from({ length: 11 }, (_, n) => ({
      code: resourceCode(100 + n),
      action: 'approve',
    }));
    const large = await bulk(hub.tokens.admin, tooMany);
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'HUB_ERR_BATCH_TOO_LARGE' });
    for (const entries of [
      [],
      [{ code, action: 'publish' }],
      [{ code, action: 'approve', force: true }],
      [{ action: 'approve' }],
    ]) {
      const response = await bulk(hub.tokens.admin, entries);
      expect(response.statusCode, JSON.stringify(entries).slice(0, 80)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
    }
    expect(await statusOf(8)).toBe('submitted');
  });

  it('replays an answer under the same Idempotency-Key instead of reviewing again', async () => {
    await submitted(9);
    const headers = { 'idempotency-key': 'bulk-review-9' };
    const entries = [{ code: resourceCode(9), action: 'approve' }];
    const first = await bulk(hub.tokens.admin, entries, headers);
    const again = await bulk(hub.tokens.admin, entries, headers);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await leaves(9)).filter((entry) => entry.action === 'catalog.change.approve')).toHaveLength(1);
  });
});

import { verifyReceipt } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, encodedCode, putEntry, resourceCode, rowCounts } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

type WriteAnswer = {
  code: string;
  result: string;
  version: number;
  status: string;
  contentHash: string;
  etag: string;
  receipt: { payload: Record<string, unknown> };
};

describe.each(ENGINES)('catalog registration on %s', (engine) => {
  let hub: TestHub;
  let publicKey: string;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    publicKey = hub.publicKey;
  });
  afterAll(async () => hub.close());

  it('creates at a percent-encoded code, then reports an identical entry unchanged without writing', async () => {
    // Given a new entry
    const entry = catalogEntry(1);
    // When it is registered
    const created = await putEntry(hub, hub.tokens.officer, entry);
    // Then it is a draft version 1 with an ETag, a Location and a receipt that verifies
    expect(created.statusCode).toBe(201);
    const answer = created.json() as WriteAnswer;
    expect(answer).toMatchObject({ code: resourceCode(1), result: 'created', version: 1, status: 'draft' });
    expect(answer.contentHash).toMatch(/^sm3:[0-9a-f]{64}$/);
    expect(created.headers.etag).toBe(`"1-${answer.contentHash.slice(4, 20)}"`);
    expect(created.headers.location).toBe(`/api/v1/catalog/resources/${encodedCode(1)}`);
    expect(verifyReceipt(answer.receipt, publicKey)).toBe(true);
    expect(answer.receipt.payload).toMatchObject({ v: 1, hub: '350000', code: resourceCode(1), version: 1 });
    const before = await rowCounts(hub, resourceCode(1));
    expect(before).toMatchObject({ resources: 1, versions: 1, audit: 1 });
    expect(before.terms).toBeGreaterThan(20);
    // When the same entry comes again, with code-table values given as codes ("2" = 有条件共享)
    const again = await putEntry(hub, hub.tokens.officer, {
      ...entry,
      sharing: { ...entry.sharing, type: '2' as never },
    });
    // Then it is unchanged, and no row was touched
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ result: 'unchanged', version: 1, contentHash: answer.contentHash });
    expect(await rowCounts(hub, resourceCode(1))).toEqual(before);
    const stored = await hub.app.hub.store.db
      .selectFrom('catalog_versions')
      .select(['updated_at', 'document'])
      .where('code', '=', resourceCode(1))
      .executeTakeFirstOrThrow();
    expect(stored.updated_at).toBe(answer.receipt.payload.time);
    expect(JSON.parse(stored.document)).toMatchObject({ sharing: { type: '有条件共享' } });
    // What comes back is the entry as registered, in its normalised form
    const read = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: `/api/v1/catalog/resources/${encodedCode(1)}`,
    });
    expect(read.headers.etag).toBe(created.headers.etag);
    expect((read.json() as { document: unknown }).document).toEqual(entry);
  });

  it('edits a draft in place: same version, new content hash and ETag, audited as an update', async () => {
    const entry = catalogEntry(2);
    const first = (await putEntry(hub, hub.tokens.officer, entry)).json() as WriteAnswer;
    const changed = await putEntry(hub, hub.tokens.officer, { ...entry, summary: '修改后的摘要。' });
    expect(changed.statusCode).toBe(200);
    const answer = changed.json() as WriteAnswer;
    expect(answer).toMatchObject({ result: 'updated', version: 1, status: 'draft' });
    expect(answer.contentHash).not.toBe(first.contentHash);
    expect(answer.etag).not.toBe(first.etag);
    expect(await rowCounts(hub, resourceCode(2))).toMatchObject({ resources: 1, versions: 1, audit: 2 });
    const read = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: `/api/v1/catalog/resources/${encodedCode(2)}`,
    });
    expect(read.headers.etag).toBe(answer.etag);
    expect(read.json()).toMatchObject({ document: { summary: '修改后的摘要。' } });
  });

  it('honours If-Match, answers 412 with the current version for a stale ETag, and If-None-Match: * creates only', async () => {
    const entry = catalogEntry(3);
    const created = await putEntry(hub, hub.tokens.officer, entry, { 'if-none-match': '*' });
    expect(created.statusCode).toBe(201);
    const etag = created.headers.etag as string;
    const createOnly = await putEntry(hub, hub.tokens.officer, entry, { 'if-none-match': '*' });
    expect(createOnly.statusCode).toBe(412);
    const matched = await putEntry(
      hub,
      hub.tokens.officer,
      { ...entry, summary: '第二稿。' },
      { 'if-match': etag },
    );
    expect(matched.statusCode).toBe(200);
    // A writer still holding the first ETag loses, and learns what the resource is now
    const stale = await putEntry(
      hub,
      hub.tokens.officer,
      { ...entry, summary: '第三稿。' },
      { 'if-match': etag },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({
      code: 'HUB_ERR_PRECONDITION_FAILED',
      currentVersion: 1,
      etag: matched.headers.etag,
    });
    expect((await putEntry(hub, hub.tokens.officer, catalogEntry(4), { 'if-match': etag })).statusCode).toBe(
      412,
    );
    expect(await rowCounts(hub, resourceCode(4))).toMatchObject({
      resources: 0,
      versions: 0,
      terms: 0,
      audit: 0,
    });
    const current = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: `/api/v1/catalog/resources/${encodedCode(3)}`,
    });
    expect(current.json()).toMatchObject({ document: { summary: '第二稿。' } });
  });

  it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
    const entry = catalogEntry(5);
    const headers = { 'idempotency-key': 'register-5-attempt' };
    const first = await putEntry(hub, hub.tokens.officer, entry, headers);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const replay = await putEntry(hub, hub.tokens.officer, entry, headers);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.json()).toEqual(first.json());
    const mismatch = await putEntry(hub, hub.tokens.officer, { ...entry, summary: '另一个请求。' }, headers);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json()).toMatchObject({ code: 'HUB_ERR_IDEMPOTENCY_MISMATCH' });
    expect(await rowCounts(hub, resourceCode(5))).toMatchObject({ versions: 1, audit: 1 });
    // Keys belong to a token: another token's same key is a different request
    const other = await putEntry(hub, hub.tokens.admin, entry, headers);
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ result: 'unchanged' });
    const badKey = await putEntry(hub, hub.tokens.officer, entry, { 'idempotency-key': 'x'.repeat(129) });
    expect(badKey.statusCode).toBe(400);
  });

  it('lets an officer write only its own organisation’s resources, and an admin any', async () => {
    const foreign = catalogEntry(6, {}, 'SCJG');
    const refused = await putEntry(hub, hub.tokens.officer, foreign);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'HUB_ERR_NOT_OWNER' });
    expect(await rowCounts(hub, resourceCode(6))).toMatchObject({ resources: 0, versions: 0, audit: 0 });
    expect((await putEntry(hub, hub.tokens.otherOfficer, foreign)).statusCode).toBe(201);
    // GAT's officer can neither change SCJG's resource nor take it over by naming itself provider
    const takeover = await putEntry(hub, hub.tokens.officer, catalogEntry(6));
    expect(takeover.statusCode).toBe(403);
    const byAdmin = await putEntry(hub, hub.tokens.admin, { ...foreign, summary: '管理员修改。' });
    expect(byAdmin.json()).toMatchObject({ result: 'updated' });
    const unknown = await putEntry(hub, hub.tokens.admin, {
      ...catalogEntry(7),
      provider: { name: '某未登记单位', uscc: '11350000003591037R' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'HUB_ERR_UNKNOWN_PROVIDER' });
    expect(
      (
        await hub.call(hub.tokens.consumer, {
          method: 'PUT',
          url: `/api/v1/catalog/resources/${encodedCode(8)}`,
          payload: catalogEntry(8, {}, 'MZT'),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('never takes hub-owned fields from the client: status, version, timestamps, reviewer are unknown fields', async () => {
    for (const [field, value] of [
      ['status', 'published'],
      ['version', 7],
      ['createdAt', '2024-01-01T00:00:00Z'],
      ['reviewer', 'admin'],
    ] as const) {
      const response = await putEntry(hub, hub.tokens.officer, { ...catalogEntry(9), [field]: value });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'HUB_ERR_VALIDATION',
        issues: [{ code: 'SCH-005' }],
      });
    }
    expect(await rowCounts(hub, resourceCode(9))).toMatchObject({ resources: 0, versions: 0 });
  });

  it('refuses a body whose code differs from the path', async () => {
    const response = await hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${encodedCode(10)}`,
      payload: catalogEntry(11),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
    expect(await rowCounts(hub, resourceCode(11))).toMatchObject({ resources: 0 });
  });

  it('answers in English when asked, with the standard’s messages', async () => {
    const response = await hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${encodedCode(12)}`,
      payload: { ...catalogEntry(12), sharing: { type: '不予共享' } },
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(422);
    const body = response.json() as { message: string; issues: { code: string; message: string }[] };
    expect(body.message).toMatch(/does not meet the standard/);
    expect(body.issues.map((issue) => issue.code)).toContain('CAT-001');
  });
});

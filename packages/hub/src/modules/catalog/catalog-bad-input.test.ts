import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, encodedCode, putEntry, resourceCode, rowCounts } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';

function withoutSummary(entry: object): object {
  const copy: Record<string, unknown> = { ...entry };
  delete copy.summary;
  return copy;
}

type ErrorBody = {
  code: string;
  message: string;
  requestId: string;
  issues?: { code: string; location: string }[];
};

describe.each(ENGINES)('catalog bad input on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine, { bodyLimit: 256 * 1024 });
  });
  afterAll(async () => hub.close());

  const put = (n: number, payload: string | object, headers: Record<string, string> = {}) =>
    hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${encodedCode(n)}`,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });

  const expectNothingWritten = async (n: number) =>
    expect(await rowCounts(hub, resourceCode(n))).toEqual({ resources: 0, versions: 0, terms: 0, audit: 0 });

  it('answers malformed JSON with 400 and a code', async () => {
    const response = await put(1, '{"code": "3350010001/000001", "name": ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
    await expectNothingWritten(1);
  });

  it('answers a body over the size limit with 413, for one entry and for a batch', async () => {
    const huge = { ...catalogEntry(2), summary: '大'.repeat(200_000) };
    const response = await put(2, huge);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_BODY_TOO_LARGE' });
    const batch = await hub.call(hub.tokens.officer, {
      method: 'POST',
      url: '/api/v1/catalog/resources:batch',
      payload: { entries: [huge] },
    });
    expect(batch.statusCode).toBe(413);
    await expectNothingWritten(2);
  });

  it('answers another content type with 415', async () => {
    const response = await put(3, 'code=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'HUB_ERR_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers unknown fields, wrong types and missing fields with 422 and located issues', async () => {
    const cases: [object, string, string][] = [
      [{ ...catalogEntry(4), colour: 'blue' }, 'SCH-005', ''],
      [{ ...catalogEntry(4), name: 42 }, 'SCH-002', '/name'],
      [{ ...catalogEntry(4), items: 'none' }, 'SCH-002', '/items'],
      [{ ...catalogEntry(4), grading: { level: '绝密' } }, 'SCH-003', '/grading/level'],
      [withoutSummary(catalogEntry(4)), 'SCH-001', ''],
    ];
    for (const [payload, code, location] of cases) {
      const response = await put(4, payload);
      expect(response.statusCode, code).toBe(422);
      const body = response.json() as ErrorBody;
      expect(body.code).toBe('HUB_ERR_VALIDATION');
      expect(body.issues?.[0]?.code, JSON.stringify(body.issues)).toBe(code);
      expect(body.issues?.[0]?.location.startsWith(location)).toBe(true);
    }
    await expectNothingWritten(4);
  });

  it('answers an invalid code in the body with 422 and in the path with 400', async () => {
    const badBody = await put(5, { ...catalogEntry(5), code: '9350010001/000005' });
    expect(badBody.statusCode).toBe(422);
    const badPath = await hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${encodeURIComponent('not-a-code')}`,
      payload: catalogEntry(5),
    });
    expect(badPath.statusCode).toBe(400);
    const unencoded = await hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${resourceCode(5)}`,
      payload: catalogEntry(5),
    });
    expect(unencoded.statusCode).toBe(404);
    const shortSequence = await put(5, { ...catalogEntry(5), code: '3350010001/5' });
    expect(shortSequence.statusCode).toBe(422);
    expect((shortSequence.json() as ErrorBody).issues?.map((issue) => issue.code)).toContain('CAT-012');
    await expectNothingWritten(5);
  });

  it('answers another organisation’s resource with 403 and a stale ETag with 412, writing nothing', async () => {
    const foreign = catalogEntry(6, {}, 'SCJG');
    expect((await put(6, foreign)).statusCode).toBe(403);
    await expectNothingWritten(6);
    const created = await put(7, catalogEntry(7));
    await put(7, { ...catalogEntry(7), summary: '更新。' }, { 'if-match': created.headers.etag as string });
    const before = await rowCounts(hub, resourceCode(7));
    const stale = await put(
      7,
      { ...catalogEntry(7), summary: '过期的更新。' },
      { 'if-match': created.headers.etag as string },
    );
    expect(stale.statusCode).toBe(412);
    expect(await rowCounts(hub, resourceCode(7))).toEqual(before);
  });

  it('answers a missing or forged token with 401 and a role that may not write with 403', async () => {
    const anonymous = await hub.call(null, {
      method: 'PUT',
      url: `/api/v1/catalog/resources/${encodedCode(8)}`,
      payload: catalogEntry(8),
    });
    expect(anonymous.statusCode).toBe(401);
    for (const token of [hub.tokens.auditor, hub.tokens.reviewer, hub.tokens.consumer]) {
      const response = await hub.call(token, {
        method: 'PUT',
        url: `/api/v1/catalog/resources/${encodedCode(8)}`,
        payload: catalogEntry(8),
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    await expectNothingWritten(8);
  });

  it('keeps serving after all of them', async () => {
    const response = await putEntry(hub, hub.tokens.officer, catalogEntry(9));
    expect(response.statusCode).toBe(201);
    const read = await hub.call(hub.tokens.officer, {
      method: 'GET',
      url: `/api/v1/catalog/resources/${encodedCode(9)}`,
    });
    expect(read.statusCode).toBe(200);
    expect((await hub.call(null, { method: 'GET', url: '/api/v1/version' })).statusCode).toBe(200);
  });
});

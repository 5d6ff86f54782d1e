import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sm3Hex, verifyReceipt, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putEntry, transition } from '../../../test-utils/catalog.js';
import { buildTestHub, department, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { saveChunk } from './stage.js';

const CATALOG = JSON.parse(
  readFileSync(new URL('../../../../../fixtures/catalogs/fujian-province.json', import.meta.url), 'utf8'),
) as { resources: CatalogResource[] };
const RESOURCE = CATALOG.resources.find((r) => r.name === '常住人口基本信息') as CatalogResource;
const CODE = RESOURCE.code;
const HEADER = ['公民身份号码', '姓名', '性别', '民族', '出生日期', '户籍地行政区划', '更新时间'];

/** A valid resident ID born on 1980-01-01 + n days in Gulou (350102), male when n is even. */
function residentId(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1 + n)).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `350102${birth}${String(100 + (n % 800))
    .padStart(3, '0')
    .slice(0, 2)}${n % 2 === 0 ? 1 : 2}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

function person(n: number, name = `测试${n}`): string[] {
  const id = residentId(n);
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return [
    id,
    name,
    Number(id.charAt(16)) % 2 === 1 ? '1' : '2',
    '01',
    birth,
    '350102',
    '2026-11-01 08:00:00',
  ];
}

function chunk(rows: (string | null)[][], firstRow: number) {
  const text = rows.map((values, i) => JSON.stringify([firstRow + i, ...values])).join('\n');
  const body = gzipSync(Buffer.from(text));
  return { body, sm3: sm3Hex(body), rows: rows.length };
}

describe.each(ENGINES)('data submissions on %s', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    const owner = department('GAT');
    const entry = { ...RESOURCE, provider: { name: owner.name, uscc: owner.uscc, regionCode: '350000' } };
    expect((await putEntry(hub, hub.tokens.officer, entry)).statusCode).toBe(201);
    expect((await transition(hub, hub.tokens.officer, CODE, 'submit')).statusCode).toBe(200);
    expect((await transition(hub, hub.tokens.admin, CODE, 'approve')).statusCode).toBe(200);
  });
  afterAll(async () => hub.close());

  const create = (body: object, token = hub.tokens.officer) =>
    hub.call(token, {
      method: 'POST',
      url: '/api/v1/submissions',
      payload: { resource: CODE, header: HEADER, ...body },
    });
  const upload = (id: string, seq: number, part: ReturnType<typeof chunk>, sm3 = part.sm3) =>
    hub.call(hub.tokens.officer, {
      method: 'PUT',
      url: `/api/v1/submissions/${id}/chunks/${seq}`,
      payload: part.body,
      headers: {
        'content-type': 'application/vnd.minjiang.rows+gzip',
        'x-minjiang-sm3': sm3,
        'x-minjiang-rows': String(part.rows),
      },
    });
  const commit = (id: string, chunks: number, rows?: number) =>
    hub.call(hub.tokens.officer, {
      method: 'POST',
      url: `/api/v1/submissions/${id}/commit`,
      payload: { chunks, ...(rows !== undefined ? { rows } : {}) },
    });
  const stats = async () =>
    (
      await hub.call(hub.tokens.officer, {
        method: 'GET',
        url: `/api/v1/resources/${encodeURIComponent(CODE)}/data/stats`,
      })
    ).json() as {
      rows: number;
      digest: string;
    };

  it('stages chunks in any order, idempotently, and commits valid rows while filing the bad ones as problems', async () => {
    const created = await create({ mode: 'incremental', fileName: 'people.csv', rows: 6, chunkRows: 3 });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const first = chunk([person(1), person(2), [...person(3).slice(0, 3), '99', ...person(3).slice(4)]], 1);
    const second = chunk([person(4), person(5, ''), person(1)], 4);
    expect((await upload(id, 2, second)).statusCode).toBe(201);
    expect((await commit(id, 2)).json()).toMatchObject({
      code: 'HUB_ERR_SUBMISSION_INCOMPLETE',
      missing: [1],
    });
    expect((await upload(id, 1, first)).statusCode).toBe(201);
    const again = await upload(id, 1, first);
    expect([again.statusCode, again.json()]).toEqual([
      200,
      { seq: 1, rows: 3, sm3: first.sm3, stored: false },
    ]);
    expect((await upload(id, 1, second)).json()).toMatchObject({ code: 'HUB_ERR_CHUNK_CONFLICT' });
    expect((await upload(id, 3, first, second.sm3)).json()).toMatchObject({ code: 'HUB_ERR_CHUNK_CHECKSUM' });
    expect((await commit(id, 2, 7)).statusCode).toBe(409);

    const committed = await commit(id, 2, 6);
    expect(committed.statusCode).toBe(200);
    const result = committed.json() as Record<string, unknown> & { receipt: unknown; ticket: string };
    expect(result).toMatchObject({
      rows: 6,
      accepted: 3,
      rejected: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(verifyReceipt(result.receipt, hub.publicKey)).toBe(true);
    expect((await commit(id, 2, 6)).json()).toEqual(result);
    expect((await stats()).rows).toBe(3);
    const listed = await hub.call(hub.tokens.officer, { method: 'GET', url: '/api/v1/submissions?limit=1' });
    expect(listed.json()).toEqual({ items: [expect.objectContaining({ id, status: 'committed' })] });
    expect((listed.json() as { items: { chunks: unknown }[] }).items[0]?.chunks).toEqual({
      count: 2,
      rows: 6,
      bytes: first.body.length + second.body.length,
      seqs: [1, 2],
    });

    const problems = await hub.app.hub.store.db
      .selectFrom('problem_records')
      .select(['row_number', 'findings'])
      .where('ticket_id', '=', result.ticket)
      .orderBy('seq')
      .execute();
    expect(
      problems.map((p) => [p.row_number, (JSON.parse(p.findings) as { code: string }[]).map((f) => f.code)]),
    ).toEqual([
      [3, ['DATA-CODE']],
      [5, ['DATA-REQUIRED']],
      [6, ['DATA-DUPLICATE-KEY']],
    ]);
    const audit = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select('action')
      .where('object', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['data.submission.create', 'data.submission.commit']);
  });

  it('replaces the set in full mode and deletes by key in delete mode', async () => {
    const full = (await create({ mode: 'full' })).json() as { id: string };
    expect((await upload(full.id, 1, chunk([person(2), person(10), person(11)], 1))).statusCode).toBe(201);
    expect((await commit(full.id, 1)).json()).toMatchObject({
      accepted: 3,
      inserted: 2,
      unchanged: 1,
      deleted: 2,
    });
    expect((await stats()).rows).toBe(3);

    const removal = (await create({ mode: 'delete', header: ['公民身份号码'] })).json() as { id: string };
    const keys = chunk([[residentId(10)], [residentId(99)]], 1);
    expect((await upload(removal.id, 1, keys)).statusCode).toBe(201);
    expect((await commit(removal.id, 1)).json()).toMatchObject({ accepted: 2, deleted: 1, missing: 1 });
    expect((await stats()).rows).toBe(2);
  });

  it('leaves the data and the submission unchanged when the commit fails half-way', async () => {
    const before = await stats();
    const { id } = (await create({})).json() as { id: string };
    await upload(id, 1, chunk([person(20), person(21)], 1));
    await upload(id, 2, chunk([[...person(22).slice(0, 3), '99', ...person(22).slice(4)]], 3));
    // The audit log cannot append (its head row is gone): the commit fails after the accepted rows
    // were written, at the ticket's or the commit's audit entry.
    const db = hub.app.hub.store.db;
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    try {
      expect((await commit(id, 2)).statusCode).toBe(503);
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    expect(await stats()).toEqual(before);
    const view = await hub.call(hub.tokens.officer, { method: 'GET', url: `/api/v1/submissions/${id}` });
    expect(view.json()).toMatchObject({ status: 'open', chunks: { count: 2, seqs: [1, 2] } });
    expect((await commit(id, 2)).json()).toMatchObject({ rows: 3, accepted: 2, rejected: 1, inserted: 2 });
  });

  it('asks again for a chunk whose staged rows were lost (an unlogged table after a database crash)', async () => {
    const before = await stats();
    const { id } = (await create({})).json() as { id: string };
    const second = chunk([person(52)], 3);
    await upload(id, 1, chunk([person(50), person(51)], 1));
    await upload(id, 2, second);
    await hub.app.hub.store.db
      .deleteFrom('data_staged_rows')
      .where('submission_id', '=', id)
      .where('seq', '=', 2)
      .execute();
    expect((await commit(id, 2)).json()).toMatchObject({
      code: 'HUB_ERR_SUBMISSION_INCOMPLETE',
      missing: [2],
    });
    expect(await stats()).toEqual(before);
    const view = await hub.call(hub.tokens.officer, { method: 'GET', url: `/api/v1/submissions/${id}` });
    expect(view.json()).toMatchObject({ status: 'open', chunks: { seqs: [1] } });
    expect((await upload(id, 2, second)).statusCode).toBe(201);
    expect((await commit(id, 2)).json()).toMatchObject({ rows: 3, accepted: 3, inserted: 3 });
    const gone = await hub.app.hub.store.db
      .selectFrom('data_staged_rows')
      .select('row_number')
      .where('submission_id', '=', id)
      .execute();
    expect(gone).toEqual([]);
  });

  it('keeps the staged rows of other open submissions when one is committed or cancelled', async () => {
    const db = hub.app.hub.store.db;
    const staged = async (id: string) =>
      (await db.selectFrom('data_staged_rows').select('row_number').where('submission_id', '=', id).execute())
        .length;
    const ids = [];
    for (const [n, first] of [
      [1, 80],
      [2, 82],
      [3, 84],
    ] as const) {
      const { id } = (await create({})).json() as { id: string };
      expect((await upload(id, 1, chunk([person(first), person(first + 1)], 1))).statusCode).toBe(201);
      ids[n - 1] = id;
    }
    const [committed, cancelled, waiting] = ids as [string, string, string];
    expect((await commit(committed, 1)).json()).toMatchObject({ accepted: 2 });
    const cancel = await hub.call(hub.tokens.officer, {
      method: 'POST',
      url: `/api/v1/submissions/${cancelled}/cancel`,
    });
    expect(cancel.statusCode).toBe(200);
    expect([await staged(committed), await staged(cancelled), await staged(waiting)]).toEqual([0, 0, 2]);
    // The last one staged: its commit empties the staging table (whole, on SQLite).
    expect((await commit(waiting, 1)).json()).toMatchObject({ accepted: 2, inserted: 2 });
    const left = await db.selectFrom('data_staged_rows').select('submission_id').execute();
    expect(left).toEqual([]);
  });

  it('answers two concurrent commits of one submission (a timed-out client retrying) with one result', async () => {
    const { id } = (await create({})).json() as { id: string };
    await upload(id, 1, chunk([person(40), person(41)], 1));
    const [a, b] = await Promise.all([commit(id, 1), commit(id, 1)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toMatchObject({ accepted: 2, inserted: 2 });
  });

  it('refuses bad chunks and headers with stable codes', async () => {
    expect((await create({ header: ['姓名'] })).json()).toMatchObject({ code: 'HUB_ERR_DATA_HEADER' });
    const { id } = (await create({})).json() as { id: string };
    const notGzip = { body: Buffer.from('[1,"a"]'), sm3: sm3Hex(Buffer.from('[1,"a"]')), rows: 1 };
    expect((await upload(id, 1, notGzip)).json()).toMatchObject({ code: 'HUB_ERR_CHUNK_FORMAT' });
    expect((await upload(id, 1, chunk([['only one']], 1))).json()).toMatchObject({
      code: 'HUB_ERR_CHUNK_FORMAT',
    });
    const miscounted = { ...chunk([person(30)], 1), rows: 2 };
    expect((await upload(id, 1, miscounted)).json()).toMatchObject({ code: 'HUB_ERR_CHUNK_FORMAT' });
    const cancelled = await hub.call(hub.tokens.officer, {
      method: 'POST',
      url: `/api/v1/submissions/${id}/cancel`,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await upload(id, 1, chunk([person(30)], 1))).json()).toMatchObject({
      code: 'HUB_ERR_SUBMISSION_STATE',
    });
  });

  it('keeps backslashes, quotes and control characters of a value exactly (COPY text on PostgreSQL)', async () => {
    const { id } = (await create({})).json() as { id: string };
    const name = '反\\斜"引"\t制\\N';
    await upload(id, 1, chunk([person(60, name)], 1));
    expect((await commit(id, 1)).json()).toMatchObject({ accepted: 1 });
    const stored = await hub.app.hub.store.db
      .selectFrom('data_rows')
      .select('row')
      .where('row_key', '=', JSON.stringify([residentId(60)]))
      .executeTakeFirstOrThrow();
    expect((JSON.parse(stored.row) as Record<string, string>)['姓名']).toBe(name);
  });

  it('never stores a chunk beside or after its submission’s commit', async () => {
    const { id } = (await create({})).json() as { id: string };
    await upload(id, 1, chunk([person(70)], 1));
    const store = hub.app.hub.store;
    const late = {
      ...{ submission_id: id, seq: 2, sm3: 'x', rows: 0, bytes: 0 },
      ...{ body: new Uint8Array(0), created_at: new Date().toISOString() },
    };
    if (store.withClient) {
      // A commit holds the submission's row (PostgreSQL): the chunk waits for it, then is refused.
      const release = await store.withClient(async (client) => {
        await client.query('begin');
        await client.query(`update data_submissions set status = 'committed' where id = $1`, [id]);
        const saving = saveChunk(store, late, []);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query('commit');
        return saving;
      });
      expect(release).toEqual({ closed: 'committed' });
      await store.db.updateTable('data_submissions').set({ status: 'open' }).where('id', '=', id).execute();
    }
    expect((await commit(id, 1)).json()).toMatchObject({ accepted: 1 });
    expect(await saveChunk(store, late, [])).toEqual({ closed: 'committed' });
    const seqs = await store.db
      .selectFrom('data_chunks')
      .select('seq')
      .where('submission_id', '=', id)
      .execute();
    expect(seqs.map((row) => Number(row.seq))).toEqual([1]);
  });

  it('lets only the owner officer write, and admins and auditors read', async () => {
    expect((await create({}, hub.tokens.consumer)).statusCode).toBe(403);
    expect((await create({}, hub.tokens.admin)).statusCode).toBe(403);
    expect((await create({}, hub.tokens.otherOfficer)).statusCode).toBe(404);
    const { id } = (await create({})).json() as { id: string };
    const get = (token: string) => hub.call(token, { method: 'GET', url: `/api/v1/submissions/${id}` });
    expect((await get(hub.tokens.otherOfficer)).statusCode).toBe(404);
    expect((await get(hub.tokens.auditor)).statusCode).toBe(200);
    expect((await get(hub.tokens.consumer)).statusCode).toBe(403);
    expect((await hub.call(null, { method: 'GET', url: `/api/v1/submissions/${id}` })).statusCode).toBe(401);
    const rows = (token: string) =>
      hub.call(token, { method: 'GET', url: `/api/v1/resources/${encodeURIComponent(CODE)}/data` });
    expect((await rows(hub.tokens.otherOfficer)).statusCode).toBe(404);
    expect((await rows(hub.tokens.auditor)).statusCode).toBe(403);
    const stored = (await rows(hub.tokens.admin)).json() as { items: { key: string[]; flagged: boolean }[] };
    expect(stored.items.map((item) => item.key[0])).toEqual(
      [2, 11, 20, 21, 40, 41, 50, 51, 52, 60, 70, 80, 81, 84, 85].map(residentId).sort(),
    );
    expect(stored.items.every((item) => !item.flagged)).toBe(true);
    const list = await hub.call(hub.tokens.otherOfficer, { method: 'GET', url: '/api/v1/submissions' });
    expect(list.json()).toEqual({ items: [] });
  });
});

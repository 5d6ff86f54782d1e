import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropRows,
  expectedCopy,
  personRow,
  putRows,
  returnHubs,
  type ReturnHubs,
} from '../../../test-utils/cascade-return.js';
import { ENGINES } from '../../../test-utils/hub.js';
import { UNCONDITIONAL } from '../../../test-utils/sharing.js';
import { returnWorkSettled, sweepReturn } from './return-sweep.js';

interface Pull {
  subscription: string;
  pages: number;
  applied: number;
  cursor: number;
  rows: number;
  verification: string;
  error: { code: string; issues?: { code: string }[] } | null;
}

describe.each(ENGINES)('return flow 回流 province → city on %s', (engine) => {
  let hubs: ReturnHubs;
  let id: string;
  const sync = async (payload: object = {}) => {
    const answer = await hubs.city.call(hubs.city.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return/sync',
      payload,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<{ pulls: Pull[] }>().pulls[0] as Pull;
  };
  /** Every copied row (several local pages), and the copy's state as the city shows it. */
  const copy = async () => {
    const rows: { key: string; digest: string; row: Record<string, string | null> }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${cursor}&limit=4` : '?limit=4';
      const page = await hubs.city.call(hubs.city.tokens.auditor, {
        method: 'GET',
        url: `/api/v1/cascade/return/${id}/rows${query}`,
      });
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ items: typeof rows; next: string | null }>();
      rows.push(...body.items);
      cursor = body.next;
    } while (cursor);
    const list = await hubs.city.call(hubs.city.tokens.auditor, {
      method: 'GET',
      url: '/api/v1/cascade/return',
    });
    const state = list.json<{
      copies: { rows: number; stateDigest: string; verification: string; cursor: number }[];
    }>().copies[0];
    if (!state) throw new Error('the city holds no copy');
    return { rows, state };
  };
  /** The copy holds exactly what the province's rows give under the subscription: count and hash. */
  const expectFaithfulCopy = async () => {
    const expected = await expectedCopy(hubs.province, id);
    const held = await copy();
    expect(held.rows).toHaveLength(expected.rows);
    expect(new Set(held.rows.map((row) => row.key)).size).toBe(expected.rows);
    expect(held.state).toMatchObject({
      rows: expected.rows,
      stateDigest: expected.digest,
      verification: 'verified',
    });
    expect(held.rows.map((row) => row.digest).sort()).toEqual(
      expected.released.map((row) => row.digest).sort(),
    );
    return held;
  };

  let pagesBefore = 0;
  /** Row pages the province has served (and audited) for the subscription so far. */
  const pagesServed = async () =>
    (
      await hubs.province.app.hub.store.db
        .selectFrom('audit_entries')
        .select('seq')
        .where('action', '=', 'cascade.return.page')
        .where('object', '=', id)
        .execute()
    ).length;

  beforeAll(async () => {
    hubs = await returnHubs(engine);
    // Two Xiamen rows the Fuzhou city must never see.
    await putRows(hubs.province, [personRow(31, '350203'), personRow(32, '350206')]);
    const answer = await hubs.province.call(hubs.province.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return',
      payload: {
        child: '350100',
        resource: UNCONDITIONAL,
        regionItem: '户籍地行政区划',
        prefix: '3501',
        items: ['姓名', '出生日期', '户籍地行政区划'],
        masking: 'MP-STD-01',
        reason: '福州市回流试点',
      },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    id = answer.json<{ id: string }>().id;
    // The subscription nudged the city, which pulls in the background: let that settle, then
    // start the city from nothing, so the first test sees the whole copy arrive.
    await returnWorkSettled(hubs.province.app.hub);
    await returnWorkSettled(hubs.city.app.hub);
    await hubs.city.app.hub.store.db.deleteFrom('cascade_return_rows').execute();
    await hubs.city.app.hub.store.db.deleteFrom('cascade_return_copies').execute();
    pagesBefore = await pagesServed();
  });
  afterAll(async () => hubs?.close());

  it('copies only the region’s rows, projected, over several signed pages, and verifies the copy', async () => {
    const pull = await sync();
    expect(pull).toMatchObject({ subscription: id, verification: 'verified', rows: 6, error: null });
    // Six rows at three a page: the copy from nothing took several signed pages (counted where
    // they were served, so a pull the subscription's nudge started in the background counts too).
    expect((await pagesServed()) - pagesBefore).toBeGreaterThan(1);
    const held = await expectFaithfulCopy();
    for (const { row } of held.rows) {
      expect(Object.keys(row).sort()).toEqual(['CSRQ', 'HJDQH', 'XM']);
      expect(row['HJDQH']).toMatch(/^3501/);
    }
  });

  it('brings inserts, updates, deletes and a row leaving the region; a replay changes nothing', async () => {
    await putRows(hubs.province, [personRow(7, '350104'), personRow(2, '350102', '改名')]);
    await dropRows(hubs.province, [personRow(3, '350102')]);
    await putRows(hubs.province, [personRow(4, '350203')]);
    const pull = await sync();
    // 7 new, 2 changed, 3 deleted, 4 moved out of Fuzhou (a delete here).
    expect(pull).toMatchObject({ applied: 4, rows: 5, verification: 'verified', error: null });
    await expectFaithfulCopy();
    const again = await sync();
    expect(again).toMatchObject({ applied: 0, pages: 1, rows: 5, verification: 'verified' });
  });

  it('resumes after the province went away mid-pull: nothing lost or doubled', async () => {
    await putRows(
      hubs.province,
      [11, 12, 13, 14, 15, 16, 17].map((n) => personRow(n, '350105')),
    );
    hubs.proxy.budget = 3; // the subscription list and two pages, then the connection drops
    const cut = await sync();
    expect(cut.error?.code).toBe('HUB_ERR_CASCADE_UNREACHABLE');
    expect(cut).toMatchObject({ pages: 2, applied: 6, verification: 'pending' });
    const stored = await copy();
    expect(stored.state.cursor).toBe(cut.cursor);
    hubs.proxy.budget = Infinity;
    const resumed = await sync();
    expect(resumed).toMatchObject({ applied: 1, rows: 12, verification: 'verified', error: null });
    await expectFaithfulCopy();
  });

  it('refuses a tampered page and applies nothing of it', async () => {
    await putRows(hubs.province, [personRow(21, '350102')]);
    const before = await copy();
    hubs.proxy.tamper = (text) => {
      const body = JSON.parse(text) as { payload?: string };
      if (body.payload === undefined) return text;
      const payload = Buffer.from(body.payload, 'base64').toString('utf8').replace('"XM":"', '"XM":"假');
      return JSON.stringify({ ...body, payload: Buffer.from(payload).toString('base64') });
    };
    const refused = await sync();
    hubs.proxy.tamper = null;
    expect(refused.error).toMatchObject({
      code: 'HUB_ERR_CASCADE_RETURN_PAGE',
      issues: [{ code: 'RET-102' }],
    });
    const after = await copy();
    expect(after.rows).toEqual(before.rows);
    expect(after.state).toMatchObject({
      cursor: before.state.cursor,
      rows: before.state.rows,
      stateDigest: before.state.stateDigest,
    });
    expect((await sync()).verification).toBe('verified');
    await expectFaithfulCopy();
  });

  it('reports a copy that diverged from the province and does not fix it; a full pull does', async () => {
    const db = hubs.city.app.hub.store.db;
    const victim = (await copy()).rows[0]!;
    await db.deleteFrom('cascade_return_rows').where('row_key', '=', victim.key).execute();
    await putRows(hubs.province, [personRow(22, '350102')]);
    const diverged = await sync();
    expect(diverged).toMatchObject({ verification: 'diverged', rows: 13 });
    const state = (await copy()).state as { verification: string } & Record<string, unknown>;
    expect(state.verification).toBe('diverged');
    const list = await hubs.city.call(hubs.city.tokens.admin, {
      method: 'GET',
      url: '/api/v1/cascade/return',
    });
    expect(list.json()).toMatchObject({
      copies: [{ parentRows: 14, rows: 13, lastError: { code: 'RET-109' } }],
    });
    expect(await sync({ full: true })).toMatchObject({ verification: 'verified', error: null });
    await expectFaithfulCopy();
  });

  it('the province pushes: its round logs the change and nudges the city, which pulls by itself', async () => {
    await putRows(hubs.province, [personRow(23, '350102')]);
    const round = await sweepReturn(hubs.province.app.hub, new Date());
    expect(round).toEqual({ refreshed: 1, nudged: 1 });
    const expected = await expectedCopy(hubs.province, id);
    for (let tries = 0; tries < 100 && (await copy()).state.rows !== expected.rows; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await expectFaithfulCopy();
  });

  it('drops the copy when the province revokes the subscription', async () => {
    const revoke = (payload: object) =>
      hubs.province.call(hubs.province.tokens.admin, {
        method: 'POST',
        url: `/api/v1/cascade/return/${id}/revoke`,
        payload,
      });
    expect((await revoke({})).json()).toMatchObject({ code: 'HUB_ERR_REASON_REQUIRED' });
    expect((await revoke({ reason: '授权到期' })).json()).toMatchObject({ state: 'REVOKED' });
    await hubs.city.call(hubs.city.tokens.admin, {
      method: 'POST',
      url: '/api/v1/cascade/return/sync',
      payload: {},
    });
    const held = await copy();
    expect(held.rows).toEqual([]);
    expect(held.state).toMatchObject({ rows: 0 });
  });
});

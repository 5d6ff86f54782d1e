import { validateProblemRecord } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  governanceHub,
  NOW,
  HEADER,
  person,
  submitRows,
  type GovernanceHub,
} from '../../../test-utils/governance.js';
import { department, ENGINES } from '../../../test-utils/hub.js';

type Ticket = {
  id: string;
  kind: string;
  status: string;
  raisedBy?: string;
  records: { total: number; open: number };
  history: { action: string; to: string }[];
};
type Problems = { items: { id: string; status: string; rowNumber?: number; row: Record<string, string> }[] };
type Corrected = {
  accepted: string[];
  rejected: { problem: string; findings: { code: string }[] }[];
  ticket: Ticket;
};

describe.each(ENGINES)('corrections and objections on %s', (engine) => {
  let hub: GovernanceHub;
  beforeAll(async () => {
    hub = await governanceHub(engine);
  });
  afterAll(async () => hub.close());

  const get = (token: string | null, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });
  const post = (token: string | null, url: string, payload?: object) =>
    hub.call(token, { method: 'POST', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const db = () => hub.app.hub.store.db;
  const stored = async () =>
    (
      await db()
        .selectFrom('data_rows')
        .select(['row_key', 'flagged'])
        .where('resource_code', '=', hub.code)
        .execute()
    ).map((row) => ({ key: (JSON.parse(row.row_key) as string[])[0], flagged: Number(row.flagged) }));
  const auditActions = async (object: string) =>
    (
      await db()
        .selectFrom('audit_entries')
        .select('action')
        .where('object', '=', object)
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  it('closes a ticket from a real commit once every rejected row is corrected and stored', async () => {
    const badId = person(2);
    const good = badId[0] as string;
    badId[0] = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
    const result = await submitRows(hub, [person(1), badId, person(3, '')]);
    expect(result).toMatchObject({ accepted: 1, rejected: 2 });
    const id = result.ticket as string;
    const ticket = (await get(hub.tokens.officer, `/tickets/${id}`)).json() as Ticket;
    expect(ticket).toMatchObject({ kind: 'submission', status: 'open', records: { total: 2, open: 2 } });
    const [wrongId, noName] = ((await get(hub.tokens.officer, `/tickets/${id}/problems`)).json() as Problems)
      .items;
    expect([wrongId?.rowNumber, noName?.rowNumber]).toEqual([2, 3]);
    const url = `/tickets/${id}/corrections`;

    // Refusals: roles, other organisations, unknown items and records, nothing written.
    const fix = { corrections: [{ problem: noName?.id, values: { 姓名: '王五', 民族: '01' } }] };
    expect((await post(hub.tokens.admin, url, fix)).statusCode).toBe(403);
    expect((await post(hub.tokens.auditor, url, fix)).statusCode).toBe(403);
    expect((await post(hub.tokens.consumer, url, fix)).statusCode).toBe(403);
    expect((await post(hub.tokens.otherOfficer, url, fix)).statusCode).toBe(404);
    const unknownItem = await post(hub.tokens.officer, url, {
      corrections: [{ problem: noName?.id, values: { 职业: 'x' } }],
    });
    expect([unknownItem.statusCode, unknownItem.json<{ code: string }>().code]).toEqual([
      422,
      'HUB_ERR_CORRECTION_INVALID',
    ]);
    const foreign = await post(hub.tokens.officer, url, {
      corrections: [{ problem: 'urn:ses:problem:350000:2025:999999', values: {} }],
    });
    expect(foreign.json()).toMatchObject({ code: 'HUB_ERR_CORRECTION_INVALID' });

    // A correction that still fails stays open with its new findings.
    const stillBad = (
      await post(hub.tokens.officer, url, {
        corrections: [{ problem: wrongId?.id, values: { 公民身份号码: '35010219800103101' } }],
      })
    ).json() as Corrected;
    expect(stillBad.accepted).toEqual([]);
    expect(stillBad.rejected.map((r) => r.problem)).toEqual([wrongId?.id]);
    expect(stillBad.rejected[0]?.findings.length).toBeGreaterThan(0);
    expect(stillBad.ticket).toMatchObject({ status: 'open', records: { open: 2 } });

    // A spreadsheet's emptied cell comes as null: still no name, still open.
    const emptied = (
      await post(hub.tokens.officer, url, {
        corrections: [{ problem: noName?.id, values: { 姓名: null, 民族: 1 } }],
      })
    ).json<Corrected>();
    expect(emptied.rejected.map((r) => r.findings.map((f) => f.code))).toEqual([
      ['DATA-REQUIRED', 'DATA-CODE'],
    ]);

    // One fixed: stored; the ticket stays open.
    const one = (await post(hub.tokens.officer, url, fix)).json() as Corrected;
    expect(one).toMatchObject({
      accepted: [noName?.id],
      rejected: [],
      ticket: { status: 'open', records: { open: 1 } },
    });
    // The same correction again is accepted without a change.
    expect(((await post(hub.tokens.officer, url, fix)).json() as Corrected).accepted).toEqual([noName?.id]);

    const last = (
      await post(hub.tokens.officer, url, {
        corrections: [{ problem: wrongId?.id, values: { 公民身份号码: person(2)[0] } }],
      })
    ).json() as Corrected;
    expect(last.accepted).toEqual([wrongId?.id]);
    expect(last.ticket).toMatchObject({ status: 'closed', records: { total: 2, open: 0 } });
    expect(last.ticket.history.map((h) => `${h.action}:${h.to}`)).toEqual([
      'open:open',
      'correct:corrected',
      'close:closed',
    ]);
    expect((await stored()).map((row) => row.key).sort()).toEqual(
      [person(1)[0], person(2)[0], person(3)[0]].sort(),
    );
    const stats = await db()
      .selectFrom('data_stats')
      .select('rows')
      .where('resource_code', '=', hub.code)
      .executeTakeFirstOrThrow();
    expect(Number(stats.rows)).toBe(3);
    const storedRow = await db()
      .selectFrom('data_rows')
      .select('row')
      .where('row_key', '=', JSON.stringify([person(3)[0]]))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(storedRow.row)).toEqual(
      Object.fromEntries(HEADER.map((name, i) => [name, i === 1 ? '王五' : person(3)[i]])),
    );

    const doc = (await get(hub.tokens.officer, `/problems/${encodeURIComponent(wrongId?.id ?? '')}`)).json<
      Record<string, unknown>
    >();
    expect(doc).toMatchObject({ state: 'CLOSED' });
    expect(validateProblemRecord(doc, { now: NOW })).toEqual([]);
    expect((await post(hub.tokens.officer, url, fix)).json()).toMatchObject({
      code: 'HUB_ERR_TICKET_STATE',
      currentStatus: 'closed',
    });
    expect(await auditActions(id)).toEqual([
      'governance.ticket.open',
      'governance.correction', // still a bad ID
      'governance.correction', // emptied name
      'governance.correction', // name fixed
      'governance.correction', // the same again
      'governance.correction', // ID fixed
      'governance.ticket.close',
    ]);
  });

  it('lets another organisation object to a stored row, flags it, and clears the flag when the last objection closes', async () => {
    const target = person(1);
    const objection = (token: string, extra: object = {}) =>
      post(token, `/resources/${encodeURIComponent(hub.code)}/data/objections`, {
        key: { 公民身份号码: target[0] },
        items: ['姓名'],
        reason: '姓名与婚姻登记信息不一致',
        problemType: '不一致',
        ...extra,
      });
    const own = await objection(hub.tokens.officer);
    expect([own.statusCode, own.json<{ code: string }>().code]).toEqual([403, 'HUB_ERR_OBJECTION_OWN_DATA']);
    expect((await objection(hub.tokens.auditor)).statusCode).toBe(403);
    expect((await objection(hub.tokens.reviewer)).statusCode).toBe(403);
    expect(
      (await objection(hub.tokens.consumer, { key: { 公民身份号码: '350102198001010000' } })).statusCode,
    ).toBe(404);
    expect((await objection(hub.tokens.consumer, { items: ['职业'] })).statusCode).toBe(400);

    const first = await objection(hub.tokens.consumer);
    expect(first.statusCode).toBe(201);
    const a = first.json() as Ticket;
    expect(a).toMatchObject({
      kind: 'objection',
      status: 'open',
      raisedBy: department('MZT').id,
      records: { total: 1 },
    });
    const second = (await objection(hub.tokens.admin)).json() as Ticket;
    expect((await stored()).find((row) => row.key === target[0])?.flagged).toBe(1);

    // The raiser sees its objection; the owner's officer handles it.
    expect((await get(hub.tokens.consumer, `/tickets/${a.id}`)).statusCode).toBe(200);
    const [record] = ((await get(hub.tokens.consumer, `/tickets/${a.id}/problems`)).json() as Problems).items;
    const doc = (await get(hub.tokens.consumer, `/problems/${encodeURIComponent(record?.id ?? '')}`)).json<
      Record<string, unknown>
    >();
    expect(doc).toMatchObject({
      recordKey: { 公民身份号码: target[0] },
      items: ['姓名'],
      problemType: '不一致',
      foundBy: { kind: 'department', organisation: { uscc: department('MZT').uscc } },
      state: 'SUBMITTED',
      disputed: true,
    });
    expect(validateProblemRecord(doc, { now: NOW })).toEqual([]);

    // The owner disputes the first; the admin upholds the dispute: the second still flags the row.
    await post(hub.tokens.officer, `/tickets/${a.id}/dispute`, { reason: '经核实姓名无误' });
    expect(
      (
        await post(hub.tokens.admin, `/tickets/${a.id}/resolve`, { decision: 'close', reason: '维持原数据' })
      ).json(),
    ).toMatchObject({
      status: 'closed',
    });
    expect((await stored()).find((row) => row.key === target[0])?.flagged).toBe(1);

    // The owner corrects the row for the second: stored, closed, flag cleared.
    const [other] = ((await get(hub.tokens.officer, `/tickets/${second.id}/problems`)).json() as Problems)
      .items;
    const corrected = (
      await post(hub.tokens.officer, `/tickets/${second.id}/corrections`, {
        corrections: [{ problem: other?.id, values: { 姓名: '测试一' } }],
      })
    ).json() as Corrected;
    expect(corrected.ticket.status).toBe('closed');
    expect((await stored()).find((row) => row.key === target[0])?.flagged).toBe(0);
    const row = await db()
      .selectFrom('data_rows')
      .select('row')
      .where('row_key', '=', JSON.stringify([target[0]]))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.row)).toMatchObject({ 姓名: '测试一' });
  });
});

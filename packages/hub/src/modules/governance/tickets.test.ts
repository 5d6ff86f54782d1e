import { validateProblemRecord } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEADLINE,
  fileTicket,
  finding,
  goodRow,
  governanceHub,
  NOW,
  type GovernanceHub,
} from '../../../test-utils/governance.js';
import { department, ENGINES } from '../../../test-utils/hub.js';
import { openTicket } from './problems.js';

type Ticket = {
  id: string;
  status: string;
  deadline: string;
  records: { total: number; open: number };
  history: { action: string; from: string | null; to: string; reason?: string }[];
};
type Problems = {
  header: string[];
  items: {
    id: string;
    status: string;
    rowNumber?: number;
    row: Record<string, string>;
    findings: unknown[];
  }[];
};

describe.each(ENGINES)('problem tickets on %s', (engine) => {
  let hub: GovernanceHub;
  beforeAll(async () => {
    hub = await governanceHub(engine);
  });
  afterAll(async () => hub.close());

  const get = (token: string | null, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });
  const post = (token: string | null, url: string, payload?: object) =>
    hub.call(token, { method: 'POST', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

  /** A ticket of two rejected rows: a bad ID number, and a missing name. */
  async function twoProblems(): Promise<string> {
    const bad = { ...goodRow(1), 公民身份号码: '350102199005011112' };
    const noName = { ...goodRow(2), 姓名: '' };
    return fileTicket(hub, [
      {
        rowNumber: 3,
        key: null,
        row: bad,
        findings: [finding('公民身份号码', 'DATA-RESIDENT-ID', bad['公民身份号码'], '校验码错误')],
      },
      {
        rowNumber: 7,
        key: JSON.stringify([goodRow(2)['公民身份号码']]),
        row: noName,
        findings: [finding('姓名', 'DATA-REQUIRED', '', '必填项为空')],
      },
    ]);
  }

  async function problemsOf(id: string): Promise<Problems> {
    return (await get(hub.tokens.officer, `/tickets/${id}/problems`)).json() as Problems;
  }

  async function auditActions(object: string): Promise<string[]> {
    const rows = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select('action')
      .where('object', '=', object)
      .orderBy('seq')
      .execute();
    return rows.map((row) => row.action);
  }

  it('files a ticket with numbered records, a working-day deadline across the holiday week, and an audit entry', async () => {
    const id = await twoProblems();
    expect(id).toMatch(/^T-2025-\d+$/);
    const ticket = (await get(hub.tokens.officer, `/tickets/${id}`)).json() as Ticket;
    expect(ticket).toMatchObject({
      id,
      resource: hub.code,
      organisation: department('GAT').id,
      submission: 'S-test',
      kind: 'submission',
      status: 'open',
      deadline: DEADLINE,
      records: { total: 2, open: 2 },
    });
    expect(ticket.history).toMatchObject([{ action: 'open', from: null, to: 'open' }]);
    const problems = await problemsOf(id);
    expect(problems.header).toEqual([
      '公民身份号码',
      '姓名',
      '性别',
      '民族',
      '出生日期',
      '户籍地址',
      '户籍地行政区划',
      '更新时间',
    ]);
    expect(problems.items.map((p) => p.rowNumber)).toEqual([3, 7]);
    for (const p of problems.items) expect(p.id).toMatch(/^urn:ses:problem:350000:2025:\d+$/);
    const [a, b] = problems.items.map((p) => Number(p.id.split(':').pop()));
    expect(b).toBe((a as number) + 1);
    expect(await auditActions(id)).toEqual(['governance.ticket.open']);
    const leaf = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select('leaf')
      .where('object', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(leaf.leaf)).toMatchObject({ type: 'governance.ticket_open' });
  });

  it('shows tickets to the responsible officer, admins and auditors only', async () => {
    const id = await twoProblems();
    const ids = async (token: string) =>
      ((await get(token, '/tickets?status=open')).json() as { items: { id: string }[] }).items.map(
        (t) => t.id,
      );
    expect(await ids(hub.tokens.officer)).toContain(id);
    expect(await ids(hub.tokens.admin)).toContain(id);
    expect(await ids(hub.tokens.auditor)).toContain(id);
    expect(await ids(hub.tokens.otherOfficer)).not.toContain(id);
    expect(await ids(hub.tokens.consumer)).not.toContain(id);
    expect((await get(hub.tokens.otherOfficer, `/tickets/${id}`)).statusCode).toBe(404);
    expect((await get(hub.tokens.consumer, `/tickets/${id}/problems`)).statusCode).toBe(404);
    expect((await get(hub.tokens.reviewer, '/tickets')).statusCode).toBe(403);
    expect((await get(null, '/tickets')).statusCode).toBe(401);
    // Paging: one at a time, newest first, no repeats.
    const first = (await get(hub.tokens.admin, '/tickets?limit=1')).json() as {
      items: { id: string }[];
      next: string;
    };
    const second = (await get(hub.tokens.admin, `/tickets?limit=1&cursor=${first.next}`)).json() as {
      items: { id: string }[];
    };
    expect(first.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('serves each record as a valid governance/problem-record-1.0 document', async () => {
    const id = await twoProblems();
    const [first, second] = (await problemsOf(id)).items;
    const response = await get(hub.tokens.auditor, `/problems/${encodeURIComponent(first?.id ?? '')}`);
    expect(response.statusCode).toBe(200);
    const doc = response.json() as Record<string, unknown>;
    expect(validateProblemRecord(doc, { now: NOW })).toEqual([]);
    expect(doc).toMatchObject({
      resourceCode: hub.code,
      items: ['公民身份号码'],
      recordKey: { submission: 'S-test', row: '3' },
      rowNumber: 3,
      problemType: '错误',
      foundBy: { kind: 'rule', ruleCode: 'DATA-RESIDENT-ID' },
      responsibleOrg: { uscc: department('GAT').uscc },
      state: 'SUBMITTED',
      deadline: DEADLINE,
    });
    const keyed = (await get(hub.tokens.officer, `/problems/${encodeURIComponent(second?.id ?? '')}`)).json<
      Record<string, unknown>
    >();
    expect(keyed).toMatchObject({
      recordKey: { 公民身份号码: goodRow(2)['公民身份号码'] },
      problemType: '缺失',
    });
    expect(validateProblemRecord(keyed, { now: NOW })).toEqual([]);
    expect(
      (await get(hub.tokens.otherOfficer, `/problems/${encodeURIComponent(first?.id ?? '')}`)).statusCode,
    ).toBe(404);
  });

  it('acknowledges (idempotently), disputes, and lets only the admin resolve; audits each step', async () => {
    const id = await twoProblems();
    const url = `/tickets/${id}`;
    expect((await post(hub.tokens.otherOfficer, `${url}/acknowledge`)).statusCode).toBe(404);
    expect((await post(hub.tokens.admin, `${url}/acknowledge`)).statusCode).toBe(403);
    expect((await post(hub.tokens.auditor, `${url}/acknowledge`)).statusCode).toBe(403);
    expect((await post(hub.tokens.consumer, `${url}/acknowledge`)).statusCode).toBe(403);
    expect((await post(null, `${url}/acknowledge`)).statusCode).toBe(401);
    const acknowledged = await post(hub.tokens.officer, `${url}/acknowledge`);
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({ status: 'acknowledged' });
    const again = (await post(hub.tokens.officer, `${url}/acknowledge`)).json() as Ticket;
    expect(again.status).toBe('acknowledged');
    expect(again.history).toHaveLength(2);
    const [record] = (await problemsOf(id)).items;
    const doc = (await get(hub.tokens.officer, `/problems/${encodeURIComponent(record?.id ?? '')}`)).json<
      Record<string, unknown>
    >();
    expect(doc).toMatchObject({ state: 'ACCEPTED' });

    expect((await post(hub.tokens.officer, `${url}/dispute`, {})).statusCode).toBe(400);
    expect((await post(hub.tokens.admin, `${url}/dispute`, { reason: 'x' })).statusCode).toBe(403);
    const disputed = await post(hub.tokens.officer, `${url}/dispute`, { reason: '该证件号码经核实无误' });
    expect(disputed.json()).toMatchObject({ status: 'disputed', reason: '该证件号码经核实无误' });
    const verifying = (
      await get(hub.tokens.officer, `/problems/${encodeURIComponent(record?.id ?? '')}`)
    ).json<Record<string, unknown>>();
    expect(verifying).toMatchObject({ state: 'VERIFYING', disputed: true, opinion: '该证件号码经核实无误' });
    expect(validateProblemRecord(verifying, { now: NOW })).toEqual([]);

    const refused = await post(hub.tokens.officer, `${url}/acknowledge`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'HUB_ERR_TICKET_STATE', currentStatus: 'disputed' });

    const resolveBody = { decision: 'reopen', reason: '号码与户籍系统不符' };
    expect((await post(hub.tokens.officer, `${url}/resolve`, resolveBody)).statusCode).toBe(403);
    expect((await post(hub.tokens.auditor, `${url}/resolve`, resolveBody)).statusCode).toBe(403);
    const reopened = await post(hub.tokens.admin, `${url}/resolve`, resolveBody);
    expect(reopened.json()).toMatchObject({ status: 'acknowledged' });
    expect((await post(hub.tokens.admin, `${url}/resolve`, resolveBody)).statusCode).toBe(409);

    await post(hub.tokens.officer, `${url}/dispute`, { reason: '再次申诉' });
    const closed = (
      await post(hub.tokens.admin, `${url}/resolve`, { decision: 'close', reason: '申诉成立' })
    ).json() as Ticket;
    expect(closed).toMatchObject({ status: 'closed', records: { total: 2, open: 0 } });
    expect(closed.history.map((h) => `${h.action}:${h.to}`)).toEqual([
      'open:open',
      'acknowledge:acknowledged',
      'dispute:disputed',
      'resolve:acknowledged',
      'dispute:disputed',
      'resolve:closed',
    ]);
    expect((await problemsOf(id)).items.map((p) => p.status)).toEqual(['waived', 'waived']);
    const waived = (await get(hub.tokens.officer, `/problems/${encodeURIComponent(record?.id ?? '')}`)).json<
      Record<string, unknown>
    >();
    expect(waived).toMatchObject({ state: 'NOT_FIXED', opinion: '申诉成立' });
    expect(validateProblemRecord(waived, { now: NOW })).toEqual([]);
    // Closing a closed ticket again is a no-op; anything else on it is a conflict.
    expect(
      (await post(hub.tokens.admin, `${url}/resolve`, { decision: 'close', reason: '申诉成立' })).statusCode,
    ).toBe(200);
    expect((await post(hub.tokens.officer, `${url}/dispute`, { reason: 'x' })).statusCode).toBe(409);
    expect(await auditActions(id)).toEqual([
      'governance.ticket.open',
      'governance.ticket.acknowledge',
      'governance.ticket.dispute',
      'governance.ticket.resolve',
      'governance.ticket.dispute',
      'governance.ticket.resolve',
    ]);
  });

  it('numbers tickets and records uniquely when commits file them at the same time', async () => {
    const row = goodRow(3);
    const one = {
      rowNumber: 1,
      key: null,
      row,
      findings: [finding('姓名', 'DATA-REQUIRED', '', '必填项为空')],
    };
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => fileTicket(hub, [one, one, one])));
    expect(new Set(ids).size).toBe(5);
    const records = await hub.app.hub.store.db
      .selectFrom('problem_records')
      .select(['id', 'ticket_id'])
      .where('ticket_id', 'in', ids)
      .execute();
    const numbers = records.map((r) => Number(r.id.split(':').pop())).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(15);
    // Gap-free: each ticket took a block of three consecutive numbers.
    expect((numbers[14] as number) - (numbers[0] as number)).toBe(14);
  });

  it('drops a ticket that was finished without any record', async () => {
    const gat = department('GAT').id;
    const { db } = hub.app.hub.store;
    const id = await db.transaction().execute(async (trx) => {
      const writer = await openTicket(trx, hub.app.hub, {
        resource: hub.code,
        orgId: gat,
        submissionId: 'S-empty',
        kind: 'submission',
        now: NOW,
        actor: { tokenId: 'test', orgId: gat },
      });
      expect(await writer.finish()).toEqual({ records: 0 });
      return writer.id;
    });
    expect((await get(hub.tokens.admin, `/tickets/${id}`)).statusCode).toBe(404);
    expect(await auditActions(id)).toEqual([]);
  });

  it('answers 404 for tickets and problems that do not exist', async () => {
    expect((await get(hub.tokens.admin, '/tickets/T-2025-99999')).statusCode).toBe(404);
    expect((await post(hub.tokens.officer, '/tickets/T-2025-99999/acknowledge')).statusCode).toBe(404);
    expect((await get(hub.tokens.admin, '/problems/urn:ses:problem:350000:2025:99999')).statusCode).toBe(404);
  });

  it('rolls a transition back when the audit log cannot take its entry (503)', async () => {
    const id = await twoProblems();
    const { db } = hub.app.hub.store;
    const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom('audit_head').execute();
    try {
      const response = await post(hub.tokens.officer, `/tickets/${id}/acknowledge`);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'HUB_ERR_AUDIT_UNAVAILABLE' });
    } finally {
      await db.insertInto('audit_head').values(head).execute();
    }
    const ticket = (await get(hub.tokens.officer, `/tickets/${id}`)).json() as Ticket;
    expect(ticket.status).toBe('open');
    expect(ticket.history).toHaveLength(1);
  });
});

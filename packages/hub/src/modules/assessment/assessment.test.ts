/**
 * The assessment report over fixture activity built through the hub's own routes, on a clock
 * moved through October 2025 (China time, 2025 holiday calendar: 1–8 October off, Saturday
 * 11 October a working day). Every expected score below is worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainEntry, putEntry, resourceCode, transition } from '../../../test-utils/catalog.js';
import { demandBody } from '../../../test-utils/demand.js';
import { exchangeHub, type ExchangeHub } from '../../../test-utils/exchange.js';
import { person, submitRows, type GovernanceHub } from '../../../test-utils/governance.js';
import { department, ENGINES } from '../../../test-utils/hub.js';
import { CONDITIONAL, PROVIDER } from '../../../test-utils/sharing.js';

const GAT = PROVIDER.id;
const SCJG = department('SCJG').id;
/** 10:00 China time on a day of 2025 (02:00 UTC), or another UTC hour. */
const at = (day: string, utcHour = 2) => new Date(`2025-${day}T${String(utcHour).padStart(2, '0')}:00:00Z`);

type Report = {
  period: Record<string, string>;
  evaluatedAt: string;
  weights: Record<string, number>;
  digest: string;
  organisations: {
    rank: number;
    id: string;
    total: number;
    indicators: Record<string, Record<string, unknown>>;
  }[];
};

describe.each(ENGINES)('assessment report on %s', (engine) => {
  let hub: ExchangeHub;
  const report = (token: string | null, query: string) =>
    hub.call(token, { method: 'GET', url: `/api/v1/admin/assessment?${query}` });

  /** The application's step as the party it belongs to; throws unless it succeeded. */
  async function step(token: string, id: string, action: string, payload: object = {}) {
    const answer = await hub.step(token, id, action, payload);
    if (answer.statusCode !== 200) throw new Error(`${action}: ${answer.body}`);
  }

  async function fileDemand(): Promise<string> {
    const filed = await hub.post(hub.tokens.otherOfficer, '/demands', demandBody({ expectedProvider: GAT }));
    if (filed.statusCode !== 201) throw new Error(`demand: ${filed.body}`);
    return filed.json<{ id: string }>().id;
  }

  beforeAll(async () => {
    // GAT publishes resources 1–3 on 26 September; SCJG holds API and 核验 grants on resource 2.
    hub = await exchangeHub(engine);
    const gatData = Object.assign(hub, { code: CONDITIONAL }) as unknown as GovernanceHub;
    // Thu 9 Oct: a duplicate row → ticket T2, due Wed 15 Oct (10, 11 (调休), 13, 14, 15).
    hub.setNow(at('10-09'));
    const first = await submitRows(gatData, [person(4), person(4)]);
    // Fri 10 Oct: four calls served under the API grant; GAT disputes T2, the admin closes it (on time).
    hub.setNow(at('10-10'));
    for (let n = 0; n < 4; n += 1) expect((await hub.ses(hub.api)).statusCode).toBe(200);
    const t2 = `/tickets/${encodeURIComponent(String(first.ticket))}`;
    expect(
      (await hub.post(hub.tokens.officer, `${t2}/dispute`, { reason: '重复行来自源系统' })).statusCode,
    ).toBe(200);
    const resolved = await hub.post(hub.tokens.admin, `${t2}/resolve`, {
      decision: 'close',
      reason: '已核实',
    });
    expect(resolved.statusCode).toBe(200);
    // Mon 13 Oct: A1 reaches GAT's review; Tue 14 Oct: A2 does.
    hub.setNow(at('10-13'));
    const a1 = (await hub.apply(CONDITIONAL)).id;
    await step(hub.tokens.admin, a1, 'approve');
    hub.setNow(at('10-14'));
    const a2 = (await hub.apply(CONDITIONAL)).id;
    await step(hub.tokens.admin, a2, 'approve');
    // Wed 15 Oct: GAT approves A1 after 2 working days (due Mon 20 Oct).
    hub.setNow(at('10-15'));
    await step(hub.tokens.reviewer, a1, 'approve');
    // Mon 20 Oct: demand M1 routed to GAT (due 3 Nov), never answered.
    hub.setNow(at('10-20'));
    await fileDemand();
    // Thu 23 Oct: GAT rejects A2, due Tue 21 Oct: 7 working days (15, 16, 17, 20, 21, 22, 23).
    hub.setNow(at('10-23'));
    await step(hub.tokens.reviewer, a2, 'reject', { reason: '用途与申请事项不符' });
    // Mon 27 Oct: demand M2; Wed 29 Oct: GAT fulfils it after 2 working days.
    hub.setNow(at('10-27'));
    const m2 = await fileDemand();
    hub.setNow(at('10-29'));
    const fulfilled = await hub.post(hub.tokens.officer, `/demands/${encodeURIComponent(m2)}/fulfil`, {
      resourceCode: CONDITIONAL,
    });
    expect(fulfilled.statusCode, fulfilled.body).toBe(200);
    // Thu 30 Oct 12:00: three new rows and a duplicate → ticket T1 (due Thu 6 Nov, still open).
    hub.setNow(at('10-30', 4));
    await submitRows(gatData, [person(1), person(2), person(3), person(1)]);
    // SCJG publishes one document resource: no items, keywords its only recommended field.
    const scjg = plainEntry(
      9,
      { name: '企业年报公示', summary: '企业年度报告公示信息', keywords: ['年报'] },
      'SCJG',
    );
    expect((await putEntry(hub, hub.tokens.otherOfficer, scjg)).statusCode).toBe(201);
    await transition(hub, hub.tokens.otherOfficer, resourceCode(9), 'submit');
    expect((await transition(hub, hub.tokens.admin, resourceCode(9), 'approve')).statusCode).toBe(200);
    // Mon 3 Nov: A3 reaches GAT — another period, not counted in October.
    hub.setNow(at('11-03'));
    await step(hub.tokens.admin, (await hub.apply(CONDITIONAL)).id, 'approve');
    hub.setNow(at('11-20'));
  }, 120_000);
  afterAll(async () => hub?.close());

  it('scores GAT on every indicator exactly as worked out by hand, and ranks ties together', async () => {
    const answer = await report(hub.tokens.admin, 'period=2025-10&kind=department');
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<Report>();
    expect(body.period).toEqual({
      label: '2025-10',
      from: '2025-09-30T16:00:00.000Z',
      to: '2025-10-31T16:00:00.000Z',
      firstDay: '2025-10-01',
      lastDay: '2025-10-31',
      timezone: 'Asia/Shanghai',
    });
    expect(body.evaluatedAt).toBe('2025-10-31T16:00:00.000Z'); // the period is over: its end
    const gat = body.organisations.find((org) => org.id === GAT)!;
    expect(gat.indicators).toEqual({
      // Each of the 3 resources: 11/11 required, 8/8 recommended, 1 of 8 items described
      // (更新时间) → (1 + 1 + 0.125) / 3 = 0.70833 → 70.83.
      catalog: {
        score: 70.83,
        resources: 3,
        requiredFilled: 33,
        requiredTotal: 33,
        recommendedFilled: 24,
        recommendedTotal: 24,
        items: 24,
        describedItems: 3,
      },
      // 每日: resource 1 last committed 36 h before the end → 1 − 0.5 = 0.5; 2 and 3 never → 0.
      // (0.5 + 0 + 0) / 3 → 16.67.
      timeliness: { score: 16.67, resources: 3, withData: 1, timely: 0 },
      // Resource 1: completeness 21/24 = 0.875 (户籍地址 never sent), validity 4 rows / (4 + 1
      // open problem of T1) = 0.8, uniqueness 1 − 1/4 = 0.75, timeliness 0.5 at the end
      // → 100 × 2.925 / 4 = 73.125 → 73.1 (the quality module's one place).
      quality: {
        score: 73.1,
        resources: 1,
        completeness: 0.875,
        validity: 0.8,
        uniqueness: 0.75,
        timeliness: 0.5,
      },
      // T2 closed on 10 Oct (due 15 Oct), T1 open past 6 Nov: 1 of 2 → 50.
      tickets: { score: 50, tickets: 2, onTime: 1, late: 1, pending: 0 },
      // A1 2 days (100), A2 7 of 5 days → 100 × (10 − 7) / 5 = 60, M1 unanswered for 23 working
      // days on 20 Nov (≥ 2 × 10) → 0, M2 2 of 10 days (100): 260 / 4 = 65; mean days (2 + 7 + 2) / 3.
      response: {
        score: 65,
        applications: 2,
        demands: 2,
        onTime: 2,
        late: 2,
        pending: 0,
        meanWorkingDays: 3.67,
      },
      // The most calls of any department: 4 / 4 → 100.
      sharing: { score: 100, calls: 4, grants: 1 },
    });
    // 0.2 × 70.83 + 0.15 × 16.67 + 0.2 × 73.1 + 0.15 × 50 + 0.15 × 65 + 0.15 × 100
    // = 14.166 + 2.5005 + 14.62 + 7.5 + 9.75 + 15 = 63.5365 → 63.54.
    expect(gat).toMatchObject({ rank: 1, total: 63.54 });
    const scjg = body.organisations.find((org) => org.id === SCJG)!;
    // (11/11 + 1/8) / 2 = 0.5625 → 56.25; no tickets or answers owed → 100 each; no calls → 0.
    // 0.2 × 56.25 + 0.15 × 100 + 0.15 × 100 = 41.25.
    expect(scjg).toMatchObject({ rank: 2, total: 41.25 });
    expect(scjg.indicators.catalog).toMatchObject({ score: 56.25, recommendedFilled: 1, items: 0 });
    // Every other department owes nothing and has nothing: 30, all third.
    const rest = body.organisations.slice(2);
    expect(rest.length).toBeGreaterThan(10);
    expect(new Set(rest.map((org) => `${org.rank}:${org.total}`))).toEqual(new Set(['3:30']));
    expect(rest.map((org) => org.id)).toEqual(rest.map((org) => org.id).sort());
    expect(body.digest).toMatch(/^sm3:[0-9a-f]{64}$/);
  });

  it('audits each reading with the reader’s role and the digest of what it was given', async () => {
    const read = await report(hub.tokens.auditor, 'from=2025-10-01&to=2025-10-31&kind=department');
    expect(read.statusCode, read.body).toBe(200);
    const body = read.json<Report>();
    expect(body.period.label).toBe('2025-10-01..2025-10-31');
    expect(body.organisations.find((org) => org.id === GAT)?.total).toBe(63.54);
    const entries = await hub.app.hub.store.db
      .selectFrom('audit_entries')
      .select(['leaf', 'evidence', 'object'])
      .where('action', '=', 'admin.assessment.report')
      .orderBy('seq')
      .execute();
    const last = entries.at(-1)!;
    expect(last.object).toBe('assessment:2025-10-01..2025-10-31');
    expect(JSON.parse(last.leaf)).toMatchObject({
      type: 'admin.assessment_report',
      actor: { role: 'auditor' },
    });
    expect((JSON.parse(last.evidence) as { event: { detail: unknown } }).event.detail).toMatchObject({
      digest: body.digest,
      period: body.period.label,
    });
    expect(
      entries.some((entry) => (JSON.parse(entry.leaf) as { actor: { role: string } }).actor.role === 'admin'),
    ).toBe(true);
  });

  it('refuses every other role and callers without a token', async () => {
    for (const token of [
      hub.tokens.officer,
      hub.tokens.reviewer,
      hub.tokens.consumer,
      hub.tokens.otherOfficer,
    ]) {
      const refused = await report(token, 'period=2025-10');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
    }
    expect((await report(null, 'period=2025-10')).statusCode).toBe(401);
  });

  it.each([
    ['period=2025-Q5', 'querystring:/period'],
    ['period=2025-10&from=2025-10-01&to=2025-10-31', 'querystring'],
    ['from=2025-10-01', 'querystring'],
    ['from=2025-02-30&to=2025-03-01', 'querystring:/from'],
    ['from=2025-10-31&to=2025-10-01', 'querystring:/from'],
  ])('answers 400 with where, what and how to fix a bad period: %s', async (query, location) => {
    const refused = await report(hub.tokens.admin, query);
    expect(refused.statusCode).toBe(400);
    const [issue] = refused.json<{ issues: Record<string, string>[] }>().issues;
    expect(issue).toMatchObject({ code: 'ASM-001', location });
    expect(issue!.hint).toBeTruthy();
    expect(issue!.expected).toContain('YYYY-Qn');
  });
});

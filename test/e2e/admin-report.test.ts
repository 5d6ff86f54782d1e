/**
 * `minjiang admin report` with the built CLI against a hub on loopback, over fixture activity in
 * 2026-Q4 (China time; no holiday calendar: weekends only) whose scores are worked out by hand:
 * 福建省公安厅 (GAT) publishes the household-population resource and submits the fixture file
 * (8 known bad rows), answers one application late and one demand on time.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubOrganisationId, memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile, type AssessmentReport } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demandBody } from '../../packages/hub/test-utils/demand.js';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { applicationBody } from '../../packages/hub/test-utils/sharing.js';
import { assertSchema, FIXTURES, runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

/** The part of exceljs these tests read with (it is the SDK's dependency, not the tests'). */
interface Sheet {
  name: string;
  pageSetup: Record<string, unknown>;
  getRow(n: number): { values: unknown };
}
interface Book {
  worksheets: Sheet[];
  getWorksheet(name: string): Sheet | undefined;
  xlsx: { readFile(path: string): Promise<unknown> };
}
const ExcelJS = createRequire(new URL('../../packages/sdk/package.json', import.meta.url))('exceljs') as {
  Workbook: new () => Book;
};
const DATA = fileURLToPath(new URL('../../fixtures/data/household-population.csv', import.meta.url));
const GAT = memberId(
  '350000',
  String(codeTable('fujian-departments').data.find((row) => row.code === 'GAT')?.uscc),
);
const CODE = '3350010001/000001'; // 常住人口基本信息, 有条件共享, 每日
/** 10:00 China time on a day of November 2026. */
const at = (day: number, utcHour = 2) => new Date(Date.UTC(2026, 10, day, utcHour));

// GAT's hand-worked figures (weights 0.2, 0.15, 0.2, 0.15, 0.15, 0.15):
const GAT_SCORES = {
  // 11/11 required, 7/8 recommended (no timeRange), 2 of 12 items described:
  // (1 + 0.875 + 0.16667) / 3 = 0.68056 → 68.06.
  catalog: 68.06,
  // 每日, committed Wed 25 Nov 10:00, measured Thu 26 Nov 22:00 (1.5 days): 1 − 0.5 → 50.
  timeliness: 50,
  // 22 of 30 rows stored; 245 of 22 × 12 = 264 cells filled (19 without 曾用名) → 0.928;
  // validity 22 / (22 + 8 open) = 0.7333; uniqueness 1 − 1/30 = 0.9667; timeliness 0.5:
  // 100 × 3.128 / 4 = 78.2.
  quality: 78.2,
  // The ticket of the 8 rows is due 2 Dec (5 working days): not yet due, nothing counted → 100.
  tickets: 100,
  // Application: review from Mon 2 Nov, approved Wed 11 Nov = 7 working days of 5 → 60;
  // demand routed Mon 16 Nov, fulfilled Tue 17 Nov (1 of 10) → 100. (60 + 100) / 2 = 80.
  response: 80,
  // Nobody served a call: 0 for everyone.
  sharing: 0,
};
// 13.612 + 7.5 + 15.64 + 15 + 12 + 0 = 63.752 → 63.75.
const GAT_TOTAL = 63.75;
// Every other department owes nothing and has nothing: tickets and response 100 → 30.
const IDLE_TOTAL = 30;

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('minjiang admin report, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-report-e2e-'));
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  let clock = at(2);
  const tokens = { admin: '', auditor: '', gat: '', gatReviewer: '', requester: '' };

  const as = (who: keyof typeof tokens, args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: {
        MINJIANG_HUB: hub.address,
        MINJIANG_TOKEN: tokens[who],
        MINJIANG_CONFIG_DIR: join(work, 'config'),
      },
    });

  async function issue(admin: HubClient, orgId: string, role: string): Promise<string> {
    const body = { orgId, name: `report e2e ${role}`, roles: [role] };
    const { data } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body,
    });
    return data.token;
  }

  async function call(token: string, path: string, body: object = {}): Promise<{ id: string }> {
    const client = new HubClient({ baseURL: hub.address, token });
    try {
      return (await client.transport.request<{ id: string }>({ method: 'POST', path, body })).data;
    } finally {
      await client.close();
    }
  }

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub({
      now: () => clock,
      ...(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
    });
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    tokens.admin = hub.adminToken;
    tokens.requester = hub.officerToken; // 福州市市场监督管理局
    tokens.gat = await issue(admin, GAT, 'officer');
    tokens.gatReviewer = await issue(admin, GAT, 'reviewer');
    tokens.auditor = await issue(admin, hubOrganisationId('350000'), 'auditor');
    // Mon 2 Nov: GAT publishes the resource; an application reaches its review.
    const catalog = await readCatalogFile(join(FIXTURES, 'fujian-province.yaml'));
    const gat = new HubClient({ baseURL: hub.address, token: tokens.gat });
    await gat.putResource((catalog.resources as CatalogResource[]).find((r) => r.code === CODE)!);
    await gat.submitResource(CODE);
    await admin.approveResource(CODE);
    await gat.close();
    const period = { from: '2026-12-01', to: '2027-06-30' };
    const application = await call(
      tokens.requester,
      '/api/v1/applications',
      applicationBody(CODE, { period }),
    );
    const id = encodeURIComponent(application.id);
    await call(tokens.admin, `/api/v1/applications/${id}/approve`);
    clock = at(11);
    await call(tokens.gatReviewer, `/api/v1/applications/${id}/approve`);
    clock = at(16);
    const demand = await call(tokens.requester, '/api/v1/demands', demandBody({ expectedProvider: GAT }));
    clock = at(17);
    await call(tokens.gat, `/api/v1/demands/${encodeURIComponent(demand.id)}/fulfil`, { resourceCode: CODE });
    // Wed 25 Nov: the fixture file, 8 known bad rows (exit 1: some rows invalid).
    clock = at(25);
    copyFileSync(DATA, join(work, '常住人口.csv'));
    const submitted = await as('gat', ['data', 'submit', '常住人口.csv', '--resource', CODE, '--json']);
    expect(submitted.status, submitted.stderr).toBe(1);
    expect((submitted.json as { result: Record<string, unknown> }).result).toMatchObject({
      accepted: 22,
      rejected: 8,
    });
    clock = at(26, 14);
    await admin.close();
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the report as JSON: GAT’s scores as worked out by hand, ties ranked together', async () => {
    const run = await as('admin', [
      'admin',
      'report',
      '--period',
      '2026-Q4',
      '--kind',
      'department',
      '--format',
      'json',
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    assertSchema('admin-report', run.json);
    const report = run.json as AssessmentReport;
    expect(report.period).toMatchObject({
      label: '2026-Q4',
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
    });
    const gat = report.organisations.find((org) => org.id === GAT)!;
    const scores = Object.fromEntries(
      Object.entries(gat.indicators).map(([key, figures]) => [key, (figures as { score: number }).score]),
    );
    expect(scores).toEqual(GAT_SCORES);
    expect(gat.indicators.quality).toMatchObject({
      completeness: 0.928,
      validity: 0.7333,
      uniqueness: 0.9667,
    });
    expect(gat.indicators.response).toMatchObject({
      applications: 1,
      demands: 1,
      onTime: 1,
      late: 1,
      meanWorkingDays: 4,
    });
    expect(gat.indicators.tickets).toMatchObject({ tickets: 1, pending: 1 });
    expect(gat).toMatchObject({ rank: 1, total: GAT_TOTAL });
    const rest = report.organisations.slice(1);
    expect(rest.map((org) => org.id)).toContain(hub.orgId);
    expect(new Set(rest.map((org) => `${org.rank}:${org.total}`))).toEqual(new Set([`2:${IDLE_TOTAL}`]));
  });

  it('writes the CSV (UTF-8 with BOM) and the xlsx (as the auditor) with the same numbers', async () => {
    const csv = await as('admin', [
      'admin',
      'report',
      '--period',
      '2026-Q4',
      '--kind',
      'department',
      '--format',
      'csv',
      '--out',
      'r.csv',
      '--json',
    ]);
    expect(csv.status, csv.stderr).toBe(0);
    assertSchema('admin-report', csv.json);
    expect(csv.json).toMatchObject({ format: 'csv', path: 'r.csv', period: { label: '2026-Q4' } });
    expect((csv.json as { organisations: unknown[] }).organisations[0]).toEqual({
      rank: 1,
      id: GAT,
      name: '福建省公安厅',
      total: GAT_TOTAL,
    });
    const text = readFileSync(join(work, 'r.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const gatLine = text.split('\r\n').find((line) => line.includes(GAT))!;
    expect(gatLine.split(',').slice(0, 10)).toEqual([
      '1',
      '福建省公安厅',
      GAT,
      '63.75',
      '68.06',
      '50',
      '78.2',
      '100',
      '80',
      '0',
    ]);

    const xlsx = await as('auditor', ['admin', 'report', '--period', '2026-Q4', '--kind', 'department']);
    expect(xlsx.status, xlsx.stderr).toBe(0);
    expect(xlsx.stdout).toContain('考核评价 2026-Q4 已写入 考核评价-2026-Q4.xlsx');
    expect(xlsx.stdout).toContain('1. 福建省公安厅  63.75 分');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(work, '考核评价-2026-Q4.xlsx'));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总',
      '目录完整度',
      '数据及时性',
      '数据质量',
      '问题数据按期办结',
      '申请与需求响应',
      '共享服务量',
    ]);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(4).values).toEqual([
      undefined,
      1,
      '福建省公安厅',
      GAT,
      63.75,
      68.06,
      50,
      78.2,
      100,
      80,
      0,
    ]);
    expect(summary.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToWidth: 1,
      printTitlesRow: '3:3',
    });
    const response = workbook.getWorksheet('申请与需求响应')!;
    // 排名, 机构, 标识, 得分, 申请, 需求, 按期, 逾期, 未到期, 平均工作日
    expect(response.getRow(4).values).toEqual([undefined, 1, '福建省公安厅', GAT, 80, 1, 1, 1, 1, 0, 4]);

    const again = await as('admin', ['admin', 'report', '--period', '2026-Q4', '--json']);
    expect(again.status).toBe(2);
    expect(again.json).toMatchObject({ error: { code: 'FILE-EXISTS', exitCode: 2 } });
  });

  it('refuses other roles (exit 3) and bad periods (exit 2, at the flag, with a fix)', async () => {
    const officer = await as('gat', ['admin', 'report', '--period', '2026-Q4', '--format', 'json', '--json']);
    expect(officer.status).toBe(3);
    expect(officer.json).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN', exitCode: 3 } });
    const shape = await as('admin', [
      'admin',
      'report',
      '--period',
      '2026-Q5',
      '--format',
      'json',
      '--json',
      '--lang',
      'en',
    ]);
    expect(shape.status).toBe(2);
    expect(shape.json).toMatchObject({ error: { code: 'USAGE', location: '--period', exitCode: 2 } });
    expect((shape.json as { error: { hint: string } }).error.hint).toContain('2026-Q4');
    const date = await as('admin', [
      'admin',
      'report',
      '--from',
      '2026-02-30',
      '--to',
      '2026-03-01',
      '--format',
      'json',
      '--json',
    ]);
    expect(date.status).toBe(2);
    expect(date.json).toMatchObject({ error: { code: 'ASM-001', location: '--from', exitCode: 2 } });
    const english = await as('admin', [
      'admin',
      'report',
      '--from',
      '2026-02-30',
      '--to',
      '2026-03-01',
      '--lang',
      'en',
    ]);
    expect(english.status).toBe(2);
    expect(english.stderr).toContain('"2026-02-30" is not a valid date');
  });
});

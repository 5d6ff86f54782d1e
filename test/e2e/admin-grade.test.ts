/**
 * `minjiang admin grade` with the built CLI against a hub on loopback: the fixture province
 * catalog (every resource of a department the hub knows) is published, GAT submits the
 * household-population file and 福州市市场监督管理局 a complaints file whose 备注 column holds
 * mobile numbers. Then: proposals with the expected levels per resource and per item, the
 * policy conflicts, a review file, a stale proposal, apply, and the conflicts that remain.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubOrganisationId, memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile, type GradeProposalView } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import {
  assertSchema,
  FIXTURES,
  FUZHOU_SCJG,
  runCli,
  startHub,
  type CliRun,
  type TestHub,
} from './cli-harness.js';

const DATA = fileURLToPath(new URL('../../fixtures/data/household-population.csv', import.meta.url));
const DEPARTMENTS = codeTable('fujian-departments').data.map((row) => String(row.uscc));
const member = (uscc: string) => memberId('350000', uscc);
const POPULATION = '3350010001/000001';
const COMPANIES = '3350050001/000001';
const PROPERTY = '3350040001/000001';
const INSURED = '3350030001/000001';
const COMPLAINTS = '3350050101/000009';

/** A Fuzhou resource whose item names say nothing sensitive; its values do. */
function complaints(): CatalogResource {
  return {
    code: COMPLAINTS,
    name: '福州市投诉举报登记信息',
    resourceClass: '部门信息资源',
    provider: { ...FUZHOU_SCJG, regionCode: '350100' },
    summary: '市场监管投诉举报的登记记录',
    format: { category: '数据库', type: 'oracle' },
    items: [
      { name: '登记编号', dataType: 'C', length: 20, isKey: true, required: true },
      { name: '投诉摘要', dataType: 'C', length: 200 },
      { name: '备注', dataType: 'C', length: 20 },
    ],
    sharing: {
      type: '无条件共享',
      condition: '无条件',
      methodCategory: '共享平台方式',
      methodTypes: ['接口'],
    },
    opening: { type: '无条件开放' },
    updateCycle: '每日',
    publishedAt: '2024-01-01',
    grading: { level: '一般数据1级' },
  };
}
const COMPLAINT_ROWS = ['13800138000', '13912345678', '18650001234', '15959123456', '17700001111', '无']
  .map((phone, n) => `TS${n},食品过期,${phone}`)
  .join('\n');

/** The proposal of every published fixture resource: declared → proposed (docs/grading.md explains each rule). */
const EXPECTED_GRADES: Record<string, string> = {
  '1010010001/000001': '重要数据 → 重要数据', // 人口基础 + identity numbers: RESOURCE-POPULATION-BASE
  '1020010001/000001': '一般数据2级 → 一般数据2级',
  '1050010001/000001': '一般数据3级 → 一般数据3级',
  '2030010001/000001': '一般数据3级 → 一般数据4级',
  '3350010001/000001': '重要数据 → 重要数据',
  '3350010001/000002': '一般数据3级 → 一般数据4级',
  '3350010002/000001': '一般数据4级 → 一般数据4级',
  '3350010003/000001': '一般数据3级 → 一般数据4级', // 驾驶证号 is checked as a resident ID
  '3350020001/000001': '一般数据4级 → 一般数据4级',
  '3350020002/000001': '一般数据3级 → 一般数据4级',
  '3350020003/000001': '一般数据1级 → 一般数据2级', // 法定代表人
  '3350030001/000001': '一般数据3级 → 一般数据4级',
  '3350030001/000002': '一般数据3级 → 一般数据4级',
  '3350030002/000001': '一般数据3级 → 一般数据4级',
  '3350040001/000001': '重要数据 → 一般数据4级', // the engine knows no rule for property registers
  '3350040002/000001': '一般数据1级 → 一般数据1级',
  '3350050001/000001': '一般数据2级 → 一般数据4级', // 法定代表人证件号码
  '3350050001/000002': '一般数据3级 → 一般数据4级',
  '3350050002/000001': '一般数据1级 → 一般数据1级',
  '3350050101/000001': '一般数据1级 → 一般数据2级',
  '3350050101/000009': '一般数据1级 → 一般数据3级', // 备注 holds mobile numbers
  '3350060001/000001': '一般数据4级 → 一般数据4级',
  '3350060002/000001': '一般数据1级 → 一般数据1级',
  '3350060003/000001': '重要数据 → 重要数据', // 传染病 + identity numbers: RESOURCE-PUBLIC-HEALTH
  '3350070001/000001': '一般数据4级 → 一般数据4级',
  '3350070002/000001': '一般数据3级 → 一般数据4级',
  '3350080001/000001': '一般数据1级 → 一般数据1级',
  '3350080002/000001': '一般数据3级 → 一般数据4级',
  '3350090001/000001': '一般数据1级 → 一般数据1级',
  '3350120001/000001': '一般数据1级 → 一般数据1级',
  '3350120002/000001': '一般数据2级 → 一般数据1级',
  '3350130001/000001': '一般数据3级 → 一般数据4级',
  '3350130002/000001': '一般数据1级 → 一般数据1级',
  '3350140001/000001': '一般数据1级 → 一般数据1级',
};

const POPULATION_ITEMS = {
  公民身份号码: '一般数据4级',
  姓名: '一般数据3级',
  曾用名: '一般数据3级',
  性别: '一般数据2级',
  民族: '一般数据3级',
  出生日期: '一般数据3级',
  出生地行政区划: '一般数据1级',
  户籍地址: '一般数据3级',
  户籍地行政区划: '一般数据1级',
  户号: '一般数据1级',
  与户主关系: '一般数据3级',
  更新时间: '一般数据1级',
};

const COMPANY_ITEMS = {
  统一社会信用代码: '一般数据1级',
  企业名称: '一般数据1级',
  法定代表人: '一般数据2级',
  法定代表人证件号码: '一般数据4级',
  住所: '一般数据1级',
};

/** Conflicts with the Zhejiang-style policy before any review, in resource-code order. */
const CONFLICTS_BEFORE = [
  '2030010001/000001 GRD-105 公民身份号码',
  '3350010001/000002 GRD-105 公民身份号码',
  '3350010003/000001 GRD-105 驾驶证号',
  '3350020002/000001 GRD-105 公民身份号码',
  '3350020003/000001 GRD-105 法定代表人',
  '3350020003/000001 GRD-104 法定代表人',
  '3350030001/000001 GRD-105 公民身份号码',
  '3350030001/000002 GRD-105 公民身份号码',
  '3350030002/000001 GRD-105 公民身份号码',
  '3350050001/000001 GRD-102',
  '3350050001/000001 GRD-105 法定代表人证件号码',
  '3350050001/000001 GRD-104 法定代表人',
  '3350050001/000001 GRD-103 法定代表人证件号码',
  '3350050001/000002 GRD-105 经营者身份证件号码',
  '3350050001/000002 GRD-104 经营者身份证件号码',
  '3350050101/000001 GRD-105 法定代表人（负责人）',
  '3350050101/000001 GRD-104 法定代表人（负责人）',
  '3350050101/000009 GRD-105 备注',
  '3350050101/000009 GRD-103 备注',
  '3350050101/000009 GRD-104 备注',
  '3350070002/000001 GRD-105 公民身份号码',
  '3350080002/000001 GRD-105 公民身份号码',
  '3350130001/000001 GRD-105 公民身份号码',
];

/** After applying: 企业登记 is now level 4, so its unconditional sharing and opening conflict too. */
const CONFLICTS_AFTER = [
  '3350050001/000001 GRD-101',
  '3350050001/000001 GRD-102',
  '3350050001/000001 GRD-104 法定代表人',
  '3350050001/000001 GRD-103 法定代表人证件号码',
  '3350050001/000002 GRD-105 经营者身份证件号码',
  '3350050001/000002 GRD-104 经营者身份证件号码',
  '3350050101/000001 GRD-105 法定代表人（负责人）',
  '3350050101/000001 GRD-104 法定代表人（负责人）',
  '3350050101/000009 GRD-101',
  '3350050101/000009 GRD-102',
  '3350050101/000009 GRD-103 备注',
  '3350050101/000009 GRD-104 备注',
];

type Conflict = { resource: string; code: string; item?: string };
const conflictKey = (c: Conflict) => `${c.resource} ${c.code} ${c.item ?? ''}`.trim();
const ownerOf = (code: string) =>
  (catalogResources.find((r) => r.code === code) as CatalogResource).provider.uscc;
let catalogResources: CatalogResource[] = [];
const insuredOwner = () => ownerOf(INSURED);
const companiesOwner = () => ownerOf(COMPANIES);

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('minjiang admin grade, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-grade-e2e-'));
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  const tokens: Record<string, string> = {};
  let published: CatalogResource[] = [];
  let proposals: GradeProposalView[] = [];
  const proposalOf = (code: string) => proposals.find((p) => p.resourceCode === code) as GradeProposalView;

  const readResource = async (code: string) => {
    const client = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    try {
      return await client.getResource(code);
    } finally {
      await client.close();
    }
  };

  const as = (who: string, args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: {
        MINJIANG_HUB: hub.address,
        MINJIANG_TOKEN: tokens[who],
        MINJIANG_CONFIG_DIR: join(work, 'config'),
      },
    });

  async function issue(admin: HubClient, orgId: string, role: string): Promise<string> {
    const body = { orgId, name: `grade e2e ${role}`, roles: [role] };
    return (
      await admin.transport.request<{ token: string }>({ method: 'POST', path: '/api/v1/tokens', body })
    ).data.token;
  }

  async function publish(admin: HubClient, entry: CatalogResource, token: string) {
    const officer = new HubClient({ baseURL: hub.address, token });
    await officer.putResource(entry);
    await officer.submitResource(entry.code);
    await admin.approveResource(entry.code);
    await officer.close();
  }

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    tokens.admin = hub.adminToken;
    tokens.fuzhou = hub.officerToken;
    tokens.auditor = await issue(admin, hubOrganisationId('350000'), 'auditor');
    for (const uscc of DEPARTMENTS) tokens[uscc] = await issue(admin, member(uscc), 'officer');
    tokens[FUZHOU_SCJG.uscc] = hub.officerToken;
    const catalog = await readCatalogFile(join(FIXTURES, 'fujian-province.yaml'));
    catalogResources = catalog.resources as CatalogResource[];
    published = [
      ...(catalog.resources as CatalogResource[]).filter((r) => tokens[r.provider.uscc] !== undefined),
      complaints(),
    ];
    for (const entry of published) await publish(admin, entry, tokens[entry.provider.uscc] as string);
    await admin.close();
    copyFileSync(DATA, join(work, '常住人口.csv'));
    writeFileSync(join(work, '投诉.csv'), `登记编号,投诉摘要,备注\n${COMPLAINT_ROWS}\n`);
    const gat = DEPARTMENTS[0] as string;
    expect(
      (await as(gat, ['data', 'submit', '常住人口.csv', '--resource', POPULATION, '--json'])).status,
    ).toBe(1);
    const submitted = await as('fuzhou', ['data', 'submit', '投诉.csv', '--resource', COMPLAINTS, '--json']);
    expect(submitted.status, submitted.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('proposes the expected level for every published resource and item, with sampled evidence', async () => {
    expect((await as('auditor', ['admin', 'grade', '--propose', '--json'])).status).toBe(3);
    const run = await as('admin', ['admin', 'grade', '--propose', '--json']);
    expect(run.status, run.stderr).toBe(0);
    assertSchema('admin-grade', run.json);
    const result = run.json as { proposals: GradeProposalView[]; summary: Record<string, number> };
    proposals = result.proposals;
    expect(result.summary).toEqual({ resources: 34, raise: 15, lower: 2, same: 17, superseded: 0 });
    const grades = Object.fromEntries(
      proposals.map((p) => [p.resourceCode, `${p.declared} → ${p.proposed}`]),
    );
    expect(grades).toEqual(EXPECTED_GRADES);
    expect(proposalOf(PROPERTY)).toMatchObject({ change: 'lower', status: 'pending' });
    expect(proposalOf(COMPLAINTS).reasons).toEqual([
      expect.objectContaining({ kind: 'item', item: '备注', rule: 'VALUES-MOBILE' }),
    ]);
    const items = async (code: string) => {
      const shown = await as('auditor', ['admin', 'grade', '--show', proposalOf(code).id, '--json']);
      expect(shown.status, shown.stderr).toBe(0);
      assertSchema('admin-grade', shown.json);
      return (shown.json as { proposal: GradeProposalView }).proposal.items ?? [];
    };
    const population = await items(POPULATION);
    expect(Object.fromEntries(population.map((i) => [i.name, i.grade]))).toEqual(POPULATION_ITEMS);
    expect(population[0]?.reasons).toContainEqual(
      expect.objectContaining({ rule: 'VALUES-RESIDENT-ID', hits: 22, sampled: 22, hitRate: 1 }),
    );
    expect(population.find((i) => i.name === '户籍地址')?.reasons).toContainEqual(
      expect.objectContaining({ rule: 'VALUES-ADDRESS', detector: 'address' }),
    );
    const companies = await items(COMPANIES);
    expect(Object.fromEntries(companies.map((i) => [i.name, i.grade]))).toMatchObject(COMPANY_ITEMS);
    const notes = (await items(COMPLAINTS)).find((i) => i.name === '备注');
    expect(notes).toMatchObject({ grade: '一般数据3级', sampled: 6 });
    expect(notes?.reasons[0]).toMatchObject({ rule: 'VALUES-MOBILE', hits: 5, sampled: 6, hitRate: 0.833 });
    const text = await as('auditor', ['admin', 'grade', '--show', proposalOf(COMPLAINTS).id, '--lang', 'en']);
    expect(text.stdout).toContain('5 of 6 sampled values are mobile phone numbers');
  });

  it('reports the policy conflicts, exit 1, to an auditor too', async () => {
    const run = await as('auditor', ['admin', 'grade', '--conflicts', '--json']);
    expect(run.status, run.stderr).toBe(1);
    assertSchema('admin-grade', run.json);
    const report = run.json as { policy: { name: string }; checked: number; conflicts: Conflict[] };
    expect(report).toMatchObject({ policy: { name: 'zhejiang-4-level' }, checked: 34 });
    expect(report.conflicts.map(conflictKey)).toEqual(CONFLICTS_BEFORE);
    const text = await as('auditor', [
      'admin',
      'grade',
      '--conflicts',
      '--code-prefix',
      COMPANIES,
      '--lang',
      'en',
    ]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('is not allowed by policy "zhejiang-4-level"');
    expect(text.stdout).toContain('Policy zhejiang-4-level, 1 resources checked: 4 conflicts in 1 resources');
  });

  it('takes a review file: accepts, overrides and rejects with reasons, exit 5 for a decision refused', async () => {
    expect((await as('admin', ['admin', 'grade', '--review', proposalOf(POPULATION).id])).status).toBe(2);
    const single = await as('admin', [
      'admin',
      'grade',
      '--review',
      proposalOf(POPULATION).id,
      '--accept',
      '--json',
    ]);
    expect(single.status, single.stderr).toBe(0);
    writeFileSync(join(work, 'bad.json'), JSON.stringify([{ id: 'x', decision: 'reject' }]));
    const bad = await as('admin', ['admin', 'grade', '--review-file', 'bad.json', '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'GRADE-REVIEW-FILE', location: 'bad.json#/0' } });
    const decisions = [
      { id: proposalOf(COMPANIES).id, decision: 'accept' },
      { id: proposalOf(INSURED).id, decision: 'accept' },
      {
        id: proposalOf(COMPLAINTS).id,
        decision: 'override',
        grade: 'general-4',
        reason: '来电号码可关联到个人',
      },
      { id: proposalOf(PROPERTY).id, decision: 'reject', reason: '省级不动产登记数据按重要数据管理' },
      { id: 'GP-2099-1', decision: 'accept' },
    ];
    writeFileSync(join(work, 'decisions.json'), JSON.stringify(decisions));
    const run = await as('admin', ['admin', 'grade', '--review-file', 'decisions.json', '--json']);
    expect(run.status, run.stderr).toBe(5);
    assertSchema('admin-grade', run.json);
    const result = run.json as {
      reviewed: GradeProposalView[];
      failed: { id: string; error: { code: string } }[];
    };
    expect(result.reviewed.map((p) => [p.resourceCode, p.status, p.decided ?? null])).toEqual([
      [COMPANIES, 'accepted', '一般数据4级'],
      [INSURED, 'accepted', '一般数据4级'],
      [COMPLAINTS, 'accepted', '一般数据4级'],
      [PROPERTY, 'rejected', null],
    ]);
    expect(result.failed.map((f) => [f.id, f.error.code])).toEqual([['GP-2099-1', 'HUB_ERR_NOT_FOUND']]);
  });

  it('applies accepted levels as new published versions; a resource that moved on fails alone (exit 5)', async () => {
    const rst = new HubClient({ baseURL: hub.address, token: tokens[insuredOwner()] as string });
    const insured = published.find((r) => r.code === INSURED) as CatalogResource;
    await rst.putResource({ ...insured, summary: `${insured.summary}（修订）` });
    await rst.close();
    const before = await readResource(COMPANIES);
    const dry = await as('admin', ['admin', 'grade', '--apply', '--dry-run', '--json']);
    expect(dry.status).toBe(5);
    expect((dry.json as { summary: object }).summary).toEqual({
      applied: 0,
      unchanged: 1,
      wouldApply: 2,
      failed: 1,
    });
    expect((await readResource(COMPANIES)).etag).toBe(before.etag);
    const run = await as('admin', ['admin', 'grade', '--apply', '--json']);
    expect(run.status, run.stderr).toBe(5);
    assertSchema('admin-grade', run.json);
    const result = run.json as {
      results: {
        resourceCode: string;
        result: string;
        version?: number;
        etag?: string;
        error?: { code: string };
      }[];
    };
    expect(Object.fromEntries(result.results.map((r) => [r.resourceCode, r.result]))).toEqual({
      [POPULATION]: 'unchanged',
      [COMPANIES]: 'applied',
      [INSURED]: 'failed',
      [COMPLAINTS]: 'applied',
    });
    expect(result.results.find((r) => r.resourceCode === INSURED)?.error?.code).toBe('HUB_ERR_CONFLICT');
    const after = await readResource(COMPANIES);
    expect(after).toMatchObject({
      version: before.version + 1,
      status: 'published',
      document: { grading: { level: '一般数据4级' } },
    });
    expect(after.etag).not.toBe(before.etag);
    expect(result.results.find((r) => r.resourceCode === COMPANIES)?.etag).toBe(after.etag);
    const stale = await as('auditor', ['admin', 'grade', '--list', '--status', 'stale', '--json']);
    expect((stale.json as { proposals: GradeProposalView[] }).proposals.map((p) => p.resourceCode)).toEqual([
      INSURED,
    ]);
  });

  it('shows the conflicts that remain until the provider changes its share and open types', async () => {
    const run = await as('auditor', ['admin', 'grade', '--conflicts', '--code-prefix', '3350050', '--json']);
    expect(run.status).toBe(1);
    expect((run.json as { conflicts: Conflict[] }).conflicts.map(conflictKey)).toEqual(CONFLICTS_AFTER);
    const scjg = new HubClient({ baseURL: hub.address, token: tokens[companiesOwner()] as string });
    const { document } = await scjg.getResource(COMPANIES);
    const restricted = {
      ...document,
      sharing: { ...document.sharing, type: '有条件共享', condition: '依法履职的部门按需调用' },
      opening: { type: '不予开放' },
    } as CatalogResource;
    await scjg.putResource(restricted);
    await scjg.submitResource(COMPANIES);
    await scjg.close();
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    await admin.approveResource(COMPANIES);
    await admin.close();
    const clean = await as('auditor', [
      'admin',
      'grade',
      '--conflicts',
      '--code-prefix',
      COMPANIES,
      '--json',
    ]);
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.json).toMatchObject({ checked: 1, conflicts: [] });
  });

  it('has written every admin action to the audit log with the admin role', async () => {
    const rows = await hub.server.hub.store.db
      .selectFrom('audit_entries')
      .select(['action', 'leaf'])
      .where((eb) =>
        eb.or([eb('action', 'like', 'admin.grading%'), eb('action', '=', 'catalog.change.grade')]),
      )
      .orderBy('seq')
      .execute();
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.action] = (counts[row.action] ?? 0) + 1;
    expect(counts).toEqual({
      'admin.grading.propose': 1,
      'admin.grading.review': 5,
      'admin.grading.apply': 4,
      'catalog.change.grade': 2,
    });
    expect(
      rows.every((row) => (JSON.parse(row.leaf) as { actor: { role: string } }).actor.role === 'admin'),
    ).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import type { CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putEntry, transition } from '../../../test-utils/catalog.js';
import { buildTestHub, ENGINES, type TestHub } from '../../../test-utils/hub.js';
import { storedRow, storeRows } from '../aggregation/row-store.js';

const CATALOG = JSON.parse(
  readFileSync(new URL('../../../../../fixtures/catalogs/fujian-province.json', import.meta.url), 'utf8'),
) as { resources: CatalogResource[] };
const fixture = (code: string) => CATALOG.resources.find((r) => r.code === code) as CatalogResource;

const POPULATION = '3350010001/000001';
const MIGRATION = '3350010001/000002';
const COMPANIES = '3350050001/000001';
const PENALTIES = '3350050002/000001';
/** A GAT resource whose items say nothing; its submitted values are mobile numbers. */
const NOTES = '3350010099/000001';

function notesResource(): CatalogResource {
  const { provider } = fixture(MIGRATION);
  return {
    code: NOTES,
    name: '群众来电登记',
    resourceClass: '部门信息资源',
    provider,
    summary: '来电登记记录',
    format: { category: '数据库', type: 'oracle' },
    items: [
      { name: '登记编号', dataType: 'C', length: 20, isKey: true, required: true },
      { name: '备注', dataType: 'C', length: 50 },
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

const API = '/api/v1/admin/grading';

async function publish(hub: TestHub, entry: CatalogResource, officer: string) {
  const put = await putEntry(hub, officer, entry);
  if (put.statusCode >= 300) throw new Error(`put ${entry.code}: ${put.body}`);
  await transition(hub, officer, entry.code, 'submit');
  const approved = await transition(hub, hub.tokens.admin, entry.code, 'approve');
  if (approved.statusCode !== 200) throw new Error(`approve ${entry.code}: ${approved.body}`);
}

async function gradingHub(engine: (typeof ENGINES)[number]): Promise<TestHub> {
  const hub = await buildTestHub(engine);
  for (const code of [POPULATION, MIGRATION]) await publish(hub, fixture(code), hub.tokens.officer);
  for (const code of [COMPANIES, PENALTIES]) await publish(hub, fixture(code), hub.tokens.otherOfficer);
  await publish(hub, notesResource(), hub.tokens.officer);
  const phones = ['13800138000', '13912345678', '18650001234', '15959123456', '17700001111', '无'];
  const rows = phones.map((phone, n) => storedRow([`R${n}`], { 登记编号: `R${n}`, 备注: phone }));
  const { db, engine: kind } = hub.app.hub.store;
  await db
    .transaction()
    .execute((trx) => storeRows(trx, kind, NOTES, 'S-test', rows, new Date().toISOString()));
  return hub;
}

type Proposal = {
  id: string;
  resourceCode: string;
  proposed: string;
  declared: string;
  change: string;
  status: string;
  decided?: string;
  reasons: { rule: string; item?: string; hitRate?: number }[];
};

const post = (hub: TestHub, token: string, url: string, payload: object = {}) =>
  hub.call(token, { method: 'POST', url: `${API}${url}`, payload });
const get = (hub: TestHub, token: string, url: string) =>
  hub.call(token, { method: 'GET', url: `${API}${url}` });

async function auditLeaves(hub: TestHub, prefix: string) {
  const rows = await hub.app.hub.store.db
    .selectFrom('audit_entries')
    .select(['action', 'object', 'leaf'])
    .where('action', 'like', `${prefix}%`)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    action: row.action,
    object: row.object,
    leaf: JSON.parse(row.leaf) as { type: string; actor: { role: string } },
  }));
}

describe.each(ENGINES)('grading routes on %s', (engine) => {
  let hub: TestHub;
  let proposals: Proposal[];
  const byCode = (code: string) => proposals.find((p) => p.resourceCode === code) as Proposal;
  beforeAll(async () => {
    hub = await gradingHub(engine);
  });
  afterAll(async () => hub.close());

  it('refuses every role but the admin to act, and all but admin and auditor to read', async () => {
    const { admin, auditor, officer, reviewer, consumer } = hub.tokens;
    for (const token of [auditor, officer, reviewer, consumer]) {
      for (const url of ['/propose', '/apply', '/proposals/GP-2026-1/review']) {
        const response = await post(hub, token, url, url.endsWith('review') ? { decision: 'accept' } : {});
        expect(response.statusCode, url).toBe(403);
        expect(response.json()).toMatchObject({ code: 'HUB_ERR_FORBIDDEN' });
      }
    }
    for (const token of [officer, reviewer, consumer]) {
      for (const url of ['/proposals', '/proposals/GP-2026-1', '/conflicts'])
        expect((await get(hub, token, url)).statusCode, url).toBe(403);
    }
    expect((await hub.call(null, { method: 'GET', url: `${API}/proposals` })).statusCode).toBe(401);
    expect((await get(hub, auditor, '/proposals')).statusCode).toBe(200);
    expect((await get(hub, admin, '/conflicts')).statusCode).toBe(200);
    expect(await auditLeaves(hub, 'admin.grading')).toEqual([]);
  });

  it('proposes a level for each published resource, with reasons and the detectors’ hit rates, audited', async () => {
    const response = await post(hub, hub.tokens.admin, '/propose', {});
    expect(response.statusCode).toBe(200);
    const body = response.json() as { proposals: Proposal[]; summary: Record<string, number> };
    proposals = body.proposals;
    expect(body.summary).toEqual({ resources: 5, raise: 3, lower: 0, same: 2, superseded: 0 });
    const grades = Object.fromEntries(
      proposals.map((p) => [p.resourceCode, [p.declared, p.proposed, p.status]]),
    );
    expect(grades).toEqual({
      [POPULATION]: ['重要数据', '重要数据', 'pending'],
      [MIGRATION]: ['一般数据3级', '一般数据4级', 'pending'],
      [COMPANIES]: ['一般数据2级', '一般数据4级', 'pending'],
      [PENALTIES]: ['一般数据1级', '一般数据1级', 'pending'],
      [NOTES]: ['一般数据1级', '一般数据3级', 'pending'],
    });
    expect(byCode(NOTES).reasons).toEqual([expect.objectContaining({ rule: 'VALUES-MOBILE', item: '备注' })]);
    const full = (await get(hub, hub.tokens.auditor, `/proposals/${byCode(NOTES).id}`)).json() as {
      items: { name: string; reasons: { rule: string; hits: number; sampled: number; hitRate: number }[] }[];
      sampledRows: number;
    };
    expect(full.sampledRows).toBe(6);
    expect(full.items[1]?.reasons[0]).toMatchObject({
      rule: 'VALUES-MOBILE',
      hits: 5,
      sampled: 6,
      hitRate: 0.833,
    });
    const audit = await auditLeaves(hub, 'admin.grading');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.leaf).toMatchObject({ type: 'admin.grading_propose', actor: { role: 'admin' } });
  });

  it('filters by organisation and code prefix, pages the list, and supersedes open proposals', async () => {
    const scjg = (await post(hub, hub.tokens.admin, '/propose', { codePrefix: '3350050002' })).json() as {
      proposals: Proposal[];
      summary: Record<string, number>;
    };
    expect(scjg.proposals.map((p) => p.resourceCode)).toEqual([PENALTIES]);
    expect(scjg.summary.superseded).toBe(1);
    const old = (await get(hub, hub.tokens.admin, `/proposals/${byCode(PENALTIES).id}`)).json() as Proposal;
    expect(old.status).toBe('superseded');
    proposals = proposals.map((p) => (p.resourceCode === PENALTIES ? (scjg.proposals[0] as Proposal) : p));
    const page = (await get(hub, hub.tokens.auditor, '/proposals?status=pending&limit=2')).json() as {
      items: Proposal[];
      next: string;
    };
    expect(page.items).toHaveLength(2);
    const rest = (
      await get(hub, hub.tokens.auditor, `/proposals?status=pending&limit=10&cursor=${page.next}`)
    ).json() as { items: Proposal[] };
    expect([...page.items, ...rest.items].map((p) => p.id).sort()).toEqual(proposals.map((p) => p.id).sort());
  });

  it('reviews: accept, reject and override need what they need, and every decision is audited', async () => {
    const admin = hub.tokens.admin;
    const reject = await post(hub, admin, `/proposals/${byCode(PENALTIES).id}/review`, {
      decision: 'reject',
    });
    expect(reject.statusCode).toBe(422);
    expect(reject.json()).toMatchObject({ code: 'HUB_ERR_REASON_REQUIRED' });
    const badGrade = await post(hub, admin, `/proposals/${byCode(NOTES).id}/review`, {
      decision: 'override',
      grade: '五级',
      reason: 'x',
    });
    expect(badGrade.json()).toMatchObject({ code: 'HUB_ERR_BAD_REQUEST' });
    expect((await post(hub, admin, '/proposals/GP-1999-9/review', { decision: 'accept' })).statusCode).toBe(
      404,
    );
    for (const code of [MIGRATION, COMPANIES, POPULATION])
      expect(
        (await post(hub, admin, `/proposals/${byCode(code).id}/review`, { decision: 'accept' })).statusCode,
      ).toBe(200);
    const overridden = (
      await post(hub, admin, `/proposals/${byCode(NOTES).id}/review`, {
        decision: 'override',
        grade: 'general-4',
        reason: '来电号码可关联到个人，按 4 级管理',
      })
    ).json() as Proposal;
    expect(overridden).toMatchObject({
      status: 'accepted',
      decided: '一般数据4级',
      review: { reason: '来电号码可关联到个人，按 4 级管理' },
    });
    const rejected = await post(hub, admin, `/proposals/${byCode(PENALTIES).id}/review`, {
      decision: 'reject',
      reason: '维持 1 级',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    const reviews = await auditLeaves(hub, 'admin.grading.review');
    expect(reviews.map((r) => r.object)).toEqual(
      [MIGRATION, COMPANIES, POPULATION, NOTES, PENALTIES].map((c) => byCode(c).id),
    );
    expect(
      reviews.every((r) => r.leaf.actor.role === 'admin' && r.leaf.type === 'admin.grading_review'),
    ).toBe(true);
  });

  it('applies accepted levels as new published versions; a resource that moved on fails alone', async () => {
    const admin = hub.tokens.admin;
    // GAT starts a new draft of the migration resource after it was graded: its proposal is stale.
    const draft = { ...fixture(MIGRATION), summary: '户口迁移登记信息（修订）' };
    expect((await putEntry(hub, hub.tokens.officer, draft)).statusCode).toBeLessThan(300);
    const before = (
      await hub.call(admin, {
        method: 'GET',
        url: `/api/v1/catalog/resources/${encodeURIComponent(COMPANIES)}`,
      })
    ).json() as { version: number; etag: string };
    const dry = (await post(hub, admin, '/apply', { dryRun: true })).json() as {
      summary: Record<string, number>;
    };
    expect(dry.summary).toEqual({ applied: 0, unchanged: 1, wouldApply: 2, failed: 1 });
    expect(await auditLeaves(hub, 'admin.grading.apply')).toEqual([]);
    const applied = (await post(hub, admin, '/apply', {})).json() as {
      results: {
        resourceCode: string;
        result: string;
        version?: number;
        etag?: string;
        error?: { code: string };
      }[];
      summary: Record<string, number>;
    };
    expect(applied.summary).toEqual({ applied: 2, unchanged: 1, wouldApply: 0, failed: 1 });
    const result = Object.fromEntries(applied.results.map((r) => [r.resourceCode, r.result]));
    expect(result).toEqual({
      [MIGRATION]: 'failed',
      [COMPANIES]: 'applied',
      [POPULATION]: 'unchanged',
      [NOTES]: 'applied',
    });
    expect(applied.results.find((r) => r.resourceCode === MIGRATION)?.error?.code).toBe('HUB_ERR_CONFLICT');
    const after = (
      await hub.call(hub.tokens.consumer, {
        method: 'GET',
        url: `/api/v1/catalog/resources/${encodeURIComponent(COMPANIES)}`,
      })
    ).json() as { version: number; etag: string; status: string; document: CatalogResource };
    expect(after).toMatchObject({
      version: before.version + 1,
      status: 'published',
      document: { grading: { level: '一般数据4级' } },
    });
    expect(after.etag).not.toBe(before.etag);
    expect(applied.results.find((r) => r.resourceCode === COMPANIES)?.etag).toBe(after.etag);
    const history = (
      await hub.call(admin, {
        method: 'GET',
        url: `/api/v1/catalog/resources/${encodeURIComponent(COMPANIES)}/versions`,
      })
    ).json() as { items: { version: number; status: string }[] };
    expect(history.items.map((v) => v.status)).toEqual(['superseded', 'published']);
    const stale = (await get(hub, admin, `/proposals/${byCode(MIGRATION).id}`)).json() as Proposal;
    expect(stale.status).toBe('stale');
    const leaves = await auditLeaves(hub, 'admin.grading.apply');
    expect(leaves.map((l) => l.object).sort()).toEqual(
      [MIGRATION, COMPANIES, POPULATION, NOTES].map((c) => byCode(c).id).sort(),
    );
    const changes = await auditLeaves(hub, 'catalog.change.grade');
    expect(changes.map((c) => c.object).sort()).toEqual([NOTES, COMPANIES]);
    expect(changes.every((c) => c.leaf.actor.role === 'admin')).toBe(true);
    // The new versions are published to the parent hub like approvals: an Update in the feed.
    const fed = await hub.app.hub.store.db
      .selectFrom('cascade_feed')
      .select(['code', 'version', 'type'])
      .where('code', 'in', [COMPANIES, NOTES])
      .orderBy('seq', 'desc')
      .execute();
    expect(fed.find((item) => item.code === COMPANIES)).toMatchObject({
      version: after.version,
      type: 'Update',
    });
    const again = await post(hub, admin, `/proposals/${byCode(COMPANIES).id}/review`, {
      decision: 'reject',
      reason: 'x',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'HUB_ERR_WORKFLOW_STATE', currentState: 'applied' });
  });

  it('reports policy conflicts to the auditor, in English when asked', async () => {
    const response = await hub.call(hub.tokens.auditor, {
      method: 'GET',
      url: `${API}/conflicts?org=${encodeURIComponent(hub.app.hub.config.hubCode)}`,
    });
    expect(response.json()).toMatchObject({ checked: 0, conflicts: [] });
    const report = (
      await hub.call(hub.tokens.auditor, {
        method: 'GET',
        url: `${API}/conflicts`,
        headers: { 'accept-language': 'en' },
      })
    ).json() as {
      policy: { name: string };
      checked: number;
      conflicts: {
        code: string;
        resource: string;
        item?: string;
        location: string;
        message: string;
        basis: string;
      }[];
    };
    expect(report.policy.name).toBe('zhejiang-4-level');
    expect(report.checked).toBe(5);
    const found = report.conflicts.map((c) => `${c.resource} ${c.code} ${c.item ?? ''}`.trim());
    expect(found).toEqual([
      `${MIGRATION} GRD-105 公民身份号码`,
      `${NOTES} GRD-101`,
      `${NOTES} GRD-102`,
      `${NOTES} GRD-103 备注`,
      `${NOTES} GRD-104 备注`,
      `${COMPANIES} GRD-101`,
      `${COMPANIES} GRD-102`,
      `${COMPANIES} GRD-104 法定代表人`,
      `${COMPANIES} GRD-103 法定代表人证件号码`,
    ]);
    expect(report.conflicts[0]).toMatchObject({ basis: 'engine', location: '/grading/level' });
    expect(report.conflicts[1]).toMatchObject({ basis: 'proposal', location: '/sharing/type' });
    expect(report.conflicts[1]?.message).toMatch(/^The resource is graded general data, level 4; share type/);
  });
  it('applies a proposal once when two applies race, and never calls it stale', async () => {
    const fresh = (await post(hub, hub.tokens.admin, '/propose', { codePrefix: NOTES })).json() as {
      proposals: Proposal[];
    };
    const id = fresh.proposals[0]?.id as string;
    const review = { decision: 'override', grade: '一般数据3级', reason: '按抽样结果' };
    expect((await post(hub, hub.tokens.admin, `/proposals/${id}/review`, review)).statusCode).toBe(200);
    const answers = await Promise.all([
      post(hub, hub.tokens.admin, '/apply'),
      post(hub, hub.tokens.admin, '/apply'),
    ]);
    const results = answers.flatMap(
      (a) => (a.json() as { results: { id: string; result: string }[] }).results,
    );
    expect(results.filter((r) => r.id === id).map((r) => r.result)).toEqual(['applied']);
    expect(((await get(hub, hub.tokens.admin, `/proposals/${id}`)).json() as Proposal).status).toBe(
      'applied',
    );
  });
});

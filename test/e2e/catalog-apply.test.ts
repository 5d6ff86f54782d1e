import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, initialiseHub, loadConfig, memberId } from '@minjiang/hub';
import {
  applyCatalogPlan,
  CatalogStateStore,
  HubClient,
  HubKeyChangedError,
  planAgainstHub,
  planHasChanges,
  PruneThresholdError,
  readCatalogFile,
  verifySavedReceipts,
  waitForReview,
  type ApplyOptions,
  type CatalogPlan,
  type FetchLike,
} from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CATALOG = new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url);
const GAT = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');
const GAT_USCC = String(GAT?.uscc);

/** The real fetch, with a record of the writes it carried and, when asked, an altered answer. */
function tap() {
  const writes: string[] = [];
  const state: { alter?: (url: string, body: Record<string, unknown>) => void } = {};
  const fetch: FetchLike = async (url, init) => {
    if (init.method !== 'GET') writes.push(`${init.method} ${decodeURIComponent(new URL(url).pathname)}`);
    const response = await globalThis.fetch(url, init);
    if (!state.alter) return response;
    const body = (await response.json()) as Record<string, unknown>;
    state.alter(url, body);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: response.status, headers });
  };
  return { fetch, writes, state };
}

describe('catalog plan and apply against a hub on loopback', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-apply-hub-'));
  const work = mkdtempSync(join(tmpdir(), 'minjiang-apply-catalog-'));
  const wire = tap();
  let server: FastifyInstance;
  let admin: HubClient;
  let officer: HubClient;
  let store: CatalogStateStore;
  let local: CatalogResource[];

  const plan = async (extra: { offline?: boolean } = {}) =>
    (await planAgainstHub(officer, { local, state: store, ...extra })).plan;
  const apply = (planned: CatalogPlan, options: Partial<ApplyOptions> = {}) =>
    applyCatalogPlan(officer, planned, { state: store, ...options });
  const edit = (index: number, change: Partial<CatalogResource>) => {
    local = local.map((resource, i) => (i === index ? { ...resource, ...change } : resource));
  };
  const code = (index: number) => local[index]?.code as string;

  beforeAll(async () => {
    server = await createServer(loadConfig({ dataDir, logLevel: 'silent', databaseUrl: '' }, {}));
    await server.ready();
    const init = await initialiseHub(server);
    const baseURL = await server.listen({ host: '127.0.0.1', port: 0 });
    admin = new HubClient({ baseURL, token: init.adminToken?.token });
    // An officer of the provincial public security department: apply is per organisation.
    const { data } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId: memberId('350000', GAT_USCC), name: 'apply e2e', roles: ['officer'] },
    });
    officer = new HubClient({ baseURL, token: data.token, fetch: wire.fetch });
    store = new CatalogStateStore(join(work, '.minjiang'), baseURL);
    const catalog = await readCatalogFile(CATALOG.pathname);
    local = (catalog.resources as CatalogResource[]).filter(
      (resource) => resource.provider.uscc === GAT_USCC,
    );
  });
  afterAll(async () => {
    await Promise.all([admin.close(), officer.close()]);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('creates one department’s resources, pins the hub key, and keeps a verified receipt', async () => {
    expect(local.length).toBeGreaterThanOrEqual(4);
    const first = await plan();
    expect(first).toMatchObject({ mode: 'two-way', summary: { create: local.length } });
    const result = await apply(first);
    expect(result.summary).toMatchObject({ created: local.length, failed: 0, skipped: 0 });
    expect(result).toMatchObject({ ok: true, key: { pinned: 'new' } });
    expect(wire.writes).toEqual(['POST /api/v1/catalog/resources:batch']);
    const state = await store.readState();
    expect(Object.keys(state?.resources ?? {}).sort()).toEqual(local.map((r) => r.code).sort());
    expect(state?.hub.key?.publicKey).toBe((await admin.hubKey()).publicKey);
    expect(result.receipts).toHaveLength(1);
    expect(await verifySavedReceipts(store)).toEqual({ checked: 1, failed: [] });
  });

  it('finds everything unchanged the second time and writes nothing', async () => {
    wire.writes.length = 0;
    const before = await Promise.all(local.map((r) => officer.getResource(r.code)));
    const again = await plan();
    expect(again.mode).toBe('three-way');
    expect(planHasChanges(again)).toBe(false);
    const result = await apply(again);
    expect(result.summary).toMatchObject({ unchanged: local.length, created: 0, updated: 0 });
    expect(result).toMatchObject({ ok: true, receipts: [], key: { pinned: 'match' } });
    expect(wire.writes).toEqual([]);
    const after = await Promise.all(local.map((r) => officer.getResource(r.code)));
    expect(after.map((v) => [v.version, v.etag, v.updatedAt])).toEqual(
      before.map((v) => [v.version, v.etag, v.updatedAt]),
    );
    // Offline, against the snapshot the online plan saved, the plan is the same.
    expect(await plan({ offline: true })).toEqual(again);
  });

  it('submits the drafts for review and waits for the reviewers', async () => {
    const result = await apply(await plan(), { submit: true });
    expect(result.summary.submitted).toBe(local.length);
    const waiting = await waitForReview(
      officer,
      local.map((r) => r.code),
      { timeoutMs: 0 },
    );
    expect(waiting.pending).toHaveLength(local.length);
    for (const r of local.slice(0, -1)) await admin.approveResource(r.code);
    await admin.rejectResource(code(local.length - 1), { reason: '摘要需补充数据来源。' });
    const decided = await waitForReview(
      officer,
      local.map((r) => r.code),
      { timeoutMs: 5000, intervalMs: 50 },
    );
    expect(decided).toMatchObject({
      pending: [],
      rejected: [{ code: code(local.length - 1), reason: '摘要需补充数据来源。' }],
    });
    expect(decided.published).toHaveLength(local.length - 1);
  });

  it('sends one local edit as one update, with that field in the diff', async () => {
    wire.writes.length = 0;
    edit(0, { summary: '全省常住人口的身份和户籍信息（本地修订）。' });
    const planned = await plan();
    expect(planned.summary).toMatchObject({ update: 1, unchanged: local.length - 1 });
    const update = planned.resources.find((r) => r.action === 'update');
    expect(update?.changes.map((c) => c.pointer)).toEqual(['/summary']);
    const result = await apply(planned);
    expect(result.summary).toMatchObject({ updated: 1, unchanged: local.length - 1 });
    expect(wire.writes).toEqual(['POST /api/v1/catalog/resources:batch']);
    const view = await officer.getResource(code(0));
    expect(view).toMatchObject({ version: 2, status: 'draft', publishedVersion: 1 });
    expect(view.document.summary).toBe('全省常住人口的身份和户籍信息（本地修订）。');
  });

  it('keeps a field edited on the hub (drift) and never overwrites it', async () => {
    const hubEdit = { ...(await officer.getResource(code(1))).document, name: '在枢纽上改过的名称' };
    await admin.putResource(hubEdit);
    wire.writes.length = 0;
    const planned = await plan();
    const drifted = planned.resources.find((r) => r.code === code(1));
    expect(drifted).toMatchObject({
      action: 'drift',
      drift: [{ pointer: '/name', to: '在枢纽上改过的名称' }],
    });
    const result = await apply(planned);
    expect(result.outcomes.find((o) => o.code === code(1))).toMatchObject({
      result: 'unchanged',
      drift: ['/name'],
    });
    expect(wire.writes).toEqual([]);
    expect((await officer.getResource(code(1))).document.name).toBe('在枢纽上改过的名称');
  });

  it('skips a field edited differently on both sides as a conflict, and says the apply did not succeed', async () => {
    const hubEdit = { ...(await officer.getResource(code(2))).document, summary: '枢纽上的摘要。' };
    await admin.putResource(hubEdit);
    edit(2, { summary: '本地的摘要。' });
    const planned = await plan();
    const conflict = planned.resources.find((r) => r.code === code(2));
    expect(conflict).toMatchObject({
      action: 'conflict',
      conflicts: [{ pointer: '/summary', local: '本地的摘要。', hub: '枢纽上的摘要。' }],
    });
    const result = await apply(planned);
    expect(result.outcomes.find((o) => o.code === code(2))).toMatchObject({
      result: 'skipped',
      skipReason: 'conflict',
      conflicts: ['/summary'],
    });
    expect(result).toMatchObject({ ok: false, summary: { conflicts: 1 } });
    expect((await officer.getResource(code(2))).document.summary).toBe('枢纽上的摘要。');
    edit(2, { summary: '枢纽上的摘要。' }); // settled by taking the hub's value
  });

  it('fails, and does not overwrite, a resource edited on the hub between plan and apply', async () => {
    edit(3, { keywords: ['本地关键词'] });
    const planned = await plan();
    const concurrent = { ...(await officer.getResource(code(3))).document, keywords: ['并发修改'] };
    await admin.putResource(concurrent);
    const result = await apply(planned);
    expect(result.outcomes.find((o) => o.code === code(3))).toMatchObject({
      result: 'failed',
      error: { code: 'HUB_ERR_PRECONDITION_FAILED', status: 412 },
    });
    expect((await officer.getResource(code(3))).document.keywords).toEqual(['并发修改']);
    expect(result.ok).toBe(false);
  });

  it('reports the hub’s error code, message and issues for an entry it refuses', async () => {
    const invalid = {
      ...structuredClone(local[0] as CatalogResource),
      code: '3350010001/099999',
      updateCycle: '每十年',
    };
    const planned = (await planAgainstHub(officer, { local: [...local, invalid], state: store })).plan;
    const result = await apply(planned);
    const failed = result.outcomes.find((o) => o.code === invalid.code);
    expect(failed).toMatchObject({ result: 'failed', error: { code: 'HUB_ERR_VALIDATION', status: 422 } });
    expect(failed?.error?.issues?.[0]?.location).toBe('/updateCycle');
    expect((await store.readState())?.resources[invalid.code]).toBeUndefined();
  });

  it('refuses a receipt that does not verify, and keeps the state as it was', async () => {
    edit(0, { summary: '第三次修订的摘要。' });
    const planned = await plan();
    const stateBefore = await store.readState();
    wire.state.alter = (url, body) => {
      const receipt = body.receipt as { payload: { time: string } } | undefined;
      if (url.endsWith(':batch') && receipt) receipt.payload.time = '2000-01-01T00:00:00.000Z';
    };
    const result = await apply(planned).finally(() => delete wire.state.alter);
    const outcome = result.outcomes.find((o) => o.code === code(0));
    expect(outcome).toMatchObject({ result: 'failed', error: { code: 'RECEIPT-INVALID' } });
    expect((await store.readState())?.resources[code(0)]).toEqual(stateBefore?.resources[code(0)]);
    const audit = await verifySavedReceipts(store);
    expect(audit.failed.map((f) => f.path)).toEqual([outcome?.receipt]);
  });

  it('detects a saved receipt altered afterwards', async () => {
    const [first] = await store.listReceipts();
    const path = join(store.dir, first as string);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      receipt: { payload: { items: { version: number }[] } };
    };
    (saved.receipt.payload.items[0] as { version: number }).version = 99;
    writeFileSync(path, JSON.stringify(saved));
    expect((await verifySavedReceipts(store)).failed.map((f) => f.path)).toContain(first);
  });

  it('refuses to withdraw more than the threshold without force, then prunes when forced', async () => {
    const gone = local.slice(-2).map((r) => r.code);
    local = local.slice(0, -2);
    const planned = await plan();
    expect(planned.resources.filter((r) => r.action === 'prune').map((r) => r.code)).toEqual(gone);
    const untouched = await apply(planned);
    expect(
      untouched.outcomes.filter((o) => o.skipReason === 'prune-not-requested').map((o) => o.code),
    ).toEqual(gone);
    wire.writes.length = 0;
    await expect(apply(planned, { prune: true, pruneThreshold: 1 })).rejects.toBeInstanceOf(
      PruneThresholdError,
    );
    expect(wire.writes).toEqual([]);
    const pruned = await apply(await plan(), { prune: true, pruneThreshold: 1, force: true });
    expect(pruned.summary.withdrawn).toBe(2);
    for (const c of gone) {
      // Nothing of it stays in the catalog: the draft and the version published beneath it.
      const view = await officer.getResource(c);
      expect(view).toMatchObject({ status: 'withdrawn' });
      expect(view.publishedVersion).toBeUndefined();
    }
    expect(gone.map((c) => pruned.outcomes.find((o) => o.code === c)?.result)).toEqual([
      'withdrawn',
      'withdrawn',
    ]);
    // Pruned resources are no longer this catalog's: the next plan leaves them alone.
    expect((await plan()).resources.some((r) => gone.includes(r.code))).toBe(false);
    const state = await store.readState();
    expect(gone.some((c) => c in (state?.resources ?? {}))).toBe(false);
  });

  it('refuses a hub whose signing key differs from the one pinned', async () => {
    const state = await store.readState();
    if (!state?.hub.key) throw new Error('no pinned key');
    state.hub.key.publicKey = `04${'ab'.repeat(64)}`;
    await store.writeState(state);
    wire.writes.length = 0;
    edit(0, { summary: '换钥后的摘要。' });
    await expect(apply(await plan())).rejects.toBeInstanceOf(HubKeyChangedError);
    expect(wire.writes).toEqual([]);
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubOrganisationId, memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile, type NewApplication, type ReviewReport } from '@minjiang/sdk';
import type { CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { assertSchema, FIXTURES, runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

const GAT_USCC = '11350000FJ0000017T'; // 福建省公安厅 in the fixture catalog
const SCJG_USCC = '11350000FJ000005X3'; // 福建省市场监督管理局
const GAT = memberId('350000', GAT_USCC);
const SCJG = memberId('350000', SCJG_USCC);
/** Published, for applications: 有条件共享 (GAT) and 无条件共享 (SCJG). */
const APPLIED_FOR = ['3350010001/000001', '3350050001/000001'];
/** Submitted, awaiting the platform's review: three of GAT's, two of SCJG's. */
const GAT_SUBMITTED = ['3350010001/000002', '3350010002/000001', '3350010003/000001'];
const SCJG_SUBMITTED = ['3350050001/000002', '3350050002/000001'];

type Party = 'admin' | 'auditor' | 'gat' | 'scjg' | 'applicant';
type ErrorJson = { error: { code: string; exitCode: number; location?: string; hint?: string } };

/**
 * A loopback proxy in front of the hub that, before forwarding the first request matching
 * `when`, lets someone else act: the race between listing and deciding, made deterministic.
 */
async function interloper(
  hubAddress: string,
  when: (method: string, url: string) => boolean,
  act: () => Promise<void>,
): Promise<{ address: string; close: () => Promise<void> }> {
  let pending = true;
  const body = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const payload = await body(request);
      const method = request.method ?? 'GET';
      if (pending && when(method, request.url ?? '')) {
        pending = false;
        await act();
      }
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        ['host', 'connection', 'content-length'].includes(name) || typeof value !== 'string'
          ? []
          : [[name, value]],
      );
      const upstream = await fetch(`${hubAddress}${request.url}`, {
        method,
        headers: Object.fromEntries(headers) as Record<string, string>,
        ...(payload.length > 0 ? { body: payload } : {}),
      });
      response.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('minjiang admin review, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-admin-review-e2e-'));
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  const tokens = {} as Record<Party, string>;
  const clients = {} as Record<Party, HubClient>;

  const cli = (party: Party, args: string[], hubAddress = hub.address): Promise<CliRun> =>
    runCli(['admin', 'review', ...args], {
      cwd: work,
      env: {
        MINJIANG_HUB: hubAddress,
        MINJIANG_TOKEN: tokens[party],
        MINJIANG_CONFIG_DIR: join(work, 'config'),
      },
    });
  const report = (run: CliRun, exit: number): ReviewReport => {
    expect(run.status, run.stderr).toBe(exit);
    assertSchema('admin-review', run.json);
    return run.json as ReviewReport;
  };
  const refused = (run: CliRun, exit: number, code: string) => {
    expect(run.status, run.stderr).toBe(exit);
    assertSchema('error', run.json);
    expect((run.json as ErrorJson).error).toMatchObject({ code, exitCode: exit });
    return (run.json as ErrorJson).error;
  };
  const statuses = async (codes: string[]) =>
    Promise.all(codes.map(async (code) => (await clients.admin.getResource(code)).status));
  /** The audit leaves of an object, as `action role`. */
  const audited = async (object: string) =>
    (
      await hub.server.hub.store.db
        .selectFrom('audit_entries')
        .select(['action', 'leaf'])
        .where('object', '=', object)
        .orderBy('seq')
        .execute()
    ).map((row) => `${row.action} ${(JSON.parse(row.leaf) as { actor: { role: string } }).actor.role}`);

  async function issue(orgId: string, roles: string[]): Promise<string> {
    const { data } = await clients.admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId, name: `admin review e2e ${roles.join()}`, roles },
    });
    return data.token;
  }

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
    tokens.admin = hub.adminToken;
    tokens.applicant = hub.officerToken;
    clients.admin = new HubClient({ baseURL: hub.address, token: tokens.admin });
    Object.assign(tokens, {
      auditor: await issue(hubOrganisationId('350000'), ['auditor']),
      gat: await issue(GAT, ['officer']),
      scjg: await issue(SCJG, ['officer']),
    });
    for (const party of ['auditor', 'gat', 'scjg', 'applicant'] as const)
      clients[party] = new HubClient({ baseURL: hub.address, token: tokens[party] });
    const catalog = (await readCatalogFile(join(FIXTURES, 'fujian-province.yaml')))
      .resources as CatalogResource[];
    for (const code of [...APPLIED_FOR, ...GAT_SUBMITTED, ...SCJG_SUBMITTED]) {
      const owner = code.startsWith('335001') ? clients.gat : clients.scjg;
      await owner.putResource(catalog.find((resource) => resource.code === code)!);
      await owner.submitResource(code);
    }
    for (const code of APPLIED_FOR) await clients.admin.approveResource(code);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses bad flags and filters with exit 2, where the mistake is and how to fix it', async () => {
    const key = refused(
      await cli('admin', ['--filter', 'owner=GAT', '--approve', '--json']),
      2,
      'FILTER-KEY',
    );
    expect(key.location).toBe('--filter #1 (owner=GAT)');
    expect(key.hint).toContain('updatedBefore');
    const value = refused(
      await cli('admin', ['--filter', 'updatedBefore=上周', '--approve', '--json', '--lang', 'en']),
      2,
      'FILTER-VALUE',
    );
    expect(value.hint).toContain('YYYY-MM-DD');
    refused(
      await cli('admin', ['--filter', 'q=a', '--filter', 'q=b', '--approve', '--json']),
      2,
      'FILTER-REPEATED',
    );
    const noReason = await cli('admin', ['--reject', '--json']);
    refused(noReason, 2, 'ADMIN-REVIEW-REASON');
    expect(noReason.stderr).toContain('--reason');
    expect((await cli('admin', ['--json'])).status).toBe(2); // neither --approve nor --reject
    expect((await cli('admin', ['--approve', '--reject', '--reason', 'x'])).status).toBe(2);
    expect(await statuses([...GAT_SUBMITTED, ...SCJG_SUBMITTED])).toEqual(Array(5).fill('submitted'));
  }, 60_000);

  it('dry run lists the matches and writes nothing; nothing matched is exit 4', async () => {
    const before = await audited(GAT_SUBMITTED[0]!);
    const dry = report(
      await cli('admin', ['--filter', `org=${GAT_USCC}`, '--approve', '--dry-run', '--json']),
      0,
    );
    expect(dry).toMatchObject({
      type: 'resource',
      action: 'approve',
      dryRun: true,
      filter: { state: 'submitted', org: GAT_USCC },
    });
    expect(dry.summary).toEqual({ matched: 3, approved: 0, rejected: 0, failed: 0 });
    expect(dry.items.map((item) => [item.id, item.result, item.from])).toEqual(
      GAT_SUBMITTED.map((code) => [code, 'planned', 'submitted']),
    );
    const text = await cli('admin', [
      '--filter',
      'code=3350050*',
      '--reject',
      '--reason',
      '不完整',
      '--dry-run',
    ]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('预演，未做任何修改：将驳回 2 项');
    expect(text.stdout).toMatch(/待执行\s+3350050001\/000002/);
    expect(await statuses([...GAT_SUBMITTED, ...SCJG_SUBMITTED])).toEqual(Array(5).fill('submitted'));
    expect(await audited(GAT_SUBMITTED[0]!)).toEqual(before);

    const none = report(await cli('admin', ['--filter', 'code=3350099999/*', '--approve', '--json']), 4);
    expect(none.summary.matched).toBe(0);
    const english = await cli('admin', ['--filter', 'updatedBefore=2000-01-01', '--approve', '--lang', 'en']);
    expect(english.status).toBe(4);
    expect(english.stderr).toContain('no catalog resource awaiting review matches the filter');
  }, 60_000);

  it('refuses the auditor (exit 3), who may read but not act', async () => {
    const dry = report(await cli('auditor', ['--approve', '--dry-run', '--json']), 0);
    expect(dry.summary.matched).toBe(5);
    refused(await cli('auditor', ['--approve', '--json']), 3, 'HUB_ERR_FORBIDDEN');
    expect(await statuses([...GAT_SUBMITTED, ...SCJG_SUBMITTED])).toEqual(Array(5).fill('submitted'));
  }, 60_000);

  it('reviews with mixed results when others act meanwhile: per-item results, exit 5, failures unchanged', async () => {
    const [first, withdrawn, rejected] = GAT_SUBMITTED as [string, string, string];
    // Between the listing and the first review request, the owner withdraws one resource and
    // another administrator rejects one: both must fail alone, the rest go through.
    const proxy = await interloper(
      hub.address,
      (method, url) => method === 'POST' && url.startsWith('/api/v1/catalog/resources:review'),
      async () => {
        await clients.gat.withdrawResource(withdrawn, { reason: '暂不提供' });
        await clients.admin.rejectResource(rejected, { reason: '另一位管理员已驳回' });
      },
    );
    try {
      const run = await cli(
        'admin',
        ['--filter', `org=${GAT}`, '--filter', 'code=335001*', '--approve', '--batch-size', '2', '--json'],
        proxy.address,
      );
      const mixed = report(run, 5);
      expect(mixed.summary).toEqual({ matched: 3, approved: 1, rejected: 0, failed: 2 });
      expect(mixed.items.map((item) => [item.id, item.result, item.state ?? item.error?.code])).toEqual([
        [first, 'approved', 'published'],
        [withdrawn, 'failed', 'HUB_ERR_CONFLICT'],
        [rejected, 'failed', 'HUB_ERR_CONFLICT'],
      ]);
      expect(mixed.items[1]?.error).toMatchObject({ status: 409 });
      expect(mixed.items[1]?.error?.message).toContain('withdrawn');
    } finally {
      await proxy.close();
    }
    expect(await statuses(GAT_SUBMITTED)).toEqual(['published', 'withdrawn', 'rejected']);
    expect((await audited(first)).at(-1)).toBe('catalog.change.approve admin');
    expect((await audited(withdrawn)).at(-1)).toBe('catalog.change.withdraw operator');
    // Nothing of GAT's is left to review: running it again finds nothing.
    expect((await cli('admin', ['--filter', `org=${GAT}`, '--approve', '--json'])).status).toBe(4);
  }, 90_000);

  it('rejects all matches with the reason: a results table on stdout, progress on stderr, exit 0', async () => {
    const run = await cli('admin', [
      '--filter',
      `org=${SCJG_USCC}`,
      '--reject',
      '--reason',
      '信息项描述不全',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^结果\s+对象\s+名称\s+提供方\s+状态/);
    for (const code of SCJG_SUBMITTED)
      expect(run.stdout).toMatch(new RegExp(`已驳回\\s+${code}.*submitted → rejected`));
    expect(run.stdout).toContain('共匹配 2 项：通过 0，驳回 2，失败 0');
    expect(run.stderr).toContain('匹配 2 项，开始驳回');
    expect(run.stderr).toContain('已处理 2/2');
    expect(await statuses(SCJG_SUBMITTED)).toEqual(['rejected', 'rejected']);
    const history = await clients.admin.listVersions(SCJG_SUBMITTED[0]!);
    expect(history.items.at(-1)).toMatchObject({ status: 'rejected', reason: '信息项描述不全' });
    expect((await audited(SCJG_SUBMITTED[1]!)).at(-1)).toBe('catalog.change.reject admin');
  }, 60_000);

  it('prechecks applications for the platform: dry run, mixed results (exit 5), all ok (exit 0), audited as admin', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const application = (resourceCode: string, items: string[]): NewApplication => ({
      resourceCode,
      items,
      purposeCode: '0101',
      purpose: '办理经营者登记时核验经营者信息',
      scenario: { class: '政务服务', description: '个体工商户登记受理时核验' },
      legalBasis: '《促进个体工商户发展条例》第十条',
      mode: 'API',
      period: { from: day(7), to: day(300) },
      expectedVolume: { perDay: 1000 },
      contact: { name: '郭伟', phone: '0591-83361234' },
      securityCommitment: { accepted: true, text: '严格按照批准用途使用数据，不批量留存。' },
    });
    const people = ['姓名', '性别', '户籍地址'];
    const filed = [
      await clients.applicant.sharing.createApplication(application(APPLIED_FOR[0]!, people)),
      await clients.applicant.sharing.createApplication(application(APPLIED_FOR[0]!, ['姓名'])),
      await clients.applicant.sharing.createApplication(
        application(APPLIED_FOR[1]!, ['统一社会信用代码', '企业名称']),
      ),
    ];
    expect(filed.map((app) => app.state)).toEqual(['PRECHECK', 'PRECHECK', 'PRECHECK']);
    const [first, withdrawn, other] = filed.map((app) => app.id) as [string, string, string];

    refused(await cli('auditor', ['--type', 'application', '--approve', '--json']), 3, 'HUB_ERR_FORBIDDEN');
    const dry = report(await cli('admin', ['--type', 'application', '--approve', '--dry-run', '--json']), 0);
    expect(dry.items.map((item) => [item.id, item.result, item.from, item.org])).toEqual([
      [first, 'planned', 'PRECHECK', GAT],
      [withdrawn, 'planned', 'PRECHECK', GAT],
      [other, 'planned', 'PRECHECK', SCJG],
    ]);

    // The applicant withdraws one while the administrator's run is under way.
    const proxy = await interloper(
      hub.address,
      (method, url) => method === 'POST' && url.endsWith('/approve'),
      async () => void (await clients.applicant.sharing.withdraw(withdrawn)),
    );
    try {
      const args = ['--type', 'application', '--filter', `org=${GAT_USCC}`, '--approve', '--json'];
      const mixed = report(await cli('admin', args, proxy.address), 5);
      expect(mixed.summary).toEqual({ matched: 2, approved: 1, rejected: 0, failed: 1 });
      expect(mixed.items.map((item) => [item.id, item.result, item.state ?? item.error?.code])).toEqual([
        [first, 'approved', 'PROVIDER_REVIEW'],
        [withdrawn, 'failed', 'HUB_ERR_WORKFLOW_STATE'],
      ]);
    } finally {
      await proxy.close();
    }

    const run = await cli('admin', [
      '--type',
      'application',
      '--filter',
      'q=企业登记',
      '--reject',
      '--reason',
      '用途与共享条件不符',
      '--lang',
      'en',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`rejected\\s+${other}\\s+企业登记基本信息.*PRECHECK → REJECTED`));
    expect(run.stdout).toContain('1 matched: 0 approved, 1 rejected, 0 failed');
    expect(await audited(first)).toContain('app.approve admin');
    expect(await audited(other)).toContain('app.reject admin');
    expect((await clients.admin.sharing.getApplication(withdrawn)).state).toBe('WITHDRAWN');
  }, 90_000);
});

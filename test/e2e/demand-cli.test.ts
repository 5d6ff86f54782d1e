import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile, type Demand } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { assertSchema, FIXTURES, runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

const uscc = (code: string) =>
  String(codeTable('fujian-departments').data.find((row) => row.code === code)?.uscc);
const GAT = memberId('350000', uscc('GAT'));
const CODE = '3350010001/000001'; // 常住人口基本信息, provided by 福建省公安厅
const DEMAND_YAML = `subject: 企业登记人员户籍核验
description: 企业开办时核验法定代表人的户籍信息
wantedItems: [公民身份号码, 姓名, 户籍地址]
purpose: 企业开办一网通办
legalBasis: 《优化营商环境条例》第十九条
scenario: 政务服务
urgency: URGENT
contact:
  name: 林晓
  phone: 0591-87654321
`;

type ErrorJson = { error: { code: string; exitCode: number } };

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('minjiang demand, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-demand-e2e-'));
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  const tokens = { requester: '', provider: '', admin: '' };

  /** Runs the CLI as one party. */
  const as = (party: keyof typeof tokens, args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: {
        MINJIANG_HUB: hub.address,
        MINJIANG_TOKEN: tokens[party],
        MINJIANG_CONFIG_DIR: join(work, 'config'),
      },
    });

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const { data } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId: GAT, name: 'demand e2e provider', roles: ['officer'] },
    });
    tokens.requester = hub.officerToken;
    tokens.provider = data.token;
    tokens.admin = hub.adminToken;
    // Registered, never published: a new resource registered for the demand counts.
    const catalog = await readCatalogFile(join(FIXTURES, 'fujian-province.yaml'));
    const provider = new HubClient({ baseURL: hub.address, token: data.token });
    await provider.putResource((catalog.resources as CatalogResource[]).find((r) => r.code === CODE)!);
    await provider.close();
    await admin.close();
    writeFileSync(join(work, '需求.yaml'), DEMAND_YAML);
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  function ok(run: CliRun, schema: string): Demand {
    expect(run.status, run.stderr).toBe(0);
    assertSchema(schema, run.json);
    return run.json as Demand;
  }

  function refused(run: CliRun, exit: number, code: string): void {
    expect(run.status, run.stderr).toBe(exit);
    expect((run.json as ErrorJson).error).toMatchObject({ code, exitCode: exit });
  }

  it('files a demand for an expected provider, which fulfils it; the requester closes it', async () => {
    const created = ok(
      await as('requester', ['demand', 'create', '--file', '需求.yaml', '--provider', GAT, '--json']),
      'demand-create',
    );
    expect(created).toMatchObject({
      requester: hub.orgId,
      provider: GAT,
      state: 'ROUTED',
      urgency: 'URGENT',
    });
    expect(created.next).toMatchObject({
      party: 'provider',
      org: GAT,
      actions: ['claim', 'fulfil', 'decline'],
    });
    expect(created.next.deadline).toEqual(created.deadline);

    const listed = await as('provider', ['demand', 'list', '--as', 'provider', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    assertSchema('demand-list', listed.json);
    expect((listed.json as { items: Demand[] }).items.map((d) => d.id)).toContain(created.id);

    const shown = await as('provider', ['demand', 'show', created.id]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('下一步：提供方');
    expect(shown.stdout).toMatch(/期限：\d{4}-\d{2}-\d{2} 23:59（北京时间）/);

    // The requester is not the provider: 403 NOT_PARTY, exit 3.
    refused(
      await as('requester', ['demand', 'respond', created.id, '--fulfil', CODE, '--json']),
      3,
      'HUB_ERR_NOT_PARTY',
    );

    const fulfilled = ok(
      await as('provider', [
        'demand',
        'respond',
        created.id,
        '--fulfil',
        CODE,
        '--note',
        '已登记常住人口基本信息',
        '--json',
      ]),
      'demand-respond',
    );
    expect(fulfilled).toMatchObject({
      state: 'FULFILLED',
      fulfilment: { resourceCode: CODE, note: '已登记常住人口基本信息' },
    });
    expect(fulfilled.next).toMatchObject({ party: 'requester', actions: ['close'] });

    const closed = ok(await as('requester', ['demand', 'close', created.id, '--json']), 'demand-close');
    expect(closed.state).toBe('CLOSED');
    const final = ok(await as('requester', ['demand', 'show', created.id, '--json']), 'demand-show');
    expect(final.history?.map((h) => h.action)).toEqual(['create', 'submit', 'fulfil', 'close']);
    const english = await as('requester', ['demand', 'show', created.id, '--lang', 'en']);
    expect(english.stdout).toContain('CLOSED (closed)');
    expect(english.stdout).toContain('next: nobody has to act');
  }, 180_000);

  it('routes an unaddressed demand (admin); the provider declines it, a reason required', async () => {
    const flags = [
      '--subject',
      '食品经营许可信息',
      '--items',
      '许可证编号,经营者名称',
      '--purpose',
      '食品安全监管',
    ];
    const contact = ['--scenario', '监管', '--contact-name', '林晓', '--contact-phone', '0591-87654321'];
    const created = ok(
      await as('requester', ['demand', 'create', ...flags, ...contact, '--json']),
      'demand-create',
    );
    expect(created).toMatchObject({
      state: 'SUBMITTED',
      urgency: 'NORMAL',
      next: { party: 'platform', role: 'admin' },
    });

    refused(
      await as('provider', ['demand', 'route', created.id, '--provider', GAT, '--json']),
      3,
      'HUB_ERR_FORBIDDEN',
    );
    const routed = ok(
      await as('admin', ['demand', 'route', created.id, '--provider', GAT, '--json']),
      'demand-route',
    );
    expect(routed).toMatchObject({ state: 'ROUTED', provider: GAT });

    refused(
      await as('provider', ['demand', 'respond', created.id, '--decline', '--json']),
      1,
      'HUB_ERR_REASON_REQUIRED',
    );
    const declined = ok(
      await as('provider', [
        'demand',
        'respond',
        created.id,
        '--decline',
        '--reason',
        '本厅未采集该数据',
        '--json',
      ]),
      'demand-respond',
    );
    expect(declined).toMatchObject({ state: 'DECLINED', reason: '本厅未采集该数据' });
    refused(
      await as('requester', ['demand', 'respond', created.id, '--decline', '--reason', 'x', '--json']),
      3,
      'HUB_ERR_NOT_PARTY',
    );
    expect(ok(await as('requester', ['demand', 'close', created.id, '--json']), 'demand-close').state).toBe(
      'CLOSED',
    );
    refused(await as('requester', ['demand', 'close', created.id, '--json']), 1, 'HUB_ERR_WORKFLOW_STATE');
  }, 180_000);

  it('claims an unrouted demand before fulfilling it, and refuses a resource of another organisation', async () => {
    const created = ok(
      await as('requester', ['demand', 'create', '--file', '需求.yaml', '--json']),
      'demand-create',
    );
    const fulfilled = ok(
      await as('provider', ['demand', 'respond', created.id, '--fulfil', CODE, '--json']),
      'demand-respond',
    );
    expect(fulfilled.history?.map((h) => h.action)).toEqual(['create', 'submit', 'claim', 'fulfil']);

    const other = ok(
      await as('requester', ['demand', 'create', '--file', '需求.yaml', '--provider', GAT, '--json']),
      'demand-create',
    );
    refused(
      await as('provider', ['demand', 'respond', other.id, '--fulfil', '3350010001/999999', '--json']),
      1,
      'HUB_ERR_DEMAND_RESOURCE',
    );
    refused(
      await as('requester', ['demand', 'create', '--subject', '缺内容', '--json']),
      2,
      'DEMAND-INCOMPLETE',
    );
    refused(
      await as('requester', ['demand', 'show', 'urn:ses:demand:350000:2026:999', '--json']),
      4,
      'HUB_ERR_NOT_FOUND',
    );
  }, 180_000);
});

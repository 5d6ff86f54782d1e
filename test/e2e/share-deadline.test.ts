import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

const CATALOG = fileURLToPath(new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url));
const PROVIDER = memberId(
  '350000',
  String(codeTable('fujian-departments').data.find((row) => row.code === 'GAT')?.uscc),
);
const CODE = '3350010001/000001';
/** Wednesday 2 December 2026, 10:00 China time; the precheck deadline is the end of Friday the 4th. */
const FILED = new Date('2026-12-02T02:00:00Z');

const APPLICATION = `resourceCode: ${CODE}
items: [姓名, 户籍地址]
purposeCode: '0101'
purpose: 核验经营者户籍信息
scenario: { class: 政务服务, description: 个体工商户登记 }
legalBasis: 《促进个体工商户发展条例》第十条
mode: API
period: { from: '2026-12-01', to: '2027-11-30' }
contact: { name: 郭伟, phone: 0591-83361234 }
securityCommitment: { accepted: true, text: 严格按照批准用途使用数据。 }
`;

interface Status {
  state: string;
  next: { party: string; deadline: string | null };
}

describe.each(ENGINES)('share: a missed deadline escalates, built CLI, hub on %s', (engine) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-deadline-e2e-'));
  let hub: TestHub;
  let dispose: (() => Promise<void>) | undefined;
  let clock = FILED;

  const cli = (token: string, args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: { MINJIANG_HUB: hub.address, MINJIANG_TOKEN: token, MINJIANG_CONFIG_DIR: join(work, 'config') },
    });

  beforeAll(async () => {
    const database = engine === 'postgres' ? await freshDatabase('postgres') : undefined;
    dispose = database?.dispose;
    hub = await startHub({
      ...(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
      now: () => clock,
    });
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const { data } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId: PROVIDER, name: 'deadline e2e officer', roles: ['officer'] },
    });
    const resource = (await readCatalogFile(CATALOG)).resources.find(
      (r) => (r as CatalogResource).code === CODE,
    );
    const officer = new HubClient({ baseURL: hub.address, token: data.token });
    await officer.putResource(resource as CatalogResource);
    await officer.submitResource(CODE);
    await admin.approveResource(CODE);
    await Promise.all([officer.close(), admin.close()]);
    writeFileSync(join(work, '申请.yaml'), APPLICATION);
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    await dispose?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('escalates to the 主管部门 when the precheck deadline passes, and never approves by silence', async () => {
    const filed = await cli(hub.officerToken, ['share', 'apply', '--file', '申请.yaml', '--json']);
    expect(filed.status, filed.stderr).toBe(0);
    const { id, next } = filed.json as Status & { id: string };
    expect(next).toMatchObject({ party: 'platform', deadline: '2026-12-04T15:59:59.999Z' });
    clock = new Date('2026-12-04T16:00:00Z');
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const { data: swept } = await admin.transport.request<{ applications: { escalated: string[] } }>({
      method: 'POST',
      path: '/api/v1/admin/sweep',
    });
    await admin.close();
    expect(swept.applications.escalated).toEqual([id]);
    const status = await cli(hub.officerToken, ['share', 'status', id, '--json']);
    expect(status.json as Status).toMatchObject({ state: 'ESCALATED', next: { party: 'platform' } });
    const waited = await cli(hub.officerToken, ['share', 'wait', id, '--timeout', '1s', '--json']);
    expect(waited.status).toBe(7);
  }, 120_000);
});

/**
 * A call routed from one city to another through the province, end to end (issue 8 "Done when",
 * docs/cascade-relay.md): a province and two city hubs from the built package, each with its own
 * data (Xiamen on PostgreSQL when MINJIANG_TEST_DATABASE_URL is set), their node keys pinned as
 * after approval. A department of Fuzhou applies at Fuzhou for a resource of Xiamen (routed to
 * Xiamen, decided there), registers an SM2 key, and its system queries with the SDK at Fuzhou —
 * its own hub — under the grant Xiamen issued: Fuzhou and the province relay, Xiamen answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubOrganisationId } from '@minjiang/hub';
import { ExchangeClient } from '@minjiang/sdk';
import { generateSm2KeyPair, validateAuditLeaf } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person } from '../../packages/hub/test-utils/governance.js';
import type { CascadeHub } from './cascade-harness.js';
import {
  APPLICANT_ID,
  eventually,
  hubApi,
  startRoutedWorld,
  XIAMEN,
  type RoutedWorld,
} from './cascade-world.js';
import { assertSchema, runCli } from './cli-harness.js';

const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('cascade relay: a call from Fuzhou under a grant of Xiamen, through the province', () => {
  let province: CascadeHub;
  let fuzhou: CascadeHub;
  let xiamen: CascadeHub;
  let world: RoutedWorld;
  let consumer: string;
  let reviewer: string;
  const rows = Array.from({ length: 3 }, (_, n) => person(n + 1, `测试${n + 1}`));
  const auditor = async (hub: CascadeHub) => {
    const body = { orgId: hubOrganisationId(hub.code), name: 'e2e auditor', roles: ['auditor'] };
    return (await hubApi<{ token: string }>(hub, hub.adminToken, 'POST', '/api/v1/tokens', body)).token;
  };

  beforeAll(async () => {
    world = await startRoutedWorld(8, rows);
    ({ province, fuzhou, xiamen, consumer, reviewer } = world);
  }, 120_000);

  afterAll(async () => {
    await world?.dispose();
  });

  /** Applies at Fuzhou for Xiamen's resource, Xiamen approves, Fuzhou registers an SM2 key: ACTIVE. */
  async function routedGrant(mode: 'API' | 'PACKAGE') {
    const application = await hubApi<{ id: string }>(fuzhou, consumer, 'POST', '/api/v1/applications', {
      resourceCode: world.code,
      items: ['公民身份号码', '姓名', '户籍地行政区划'],
      purposeCode: 'SCJG-0101',
      purpose: '企业开办时核验法定代表人身份',
      scenario: { class: '政务服务', description: '企业开办一件事' },
      legalBasis: '《中华人民共和国市场主体登记管理条例》第十二条',
      mode,
      period: { from: day(0), to: day(180) },
      expectedVolume: { perDay: 100 },
      contact: { name: '林晓', phone: '0591-87654321' },
      securityCommitment: { accepted: true, text: '仅用于企业登记核验。' },
    });
    const remote = (
      await hubApi<{ items: { id: string; state: string }[] }>(
        xiamen,
        xiamen.adminToken,
        'GET',
        '/api/v1/applications',
      )
    ).items.find((item) => item.state !== 'ACTIVE' && item.state !== 'APPROVED');
    const decide = `/api/v1/applications/${encodeURIComponent(remote!.id)}/approve`;
    await hubApi(xiamen, xiamen.adminToken, 'POST', decide, {});
    await hubApi(xiamen, reviewer, 'POST', decide, {});
    const path = `/api/v1/applications/${encodeURIComponent(application.id)}`;
    const approved = await eventually(
      () => hubApi<{ state: string; grant?: string }>(fuzhou, consumer, 'GET', path),
      (view) => view.grant !== undefined,
    );
    const grant = approved.grant!;
    expect(grant).toMatch(/^urn:ses:grant:350200:/);
    const { publicKey, privateKey } = generateSm2KeyPair();
    const credentials = `/api/v1/grants/${encodeURIComponent(grant)}/credentials`;
    const issued = await hubApi<{ appKey: string }>(fuzhou, consumer, 'POST', credentials, { publicKey });
    await eventually(
      () => hubApi<{ state: string }>(fuzhou, consumer, 'GET', path),
      (view) => view.state === 'ACTIVE',
    );
    const view = await hubApi<{ document: { target: string } }>(
      fuzhou,
      consumer,
      'GET',
      `/api/v1/grants/${encodeURIComponent(grant)}`,
    );
    return { grant, appKey: issued.appKey, privateKey, service: view.document.target };
  }

  it('routes the application, then relays the SDK’s query and answers it masked, every hop logged', async () => {
    const { grant, appKey, privateKey, service } = await routedGrant('API');
    const client = new ExchangeClient({
      baseURL: fuzhou.url,
      client: APPLICANT_ID,
      grant,
      purpose: 'SCJG-0101',
      service,
      appKey,
      privateKey,
      user: '林晓',
    });
    try {
      const id = rows[0]![0]!;
      const page = await client.query({ conditions: { GMSFHM: id } });
      expect(page.rows).toEqual([
        { GMSFHM: `${id.slice(0, 6)}********${id.slice(-4)}`, XM: '测**', HJDQH: '350102' },
      ]);
      expect(page.meta).toMatchObject({ grant, masking: 'MP-STD-01', records: 1 });
      for (const [hub, next] of [
        [fuzhou, '350000'],
        [province, XIAMEN],
      ] as const) {
        const token = await auditor(hub);
        const audit = await hubApi<{ items: { leaf: unknown }[] }>(
          hub,
          token,
          'GET',
          '/api/v1/audit?action=api.relay',
        );
        expect(audit.items).toHaveLength(1);
        expect(audit.items[0]!.leaf).toMatchObject({
          type: 'api.relay',
          object: next,
          grant,
          client: APPLICANT_ID,
        });
        expect(validateAuditLeaf(audit.items[0]!.leaf)).toEqual([]);
      }
      const atXiamen = await hubApi<{ items: { leaf: unknown }[] }>(
        xiamen,
        await auditor(xiamen),
        'GET',
        '/api/v1/audit?action=api.call',
      );
      expect(atXiamen.items.map((item) => item.leaf)).toEqual([
        expect.objectContaining({ grant, client: APPLICANT_ID }),
      ]);
    } finally {
      await client.close();
    }
  }, 180_000);
  it('downloads a package of Xiamen with the CLI at Fuzhou: built, streamed and received through the relay', async () => {
    const { grant, appKey, privateKey } = await routedGrant('PACKAGE');
    const cwd = mkdtempSync(join(tmpdir(), 'minjiang-relay-cli-'));
    try {
      const run = await runCli(['share', 'download', grant, '--json', '--out', cwd, '--hub', fuzhou.url], {
        cwd,
        env: {
          MINJIANG_TOKEN: consumer,
          MINJIANG_APP_KEY: appKey,
          MINJIANG_APP_PRIVATE_KEY: privateKey,
          MINJIANG_CONFIG_DIR: join(cwd, 'config'),
          MINJIANG_KEYRING: 'off',
        },
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      assertSchema('share-download', run.json);
      expect(run.json).toMatchObject({
        grant,
        package: { rows: 3 },
        verification: { ok: true, rows: 3 },
        receipt: { status: 'completed' },
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 180_000);
});

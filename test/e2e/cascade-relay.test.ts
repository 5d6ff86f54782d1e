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
import { hubOrganisationId, type HubDatabase } from '@minjiang/hub';
import { ExchangeClient } from '@minjiang/sdk';
import { generateSm2KeyPair, validateAuditLeaf } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedRow, storeRows } from '../../packages/hub/src/modules/aggregation/row-store.js';
import { cityEntry } from '../../packages/hub/test-utils/cascade.js';
import { resourceCode } from '../../packages/hub/test-utils/catalog.js';
import { HEADER, person } from '../../packages/hub/test-utils/governance.js';
import { freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { pinCity, publish, startCascadeHub, type CascadeHub } from './cascade-harness.js';
import { assertSchema, runCli } from './cli-harness.js';

const FUZHOU = '350100';
const XIAMEN = '350200';
const CODE = resourceCode(8);
const APPLICANT = { name: '福州市数据管理局', uscc: '11350100FJ0200078E' };
const APPLICANT_ID = `${FUZHOU}/GOV/${APPLICANT.uscc}`;

async function api<T>(hub: CascadeHub, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds = 60): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const store = (hub: CascadeHub) =>
  (hub.server as FastifyInstance & { hub: { store: HubDatabase } }).hub.store;
const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('cascade relay: a call from Fuzhou under a grant of Xiamen, through the province', () => {
  let province: CascadeHub;
  let fuzhou: CascadeHub;
  let xiamen: CascadeHub;
  let disposeXiamenDb: () => Promise<void> = async () => undefined;
  let consumer: string;
  let reviewer: string;
  const rows = Array.from({ length: 3 }, (_, n) => person(n + 1, `测试${n + 1}`));
  const auditor = async (hub: CascadeHub) => {
    const body = { orgId: hubOrganisationId(hub.code), name: 'e2e auditor', roles: ['auditor'] };
    return (await api<{ token: string }>(hub, hub.adminToken, 'POST', '/api/v1/tokens', body)).token;
  };

  beforeAll(async () => {
    province = await startCascadeHub('350000');
    const quiet = { cascadeNudgeGap: 0 };
    fuzhou = await startCascadeHub(FUZHOU, { parentUrl: province.url, config: quiet });
    let databaseUrl: string | undefined;
    if (process.env.MINJIANG_TEST_DATABASE_URL) {
      const database = await freshDatabase('postgres');
      databaseUrl = database.databaseUrl;
      disposeXiamenDb = database.dispose;
    }
    xiamen = await startCascadeHub(XIAMEN, {
      parentUrl: province.url,
      config: quiet,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    await pinCity(province, fuzhou);
    await pinCity(province, xiamen);
    const org = {
      id: APPLICANT_ID,
      ...APPLICANT,
      kind: 'department',
      regionCode: FUZHOU,
      platformCode: FUZHOU,
    };
    const parent = hubOrganisationId(FUZHOU);
    await api(fuzhou, fuzhou.adminToken, 'POST', '/api/v1/organisations', {
      ...org,
      memberClass: 'GOV',
      status: 'ACTIVE',
      parent,
    });
    const token = { orgId: APPLICANT_ID, name: 'e2e consumer', roles: ['officer'] };
    consumer = (await api<{ token: string }>(fuzhou, fuzhou.adminToken, 'POST', '/api/v1/tokens', token))
      .token;
    const provider = { orgId: `${XIAMEN}/GOV/11350100FJ01000501`, name: 'e2e reviewer', roles: ['reviewer'] };
    reviewer = (await api<{ token: string }>(xiamen, xiamen.adminToken, 'POST', '/api/v1/tokens', provider))
      .token;
    await publish(xiamen, cityEntry(8, {}, XIAMEN));
    const objects = rows.map((values) =>
      Object.fromEntries(HEADER.map((name, i) => [name, values[i] ?? ''])),
    );
    const { db, engine } = store(xiamen);
    const stored = objects.map((row) => storedRow([row['公民身份号码']!], row));
    await db
      .transaction()
      .execute((trx) => storeRows(trx, engine, CODE, 'S-e2e', stored, new Date().toISOString()));
    const sync = await runCli(['cascade', 'sync', XIAMEN, '--json', '--hub', province.url], {
      env: { MINJIANG_TOKEN: province.adminToken },
    });
    expect(sync.status, sync.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await fuzhou?.dispose();
    await xiamen?.dispose();
    await disposeXiamenDb();
    await province?.dispose();
  });

  /** Applies at Fuzhou for Xiamen's resource, Xiamen approves, Fuzhou registers an SM2 key: ACTIVE. */
  async function routedGrant(mode: 'API' | 'PACKAGE') {
    const application = await api<{ id: string }>(fuzhou, consumer, 'POST', '/api/v1/applications', {
      resourceCode: CODE,
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
      await api<{ items: { id: string; state: string }[] }>(
        xiamen,
        xiamen.adminToken,
        'GET',
        '/api/v1/applications',
      )
    ).items.find((item) => item.state !== 'ACTIVE' && item.state !== 'APPROVED');
    const decide = `/api/v1/applications/${encodeURIComponent(remote!.id)}/approve`;
    await api(xiamen, xiamen.adminToken, 'POST', decide, {});
    await api(xiamen, reviewer, 'POST', decide, {});
    const path = `/api/v1/applications/${encodeURIComponent(application.id)}`;
    const approved = await eventually(
      () => api<{ state: string; grant?: string }>(fuzhou, consumer, 'GET', path),
      (view) => view.grant !== undefined,
    );
    const grant = approved.grant!;
    expect(grant).toMatch(/^urn:ses:grant:350200:/);
    const { publicKey, privateKey } = generateSm2KeyPair();
    const credentials = `/api/v1/grants/${encodeURIComponent(grant)}/credentials`;
    const issued = await api<{ appKey: string }>(fuzhou, consumer, 'POST', credentials, { publicKey });
    await eventually(
      () => api<{ state: string }>(fuzhou, consumer, 'GET', path),
      (view) => view.state === 'ACTIVE',
    );
    const view = await api<{ document: { target: string } }>(
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
        const audit = await api<{ items: { leaf: unknown }[] }>(
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
      const atXiamen = await api<{ items: { leaf: unknown }[] }>(
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

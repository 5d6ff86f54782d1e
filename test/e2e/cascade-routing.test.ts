/**
 * Cascade routing of sharing applications end to end (issue 8, docs/cascade-routing.md): a
 * province and two city hubs on loopback, each with its own data (Xiamen on PostgreSQL when
 * MINJIANG_TEST_DATABASE_URL is set, else SQLite like the others), their node keys pinned as
 * after approval. A consumer at Fuzhou applies with the built CLI for a resource of Xiamen; the
 * application travels through the province; Xiamen's admin and provider decide with the CLI;
 * Fuzhou's consumer sees the decision and the grant Xiamen signed, and registers an SM2 key,
 * which reaches Xiamen exactly once although Xiamen was down when it was sent.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubOrganisationId } from '@minjiang/hub';
import { generateSm2KeyPair, openDsse } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person } from '../../packages/hub/test-utils/governance.js';
import type { CascadeHub } from './cascade-harness.js';
import {
  APPLICANT_ID,
  eventually,
  FUZHOU,
  startRoutedWorld,
  XIAMEN,
  XIAMEN_ENGINE,
  type RoutedWorld,
} from './cascade-world.js';
import { assertSchema, runCli, type CliRun } from './cli-harness.js';

/** The rows Xiamen holds for the resource. */
const ROWS = [person(1, '测试甲'), person(2, '测试乙')];

interface Application {
  id: string;
  state: string;
  grant?: string;
  routed?: { owner: string | null; via: string[]; status: string };
}

async function api<T>(hub: CascadeHub, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe(`cascade routing: an application from one city to another through the province (Xiamen on ${XIAMEN_ENGINE})`, () => {
  let fuzhou: CascadeHub;
  let xiamen: CascadeHub;
  let world: RoutedWorld;
  let work: string;
  let consumer: string;
  let reviewer: string;
  let applicationId: string;
  let appKey: string;
  const keyPair = generateSm2KeyPair();

  /** The built CLI with a hub and a token, in its own folder. */
  const cli = (hub: CascadeHub, token: string, args: string[]): Promise<CliRun> => {
    const cwd = join(work, hub.code);
    mkdirSync(cwd, { recursive: true });
    return runCli([...args, '--hub', hub.url], {
      cwd,
      env: { MINJIANG_TOKEN: token, MINJIANG_CONFIG_DIR: join(cwd, 'config'), MINJIANG_KEYRING: 'off' },
    });
  };
  /** The routed application as Fuzhou's consumer reads it. */
  const routedAtFuzhou = async () =>
    (
      await api<Application>(
        fuzhou,
        consumer,
        'GET',
        `/api/v1/applications/${encodeURIComponent(applicationId)}`,
      )
    ).body;
  const ok = (run: CliRun) => {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return run.json as Application;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'minjiang-routing-'));
    world = await startRoutedWorld(7, ROWS);
    ({ fuzhou, xiamen, consumer, reviewer } = world);
  }, 120_000);

  afterAll(async () => {
    await world?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("applies at Fuzhou with the CLI for Xiamen's resource; Xiamen's provider approves with the CLI", async () => {
    const chinaDay = (offset: number) =>
      new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const file = join(work, 'application.yaml');
    writeFileSync(
      file,
      `resourceCode: '${world.code}'\nitems: [公民身份号码, 姓名]\npurposeCode: SCJG-0101\n` +
        `purpose: 企业开办时核验法定代表人身份\nscenario: { class: 政务服务, description: 企业开办一件事 }\n` +
        `legalBasis: 《中华人民共和国市场主体登记管理条例》第十二条\nmode: API\n` +
        `period: { from: '${chinaDay(0)}', to: '${chinaDay(300)}' }\nexpectedVolume: { perDay: 100 }\n` +
        `contact: { name: 林晓, phone: 0591-87654321 }\n` +
        `securityCommitment: { accepted: true, text: 仅用于企业登记核验。 }\n`,
    );
    const applied = await cli(fuzhou, consumer, ['share', 'apply', '--file', file, '--json']);
    assertSchema('share-apply', applied.json);
    const routed = ok(applied);
    applicationId = routed.id;
    expect(routed.id).toMatch(/^urn:ses:app:350100:/);
    expect(routed.routed).toMatchObject({ owner: XIAMEN, via: [FUZHOU, '350000', XIAMEN] });
    const atXiamen = await api<{ items: { id: string; applicant: string }[] }>(
      xiamen,
      xiamen.adminToken,
      'GET',
      '/api/v1/applications',
    );
    const [remote] = atXiamen.body.items;
    expect(remote).toMatchObject({ applicant: APPLICANT_ID });
    ok(await cli(xiamen, xiamen.adminToken, ['share', 'review', remote!.id, 'approve', '--json']));
    const approved = ok(await cli(xiamen, reviewer, ['share', 'review', remote!.id, 'approve', '--json']));
    expect(approved.state).toBe('APPROVED');
    const seen = await eventually(
      async () => ok(await cli(fuzhou, consumer, ['share', 'status', applicationId, '--json'])),
      (app) => JSON.stringify(app).includes('APPROVED'),
    );
    expect(JSON.stringify(seen)).toContain('APPROVED');
    assertSchema('share-status', seen);
    const listed = await cli(fuzhou, consumer, ['share', 'list', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    assertSchema('share-list', listed.json);
    expect((listed.json as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([
      applicationId,
    ]);
    const view = await routedAtFuzhou();
    expect(view.grant).toMatch(/^urn:ses:grant:350200:/);
    const grant = await api<{ envelope: unknown; items: string[] }>(
      fuzhou,
      consumer,
      'GET',
      `/api/v1/grants/${encodeURIComponent(view.grant!)}`,
    );
    expect(grant.body.items).toEqual(['公民身份号码', '姓名']);
    const key = await api<{ publicKey: string }>(xiamen, xiamen.adminToken, 'GET', '/api/v1/hub/key');
    expect(openDsse(grant.body.envelope, key.body.publicKey)).toMatchObject({ uid: view.grant });
  });

  it('registers an SM2 key while Xiamen is down: it reaches Xiamen once after it returns, and the application turns ACTIVE', async () => {
    const view = await routedAtFuzhou();
    const path = `/api/v1/grants/${encodeURIComponent(view.grant!)}/credentials`;
    // The grant is Xiamen's: the CLI verifies it with the key the province vouched for.
    const hmac = await api<{ code: string; hint: string }>(fuzhou, consumer, 'POST', path, {});
    expect(hmac.status).toBe(422);
    expect(hmac.body.code).toBe('HUB_ERR_CASCADE_ROUTED_HMAC');
    await xiamen.stop();
    const run = await cli(fuzhou, consumer, [
      'share',
      'credentials',
      view.grant!,
      '--public-key',
      keyPair.publicKey,
      '--json',
    ]);
    assertSchema('share-credentials', run.json);
    const issued = {
      status: run.status,
      body: (run.json as { issued: { appKey: string; alg: string } }).issued,
    };
    expect(run.status, run.stderr).toBe(0);
    expect(issued.body.alg).toBe('sm2-sm3');
    appKey = issued.body.appKey;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await xiamen.start();
    const active = await eventually(routedAtFuzhou, (app) => app.state === 'ACTIVE', 60);
    expect(active.state).toBe('ACTIVE');
    const credentials = await api<{ items: { appKey: string; status: string }[] }>(
      xiamen,
      xiamen.adminToken,
      'GET',
      `/api/v1/grants/${encodeURIComponent(view.grant!)}/credentials`,
    );
    expect(credentials.body.items).toEqual([
      expect.objectContaining({ appKey: issued.body.appKey, status: 'active' }),
    ]);
    const auditors = new Map<CascadeHub, string>();
    for (const hub of [fuzhou, xiamen]) {
      const body = { orgId: hubOrganisationId(hub.code), name: 'e2e auditor', roles: ['auditor'] };
      auditors.set(
        hub,
        (await api<{ token: string }>(hub, hub.adminToken, 'POST', '/api/v1/tokens', body)).body.token,
      );
    }
    const audit = (hub: CascadeHub, action: string, object: string) =>
      api<{ items: unknown[] }>(
        hub,
        auditors.get(hub)!,
        'GET',
        `/api/v1/audit?action=${action}&object=${encodeURIComponent(object)}&limit=100`,
      );
    expect((await audit(xiamen, 'grant.credential_issue', view.grant!)).body.items).toHaveLength(1);
    // Every step at Xiamen but the filing itself came back to Fuzhou once, whatever was retried.
    const remote = await api<{ items: { id: string }[] }>(
      xiamen,
      xiamen.adminToken,
      'GET',
      '/api/v1/applications',
    );
    const steps = await api<{ history: unknown[] }>(
      xiamen,
      xiamen.adminToken,
      'GET',
      `/api/v1/applications/${encodeURIComponent(remote.body.items[0]!.id)}`,
    );
    const events = await eventually(
      async () => (await audit(fuzhou, 'app.cascade.application.event', applicationId)).body.items,
      (items) => items.length >= steps.body.history.length - 1,
    );
    expect(events).toHaveLength(steps.body.history.length - 1);
  }, 120_000);

  it('queries with the CLI at Fuzhou under the Xiamen grant: relayed through the province, answered by Xiamen', async () => {
    const view = await routedAtFuzhou();
    const id = ROWS[0]![0]!;
    const run = await runCli(
      ['share', 'query', view.grant!, '--where', `GMSFHM=${id}`, '--json', '--hub', fuzhou.url],
      {
        cwd: join(work, FUZHOU),
        env: {
          MINJIANG_TOKEN: consumer,
          MINJIANG_CONFIG_DIR: join(work, FUZHOU, 'config'),
          MINJIANG_KEYRING: 'off',
          MINJIANG_APP_KEY: appKey,
          MINJIANG_APP_SECRET: '',
          MINJIANG_APP_PRIVATE_KEY: keyPair.privateKey,
        },
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    assertSchema('share-query', run.json);
    const rows = (run.json as { rows: Record<string, string>[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.GMSFHM).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
  }, 120_000);
});

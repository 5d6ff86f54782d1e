/**
 * Issue 9: the escalation scheduler is safe on several hub processes. Two real hub processes
 * (test/e2e/fixtures/hub-with-clock.mjs, the built hub) share one fresh PostgreSQL database and
 * sweep every second, on a clock the test moves through a file. An overdue problem ticket (from a
 * real submission with bad rows), an application left in PRECHECK and a demand left ROUTED must
 * each be escalated exactly once — one audit entry, one state change — and each webhook must
 * receive each notification exactly once, validly signed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberId, openDatabase, type HubDatabase } from '@minjiang/hub';
import { HubClient, readCatalogFile } from '@minjiang/sdk';
import { codeTable, verifyWebhookSignature, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { assertSchema, runCli, type CliRun } from './cli-harness.js';
import {
  pause,
  setClock,
  startHubProcess,
  startReceiver,
  stopHubProcess,
  until,
  type Delivery,
  type HubProcess,
} from './fixtures/hub-with-clock.js';

const CATALOG = fileURLToPath(new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url));
const DATA = fileURLToPath(new URL('../../fixtures/data/household-population.csv', import.meta.url));
const CODE = '3350010001/000001'; // 常住人口基本信息, provided by 福建省公安厅 (GAT)
const org = (code: string) =>
  memberId('350000', String(codeTable('fujian-departments').data.find((row) => row.code === code)?.uscc));
const GAT = org('GAT');
const SCJG = org('SCJG');

/** Wednesday 2 December 2026, 10:00 China time: everything is filed. */
const T0 = new Date('2026-12-02T02:00:00Z');
/** Tuesday the 8th: past the precheck (Fri 4th), the demand's and the ticket's deadlines (Mon 7th). */
const T1 = new Date('2026-12-08T02:00:00Z');
/** Thursday the 10th: past the ticket's second level (Wed 9th), before the escalation's own deadline. */
const T2 = new Date('2026-12-10T02:00:00Z');
const SLA_EVENTS = ['application.sla_breach', 'demand.sla_breach', 'ticket.sla_breach'];

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
const DEMAND = `subject: 企业登记人员户籍核验
description: 企业开办时核验法定代表人的户籍信息
wantedItems: [公民身份号码, 姓名, 户籍地址]
purpose: 企业开办一网通办
legalBasis: 《优化营商环境条例》第十九条
scenario: 政务服务
urgency: NORMAL
contact: { name: 林晓, phone: 0591-87654321 }
`;

// Two processes on one PostgreSQL database when a server is configured (CI): the case the
// claims exist for. Without one (a fresh machine), the same days on one process and SQLite —
// several processes on one SQLite file are not a deployment the hub supports.
const setup = process.env.MINJIANG_TEST_DATABASE_URL
  ? { engine: 'postgres' as const, processes: 2, name: 'two hub processes sharing one PostgreSQL' }
  : { engine: 'sqlite' as const, processes: 1, name: 'one hub process on SQLite' };

describe(`escalation scheduler on ${setup.name}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-escalation-e2e-'));
  const clockFile = join(work, 'clock');
  const deliveries: Delivery[] = [];
  const hubs: HubProcess[] = [];
  const tokens = { admin: '', gat: '', scjg: '' };
  const secrets = { platform: '', gat: '' };
  const ids = { ticket: '', application: '', demand: '' };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let store: HubDatabase;

  /** One of the processes (the only one on SQLite). */
  const hubAt = (index: number): HubProcess => hubs[index % hubs.length] as HubProcess;

  /** The CLI as a party, against one of the two processes. */
  const as = (party: keyof typeof tokens, args: string[], hub = 0): Promise<CliRun> =>
    runCli(args, {
      cwd: work,
      env: {
        MINJIANG_HUB: hubAt(hub).address,
        MINJIANG_TOKEN: tokens[party],
        MINJIANG_CONFIG_DIR: join(work, `config-${party}`),
      },
    });

  async function ok(run: Promise<CliRun>, status = 0): Promise<Record<string, unknown>> {
    const done = await run;
    expect(done.status, done.stdout + done.stderr).toBe(status);
    return done.json as Record<string, unknown>;
  }

  async function startHubs(databaseUrl: string | undefined): Promise<void> {
    setClock(clockFile, T0);
    const env = {
      ...process.env,
      ...(databaseUrl ? { MINJIANG_DATABASE_URL: databaseUrl } : {}),
      MINJIANG_HUB_CONFIG: join(work, 'no-hub.json'),
      MINJIANG_LOG_LEVEL: 'warn',
      MINJIANG_SCHEDULER_INTERVAL: '1',
      // Short deadlines (weekends only, no holiday calendar), so one clock step passes them all.
      MINJIANG_DEADLINE_DAYS: '{"precheck":2,"demand":3}',
      MINJIANG_PROBLEM_DEADLINE_DAYS: '3',
      MINJIANG_TICKET_ESCALATION_DAYS: '2',
    };
    // The first initialises the hub (admin token); the second joins the same database.
    hubs.push(await startHubProcess(clockFile, { ...env, MINJIANG_DATA_DIR: join(work, 'a') }, true));
    if (setup.processes === 2)
      hubs.push(await startHubProcess(clockFile, { ...env, MINJIANG_DATA_DIR: join(work, 'b') }, false));
    tokens.admin = String(hubs[0]?.adminToken);
  }

  /** Officers of GAT (provider, owns the resource) and SCJG (applicant, requester); the resource published. */
  async function prepareParties(): Promise<void> {
    const admin = new HubClient({ baseURL: hubAt(0).address, token: tokens.admin });
    for (const [party, orgId] of [
      ['gat', GAT],
      ['scjg', SCJG],
    ] as const) {
      const { data } = await admin.transport.request<{ token: string }>({
        method: 'POST',
        path: '/api/v1/tokens',
        body: { orgId, name: `escalation e2e ${party}`, roles: ['officer'] },
      });
      tokens[party] = data.token;
    }
    const resource = (await readCatalogFile(CATALOG)).resources.find(
      (r) => (r as CatalogResource).code === CODE,
    ) as CatalogResource;
    // Written through the second process, published through the first: one hub, two processes.
    const officer = new HubClient({ baseURL: hubAt(1).address, token: tokens.gat });
    await officer.putResource(resource);
    await officer.submitResource(CODE);
    await admin.approveResource(CODE);
    await Promise.all([officer.close(), admin.close()]);
  }

  async function registerWebhooks(): Promise<void> {
    const events = SLA_EVENTS.flatMap((event) => ['--event', event]);
    const platform = await ok(
      as('admin', ['webhook', 'add', `${receiver.url}/platform`, ...events, '--json']),
    );
    const gat = await ok(
      as('gat', ['webhook', 'add', `${receiver.url}/gat`, '--event', 'ticket.sla_breach', '--json'], 1),
    );
    expect(platform.platform).toBe(true);
    secrets.platform = String(platform.secret);
    secrets.gat = String(gat.secret);
  }

  beforeAll(async () => {
    database = setup.engine === 'postgres' ? await freshDatabase('postgres') : undefined;
    receiver = await startReceiver(deliveries);
    await startHubs(database?.databaseUrl);
    // The test reads what the hubs wrote: their database, or the first one's SQLite file.
    store = await openDatabase({ databaseUrl: database?.databaseUrl, dataDir: join(work, 'a'), poolSize: 2 });
    await prepareParties();
    await registerWebhooks();
    writeFileSync(join(work, '申请.yaml'), APPLICATION);
    writeFileSync(join(work, '需求.yaml'), DEMAND);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(hubs.map(stopHubProcess));
    await new Promise((resolve) => receiver?.server.close(resolve));
    await store?.close();
    await database?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** Deliveries by webhook, event and subject: how many times each arrived. */
  function tally(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const delivery of deliveries) {
      const body = JSON.parse(delivery.body) as { subject: { id: string }; level?: number };
      const key = `${delivery.path} ${delivery.event} ${body.subject.id}${body.level ? ` L${body.level}` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  async function auditCount(object: string, action: string): Promise<number> {
    const rows = await store.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('object', '=', object)
      .where('action', '=', action)
      .execute();
    return rows.length;
  }

  /** Each delivery signed with its webhook's secret at the hub's (moved) clock, and none sent twice. */
  function expectSigned(sent: Delivery[], at: Date): void {
    for (const delivery of sent) {
      const secret = delivery.path === '/gat' ? secrets.gat : secrets.platform;
      const verdict = verifyWebhookSignature({
        body: delivery.body,
        header: delivery.signature,
        secret,
        now: at,
      });
      expect(verdict, delivery.id).toMatchObject({ valid: true });
    }
    expect(new Set(deliveries.map((delivery) => delivery.id)).size).toBe(deliveries.length);
  }

  it('files an overdue-to-be ticket, application and demand through the built CLI', async () => {
    const submitted = await ok(as('gat', ['data', 'submit', DATA, '--resource', CODE, '--json'], 1), 1);
    ids.ticket = String((submitted.result as { ticket: string }).ticket);
    const applied = await ok(as('scjg', ['share', 'apply', '--file', '申请.yaml', '--json']));
    ids.application = String(applied.id);
    expect(applied.state).toBe('PRECHECK');
    const demand = await ok(
      as('scjg', ['demand', 'create', '--file', '需求.yaml', '--provider', GAT, '--json'], 1),
    );
    ids.demand = String(demand.id);
    expect(demand.state).toBe('ROUTED');
    // Both schedulers have been running all along: nothing is due yet.
    await pause(2500);
    expect(deliveries).toEqual([]);
  }, 180_000);

  it('past the deadlines, escalates each item once and delivers each notification once, signed', async () => {
    setClock(clockFile, T1);
    await until('four deliveries', () => deliveries.length >= 4);
    // Several more rounds of both schedulers: nothing may come twice.
    await pause(3500);
    const { ticket, application, demand } = ids;
    expect(tally()).toEqual({
      [`/platform application.sla_breach ${application}`]: 1,
      [`/platform demand.sla_breach ${demand}`]: 1,
      [`/platform ticket.sla_breach ${ticket} L1`]: 1,
      [`/gat ticket.sla_breach ${ticket} L1`]: 1,
    });
    expectSigned(deliveries, T1);
    expect(await auditCount(ticket, 'governance.ticket.sla_breach')).toBe(1);
    expect(await auditCount(application, 'app.sla_breach')).toBe(1);
    expect(await auditCount(demand, 'demand.deadline')).toBe(1);
    // Every queued notification was sent by one process, once: delivered at the first attempt.
    const outbox = await store.db.selectFrom('notification_outbox').select(['status', 'attempts']).execute();
    expect(outbox).toHaveLength(4);
    for (const row of outbox)
      expect({ ...row, attempts: Number(row.attempts) }).toEqual({ status: 'delivered', attempts: 1 });

    const status = await ok(as('scjg', ['share', 'status', application, '--json'], 1));
    expect(status.state).toBe('ESCALATED');
    const shown = await ok(as('scjg', ['demand', 'show', demand, '--json']));
    expect(shown).toMatchObject({ state: 'ROUTED', breachedAt: T1.toISOString() });
    const list = await as('gat', ['feedback', 'list', '--json']);
    assertSchema('feedback-list', list.json);
    const [listed] = (list.json as { items: { id: string; status: string; escalation?: object }[] }).items;
    expect(listed).toMatchObject({
      id: ticket,
      status: 'open',
      escalation: { level: 1, at: T1.toISOString() },
    });
    const human = await as('gat', ['feedback', 'list'], 1);
    expect(human.stdout).toMatch(new RegExp(`^${ticket}  open .*已逾期督办（第1级）$`, 'm'));
  }, 180_000);

  it('still overdue two working days later, escalates the ticket a second time, once', async () => {
    setClock(clockFile, T2);
    await until('six deliveries', () => deliveries.length >= 6);
    await pause(3500);
    const { ticket } = ids;
    expect(tally()).toMatchObject({
      [`/platform ticket.sla_breach ${ticket} L2`]: 1,
      [`/gat ticket.sla_breach ${ticket} L2`]: 1,
    });
    expect(deliveries).toHaveLength(6);
    expectSigned(deliveries.slice(4), T2);
    expect(await auditCount(ticket, 'governance.ticket.sla_breach')).toBe(2);
    expect(await auditCount(ids.application, 'app.sla_breach')).toBe(1);
    expect(await auditCount(ids.demand, 'demand.deadline')).toBe(1);
    const list = await as('gat', ['feedback', 'list', '--lang', 'en']);
    expect(list.stdout).toContain('overdue, escalated (level 2)');
    // Both processes served to the end, and neither logged a failed scheduler round.
    for (const hub of hubs) {
      expect(hub.child.exitCode).toBeNull();
      expect(hub.stderr()).not.toContain('scheduler round failed');
    }
  }, 180_000);
});

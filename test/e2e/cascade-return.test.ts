/**
 * Return flow 回流 end to end (issue 8, docs/cascade-return.md): a province and Fuzhou on loopback,
 * their keys pinned as after approval. The province publishes a resource with person rows in
 * Fuzhou and Xiamen; its admin subscribes Fuzhou with the built CLI, Fuzhou's admin pulls with
 * `minjiang cascade return sync`, the province goes down and comes back, and only Fuzhou's rows,
 * verified against the province's state digest, ever reach the city (Fuzhou on PostgreSQL when
 * MINJIANG_TEST_DATABASE_URL is set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntry, resourceCode } from '../../packages/hub/test-utils/catalog.js';
import { HEADER, person } from '../../packages/hub/test-utils/governance.js';
import { department, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { deleteKeys, storedRow, storeRows } from '../../packages/hub/src/modules/aggregation/row-store.js';
import { pinCity, publish, startCascadeHub, type CascadeHub } from './cascade-harness.js';
import { assertSchema, runCli, type CliRun } from './cli-harness.js';

const FUZHOU = '350100';
const CODE = resourceCode(1);

interface Pull {
  rows: number;
  verification: string;
  error: { code: string } | null;
}

function personRow(n: number, region: string): Record<string, string> {
  const values = person(n);
  values[5] = region;
  return Object.fromEntries(HEADER.map((item, i) => [item, values[i] ?? '']));
}

describe('return flow: province rows of a city’s region reach the city, verified', () => {
  let province: CascadeHub;
  let fuzhou: CascadeHub;
  let subscription: string;
  let disposeCityDb: () => Promise<void> = async () => undefined;

  const store = (hub: CascadeHub) =>
    (hub.server as unknown as { hub: { store: { db: never; engine: 'sqlite' | 'postgres' } } }).hub.store;
  async function putRows(rows: Record<string, string>[]) {
    const { db, engine } = store(province);
    const stored = rows.map((row) => storedRow([row['公民身份号码'] ?? ''], row));
    await (db as { transaction(): { execute(f: (trx: never) => Promise<unknown>): Promise<unknown> } })
      .transaction()
      .execute((trx) => storeRows(trx, engine, CODE, 'S-e2e', stored, new Date().toISOString()));
  }
  async function cli(hub: CascadeHub, schema: string, ...args: string[]): Promise<CliRun> {
    const run = await runCli(['cascade', 'return', ...args, '--json', '--hub', hub.url], {
      env: { MINJIANG_TOKEN: hub.adminToken },
    });
    if (run.json !== undefined && (run.json as { error?: unknown }).error === undefined)
      assertSchema(schema, run.json);
    return run;
  }
  const sync = async (...flags: string[]) => {
    const run = await cli(fuzhou, 'cascade-return-sync', 'sync', ...flags);
    return { ...run, pull: (run.json as { pulls: Pull[] }).pulls[0] as Pull };
  };
  async function cityRows(): Promise<{ row: Record<string, string | null> }[]> {
    const url = `${fuzhou.url}/api/v1/cascade/return/${subscription}/rows?limit=1000`;
    const answer = await fetch(url, { headers: { authorization: `Bearer ${fuzhou.adminToken}` } });
    return ((await answer.json()) as { items: { row: Record<string, string | null> }[] }).items;
  }

  beforeAll(async () => {
    province = await startCascadeHub('350000');
    // Fuzhou keeps its copy in PostgreSQL when the tests have one.
    let databaseUrl: string | undefined;
    if (process.env.MINJIANG_TEST_DATABASE_URL) {
      const database = await freshDatabase('postgres');
      databaseUrl = database.databaseUrl;
      disposeCityDb = database.dispose;
    }
    fuzhou = await startCascadeHub(FUZHOU, {
      parentUrl: province.url,
      config: { cascadeNudgeGap: 0 },
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    await pinCity(province, fuzhou);
    const officer = await fetch(`${province.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${province.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orgId: department('GAT').id, name: 'e2e officer', roles: ['officer'] }),
    });
    province.officerToken = ((await officer.json()) as { token: string }).token;
    await publish(province, catalogEntry(1));
    await putRows([1, 2, 3, 4].map((n) => personRow(n, '350102')));
    await putRows([personRow(5, '350203'), personRow(6, '350206')]);
  }, 120_000);

  afterAll(async () => {
    await fuzhou?.dispose();
    await disposeCityDb();
    await province?.dispose();
  });

  it('subscribes Fuzhou with the CLI and copies only its rows, verified', async () => {
    const made = await cli(
      province,
      'cascade-return-subscribe',
      'subscribe',
      ...['--child', FUZHOU, '--resource', CODE, '--region-item', 'HJDQH', '--prefix', '3501'],
      ...['--items', 'XM,CSRQ,HJDQH', '--masking', 'MP-STD-01', '--reason', '福州回流试点'],
    );
    expect(made.status, made.stderr).toBe(0);
    subscription = (made.json as { id: string }).id;
    const first = await sync();
    expect(first.status, first.stderr).toBe(0);
    expect(first.pull).toMatchObject({ rows: 4, verification: 'verified', error: null });
    const rows = await cityRows();
    expect(rows).toHaveLength(4);
    expect(rows.every(({ row }) => String(row['HJDQH']).startsWith('3501'))).toBe(true);
    const list = await cli(province, 'cascade-return-list', 'list');
    expect(list.json).toMatchObject({
      role: 'province',
      subscriptions: [{ id: subscription, child: FUZHOU }],
    });
  });

  it('brings increments; while the province is down it fails with exit 6 and resumes after', async () => {
    await putRows([personRow(7, '350104')]);
    const { db } = store(province);
    await (db as { transaction(): { execute(f: (trx: never) => Promise<unknown>): Promise<unknown> } })
      .transaction()
      .execute((trx) => deleteKeys(trx, CODE, [JSON.stringify([personRow(2, '350102')['公民身份号码']])]));
    await province.stop();
    const down = await sync();
    expect(down.status).toBe(6);
    expect(down.pull.error?.code).toBe('HUB_ERR_CASCADE_UNREACHABLE');
    const status = await cli(fuzhou, 'cascade-return-status', 'status');
    expect(status.status).toBe(6);
    await province.start();
    const back = await sync();
    expect(back.status, back.stderr).toBe(0);
    expect(back.pull).toMatchObject({ rows: 4, verification: 'verified', error: null });
    expect(await cityRows()).toHaveLength(4);
    const verified = await cli(fuzhou, 'cascade-return-status', 'status', subscription);
    expect(verified.status).toBe(0);
    expect(verified.json).toMatchObject({ copies: [{ subscription, rows: 4, verification: 'verified' }] });
  });

  it('the province pushes: after a successful write there, the city pulls by itself', async () => {
    await putRows([personRow(8, '350111')]);
    // Any write that succeeded at the province (here an admin issuing a token) triggers the push.
    const write = await fetch(`${province.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${province.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orgId: department('GAT').id, name: 'e2e reader', roles: ['auditor'] }),
    });
    expect(write.status).toBeLessThan(300);
    let rows = 0;
    for (let tries = 0; tries < 100 && rows !== 5; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = (await cityRows()).length;
    }
    expect(rows).toBe(5);
    const status = await cli(fuzhou, 'cascade-return-status', 'status');
    expect(status.json).toMatchObject({ copies: [{ rows: 5, verification: 'verified' }] });
  });

  it('revokes with the CLI: the city empties its copy on its next pull', async () => {
    const noReason = await runCli(
      ['cascade', 'return', 'revoke', subscription, '--json', '--hub', province.url],
      {
        env: { MINJIANG_TOKEN: province.adminToken },
      },
    );
    expect(noReason.status).toBe(2);
    const revoked = await cli(
      province,
      'cascade-return-revoke',
      'revoke',
      subscription,
      '--reason',
      '试点结束',
    );
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.json).toMatchObject({ id: subscription, state: 'REVOKED', reason: '试点结束' });
    const pulled = await cli(fuzhou, 'cascade-return-sync', 'sync');
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.json).toEqual({ pulls: [] });
    expect(await cityRows()).toEqual([]);
    const status = await cli(fuzhou, 'cascade-return-status', 'status');
    expect(status.json).toMatchObject({ copies: [{ subscription, state: 'REVOKED', rows: 0 }] });
  });
});

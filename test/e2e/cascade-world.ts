/**
 * The three-hub world of the cascade end-to-end tests: a province and two cities on loopback,
 * each with its own data (Xiamen on PostgreSQL when MINJIANG_TEST_DATABASE_URL is set, else
 * SQLite like the others), their node keys pinned as after approval; and, for the routing tests,
 * a Fuzhou department that applies, a Xiamen reviewer, and a Xiamen resource with rows that the
 * province holds as a federated entry.
 */
import { hubOrganisationId, type HubConfig, type HubDatabase } from '@minjiang/hub';
import { expect } from 'vitest';
import { storedRow, storeRows } from '../../packages/hub/src/modules/aggregation/row-store.js';
import { cityEntry } from '../../packages/hub/test-utils/cascade.js';
import { resourceCode } from '../../packages/hub/test-utils/catalog.js';
import { HEADER } from '../../packages/hub/test-utils/governance.js';
import { freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { call, pinCity, publish, startCascadeHub, type CascadeHub } from './cascade-harness.js';
import { runCli } from './cli-harness.js';

export const FUZHOU = '350100';
export const XIAMEN = '350200';
/** Fuzhou's applying department (another USCC than the department both cities seed for tests). */
export const APPLICANT = { name: '福州市数据管理局', uscc: '11350100FJ0200078E' };
export const APPLICANT_ID = `${FUZHOU}/GOV/${APPLICANT.uscc}`;
/** Xiamen's engine: PostgreSQL when the test server is given, else SQLite like the others. */
export const XIAMEN_ENGINE = process.env.MINJIANG_TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';

export interface ThreeHubs {
  province: CascadeHub;
  fuzhou: CascadeHub;
  xiamen: CascadeHub;
  dispose(): Promise<void>;
}

/** A JSON call to a hub with a bearer token; throws on a refusal, with its status and body. */
export function hubApi<T>(hub: CascadeHub, token: string, method: string, path: string, body?: unknown) {
  return call<T>(hub.url, token, method, path, body);
}

/** Reads until `done` holds or the time is up; answers the last reading either way. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The province and the two cities, pinned; the cities do not nudge unless the test asks. */
export async function startThreeHubs(
  config: { province?: Partial<HubConfig>; cities?: Partial<HubConfig> } = {},
): Promise<ThreeHubs> {
  const province = await startCascadeHub('350000', { config: config.province ?? {} });
  const cities = { cascadeNudgeGap: 0, ...config.cities };
  const fuzhou = await startCascadeHub(FUZHOU, { parentUrl: province.url, config: cities });
  const database = process.env.MINJIANG_TEST_DATABASE_URL ? await freshDatabase('postgres') : undefined;
  const xiamen = await startCascadeHub(XIAMEN, {
    parentUrl: province.url,
    config: cities,
    ...(database ? { databaseUrl: database.databaseUrl } : {}),
  });
  await pinCity(province, fuzhou);
  await pinCity(province, xiamen);
  return {
    province,
    fuzhou,
    xiamen,
    dispose: async () => {
      await fuzhou.dispose();
      await xiamen.dispose();
      await database?.dispose();
      await province.dispose();
    },
  };
}

export interface RoutedWorld extends ThreeHubs {
  /** An officer token of Fuzhou's applying department. */
  consumer: string;
  /** A reviewer token of Xiamen's providing department. */
  reviewer: string;
  /** Xiamen's published resource, with its rows stored and its entry synced to the province. */
  code: string;
}

/** Three hubs, a Fuzhou applicant, a Xiamen reviewer, and Xiamen's resource `n` holding `rows`. */
export async function startRoutedWorld(n: number, rows: string[][]): Promise<RoutedWorld> {
  const hubs = await startThreeHubs();
  const { province, fuzhou, xiamen } = hubs;
  await hubApi(fuzhou, fuzhou.adminToken, 'POST', '/api/v1/organisations', {
    id: APPLICANT_ID,
    ...APPLICANT,
    kind: 'department',
    regionCode: FUZHOU,
    platformCode: FUZHOU,
    memberClass: 'GOV',
    status: 'ACTIVE',
    parent: hubOrganisationId(FUZHOU),
  });
  const token = (hub: CascadeHub, orgId: string, name: string, role: string) =>
    hubApi<{ token: string }>(hub, hub.adminToken, 'POST', '/api/v1/tokens', { orgId, name, roles: [role] });
  const consumer = (await token(fuzhou, APPLICANT_ID, 'e2e consumer', 'officer')).token;
  const reviewer = (await token(xiamen, `${XIAMEN}/GOV/11350100FJ01000501`, 'e2e reviewer', 'reviewer'))
    .token;
  const code = resourceCode(n);
  await publish(xiamen, cityEntry(n, {}, XIAMEN));
  const store = (xiamen.server as unknown as { hub: { store: HubDatabase } }).hub.store;
  const stored = rows.map((values) =>
    storedRow([values[0]!], Object.fromEntries(HEADER.map((name, i) => [name, values[i] ?? '']))),
  );
  await store.db
    .transaction()
    .execute((trx) => storeRows(trx, store.engine, code, 'S-e2e', stored, new Date().toISOString()));
  const sync = await runCli(['cascade', 'sync', XIAMEN, '--json', '--hub', province.url], {
    env: { MINJIANG_TOKEN: province.adminToken },
  });
  expect(sync.status, sync.stderr).toBe(0);
  return { ...hubs, consumer, reviewer, code };
}

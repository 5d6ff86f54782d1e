/**
 * Hubs for cascade tests: a city hub (its own platform, one department of the city with an
 * officer, and a token per role) and the rows that make a province and a city trust each other
 * as an approved registration would (docs/cascade-api.md "Registration and approval").
 */
import type { CatalogResource } from '@minjiang/standards';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { HubConfig } from '../src/config.js';
import type { Engine } from '../src/db/database.js';
import { createOrganisation } from '../src/modules/identity/service.js';
import { catalogEntry } from './catalog.js';
import { startTestHub, testHubOf, testToken, type TestHub } from './hub.js';

/** The city department whose officer registers the city's catalog (福州市市场监督管理局). */
export const CITY_DEPARTMENT = { name: '福州市市场监督管理局', uscc: '11350100FJ01000501' };

async function cityDepartment(hub: TestHub['app'], hubCode: string): Promise<string> {
  const id = `${hubCode}/GOV/${CITY_DEPARTMENT.uscc}`;
  const body = {
    id,
    ...CITY_DEPARTMENT,
    kind: 'department',
    regionCode: hubCode,
    platformCode: hubCode,
    memberClass: 'GOV',
    status: 'ACTIVE',
    parent: hubOrganisationId(hubCode),
  };
  await createOrganisation(hub, null, body, 'en');
  return id;
}

/** A city hub on a fresh database; its officer and reviewer belong to the city department. */
export async function buildCityHub(
  engine: Engine,
  hubCode = '350100',
  overrides: Partial<HubConfig> = {},
): Promise<TestHub> {
  const parent = { parentCode: '350000', parentUrl: 'http://127.0.0.1:9' };
  const started = await startTestHub(engine, { hubCode, role: 'city', ...parent, ...overrides });
  const { hub } = started;
  const department = await cityDepartment(hub, hubCode);
  const platform = hubOrganisationId(hubCode);
  const officer = await testToken(hub, department, ['officer']);
  const tokens = {
    admin: await testToken(hub, platform, ['admin']),
    auditor: await testToken(hub, platform, ['auditor']),
    officer,
    otherOfficer: officer,
    reviewer: await testToken(hub, department, ['reviewer']),
    consumer: await testToken(hub, department, ['consumer']),
  };
  return testHubOf(started, tokens);
}

/** Test resource `n` of the city department. */
export function cityEntry(
  n: number,
  overrides: Partial<CatalogResource> = {},
  hubCode = '350100',
): CatalogResource {
  return catalogEntry(n, {
    provider: { name: CITY_DEPARTMENT.name, uscc: CITY_DEPARTMENT.uscc, regionCode: hubCode },
    ...overrides,
  });
}

/**
 * Pins the two hubs' node keys to each other as an approved registration leaves them: the child
 * row at the province, the parent row at the city. `baseUrl` is where the city listens.
 */
export async function pinCascade(province: TestHub, city: TestHub, baseUrl: string): Promise<void> {
  const now = new Date().toISOString();
  const cityKey = city.app.hub.key;
  const provinceKey = province.app.hub.key;
  await province.app.hub.store.db
    .insertInto('cascade_children')
    .values({
      hub: city.config.hubCode,
      name: '福州市公共数据平台',
      region: city.config.hubCode,
      base_url: baseUrl,
      key_id: cityKey.keyId,
      public_key: cityKey.publicKey,
      state: 'APPROVED',
      reason: null,
      registration: '{}',
      registered_at: now,
      decided_at: now,
      decided_by: 'test',
    })
    .execute();
  await city.app.hub.store.db
    .insertInto('cascade_parent')
    .values({
      hub: province.config.hubCode,
      base_url: 'http://127.0.0.1:9',
      key_id: provinceKey.keyId,
      public_key: provinceKey.publicKey,
      state: 'APPROVED',
      reason: null,
      registered_at: now,
      updated_at: now,
    })
    .execute();
}

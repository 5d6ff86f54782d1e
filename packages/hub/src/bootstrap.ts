import { codeTable, orgCodeCheckChar, usccCheckChar } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { createOrganisation, createToken } from './modules/identity/service.js';

/** The data bureau runs the provincial hub; its department row becomes the province organisation. */
const PROVINCE_OPERATOR = 'SJJ';

/** What `hub init` created, with the one-time admin token. */
export interface InitResult {
  created: string[];
  skipped: string[];
  adminToken: { id: string; token: string; orgId: string } | null;
}

/**
 * An illustrative USCC for a city platform (registration authority 1, category 1, the city's
 * region code, organisation code PT + region). Real platforms replace it with their own.
 */
export function platformUscc(regionCode: string): string {
  const body = `PT${regionCode}`;
  const first17 = `11${regionCode}${body}${orgCodeCheckChar(body) ?? '0'}`;
  return `${first17}${usccCheckChar(first17) ?? '0'}`;
}

/** An organisation record of the standard (identity/organisation-1.0). */
interface Seed {
  id: string;
  name: string;
  kind: 'province' | 'city' | 'department';
  uscc: string;
  regionCode: string;
  platformCode: string;
  memberClass: 'GOV';
  status: 'ACTIVE';
  parent?: string;
  shortName?: string;
}

/** The member id of the standard: `{platform}/{class}/{USCC}` (exchange design §8.2). */
export function memberId(platformCode: string, uscc: string): string {
  return `${platformCode}/GOV/${uscc}`;
}

function seed(
  platformCode: string,
  row: { name: string; kind: Seed['kind']; uscc: string; regionCode: string },
  parent?: string,
): Seed {
  return {
    id: memberId(platformCode, row.uscc),
    platformCode,
    memberClass: 'GOV',
    status: 'ACTIVE',
    ...row,
    ...(parent ? { parent } : {}),
  };
}

/**
 * A city hub runs its own platform, under the province's (ORG-005 wants the parent); the
 * provincial departments lie outside its region (ORG-007) and are not seeded.
 */
function citySeeds(hubCode: string): Seed[] | null {
  const platforms = codeTable('fujian-platforms').data;
  const platform = platforms.find((row) => row.code === hubCode);
  const parentCode = typeof platform?.parent === 'string' ? platform.parent : '';
  if (platform?.role !== 'city' || !parentCode) return null;
  const operator = codeTable('fujian-departments').data.find((row) => row.code === PROVINCE_OPERATOR);
  const province = seed(parentCode, {
    name: operator?.label ?? '福建省数据管理局',
    kind: 'province',
    uscc: typeof operator?.uscc === 'string' ? operator.uscc : platformUscc(parentCode),
    regionCode: parentCode,
  });
  const city = seed(
    hubCode,
    { name: `${platform.label}公共数据平台`, kind: 'city', uscc: platformUscc(hubCode), regionCode: hubCode },
    province.id,
  );
  return [province, city];
}

function seeds(hubCode: string): Seed[] {
  const city = citySeeds(hubCode);
  if (city) return city;
  const departments = codeTable('fujian-departments').data;
  const operator = departments.find((row) => row.code === PROVINCE_OPERATOR);
  const province = seed(hubCode, {
    name: operator?.label ?? '福建省数据管理局',
    kind: 'province',
    uscc: typeof operator?.uscc === 'string' ? operator.uscc : platformUscc(hubCode),
    regionCode: hubCode,
  });
  const cities = codeTable('fujian-platforms')
    .data.filter((row) => row.role === 'city')
    .map((row) =>
      seed(
        row.code,
        {
          name: `${row.label}公共数据平台`,
          kind: 'city',
          uscc: platformUscc(row.code),
          regionCode: row.code,
        },
        province.id,
      ),
    );
  const depts = departments
    .filter((row) => row.code !== PROVINCE_OPERATOR)
    .map((row) => ({
      ...seed(
        hubCode,
        { name: row.label, kind: 'department', uscc: String(row.uscc), regionCode: String(row.regionCode) },
        province.id,
      ),
      ...((row.aliases ?? [])[0] ? { shortName: (row.aliases ?? [])[0] } : {}),
    }));
  return [province, ...cities, ...depts];
}

/** The id of the organisation that runs this hub: the province, or the city platform. */
export function hubOrganisationId(hubCode: string): string {
  return seeds(hubCode).find((row) => row.kind !== 'department' && row.regionCode === hubCode)?.id ?? hubCode;
}

/**
 * Creates the province, its ten city platforms and the provincial departments from the code
 * tables, and an admin token for the province. Safe to run again: what exists is skipped, and
 * a second admin token is issued only when asked.
 */
export async function initialiseHub(
  app: FastifyInstance,
  options: { issueAdminToken?: boolean } = {},
): Promise<InitResult> {
  const result: InitResult = { created: [], skipped: [], adminToken: null };
  for (const seed of seeds(app.hub.config.hubCode)) {
    const exists = await app.hub.store.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', seed.id)
      .executeTakeFirst();
    if (exists) {
      result.skipped.push(seed.id);
      continue;
    }
    await createOrganisation(app, null, seed, 'zh-CN');
    result.created.push(seed.id);
  }
  const operatorId = hubOrganisationId(app.hub.config.hubCode);
  if (options.issueAdminToken ?? result.created.includes(operatorId)) {
    const issued = await createToken(
      app,
      null,
      { orgId: operatorId, name: 'hub init admin', roles: ['admin'] },
      'zh-CN',
    );
    result.adminToken = { id: issued.id, token: issued.token, orgId: issued.orgId };
  }
  return result;
}

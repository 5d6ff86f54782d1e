/**
 * Setup of the exchange e2e test: the provider (公安厅) publishes 常住人口基本信息 and submits rows
 * with the CLI; consumers obtain grants through the whole CLI workflow (apply, platform precheck,
 * provider offer, accept) and save their credentials with `share credentials --save`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile } from '@minjiang/sdk';
import { codeTable, type CatalogResource } from '@minjiang/standards';
import { expect } from 'vitest';
import { residentId } from '../../scripts/fill-fix-sheet.js';
import { runCli, type CliRun, type TestHub } from './cli-harness.js';

export const CODE = '3350010001/000001';
const CATALOG = fileURLToPath(new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url));
const HEADER =
  '公民身份号码,姓名,曾用名,性别,民族,出生日期,出生地行政区划,户籍地址,户籍地行政区划,户号,与户主关系,更新时间';
const uscc = (code: string) =>
  String(codeTable('fujian-departments').data.find((row) => row.code === code)?.uscc);
export const PROVIDER = memberId('350000', uscc('GAT'));
export const OTHER_CONSUMER = memberId('350000', uscc('MZT'));

export type Party = 'admin' | 'provider' | 'reviewer' | 'consumer' | 'other' | 'auditor';

/** Six people: four registered in 鼓楼区 (350102), two in 台江区 (350103). */
export function people(): Record<string, string>[] {
  return Array.from({ length: 6 }, (_, i) => {
    const birth = `19${80 + i}-0${1 + i}-1${i}`;
    const region = i < 4 ? '350102' : '350103';
    return {
      公民身份号码: residentId(birth, 11 + i * 2),
      姓名: ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊'][i]!,
      曾用名: '',
      性别: '1',
      民族: '01',
      出生日期: birth,
      出生地行政区划: region,
      户籍地址: `福州市测试路${i + 1}号`,
      户籍地行政区划: region,
      户号: `3501${String(i).padStart(8, '0')}`,
      与户主关系: '02',
      更新时间: '2024-08-15 02:10:00',
    };
  });
}

export function peopleCsv(): string {
  const columns = HEADER.split(',');
  return `${[HEADER, ...people().map((row) => columns.map((c) => row[c] ?? '').join(','))].join('\n')}\n`;
}

/** The published resource, as the catalog fixture has it. */
export async function publishResource(hub: TestHub, tokens: Record<Party, string>): Promise<CatalogResource> {
  const catalog = await readCatalogFile(CATALOG);
  const resource = (catalog.resources as CatalogResource[]).find((r) => r.code === CODE)!;
  const officer = new HubClient({ baseURL: hub.address, token: tokens.provider });
  const admin = new HubClient({ baseURL: hub.address, token: tokens.admin });
  await officer.putResource(resource);
  await officer.submitResource(CODE);
  await admin.approveResource(CODE);
  await Promise.all([officer.close(), admin.close()]);
  return resource;
}

/** Tokens of every party, issued by the admin. */
export async function partyTokens(hub: TestHub, hubOrg: string): Promise<Record<Party, string>> {
  const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
  const token = async (orgId: string, roles: string[]) =>
    (
      await admin.transport.request<{ token: string }>({
        method: 'POST',
        path: '/api/v1/tokens',
        body: { orgId, name: `exchange e2e ${roles.join()}`, roles },
      })
    ).data.token;
  const tokens = {
    admin: hub.adminToken,
    consumer: hub.officerToken,
    provider: await token(PROVIDER, ['officer']),
    reviewer: await token(PROVIDER, ['reviewer']),
    other: await token(OTHER_CONSUMER, ['officer']),
    auditor: await token(hubOrg, ['auditor']),
  };
  await admin.close();
  return tokens;
}

/** A party's CLI: its token, its own config folder (file store: no keychain in tests) and folder. */
export function partyCli(work: string, hub: () => TestHub, tokens: Record<Party, string>) {
  return (party: Party, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
    const cwd = join(work, party);
    mkdirSync(cwd, { recursive: true });
    return runCli(args, {
      cwd,
      env: {
        MINJIANG_HUB: hub().address,
        MINJIANG_TOKEN: tokens[party],
        MINJIANG_CONFIG_DIR: join(cwd, 'config'),
        MINJIANG_KEYRING: 'off',
        MINJIANG_APP_KEY: '',
        MINJIANG_APP_SECRET: '',
        ...env,
      },
    });
  };
}

export interface GrantTerms {
  items: string[];
  mode: 'API' | 'VERIFY' | 'PACKAGE';
  perDay: number;
  rowFilter?: string;
}

export interface IssuedGrant {
  application: string;
  grant: string;
  appKey: string;
  secret: string;
}

function chinaDay(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Apply, precheck, offer, accept, credentials --save: a grant with its credential saved. */
export async function obtainGrant(
  cli: ReturnType<typeof partyCli>,
  work: string,
  party: 'consumer' | 'other',
  terms: GrantTerms,
): Promise<IssuedGrant> {
  const ok = (run: CliRun) => {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return run.json as { id: string; grant?: string };
  };
  const file = join(work, `${party}-${terms.mode}.yaml`);
  writeFileSync(
    file,
    `resourceCode: ${CODE}\nitems: [${terms.items.join(', ')}]\npurposeCode: '0101'\n` +
      `purpose: 办理登记时核验户籍信息\nscenario: { class: 政务服务, description: 登记受理时核验户籍 }\n` +
      `legalBasis: 《促进个体工商户发展条例》第十条\nmode: ${terms.mode}\n` +
      `period: { from: '${chinaDay()}', to: '${chinaDay(300)}' }\nexpectedVolume: { perDay: ${terms.perDay} }\n` +
      `contact: { name: 郭伟, phone: 0591-83361234 }\n` +
      `securityCommitment: { accepted: true, text: 严格按照批准用途使用数据，不批量留存。 }\n`,
  );
  const { id } = ok(await cli(party, ['share', 'apply', '--file', file, '--json']));
  ok(await cli('admin', ['share', 'review', id, 'approve', '--json']));
  const offer = ['share', 'review', id, 'offer', '--items', terms.items.join(','), '--mode', terms.mode];
  offer.push('--masking', 'MP-STD-01', '--per-day', String(terms.perDay));
  if (terms.rowFilter) offer.push('--row-filter', terms.rowFilter);
  ok(await cli('reviewer', [...offer, '--json']));
  const grant = String(ok(await cli(party, ['share', 'accept', id, '--json'])).grant);
  const issued = await cli(party, ['share', 'credentials', grant, '--save', '--json']);
  const result = ok(issued) as unknown as {
    issued: { appKey: string; secret: string };
    saved: { store: string; location: string };
  };
  expect(result.saved).toMatchObject({
    store: 'file',
    location: join(work, party, 'config', 'credentials.json'),
  });
  return { application: id, grant, appKey: result.issued.appKey, secret: result.issued.secret };
}

// The exchange part of `pnpm demo`: with the grant the sharing part issued, 福建省民政厅's systems
// query the data (masked), are refused an item they were not granted, run a verification (核验)
// under a VERIFY grant, download and verify a signed package under a PACKAGE grant; then the
// auditor exports the audit log and verifies it offline. Every step is the built CLI.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient } from '@minjiang/sdk';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** The first row of the fixture file: a valid person. */
const PERSON = { id: '350104198008068972', name: '林雅婷' };

/** The grant an approved application was given. */
export async function grantOf(address, token, id) {
  const client = new HubClient({ baseURL: address, token });
  const { data } = await client.transport.request({
    method: 'GET',
    path: `/api/v1/applications/${encodeURIComponent(id)}`,
  });
  await client.close();
  return data.grant;
}

/** Applies for `mode` with `items`, has it approved by the platform and the provider, saves the credential. */
async function grantFor(day, mode, items) {
  const { work, applicant, platform, reviewer, applicationOf } = day;
  writeFileSync(join(work, `申请-${mode}.json`), JSON.stringify({ ...applicationOf(items), mode }, null, 2));
  const applied = await applicant('share', 'apply', '--file', `申请-${mode}.json`);
  const id = /urn:ses:app:[0-9:]+/.exec(applied.stdout)[0];
  await platform('share', 'review', id, 'approve');
  await reviewer('share', 'review', id, 'approve', '--per-day', '1000');
  const grant = await grantOf(day.address, day.applicantToken, id);
  await applicant('share', 'credentials', grant, '--save');
  return grant;
}

/**
 * `day`: the share demo's hub — work folder, address, tokens, a CLI runner per party, the API
 * grant it issued, and how to write an application for some items.
 */
export async function runExchangeDay(day) {
  const { work, code, apiGrant, provider, applicant, auditor } = day;
  day.say('\n共享交换：按授权调用、核验、数据包与审计');
  copyFileSync(join(FIXTURES, 'data/household-population.csv'), join(work, '常住人口.csv'));
  await provider('data', 'submit', '常住人口.csv', '--resource', code);
  await applicant('share', 'query', apiGrant, '--limit', '3');
  await applicant('share', 'query', apiGrant, '--where', `GMSFHM=${PERSON.id}`);
  await applicant('share', 'query', apiGrant, '--fields', 'XB');
  const verifyGrant = await grantFor(day, 'VERIFY', ['公民身份号码', '姓名']);
  const subjects = [
    { ref: '1', GMSFHM: PERSON.id, XM: PERSON.name },
    { ref: '2', GMSFHM: PERSON.id, XM: '林雅琴' },
  ];
  writeFileSync(join(work, '核验.json'), JSON.stringify({ subjects }, null, 2));
  await applicant('share', 'verify', verifyGrant, '--file', '核验.json');
  const packageGrant = await grantFor(day, 'PACKAGE', ['公民身份号码', '姓名', '出生日期']);
  await applicant('share', 'download', packageGrant, '--out', '数据包');
  await auditor('audit', 'export', '--out', '审计日志.jsonl');
  await auditor('audit', 'verify', '审计日志.jsonl');
}

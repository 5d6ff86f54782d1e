// The sharing part of `pnpm demo`: 福建省民政厅 applies for 福建省公安厅's household-population
// resource with the built CLI; the platform prechecks it, the provider offers a narrower set of
// items, the applicant accepts, the hub issues a signed grant, and the applicant takes its
// credentials. Every step is the real CLI in a child process, each party with its own token.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient } from '@minjiang/sdk';
import { withEmbeddedHub } from './demo-cli.js';
import { publishResource } from './demo-data.js';
import { grantOf, runExchangeDay } from './demo-exchange.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const APPLICANT = '350000/GOV/11350000FJ0000025M';

/** A China date `days` after today. */
function chinaDate(days) {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function token(address, adminToken, orgId, role) {
  const admin = new HubClient({ baseURL: address, token: adminToken });
  const body = { orgId, name: `demo ${role}`, roles: [role] };
  const { data } = await admin.transport.request({ method: 'POST', path: '/api/v1/tokens', body });
  return data.token;
}

function applicationOf(code, items) {
  return {
    resourceCode: code,
    items,
    purposeCode: 'MZT-0301',
    purpose: '最低生活保障申请审核时核验申请人的身份和户籍信息',
    scenario: { class: '政务服务', description: '低保“一件事”联办' },
    legalBasis: '《社会救助暂行办法》第十一条',
    mode: 'API',
    period: { from: chinaDate(0), to: chinaDate(365) },
    expectedVolume: { perDay: 3000 },
    contact: { name: '陈敏', phone: '0591-87000000' },
    securityCommitment: { accepted: true, text: '仅用于低保审核，不向第三方提供，使用期满后删除。' },
  };
}

function applicationFile(work, code) {
  const items = ['公民身份号码', '姓名', '出生日期', '户籍地址'];
  writeFileSync(join(work, '共享申请.json'), JSON.stringify(applicationOf(code, items), null, 2));
  return '共享申请.json';
}

export async function runShareDemo(lang, say) {
  await withEmbeddedHub('minjiang-demo-share-', lang, say, async ({ work, address, adminToken, cli }) => {
    say(`\n共享申请与授权（${address}）`);
    const catalog = JSON.parse(readFileSync(join(FIXTURES, 'catalogs/fujian-province.json'), 'utf8'));
    const resource = catalog.resources.find((r) => r.name === '常住人口基本信息');
    const providerToken = await publishResource(address, adminToken, resource, say);
    const provider = `350000/GOV/${resource.provider.uscc}`;
    const applicantToken = await token(address, adminToken, APPLICANT, 'officer');
    const applicant = cli(applicantToken);
    const reviewer = cli(await token(address, adminToken, provider, 'reviewer'));
    const platform = cli(adminToken);
    const applied = await applicant('share', 'apply', '--file', applicationFile(work, resource.code));
    const id = /urn:ses:app:[0-9:]+/.exec(applied.stdout)[0];
    await applicant('share', 'status', id);
    await platform('share', 'review', id, 'approve');
    await reviewer(
      'share',
      'review',
      id,
      'offer',
      '--items',
      '公民身份号码,姓名',
      '--per-day',
      '1000',
      '--per-second',
      '5',
    );
    await applicant('share', 'status', id);
    await applicant('share', 'accept', id);
    await applicant('share', 'wait', id, '--timeout', '10s');
    await applicant('share', 'credentials', id, '--save');
    await applicant('share', 'show', id);
    const hubOrg = (await new HubClient({ baseURL: address, token: adminToken }).whoami()).organisation.id;
    await runExchangeDay({
      say,
      work,
      address,
      code: resource.code,
      applicantToken,
      apiGrant: await grantOf(address, applicantToken, id),
      applicant,
      platform,
      reviewer,
      provider: cli(providerToken),
      auditor: cli(await token(address, adminToken, hubOrg, 'auditor')),
      applicationOf: (items) => applicationOf(resource.code, items),
    });
  });
}

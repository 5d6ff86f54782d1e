// The data part of `pnpm demo`: the provincial public security department's officer submits its
// household-population file (with known bad rows) with the built CLI to an embedded hub, sees the
// problem ticket, pulls the fix sheet, corrects it, sends the corrections, and watches the ticket
// close and the quality score rise. Every step is the real CLI in a child process.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient } from '@minjiang/sdk';
import { withEmbeddedHub } from './demo-cli.js';
import { registerProviders } from './demo-hub.js';
import { fillFixSheet } from './fill-fix-sheet.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Publishes the household-population resource and returns a token of its owner's officer. */
export async function publishResource(address, adminToken, resource, say) {
  const admin = new HubClient({ baseURL: address, token: adminToken });
  const call = async (method, path, body) => {
    const { status, data } = await admin.transport.request({ method, path, ...(body ? { body } : {}) });
    return { status, answer: data };
  };
  const orgs = await registerProviders(call, [resource], say);
  const { answer } = await call('POST', '/api/v1/tokens', {
    orgId: orgs.get(resource.provider.uscc).id,
    name: 'demo data officer',
    roles: ['officer'],
  });
  const officer = new HubClient({ baseURL: address, token: answer.token });
  await officer.putResource(resource);
  await officer.submitResource(resource.code);
  await admin.approveResource(resource.code);
  say(`  ${resource.provider.name}登记并发布资源“${resource.name}”（${resource.code}）`);
  return answer.token;
}

/** The open ticket of a resource, as the officer's client lists it. */
async function openTicket(address, token, code) {
  const officer = new HubClient({ baseURL: address, token });
  for await (const ticket of officer.data.listTickets({ resource: code, status: 'open' })) return ticket.id;
  throw new Error(`no open ticket for ${code}`);
}

export async function runDataDemo(lang, say) {
  await withEmbeddedHub('minjiang-demo-data-', lang, say, async ({ work, address, adminToken, cli }) => {
    say(`\n数据汇聚与问题数据纠错（${address}）`);
    const catalog = JSON.parse(readFileSync(join(FIXTURES, 'catalogs/fujian-province.json'), 'utf8'));
    const resource = catalog.resources.find((r) => r.name === '常住人口基本信息');
    const token = await publishResource(address, adminToken, resource, say);
    copyFileSync(join(FIXTURES, 'data/household-population.csv'), join(work, '常住人口.csv'));
    const run = cli(token);
    const code = resource.code;
    await run('data', 'validate', '常住人口.csv', '--resource', code);
    await run('data', 'submit', '常住人口.csv', '--resource', code);
    const ticket = await openTicket(address, token, code);
    await run('feedback', 'list');
    await run('data', 'quality', '--resource', code);
    await run('feedback', 'pull', ticket, '--output', '问题数据.xlsx');
    await fillFixSheet(join(work, '问题数据.xlsx'));
    say('\n  （数据专员在“更正值”列填写无建议修正的问题）');
    await run('feedback', 'submit', '问题数据.xlsx', '--accept-suggestions');
    await run('feedback', 'list', '--status', 'closed');
    await run('data', 'status');
    await run('data', 'quality', '--resource', code);
  });
}

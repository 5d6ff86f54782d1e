// The hub part of `pnpm demo`: start an embedded hub (SQLite, no server) on loopback, register
// the Fujian fixture catalog through its HTTP API as the departments' officers would, approve
// it as the platform administrator, and show what happened. Every call is a real HTTP request
// made by the SDK's HubClient.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, initialiseHub, loadConfig, verifyReceipt } from '@minjiang/hub';
import { HubClient } from '@minjiang/sdk';

/** Calls through the SDK's client: typed errors, retries and idempotency keys as a department's tools get them. */
function client(address, token) {
  const hub = new HubClient({ baseURL: address, token });
  return async (method, path, body) => {
    const { status, data } = await hub.transport.request({ method, path, ...(body ? { body } : {}) });
    return { status, answer: data };
  };
}

/** Registers the city departments the catalog names but `hub init` does not know. */
export async function registerProviders(admin, resources, say) {
  const { answer: known } = await admin('GET', '/api/v1/organisations');
  const byUscc = new Map(known.items.map((org) => [org.uscc, org]));
  const cities = new Map(
    known.items.filter((org) => org.kind === 'city').map((org) => [org.regionCode, org]),
  );
  for (const { provider } of resources) {
    if (byUscc.has(provider.uscc)) continue;
    const platform = provider.uscc.slice(2, 8);
    const city = cities.get(platform);
    const org = {
      id: `${platform}/${provider.uscc.startsWith('12') ? 'PUB' : 'GOV'}/${provider.uscc}`,
      name: provider.name,
      kind: 'department',
      uscc: provider.uscc,
      regionCode: platform,
      platformCode: platform,
      memberClass: provider.uscc.startsWith('12') ? 'PUB' : 'GOV',
      status: 'ACTIVE',
      parent: city.id,
    };
    const { answer } = await admin('POST', '/api/v1/organisations', org);
    byUscc.set(provider.uscc, answer);
    say(`  机构登记 ${answer.name}（${answer.id}）`);
  }
  return byUscc;
}

/** Each department's officer registers its own resources in one batch and submits them. */
async function registerAsOfficers(address, admin, resources, orgs) {
  const totals = { created: 0, updated: 0, unchanged: 0, failed: 0, submitted: 0, receipts: [] };
  const byOrg = new Map();
  for (const resource of resources)
    byOrg.set(resource.provider.uscc, [...(byOrg.get(resource.provider.uscc) ?? []), resource]);
  for (const [uscc, own] of byOrg) {
    const org = orgs.get(uscc);
    const { answer: issued } = await admin('POST', '/api/v1/tokens', {
      orgId: org.id,
      name: 'demo officer',
      roles: ['officer'],
    });
    const officer = client(address, issued.token);
    const { answer } = await officer('POST', '/api/v1/catalog/resources:batch', { entries: own });
    for (const key of ['created', 'updated', 'unchanged', 'failed']) totals[key] += answer.summary[key];
    totals.receipts.push(answer.receipt);
    // Only what changed goes to review; an unchanged entry keeps its state.
    for (const item of answer.items.filter(
      (entry) => entry.result === 'created' || entry.result === 'updated',
    )) {
      await officer('POST', `/api/v1/catalog/resources/${encodeURIComponent(item.code)}:submit`);
      totals.submitted += 1;
    }
  }
  return totals;
}

export async function runHubDemo(resources, say) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-demo-'));
  const started = performance.now();
  const server = await createServer(loadConfig({ dataDir, logLevel: 'warn', port: 0 }, {}));
  await server.ready();
  const init = await initialiseHub(server);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  say(
    `\n嵌入式枢纽已启动 ${address}（SQLite：${server.hub.store.location}，${Math.round(performance.now() - started)} ms）`,
  );
  say(`  hub init：创建省级平台、10 个市级平台和省直部门共 ${init.created.length} 个机构，签发管理员令牌`);
  try {
    const admin = client(address, init.adminToken.token);
    const orgs = await registerProviders(admin, resources, say);
    const first = await registerAsOfficers(address, admin, resources, orgs);
    say(
      `  各部门数据专员登记目录：新建 ${first.created}，更新 ${first.updated}，未变 ${first.unchanged}，失败 ${first.failed}；提交审核 ${first.submitted}`,
    );
    for (const { code } of resources)
      await admin('POST', `/api/v1/catalog/resources/${encodeURIComponent(code)}:approve`);
    say(`  平台管理员审核通过 ${resources.length} 个资源`);
    const again = await registerAsOfficers(address, admin, resources, orgs);
    say(
      `  再次登记同一目录：新建 ${again.created}，更新 ${again.updated}，未变 ${again.unchanged}（内容哈希未变，不重写）`,
    );
    const { answer: key } = await admin('GET', '/api/v1/hub/key');
    const verified = [...first.receipts, ...again.receipts].filter((receipt) =>
      verifyReceipt(receipt, key.publicKey),
    ).length;
    say(`  回执离线验签（SM2）：${verified}/${first.receipts.length + again.receipts.length} 通过`);
    for (const term of ['证', '户籍', '不动产登记']) {
      const { answer } = await admin(
        'GET',
        `/api/v1/catalog/resources?status=published&document=true&q=${encodeURIComponent(term)}`,
      );
      say(
        `  检索“${term}”：${answer.items.length} 个已发布资源，如 ${answer.items
          .slice(0, 2)
          .map((item) => item.document.name)
          .join('、')}`,
      );
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

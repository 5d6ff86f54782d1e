// The cascade part of `pnpm demo` (issue 8): a second hub runs as Fuzhou (福州, 350100, role city,
// its own data folder, embedded SQLite) under the embedded provincial hub on loopback. Fuzhou
// registers with the built CLI and the province's admin approves it; a Fuzhou department
// registers a resource at the Fuzhou hub and the Fuzhou admin approves it; the province syncs and
// shows the federated entry with its origin; the resource is withdrawn and the next sync brings
// the tombstone. Every step but starting the hubs and the withdrawal is the real CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { HubClient } from '@minjiang/sdk';
import { withEmbeddedHub } from './demo-cli.js';
import { registerProviders } from './demo-hub.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const FUZHOU = '350100';
const RESOURCE = '福州市食品经营许可信息';

/** Calls as `token` through the SDK's client, answering the body. */
function caller(address, token) {
  const hub = new HubClient({ baseURL: address, token });
  return async (method, path, body) => {
    const { status, data } = await hub.transport.request({ method, path, ...(body ? { body } : {}) });
    return { status, answer: data };
  };
}

/**
 * Starts Fuzhou as `minjiang hub start --role city --parent-url <province> --parent-code 350000`
 * would, in its own data folder. It does not nudge the province here (cascadeNudgeGap 0), so
 * each sync below shows what it brought; docs/cascade-sync.md describes the nudge.
 */
async function startFuzhou(work, provinceAddress) {
  const config = loadConfig(
    {
      dataDir: join(work, 'fuzhou'),
      hubCode: FUZHOU,
      role: 'city',
      parentUrl: provinceAddress,
      parentCode: '350000',
      cascadeNudgeGap: 0,
      logLevel: 'warn',
      port: 0,
    },
    {},
  );
  const server = await createServer(config);
  await server.ready();
  const init = await initialiseHub(server);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, address, adminToken: init.adminToken.token };
}

/** The province's federated entries of Fuzhou, one line each, as its admin reads them. */
async function showEntries(address, token, t, say) {
  const { answer } = await caller(address, token)('GET', `/api/v1/cascade/entries?origin=${FUZHOU}`);
  for (const entry of answer.items)
    say(
      t(
        `  省级平台的联邦目录条目 ${entry.resourceCode} ${entry.name}：来源 ${entry.origin}，${entry.status} v${entry.version}（只读，${entry.object}）`,
        `  Federated entry at the province ${entry.resourceCode} ${entry.name}: origin ${entry.origin}, ${entry.status} v${entry.version} (read-only, ${entry.object})`,
      ),
    );
}

/** The Fuzhou department registers its resource with the CLI; the Fuzhou admin approves it. */
async function publishAtFuzhou(fuzhou, resource, work, say) {
  const admin = caller(fuzhou.address, fuzhou.adminToken);
  const orgs = await registerProviders(admin, [resource], say);
  const { answer } = await admin('POST', '/api/v1/tokens', {
    orgId: orgs.get(resource.provider.uscc).id,
    name: 'demo fuzhou officer',
    roles: ['officer'],
  });
  const catalog = { title: '福州市市场监督管理局数据资源目录', version: '1.0', resources: [resource] };
  writeFileSync(join(work, '福州目录.json'), JSON.stringify(catalog, null, 2));
  await fuzhou.cli(answer.token)('catalog', 'apply', '福州目录.json', '--submit', '--hub', fuzhou.address);
  const approve = [
    'admin',
    'review',
    '--filter',
    `code=${resource.code}`,
    '--approve',
    '--hub',
    fuzhou.address,
  ];
  await fuzhou.cli(fuzhou.adminToken)(...approve);
  return answer.token;
}

export async function runCascadeDemo(lang, say) {
  const t = (zh, en) => (lang === 'en' ? en : zh);
  await withEmbeddedHub('minjiang-demo-cascade-', lang, say, async ({ work, address, adminToken, cli }) => {
    say(
      t(
        `\n市级平台级联：福州接入省级平台（${address}）`,
        `\nCity cascade: Fuzhou under the provincial hub (${address})`,
      ),
    );
    const fuzhou = { ...(await startFuzhou(work, address)), cli };
    try {
      const city = fuzhou.server.hub;
      say(
        t(
          `  福州市级平台已启动 ${fuzhou.address}（hub start --role city --parent-url ${address} --parent-code 350000；SQLite：${city.store.location}）`,
          `  Fuzhou city hub started at ${fuzhou.address} (hub start --role city --parent-url ${address} --parent-code 350000; SQLite: ${city.store.location})`,
        ),
      );
      const fuzhouAdmin = cli(fuzhou.adminToken);
      const province = cli(adminToken);
      await fuzhouAdmin('cascade', 'register', '--name', '福州市公共数据平台', '--hub', fuzhou.address);
      await province('cascade', 'children', '--state', 'PENDING');
      await province('cascade', 'children', FUZHOU, '--approve');
      await fuzhouAdmin('cascade', 'status', '--hub', fuzhou.address);
      const catalog = JSON.parse(readFileSync(join(FIXTURES, 'catalogs/fujian-province.json'), 'utf8'));
      const resource = catalog.resources.find((r) => r.name === RESOURCE);
      const officer = await publishAtFuzhou(fuzhou, resource, work, say);
      await province('cascade', 'sync', FUZHOU);
      await showEntries(address, adminToken, t, say);
      await new HubClient({ baseURL: fuzhou.address, token: officer }).withdrawResource(resource.code, {
        reason: '许可信息改由省级平台统一发布',
      });
      say(
        t(
          `\n  福州市市场监督管理局撤回资源“${RESOURCE}”`,
          `\n  The Fuzhou department withdraws "${RESOURCE}"`,
        ),
      );
      await province('cascade', 'sync', FUZHOU);
      await showEntries(address, adminToken, t, say);
    } finally {
      await fuzhou.server.close();
    }
  });
}

// The CLI on the department's workflow, each figure next to the limit measured in the same run:
//  - `catalog validate` of a generated 10,000-resource national-template xlsx: time and peak
//    memory, against exceljs alone streaming through the same file (read, nothing else);
//  - `catalog apply` of the same xlsx against the embedded hub, then again (all unchanged),
//    against the hub's own batch route fed the same entries directly (no read, plan or receipts);
//  - `minjiang --help`, against a bare `node -e ''`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { HubClient, writeCatalog } from '@minjiang/sdk';
import { codeTable } from '@minjiang/standards';
import { measure } from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'packages/cli/bin/run.js');
const N = Number(process.env.MINJIANG_BENCH_RESOURCES ?? 10_000);
const FULL = JSON.parse(readFileSync(join(root, 'fixtures/catalog-resource/valid/full.json'), 'utf8'));
const GAT = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');

function entry(n) {
  return {
    ...structuredClone(FULL),
    code: `3350010001/${String(n).padStart(6, '0')}`,
    name: `户籍登记信息${n}`,
    provider: { name: GAT.label, uscc: GAT.uscc, regionCode: '350000' },
    relatedResources: [],
  };
}

/** Runs node with the peak-memory hook; asynchronous, because the hub an apply talks to runs here. */
function measureNode(args, env = {}, cwd = root) {
  return measure(process.execPath, args, { env, cwd });
}

const EXCELJS_READ = `
import ExcelJS from 'exceljs';
let rows = 0;
for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(process.argv[1], {})) for await (const row of sheet) rows += row.cellCount > 0 ? 1 : 0;
console.log(rows);`;

async function validateBench(file) {
  // exceljs resolves from the SDK, which depends on it.
  const exceljs = await measureNode(
    ['--input-type=module', '-e', EXCELJS_READ, file],
    {},
    join(root, 'packages/sdk'),
  );
  const cli = await measureNode([BIN, 'catalog', 'validate', file, '--json', '--fail-on', 'never']);
  if (cli.status !== 0) throw new Error(`validate failed: ${cli.stderr}`);
  const resources = JSON.parse(cli.stdout).summary.resources;
  return [
    {
      measure: `exceljs streaming read (${exceljs.stdout.trim()} rows)`,
      seconds: exceljs.seconds,
      'peak MiB': exceljs.mib,
    },
    {
      measure: `catalog validate (${resources} resources)`,
      seconds: cli.seconds,
      'peak MiB': cli.mib,
      ratio: cli.seconds / exceljs.seconds,
    },
  ];
}

async function hubWithOfficer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-bench-cli-'));
  const server = await createServer(loadConfig({ dataDir, logLevel: 'silent', databaseUrl: '' }, {}));
  await server.ready();
  const init = await initialiseHub(server);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const admin = new HubClient({ baseURL: address, token: init.adminToken.token });
  const { data: orgs } = await admin.transport.request({ method: 'GET', path: '/api/v1/organisations' });
  const org = orgs.items.find((item) => item.uscc === GAT.uscc);
  const { data } = await admin.transport.request({
    method: 'POST',
    path: '/api/v1/tokens',
    body: { orgId: org.id, name: 'bench', roles: ['officer'] },
  });
  return {
    address,
    token: data.token,
    close: async () => (await server.close(), rmSync(dataDir, { recursive: true, force: true })),
  };
}

/** Applies the national xlsx a department would keep (a 10,000-resource single YAML file is slower to parse: see README). */
async function applyBench(work, resources, file) {
  const direct = await hubWithOfficer();
  const client = new HubClient({ baseURL: direct.address, token: direct.token });
  const start = performance.now();
  for (let i = 0; i < resources.length; i += 1000) await client.batchResources(resources.slice(i, i + 1000));
  const raw = (performance.now() - start) / 1000;
  await direct.close();
  const hub = await hubWithOfficer();
  const env = { MINJIANG_HUB: hub.address, MINJIANG_TOKEN: hub.token, MINJIANG_CONFIG_DIR: work };
  const first = await measureNode([BIN, 'catalog', 'apply', file, '--json'], env);
  const again = await measureNode([BIN, 'catalog', 'apply', file, '--json'], env);
  await hub.close();
  for (const run of [first, again]) if (run.status !== 0) throw new Error(`apply failed: ${run.stderr}`);
  const per = (seconds) => Math.round(resources.length / seconds);
  return [
    { measure: `hub batch route, direct (${resources.length})`, seconds: raw, 'per s': per(raw) },
    {
      measure: 'catalog apply, first',
      seconds: first.seconds,
      'per s': per(first.seconds),
      'peak MiB': first.mib,
      ratio: first.seconds / raw,
    },
    {
      measure: 'catalog apply, again (all unchanged)',
      seconds: again.seconds,
      'per s': per(again.seconds),
      'peak MiB': again.mib,
    },
  ];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function helpBench() {
  const time = async (args) => {
    const seconds = [];
    for (let i = 0; i < 9; i += 1) seconds.push((await measureNode(args)).seconds);
    return median(seconds);
  };
  const bare = await time(['-e', '']);
  const help = await time([BIN, '--help']);
  const validateHelp = await time([BIN, 'catalog', 'validate', '--help']);
  return [
    { measure: "node -e ''", seconds: bare },
    { measure: 'minjiang --help', seconds: help, ratio: help / bare },
    { measure: 'minjiang catalog validate --help', seconds: validateHelp, ratio: validateHelp / bare },
  ];
}

export async function run() {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-bench-cli-'));
  try {
    const resources = Array.from({ length: N }, (_, n) => entry(n + 1));
    const xlsx = join(work, 'national.xlsx');
    await writeCatalog(xlsx, { resources }, 'xlsx-national');
    return [
      ...(await validateBench(xlsx)),
      ...(await applyBench(work, resources, xlsx)),
      ...(await helpBench()),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

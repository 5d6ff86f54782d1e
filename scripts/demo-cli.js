// The CLI part of `pnpm demo`: a department's data officer works on the Excel catalog with the
// built `minjiang` CLI against an embedded hub on loopback: validate → fix → validate clean →
// plan → apply → apply again (all unchanged) → pull. Every step is the real CLI in a child
// process; the token travels in the environment, never on the command line.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { applyCatalogFixes, HubClient, planCatalogFixes, readCatalog } from '@minjiang/sdk';
import { registerProviders } from './demo-hub.js';

const BIN = fileURLToPath(new URL('../packages/cli/bin/run.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/catalogs/department-excel.xlsx', import.meta.url));

const execCli = promisify(execFile);

/**
 * Runs `minjiang …` in `cwd` and shows the command, its output and its exit code. Asynchronous:
 * the hub it talks to runs in this process and must keep answering.
 */
async function minjiang(env, cwd, say, ...args) {
  const run = await execCli(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error) => ({ status: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  say(`\n$ minjiang ${args.join(' ')}    # exit ${run.status}`);
  const out = run.stdout.trimEnd().split('\n');
  const shown = out.length > 24 ? [...out.slice(0, 20), `  … (${out.length - 20} more lines)`] : out;
  for (const line of shown) say(`  ${line}`);
  if (run.status !== 0 && run.stderr.trim()) say(`  ${run.stderr.trim().split('\n').slice(-3).join('\n  ')}`);
  return run;
}

/** An officer token for the department that owns the Excel catalog. */
async function officerToken(address, adminToken, resources, say) {
  const admin = new HubClient({ baseURL: address, token: adminToken });
  const call = async (method, path, body) => {
    const { status, data } = await admin.transport.request({ method, path, ...(body ? { body } : {}) });
    return { status, answer: data };
  };
  const orgs = await registerProviders(call, resources, say);
  const org = orgs.get(resources[0].provider.uscc);
  const { answer } = await call('POST', '/api/v1/tokens', {
    orgId: org.id,
    name: 'demo cli',
    roles: ['officer'],
  });
  return answer.token;
}

/**
 * Runs `day` against a fresh embedded hub on loopback in a temporary folder, then closes and
 * removes it all. `day` gets the folder, the address, the admin token and `cli(token)`, which
 * makes a runner of `minjiang …` as that token (in the environment, never on the command line).
 */
export async function withEmbeddedHub(prefix, lang, say, day) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const server = await createServer(
    loadConfig({ dataDir: join(work, 'hub'), logLevel: 'warn', port: 0 }, {}),
  );
  try {
    await server.ready();
    const init = await initialiseHub(server);
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const cli = (token) => {
      const env = {
        ...process.env,
        MINJIANG_HUB: address,
        MINJIANG_TOKEN: token,
        MINJIANG_CONFIG_DIR: join(work, 'config'),
        MINJIANG_LANG: lang,
        CI: '1',
      };
      return (...args) => minjiang(env, work, say, ...args);
    };
    await day({ work, address, adminToken: init.adminToken.token, cli });
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runCliDemo(lang, say) {
  await withEmbeddedHub('minjiang-demo-cli-', lang, say, async ({ work, address, adminToken, cli }) => {
    copyFileSync(FIXTURE, join(work, '目录.xlsx'));
    say(`\n数据专员的一天：用 minjiang 处理 Excel 目录（${address}）`);
    // The department as the fixed catalog names it (the fixture's USCC is mistyped on purpose).
    const raw = await readCatalog(FIXTURE);
    const { resources } = applyCatalogFixes(raw, planCatalogFixes(raw));
    const run = cli(await officerToken(address, adminToken, resources, say));
    await run('catalog', 'validate', '目录.xlsx');
    await run('catalog', 'fix', '目录.xlsx', '--dry-run');
    await run('catalog', 'fix', '目录.xlsx');
    await run('catalog', 'validate', '目录.xlsx');
    await run('catalog', 'plan', '目录.xlsx');
    await run('catalog', 'apply', '目录.xlsx', '--submit');
    await run('catalog', 'apply', '目录.xlsx');
    await run('catalog', 'pull', '--out', 'catalog');
    await run('catalog', 'search', '企业');
  });
}

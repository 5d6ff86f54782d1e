import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { HubClient } from '@minjiang/sdk';
import { createAjv } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';

// The built CLI, as a user runs it (pnpm build first; CI builds before testing).
export const BIN = fileURLToPath(new URL('../../packages/cli/bin/run.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/catalogs/', import.meta.url));
const SCHEMAS = fileURLToPath(new URL('../../packages/cli/schemas/', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

/**
 * Runs `minjiang …` and resolves with its output; `json` is stdout parsed when it is JSON.
 * Asynchronous on purpose: the test hub runs in this process and must keep answering.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, MINJIANG_TOKEN: '', MINJIANG_HUB: '', MINJIANG_LANG: '', CI: '1', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ status, stdout, stderr, json });
    });
  });
}

const ajv = createAjv();

/** Throws unless a `--json` result matches the committed schema of its command. */
export function assertSchema(name: string, value: unknown): void {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, `${name}.json`), 'utf8')) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  if (!validate(value)) throw new Error(`${name}: ${JSON.stringify(validate.errors, null, 2)}`);
}

/** A hub on loopback with an officer of 福州市市场监督管理局, the fixture department. */
export interface TestHub {
  address: string;
  adminToken: string;
  officerToken: string;
  orgId: string;
  server: FastifyInstance;
  close(): Promise<void>;
}

export const FUZHOU_SCJG = { name: '福州市市场监督管理局', uscc: '11350100FJ01000501' };

/** `databaseUrl`: run the hub on that PostgreSQL database instead of SQLite (see freshDatabase in packages/hub/test-utils). */
export async function startHub(options: { databaseUrl?: string; now?: () => Date } = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-cli-e2e-'));
  const databaseUrl = options.databaseUrl ?? '';
  const config = loadConfig({ dataDir, logLevel: 'silent', databaseUrl }, {});
  const server = await createServer(config, options.now ? { now: options.now } : {});
  await server.ready();
  const init = await initialiseHub(server);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const adminToken = String(init.adminToken?.token);
  const admin = new HubClient({ baseURL: address, token: adminToken });
  const orgId = `350100/GOV/${FUZHOU_SCJG.uscc}`;
  const parent = `350100/GOV/`;
  const { data: orgs } = await admin.transport.request<{
    items: { id: string; kind: string; regionCode: string }[];
  }>({
    method: 'GET',
    path: '/api/v1/organisations',
  });
  const city = orgs.items.find((org) => org.kind === 'city' && org.regionCode === '350100');
  await admin.transport.request({
    method: 'POST',
    path: '/api/v1/organisations',
    body: {
      id: orgId,
      name: FUZHOU_SCJG.name,
      kind: 'department',
      uscc: FUZHOU_SCJG.uscc,
      regionCode: '350100',
      platformCode: '350100',
      memberClass: 'GOV',
      status: 'ACTIVE',
      parent: city?.id ?? parent,
    },
  });
  const { data: issued } = await admin.transport.request<{ token: string }>({
    method: 'POST',
    path: '/api/v1/tokens',
    body: { orgId, name: 'e2e officer', roles: ['officer'] },
  });
  return {
    address,
    adminToken,
    officerToken: issued.token,
    orgId,
    server,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

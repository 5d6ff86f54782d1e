/**
 * A hub process killed (SIGKILL) in the middle of a commit: after a restart the resource's data is
 * as before, the submission is still open with its chunks, and committing again stores every row
 * exactly once — checked by counting and by the SM3 digest of the stored set, recomputed here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { HubClient } from '@minjiang/sdk';
import { codeTable, sm3Hex, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { BIN } from './cli-harness.js';

const CATALOG = JSON.parse(
  readFileSync(new URL('../../fixtures/catalogs/fujian-province.json', import.meta.url), 'utf8'),
) as { resources: CatalogResource[] };
const RESOURCE = CATALOG.resources.find((r) => r.name === '常住人口基本信息') as CatalogResource;
const GAT = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');
const HEADER = ['公民身份号码', '姓名', '性别', '出生日期', '户籍地行政区划', '更新时间'];
const ROWS = 150_000;
const CHUNK_ROWS = 10_000;

function residentId(n: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(n / 500)))
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  const first17 = `350102${birth}${String(n % 500).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (weights[i] ?? 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

function person(n: number): string[] {
  const id = residentId(n);
  const gender = Number(id.charAt(16)) % 2 === 1 ? '1' : '2';
  return [
    id,
    `居民${n}`,
    gender,
    `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    '350102',
    '2026-11-01 08:00:00',
  ];
}

/** The digest GET …/data/stats gives, computed from the rows we sent (docs/data-api.md). */
function expectedDigest(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => person(i + 1));
  const entries = rows.map((values) => {
    const row = Object.fromEntries(HEADER.map((name, i) => [name, values[i] ?? '']));
    return { key: JSON.stringify([values[0]]), hash: sm3Hex(JSON.stringify(row)) };
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const hash = createHash('sm3');
  for (const entry of entries) hash.update(entry.hash);
  return hash.digest('hex');
}

async function minjiang(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`minjiang ${args.join(' ')} exited with ${code}`);
  return stdout;
}

interface RunningHub {
  child: ChildProcess;
  address: string;
  /** The hub's log so far (level info: a line when each request comes in and when it is answered). */
  log: () => string;
}

function startHub(env: NodeJS.ProcessEnv): Promise<RunningHub> {
  const child = spawn(process.execPath, [BIN, 'hub', 'start', '--port', '0'], { env });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match?.[1]) resolve({ child, address: match[1], log: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${stderr}`)));
  });
}

describe.each(ENGINES)('a hub killed mid-commit on %s', (engine) => {
  let env: NodeJS.ProcessEnv;
  let dispose: () => Promise<void>;
  let hub: RunningHub | undefined;

  beforeAll(async () => {
    const database = await freshDatabase(engine);
    dispose = database.dispose;
    env = {
      ...process.env,
      MINJIANG_DATA_DIR: database.dataDir,
      MINJIANG_LOG_LEVEL: 'info',
      ...(database.databaseUrl ? { MINJIANG_DATABASE_URL: database.databaseUrl } : {}),
    };
    delete env.MINJIANG_TOKEN;
    delete env.MINJIANG_HUB;
  });
  afterAll(async () => {
    hub?.child.kill('SIGKILL');
    await dispose();
  });

  it(
    'keeps the data unchanged, then stores every row exactly once on the next commit',
    { timeout: 180_000 },
    async () => {
      const init = JSON.parse(await minjiang(['hub', 'init', '--json'], env)) as {
        adminToken: { token: string };
      };
      hub = await startHub(env);
      const admin = new HubClient({ baseURL: hub.address, token: init.adminToken.token });
      const orgs = await admin.transport.request<{ items: { id: string; uscc: string }[] }>({
        method: 'GET',
        path: '/api/v1/organisations?kind=department',
      });
      const orgId = orgs.data.items.find((org) => org.uscc === GAT?.uscc)?.id;
      const issued = await admin.transport.request<{ token: string }>({
        method: 'POST',
        path: '/api/v1/tokens',
        body: { orgId, name: 'crash test officer', roles: ['officer'] },
      });
      const call = async (
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        const response = await fetch(`${hub?.address}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${issued.data.token}`,
            ...(body instanceof Buffer ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: body instanceof Buffer ? body : JSON.stringify(body) }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const code = encodeURIComponent(RESOURCE.code);
      const entry = {
        ...RESOURCE,
        provider: { name: String(GAT?.label), uscc: String(GAT?.uscc), regionCode: '350000' },
      };
      expect((await call('PUT', `/api/v1/catalog/resources/${code}`, entry)).status).toBe(201);
      expect((await call('POST', `/api/v1/catalog/resources/${code}:submit`, {})).status).toBe(200);
      await admin.transport.request({
        method: 'POST',
        path: `/api/v1/catalog/resources/${code}:approve`,
        body: {},
      });

      const created = await call('POST', '/api/v1/submissions', {
        resource: RESOURCE.code,
        header: HEADER,
        rows: ROWS,
      });
      const id = String(created.body.id);
      const chunks = ROWS / CHUNK_ROWS;
      for (let seq = 1; seq <= chunks; seq += 1) {
        const first = (seq - 1) * CHUNK_ROWS + 1;
        const lines = Array.from({ length: CHUNK_ROWS }, (_, i) =>
          JSON.stringify([first + i, ...person(first + i)]),
        );
        const body = gzipSync(Buffer.from(lines.join('\n')));
        const put = await call('PUT', `/api/v1/submissions/${id}/chunks/${seq}`, body, {
          'content-type': 'application/vnd.minjiang.rows+gzip',
          'x-minjiang-sm3': sm3Hex(body),
          'x-minjiang-rows': String(CHUNK_ROWS),
        });
        expect(put.status).toBe(201);
      }

      // Kill the hub while the commit runs: once its request has come in and before it is answered.
      const pending = call('POST', `/api/v1/submissions/${id}/commit`, { chunks, rows: ROWS }).catch(
        () => 'killed',
      );
      const running = hub;
      const commitRequest = () =>
        running
          .log()
          .split('\n')
          .find((line) => line.includes('incoming request') && line.includes(`${id}/commit`));
      while (commitRequest() === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const reqId = (JSON.parse(commitRequest() ?? '{}') as { reqId?: string }).reqId ?? '';
      const answered = () => running.log().includes(`"reqId":"${reqId}","res"`);
      expect(answered(), 'the commit ended before the kill: make the submission larger').toBe(false);
      const exited = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGKILL');
      await exited;
      expect(await pending).toBe('killed');

      hub = await startHub(env);
      const after = await call('GET', `/api/v1/resources/${code}/data/stats`);
      expect(after.body).toMatchObject({ rows: 0 });
      const view = await call('GET', `/api/v1/submissions/${id}`);
      expect(view.body).toMatchObject({ status: 'open', chunks: { count: chunks, rows: ROWS } });

      const committed = await call('POST', `/api/v1/submissions/${id}/commit`, { chunks, rows: ROWS });
      expect(committed.body).toMatchObject({ rows: ROWS, accepted: ROWS, rejected: 0, inserted: ROWS });
      const stats = await call('GET', `/api/v1/resources/${code}/data/stats`);
      expect(stats.body).toMatchObject({ rows: ROWS, digest: expectedDigest() });
    },
  );
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import {
  generateSm2KeyPair,
  signRegistration,
  type DsseEnvelope,
  type RegistrationInput,
} from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { assertSchema, BIN, runCli, type CliRun } from './cli-harness.js';

type ErrorJson = { error: { code: string; exitCode: number; message: string } };
type Parent = { hub: string; state: string; keyId: string | null; reason: string | null };
type Children = { mode: string; children?: { hub: string; state: string }[]; child?: { state: string } };

/** A loopback proxy in front of the province that keeps every registration body it forwards. */
async function recordingProxy(target: string) {
  const registrations: string[] = [];
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createHttpServer((request, response) => {
    void (async () => {
      const body = await read(request);
      if (request.method === 'POST' && request.url === '/api/v1/cascade/children')
        registrations.push(body.toString('utf8'));
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        ['host', 'connection', 'content-length'].includes(name) || typeof value !== 'string'
          ? []
          : [[name, value]],
      );
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method ?? 'GET',
        headers: Object.fromEntries(headers) as Record<string, string>,
        ...(body.length > 0 ? { body } : {}),
      });
      response.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `http://127.0.0.1:${port}`,
    registrations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `minjiang hub start` of a city hub as its operator runs it; resolves with its address. */
function startCityHub(dataDir: string, parentUrl: string) {
  const env = { ...process.env, MINJIANG_DATABASE_URL: '', MINJIANG_DATA_DIR: '' };
  const args = [
    'hub',
    'start',
    '--data-dir',
    dataDir,
    '--hub-code',
    '350100',
    '--role',
    'city',
    '--port',
    '0',
  ];
  const child = spawn(
    process.execPath,
    [BIN, ...args, '--parent-url', parentUrl, '--parent-code', '350000'],
    {
      env: { ...env, MINJIANG_LOG_LEVEL: 'silent' },
    },
  );
  const ready = new Promise<{ address: string; banner: string }>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match?.[1]) resolve({ address: match[1], banner: stderr });
    });
    child.once('exit', (code) => reject(new Error(`city hub exited with ${code}: ${stderr}`)));
  });
  return { child, ready };
}

const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)(
  'minjiang cascade register / children / status, built CLI, province on $name',
  ({ pg }) => {
    const work = mkdtempSync(join(tmpdir(), 'minjiang-cascade-register-e2e-'));
    const cityDir = join(work, 'city');
    let province: FastifyInstance;
    let provinceUrl = '';
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    let city: ChildProcess | undefined;
    let cityUrl = '';
    let dropDb: (() => Promise<void>) | undefined;
    const tokens = { province: '', city: '' };

    const cli = (as: 'province' | 'city', args: string[]): Promise<CliRun> =>
      runCli([...args, '--json'], {
        cwd: work,
        env: {
          MINJIANG_HUB: as === 'province' ? provinceUrl : cityUrl,
          MINJIANG_TOKEN: tokens[as],
          MINJIANG_CONFIG_DIR: join(work, 'config'),
        },
      });

    beforeAll(async () => {
      const database = pg ? await freshDatabase('postgres') : undefined;
      dropDb = database?.dispose;
      const config = loadConfig(
        { dataDir: join(work, 'province'), logLevel: 'silent', databaseUrl: database?.databaseUrl ?? '' },
        {},
      );
      province = await createServer(config);
      await province.ready();
      tokens.province = String((await initialiseHub(province)).adminToken?.token);
      provinceUrl = await province.listen({ host: '127.0.0.1', port: 0 });
      proxy = await recordingProxy(provinceUrl);
      const init = spawnSync(
        process.execPath,
        [BIN, 'hub', 'init', '--data-dir', cityDir, '--hub-code', '350100', '--json'],
        {
          encoding: 'utf8',
          env: { ...process.env, MINJIANG_DATABASE_URL: '', MINJIANG_DATA_DIR: '' },
        },
      );
      tokens.city = (JSON.parse(init.stdout) as { adminToken: { token: string } }).adminToken.token;
      const started = startCityHub(cityDir, proxy.address);
      city = started.child;
      const { address, banner } = await started.ready;
      cityUrl = address;
      expect(banner).toContain(`350100 (city, parent 350000 at ${proxy.address})`);
    }, 90_000);

    afterAll(async () => {
      if (city && city.exitCode === null) {
        const exited = new Promise((resolve) => city!.once('exit', resolve));
        city.kill('SIGTERM');
        await exited;
      }
      await proxy?.close();
      await province?.close();
      await dropDb?.();
      rmSync(work, { recursive: true, force: true });
    });

    it('the city registers and waits (exit 7); the province lists it PENDING', async () => {
      const run = await cli('city', [
        'cascade',
        'register',
        '--name',
        '福州市公共数据平台',
        '--base-url',
        cityUrl,
      ]);
      expect(run.status, run.stderr).toBe(7);
      assertSchema('cascade-register', run.json);
      expect(run.json).toMatchObject({ hub: '350000', state: 'PENDING', baseUrl: proxy.address });
      expect(run.stderr).toContain('正在向上级平台提交注册');
      expect(proxy.registrations).toHaveLength(1);

      const status = await cli('city', ['cascade', 'status']);
      expect(status.status, status.stderr).toBe(7);
      assertSchema('cascade-status', status.json);
      expect(status.json).toMatchObject({ parent: { state: 'PENDING' }, remote: { state: 'PENDING' } });

      const list = await cli('province', ['cascade', 'children']);
      expect(list.status, list.stderr).toBe(0);
      assertSchema('cascade-children', list.json);
      expect((list.json as Children).children).toEqual([
        expect.objectContaining({ hub: '350100', state: 'PENDING', baseUrl: cityUrl }),
      ]);
    });

    it('refuses bad decisions at the flags (2), unknown children (4) and the city admin at the province (3)', async () => {
      const noReason = await cli('province', ['cascade', 'children', '350100', '--reject']);
      expect(noReason.status).toBe(2);
      expect((noReason.json as ErrorJson).error.code).toBe('USAGE');
      expect((await cli('province', ['cascade', 'children', '--approve'])).status).toBe(2);
      expect((await cli('province', ['cascade', 'children', '350100', '--approve', '--revoke'])).status).toBe(
        2,
      );
      expect((await cli('province', ['cascade', 'children', '350999'])).status).toBe(4);
      const stranger = await runCli(['cascade', 'children', '350100', '--approve', '--json'], {
        env: {
          MINJIANG_HUB: provinceUrl,
          MINJIANG_TOKEN: tokens.city,
          MINJIANG_CONFIG_DIR: join(work, 'config'),
        },
      });
      expect(stranger.status).toBe(3);
    });

    it('hub start takes --parent-url only with --parent-code (exit 2)', () => {
      const run = spawnSync(
        process.execPath,
        [BIN, 'hub', 'start', '--data-dir', cityDir, '--parent-url', proxy.address],
        {
          encoding: 'utf8',
          env: { ...process.env, MINJIANG_DATABASE_URL: '', MINJIANG_DATA_DIR: '', MINJIANG_PARENT_CODE: '' },
        },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('--parent-code');
    });

    it('the province approves; the city reads APPROVED (exit 0) and pins the province key', async () => {
      const approve = await cli('province', ['cascade', 'children', '350100', '--approve']);
      expect(approve.status, approve.stderr).toBe(0);
      assertSchema('cascade-children', approve.json);
      expect(approve.json).toMatchObject({
        mode: 'approve',
        child: { state: 'APPROVED', parent: { hub: '350000' } },
      });
      const provinceKey = (approve.json as { child: { parent: { keyId: string } } }).child.parent.keyId;

      const status = await cli('city', ['cascade', 'status']);
      expect(status.status, status.stderr).toBe(0);
      assertSchema('cascade-status', status.json);
      expect((status.json as { parent: Parent }).parent).toMatchObject({
        state: 'APPROVED',
        keyId: provinceKey,
      });
      const show = await cli('province', ['cascade', 'children', '350100']);
      assertSchema('cascade-children', show.json);
      expect(show.json).toMatchObject({ mode: 'show', child: { state: 'APPROVED', cursor: null } });
    });

    it('a replayed registration, an altered one and one with another key are refused', async () => {
      const post = (body: string) =>
        fetch(`${provinceUrl}/api/v1/cascade/children`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': 'en' },
          body,
        });
      const recorded = proxy.registrations[0]!;
      const replay = await post(recorded);
      expect(replay.status).toBe(409);
      expect(((await replay.json()) as { code: string }).code).toBe('HUB_ERR_CASCADE_REPLAY');

      const envelope = JSON.parse(recorded) as DsseEnvelope;
      const payload = JSON.parse(
        Buffer.from(envelope.payload, 'base64').toString('utf8'),
      ) as RegistrationInput;
      const altered = { ...payload, baseUrl: 'http://127.0.0.1:1', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' };
      const forged = { ...envelope, payload: Buffer.from(JSON.stringify(altered)).toString('base64') };
      const refused = await post(JSON.stringify(forged));
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({
        code: 'HUB_ERR_CASCADE_REGISTRATION',
        issues: [{ code: 'FED-302' }],
      });

      const other = generateSm2KeyPair();
      const impostor = signRegistration(
        { ...payload, keyId: '350100#hub-evil', publicKey: other.publicKey },
        other.privateKey,
      );
      const taken = await post(JSON.stringify(impostor.envelope));
      expect(taken.status).toBe(409);
      expect(((await taken.json()) as { code: string }).code).toBe('HUB_ERR_CASCADE_HUB_EXISTS');
    });

    it('revoked: the city reads REVOKED (exit 3); revoking again is refused (1)', async () => {
      const revoke = await cli('province', [
        'cascade',
        'children',
        '350100',
        '--revoke',
        '--reason',
        '节点密钥泄露',
      ]);
      expect(revoke.status, revoke.stderr).toBe(0);
      expect(revoke.json).toMatchObject({
        mode: 'revoke',
        child: { state: 'REVOKED', reason: '节点密钥泄露' },
      });
      const status = await cli('city', ['cascade', 'status', '--lang', 'en']);
      expect(status.status).toBe(3);
      expect((status.json as { parent: Parent }).parent).toMatchObject({
        state: 'REVOKED',
        reason: '节点密钥泄露',
      });
      const again = await cli('province', ['cascade', 'children', '350100', '--revoke', '--reason', 'x']);
      expect(again.status).toBe(1);
      expect((again.json as ErrorJson).error.code).toBe('HUB_ERR_WORKFLOW_STATE');
    });

    it('the parent unreachable: exit 6, and --no-refresh still shows what the city holds', async () => {
      await proxy.close();
      const status = await cli('city', ['cascade', 'status', '--lang', 'en']);
      expect(status.status).toBe(6);
      expect((status.json as ErrorJson).error).toMatchObject({
        code: 'HUB_ERR_CASCADE_UNREACHABLE',
        exitCode: 6,
      });
      expect((status.json as ErrorJson).error.message).toMatch(/could not be reached/);
      const stored = await cli('city', ['cascade', 'status', '--no-refresh']);
      expect(stored.status).toBe(3);
      assertSchema('cascade-status', stored.json);
      expect(Object.keys(stored.json as object)).toEqual(['parent']);
      expect(stored.json).toMatchObject({ parent: { state: 'REVOKED' } });
    });
  },
);

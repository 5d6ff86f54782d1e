import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { app } from '../src/app.js';
import { codeTable } from '@minjiang/standards';
import { hubOrganisationId, initialiseHub, memberId } from '../src/bootstrap.js';
import { loadConfig, type HubConfig } from '../src/config.js';
import { openDatabase, type Engine, type HubDatabase } from '../src/db/database.js';
import { createToken } from '../src/modules/identity/service.js';
import type { Role } from '../src/roles.js';

/**
 * The engines the hub suite runs on: SQLite always; PostgreSQL too when
 * MINJIANG_TEST_DATABASE_URL names a server (CI sets it; .ci/run starts PostgreSQL).
 */
export const ENGINES: Engine[] = process.env.MINJIANG_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * A fresh, empty data folder and, for PostgreSQL, a fresh database on the test server: where a
 * hub (in this process or a child one) keeps its data, and how to throw it away.
 */
export async function freshDatabase(
  engine: Engine,
): Promise<{ dataDir: string; databaseUrl: string | undefined; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-hub-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'sqlite') return { dataDir, databaseUrl: undefined, dispose: async () => removeDir() };
  const adminUrl = process.env.MINJIANG_TEST_DATABASE_URL as string;
  const name = `minjiang_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    dispose: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
      removeDir();
    },
  };
}

/** A fresh, empty database of an engine, open, and how to throw it away. */
export async function freshStore(
  engine: Engine,
): Promise<{ store: HubDatabase; dataDir: string; dispose: () => Promise<void> }> {
  const { dataDir, databaseUrl, dispose } = await freshDatabase(engine);
  const store = await openDatabase({ dataDir, databaseUrl, poolSize: 4 });
  return {
    store,
    dataDir,
    dispose: async () => {
      await store.close();
      await dispose();
    },
  };
}

export interface TestTokens {
  admin: string;
  auditor: string;
  /** Officer of the provincial public security department (福建省公安厅, code GAT). */
  officer: string;
  /** Officer of another department (福建省市场监督管理局, code SCJG), to test ownership. */
  otherOfficer: string;
  reviewer: string;
  consumer: string;
}

export interface TestHub {
  app: FastifyInstance;
  engine: Engine;
  config: HubConfig;
  tokens: TestTokens;
  /** The hub's public SM2 key, as `GET /api/v1/hub/key` gives it. */
  publicKey: string;
  /** `inject` with a token (or none) and JSON. */
  call(token: string | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The member id and USCC of a provincial department seeded by `hub init`, by its short code. */
export function department(code: string, hubCode = '350000'): { id: string; uscc: string; name: string } {
  const row = codeTable('fujian-departments').data.find((entry) => entry.code === code);
  if (!row) throw new Error(`No department ${code} in the code table`);
  return { id: memberId(hubCode, String(row.uscc)), uscc: String(row.uscc), name: row.label };
}

/** A token with these roles for an organisation of the hub. */
export async function testToken(hub: FastifyInstance, orgId: string, roles: Role[]): Promise<string> {
  return (await createToken(hub, null, { orgId, name: `test ${roles.join('+')}`, roles }, 'en')).token;
}

/** A started hub before its tokens: on a fresh database, initialised like `hub init`. */
export interface StartedTestHub {
  hub: FastifyInstance;
  engine: Engine;
  config: HubConfig;
  dispose: () => Promise<void>;
}

export async function startTestHub(
  engine: Engine,
  overrides: Partial<HubConfig> = {},
  now?: () => Date,
): Promise<StartedTestHub> {
  const { store, dataDir, dispose } = await freshStore(engine);
  const config = loadConfig({ dataDir, logLevel: 'silent', ...overrides }, {});
  const hub = Fastify({ logger: false, bodyLimit: config.bodyLimit });
  await hub.register(app, { config, store, ...(now ? { now } : {}) });
  await hub.ready();
  await initialiseHub(hub, { issueAdminToken: false });
  return { hub, engine, config, dispose };
}

/** The test handle of a started hub with its tokens: requests by token, and closing it. */
export function testHubOf({ hub, engine, config, dispose }: StartedTestHub, tokens: TestTokens): TestHub {
  return {
    app: hub,
    engine,
    config,
    tokens,
    publicKey: hub.hub.key.publicKey,
    call: (bearer, options) =>
      hub.inject({
        ...options,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...options.headers },
      }),
    close: async () => {
      await hub.close();
      await dispose();
    },
  };
}

/** A hub on a fresh database, initialised like `hub init`, with a token per role. */
export async function buildTestHub(
  engine: Engine,
  overrides: Partial<HubConfig> = {},
  now?: () => Date,
): Promise<TestHub> {
  const started = await startTestHub(engine, overrides, now);
  const { hub, config } = started;
  const gat = department('GAT', config.hubCode).id;
  const tokens: TestTokens = {
    admin: await testToken(hub, hubOrganisationId(config.hubCode), ['admin']),
    auditor: await testToken(hub, hubOrganisationId(config.hubCode), ['auditor']),
    officer: await testToken(hub, gat, ['officer']),
    otherOfficer: await testToken(hub, department('SCJG', config.hubCode).id, ['officer']),
    reviewer: await testToken(hub, gat, ['reviewer']),
    consumer: await testToken(hub, department('MZT', config.hubCode).id, ['consumer']),
  };
  return testHubOf(started, tokens);
}

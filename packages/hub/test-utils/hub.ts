import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import pg from 'pg';
import { app } from '../src/app.js';
import { initialiseHub } from '../src/bootstrap.js';
import { loadConfig, type HubConfig } from '../src/config.js';
import { openDatabase, type Engine, type HubDatabase } from '../src/db/database.js';
import { createToken } from '../src/modules/identity/service.js';
import type { Role } from '../src/roles.js';

/**
 * The engines the hub suite runs on: SQLite always; PostgreSQL too when
 * MINJIANG_TEST_DATABASE_URL names a server (CI sets it; .ci/run starts PostgreSQL).
 */
export const ENGINES: Engine[] = process.env.MINJIANG_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, empty database of an engine, and how to throw it away. */
export async function freshStore(engine: Engine): Promise<{ store: HubDatabase; dataDir: string; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-hub-'));
  if (engine === 'sqlite') {
    const store = openDatabase({ dataDir });
    return { store, dataDir, dispose: async () => { await store.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const adminUrl = process.env.MINJIANG_TEST_DATABASE_URL as string;
  const name = `minjiang_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = openDatabase({ dataDir, databaseUrl: url.toString(), poolSize: 4 });
  return {
    store,
    dataDir,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Tokens of the seeded hub, one per role, keyed by what they are for. */
export interface TestTokens {
  admin: string;
  auditor: string;
  /** Officer of the provincial public security department (350000-GAT). */
  officer: string;
  /** Officer of another department (350000-SCJG), to test ownership. */
  otherOfficer: string;
  reviewer: string;
  consumer: string;
}

export interface TestHub {
  app: FastifyInstance;
  engine: Engine;
  config: HubConfig;
  tokens: TestTokens;
  /** `inject` with a token (or none) and JSON. */
  call(token: string | null, options: InjectOptions): ReturnType<FastifyInstance['inject']>;
  close(): Promise<void>;
}

async function token(hub: FastifyInstance, orgId: string, roles: Role[]): Promise<string> {
  return (await createToken(hub, null, { orgId, name: `test ${roles.join('+')}`, roles }, 'en')).token;
}

/** A hub on a fresh database, initialised like `hub init`, with a token per role. */
export async function buildTestHub(engine: Engine, overrides: Partial<HubConfig> = {}, now?: () => Date): Promise<TestHub> {
  const { store, dataDir, dispose } = await freshStore(engine);
  const config = loadConfig({ dataDir, logLevel: 'silent', ...overrides }, {});
  const hub = Fastify({ logger: false, bodyLimit: config.bodyLimit });
  await hub.register(app, { config, store, ...(now ? { now } : {}) });
  await hub.ready();
  await initialiseHub(hub, { issueAdminToken: false });
  const tokens: TestTokens = {
    admin: await token(hub, config.hubCode, ['admin']),
    auditor: await token(hub, config.hubCode, ['auditor']),
    officer: await token(hub, `${config.hubCode}-GAT`, ['officer']),
    otherOfficer: await token(hub, `${config.hubCode}-SCJG`, ['officer']),
    reviewer: await token(hub, `${config.hubCode}-GAT`, ['reviewer']),
    consumer: await token(hub, `${config.hubCode}-MZT`, ['consumer']),
  };
  return {
    app: hub,
    engine,
    config,
    tokens,
    call: (bearer, options) =>
      hub.inject({ ...options, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...options.headers } }),
    close: async () => {
      await hub.close();
      await dispose();
    },
  };
}

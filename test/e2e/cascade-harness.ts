/**
 * Hubs for the cascade end-to-end tests: a province and city hubs, each in its own data folder
 * (or PostgreSQL database), on loopback, initialised as `hub init` does, and pinned to each other
 * as an approved registration leaves them. A city can be stopped and started again on the same
 * port and data, as after an outage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServer,
  hubOrganisationId,
  initialiseHub,
  loadConfig,
  type HubConfig,
  type HubDatabase,
} from '@minjiang/hub';
import type { CatalogResource } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { CITY_DEPARTMENT } from '../../packages/hub/test-utils/cascade.js';

/** What the tests reach inside an in-process hub. */
interface HubInside {
  hub: {
    store: HubDatabase;
    key: { keyId: string; publicKey: string };
  };
}

export interface CascadeHub {
  code: string;
  url: string;
  adminToken: string;
  officerToken: string;
  server: FastifyInstance;
  /** Stops the hub (its data stays); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

function inside(server: FastifyInstance): HubInside['hub'] {
  return (server as unknown as HubInside).hub;
}

/** A JSON call with a bearer token; throws on a refusal, with its status and body. */
export async function call<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The city department and its officer, as an admin adds them with the organisations API. */
async function cityOfficer(url: string, code: string, admin: string): Promise<string> {
  const orgId = `${code}/GOV/${CITY_DEPARTMENT.uscc}`;
  await call(url, admin, 'POST', '/api/v1/organisations', {
    id: orgId,
    ...CITY_DEPARTMENT,
    kind: 'department',
    regionCode: code,
    platformCode: code,
    memberClass: 'GOV',
    status: 'ACTIVE',
    parent: hubOrganisationId(code),
  });
  const issued = await call<{ token: string }>(url, admin, 'POST', '/api/v1/tokens', {
    orgId,
    name: 'e2e officer',
    roles: ['officer'],
  });
  return issued.token;
}

/** A hub on loopback; a city gets the province as its parent and a department with an officer. */
export async function startCascadeHub(
  code: string,
  options: { databaseUrl?: string; parentUrl?: string; config?: Partial<HubConfig> } = {},
): Promise<CascadeHub> {
  const dataDir = mkdtempSync(join(tmpdir(), `minjiang-cascade-${code}-`));
  const city = options.parentUrl !== undefined;
  const config = loadConfig(
    {
      dataDir,
      hubCode: code,
      logLevel: 'silent',
      databaseUrl: options.databaseUrl ?? '',
      role: city ? 'city' : 'province',
      schedulerInterval: 0,
      ...(city ? { parentUrl: options.parentUrl, parentCode: '350000' } : {}),
      ...options.config,
    },
    {},
  );
  let server = await createServer(config);
  await server.ready();
  const init = await initialiseHub(server);
  const adminToken = String(init.adminToken?.token);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  const officerToken = city ? await cityOfficer(url, code, adminToken) : '';
  const hub: CascadeHub = {
    code,
    url,
    adminToken,
    officerToken,
    server,
    stop: async () => server.close(),
    start: async () => {
      server = await createServer(config);
      hub.server = server;
      await server.listen({ host: '127.0.0.1', port });
    },
    dispose: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}

/** Pins a city and the province to each other as an approved registration leaves them. */
export async function pinCity(province: CascadeHub, city: CascadeHub, baseUrl = city.url): Promise<void> {
  const now = new Date().toISOString();
  const cityKey = inside(city.server).key;
  const provinceKey = inside(province.server).key;
  await inside(province.server)
    .store.db.insertInto('cascade_children')
    .values({
      hub: city.code,
      name: `${city.code} 公共数据平台`,
      region: city.code,
      base_url: baseUrl,
      key_id: cityKey.keyId,
      public_key: cityKey.publicKey,
      state: 'APPROVED',
      reason: null,
      registration: '{}',
      registered_at: now,
      decided_at: now,
      decided_by: 'e2e',
    })
    .execute();
  await inside(city.server)
    .store.db.insertInto('cascade_parent')
    .values({
      hub: province.code,
      base_url: province.url,
      key_id: provinceKey.keyId,
      public_key: provinceKey.publicKey,
      state: 'APPROVED',
      reason: null,
      registered_at: now,
      updated_at: now,
    })
    .execute();
}

/** Where the province reads a city's feed from (a proxy in front of it, the city itself after). */
export async function pointChildAt(province: CascadeHub, city: string, baseUrl: string): Promise<void> {
  await inside(province.server)
    .store.db.updateTable('cascade_children')
    .set({ base_url: baseUrl })
    .where('hub', '=', city)
    .execute();
}

/** Publishes a catalog entry at a city: put, submit, approve. */
export async function publish(city: CascadeHub, entry: CatalogResource): Promise<void> {
  const path = `/api/v1/catalog/resources/${encodeURIComponent(entry.code)}`;
  await call(city.url, city.officerToken, 'PUT', path, entry);
  await call(city.url, city.officerToken, 'POST', `${path}:submit`);
  await call(city.url, city.adminToken, 'POST', `${path}:approve`);
}

export async function withdraw(city: CascadeHub, code: string): Promise<void> {
  const path = `/api/v1/catalog/resources/${encodeURIComponent(code)}:withdraw`;
  await call(city.url, city.adminToken, 'POST', path, { reason: '停止提供' });
}

/** The province's entries of a city, read by its admin: resource code → status and version. */
export async function entriesAt(province: CascadeHub, origin: string): Promise<Record<string, string>> {
  const page = await call<{ items: { resourceCode: string; status: string; version: number }[] }>(
    province.url,
    province.adminToken,
    'GET',
    `/api/v1/cascade/entries?origin=${origin}&limit=500`,
  );
  return Object.fromEntries(page.items.map((item) => [item.resourceCode, `${item.status} v${item.version}`]));
}

/** A loopback proxy that passes `allow` requests to `target`, then cuts every connection. */
export function cuttingProxy(target: string, allow: number): Promise<{ url: string; server: Server }> {
  let seen = 0;
  const server = createHttpServer((request, response) => {
    seen += 1;
    if (seen > allow) return void request.socket.destroy();
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    fetch(`${target}${request.url ?? ''}`, { headers })
      .then(async (answer) =>
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
      )
      .catch(() => request.socket.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

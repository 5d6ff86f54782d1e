/**
 * Hubs for the cascade routing tests (docs/cascade-routing.md): a province and two cities in one
 * process on loopback, pinned as after approval; city B reaches its parent through a proxy that
 * can be switched off (an unreachable province); city A has an applying department of its own
 * (another USCC than the department both cities seed) with an officer; B publishes resource `n`
 * and the province has synced it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { Engine } from '../src/db/database.js';
import { deliverDue, deliveriesSettled } from '../src/modules/cascade/routing-outbox.js';
import { createOrganisation } from '../src/modules/identity/service.js';
import { buildCityHub, cityEntry, pinCascade } from './cascade.js';
import { putEntry, resourceCode, transition } from './catalog.js';
import { buildTestHub, testToken, type TestHub } from './hub.js';
import { applicationBody } from './sharing.js';

export const CITY_A = '350100';
export const CITY_B = '350200';
export const APPLICANT = { name: '福州市数据管理局', uscc: '11350100FJ0200078E' };
export const APPLICANT_ID = `${CITY_A}/GOV/${APPLICANT.uscc}`;
const YEAR = new Date().getUTCFullYear();

/** An application body for a period that lies ahead whenever the test runs. */
export const apply = (code: string) =>
  applicationBody(code, { period: { from: `${YEAR + 1}-01-01`, to: `${YEAR + 1}-12-31` } });

/** A loopback proxy that forwards to `target` while up and cuts every connection while down. */
function switchProxy(target: () => string): Promise<{ url: string; server: Server; up: { on: boolean } }> {
  const up = { on: true };
  const server = createServer((request, response) => {
    if (!up.on) return void request.socket.destroy();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target()}${request.url ?? ''}`, { method: request.method, headers, ...(body ? { body } : {}) })
        .then(async (answer) =>
          response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
        )
        .catch(() => request.socket.destroy());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, up }),
    ),
  );
}

export interface RoutingHubs {
  province: TestHub;
  cityA: TestHub;
  cityB: TestHub;
  provinceUrl: string;
  /** B's way to the province: `up.on = false` makes the province unreachable for B. */
  proxy: { up: { on: boolean } };
  /** The officer of A's applying department. */
  applicant: string;
  /** Delivers what is due at each hub until nothing moves (B → province → A). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function applyingDepartment(cityA: TestHub): Promise<string> {
  const body = {
    id: APPLICANT_ID,
    ...APPLICANT,
    kind: 'department',
    regionCode: CITY_A,
    platformCode: CITY_A,
    memberClass: 'GOV',
    status: 'ACTIVE',
    parent: hubOrganisationId(CITY_A),
  };
  await createOrganisation(cityA.app, null, body, 'en');
  return testToken(cityA.app, APPLICANT_ID, ['officer']);
}

/** Publishes resource `n` at B and has the province sync it. */
async function publishAtB(province: TestHub, cityB: TestHub, n: number): Promise<void> {
  const put = await putEntry(cityB, cityB.tokens.officer, cityEntry(n, {}, CITY_B));
  if (put.statusCode >= 300) throw new Error(`put at B: ${put.body}`);
  await transition(cityB, cityB.tokens.officer, resourceCode(n), 'submit');
  await transition(cityB, cityB.tokens.admin, resourceCode(n), 'approve');
  const url = `/api/v1/cascade/children/${CITY_B}/sync`;
  const sync = await province.call(province.tokens.admin, { method: 'POST', url, payload: {} });
  if (sync.statusCode !== 200) throw new Error(`sync of B: ${sync.body}`);
}

export async function routingHubs(engine: Engine, n: number): Promise<RoutingHubs> {
  const province = await buildTestHub(engine);
  const provinceUrl = await province.app.listen({ host: '127.0.0.1', port: 0 });
  const proxy = await switchProxy(() => provinceUrl);
  const cityA = await buildCityHub(engine, CITY_A, { parentUrl: provinceUrl });
  const cityB = await buildCityHub(engine, CITY_B, { parentUrl: proxy.url });
  await pinCascade(province, cityA, await cityA.app.listen({ host: '127.0.0.1', port: 0 }));
  await pinCascade(province, cityB, await cityB.app.listen({ host: '127.0.0.1', port: 0 }));
  const applicant = await applyingDepartment(cityA);
  await publishAtB(province, cityB, n);
  return {
    province,
    cityA,
    cityB,
    provinceUrl,
    proxy,
    applicant,
    settle: async () => {
      for (let round = 0; round < 4; round += 1)
        for (const hub of [cityB, province, cityA]) {
          await deliveriesSettled(hub.app.hub);
          await deliverDue(hub.app.hub);
        }
    },
    close: async () => {
      await cityA.close();
      await cityB.close();
      await province.close();
      await new Promise((resolve) => proxy.server.close(resolve));
    },
  };
}

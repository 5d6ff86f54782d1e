/**
 * A province and a city on loopback for return-flow tests (docs/cascade-return.md): the province
 * is the exchange test hub (a published resource with person rows in Fuzhou and an active grant),
 * listening; the city reaches it through a proxy a test can cut or make tamper.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stateDigest } from '@minjiang/standards';
import type { Engine } from '../src/db/database.js';
import { storedRow, storeRows, deleteKeys } from '../src/modules/aggregation/row-store.js';
import { releasedRow, releaseTerms, subscriptionKey } from '../src/modules/cascade/return-log.js';
import { rowDigest } from '@minjiang/standards';
import { buildCityHub, pinCascade } from './cascade.js';
import { exchangeHub, type ExchangeHub } from './exchange.js';
import { HEADER, person } from './governance.js';
import type { TestHub } from './hub.js';
import { UNCONDITIONAL } from './sharing.js';

export interface ParentProxy {
  url: string;
  server: Server;
  /** Requests still let through (Infinity: all); then connections are cut. */
  budget: number;
  /** Rewrites an answer's body before it reaches the city. */
  tamper: ((body: string) => string) | null;
}

/** A loopback proxy in front of the province for the city's GET requests. */
export function parentProxy(target: string): Promise<ParentProxy> {
  const proxy = { budget: Infinity, tamper: null } as ParentProxy;
  proxy.server = createServer((request, response) => {
    if (proxy.budget <= 0) return void request.socket.destroy();
    proxy.budget -= 1;
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    fetch(`${target}${request.url ?? ''}`, { method: request.method ?? 'GET', headers })
      .then(async (answer) => {
        const text = await answer.text();
        const body = proxy.tamper && answer.status === 200 ? proxy.tamper(text) : text;
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      })
      .catch(() => request.socket.destroy());
  });
  return new Promise((resolve) =>
    proxy.server.listen(0, '127.0.0.1', () => {
      proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
      resolve(proxy);
    }),
  );
}

/** A person row of the exchange resource in a region (HEADER order → item name → value). */
export function personRow(n: number, region: string, name = `测试${n}`): Record<string, string> {
  const values = person(n, name);
  values[5] = region;
  return Object.fromEntries(HEADER.map((item, i) => [item, values[i] ?? '']));
}

/** Writes rows into the province's row store, as a committed submission would. */
export async function putRows(province: TestHub, rows: Record<string, string>[]): Promise<void> {
  const { db, engine } = province.app.hub.store;
  const stored = rows.map((row) => storedRow([row['公民身份号码'] ?? ''], row));
  await db
    .transaction()
    .execute((trx) => storeRows(trx, engine, UNCONDITIONAL, 'S-return', stored, new Date().toISOString()));
}

export async function dropRows(province: TestHub, rows: Record<string, string>[]): Promise<void> {
  const keys = rows.map((row) => JSON.stringify([row['公民身份号码'] ?? '']));
  await province.app.hub.store.db.transaction().execute((trx) => deleteKeys(trx, UNCONDITIONAL, keys));
}

/**
 * What the subscription should hold, computed independently of the log and the pages: the
 * province's stored rows through the subscription's terms, as a count and a state digest.
 */
export async function expectedCopy(province: TestHub, id: string) {
  const db = province.app.hub.store.db;
  const sub = await db
    .selectFrom('cascade_return_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const terms = await releaseTerms(province.app.hub, sub);
  const stored = await db
    .selectFrom('data_rows')
    .select(['row_key', 'row'])
    .where('resource_code', '=', UNCONDITIONAL)
    .execute();
  const released = stored.flatMap((row) => {
    const out = releasedRow(terms, JSON.parse(row.row) as Record<string, string>);
    return out ? [{ key: subscriptionKey(terms, row.row_key), digest: rowDigest(out), row: out }] : [];
  });
  return { rows: released.length, digest: stateDigest(released), released };
}

export interface ReturnHubs {
  province: ExchangeHub;
  city: TestHub;
  proxy: ParentProxy;
  provinceUrl: string;
  cityUrl: string;
  close(): Promise<void>;
}

/** The province (listening, its clock now), the city behind the proxy, their keys pinned. */
export async function returnHubs(engine: Engine, cityCode = '350100'): Promise<ReturnHubs> {
  const province = await exchangeHub(engine);
  // The province pushes only when a test says so (sweepReturn), so pulls stay deterministic.
  province.app.hub.config.cascadeNudgeGap = 0;
  province.setNow(new Date());
  const provinceUrl = await province.app.listen({ host: '127.0.0.1', port: 0 });
  const proxy = await parentProxy(provinceUrl);
  const city = await buildCityHub(engine, cityCode, {
    parentUrl: proxy.url,
    cascadeNudgeGap: 0,
    cascadeFeedPageSize: 3,
  });
  const cityUrl = await city.app.listen({ host: '127.0.0.1', port: 0 });
  await pinCascade(province, city, cityUrl);
  return {
    province,
    city,
    proxy,
    provinceUrl,
    cityUrl,
    close: async () => {
      await city.close();
      await province.close();
      await new Promise((resolve) => proxy.server.close(resolve));
    },
  };
}

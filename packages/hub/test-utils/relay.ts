/**
 * Three hubs wired as a cascade on loopback for the relay tests (docs/cascade-relay.md): the
 * province, city A (福州, where the consumer is) and city B (厦门, whose GAT resource is granted).
 * B's grant is issued to A's department through B's own routes — the organisation registered at
 * B as a routed application would leave it — with an SM2 credential whose private key only the
 * consumer holds. All hubs run on the same fixed clock, so every signature is in its window.
 */
import { randomUUID } from 'node:crypto';
import { generateSm2KeyPair, signRequest } from '@minjiang/standards';
import type { LightMyRequestResponse } from 'fastify';
import { hubOrganisationId } from '../src/bootstrap.js';
import type { HubConfig } from '../src/config.js';
import type { Engine } from '../src/db/database.js';
import { storedRow, storeRows } from '../src/modules/aggregation/row-store.js';
import { createOrganisation } from '../src/modules/identity/service.js';
import { CITY_DEPARTMENT, pinCascade } from './cascade.js';
import { catalogEntry, putEntry, transition } from './catalog.js';
import { CALL_TIME, USER } from './exchange.js';
import { CALENDAR, HEADER, person } from './governance.js';
import { department, startTestHub, testHubOf, testToken, type TestHub } from './hub.js';
import { applicationBody, NOW, UNCONDITIONAL } from './sharing.js';

export { CALL_TIME, USER };
export const PROVINCE = '350000';
export const CITY_A = '350100';
export const CITY_B = '350200';
/** A's department, the grant's assignee at B. */
export const CONSUMER = `${CITY_A}/GOV/${CITY_DEPARTMENT.uscc}`;
export const PURPOSE = 'SCJG-0101';

export interface RelayGrant {
  grant: string;
  service: string;
  appKey: string;
  privateKey: string;
}

/** City B: its GAT department publishes the resource and holds its rows. */
export type OwnerHub = TestHub & {
  rows: string[][];
  /** Issues a grant of the resource to A's department at B (apply, approve) with an SM2 key. */
  grant(apply: Record<string, unknown>, approve?: Record<string, unknown>): Promise<RelayGrant>;
};

export interface RelayHubs {
  province: TestHub;
  cityA: TestHub;
  cityB: OwnerHub;
  url: { province: string; cityA: string; cityB: string };
  /** An API grant at B to A's department: row filter 350102, 40 calls a day. */
  api: RelayGrant;
  close(): Promise<void>;
}

const listen = (hub: TestHub) => hub.app.listen({ host: '127.0.0.1', port: 0 });

/** A hub on the given clock, with departments; its staff tokens belong to the first (else the platform). */
async function cityHub(
  engine: Engine,
  overrides: Partial<HubConfig>,
  clock: () => Date,
  organisations: { id: string; name: string; uscc: string; regionCode: string; parent: string }[] = [],
): Promise<TestHub> {
  const started = await startTestHub(engine, overrides, clock);
  const code = started.config.hubCode;
  for (const org of organisations) {
    const body = { ...org, kind: 'department', platformCode: org.regionCode, memberClass: 'GOV' };
    await createOrganisation(started.hub, null, { ...body, status: 'ACTIVE' }, 'en');
  }
  const admin = await testToken(started.hub, hubOrganisationId(code), ['admin']);
  const auditor = await testToken(started.hub, hubOrganisationId(code), ['auditor']);
  const officer = organisations[0] ? await testToken(started.hub, organisations[0].id, ['officer']) : admin;
  const tokens = { admin, auditor, officer, otherOfficer: officer, reviewer: officer, consumer: officer };
  return testHubOf(started, tokens);
}

/** The unconditional resource (every item 无条件共享), published by B's GAT. */
async function publishResource(hub: TestHub): Promise<void> {
  const items = (catalogEntry(2).items ?? []).map((original) => {
    const item = { ...original };
    delete item.shareType;
    delete item.shareCondition;
    return item;
  });
  const gat = department('GAT', CITY_B);
  const entry = catalogEntry(2, {
    items,
    provider: { name: gat.name, uscc: gat.uscc, regionCode: CITY_B },
    sharing: { type: '无条件共享', methodCategory: '共享平台方式', methodTypes: ['接口'] },
  });
  const put = await putEntry(hub, hub.tokens.officer, entry);
  if (put.statusCode >= 300) throw new Error(`put at B: ${put.body}`);
  await transition(hub, hub.tokens.officer, UNCONDITIONAL, 'submit');
  const approved = await transition(hub, hub.tokens.admin, UNCONDITIONAL, 'approve');
  if (approved.statusCode !== 200) throw new Error(`approve at B: ${approved.body}`);
}

async function storeResourceRows(hub: TestHub): Promise<string[][]> {
  const rows = Array.from({ length: 6 }, (_, n) => person(n + 1, `测试${n + 1}`));
  rows[4]![5] = '350103';
  rows[5]![5] = '350103';
  const objects = rows.map((values) => Object.fromEntries(HEADER.map((name, i) => [name, values[i] ?? ''])));
  const { db, engine } = hub.app.hub.store;
  const stored = objects.map((row) => storedRow([row['公民身份号码']!], row));
  await db
    .transaction()
    .execute((trx) => storeRows(trx, engine, UNCONDITIONAL, 'S-test', stored, new Date().toISOString()));
  return rows;
}

async function ownerHub(engine: Engine, parent: Partial<HubConfig>): Promise<OwnerHub> {
  let clock = NOW;
  const gat = department('GAT', CITY_B);
  // A's department as a routed application registers it at B: under the province it shares
  // with B (A's own platform is not an organisation of B).
  const consumer = {
    id: CONSUMER,
    ...CITY_DEPARTMENT,
    regionCode: CITY_A,
    parent: hubOrganisationId(PROVINCE),
  };
  const hub = await cityHub(engine, { hubCode: CITY_B, holidayCalendar: CALENDAR, ...parent }, () => clock, [
    { ...gat, regionCode: CITY_B, parent: hubOrganisationId(CITY_B) },
    consumer,
  ]);
  await publishResource(hub);
  const rows = await storeResourceRows(hub);
  const officer = await testToken(hub.app, CONSUMER, ['officer']);
  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    hub.call(token, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const check = (answer: LightMyRequestResponse, what: string) => {
    if (answer.statusCode >= 300) throw new Error(`${what} at B: ${answer.body}`);
    return answer;
  };
  const grant = async (apply: Record<string, unknown>, approve: Record<string, unknown> = {}) => {
    clock = NOW;
    const created = check(
      await call(officer, 'POST', '/applications', applicationBody(UNCONDITIONAL, apply)),
      'apply',
    );
    const id = encodeURIComponent(created.json<{ id: string }>().id);
    const approved = check(
      await call(hub.tokens.admin, 'POST', `/applications/${id}/approve`, approve),
      'approve',
    );
    const grantId = approved.json<{ grant: string }>().grant;
    const { publicKey, privateKey } = generateSm2KeyPair();
    const path = `/grants/${encodeURIComponent(grantId)}`;
    const issued = check(await call(officer, 'POST', `${path}/credentials`, { publicKey }), 'credential');
    const view = check(await call(officer, 'GET', path), 'grant');
    clock = CALL_TIME;
    return {
      grant: grantId,
      service: view.json<{ document: { target: string } }>().document.target,
      appKey: issued.json<{ appKey: string }>().appKey,
      privateKey,
    };
  };
  clock = CALL_TIME;
  return Object.assign(hub, { rows, grant });
}

/** The province and cities A and B on loopback, pinned to each other as approved registrations leave them. */
export async function relayHubs(engine: Engine): Promise<RelayHubs> {
  // The province gives up on a silent child after 3 s (the timeout test); A keeps the default 15.
  const province = await cityHub(engine, { cascadeRelayTimeout: 3 }, () => CALL_TIME);
  const provinceUrl = await listen(province);
  const parent = { role: 'city' as const, parentCode: PROVINCE, parentUrl: provinceUrl };
  const cityA = await cityHub(engine, { hubCode: CITY_A, ...parent }, () => CALL_TIME);
  const cityB = await ownerHub(engine, parent);
  const url = { province: provinceUrl, cityA: await listen(cityA), cityB: await listen(cityB) };
  await pinCascade(province, cityA, url.cityA);
  await pinCascade(province, cityB, url.cityB);
  const items = ['公民身份号码', '姓名', '出生日期', '户籍地行政区划'];
  const api = await cityB.grant(
    { items },
    { rowFilter: '户籍地行政区划 = 350102', quota: { perDay: 40, perSecond: 50 } },
  );
  const close = async () => {
    for (const hub of [cityA, cityB, province]) await hub.close();
  };
  return { province, cityA, cityB, url, api, close };
}

export interface RelayCall {
  path?: string;
  query?: string;
  body?: string;
  /** The body sent instead of the signed one (an altered body). */
  sentBody?: string;
  headers?: Record<string, string>;
}

/** A UUIDv7 for CALL_TIME. */
function requestId(): string {
  const hex = CALL_TIME.getTime().toString(16).padStart(12, '0');
  const rest = randomUUID().replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rest.slice(13, 16)}-a${rest.slice(17, 20)}-${rest.slice(20, 32)}`;
}

/** The consumer's signed request, as the SDK signs it with an SM2 credential. */
export function consumerRequest(grant: RelayGrant, call: RelayCall = {}) {
  const path = `/ses/r1/${call.path ?? `${grant.service}/rows`}`;
  const query = call.query ? `?${call.query}` : '';
  const headers: Record<string, string> = {
    'ses-client': CONSUMER,
    'ses-grant': grant.grant,
    'ses-request-id': requestId(),
    'ses-purpose': PURPOSE,
    'ses-user': USER,
    ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  const parts = { method: call.body === undefined ? 'GET' : 'POST', path, query, headers, body: call.body };
  const key = { alg: 'sm2-sm3' as const, keyid: grant.appKey, privateKey: grant.privateKey };
  Object.assign(headers, signRequest(parts, key, { now: CALL_TIME }), call.headers);
  return { method: parts.method, path, query, headers, body: call.sentBody ?? call.body };
}

/** Sends a request over loopback; the answer's status, headers and text. */
export async function send(baseUrl: string, request: ReturnType<typeof consumerRequest>) {
  const answer = await fetch(`${baseUrl}${request.path}${request.query}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const text = await answer.text();
  return { status: answer.status, headers: answer.headers, text, json: () => JSON.parse(text) as Envelope };
}

export interface Envelope {
  code: string;
  msg: string;
  data: { rows: Record<string, string>[] } | null;
  meta?: { grant: string; fields: string[]; masking: string };
}

async function leaves(hub: TestHub, action: string) {
  const rows = await hub.app.hub.store.db
    .selectFrom('audit_entries')
    .select(['seq', 'leaf'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map(
    (row) =>
      JSON.parse(row.leaf) as Record<string, unknown> & {
        req: { id: string; sigHash: string };
        res: { bodyHash?: string };
      },
  );
}

/** The leaf of `action` a hub wrote for a request id. */
export const leafOf = async (hub: TestHub, action: string, id: string) =>
  (await leaves(hub, action)).find((leaf) => leaf.req.id === id);

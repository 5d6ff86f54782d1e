// Issue 8, Performance: ten city hubs with 5,000 published resources each, pulled by the province
// over loopback HTTP — (a) the initial sync of every city: wall time, bytes of the feed pages,
// pages, and the CPU split from a profile of the run (SM2 verification of page and record
// signatures, the cities' page signing, the rest); (b) the incremental sync after 1% of each
// city's entries changed (four in five updated and published again, one in five withdrawn).
// Limits measured in the same run: the same page bodies served by a bare Fastify route and read
// over loopback (transfer only), and sm-crypto-v2 verification of the same signatures (the hub's
// `sm2Verify`, single core, on a sample).
//
// All hubs run in this process on SQLite (each city its own data folder; the province pulls them
// one after another, as its sweep does). Seeding is direct: the catalog's batch route registers
// each city's resources as drafts, one UPDATE publishes them, and the feed's own seeding path
// (`seedFeed`, for versions published before the feed existed) gives each its Create item signed
// with the city's node key. The incremental changes go through the real review routes.
//
// MINJIANG_BENCH_CITIES (10) and MINJIANG_BENCH_RESOURCES (5,000) set the size (2 × 200 for a
// quick run); MINJIANG_BENCH_VERIFY_SAMPLE (2,000) how many of the captured signatures the raw
// SM2 limit verifies; MINJIANG_BENCH_PROFILE=<file> also writes the CPU profile of the syncs.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { createServer, hubOrganisationId, initialiseHub, loadConfig } from '@minjiang/hub';
import { dssePae, sm2Verify } from '@minjiang/standards';
import { seedFeed } from '../packages/hub/dist/modules/cascade/feed-append.js';
import { createOrganisation, createToken } from '../packages/hub/dist/modules/identity/service.js';

// The SM2 library the standards package verifies with, for the precomputed-key figure.
const { sm2 } = createRequire(new URL('../packages/standards/package.json', import.meta.url))('sm-crypto-v2');
const CITIES = Number(process.env.MINJIANG_BENCH_CITIES ?? 10);
const RESOURCES = Number(process.env.MINJIANG_BENCH_RESOURCES ?? 5000);
const VERIFY_SAMPLE = Number(process.env.MINJIANG_BENCH_VERIFY_SAMPLE ?? 2000);
const PROFILE = process.env.MINJIANG_BENCH_PROFILE;
const PROVINCE = '350000';
// Fujian's nine prefecture-level cities and the Pingtan experimental zone ("9 + 1").
const CITY_CODES = ['350100', '350200', '350300', '350400', '350500', '350600', '350700', '350800'];
CITY_CODES.push('350900', '350128');
const DEPARTMENT = { name: '福州市市场监督管理局', uscc: '11350100FJ01000501' };
const FEED_PATH = '/api/v1/cascade/feed';
const FULL = JSON.parse(
  readFileSync(new URL('../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
);

function entry(n, hubCode, name = `${hubCode}市场主体登记信息${n}`) {
  const resource = structuredClone(FULL);
  delete resource.relatedResources;
  return {
    ...resource,
    code: `3350010001/${String(n).padStart(6, '0')}`,
    name,
    provider: { ...DEPARTMENT, regionCode: hubCode },
  };
}

function cityCode(index) {
  if (index < CITY_CODES.length) return CITY_CODES[index];
  return String(350000 + (index + 1) * 100); // beyond ten: made-up codes, still six digits
}

async function call(server, token, options) {
  const answer = await server.inject({
    ...options,
    headers: { authorization: `Bearer ${token}`, ...options.headers },
  });
  if (answer.statusCode >= 300) throw new Error(`${options.url}: ${answer.statusCode} ${answer.body}`);
  return answer.json();
}

/** A hub on its own SQLite folder; feed responses are counted (and kept) by an onSend hook. */
async function startHub(hubCode, role) {
  const dataDir = mkdtempSync(join(tmpdir(), `minjiang-bench-cascade-${hubCode}-`));
  const parent = role === 'city' ? { parentCode: PROVINCE, parentUrl: 'http://127.0.0.1:9' } : {};
  // A city's parent URL answers nothing: its nudges after the changes fail (logged at warn,
  // hence the level) instead of making the province sync before the measured sync does.
  const logLevel = role === 'city' ? 'error' : 'warn';
  const config = loadConfig({ dataDir, logLevel, hubCode, role, cascadeSyncInterval: 0, ...parent }, {});
  const server = await createServer(config);
  const feed = { pages: 0, bytes: 0, bodies: [] };
  server.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith(FEED_PATH) && reply.statusCode === 200) {
      feed.pages += 1;
      feed.bytes += Buffer.byteLength(payload);
      // Kept off the V8 heap, so that holding the pages for the limits adds no GC work to the sync.
      feed.bodies.push(Buffer.from(payload));
    }
    return payload;
  });
  await server.ready();
  const init = await initialiseHub(server, { issueAdminToken: true });
  const dispose = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { hubCode, server, hub: server.hub, admin: init.adminToken.token, feed, dispose };
}

/** The city department and its officer, as a city's operator would set them up. */
async function cityOfficer(city) {
  const id = `${city.hubCode}/GOV/${DEPARTMENT.uscc}`;
  const parent = hubOrganisationId(city.hubCode);
  const body = {
    id,
    ...DEPARTMENT,
    kind: 'department',
    regionCode: city.hubCode,
    platformCode: city.hubCode,
  };
  await createOrganisation(
    city.server,
    null,
    { ...body, memberClass: 'GOV', status: 'ACTIVE', parent },
    'en',
  );
  const token = await createToken(
    city.server,
    null,
    { orgId: id, name: 'bench officer', roles: ['officer'] },
    'en',
  );
  return token.token;
}

/** Registers the resources as drafts (1,000 a request), publishes them in one UPDATE, seeds the feed. */
async function seedCity(city) {
  city.officer = await cityOfficer(city);
  for (let first = 1; first <= RESOURCES; first += 1000) {
    const count = Math.min(1000, RESOURCES - first + 1);
    const entries = Array.from({ length: count }, (_, i) => entry(first + i, city.hubCode));
    const url = '/api/v1/catalog/resources:batch';
    const answer = await call(city.server, city.officer, { method: 'POST', url, payload: { entries } });
    if (answer.summary.failed > 0) throw new Error(`batch: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  const db = city.hub.store.db;
  await db.updateTable('catalog_versions').set({ status: 'published' }).execute();
  await db
    .updateTable('catalog_resources')
    .set((eb) => ({ status: 'published', published_version: eb.ref('latest_version') }))
    .execute();
  const items = await seedFeed(city.hub);
  if (items !== RESOURCES) throw new Error(`seedFeed added ${items} items, expected ${RESOURCES}`);
}

/** The rows an approved registration leaves at both ends (docs/cascade-api.md). */
async function pin(province, city) {
  const now = new Date().toISOString();
  const decided = { state: 'APPROVED', reason: null, registered_at: now };
  await province.hub.store.db
    .insertInto('cascade_children')
    .values({
      hub: city.hubCode,
      name: `${city.hubCode} 公共数据平台`,
      region: city.hubCode,
      base_url: city.url,
      key_id: city.hub.key.keyId,
      public_key: city.hub.key.publicKey,
      ...decided,
      registration: '{}',
      decided_at: now,
      decided_by: 'bench',
    })
    .execute();
  await city.hub.store.db
    .insertInto('cascade_parent')
    .values({
      hub: PROVINCE,
      base_url: 'http://127.0.0.1:9',
      key_id: province.hub.key.keyId,
      public_key: province.hub.key.publicKey,
      ...decided,
      updated_at: now,
    })
    .execute();
}

/** 1% of a city's entries: one in five withdrawn, the others edited, submitted and approved. */
async function changeCity(city) {
  const changes = Math.max(1, Math.round(RESOURCES / 100));
  const withdrawals = Math.max(1, Math.round(changes / 5));
  const base = (n) => `/api/v1/catalog/resources/${encodeURIComponent(entry(n, city.hubCode).code)}`;
  for (let i = 0; i < changes; i += 1) {
    const n = 1 + Math.floor((i * RESOURCES) / changes);
    if (i < withdrawals) {
      const payload = { reason: '停止提供' };
      await call(city.server, city.admin, { method: 'POST', url: `${base(n)}:withdraw`, payload });
      continue;
    }
    const payload = entry(n, city.hubCode, `${city.hubCode}市场主体登记信息${n}（修订）`);
    await call(city.server, city.officer, { method: 'PUT', url: base(n), payload });
    await call(city.server, city.officer, { method: 'POST', url: `${base(n)}:submit` });
    await call(city.server, city.admin, { method: 'POST', url: `${base(n)}:approve` });
  }
  return { changes, withdrawals };
}

/** Syncs every city from its cursor until it reaches the city's head; totals what was applied. */
async function syncAll(province, cities) {
  const totals = { syncs: 0, create: 0, update: 0, tombstone: 0 };
  for (const city of cities) {
    for (;;) {
      const url = `/api/v1/cascade/children/${city.hubCode}/sync`;
      const summary = await call(province.server, province.admin, { method: 'POST', url, payload: {} });
      if (!summary.applied || summary.error)
        throw new Error(`sync ${city.hubCode}: ${JSON.stringify(summary)}`);
      totals.syncs += 1;
      for (const key of ['create', 'update', 'tombstone']) totals[key] += summary.counts[key];
      if (summary.cursor.next >= summary.head) break;
    }
  }
  return totals;
}

function feedTotals(cities) {
  return cities.reduce(
    (sum, city) => ({ pages: sum.pages + city.feed.pages, bytes: sum.bytes + city.feed.bytes }),
    { pages: 0, bytes: 0 },
  );
}

function resetFeeds(cities) {
  for (const city of cities) Object.assign(city.feed, { pages: 0, bytes: 0, bodies: [] });
}

/**
 * Milliseconds of the profile under SM2 verification, under SM2 signing (the cities' page
 * signatures), idle, and the rest: each sample is charged to the nearest of these on its stack.
 */
function cpuSplit(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const kindOf = new Map();
  const classify = (id) => {
    if (kindOf.has(id)) return kindOf.get(id);
    const name = byId.get(id).callFrame.functionName;
    let kind;
    if (name === 'doVerifySignature') kind = 'verify';
    else if (name === 'doSignature') kind = 'sign';
    else if (name === '(idle)') kind = 'idle';
    else if (name === '(garbage collector)') kind = 'gc';
    else kind = parent.has(id) ? classify(parent.get(id)) : 'other';
    kindOf.set(id, kind);
    return kind;
  };
  const ms = { verify: 0, sign: 0, idle: 0, gc: 0, other: 0 };
  // The first delta runs from the profiler's start, before the first sample: not charged.
  profile.samples.forEach((id, i) => {
    if (i > 0) ms[classify(id)] += (profile.timeDeltas[i] ?? 0) / 1000;
  });
  return ms;
}

/** Runs `body` under a CPU profile; answers its wall time, process CPU time and the split. */
async function measured(session, label, body) {
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await body();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const { profile } = await session.post('Profiler.stop');
  if (PROFILE) writeFileSync(`${PROFILE}.${label}.cpuprofile`, JSON.stringify(profile));
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000, split: cpuSplit(profile) };
}

/** The signed envelopes a reader verifies in these page bodies: each page's, and each record's. */
function envelopesOf(bodies, key) {
  const envelopes = [];
  for (const body of bodies) {
    const envelope = JSON.parse(body.toString('utf8'));
    envelopes.push({ envelope, key, page: true });
    const page = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    for (const item of page.items) if (item.record) envelopes.push({ envelope: item.record, key });
  }
  return envelopes;
}

/** As a verifier sees them: signed text, signature, key. */
function opened(envelopes) {
  return envelopes.map(({ envelope, key }) => ({
    pae: dssePae(envelope.payloadType, Buffer.from(envelope.payload, 'base64').toString('utf8')),
    sig: envelope.signatures[0].sig,
    key,
  }));
}

/** An even sample of the captured envelopes (records mostly), and the first few page envelopes. */
function verifySample(envelopes) {
  const step = Math.max(1, Math.floor(envelopes.length / VERIFY_SAMPLE));
  return {
    all: opened(envelopes.filter((_, i) => i % step === 0).slice(0, VERIFY_SAMPLE)),
    pages: opened(envelopes.filter((envelope) => envelope.page).slice(0, 5)),
  };
}

/**
 * SM2 verification with the key's window table made once (`precomputePublicKey`), and with
 * e = SM3(Z_A ‖ message) computed by node:crypto (OpenSSL) instead of sm-crypto-v2's JavaScript
 * SM3 over a hex copy of the message: the same check, answered by the same library.
 */
function fastVerifier(publicKeys) {
  const keys = new Map(
    [...publicKeys].map(([key, hex]) => [
      key,
      { point: sm2.precomputePublicKey(hex), z: Buffer.from(sm2.getZ(hex)) },
    ]),
  );
  const options = { hash: false, der: true };
  return ({ pae, sig, key }) => {
    const { point, z } = keys.get(key);
    const e = createHash('sm3').update(z).update(pae, 'utf8').digest();
    return sm2.doVerifySignature(new Uint8Array(e), sig, point, options);
  };
}

/**
 * The raw SM2 limit: milliseconds per verification of the sample with the hub's `sm2Verify` (the
 * key as hex, as the hub passes it); then with sm-crypto-v2 given each city's key precomputed once
 * (a window table of the point, so `t·P` costs about what `s·G` does); then also hashing with
 * node:crypto's SM3.
 */
function rawVerify(envelopes, publicKeys) {
  const sample = verifySample(envelopes);
  const precomputed = new Map([...publicKeys].map(([key, hex]) => [key, sm2.precomputePublicKey(hex)]));
  const timeEach = (signatures, verify) => {
    const start = performance.now();
    for (const signature of signatures) {
      if (!verify(signature)) throw new Error('a captured signature did not verify');
    }
    return (performance.now() - start) / signatures.length;
  };
  const options = { hash: true, der: true };
  const hub = ({ pae, sig, key }) => sm2Verify(pae, sig, publicKeys.get(key));
  const fast = fastVerifier(publicKeys);
  return {
    verified: sample.all.length,
    msEach: timeEach(sample.all, hub),
    msPrecomputed: timeEach(sample.all, ({ pae, sig, key }) =>
      sm2.doVerifySignature(pae, sig, precomputed.get(key), options),
    ),
    msFast: timeEach(sample.all, fast),
    pages: sample.pages.length,
    msPage: timeEach(sample.pages, hub),
    msPageFast: timeEach(sample.pages, fast),
  };
}

/** The raw transfer limit: the same bodies from a bare Fastify route, read one after another. */
async function rawTransfer(bodies) {
  const bare = Fastify({ logger: false });
  bare.get('/page/:n', async (request, reply) =>
    reply.type('application/json; charset=utf-8').send(bodies[Number(request.params.n)]),
  );
  const address = await bare.listen({ port: 0, host: '127.0.0.1' });
  const start = performance.now();
  let bytes = 0;
  for (let n = 0; n < bodies.length; n += 1) {
    const text = await (await fetch(`${address}/page/${n}`)).text();
    bytes += Buffer.byteLength(text);
  }
  const wallMs = performance.now() - start;
  await bare.close();
  return { wallMs, bytes };
}

/** Every captured body of every city, with the key of the city that signed it. */
function captured(cities) {
  const bodies = cities.flatMap((city) => city.feed.bodies);
  const signatures = cities.flatMap((city) => envelopesOf(city.feed.bodies, city.hubCode));
  return { bodies, signatures };
}

async function setUp() {
  const province = await startHub(PROVINCE, 'province');
  const cities = [];
  const start = performance.now();
  for (let i = 0; i < CITIES; i += 1) {
    const city = await startHub(cityCode(i), 'city');
    await seedCity(city);
    city.url = await city.server.listen({ port: 0, host: '127.0.0.1' });
    await pin(province, city);
    cities.push(city);
    process.stderr.write(
      `seeded ${city.hubCode} (${RESOURCES}) at ${((performance.now() - start) / 1000).toFixed(0)} s\n`,
    );
  }
  return { province, cities, seedMs: performance.now() - start };
}

function row(label, figures) {
  return { label, ...figures };
}

function phaseRow(label, phase, feed, totals) {
  const s = (ms) => Number((ms / 1000).toFixed(2));
  return row(label, {
    wallS: s(phase.wallMs),
    cpuS: s(phase.cpuMs),
    mb: Number((feed.bytes / 1e6).toFixed(2)),
    pages: feed.pages,
    applied: `${totals.create}+${totals.update}+${totals.tombstone}`,
    verifyS: s(phase.split.verify),
    signS: s(phase.split.sign),
    gcS: s(phase.split.gc),
    idleS: s(phase.split.idle),
    otherS: s(phase.split.other),
  });
}

export async function run() {
  const { province, cities, seedMs } = await setUp();
  const keys = new Map(cities.map((city) => [city.hubCode, city.hub.key.publicKey]));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  const results = [
    row(`seed ${CITIES} × ${RESOURCES} (batch, publish, seedFeed)`, {
      wallS: Number((seedMs / 1000).toFixed(1)),
    }),
  ];
  try {
    const initial = await measured(session, 'initial', () => syncAll(province, cities));
    const initialFeed = feedTotals(cities);
    results.push(phaseRow('initial sync, all cities', initial, initialFeed, initial.result));
    const first = captured(cities);
    resetFeeds(cities);
    let changed;
    for (const city of cities) changed = await changeCity(city);
    const incremental = await measured(session, 'incremental', () => syncAll(province, cities));
    const label = `incremental sync (${changed.changes} changes a city, ${changed.withdrawals} withdrawn)`;
    results.push(phaseRow(label, incremental, feedTotals(cities), incremental.result));
    const second = captured(cities);
    results.push(...(await limits(first, second, keys, initial, incremental)));
  } finally {
    session.disconnect();
    for (const hub of [province, ...cities]) await hub.dispose();
  }
  return results;
}

async function limits(first, second, keys, initial, incremental) {
  const transfer = await rawTransfer(first.bodies);
  const transferAgain = await rawTransfer(second.bodies);
  const sm2 = rawVerify(first.signatures, keys);
  const s = (ms) => Number((ms / 1000).toFixed(2));
  const verifyMs = (signatures) => signatures.length * sm2.msEach;
  return [
    row('limit: same page bodies, bare Fastify route (initial)', {
      wallS: s(transfer.wallMs),
      mb: Number((transfer.bytes / 1e6).toFixed(2)),
      pages: first.bodies.length,
      ratio: Number((transfer.wallMs / initial.wallMs).toFixed(4)),
    }),
    row('limit: same page bodies, bare Fastify route (incremental)', {
      wallS: s(transferAgain.wallMs),
      mb: Number((transferAgain.bytes / 1e6).toFixed(2)),
      pages: second.bodies.length,
      ratio: Number((transferAgain.wallMs / incremental.wallMs).toFixed(4)),
    }),
    row(`limit: sm2Verify, ${sm2.verified} of the signatures, one core`, {
      msEach: Number(sm2.msEach.toFixed(3)),
      perSecond: Math.round(1000 / sm2.msEach),
    }),
    row(`sm-crypto-v2 verify, key precomputed once a city, same ${sm2.verified}`, {
      msEach: Number(sm2.msPrecomputed.toFixed(3)),
      perSecond: Math.round(1000 / sm2.msPrecomputed),
    }),
    row(`… and e = SM3(Z ‖ message) by node:crypto, same ${sm2.verified}`, {
      msEach: Number(sm2.msFast.toFixed(3)),
      perSecond: Math.round(1000 / sm2.msFast),
    }),
    row(`limit: sm2Verify × ${first.signatures.length} signatures (initial, from the rate)`, {
      wallS: s(verifyMs(first.signatures)),
      ratio: Number((verifyMs(first.signatures) / initial.wallMs).toFixed(3)),
    }),
    row(`limit: sm2Verify × ${second.signatures.length} signatures (incremental, from the rate)`, {
      wallS: s(verifyMs(second.signatures)),
      ratio: Number((verifyMs(second.signatures) / incremental.wallMs).toFixed(3)),
    }),
    row(`a page signature (${sm2.pages} pages): sm2Verify / precomputed + node SM3`, {
      msEach: Number(sm2.msPage.toFixed(1)),
      msFast: Number(sm2.msPageFast.toFixed(1)),
    }),
    row(`page signatures only: ${first.bodies.length} pages (initial, from the rates)`, {
      wallS: s(first.bodies.length * sm2.msPage),
      fastS: s(first.bodies.length * sm2.msPageFast),
    }),
    row(`all ${first.signatures.length} signatures, key precomputed (initial, from the rate)`, {
      wallS: s(first.signatures.length * sm2.msPrecomputed),
    }),
    row(`all ${first.signatures.length} signatures, precomputed + node SM3 (initial, from the rate)`, {
      wallS: s(first.signatures.length * sm2.msFast),
    }),
  ];
}

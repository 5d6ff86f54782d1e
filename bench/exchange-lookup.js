// Issue 7, Performance: a point lookup under a grant — `GET /ses/r1/{service}/rows?GMSFHM=<key>`,
// each request signed on its own (HMAC-SM3, fresh nonce and request id), so the hub checks the
// signature, reads the credential and the grant, reads the row by key, masks it and appends the
// call's audit entry with its nonce and quota count — driven by autocannon over loopback at 100
// connections, against a bare Fastify route reading the same row by key from the same database
// with the raw driver and answering it as JSON. On SQLite and on PostgreSQL.
//
// The hub and the bare route run in a child process (one core), autocannon and the signer in
// this one (the other core). How much of the client's CPU the signing costs is measured too.
// MINJIANG_BENCH_ENGINE=sqlite|postgres runs one engine; MINJIANG_BENCH_ROWS (100,000),
// MINJIANG_BENCH_SECONDS (10), MINJIANG_BENCH_RUNS (3) and MINJIANG_BENCH_CONNECTIONS (100) set
// the size; MINJIANG_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres) the server on
// which a fresh database is created and dropped; MINJIANG_BENCH_PROFILE=<folder> writes there a
// CPU profile of the server process during the measured hub runs only (not set-up, not the bare
// route).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { createServer, initialiseHub, loadConfig, memberId } from '@minjiang/hub';
import { codeTable, signRequest } from '@minjiang/standards';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROWS = Number(process.env.MINJIANG_BENCH_ROWS ?? 100_000);
const SECONDS = Number(process.env.MINJIANG_BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.MINJIANG_BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.MINJIANG_BENCH_CONNECTIONS ?? 100);
const PG = process.env.MINJIANG_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ENGINES = process.env.MINJIANG_BENCH_ENGINE
  ? [process.env.MINJIANG_BENCH_ENGINE]
  : ['sqlite', 'postgres'];
const PROFILE = process.env.MINJIANG_BENCH_PROFILE;
const CODE = '3350010001/000001';
const PURPOSE = 'SCJG-0101';
const USER = 'hmac-sm3:YmVuY2gtdXNlcg==';
const TARGETS = { ratio: 0.3, p99: 50 };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The n-th stored resident ID (GB 11643 check character): 20,000 birthdays × 3-digit sequence. */
export function residentId(n) {
  const birth = new Date(Date.UTC(1950, 0, 1 + (n % 20_000))).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `350102${birth}${String(Math.floor(n / 20_000)).padStart(3, '0')}`;
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * WEIGHTS[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

function department(code, hubCode) {
  const row = codeTable('fujian-departments').data.find((entry) => entry.code === code);
  return { id: memberId(hubCode, String(row.uscc)), uscc: String(row.uscc), name: row.label };
}

/** The full fixture as GAT's 无条件共享 resource (every item shared, interface method). */
function resourceEntry(gat) {
  const full = JSON.parse(readFileSync(join(root, 'fixtures/catalog-resource/valid/full.json'), 'utf8'));
  delete full.relatedResources;
  const items = full.items.map((original) => {
    const item = { ...original };
    delete item.shareType;
    delete item.shareCondition;
    return item;
  });
  return {
    ...full,
    code: CODE,
    items,
    provider: { name: gat.name, uscc: gat.uscc, regionCode: '350000' },
    sharing: { type: '无条件共享', methodCategory: '共享平台方式', methodTypes: ['接口'] },
  };
}

/** `inject` with a bearer token, refusing any status but `expected`. */
async function call(server, token, method, url, payload, expected) {
  const answer = await server.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
  if (answer.statusCode !== expected)
    throw new Error(`${method} ${url}: ${answer.statusCode} ${answer.body}`);
  return answer.json();
}

/** Stores ROWS person rows of the resource with the hub's row store, as a commit would. */
async function storeBenchRows(server) {
  const { storedRow, storeRows } = await import('../packages/hub/dist/modules/aggregation/row-store.js');
  const { db, engine } = server.hub.store;
  const now = new Date().toISOString();
  for (let start = 0; start < ROWS; start += 5_000) {
    const batch = [];
    for (let n = start; n < Math.min(ROWS, start + 5_000); n++) {
      const id = residentId(n);
      const row = {
        公民身份号码: id,
        姓名: `测试${n}`,
        性别: String((n % 2) + 1),
        民族: '01',
        出生日期: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
        户籍地址: `福建省福州市鼓楼区测试路${n}号`,
        户籍地行政区划: '350102',
        更新时间: '2026-09-01 08:00:00',
      };
      batch.push(storedRow([id], row));
    }
    await db.transaction().execute((trx) => storeRows(trx, engine, CODE, 'S-bench', batch, now));
  }
}

/** Publishes the resource, stores the rows, and has SCJG granted four items (API, no per-second limit). */
async function setUpGrant(server, adminToken) {
  const hubCode = server.hub.config.hubCode;
  const gat = department('GAT', hubCode);
  const scjg = department('SCJG', hubCode);
  const token = async (orgId, roles) =>
    (await call(server, adminToken, 'POST', '/api/v1/tokens', { orgId, name: 'bench', roles }, 201)).token;
  const provider = await token(gat.id, ['officer']);
  const applicant = await token(scjg.id, ['officer']);
  const path = `/api/v1/catalog/resources/${encodeURIComponent(CODE)}`;
  await call(server, provider, 'PUT', path, resourceEntry(gat), 201);
  await call(server, provider, 'POST', `${path}:submit`, undefined, 200);
  await call(server, adminToken, 'POST', `${path}:approve`, undefined, 200);
  await storeBenchRows(server);
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const application = await call(
    server,
    applicant,
    'POST',
    '/api/v1/applications',
    {
      resourceCode: CODE,
      items: ['公民身份号码', '姓名', '出生日期', '户籍地行政区划'],
      purposeCode: PURPOSE,
      purpose: '企业开办时核验法定代表人的身份与户籍信息',
      scenario: { class: '政务服务', description: '企业开办“一件事”联办' },
      legalBasis: '《中华人民共和国市场主体登记管理条例》第十二条',
      mode: 'API',
      period: { from: today, to: nextYear },
      expectedVolume: { perDay: 2000 },
      contact: { name: '林晓', phone: '0591-87654321' },
      securityCommitment: { accepted: true, text: '仅用于企业登记核验，不向第三方提供，按要求删除。' },
    },
    201,
  );
  const approved = await call(
    server,
    adminToken,
    'POST',
    `/api/v1/applications/${encodeURIComponent(application.id)}/approve`,
    { quota: { perDay: 100_000_000 } },
    200,
  );
  const grantPath = `/api/v1/grants/${encodeURIComponent(approved.grant)}`;
  const issued = await call(server, applicant, 'POST', `${grantPath}/credentials`, undefined, 201);
  const view = await call(server, applicant, 'GET', grantPath, undefined, 200);
  return {
    client: scjg.id,
    grant: approved.grant,
    service: view.document.target,
    appKey: issued.appKey,
    secret: issued.secret,
  };
}

/** The bare limit: one Fastify route reading the row by key with the raw driver, as JSON. */
async function bareRoute(server) {
  const { engine, location } = server.hub.store;
  let lookup;
  let close;
  if (engine === 'sqlite') {
    const SQLite = createRequire(join(root, 'packages/hub/package.json'))('better-sqlite3');
    const sqlite = new SQLite(location);
    const statement = sqlite.prepare('select row from data_rows where resource_code = ? and row_key = ?');
    lookup = async (key) => statement.get(CODE, key)?.row;
    close = async () => sqlite.close();
  } else {
    const pool = new pg.Pool({ connectionString: process.env.MINJIANG_DATABASE_URL, max: 10 });
    lookup = async (key) =>
      (await pool.query('select row from data_rows where resource_code = $1 and row_key = $2', [CODE, key]))
        .rows[0]?.row;
    close = () => pool.end();
  }
  const bare = Fastify({ logger: false });
  bare.get('/rows', async (request, reply) => {
    const row = await lookup(JSON.stringify([request.query.GMSFHM]));
    if (row === undefined) return reply.code(404).send({ rows: [] });
    return { rows: [JSON.parse(row)] };
  });
  const address = await bare.listen({ host: '127.0.0.1', port: 0 });
  return { address, close: async () => (await bare.close(), await close()) };
}

/** The server process: a hub (not started: no scheduler) and the bare route, answering the parent. */
async function serve() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-bench-lookup-'));
  const databaseUrl = process.env.MINJIANG_DATABASE_URL || undefined;
  const server = await createServer(loadConfig({ dataDir, databaseUrl, logLevel: 'warn', port: 0 }, {}));
  // What the hub sent, by status: requests still in flight when a run ends are answered (and
  // audited) after autocannon stopped counting.
  const sent = {};
  server.addHook('onResponse', async (_request, reply) => {
    sent[reply.statusCode] = (sent[reply.statusCode] ?? 0) + 1;
  });
  // … and those whose connection autocannon closed at a run's end: the hub still records them
  // (audit before release), then has no one to answer.
  server.addHook('onRequestAbort', async (request) => {
    if (request.url.startsWith('/ses/')) sent.aborted = (sent.aborted ?? 0) + 1;
  });
  await server.ready();
  const init = await initialiseHub(server);
  const credential = await setUpGrant(server, init.adminToken.token);
  const hub = await server.listen({ host: '127.0.0.1', port: 0 });
  const bare = await bareRoute(server);
  const audited = async () =>
    Number(
      (
        await server.hub.store.db
          .selectFrom('audit_entries')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', 'api.call')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const profiler = new Session();
  profiler.connect();
  process.on('message', async (message) => {
    if (message === 'profile' && PROFILE) {
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    if (message === 'profiled' && PROFILE) {
      const { profile } = await profiler.post('Profiler.stop');
      const engine = server.hub.store.engine;
      writeFileSync(join(PROFILE, `exchange-lookup-${engine}.cpuprofile`), JSON.stringify(profile));
    }
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ cpu: user + system });
    }
    if (message === 'audited') {
      // Calls of clients that left are still queued for the log: wait until it stops growing.
      let count = await audited();
      for (let last = -1; count !== last; count = await audited()) {
        last = count;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      process.send({ audited: count, sent: { ...sent } });
    }
    if (message === 'stop') {
      await bare.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ ready: true, hub, bare: bare.address, credential });
}

/** Signed headers of one lookup: a fresh request id and nonce each time. */
function signedLookup(credential, key) {
  const path = `/ses/r1/${encodeURIComponent(credential.service)}/rows`;
  const query = `GMSFHM=${key}`;
  const headers = {
    'ses-client': credential.client,
    'ses-grant': credential.grant,
    'ses-request-id': uuidV7(),
    'ses-purpose': PURPOSE,
    'ses-user': USER,
  };
  const signed = signRequest(
    { method: 'GET', path, query: `?${query}`, headers },
    { alg: 'hmac-sm3', keyid: credential.appKey, secret: credential.secret },
  );
  return { path: `${path}?${query}`, headers: { ...headers, ...signed } };
}

function uuidV7() {
  const hex = Date.now().toString(16).padStart(12, '0');
  const rest = randomUUID().replace(/-/g, '');
  const variant = '89ab'[Number.parseInt(rest[16], 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rest.slice(13, 16)}-${variant}${rest.slice(17, 20)}-${rest.slice(20, 32)}`;
}

const randomKey = () => residentId(Math.floor(Math.random() * ROWS));

/** One autocannon run; answers its figures, the client's CPU share, and a sample refusal. */
async function load(url, request, seconds) {
  const statuses = {};
  let sample;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, ...request() }),
        onResponse: (status, body) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 300 && sample === undefined) sample = `${status} ${String(body).slice(0, 200)}`;
        },
      },
    ],
  });
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - start;
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses,
    sample,
    clientCpu: (used.user + used.system) / 1000 / wall,
  };
}

/** Microseconds to sign one lookup, in this process alone. */
function signingCost(credential) {
  const n = 20_000;
  for (let i = 0; i < 2_000; i++) signedLookup(credential, randomKey());
  const start = performance.now();
  for (let i = 0; i < n; i++) signedLookup(credential, randomKey());
  return ((performance.now() - start) * 1000) / n;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => `${round(Math.min(...values))}–${round(Math.max(...values))}`;
const round = (value) => (value >= 100 ? Math.round(value) : Number(value.toPrecision(3)));

function startServer(env) {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, ...message }));
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}`)));
  });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function freshDatabase() {
  const name = `minjiang_bench_lookup_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: PG });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function benchEngine(engine) {
  const db = engine === 'postgres' ? await freshDatabase() : undefined;
  try {
    const server = await startServer({ MINJIANG_DATABASE_URL: db?.url ?? '' });
    try {
      const { credential } = server;
      const hubRequest = () => signedLookup(credential, randomKey());
      const bareRequest = () => ({ path: `/rows?GMSFHM=${randomKey()}` });
      // The server process's CPU per answer: unlike req/s, it hardly moves when other work shares
      // the cores, so the ratio of the two costs is the figure to compare on a busy machine.
      const measured = async (url, request, seconds) => {
        const before = (await ask(server.child, 'cpu')).cpu;
        const figures = await load(url, request, seconds);
        const after = (await ask(server.child, 'cpu')).cpu;
        return { ...figures, cpuUs: (after - before) / Math.max(1, figures.ok) };
      };
      const before = await ask(server.child, 'audited');
      const hub = [await load(server.hub, hubRequest, 2)];
      await load(server.bare, bareRequest, 2);
      const bare = [];
      for (let run = 0; run < RUNS; run++) {
        bare.push(await measured(server.bare, bareRequest, SECONDS));
        server.child.send('profile');
        hub.push(await measured(server.hub, hubRequest, SECONDS));
        server.child.send('profiled');
      }
      const after = await ask(server.child, 'audited');
      const sent = (status) => (after.sent[status] ?? 0) - (before.sent[status] ?? 0);
      const refused = Object.keys(after.sent).filter(
        (status) => !['200', 'aborted'].includes(status) && sent(status) > 0,
      );
      return summarise(engine, bare, hub.slice(1), {
        audited: after.audited - before.audited,
        sent: sent('200'),
        aborted: sent('aborted'),
        refused: refused.map((status) => `${status}×${sent(status)}`).join(' ') || 'none',
        received: hub.reduce((sum, run) => sum + run.ok, 0),
        signUs: signingCost(credential),
      });
    } finally {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.send('stop');
      await exited;
    }
  } finally {
    await db?.drop();
  }
}

function summarise(engine, bare, hub, { audited, sent, aborted, refused, received, signUs }) {
  const label = engine === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const row = (measure, runs) => ({
    engine: label,
    measure,
    'req/s': round(median(runs.map((r) => r.rps))),
    'req/s spread': spread(runs.map((r) => r.rps)),
    'p50 ms': median(runs.map((r) => r.p50)),
    'p99 ms': median(runs.map((r) => r.p99)),
    'p99 by run': runs.map((r) => r.p99).join(' / '),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    'errors/timeouts': runs.reduce((sum, r) => sum + r.errors, 0),
    'client CPU': `${Math.round(median(runs.map((r) => r.clientCpu)) * 100)}%`,
    'server CPU µs/answer': round(median(runs.map((r) => r.cpuUs))),
  });
  const bareRow = row('bare Fastify route, raw driver (limit)', bare);
  const hubRow = row('hub: signed lookup under a grant', hub);
  const ratio = hubRow['req/s'] / bareRow['req/s'];
  const refusals = hub.flatMap((r) => (r.sample ? [r.sample] : []));
  return [
    bareRow,
    {
      ...hubRow,
      ratio: Number(ratio.toFixed(2)),
      'CPU ratio (bare µs / hub µs)': Number(
        (bareRow['server CPU µs/answer'] / hubRow['server CPU µs/answer']).toFixed(2),
      ),
      targets: `${ratio >= TARGETS.ratio ? 'met' : 'missed'} ≥ 30%; ${hubRow['p99 ms'] < TARGETS.p99 ? 'met' : 'missed'} p99 < 50 ms`,
      // The hub's own count of 200s (and of calls whose client left at a run's end); the client
      // counted fewer 2xx by the answers in flight when each run stopped.
      'audit entries = hub 200s + aborted (client 2xx)': `${audited} ${audited === sent + aborted ? '=' : '≠'} ${sent} + ${aborted} (${received})`,
      'hub non-200s': refused,
      'signing µs/req': Number(signUs.toFixed(1)),
      'signing share of a core': `${Math.round((signUs * hubRow['req/s']) / 10_000)}%`,
      ...(refusals.length ? { refusal: refusals[0] } : {}),
    },
  ];
}

export async function run() {
  const results = [];
  for (const engine of ENGINES) results.push(...(await benchEngine(engine)));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') await serve();

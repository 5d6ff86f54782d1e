// The hub's catalog registry, measured over loopback HTTP on each engine:
//  - batch upsert of N generated resources (1,000 per request), then the same N again (all unchanged);
//  - keyword search over the registry: p50/p95 for 1-, 2- and 4-character Chinese terms.
// Limits measured in the same run: a bare Fastify route taking the same batch bodies (HTTP + JSON
// only), and a bare Fastify route answering a query (the floor of any request).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { createServer, initialiseHub, loadConfig } from '@minjiang/hub';
import { codeTable } from '@minjiang/standards';

const FULL = JSON.parse(
  readFileSync(new URL('../fixtures/catalog-resource/valid/full.json', import.meta.url), 'utf8'),
);
const WORDS = [
  '人口',
  '户籍',
  '婚姻',
  '不动产',
  '社保',
  '参保',
  '企业',
  '法人',
  '许可',
  '处罚',
  '医疗',
  '学籍',
  '公积金',
  '车辆',
  '驾驶',
  '证照',
  '纳税',
  '信用',
  '低保',
  '出生',
  '交通',
  '环境',
  '监测',
  '养老',
  '就业',
];
const TERMS = {
  1: ['人', '证', '企', '税'],
  2: ['户籍', '社保', '企业', '信用'],
  4: ['不动产登', '婚姻登记', '企业信用', '社保参保'],
};

// Entries belong to a department that `hub init` registers: the hub refuses unknown providers.
const GAT = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');
const PROVIDER = { name: GAT.label, uscc: GAT.uscc, regionCode: '350000' };

function entry(n) {
  const a = WORDS[n % WORDS.length];
  const b = WORDS[Math.floor(n / WORDS.length) % WORDS.length];
  return {
    ...structuredClone(FULL),
    code: `3350010001/${String(n).padStart(6, '0')}`,
    name: `${a}${b}登记信息${n}`,
    keywords: a === b ? [a] : [a, b],
    provider: PROVIDER,
    relatedResources: [],
  };
}

function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function post(url, token, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const answer = await response.json();
  // A batch answers 207 when an entry failed: a benchmark that timed failures would measure nothing.
  if (response.status !== 200 || (answer.summary && answer.summary.failed > 0)) {
    throw new Error(`${url}: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return answer;
}

async function bareLimits(bodies) {
  const bare = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  bare.post('/batch', async (request) => ({ received: request.body.entries.length }));
  bare.get('/search', async (request) => ({ items: [], q: request.query.q }));
  const address = await bare.listen({ port: 0, host: '127.0.0.1' });
  const start = performance.now();
  for (const body of bodies) await post(`${address}/batch`, null, body);
  const batchPerSecond = (bodies.length * 1000) / ((performance.now() - start) / 1000);
  const latencies = [];
  for (let i = 0; i < 200; i += 1) {
    const t = performance.now();
    await (await fetch(`${address}/search?q=${encodeURIComponent('户籍')}`)).arrayBuffer();
    latencies.push(performance.now() - t);
  }
  await bare.close();
  return { batchPerSecond, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function startHub(engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minjiang-bench-hub-'));
  const databaseUrl = engine === 'postgres' ? await freshPostgres() : undefined;
  const config = loadConfig(
    {
      dataDir,
      logLevel: 'warn',
      bodyLimit: 64 * 1024 * 1024,
      port: 0,
      ...(databaseUrl ? { databaseUrl } : {}),
    },
    {},
  );
  const server = await createServer(config);
  await server.ready();
  const init = await initialiseHub(server, { issueAdminToken: true });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    server,
    address,
    token: init.adminToken.token,
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function freshPostgres() {
  const { default: pg } = await import('pg');
  const base = process.env.MINJIANG_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `minjiang_bench_${Date.now()}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function upsertAll(hub, bodies) {
  const start = performance.now();
  for (const body of bodies) await post(`${hub.address}/api/v1/catalog/resources:batch`, hub.token, body);
  return (bodies.length * 1000) / ((performance.now() - start) / 1000);
}

async function searchLatencies(hub, terms, rounds = 25) {
  const latencies = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const term of terms) {
      const t = performance.now();
      const response = await fetch(
        `${hub.address}/api/v1/catalog/resources?limit=50&q=${encodeURIComponent(term)}`,
        { headers: { authorization: `Bearer ${hub.token}` } },
      );
      await response.arrayBuffer();
      latencies.push(performance.now() - t);
    }
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

export async function run({
  upsertCount = 10_000,
  searchCount = 50_000,
  engines = ['sqlite', 'postgres'],
} = {}) {
  const bodies = (count, offset = 0) =>
    Array.from({ length: count / 1000 }, (_, b) =>
      JSON.stringify({ entries: Array.from({ length: 1000 }, (_, i) => entry(offset + b * 1000 + i + 1)) }),
    );
  const upsertBodies = bodies(upsertCount);
  const limit = await bareLimits(upsertBodies);
  const results = [
    {
      label: 'bare Fastify: batch bodies received (limit)',
      engine: '-',
      perSecond: Math.round(limit.batchPerSecond),
      p50Ms: Number(limit.p50.toFixed(2)),
      p95Ms: Number(limit.p95.toFixed(2)),
    },
  ];
  for (const engine of engines) {
    const hub = await startHub(engine);
    try {
      results.push({
        label: `batch upsert, first (${upsertCount})`,
        engine,
        perSecond: Math.round(await upsertAll(hub, upsertBodies)),
      });
      results.push({
        label: `batch upsert, again (all unchanged)`,
        engine,
        perSecond: Math.round(await upsertAll(hub, upsertBodies)),
      });
      await upsertAll(hub, bodies(searchCount - upsertCount, upsertCount));
      for (const [length, terms] of Object.entries(TERMS)) {
        const { p50, p95 } = await searchLatencies(hub, terms);
        results.push({
          label: `search ${length}-character terms over ${searchCount}`,
          engine,
          p50Ms: Number(p50.toFixed(2)),
          p95Ms: Number(p95.toFixed(2)),
        });
      }
    } finally {
      await hub.server.close();
      hub.dispose();
    }
  }
  return results;
}

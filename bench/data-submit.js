// `minjiang data submit` of the same generated 1,000,000-row, 20-column CSV as data-validate,
// end to end (the built CLI reads, chunks, gzips, checksums and uploads; the hub checks, decodes,
// validates every row, stores by key and files the bad rows), into a hub process on PostgreSQL
// and on SQLite, against a bare `psql \copy` of the same file into a table of 20 text columns:
// the most a database load of this file can do on this machine. Peak RSS per process.
// MINJIANG_BENCH_ROWS sets the size; MINJIANG_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres)
// the server, on which fresh databases are created and dropped.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient } from '@minjiang/sdk';
import { codeTable } from '@minjiang/standards';
import { generate, RESOURCE } from './data-validate.js';
import { measure, measureOk } from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'packages/cli/bin/run.js');
const RSS = join(root, 'bench/max-rss.js');
const ROWS = Number(process.env.MINJIANG_BENCH_ROWS ?? 1_000_000);
// MINJIANG_BENCH_ENGINES=sqlite (or postgres) measures one engine only.
const ENGINES = (process.env.MINJIANG_BENCH_ENGINES ?? 'postgres,sqlite').split(',');
const PG = process.env.MINJIANG_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// MINJIANG_BENCH_PROFILE=<folder>: CPU profiles of the hub and the CLI processes go there.
// MINJIANG_BENCH_HUB_LOG=<file>: the hubs log at level info (each request's time) to that file.
const HUB_LOG = process.env.MINJIANG_BENCH_HUB_LOG;
const PROFILE = process.env.MINJIANG_BENCH_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MINJIANG_BENCH_PROFILE}`]
  : [];

/** A process to its end: node with the RSS hook (and the profile flags), or psql. */
async function exec(command, args, env = {}) {
  if (command === process.execPath) return measureOk(args, { env, nodeArgs: PROFILE }, [0, 1]);
  const result = await measure(command, args, { env, node: false });
  if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr}`);
  return result;
}

async function psql(database, command) {
  const url = new URL(PG);
  url.pathname = `/${database}`;
  const result = await exec('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-qc', command]);
  return result;
}

/** A fresh database on the server; returns its URL and how to drop it. */
async function freshDatabase(name) {
  await psql('postgres', `create database ${name}`);
  const url = new URL(PG);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql('postgres', `drop database if exists ${name} with (force)`),
  };
}

async function bareCopy(file) {
  const db = await freshDatabase(`minjiang_bench_copy_${process.pid}`);
  try {
    const columns = RESOURCE.items.map((_, i) => `c${i} text`).join(', ');
    await psql(`minjiang_bench_copy_${process.pid}`, `create table rows (${columns})`);
    const copied = await psql(
      `minjiang_bench_copy_${process.pid}`,
      `\\copy rows from '${file}' with (format csv, header true, encoding 'UTF8')`,
    );
    return { measure: 'psql \\copy into 20 text columns (limit)', seconds: copied.seconds, mib: NaN };
  } finally {
    await db.drop();
  }
}

function startHub(env) {
  const rssFile = join(tmpdir(), `minjiang-rss-hub-${process.pid}-${Math.random()}`);
  const child = spawn(process.execPath, [...PROFILE, '--import', RSS, BIN, 'hub', 'start', '--port', '0'], {
    env: { ...process.env, ...env, MINJIANG_BENCH_RSS: rssFile },
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (HUB_LOG) appendFileSync(HUB_LOG, chunk);
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match) resolve({ child, address: match[1], rssFile });
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${stderr}`)));
  });
}

async function stopHub(hub) {
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill('SIGTERM');
  await exited;
  const mib = existsSync(hub.rssFile) ? Number(readFileSync(hub.rssFile, 'utf8')) / 1024 : NaN;
  rmSync(hub.rssFile, { force: true });
  return mib;
}

/** Publishes the bench resource as 福建省公安厅 and returns an officer token. */
async function publish(address, adminToken) {
  const admin = new HubClient({ baseURL: address, token: adminToken });
  const gat = codeTable('fujian-departments').data.find((row) => row.code === 'GAT');
  const { data: orgs } = await admin.transport.request({
    method: 'GET',
    path: '/api/v1/organisations?kind=department',
  });
  const orgId = orgs.items.find((org) => org.uscc === gat.uscc).id;
  const { data: issued } = await admin.transport.request({
    method: 'POST',
    path: '/api/v1/tokens',
    body: { orgId, name: 'bench officer', roles: ['officer'] },
  });
  const full = JSON.parse(readFileSync(join(root, 'fixtures/catalog-resource/valid/full.json'), 'utf8'));
  const entry = {
    ...full,
    ...RESOURCE,
    relatedResources: [],
    provider: { name: gat.label, uscc: gat.uscc, regionCode: '350000' },
  };
  // The catalog rules want a length for floating-point items; the rows' checks do not use it.
  entry.items = entry.items.map((item) =>
    item.dataType === 'B' && !item.length ? { ...item, length: 8 } : item,
  );
  const officer = new HubClient({ baseURL: address, token: issued.token });
  await officer.putResource(entry);
  await officer.submitResource(entry.code);
  await admin.approveResource(entry.code);
  await Promise.all([admin.close(), officer.close()]);
  return issued.token;
}

async function submitTo(engine, file, work) {
  const dataDir = join(work, `hub-${engine}`);
  const db = engine === 'postgres' ? await freshDatabase(`minjiang_bench_hub_${process.pid}`) : undefined;
  const env = {
    MINJIANG_DATA_DIR: dataDir,
    MINJIANG_LOG_LEVEL: HUB_LOG ? 'info' : 'warn',
    ...(db ? { MINJIANG_DATABASE_URL: db.url } : { MINJIANG_DATABASE_URL: '' }),
  };
  try {
    const init = JSON.parse((await exec(process.execPath, [BIN, 'hub', 'init', '--json'], env)).stdout);
    const hub = await startHub(env);
    let submitted;
    try {
      const token = await publish(hub.address, init.adminToken.token);
      submitted = await exec(
        process.execPath,
        [BIN, 'data', 'submit', file, '--resource', RESOURCE.code, '--json'],
        {
          MINJIANG_HUB: hub.address,
          MINJIANG_TOKEN: token,
          MINJIANG_CONFIG_DIR: join(work, 'config'),
        },
      );
    } finally {
      submitted = { ...submitted, hubMib: await stopHub(hub) };
    }
    if (process.env.MINJIANG_BENCH_VERBOSE) console.error(submitted.stderr);
    const result = JSON.parse(submitted.stdout).result;
    if (result.rows !== ROWS) throw new Error(`the hub took ${result.rows} rows, expected ${ROWS}`);
    return {
      measure: `minjiang data submit → hub on ${engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} (accepted ${result.accepted}, rejected ${result.rejected})`,
      seconds: submitted.seconds,
      mib: submitted.mib,
      hubMib: submitted.hubMib,
    };
  } finally {
    await db?.drop();
  }
}

export async function run() {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-bench-submit-'));
  try {
    const file = join(work, 'data.csv');
    await generate(file, ROWS);
    const results = [await bareCopy(file)];
    for (const engine of ENGINES) results.push(await submitTo(engine, file, work));
    const limit = results[0].seconds;
    return results.map((r) => ({
      file: `${ROWS.toLocaleString('en')} rows × 20`,
      measure: r.measure,
      seconds: Number(r.seconds.toFixed(2)),
      'rows/s': Math.round(ROWS / r.seconds),
      '× psql copy': Number((limit / r.seconds).toFixed(2)),
      'CLI peak MiB': Math.round(r.mib) || undefined,
      'hub peak MiB': Math.round(r.hubMib) || undefined,
    }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

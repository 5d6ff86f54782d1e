import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memberId } from '@minjiang/hub';
import { HubClient, readCatalogFile, readDataRows, type QualityScore } from '@minjiang/sdk';
import { codeTable, sm3Hex, type CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freshDatabase } from '../../packages/hub/test-utils/hub.js';
import { fillFixSheet, residentId } from '../../scripts/fill-fix-sheet.js';
import { assertSchema, BIN, runCli, startHub, type CliRun, type TestHub } from './cli-harness.js';

const DATA = fileURLToPath(new URL('../../fixtures/data/', import.meta.url));
const CATALOG = fileURLToPath(new URL('../../fixtures/catalogs/fujian-province.yaml', import.meta.url));
const EXPECTED = JSON.parse(readFileSync(join(DATA, 'household-population.expected.json'), 'utf8')) as {
  row: number;
  column: string;
  code: string;
}[];
const GAT_USCC = String(codeTable('fujian-departments').data.find((row) => row.code === 'GAT')?.uscc);
const CODE = '3350010001/000001';

interface SubmitJson {
  submission: string;
  resumed: boolean;
  chunks: { total: number; uploaded: number; skipped: number };
  result: Record<string, number | string> & { ticket?: string };
  receipt: { verified: boolean };
}

function sorted<T extends { row: number; code: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.row - b.row || a.code.localeCompare(b.code));
}

/** `rows` valid household rows with distinct keys: the fixture's header, generated values. */
function generatedCsv(header: string[], rows: number): string {
  const lines = [header.join(',')];
  const start = Date.UTC(1950, 0, 1);
  for (let i = 0; i < rows; i += 1) {
    const birth = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const sequence = (i % 400) * 2 + 1;
    const values: Record<string, string> = {
      公民身份号码: residentId(birth, sequence),
      姓名: `测试${i}`,
      曾用名: '',
      性别: '1',
      民族: '01',
      出生日期: birth,
      出生地行政区划: '350102',
      户籍地址: `福州市鼓楼区测试路${i}号`,
      户籍地行政区划: '350102',
      户号: `3501${String(i).padStart(8, '0')}`,
      与户主关系: '02',
      更新时间: '2024-08-15 02:10:00',
    };
    lines.push(header.map((column) => values[column] ?? '').join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The hub's stored-rows digest, computed from a file (docs/data-api.md, stats). */
async function localDigest(
  path: string,
  resource: CatalogResource,
): Promise<{ rows: number; digest: string }> {
  const source = await readDataRows(path);
  const items = (resource.items ?? []).map((item) => item.name);
  const keyItems = (resource.items ?? []).filter((item) => item.isKey).map((item) => item.name);
  const entries: [Buffer, string][] = [];
  for await (const row of source.rows) {
    const object: Record<string, string> = {};
    for (const item of items) {
      const at = source.header.indexOf(item);
      if (at >= 0) object[item] = (row.values[at] ?? '').trim();
    }
    const key = JSON.stringify(keyItems.map((item) => object[item] ?? ''));
    entries.push([Buffer.from(key, 'utf8'), sm3Hex(JSON.stringify(object))]);
  }
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  return { rows: entries.length, digest: sm3Hex(entries.map(([, hash]) => hash).join('')) };
}

// PostgreSQL too when MINJIANG_TEST_DATABASE_URL names a server, as for the hub's own suite (CI).
const engines = ENGINES.map((engine) => ({
  name: engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
  pg: engine === 'postgres',
}));

describe.each(engines)('data submit and the correction loop, built CLI, hub on $name', ({ pg }) => {
  const work = mkdtempSync(join(tmpdir(), 'minjiang-data-e2e-'));
  let hub: TestHub;
  let dropDb: (() => Promise<void>) | undefined;
  let officer: HubClient;
  let env: NodeJS.ProcessEnv;
  let resource: CatalogResource;
  let firstTicket = '';
  let qualityBefore: QualityScore;

  const cli = (args: string[]): Promise<CliRun> => runCli(args, { env, cwd: work });

  beforeAll(async () => {
    const database = pg ? await freshDatabase('postgres') : undefined;
    dropDb = database?.dispose;
    hub = await startHub(database?.databaseUrl ? { databaseUrl: database.databaseUrl } : {});
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const { data } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId: memberId('350000', GAT_USCC), name: 'data e2e', roles: ['officer'] },
    });
    officer = new HubClient({ baseURL: hub.address, token: data.token });
    const catalog = await readCatalogFile(CATALOG);
    resource = (catalog.resources as CatalogResource[]).find((r) => r.code === CODE)!;
    await officer.putResource(resource);
    await officer.submitResource(CODE);
    await admin.approveResource(CODE);
    await admin.close();
    env = {
      MINJIANG_HUB: hub.address,
      MINJIANG_TOKEN: data.token,
      MINJIANG_CONFIG_DIR: join(work, 'config'),
    };
  }, 60_000);

  afterAll(async () => {
    await officer?.close();
    await hub?.close();
    await dropDb?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('submits the fixture: 22 rows stored, 8 rejected into one ticket with exactly the expected problems', async () => {
    const run = await cli([
      'data',
      'submit',
      join(DATA, 'household-population.csv'),
      '--resource',
      CODE,
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(1);
    assertSchema('data-submit', run.json);
    const result = run.json as SubmitJson;
    expect(result.result).toMatchObject({
      rows: 30,
      accepted: 22,
      rejected: 8,
      inserted: 22,
      mode: 'incremental',
    });
    expect(result.receipt.verified).toBe(true);
    firstTicket = String(result.result.ticket);
    expect((await officer.data.dataStats(CODE)).rows).toBe(22);

    const list = await cli(['feedback', 'list', '--status', 'open', '--json']);
    expect(list.status).toBe(0);
    assertSchema('feedback-list', list.json);
    const listed = (list.json as { items: { id: string; records: { open: number } }[] }).items;
    expect(listed.map((ticket) => [ticket.id, ticket.records.open])).toEqual([[firstTicket, 8]]);
    const findings: { row: number; column: string; code: string }[] = [];
    for await (const problem of officer.data.listProblems(firstTicket))
      for (const { row, column, code } of problem.findings)
        findings.push({ row, column: column ?? '', code });
    expect(sorted(findings)).toEqual(sorted(EXPECTED));
    qualityBefore = await officer.data.resourceQuality(CODE);
    const quality = await cli(['data', 'quality', '--resource', CODE, '--json']);
    assertSchema('data-quality', quality.json);
    const status = await cli(['data', 'status', result.submission, '--json']);
    assertSchema('data-status', status.json);
    expect((status.json as { items: { status: string }[] }).items[0]?.status).toBe('committed');
  }, 60_000);

  it('pulls a fix sheet, takes corrections (one still wrong: exit 1), then closes the ticket; quality improves', async () => {
    const sheet = join(work, 'fix.xlsx');
    const pull = await cli(['feedback', 'pull', firstTicket, '--output', sheet, '--json']);
    expect(pull.status, pull.stderr).toBe(0);
    assertSchema('feedback-pull', pull.json);
    expect(pull.json).toMatchObject({ problems: 8, format: 'xlsx' });
    // Fill 更正值 where there is no suggestion; one value (民族 99) is still wrong.
    await fillFixSheet(sheet, { wrongNation: true });
    const first = await cli(['feedback', 'submit', sheet, '--accept-suggestions', '--json']);
    expect(first.status, first.stdout + first.stderr).toBe(1);
    assertSchema('feedback-submit', first.json);
    const answer = first.json as {
      summary: { accepted: number; rejected: number };
      tickets: { status: string }[];
    };
    expect(answer.summary).toEqual({ sent: 8, accepted: 7, rejected: 1 });

    const again = join(work, 'fix-again.csv');
    const pull2 = await cli(['feedback', 'pull', firstTicket, '--output', again, '--json']);
    expect(pull2.json).toMatchObject({ problems: 1, format: 'csv' });
    const text = readFileSync(again, 'utf8');
    const lines = text.split('\r\n');
    const cells = lines[1]!.split(',');
    cells[8] = '01';
    writeFileSync(again, [lines[0], cells.join(','), ...lines.slice(2)].join('\r\n'));
    const second = await cli(['feedback', 'submit', again, '--json']);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect((second.json as { tickets: { status: string; open: number }[] }).tickets[0]).toMatchObject({
      status: 'closed',
      open: 0,
    });
    expect((await officer.data.getTicket(firstTicket)).status).toBe('closed');
    expect((await officer.data.dataStats(CODE)).rows).toBe(30);
    const after = await officer.data.resourceQuality(CODE);
    expect(after.validity).toBeGreaterThan(qualityBefore.validity);
    expect(after.score).toBeGreaterThan(qualityBefore.score);
  }, 60_000);

  it('reads the GBK twin exactly as the UTF-8 file: the same 8 problems in a new ticket', async () => {
    const run = await cli([
      'data',
      'submit',
      join(DATA, 'household-population.gbk.csv'),
      '--resource',
      CODE,
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(1);
    const result = run.json as SubmitJson;
    expect(result.result).toMatchObject({ rows: 30, accepted: 22, rejected: 8, unchanged: 22, inserted: 0 });
    expect(result.result.ticket).not.toBe(firstTicket);
    const findings: { row: number; column: string; code: string }[] = [];
    for await (const problem of officer.data.listProblems(String(result.result.ticket)))
      for (const { row, column, code } of problem.findings)
        findings.push({ row, column: column ?? '', code });
    expect(sorted(findings)).toEqual(sorted(EXPECTED));
    const dispute = await cli([
      'feedback',
      'dispute',
      String(result.result.ticket),
      '--reason',
      '重复提交',
      '--json',
    ]);
    expect(dispute.status, dispute.stderr).toBe(0);
    assertSchema('feedback-dispute', dispute.json);
    expect(dispute.json).toMatchObject({ status: 'disputed' });
  }, 60_000);

  it('resumes after the CLI is killed mid-upload (full replace): every row exactly once', async () => {
    const big = join(work, 'big', 'population.csv');
    mkdirSync(join(work, 'big'));
    const header = readFileSync(join(DATA, 'household-population.csv'), 'utf8')
      .split('\n')[0]!
      .trim()
      .split(',');
    writeFileSync(big, generatedCsv(header, 20_000));
    const args = [
      'data',
      'submit',
      big,
      '--resource',
      CODE,
      '--mode',
      'full',
      '--chunk-rows',
      '100',
      '--json',
    ];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: work,
      env: { ...process.env, ...env, CI: '1' },
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    const states = join(work, 'big', '.minjiang', 'submissions');
    let id: string | undefined;
    let killedAt = 0;
    for (let i = 0; i < 3000 && killedAt === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!id && existsSync(states))
        id = readdirSync(states)
          .find((name) => !name.startsWith('.') && name.endsWith('.json'))
          ?.replace(/\.json$/, '');
      if (!id) continue;
      const submission = await officer.data.getSubmission(id).catch(() => undefined);
      if (submission && submission.chunks.count >= 3) {
        child.kill('SIGKILL');
        killedAt = submission.chunks.count;
      }
    }
    await closed;
    expect(id).toBeDefined();
    const interrupted = await officer.data.getSubmission(id!);
    expect(interrupted.status).toBe('open');
    expect(interrupted.chunks.count).toBeLessThan(200);

    const resumed = await cli([...args, '--resume', id!]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const result = resumed.json as SubmitJson;
    expect(result).toMatchObject({ submission: id, resumed: true });
    expect(result.chunks.total).toBe(200);
    expect(result.chunks.skipped).toBeGreaterThanOrEqual(killedAt);
    expect(result.chunks.uploaded + result.chunks.skipped).toBe(200);
    expect(result.result).toMatchObject({ rows: 20_000, accepted: 20_000, rejected: 0 });
    const stats = await officer.data.dataStats(CODE);
    expect(stats).toMatchObject(await localDigest(big, resource));

    // The file changed since: a resume is refused.
    writeFileSync(big, generatedCsv(header, 10));
    const refused = await cli([...args, '--resume', id!]);
    expect(refused.status).toBe(1);
    expect((refused.json as { error: { code: string } }).error.code).toBe('SUBMIT-FILE-CHANGED');
  }, 180_000);

  it('deletes a list of keys, counting the ones not stored as missing', async () => {
    const big = join(work, 'big', 'population.csv');
    const header = readFileSync(join(DATA, 'household-population.csv'), 'utf8')
      .split('\n')[0]!
      .trim()
      .split(',');
    const all = generatedCsv(header, 20_000).trimEnd().split('\n').slice(1);
    const keys = all.slice(0, 100).map((line) => line.split(',')[0]);
    const list = join(work, 'delete.csv');
    writeFileSync(list, ['公民身份号码', ...keys, residentId('1949-12-31', 1)].join('\n') + '\n');
    const run = await cli(['data', 'submit', list, '--resource', CODE, '--mode', 'delete', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect((run.json as SubmitJson).result).toMatchObject({
      rows: 101,
      deleted: 100,
      missing: 1,
      rejected: 0,
    });
    writeFileSync(big, `${[header.join(','), ...all.slice(100)].join('\n')}\n`);
    expect(await officer.data.dataStats(CODE)).toMatchObject(await localDigest(big, resource));
  }, 60_000);
});

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient, readCatalogFile } from '@minjiang/sdk';
import type { CatalogResource } from '@minjiang/standards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema, FIXTURES, runCli, startHub, type TestHub } from './cli-harness.js';

const DATA = fileURLToPath(new URL('../../fixtures/data/', import.meta.url));
const CATALOG = join(FIXTURES, 'fujian-province.yaml');
const RESOURCE = '3350010001/000001'; // 常住人口基本信息, provided by 福建省公安厅
const OFFLINE = ['--resource', RESOURCE, '--catalog', CATALOG];

interface Located {
  row: number;
  column?: string;
  code: string;
}
interface DataReport {
  encoding?: string;
  rows: number;
  validRows: number;
  findings: (Located & { line?: number; value?: string; fix?: string })[];
  summary: { errors: number; warnings: number };
  passed: boolean;
}

const EXPECTED = JSON.parse(
  readFileSync(join(DATA, 'household-population.expected.json'), 'utf8'),
) as Located[];
/** What the fix cannot settle: rows 9, 12 and 18 are fixed, the rest stays. */
const REMAINING = EXPECTED.filter((finding) => ![9, 12, 18].includes(finding.row));

const work = mkdtempSync(join(tmpdir(), 'minjiang-cli-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string, as = name): string {
  const path = join(work, as);
  copyFileSync(join(DATA, name), path);
  return path;
}

const located = (report: DataReport): Located[] =>
  report.findings.map(({ row, column, code }) => ({ row, column, code }));

describe('minjiang data validate, offline', () => {
  it.each([
    ['household-population.csv', 'utf-8'],
    ['household-population.gbk.csv', 'gbk'],
  ])('%s: --json matches the schema and the expected findings, exit 1', async (name, encoding) => {
    const run = await runCli(['data', 'validate', join(DATA, name), ...OFFLINE, '--json']);
    expect(run.status).toBe(1);
    assertSchema('data-validate', run.json);
    const report = run.json as DataReport;
    expect(report).toMatchObject({ encoding, rows: 30, validRows: 22, passed: false });
    expect(located(report)).toEqual(EXPECTED);
    expect(report.findings.find((f) => f.code === 'DATA-DATE-FORMAT')).toMatchObject({
      line: 19,
      value: '2023年5月1日',
      fix: '2023-05-01',
    });
    expect(report.findings[0]?.value).toMatch(/^\d{4}\*{10}\d{4}$/u);
  });

  it('writes a JUnit file with one failure per finding', async () => {
    const output = join(work, 'report.xml');
    const run = await runCli([
      'data',
      'validate',
      join(DATA, 'household-population.csv'),
      ...OFFLINE,
      '--format',
      'junit',
      '--output',
      output,
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const xml = readFileSync(output, 'utf8');
    expect(xml).toContain('<testsuites name="minjiang data validate" tests="1" failures="8">');
    expect([...xml.matchAll(/<failure type="([A-Z-]+)"/gu)].map((m) => m[1])).toEqual(
      EXPECTED.map((finding) => finding.code),
    );
  });

  it('annotates the lines of the file for GitHub', async () => {
    const file = join(DATA, 'household-population.csv');
    const run = await runCli(['data', 'validate', file, ...OFFLINE, '--format', 'github', '--lang', 'en']);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    // A data row's line is its row number plus the header line.
    expect(
      lines.map((line) => /^::error file=[^,]+,line=(\d+),title=([A-Z-]+) /u.exec(line)?.slice(1)),
    ).toEqual(EXPECTED.map((finding) => [String(finding.row + 1), finding.code]));
    expect(lines[1]).toContain('Gender is male but character 17 of 公民身份号码 says female');
  });

  it('prints text, and passes with --fail-on never', async () => {
    const file = join(DATA, 'household-population.csv');
    const text = await runCli(['data', 'validate', file, ...OFFLINE]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('✖ DATA-DATE-FORMAT');
    expect(text.stdout).toContain(`${file}:19 (出生日期)`);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(
      `${file}：30 行数据，22 行通过，8 个错误，0 个警告`,
    );
    const never = await runCli(['data', 'validate', file, ...OFFLINE, '--fail-on', 'never', '--json']);
    expect(never.status).toBe(0);
    expect(never.json).toMatchObject({ passed: true, failOn: 'never' });
  });
});

describe('minjiang data fix', () => {
  it.each([
    ['household-population.csv', 'utf-8'],
    ['household-population.gbk.csv', 'gbk'],
  ])(
    '%s: fixes three cells into <name>.fixed.csv; re-validation finds exactly the rest',
    async (name, encoding) => {
      const input = copy(name, `fix-${name}`);
      const original = readFileSync(input);
      const run = await runCli(['data', 'fix', input, ...OFFLINE, '--json']);
      expect(run.status).toBe(0);
      assertSchema('data-fix', run.json);
      const output = input.replace(/\.csv$/u, '.fixed.csv');
      expect(run.json).toMatchObject({
        file: input,
        encoding,
        output,
        written: true,
        rows: 30,
        changedRows: 3,
        changedCells: 3,
        before: { errors: 8 },
        remaining: { errors: 5, warnings: 0, validRows: 25 },
      });
      expect(
        (run.json as { changes: { line: number; to: string }[] }).changes.map((c) => [c.line, c.to]),
      ).toEqual([
        [10, '2'],
        [13, '1963-12-12'],
        [19, '2023-05-01'],
      ]);
      expect(readFileSync(input).equals(original)).toBe(true);

      const again = await runCli(['data', 'validate', output, ...OFFLINE, '--json']);
      expect(again.status).toBe(1);
      const report = again.json as DataReport;
      expect(report).toMatchObject({ encoding, rows: 30, validRows: 25, summary: { errors: 5 } });
      expect(located(report)).toEqual(REMAINING);

      // The default output is not overwritten silently.
      const twice = await runCli(['data', 'fix', input, ...OFFLINE, '--json']);
      expect(twice.status).toBe(2);
      assertSchema('error', twice.json);
      expect(twice.json).toMatchObject({ error: { code: 'FILE-EXISTS', location: output, exitCode: 2 } });
      expect((await runCli(['data', 'fix', input, ...OFFLINE, '--force'])).status).toBe(0);
    },
  );

  it('shows the fixes with --dry-run and writes nothing', async () => {
    const input = copy('household-population.csv', 'dry.csv');
    const run = await runCli(['data', 'fix', input, ...OFFLINE, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('  - 2023年5月1日\n  + 2023-05-01');
    expect(run.stdout).toContain('3 处修正，涉及 3 行（--dry-run：未写入）');
    expect(existsSync(join(work, 'dry.fixed.csv'))).toBe(false);
    const json = await runCli(['data', 'fix', input, ...OFFLINE, '--dry-run', '--json']);
    assertSchema('data-fix', json.json);
    expect(json.json).toMatchObject({ written: false, changedCells: 3 });
  });

  it('writes where --output says', async () => {
    const input = copy('household-population.csv', 'named.csv');
    const output = join(work, 'named-out.csv');
    const run = await runCli(['data', 'fix', input, ...OFFLINE, '--output', output, '--lang', 'en']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`✔ 3 fix(es) in 3 row(s), written to ${output}`);
    expect(run.stdout).toContain('5 error(s) and 0 warning(s) left to fix by hand');
    expect(readFileSync(output, 'utf8')).toContain(',郑伟,,2,01,2023-05-01,');
  });
});

describe('bad input', () => {
  it('a missing data file is a usage error (exit 2)', async () => {
    const run = await runCli(['data', 'validate', join(work, 'missing.csv'), ...OFFLINE, '--json']);
    expect(run.status).toBe(2);
    assertSchema('error', run.json);
    expect(run.json).toMatchObject({ error: { code: 'FILE-NOT-FOUND', exitCode: 2 } });
    expect((await runCli(['data', 'fix', join(work, 'missing.csv'), ...OFFLINE])).status).toBe(2);
  });

  it('unbalanced quotes: CSV-PARSE at the line, exit 1, nothing written by fix', async () => {
    const fixture = readFileSync(join(DATA, 'household-population.csv'), 'utf8');
    const file = join(work, 'quotes.csv');
    // Row 31 opens a quote that nothing closes: line 32 of the file.
    writeFileSync(file, `${fixture}350102195004088267,"林雅婷,,2,01\r\n`);
    const run = await runCli(['data', 'validate', file, ...OFFLINE, '--json']);
    expect(run.status).toBe(1);
    assertSchema('error', run.json);
    expect(run.json).toMatchObject({ error: { code: 'CSV-PARSE', location: `${file}:32`, exitCode: 1 } });
    const fix = await runCli(['data', 'fix', file, ...OFFLINE]);
    expect(fix.status).toBe(1);
    expect(fix.stderr).toContain('错误 [CSV-PARSE]');
    expect(existsSync(join(work, 'quotes.fixed.csv'))).toBe(false);
  });

  it('a header that does not fit the resource: DATA-HEADER, exit 1', async () => {
    const file = join(work, 'header.csv');
    writeFileSync(file, '编号,名称\n1,甲\n');
    const run = await runCli(['data', 'validate', file, ...OFFLINE, '--json']);
    expect(run.status).toBe(1);
    assertSchema('error', run.json);
    const error = (run.json as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ code: 'DATA-HEADER', location: file, exitCode: 1 });
    expect(error.message).toContain('编号、名称');
    expect(typeof error.hint).toBe('string');
    expect((await runCli(['data', 'fix', file, ...OFFLINE])).status).toBe(1);
  });

  it('a resource code the catalog does not have is a usage error', async () => {
    const file = join(DATA, 'household-population.csv');
    const run = await runCli(['data', 'validate', file, '--resource', 'X', '--catalog', CATALOG, '--json']);
    expect(run.status).toBe(2);
    expect(run.json).toMatchObject({ error: { code: 'RESOURCE-NOT-FOUND' } });
  });
});

describe('minjiang data validate against a hub on loopback', () => {
  let hub: TestHub;
  let env: NodeJS.ProcessEnv;

  /** 福建省公安厅 registers the resource and submits it; the admin publishes it. */
  async function publishResource(): Promise<void> {
    const catalog = await readCatalogFile(CATALOG);
    const resource = (catalog.resources as CatalogResource[]).find((r) => r.code === RESOURCE);
    if (!resource) throw new Error('fixture resource missing');
    const admin = new HubClient({ baseURL: hub.address, token: hub.adminToken });
    const { data: orgs } = await admin.transport.request<{
      items: { id: string; kind: string; uscc?: string }[];
    }>({ method: 'GET', path: '/api/v1/organisations' });
    // The hub knows the province's departments; register the provider only where it does not.
    let orgId = orgs.items.find((org) => org.uscc === resource.provider.uscc)?.id;
    if (!orgId) {
      orgId = `350000/GOV/${resource.provider.uscc}`;
      await admin.transport.request({
        method: 'POST',
        path: '/api/v1/organisations',
        body: {
          id: orgId,
          name: resource.provider.name,
          kind: 'department',
          uscc: resource.provider.uscc,
          regionCode: '350000',
          platformCode: '350000',
          memberClass: 'GOV',
          status: 'ACTIVE',
          parent: orgs.items.find((org) => org.kind === 'province')?.id ?? '350000/GOV/',
        },
      });
    }
    const { data: issued } = await admin.transport.request<{ token: string }>({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { orgId, name: 'e2e provider', roles: ['officer'] },
    });
    const provider = new HubClient({ baseURL: hub.address, token: issued.token });
    await provider.putResource(resource);
    await provider.submitResource(RESOURCE);
    await admin.approveResource(RESOURCE);
  }

  beforeAll(async () => {
    hub = await startHub();
    await publishResource();
    // Another department's officer: it sees the published version.
    env = {
      MINJIANG_HUB: hub.address,
      MINJIANG_TOKEN: hub.officerToken,
      MINJIANG_CONFIG_DIR: join(work, 'config'),
    };
  });
  afterAll(async () => hub.close());

  it('takes the row schema from the hub without --catalog', async () => {
    const file = join(DATA, 'household-population.gbk.csv');
    const run = await runCli(['data', 'validate', file, '--resource', RESOURCE, '--json'], { env });
    expect(run.status).toBe(1);
    assertSchema('data-validate', run.json);
    const report = run.json as DataReport & { resource: { code?: string; name: string } };
    expect(report.resource).toEqual({ code: RESOURCE, name: '常住人口基本信息' });
    expect(located(report)).toEqual(EXPECTED);
  });

  it('fixes against the hub too', async () => {
    const input = copy('household-population.csv', 'online.csv');
    const run = await runCli(['data', 'fix', input, '--resource', RESOURCE, '--json'], { env });
    expect(run.status).toBe(0);
    expect(run.json).toMatchObject({ changedCells: 3, remaining: { errors: 5 } });
  });

  it('maps the hub failures to exit codes: 4 not found, 3 no token, 6 unreachable', async () => {
    const file = join(DATA, 'household-population.csv');
    const missing = await runCli(['data', 'validate', file, '--resource', '3350010001/999999', '--json'], {
      env,
    });
    expect(missing.status).toBe(4);
    assertSchema('error', missing.json);
    const noToken = await runCli(['data', 'validate', file, '--resource', RESOURCE], {
      env: { ...env, MINJIANG_TOKEN: '' },
    });
    expect(noToken.status).toBe(3);
    const down = await runCli(['data', 'validate', file, '--resource', RESOURCE], {
      env: { ...env, MINJIANG_HUB: 'http://127.0.0.1:9' },
    });
    expect(down.status).toBe(6);
  });
});

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema, FIXTURES, runCli, startHub, type TestHub } from './cli-harness.js';

interface Expected {
  resource: number;
  code: string;
  location: string;
}
interface Report {
  findings: {
    code: string;
    pointer?: string;
    resource?: { index: number };
    location: Record<string, unknown>;
  }[];
  summary: { errors: number; resources: number };
  passed: boolean;
}

const work = mkdtempSync(join(tmpdir(), 'minjiang-cli-catalog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function expected(name: string): Expected[] {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Expected[];
}

/** A finding as the expected files list it: resource index, code, pointer inside the resource. */
function asExpected(report: Report): Expected[] {
  return report.findings.map((finding) => ({
    resource: finding.resource?.index ?? -1,
    code: finding.code,
    location: (finding.pointer ?? '').replace(/^\/resources\/\d+/, ''),
  }));
}

function sorted(list: Expected[]): Expected[] {
  return [...list].sort(
    (a, b) => a.resource - b.resource || a.code.localeCompare(b.code) || a.location.localeCompare(b.location),
  );
}

describe('minjiang catalog validate (offline)', () => {
  it('reports exactly the expected findings of the YAML draft, and exits 1', async () => {
    const run = await runCli(['catalog', 'validate', join(FIXTURES, 'department-draft.yaml'), '--json']);
    expect(run.status).toBe(1);
    assertSchema('catalog-validate', run.json);
    expect(sorted(asExpected(run.json as Report))).toEqual(
      sorted(expected('department-draft.expected.json')),
    );
  });

  it('reports the Excel catalog’s findings at their cells', async () => {
    const run = await runCli(['catalog', 'validate', join(FIXTURES, 'department-excel.xlsx'), '--json']);
    expect(run.status).toBe(1);
    const report = run.json as Report;
    expect(sorted(asExpected(report))).toEqual(sorted(expected('department-excel.expected.json')));
    for (const finding of report.findings) {
      const { sheet, row, column } = finding.location;
      expect({ sheet, row: typeof row, column }).toEqual({ sheet: '目录', row: 'number', column });
      expect(column).toMatch(/^[A-Z]+$/);
    }
  });

  it('passes the province catalog in every format with exit code 0', async () => {
    for (const file of [
      'fujian-province.yaml',
      'fujian-province.json',
      'fujian-province.xlsx',
      'fujian-province.national.xlsx',
    ]) {
      const run = await runCli(['catalog', 'validate', join(FIXTURES, file), '--json']);
      expect({ file, status: run.status }).toEqual({ file, status: 0 });
      expect((run.json as Report).summary.resources).toBe(39);
    }
  });

  it('reads a GBK CSV catalog exactly as its UTF-8 JSON twin', async () => {
    const run = await runCli([
      'catalog',
      'diff',
      join(FIXTURES, 'department-gbk.csv'),
      join(FIXTURES, 'department-gbk.expected.json'),
      '--json',
    ]);
    expect(run.status).toBe(0);
    assertSchema('catalog-diff', run.json);
    expect(run.json).toMatchObject({ added: [], removed: [], changed: [], breaking: [] });
    const validate = await runCli(['catalog', 'validate', join(FIXTURES, 'department-gbk.csv'), '--json']);
    expect((validate.json as { files: { encoding?: string }[] }).files[0]?.encoding).toBe('gbk');
  });

  it('writes JUnit XML that parses, and GitHub annotations', async () => {
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    const output = join(work, 'report.xml');
    const run = await runCli([
      'catalog',
      'validate',
      join(FIXTURES, 'department-draft.yaml'),
      '--format',
      'junit',
      '--output',
      output,
    ]);
    expect(run.status).toBe(1);
    const xml = readFileSync(output, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: { '@_failures': string; testsuite: { testcase: unknown[] } };
    };
    expect(Number(parsed.testsuites['@_failures'])).toBe(expected('department-draft.expected.json').length);
    const github = await runCli([
      'catalog',
      'validate',
      join(FIXTURES, 'department-draft.yaml'),
      '--format',
      'github',
    ]);
    expect(github.stdout.split('\n').filter((line) => line.startsWith('::error file='))).toHaveLength(
      expected('department-draft.expected.json').length,
    );
  });

  it('--fail-on never exits 0 and --lang en speaks English', async () => {
    const run = await runCli([
      'catalog',
      'validate',
      join(FIXTURES, 'department-draft.yaml'),
      '--fail-on',
      'never',
      '--lang',
      'en',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/resource\(s\)/);
    expect(run.stdout).not.toMatch(/[个]资源/);
  });
});

describe('minjiang catalog template and diff', () => {
  it('writes a template whose example resource validates, and never overwrites without --force', async () => {
    const file = join(work, 'template.xlsx');
    const run = await runCli(['catalog', 'template', file, '--json']);
    expect(run.status).toBe(0);
    assertSchema('catalog-template', run.json);
    const validate = await runCli(['catalog', 'validate', file, '--json']);
    expect({ status: validate.status, resources: (validate.json as Report).summary.resources }).toEqual({
      status: 0,
      resources: 1,
    });
    expect((await runCli(['catalog', 'template', file])).status).toBe(2);
    expect((await runCli(['catalog', 'template', file, '--force'])).status).toBe(0);
  });

  it('--breaking exits 1 when resources disappear, 0 for the same catalog in another format', async () => {
    const yaml = join(FIXTURES, 'fujian-province.yaml');
    const removed = await runCli([
      'catalog',
      'diff',
      yaml,
      join(FIXTURES, 'department-gbk.expected.json'),
      '--breaking',
      '--json',
    ]);
    expect(removed.status).toBe(1);
    const kinds = (removed.json as { breaking: { kind: string }[] }).breaking.map((change) => change.kind);
    expect(new Set(kinds)).toEqual(new Set(['resource-removed']));
    const same = await runCli([
      'catalog',
      'diff',
      yaml,
      join(FIXTURES, 'fujian-province.national.xlsx'),
      '--breaking',
    ]);
    expect(same.status).toBe(0);
  });
});

describe('minjiang catalog fix', () => {
  it('fixes the Excel catalog in place, after which it validates clean', async () => {
    const file = join(work, 'fix.xlsx');
    copyFileSync(join(FIXTURES, 'department-excel.xlsx'), file);
    const dry = await runCli(['catalog', 'fix', file, '--dry-run', '--json']);
    expect(dry.status).toBe(0);
    assertSchema('catalog-fix', dry.json);
    const fixes = (dry.json as { fixes: unknown[]; written: string }).fixes;
    expect(fixes.length).toBeGreaterThan(0);
    expect(readFileSync(file)).toEqual(readFileSync(join(FIXTURES, 'department-excel.xlsx')));
    const fixed = await runCli(['catalog', 'fix', file, '--json']);
    expect(fixed.json).toMatchObject({ written: 'file' });
    const again = await runCli(['catalog', 'validate', file, '--json']);
    expect({ status: again.status, findings: (again.json as Report).findings }).toEqual({
      status: 0,
      findings: [],
    });
    expect(((await runCli(['catalog', 'fix', file, '--json'])).json as { fixes: unknown[] }).fixes).toEqual(
      [],
    );
  });
});

describe('minjiang catalog against a hub on loopback', () => {
  let hub: TestHub;
  let env: NodeJS.ProcessEnv;
  const dir = join(work, 'dept');

  beforeAll(async () => {
    hub = await startHub();
    env = {
      MINJIANG_HUB: hub.address,
      MINJIANG_TOKEN: hub.officerToken,
      MINJIANG_CONFIG_DIR: join(work, 'config'),
    };
    rmSync(dir, { recursive: true, force: true });
    await runCli(['catalog', 'template', join(work, 'unused.xlsx')]);
    copyFileSync(join(FIXTURES, 'department-excel.xlsx'), join(work, 'dept.xlsx'));
    await runCli(['catalog', 'fix', join(work, 'dept.xlsx')]);
  });
  afterAll(async () => hub.close());

  it('plan → apply → apply: created, then every resource unchanged', async () => {
    const catalog = join(work, 'dept.xlsx');
    const plan = await runCli(['catalog', 'plan', catalog, '--json'], { env });
    expect(plan.status).toBe(0);
    assertSchema('catalog-plan', plan.json);
    const planned = plan.json as { summary: { create: number }; resources: unknown[] };
    expect(planned.summary.create).toBe(planned.resources.length);
    // Nobody reviews here: --wait ends with everything pending, exit code 7.
    const first = await runCli(
      ['catalog', 'apply', catalog, '--submit', '--wait', '--wait-timeout', '1', '--json'],
      {
        env,
      },
    );
    expect(first.status).toBe(7);
    expect((first.json as { review: { pending: string[] } }).review.pending).toHaveLength(
      planned.resources.length,
    );
    assertSchema('catalog-apply', first.json);
    const applied = first.json as { summary: Record<string, number>; receipts: string[] };
    expect(applied.summary).toMatchObject({
      created: planned.resources.length,
      failed: 0,
      submitted: planned.resources.length,
    });
    expect(applied.receipts.length).toBeGreaterThan(0);
    const second = await runCli(['catalog', 'apply', catalog, '--json'], { env });
    expect(second.status).toBe(0);
    expect((second.json as { summary: Record<string, number> }).summary).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: planned.resources.length,
    });
  });

  it('pull round-trips: the pulled folder plans as unchanged', async () => {
    const pull = await runCli(['catalog', 'pull', '--out', join(work, 'pulled'), '--json'], { env });
    expect(pull.status).toBe(0);
    assertSchema('catalog-pull', pull.json);
    const codes = (pull.json as { codes: string[] }).codes;
    expect(
      readdirSync(join(work, 'pulled')).filter((name) => name !== 'catalog.yaml' && name.endsWith('.yaml')),
    ).toHaveLength(codes.length);
    const plan = await runCli(['catalog', 'plan', join(work, 'pulled'), '--json'], { env });
    const summary = (plan.json as { summary: Record<string, number> }).summary;
    expect(summary).toMatchObject({ unchanged: codes.length, create: 0, update: 0, conflict: 0 });
    const diff = await runCli(['catalog', 'diff', join(work, 'dept.xlsx'), join(work, 'pulled'), '--json']);
    expect(diff.json).toMatchObject({ added: [], removed: [], changed: [] });
    const xlsx = await runCli(['catalog', 'pull', '--out', join(work, 'pulled.xlsx')], { env });
    expect(xlsx.status).toBe(0);
    expect(
      (await runCli(['catalog', 'diff', join(work, 'pulled'), join(work, 'pulled.xlsx'), '--json'])).json,
    ).toMatchObject({ changed: [] });
  });

  it('searches with a two-character Chinese term', async () => {
    const run = await runCli(['catalog', 'search', '企业', '--json'], {
      env: { ...env, MINJIANG_TOKEN: hub.adminToken },
    });
    expect(run.status).toBe(0);
    assertSchema('catalog-search', run.json);
    expect((run.json as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('maps failures to the exit codes of the README', async () => {
    const noToken = await runCli(['catalog', 'plan', join(work, 'dept.xlsx'), '--json'], {
      env: { ...env, MINJIANG_TOKEN: '' },
    });
    expect(noToken.status).toBe(3);
    assertSchema('error', noToken.json);
    const badToken = await runCli(['whoami'], {
      env: { ...env, MINJIANG_TOKEN: `mj_0000000000000000_${'A'.repeat(43)}` },
    });
    expect(badToken.status).toBe(3);
    const unreachable = await runCli(['whoami'], { env: { ...env, MINJIANG_HUB: 'http://127.0.0.1:9' } });
    expect(unreachable.status).toBe(6);
    expect((await runCli(['catalog', 'validate', join(work, 'no-such-file.xlsx')])).status).toBe(2);
    expect((await runCli(['catalog', 'validate', '--no-such-flag', 'x'])).status).toBe(2);
  });
});

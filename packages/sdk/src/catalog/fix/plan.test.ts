import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCatalogFile, type CatalogFile } from '../catalog-file.js';
import { validateCatalog } from '../validate-catalog.js';
import { applyCatalogFixes } from './apply.js';
import { planCatalogFixes } from './plan.js';
import type { CatalogFix } from './types.js';

const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
const now = new Date('2026-01-01T00:00:00+08:00');

/** A valid resource (resource 0 of the department draft), to be spoilt by each test. */
function valid(): Record<string, unknown> {
  return {
    code: '3350050101/000002',
    name: '福州市企业登记基本信息',
    resourceClass: '部门信息资源',
    subject: '组织',
    provider: { name: '福州市市场监督管理局', uscc: '11350100FJ01000501', regionCode: '350100' },
    subUnit: '登记注册处',
    summary: '福州市登记的各类企业的设立、变更和注销登记信息，含统一社会信用代码、名称、类型。',
    keywords: ['企业登记', '市场主体'],
    format: { category: '数据库', type: 'mysql' },
    items: [
      {
        name: '统一社会信用代码',
        technicalName: 'TYSHXYDM',
        dataType: 'C',
        length: 18,
        isKey: true,
        required: true,
      },
      { name: '企业名称', technicalName: 'QYMC', dataType: 'C', length: 200, required: true },
      { name: '注册资本', technicalName: 'ZCZB', dataType: 'N', length: 18, precision: 2 },
      { name: '更新时间', technicalName: 'GXSJ', dataType: 'T', isTimestamp: true },
    ],
    sharing: { type: '无条件共享', methodCategory: '共享平台方式', methodTypes: ['接口', '数据库'] },
    opening: { type: '不予开放' },
    updateCycle: '每日',
    publishedAt: '2022-03-18',
    grading: { level: '一般数据2级' },
  };
}

function catalogOf(...resources: Record<string, unknown>[]): CatalogFile {
  return { title: '测试目录', resources };
}

/** The fixes without their messages, which are checked separately. */
function bare(fixes: CatalogFix[]): Omit<CatalogFix, 'message'>[] {
  return fixes.map((fix) => {
    const copy: Partial<CatalogFix> = { ...fix };
    delete copy.message;
    return copy as Omit<CatalogFix, 'message'>;
  });
}

/** Findings of the kinds that a mechanical fix is for: schema type, enum, pattern, format, uniqueness. */
const MECHANICAL = new Set(['SCH-002', 'SCH-003', 'SCH-004', 'SCH-006', 'SCH-011']);

function mechanicalFindings(catalog: CatalogFile): string[] {
  return validateCatalog(catalog, { now })
    .resources.flatMap((resource) =>
      resource.issues.map((issue) => `${resource.index}${issue.location} ${issue.code}`),
    )
    .filter((finding) => MECHANICAL.has(finding.split(' ')[1] ?? ''));
}

describe('the department draft fixture', () => {
  it('gets exactly its three mechanical fixes', async () => {
    const catalog = await readCatalogFile(join(catalogs, 'department-draft.yaml'));
    expect(planCatalogFixes(catalog)).toEqual([
      {
        pointer: '/resources/1/items/4/name',
        op: 'replace',
        from: '经营者\u3000姓名',
        to: '经营者姓名',
        kind: 'whitespace',
        message: '去除首尾空白，合并或删除中间多余的空白（含全角空格）："经营者\\u3000姓名" → "经营者姓名"',
      },
      {
        pointer: '/resources/1/sharing/type',
        op: 'replace',
        from: 2,
        to: '有条件共享',
        kind: 'canonical-label',
        message: '代码表取值改为标准写法：2 → "有条件共享"',
      },
      {
        pointer: '/resources/2/updateCycle',
        op: 'replace',
        from: '其他',
        to: '不定期',
        kind: 'canonical-label',
        message: '代码表取值改为标准写法："其他" → "不定期"',
      },
    ]);
  });

  it('still has every finding that is not mechanical after the fixes, and no new one', async () => {
    const catalog = await readCatalogFile(join(catalogs, 'department-draft.yaml'));
    const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
    const found = validateCatalog(fixed, { now }).resources.flatMap((resource) =>
      resource.issues.map((issue) => ({
        resource: resource.index,
        code: issue.code,
        location: issue.location,
      })),
    );
    const expected = JSON.parse(
      readFileSync(join(catalogs, 'department-draft.expected.json'), 'utf8'),
    ) as unknown;
    expect(found).toEqual(expected);
    expect(planCatalogFixes(fixed)).toEqual([]);
  });

  it('the valid province catalog needs no fix', async () => {
    expect(planCatalogFixes(await readCatalogFile(join(catalogs, 'fujian-province.json')))).toEqual([]);
  });
});

describe('the mistakes of the Excel fixture (department-excel.xlsx), in memory', () => {
  const first = valid();
  Object.assign(first, {
    code: '３３５００５０１０１／０００００２',
    name: '  福州市　企业登记基本信息 ',
    provider: { name: '福州市市场监督管理局', uscc: '11350100fj01000501', regionCode: '350100' },
    keywords: ['企业', '', '登记'],
    format: { category: '数据库', type: 'MySQL' },
    sharing: { type: '有条件', condition: '仅向办理企业登记相关事项的部门提供', methodTypes: ['接口'] },
    updateCycle: 'daily',
    publishedAt: 44927,
  });
  const second = {
    ...valid(),
    code: '3350050101/000003',
    sharing: { type: 'conditional', legalBasis: '《企业信息公示暂行条例》' },
    publishedAt: '2023年5月1日',
  };
  const catalog = catalogOf(first, second);

  it('proposes one fix for each mistake', () => {
    expect(bare(planCatalogFixes(catalog))).toEqual([
      {
        pointer: '/resources/0/code',
        op: 'replace',
        from: '３３５００５０１０１／０００００２',
        to: '3350050101/000002',
        kind: 'full-width',
      },
      {
        pointer: '/resources/0/name',
        op: 'replace',
        from: '  福州市\u3000企业登记基本信息 ',
        to: '福州市企业登记基本信息',
        kind: 'whitespace',
      },
      {
        pointer: '/resources/0/provider/uscc',
        op: 'replace',
        from: '11350100fj01000501',
        to: '11350100FJ01000501',
        kind: 'letter-case',
      },
      { pointer: '/resources/0/keywords/1', op: 'remove', from: '', kind: 'separator' },
      { pointer: '/resources/0/format/type', op: 'replace', from: 'MySQL', to: 'mysql', kind: 'letter-case' },
      {
        pointer: '/resources/0/sharing/type',
        op: 'replace',
        from: '有条件',
        to: '有条件共享',
        kind: 'canonical-label',
      },
      {
        pointer: '/resources/0/updateCycle',
        op: 'replace',
        from: 'daily',
        to: '每日',
        kind: 'canonical-label',
      },
      { pointer: '/resources/0/publishedAt', op: 'replace', from: 44927, to: '2023-01-01', kind: 'date' },
      {
        pointer: '/resources/1/sharing/type',
        op: 'replace',
        from: 'conditional',
        to: '有条件共享',
        kind: 'canonical-label',
      },
      {
        pointer: '/resources/1/publishedAt',
        op: 'replace',
        from: '2023年5月1日',
        to: '2023-05-01',
        kind: 'date',
      },
    ]);
  });

  it('leaves a catalog without any finding once the fixes are applied', () => {
    expect(validateCatalog(catalog, { now }).summary.errors).toBeGreaterThan(0);
    const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
    expect(validateCatalog(fixed, { now }).summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(fixed.resources[0]).toMatchObject({ keywords: ['企业', '登记'], publishedAt: '2023-01-01' });
  });

  it('says what it does, in Chinese by default and in English on request', () => {
    const serial = (lang: 'zh-CN' | 'en') =>
      planCatalogFixes(catalog, { lang }).find((fix) => fix.pointer === '/resources/0/publishedAt')?.message;
    expect(serial('zh-CN')).toBe('Excel 日期序列号改为日期：44927 → "2023-01-01"');
    expect(serial('en')).toBe('Excel serial date number turned into a date: 44927 → "2023-01-01"');
  });
});

describe('what is not fixed', () => {
  it.each([
    ['an impossible date', { publishedAt: '2023年2月30日' }],
    ['a date with the year last', { publishedAt: '05/06/2023' }],
    ['a year typed alone', { publishedAt: 2023 }],
    ['a code-table value no table knows', { updateCycle: '偶尔' }],
    ['a blank required field', { summary: '   ' }],
    [
      'letters that only look like digits in a USCC',
      { provider: { name: '福州市市场监督管理局', uscc: '11350100FJO1000501' } },
    ],
  ])('%s is left for validation to report', (_title, values) => {
    const catalog = catalogOf({ ...valid(), ...values });
    expect(planCatalogFixes(catalog)).toEqual([]);
  });

  it('reports only mechanical findings as gone: the others are still there', () => {
    const catalog = catalogOf({ ...valid(), publishedAt: '2023年2月30日', updateCycle: 'daily' });
    const fixed = applyCatalogFixes(catalog, planCatalogFixes(catalog));
    expect(mechanicalFindings(fixed)).toEqual(['0/publishedAt SCH-006']);
  });

  it('ignores resources and fields of the wrong shape', () => {
    const catalog = catalogOf({ ...valid(), items: '信息项', sharing: null, format: ['数据库'] });
    const odd = { resources: [null, 3, '资源', valid()] } as CatalogFile;
    expect(planCatalogFixes(catalog)).toEqual([]);
    expect(planCatalogFixes(odd)).toEqual([]);
  });
});
